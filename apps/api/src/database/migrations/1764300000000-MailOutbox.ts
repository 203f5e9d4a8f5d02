import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outgoing email as records: every message is written here in the transaction of the change
 * that causes it, then sent by a job. Without SMTP (embedded mode) messages are CAPTURED and
 * readable by admins instead of sent.
 */
export class MailOutbox1764300000000 implements MigrationInterface {
  name = 'MailOutbox1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_outbox (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        to_address citext NOT NULL,
        template text NOT NULL,
        subject text NOT NULL,
        body_text text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        attempts integer NOT NULL DEFAULT 0,
        last_error text NULL,
        user_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz NULL,
        CONSTRAINT pk_email_outbox PRIMARY KEY (id),
        CONSTRAINT ck_email_outbox_status CHECK (status IN ('PENDING', 'SENT', 'CAPTURED', 'FAILED')),
        CONSTRAINT ck_email_outbox_attempts CHECK (attempts >= 0),
        CONSTRAINT ck_email_outbox_subject CHECK (length(subject) BETWEEN 1 AND 300)
      )`);
    await q.query('CREATE INDEX ix_email_outbox_created_at ON email_outbox (created_at DESC, id DESC)');
    await q.query('CREATE INDEX ix_email_outbox_to_address ON email_outbox (to_address)');
    await q.query(`CREATE INDEX ix_email_outbox_pending ON email_outbox (created_at) WHERE status = 'PENDING'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE email_outbox');
  }
}
