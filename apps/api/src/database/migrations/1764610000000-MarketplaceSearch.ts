import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Directory text search. `lawyer_profiles.search_document` is a `tsvector` of the lawyer's name
 * (weight A), practice areas and jurisdictions (B) and bio (C) in the `simple` configuration
 * (no stemming: bios are written in many languages; queries match words as prefixes), kept
 * current by triggers and GIN-indexed, so `search_document @@ to_tsquery(...)` stays an index
 * lookup however many lawyers there are. The name lives in `users`, so a rename refreshes it too.
 */
export class MarketplaceSearch1764610000000 implements MigrationInterface {
  name = 'MarketplaceSearch1764610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION lawyer_search_document(display_name text, practice_areas text[], jurisdictions text[], bio text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('simple', coalesce(display_name, '')), 'A')
            || setweight(to_tsvector('simple', array_to_string(practice_areas, ' ') || ' ' || array_to_string(jurisdictions, ' ')), 'B')
            || setweight(to_tsvector('simple', coalesce(bio, '')), 'C')
      $$`);
    await q.query(`ALTER TABLE lawyer_profiles ADD COLUMN search_document tsvector NOT NULL DEFAULT ''::tsvector`);
    await q.query(`
      UPDATE lawyer_profiles p
         SET search_document = lawyer_search_document(u.display_name, p.practice_areas, p.jurisdictions, p.bio)
        FROM users u WHERE u.id = p.user_id`);
    await q.query('CREATE INDEX ix_lawyer_profiles_search ON lawyer_profiles USING gin (search_document)');

    await q.query(`
      CREATE FUNCTION lawyer_profiles_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_document := lawyer_search_document(
          (SELECT display_name FROM users WHERE id = NEW.user_id), NEW.practice_areas, NEW.jurisdictions, NEW.bio);
        RETURN NEW;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER lawyer_profiles_search_document BEFORE INSERT OR UPDATE OF practice_areas, jurisdictions, bio ON lawyer_profiles
        FOR EACH ROW EXECUTE FUNCTION lawyer_profiles_search_document()`);

    await q.query(`
      CREATE FUNCTION users_lawyer_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE lawyer_profiles
           SET search_document = lawyer_search_document(NEW.display_name, practice_areas, jurisdictions, bio)
         WHERE user_id = NEW.id;
        RETURN NULL;
      END
      $$`);
    await q.query(`
      CREATE TRIGGER users_lawyer_search_document AFTER UPDATE OF display_name ON users
        FOR EACH ROW WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name) EXECUTE FUNCTION users_lawyer_search_document()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER users_lawyer_search_document ON users');
    await q.query('DROP FUNCTION users_lawyer_search_document()');
    await q.query('DROP TRIGGER lawyer_profiles_search_document ON lawyer_profiles');
    await q.query('DROP FUNCTION lawyer_profiles_search_document()');
    await q.query('ALTER TABLE lawyer_profiles DROP COLUMN search_document');
    await q.query('DROP FUNCTION lawyer_search_document(text, text[], text[], text)');
  }
}
