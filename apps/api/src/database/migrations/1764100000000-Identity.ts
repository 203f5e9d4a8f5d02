import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: accounts, rotating refresh tokens (one family per sign-in), API keys, and the
 * failed-login counters that limit password guessing per account and per client IP.
 *
 * Secrets are never stored: refresh tokens and API keys are kept as SHA-256 digests of
 * high-entropy random values, passwords as argon2id hashes.
 */
export class Identity1764100000000 implements MigrationInterface {
  name = 'Identity1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
        email              citext      NOT NULL,
        password_hash      text        NOT NULL,
        role               text        NOT NULL,
        status             text        NOT NULL DEFAULT 'ACTIVE',
        display_name       text        NOT NULL,
        time_zone          text        NOT NULL DEFAULT 'UTC',
        locale             text        NOT NULL DEFAULT 'en',
        email_verified_at  timestamptz NULL,
        stripe_customer_id text        NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_email UNIQUE (email),
        CONSTRAINT uq_users_stripe_customer_id UNIQUE (stripe_customer_id),
        CONSTRAINT ck_users_role CHECK (role IN ('CLIENT', 'LAWYER', 'PARTNER', 'ADMIN')),
        CONSTRAINT ck_users_status CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        CONSTRAINT ck_users_email_length CHECK (char_length(email::text) BETWEEN 3 AND 254),
        CONSTRAINT ck_users_password_hash CHECK (password_hash LIKE '$argon2id$%'),
        CONSTRAINT ck_users_display_name CHECK (char_length(display_name) BETWEEN 1 AND 100),
        CONSTRAINT ck_users_time_zone CHECK (char_length(time_zone) BETWEEN 1 AND 64),
        CONSTRAINT ck_users_locale CHECK (locale ~ '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$')
      )
    `);
    await q.query('CREATE INDEX ix_users_role_status ON users (role, status)');
    await q.query('CREATE INDEX ix_users_created_at ON users (created_at DESC, id DESC)');

    await q.query(`
      CREATE TABLE refresh_tokens (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        user_id     uuid        NOT NULL,
        family_id   uuid        NOT NULL,
        token_hash  bytea       NOT NULL,
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz NULL,
        revoked_at  timestamptz NULL,
        replaced_by uuid        NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        user_agent  text        NULL,
        ip          inet        NULL,
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
        CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_refresh_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_refresh_tokens_replaced_by FOREIGN KEY (replaced_by) REFERENCES refresh_tokens (id) ON DELETE SET NULL,
        CONSTRAINT ck_refresh_tokens_token_hash CHECK (octet_length(token_hash) = 32),
        CONSTRAINT ck_refresh_tokens_expiry CHECK (expires_at > created_at),
        CONSTRAINT ck_refresh_tokens_user_agent CHECK (char_length(user_agent) <= 512)
      )
    `);
    await q.query('CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id)');
    await q.query('CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL');
    await q.query('CREATE INDEX ix_refresh_tokens_expires_at ON refresh_tokens (expires_at)');

    await q.query(`
      CREATE TABLE api_keys (
        id           uuid        NOT NULL DEFAULT gen_random_uuid(),
        user_id      uuid        NOT NULL,
        name         text        NOT NULL,
        prefix       text        NOT NULL,
        key_hash     bytea       NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NULL,
        revoked_at   timestamptz NULL,
        CONSTRAINT pk_api_keys PRIMARY KEY (id),
        CONSTRAINT uq_api_keys_prefix UNIQUE (prefix),
        CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
        CONSTRAINT fk_api_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_api_keys_name CHECK (char_length(name) BETWEEN 1 AND 100),
        CONSTRAINT ck_api_keys_prefix CHECK (prefix ~ '^lmk_[0-9a-f]{8}$'),
        CONSTRAINT ck_api_keys_key_hash CHECK (octet_length(key_hash) = 32)
      )
    `);
    await q.query('CREATE INDEX ix_api_keys_user ON api_keys (user_id, created_at DESC)');

    // Failed sign-in counters, one row per (scope, subject) and fixed window. The subject
    // (normalised email or client IP) is stored only as a SHA-256 digest: people sometimes
    // type their password into the email field, and it must not end up here in clear.
    await q.query(`
      CREATE TABLE login_throttles (
        scope             text        NOT NULL,
        subject_hash      bytea       NOT NULL,
        window_started_at timestamptz NOT NULL,
        failures          integer     NOT NULL,
        CONSTRAINT pk_login_throttles PRIMARY KEY (scope, subject_hash),
        CONSTRAINT ck_login_throttles_scope CHECK (scope IN ('ACCOUNT', 'IP')),
        CONSTRAINT ck_login_throttles_failures CHECK (failures >= 0),
        CONSTRAINT ck_login_throttles_subject_hash CHECK (octet_length(subject_hash) = 32)
      )
    `);
    await q.query('CREATE INDEX ix_login_throttles_window_started_at ON login_throttles (window_started_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS login_throttles');
    await q.query('DROP TABLE IF EXISTS api_keys');
    await q.query('DROP TABLE IF EXISTS refresh_tokens');
    await q.query('DROP TABLE IF EXISTS users');
  }
}
