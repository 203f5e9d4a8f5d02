import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The directory's read model (marketplace module): `directory_listings` holds one row per listed
 * lawyer and currency they sell in, with everything a directory card shows and every key the
 * directory sorts by, so a page is an index range scan whatever the directory's size (issue 18).
 *
 * - A row exists for each (VERIFIED profile of an ACTIVE lawyer account, currency of at least one
 *   active offering); `price_minor` is the cheapest active offering in that currency, and
 *   `is_primary` marks the lawyer's overall cheapest row (price, then currency), the one shown
 *   without a currency filter. With `currency=X` the directory reads the X rows instead, so each
 *   lawyer still appears once, with the "from" price in X.
 * - Sort keys are stored ascending so each sort is one row comparison on one btree (keyset
 *   pagination): `soon_at` (next availability, 'infinity' when none), `verified_key` (minus the
 *   verification instant in microseconds: newest first), `rating_key` / `rating_count_key`
 *   (minus the Bayesian score, 1000 when unrated; minus the review count).
 * - Maintained IN THE TRANSACTION of every change that affects it: deferred constraint triggers on
 *   the source rows (lawyer profiles, user name/status/role, offerings, next availability,
 *   ratings) call `directory_listings_refresh(lawyer ids)` at commit, whichever code wrote the
 *   row (services, the admin tools, test factories, the demo seeder). The function takes a
 *   per-lawyer advisory lock and only then recomputes the lawyer's rows from the owners' read
 *   views (`listed_lawyers`, `lawyer_rating_summaries`) and the marketplace's own tables: under
 *   READ COMMITTED each statement after the lock sees every change committed before it, so two
 *   transactions changing one lawyer at once cannot leave the older state behind. Deferred to
 *   commit, the lock is the transaction's last, so it cannot deadlock with the locks the changing
 *   code takes.
 * - Next availability changes with time alone: the marketplace's sweep and next-available job
 *   recompute `lawyer_availability.next_available_at` (which the trigger copies here), and the
 *   directory recomputes any row of the page it is about to show whose time has passed.
 */
export class DirectoryListings1764800000000 implements MigrationInterface {
  name = 'DirectoryListings1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE directory_listings (
        lawyer_id         uuid         NOT NULL,
        currency          text         NOT NULL,
        is_primary        boolean      NOT NULL,
        price_minor       bigint       NOT NULL,
        display_name      text         NOT NULL,
        practice_areas    text[]       NOT NULL,
        jurisdictions     text[]       NOT NULL,
        jurisdiction_keys text[]       NOT NULL,
        languages         text[]       NOT NULL,
        short_bio         text         NOT NULL,
        has_photo         boolean      NOT NULL,
        verified_at       timestamptz  NOT NULL,
        verified_key      bigint       NOT NULL,
        search_document   tsvector     NOT NULL,
        next_available_at timestamptz,
        soon_at           timestamptz  NOT NULL,
        rating_average    numeric(3,2),
        rating_count      int          NOT NULL,
        rating_score      numeric(6,4),
        rating_key        numeric(8,4) NOT NULL,
        rating_count_key  int          NOT NULL,
        CONSTRAINT pk_directory_listings PRIMARY KEY (lawyer_id, currency),
        CONSTRAINT fk_directory_listings_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    // One primary row per lawyer.
    await q.query('CREATE UNIQUE INDEX ux_directory_listings_primary ON directory_listings (lawyer_id) WHERE is_primary');
    // One btree per sort: a partial one for the unfiltered directory, one led by currency for `currency=`.
    const sorts: Record<string, string> = {
      soonest: 'soon_at, price_minor, lawyer_id',
      newest: 'verified_key, lawyer_id',
      rating: 'rating_key, rating_count_key, lawyer_id',
    };
    for (const [name, columns] of Object.entries(sorts)) {
      await q.query(`CREATE INDEX ix_directory_listings_${name} ON directory_listings (${columns}) WHERE is_primary`);
      await q.query(`CREATE INDEX ix_directory_listings_${name}_currency ON directory_listings (currency, ${columns})`);
    }
    // Price groups by currency anyway: one index serves both (the partial one keeps the unfiltered scan dense).
    await q.query(
      'CREATE INDEX ix_directory_listings_price ON directory_listings (currency, price_minor, verified_key, lawyer_id) WHERE is_primary',
    );
    await q.query(
      'CREATE INDEX ix_directory_listings_price_currency ON directory_listings (currency, price_minor, verified_key, lawyer_id)',
    );
    await q.query('CREATE INDEX ix_directory_listings_search ON directory_listings USING gin (search_document)');
    await q.query('CREATE INDEX ix_directory_listings_practice_areas ON directory_listings USING gin (practice_areas)');
    await q.query('CREATE INDEX ix_directory_listings_languages ON directory_listings USING gin (languages)');
    await q.query('CREATE INDEX ix_directory_listings_jurisdictions ON directory_listings USING gin (jurisdiction_keys)');

