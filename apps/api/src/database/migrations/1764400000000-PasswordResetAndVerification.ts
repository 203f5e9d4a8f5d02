import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-time tokens emailed to a user: password reset (30 minutes) and email verification.
 * Only the SHA-256 digest of each token is stored; the token itself exists only in the email.
 * A token is spent once (`used_at`), and issuing a new one of the same purpose retires the
 * user's older ones (`revoked_at`).
 */
export class PasswordResetAndVerification1764400000000 implements MigrationInterface {
  name = 'PasswordResetAndVerification1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_tokens (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        user_id     uuid        NOT NULL,
        purpose     text        NOT NULL,
        token_hash  bytea       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz NULL,
        revoked_at  timestamptz NULL,
        CONSTRAINT pk_user_tokens PRIMARY KEY (id),
        CONSTRAINT uq_user_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_user_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_user_tokens_purpose CHECK (purpose IN ('PASSWORD_RESET', 'EMAIL_VERIFICATION')),
        CONSTRAINT ck_user_tokens_token_hash CHECK (octet_length(token_hash) = 32),
        CONSTRAINT ck_user_tokens_expiry CHECK (expires_at > created_at)
      )
    `);
    // Outstanding tokens of a user and purpose: retired on a new request, counted for the per-account limit.
    await q.query('CREATE INDEX ix_user_tokens_user_purpose ON user_tokens (user_id, purpose, created_at DESC)');
    await q.query('CREATE INDEX ix_user_tokens_expires_at ON user_tokens (expires_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE user_tokens');
  }
}
