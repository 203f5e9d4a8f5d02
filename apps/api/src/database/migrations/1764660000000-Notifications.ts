import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications module (issue 11): the in-app notification centre and per-user email
 * preferences for non-essential messages, plus an HTML body next to the text in the mail outbox.
 *
 * - `notifications`: one row per message to one user. `dedupe_key` (unique per user) makes a
 *   repeated notify a no-op, which is what keeps reminders idempotent when their job runs twice.
 * - `notification_preferences`: only non-essential kinds can be muted (reminders, session
 *   updates); payments, bookings, changes, cancellations, refunds and verification always go out.
 */
export class Notifications1764660000000 implements MigrationInterface {
  name = 'Notifications1764660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id          uuid        NOT NULL DEFAULT gen_random_uuid(),
        user_id     uuid        NOT NULL,
        kind        text        NOT NULL,
        title       text        NOT NULL,
        body        text        NOT NULL,
        link_path   text,
        params      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        dedupe_key  text,
        read_at     timestamptz,
        created_at  timestamptz NOT NULL,
        CONSTRAINT pk_notifications PRIMARY KEY (id),
        CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT uq_notifications_dedupe UNIQUE (user_id, dedupe_key),
        CONSTRAINT ck_notifications_link_path CHECK (link_path IS NULL OR link_path ~ '^/[^/]'),
        CONSTRAINT ck_notifications_params CHECK (jsonb_typeof(params) = 'object')
      )
    `);
    await q.query(`CREATE INDEX ix_notifications_user_newest ON notifications (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_notifications_user_unread ON notifications (user_id, created_at DESC) WHERE read_at IS NULL`);
    await q.query(`
      CREATE TABLE notification_preferences (
        user_id               uuid        NOT NULL,
        email_reminders       boolean     NOT NULL DEFAULT true,
        email_session_updates boolean     NOT NULL DEFAULT true,
        updated_at            timestamptz NOT NULL,
        CONSTRAINT pk_notification_preferences PRIMARY KEY (user_id),
        CONSTRAINT fk_notification_preferences_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )
    `);
    await q.query(`ALTER TABLE email_outbox ADD COLUMN body_html text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE email_outbox DROP COLUMN body_html`);
    await q.query('DROP TABLE notification_preferences');
    await q.query('DROP TABLE notifications');
  }
}
