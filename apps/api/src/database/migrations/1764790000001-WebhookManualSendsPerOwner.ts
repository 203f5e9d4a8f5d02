import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The limit on test events and replays is counted per owner as well as per endpoint, so deleting
 * and re-creating an endpoint (or spreading the sends over many endpoints) does not reset it.
 *
 * - `webhook_manual_sends.owner_id`: who asked (backfilled from the endpoint).
 * - The rows now outlive their endpoint: deleting an endpoint sets `endpoint_id` to NULL instead
 *   of deleting its rows, which the owner's count still sees. The retention job prunes them after
 *   a day like any other.
 */
export class WebhookManualSendsPerOwner1764790000001 implements MigrationInterface {
  name = 'WebhookManualSendsPerOwner1764790000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_manual_sends ADD COLUMN owner_id uuid NULL`);
    await q.query(`
      UPDATE webhook_manual_sends s SET owner_id = e.owner_id
        FROM webhook_endpoints e WHERE e.id = s.endpoint_id`);
    await q.query(`
      ALTER TABLE webhook_manual_sends
        ALTER COLUMN owner_id SET NOT NULL,
        ALTER COLUMN endpoint_id DROP NOT NULL,
        DROP CONSTRAINT fk_webhook_manual_sends_endpoint,
        ADD CONSTRAINT fk_webhook_manual_sends_endpoint
          FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE SET NULL,
        ADD CONSTRAINT fk_webhook_manual_sends_owner FOREIGN KEY (owner_id) REFERENCES users (id)`);
    await q.query(`CREATE INDEX ix_webhook_manual_sends_owner_at ON webhook_manual_sends (owner_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_webhook_manual_sends_owner_at');
    await q.query('DELETE FROM webhook_manual_sends WHERE endpoint_id IS NULL');
    await q.query(`
      ALTER TABLE webhook_manual_sends
        DROP CONSTRAINT fk_webhook_manual_sends_owner,
        DROP CONSTRAINT fk_webhook_manual_sends_endpoint,
        ADD CONSTRAINT fk_webhook_manual_sends_endpoint
          FOREIGN KEY (endpoint_id) REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        ALTER COLUMN endpoint_id SET NOT NULL,
        DROP COLUMN owner_id`);
  }
}
