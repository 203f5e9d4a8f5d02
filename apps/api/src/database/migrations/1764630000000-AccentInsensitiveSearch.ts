import { MigrationInterface, QueryRunner } from 'typeorm';

const DOCUMENT = (config: string) => `
  CREATE OR REPLACE FUNCTION lawyer_search_document(display_name text, practice_areas text[], jurisdictions text[], bio text)
    RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('${config}', coalesce(display_name, '')), 'A')
        || setweight(to_tsvector('${config}', array_to_string(practice_areas, ' ') || ' ' || array_to_string(jurisdictions, ' ')), 'B')
        || setweight(to_tsvector('${config}', coalesce(bio, '')), 'C')
  $$`;

const REFRESH = `
  UPDATE lawyer_profiles p
     SET search_document = lawyer_search_document(u.display_name, p.practice_areas, p.jurisdictions, p.bio)
    FROM users u WHERE u.id = p.user_id`;

/**
 * Accent-insensitive directory search: "jose" finds "José", "muller" finds "Müller", and
 * "Düsseldorf" finds "Dusseldorf". `lm_search` is the `simple` configuration (no stemming,
 * as before) with PostgreSQL's `unaccent` dictionary in front of it, used both for the stored
 * `search_document` and for the query (DirectoryRepository), so both sides fold the same way.
 * The GIN index is unchanged; the documents are rebuilt once here.
 */
export class AccentInsensitiveSearch1764630000000 implements MigrationInterface {
  name = 'AccentInsensitiveSearch1764630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await q.query('CREATE TEXT SEARCH CONFIGURATION lm_search (COPY = pg_catalog.simple)');
    await q.query(`
      ALTER TEXT SEARCH CONFIGURATION lm_search
        ALTER MAPPING FOR word, hword, hword_part, asciiword, asciihword, hword_asciipart WITH unaccent, simple`);
    await q.query(DOCUMENT('lm_search'));
    await q.query(REFRESH);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(DOCUMENT('simple'));
    await q.query(REFRESH);
    await q.query('DROP TEXT SEARCH CONFIGURATION lm_search');
    await q.query('DROP EXTENSION IF EXISTS unaccent');
  }
}
