import { MigrationInterface, QueryRunner } from 'typeorm';

/** The facet rows of the primary listings among `source` (a table or a trigger's transition table). */
const exploded = (source: string) => `
  INSERT INTO directory_facets (facet, lawyer_id, currency, price_minor, practice_areas, languages, jurisdiction_keys,
                                verified_key, soon_at, rating_average, rating_key, rating_count_key)
  SELECT DISTINCT f.facet, n.lawyer_id, n.currency, n.price_minor, n.practice_areas, n.languages, n.jurisdiction_keys,
         n.verified_key, n.soon_at, n.rating_average, n.rating_key, n.rating_count_key
    FROM ${source} n
    CROSS JOIN LATERAL (SELECT 'a:' || x FROM unnest(n.practice_areas) x
                        UNION ALL SELECT 'l:' || x FROM unnest(n.languages) x
                        UNION ALL SELECT 'j:' || x FROM unnest(n.jurisdiction_keys) x) f(facet)
   WHERE n.is_primary`;

/**
 * `directory_facets`: the directory's listings filed under each practice area, language and
 * jurisdiction they carry (issue 18, done-when 1: a filtered search as cheap as the default page
 * at any size).
 *
 * A search for "family lawyers who speak Spanish" over `directory_listings` walks the sort's btree
 * and skips every listing that does not match: ~1 in 25 matched at 100,000 lawyers, so a page of
 * 20 visited ~1,600 listings and its capped total as many again, and the cost grows as the filter
 * narrows. Filed under `a:family`, the same search walks only family lawyers, in the sort's order,
 * and checks the language on each (~1 in 4): ~80 index entries per page whatever the directory's
 * size. The query leads with the filter most likely to be narrow (jurisdiction, then practice
 * area, then language; see buildDirectoryQuery) and checks the others on the entry.
 *
 * One row per (primary listing, facet), carrying every column the directory filters or sorts by;
 * one btree per sort led by the facet (the `soonest` one, the default sort and the one totals are
 * counted along, INCLUDEs the filtered columns, so a count never reads the heap). Kept by
 * statement-level triggers on `directory_listings` in the same statement as the listing's own
 * change (the listing is only ever rewritten by directory_listings_refresh), so it is exactly the
 * primary listings, exploded. Owned by the marketplace module, like the listings.
 */
export class DirectoryFacets1764830000001 implements MigrationInterface {
  name = 'DirectoryFacets1764830000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_facets (
        facet             text          NOT NULL,
        lawyer_id         uuid          NOT NULL,
        currency          text          NOT NULL,
        price_minor       bigint        NOT NULL,
        practice_areas    text[]        NOT NULL,
        languages         text[]        NOT NULL,
        jurisdiction_keys text[]        NOT NULL,
        verified_key      bigint        NOT NULL,
        soon_at           timestamptz   NOT NULL,
        rating_average    numeric(3,2),
        rating_key        numeric(8,4)  NOT NULL,
        rating_count_key  integer       NOT NULL,
        CONSTRAINT pk_directory_facets PRIMARY KEY (lawyer_id, facet),
        CONSTRAINT ck_directory_facets_facet CHECK (facet ~ '^[alj]:.+$')
      )`);
    await q.query(
      `CREATE INDEX ix_directory_facets_soonest ON directory_facets (facet, soon_at, price_minor, lawyer_id)
         INCLUDE (practice_areas, languages, jurisdiction_keys, rating_average)`,
    );
    await q.query('CREATE INDEX ix_directory_facets_newest ON directory_facets (facet, verified_key, lawyer_id)');
    await q.query('CREATE INDEX ix_directory_facets_rating ON directory_facets (facet, rating_key, rating_count_key, lawyer_id)');
    await q.query(
      'CREATE INDEX ix_directory_facets_price ON directory_facets (facet, currency, price_minor, verified_key, lawyer_id)',
    );

    // The facets of a set of listings rows (only primary rows are filed).
    await q.query(`
      CREATE FUNCTION directory_facets_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${exploded('added')};
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION directory_facets_remove() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM directory_facets f USING removed o WHERE o.is_primary AND f.lawyer_id = o.lawyer_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER directory_listings_facets_insert AFTER INSERT ON directory_listings
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION directory_facets_add()`);
    await q.query(`
      CREATE TRIGGER directory_listings_facets_delete AFTER DELETE ON directory_listings
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION directory_facets_remove()`);
    // Nothing updates listings today (a refresh deletes and inserts); should anything, the facets
    // follow. Triggers of one event fire in name order: the old facets go (1) before the new come (2).
    await q.query(`
      CREATE TRIGGER directory_listings_facets_update_1_remove AFTER UPDATE ON directory_listings
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION directory_facets_remove()`);
    await q.query(`
      CREATE TRIGGER directory_listings_facets_update_2_add AFTER UPDATE ON directory_listings
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION directory_facets_add()`);

    await q.query(exploded('directory_listings'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'delete', 'update_1_remove', 'update_2_add'])
      await q.query(`DROP TRIGGER directory_listings_facets_${t} ON directory_listings`);
    await q.query('DROP FUNCTION directory_facets_remove()');
    await q.query('DROP FUNCTION directory_facets_add()');
    await q.query('DROP TABLE directory_facets');
  }
}
