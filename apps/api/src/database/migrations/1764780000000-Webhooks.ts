import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound webhooks (issue 17), owned by the webhooks module.
 *
 * - `webhook_endpoints`: a user's receiver: URL, subscribed event types, the signing secret
 *   (stored as-is: HMAC needs the secret itself; it is shown to the owner only when created or
 *   rotated), the previous secret while a rotation's overlap lasts, and whether it is disabled
 *   (by its owner, or after 3 days of failed deliveries: `failing_since`).
 * - `webhook_events`: one per (event, recipient user): the exact JSON body every attempt sends
 *   (signed byte for byte), its type and when it happened. Written in the transaction of the
 *   change that causes it.
 * - `webhook_deliveries`: one per (event, endpoint): PENDING until a 2xx (DELIVERED) or 3 days
 *   of failed attempts (FAILED); `next_attempt_at` is the retry schedule, on the business clock;
 *   the last attempt's outcome and the history of every attempt (status code, error, duration).
 */
export class Webhooks1764780000000 implements MigrationInterface {
  name = 'Webhooks1764780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_endpoints (
        id                          uuid        NOT NULL DEFAULT gen_random_uuid(),
        owner_id                    uuid        NOT NULL,
        url                         text        NOT NULL,
        description                 text        NULL,
        event_types                 text[]      NOT NULL,
        secret                      text        NOT NULL,
        previous_secret             text        NULL,
        previous_secret_expires_at  timestamptz NULL,
        status                      text        NOT NULL DEFAULT 'ACTIVE',
        disabled_at                 timestamptz NULL,
        disabled_reason             text        NULL,
        failing_since               timestamptz NULL,
        created_at                  timestamptz NOT NULL,
        updated_at                  timestamptz NOT NULL,
        CONSTRAINT pk_webhook_endpoints PRIMARY KEY (id),
        CONSTRAINT fk_webhook_endpoints_owner FOREIGN KEY (owner_id) REFERENCES users (id),
        CONSTRAINT ck_webhook_endpoints_status CHECK (status IN ('ACTIVE', 'DISABLED')),
        CONSTRAINT ck_webhook_endpoints_disabled CHECK ((status = 'DISABLED') = (disabled_at IS NOT NULL)),
        CONSTRAINT ck_webhook_endpoints_url CHECK (url ~ '^https?://' AND length(url) <= 2048),
        CONSTRAINT ck_webhook_endpoints_types CHECK (cardinality(event_types) BETWEEN 1 AND 32),
        CONSTRAINT ck_webhook_endpoints_secret CHECK (secret LIKE 'whsec\\_%'),
        CONSTRAINT ck_webhook_endpoints_previous CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_webhook_endpoints_owner ON webhook_endpoints (owner_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_events (
        id           text        NOT NULL,
        user_id      uuid        NOT NULL,
        type         text        NOT NULL,
        occurred_at  timestamptz NOT NULL,
        body         text        NOT NULL,
        created_at   timestamptz NOT NULL,
        CONSTRAINT pk_webhook_events PRIMARY KEY (id),
        CONSTRAINT fk_webhook_events_user FOREIGN KEY (user_id) REFERENCES users (id),
        CONSTRAINT ck_webhook_events_id CHECK (id ~ '^evt_[A-Za-z0-9_-]{16,64}$')
      )`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
        event_id               text        NOT NULL,
        endpoint_id            uuid        NOT NULL,
        status                 text        NOT NULL DEFAULT 'PENDING',
        attempts               integer     NOT NULL DEFAULT 0,
        next_attempt_at        timestamptz NULL,
        first_attempt_at       timestamptz NULL,
        last_attempt_at        timestamptz NULL,
        last_status_code       integer     NULL,
        last_error             text        NULL,
        last_duration_ms       integer     NULL,
        last_response_excerpt  text        NULL,
        delivered_at           timestamptz NULL,
        history                jsonb       NOT NULL DEFAULT '[]',
        created_at             timestamptz NOT NULL,
        CONSTRAINT pk_webhook_deliveries PRIMARY KEY (id),
        CONSTRAINT fk_webhook_deliveries_event FOREIGN KEY (event_id) REFERENCES webhook_events (id),
        CONSTRAINT fk_webhook_deliveries_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        CONSTRAINT uq_webhook_deliveries_event_endpoint UNIQUE (event_id, endpoint_id),
        CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        CONSTRAINT ck_webhook_deliveries_pending CHECK ((status = 'PENDING') = (next_attempt_at IS NOT NULL)),
        CONSTRAINT ck_webhook_deliveries_excerpt CHECK (length(last_response_excerpt) <= 4096)
      )`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_deliveries');
    await q.query('DROP TABLE webhook_events');
    await q.query('DROP TABLE webhook_endpoints');
  }
}
