import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixes to the directory's read model (1764800000000-DirectoryListings):
 *
 * - No foreign key to `users`. Inserting a listing took FOR KEY SHARE on the lawyer's users row
 *   while holding the per-lawyer advisory lock; a transaction that had locked that row FOR UPDATE
 *   (an account change) and then reached its own deferred refresh waited for the advisory lock:
 *   a deadlock (40P01, a 500). The table is derived: a deleted user's rows go with the refresh
 *   that the deletion triggers (a trigger on users' DELETE, besides the cascade to their profile
 *   and offerings, whose triggers refresh too).
 * - The refresh refuses to run outside READ COMMITTED: it relies on each statement after the
 *   advisory lock seeing every change committed before it (no code path writes the source tables
 *   under REPEATABLE READ or SERIALIZABLE; the audit's REPEATABLE READ transactions touch only
 *   audit tables).
 * - Triggers fire only on changes that matter: `lawyer_availability` when next_available_at
 *   actually changes (the sweep rewrites rows with the same value: each refresh rewrote the
 *   lawyer's rows and four GIN indexes), `users` only for lawyers (before or after a role change).
 * - An update moving a row from one lawyer to another (e.g. an offering's lawyer_id) refreshes
 *   both lawyers, not only the new one.
 */
export class DirectoryListingsFixes1764800000001 implements MigrationInterface {
  name = 'DirectoryListingsFixes1764800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE directory_listings DROP CONSTRAINT fk_directory_listings_lawyer');

    await q.query(`
      CREATE OR REPLACE FUNCTION directory_listings_refresh(ids uuid[], lock_lawyers boolean DEFAULT true) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        -- Under a snapshot isolation the statements after the lock would not see the changes
        -- committed while we waited for it, and could write an older state back.
        IF current_setting('transaction_isolation') <> 'read committed' THEN
          RAISE EXCEPTION 'directory_listings_refresh needs READ COMMITTED, not %', current_setting('transaction_isolation');
        END IF;
        -- In id order, so two transactions refreshing the same lawyers cannot deadlock on these.
        -- Bulk loads (the backfill, the bench seed) pass false: one lock per lawyer would
        -- overflow the lock table, and nothing else writes those lawyers meanwhile.
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

    // The lawyer before and after the change: an update that moves a row refreshes both.
    await q.query(`
      CREATE OR REPLACE FUNCTION directory_listings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        old_id uuid;
        new_id uuid;
      BEGIN
        -- One branch per table: a record has only its own table's fields.
        IF TG_TABLE_NAME = 'users' THEN
          IF TG_OP <> 'INSERT' THEN old_id := OLD.id; END IF;
          IF TG_OP <> 'DELETE' THEN new_id := NEW.id; END IF;
        ELSIF TG_TABLE_NAME = 'lawyer_profiles' THEN
          IF TG_OP <> 'INSERT' THEN old_id := OLD.user_id; END IF;
          IF TG_OP <> 'DELETE' THEN new_id := NEW.user_id; END IF;
        ELSE
          IF TG_OP <> 'INSERT' THEN old_id := OLD.lawyer_id; END IF;
          IF TG_OP <> 'DELETE' THEN new_id := NEW.lawyer_id; END IF;
        END IF;
        PERFORM directory_listings_refresh(
          CASE WHEN old_id IS NULL OR old_id = new_id THEN ARRAY[COALESCE(new_id, old_id)]
               WHEN new_id IS NULL THEN ARRAY[old_id]
               ELSE ARRAY[old_id, new_id] END);
        RETURN NULL;
      END $$`);

    await q.query('DROP TRIGGER lawyer_availability_directory_listings ON lawyer_availability');
    await q.query(`
      CREATE CONSTRAINT TRIGGER lawyer_availability_directory_listings AFTER INSERT OR DELETE ON lawyer_availability
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_listings_changed()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER lawyer_availability_next_directory_listings AFTER UPDATE OF next_available_at ON lawyer_availability
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.next_available_at IS DISTINCT FROM NEW.next_available_at)
        EXECUTE FUNCTION directory_listings_changed()`);

    await q.query('DROP TRIGGER users_directory_listings ON users');
    await q.query(`
      CREATE CONSTRAINT TRIGGER users_directory_listings AFTER UPDATE OF display_name, status, role ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN ((OLD.role = 'LAWYER' OR NEW.role = 'LAWYER')
              AND (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role))
        EXECUTE FUNCTION directory_listings_changed()`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER users_deleted_directory_listings AFTER DELETE ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.role = 'LAWYER')
        EXECUTE FUNCTION directory_listings_changed()`);

    // Rows of users deleted before this migration would have gone with the foreign key's cascade.
    await q.query('DELETE FROM directory_listings l WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = l.lawyer_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER users_deleted_directory_listings ON users');
    await q.query('DROP TRIGGER users_directory_listings ON users');
    await q.query(`
      CREATE CONSTRAINT TRIGGER users_directory_listings AFTER UPDATE OF display_name, status, role ON users
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.status IS DISTINCT FROM NEW.status OR OLD.role IS DISTINCT FROM NEW.role)
        EXECUTE FUNCTION directory_listings_changed()`);
    await q.query('DROP TRIGGER lawyer_availability_next_directory_listings ON lawyer_availability');
    await q.query('DROP TRIGGER lawyer_availability_directory_listings ON lawyer_availability');
    await q.query(`
      CREATE CONSTRAINT TRIGGER lawyer_availability_directory_listings AFTER INSERT OR DELETE OR UPDATE OF next_available_at ON lawyer_availability
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION directory_listings_changed()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION directory_listings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
    // The refresh keeps its READ COMMITTED check (harmless in the older schema).
    await q.query(
      'ALTER TABLE directory_listings ADD CONSTRAINT fk_directory_listings_lawyer FOREIGN KEY (lawyer_id) REFERENCES users (id) ON DELETE CASCADE',
    );
  }
}
