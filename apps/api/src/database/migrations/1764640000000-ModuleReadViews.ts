import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read contracts between modules. Each table has one owning module, the only one that writes
 * it (see docs/architecture.md); when another module needs to read it in SQL (a join for a
 * name, the busy times of a calendar), it reads a view the owner defines here, so the owner
 * can change its table without breaking anyone who reads the view. Plain views: PostgreSQL
 * inlines them, so plans and indexes are those of the underlying tables.
 *
 * - `user_directory` (identity): who a user is, never credentials or payment ids.
 * - `listed_lawyers` (lawyers): VERIFIED profiles of ACTIVE lawyer accounts, with the name.
 * - `session_bookings` (consultations-core): a session's parties, status and time.
 */
export class ModuleReadViews1764640000000 implements MigrationInterface {
  name = 'ModuleReadViews1764640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW user_directory AS
      SELECT id, email, display_name, role, status, time_zone, locale, created_at
        FROM users`);
    await q.query(`
      CREATE VIEW listed_lawyers AS
      SELECT p.user_id, u.display_name, p.jurisdictions, p.practice_areas, p.languages, p.bio, p.photo_key,
             p.verified_at, p.search_document
        FROM lawyer_profiles p
        JOIN user_directory u ON u.id = p.user_id AND u.status = 'ACTIVE' AND u.role = 'LAWYER'
       WHERE p.status = 'VERIFIED'`);
    await q.query(`
      CREATE VIEW session_bookings AS
      SELECT id, client_id, lawyer_id, offering_title, status, start_at, end_at
        FROM legal_sessions`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW session_bookings');
    await q.query('DROP VIEW listed_lawyers');
    await q.query('DROP VIEW user_directory');
  }
}
