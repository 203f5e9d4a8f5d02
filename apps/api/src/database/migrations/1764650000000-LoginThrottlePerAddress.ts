import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins are counted per account *and client network* (scope ACCOUNT_IP), per network
 * (IP), and per account only from networks that never signed in to it (ACCOUNT), so that
 * guessing from one address cannot lock the owner out everywhere (issue 10 #4).
 * `account_hash` ties every row of one account together, so a password reset can clear them.
 * `login_known_networks` remembers (as digests) which networks signed in to which account.
 */
export class LoginThrottlePerAddress1764650000000 implements MigrationInterface {
  name = 'LoginThrottlePerAddress1764650000000';

  async up(q: QueryRunner): Promise<void> {
    // The old per-account windows meant "any address"; they would be misread now and last 15 minutes at most.
    await q.query(`DELETE FROM login_throttles WHERE scope = 'ACCOUNT'`);
    await q.query(`ALTER TABLE login_throttles DROP CONSTRAINT ck_login_throttles_scope`);
    await q.query(`ALTER TABLE login_throttles ADD CONSTRAINT ck_login_throttles_scope CHECK (scope IN ('ACCOUNT_IP', 'ACCOUNT', 'IP'))`);
    await q.query(`ALTER TABLE login_throttles ADD COLUMN account_hash bytea`);
    await q.query(
      `ALTER TABLE login_throttles ADD CONSTRAINT ck_login_throttles_account_hash CHECK (account_hash IS NULL OR octet_length(account_hash) = 32)`,
    );
    await q.query(`CREATE INDEX ix_login_throttles_account_hash ON login_throttles (account_hash) WHERE account_hash IS NOT NULL`);
    await q.query(`
      CREATE TABLE login_known_networks (
        subject_hash    bytea       NOT NULL,
        last_success_at timestamptz NOT NULL,
        CONSTRAINT pk_login_known_networks PRIMARY KEY (subject_hash),
        CONSTRAINT ck_login_known_networks_subject_hash CHECK (octet_length(subject_hash) = 32)
      )
    `);
    await q.query('CREATE INDEX ix_login_known_networks_last_success_at ON login_known_networks (last_success_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE login_known_networks');
    await q.query(`DELETE FROM login_throttles WHERE scope <> 'IP'`);
    await q.query('DROP INDEX ix_login_throttles_account_hash');
    await q.query('ALTER TABLE login_throttles DROP CONSTRAINT ck_login_throttles_account_hash');
    await q.query('ALTER TABLE login_throttles DROP COLUMN account_hash');
    await q.query('ALTER TABLE login_throttles DROP CONSTRAINT ck_login_throttles_scope');
    await q.query(`ALTER TABLE login_throttles ADD CONSTRAINT ck_login_throttles_scope CHECK (scope IN ('ACCOUNT', 'IP'))`);
  }
}
