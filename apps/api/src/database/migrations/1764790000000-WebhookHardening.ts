import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hardening of outbound webhooks, owned by the webhooks module.
 *
 * - `webhook_manual_sends`: one row per test event or replay an owner asked for, so the
 *   per-endpoint limit on them is counted in the database (it holds across API processes) over
 *   a sliding minute; rows older than a day are pruned with the retention job.
 * - `webhook_endpoints.consecutive_failures` / `circuit_open_until`: a circuit breaker. After a
 *   run of failed automatic attempts the endpoint's due deliveries are postponed to
 *   `circuit_open_until` instead of each being attempted (a receiver that always times out no
 *   longer takes the workers' lanes from everyone else).
 * - `created_at` indexes for the retention job, which deletes old events and deliveries.
 */
export class WebhookHardening1764790000000 implements MigrationInterface {
  name = 'WebhookHardening1764790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_manual_sends (
        id           bigint      GENERATED ALWAYS AS IDENTITY,
        endpoint_id  uuid        NOT NULL,
        kind         text        NOT NULL,
        at           timestamptz NOT NULL,
        CONSTRAINT pk_webhook_manual_sends PRIMARY KEY (id),
        CONSTRAINT fk_webhook_manual_sends_endpoint FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        CONSTRAINT ck_webhook_manual_sends_kind CHECK (kind IN ('test', 'replay'))
      )`);
    await q.query(`CREATE INDEX ix_webhook_manual_sends_endpoint_at ON webhook_manual_sends (endpoint_id, at)`);
    await q.query(`CREATE INDEX ix_webhook_manual_sends_at ON webhook_manual_sends (at)`);
    await q.query(`
      ALTER TABLE webhook_endpoints
        ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN circuit_open_until timestamptz NULL,
        ADD CONSTRAINT ck_webhook_endpoints_consecutive_failures CHECK (consecutive_failures >= 0)`);
    await q.query(`CREATE INDEX ix_webhook_events_created ON webhook_events (created_at)`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_created ON webhook_deliveries (created_at) WHERE status <> 'PENDING'`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_webhook_deliveries_event');
    await q.query('DROP INDEX ix_webhook_deliveries_created');
    await q.query('DROP INDEX ix_webhook_events_created');
    await q.query(`
      ALTER TABLE webhook_endpoints
        DROP CONSTRAINT ck_webhook_endpoints_consecutive_failures,
        DROP COLUMN circuit_open_until,
        DROP COLUMN consecutive_failures`);
    await q.query('DROP TABLE webhook_manual_sends');
  }
}