    await q.query(`
      CREATE FUNCTION directory_listings_refresh(ids uuid[], lock_lawyers boolean DEFAULT true) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        -- In id order, so two transactions refreshing the same lawyers cannot deadlock on these.
        -- Bulk loads (this migration's backfill, the bench seed) pass false: one lock per lawyer
        -- would overflow the lock table, and nothing else writes those lawyers meanwhile.
        IF lock_lawyers THEN
          PERFORM pg_advisory_xact_lock(hashtextextended('directory_listings:' || x.id::text, 0))
             FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) x;
        END IF;
        DELETE FROM directory_listings WHERE lawyer_id = ANY (ids);
        INSERT INTO directory_listings (
          lawyer_id, currency, is_primary, price_minor, display_name, practice_areas, jurisdictions, jurisdiction_keys,
          languages, short_bio, has_photo, verified_at, verified_key, search_document, next_available_at, soon_at,
          rating_average, rating_count, rating_score, rating_key, rating_count_key)
        SELECT p.user_id, o.currency,
               row_number() OVER (PARTITION BY p.user_id ORDER BY o.price_minor, o.currency) = 1,
               o.price_minor, p.display_name, p.practice_areas, p.jurisdictions,
               ARRAY(SELECT lower(j) FROM unnest(p.jurisdictions) j), p.languages,
               CASE WHEN char_length(p.bio) > 280 THEN rtrim(left(p.bio, 279)) || '…' ELSE p.bio END,
               p.photo_key IS NOT NULL, p.verified_at,
               -(extract(epoch FROM p.verified_at) * 1000000)::bigint,
               p.search_document, a.next_available_at, COALESCE(a.next_available_at, 'infinity'::timestamptz),
               rs.average, COALESCE(rs.review_count, 0), rs.score,
               COALESCE(-rs.score, 1000), -COALESCE(rs.review_count, 0)
          FROM listed_lawyers p
          JOIN (SELECT lawyer_id, currency, min(price_minor) AS price_minor
                  FROM offerings WHERE active AND lawyer_id = ANY (ids)
                 GROUP BY lawyer_id, currency) o ON o.lawyer_id = p.user_id
          LEFT JOIN lawyer_availability a ON a.lawyer_id = p.user_id
          LEFT JOIN lawyer_rating_summaries rs ON rs.lawyer_id = p.user_id
         WHERE p.user_id = ANY (ids);
      END $$`);

    // Deferred to commit: the refresh runs after the transaction's own changes, as its last lock.
    await q.query(`
      CREATE FUNCTION directory_listings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        id uuid;
      BEGIN
        IF TG_TABLE_NAME = 'users' THEN
          id := NEW.id;
        ELSIF TG_TABLE_NAME = 'lawyer_profiles' THEN
          id := CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
        ELSE
          id := CASE WHEN TG_OP = 'DELETE' THEN OLD.lawyer_id ELSE NEW.lawyer_id END;
        END IF;
        PERFORM directory_listings_refresh(ARRAY[id]);
        RETURN NULL;
      END $$`);
    for (const table of ['lawyer_profiles', 'offerings', 'lawyer_ratings']) {
      await q.query(`
        CREATE CONSTRAINT TRIGGER ${table}_directory_listings AFTER INSERT OR UPDATE OR DELETE ON ${table}
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_listings_changed()`);
    }
    await q.query(`
      CREATE CONSTRAINT TRIGGER lawyer_availability_directory_listings AFTER INSERT OR DELETE OR UPDATE OF next_available_at ON lawyer_availability
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_listings_changed()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER users_directory_listings AFTER UPDATE OF display_name, status, role ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role)
        EXECUTE FUNCTION directory_listings_changed()`);

    // Backfill: every lawyer with a profile. No per-lawyer locks: the table and its triggers are
    // new in this transaction, so no other transaction can refresh a listing before it commits.
    await q.query('SELECT directory_listings_refresh(ARRAY(SELECT user_id FROM lawyer_profiles), false)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['users', 'lawyer_availability', 'lawyer_ratings', 'offerings', 'lawyer_profiles']) {
      await q.query(`DROP TRIGGER ${table}_directory_listings ON ${table}`);
    }
    await q.query('DROP FUNCTION directory_listings_changed()');
    await q.query('DROP FUNCTION directory_listings_refresh(uuid[], boolean)');
    await q.query('DROP TABLE directory_listings');
  }
}
