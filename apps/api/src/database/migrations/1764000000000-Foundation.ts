import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Extensions every later module relies on: pgcrypto (gen_random_uuid, digest for hash
 * chains), citext (case-insensitive emails), btree_gist (exclusion constraints that stop
 * double booking). All three ship with PostgreSQL's contrib and with the embedded server.
 */
export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE EXTENSION IF NOT EXISTS pgcrypto');
    await q.query('CREATE EXTENSION IF NOT EXISTS citext');
    await q.query('CREATE EXTENSION IF NOT EXISTS btree_gist');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP EXTENSION IF EXISTS btree_gist');
    await q.query('DROP EXTENSION IF EXISTS citext');
    await q.query('DROP EXTENSION IF EXISTS pgcrypto');
  }
}
