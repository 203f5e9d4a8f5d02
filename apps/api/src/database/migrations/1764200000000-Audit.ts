import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tamper-evident audit trail (ARCHITECTURE §6).
 *
 * `audit_events` is a hash chain: `seq` is assigned gap-free by AuditService.record (under an
 * advisory lock, not by a sequence, which would leave gaps on rollback) and every row's
 * `hash` covers its `prev_hash` and every other column (see modules/audit/audit-chain.ts).
 * `audit_checkpoints` holds Ed25519-signed snapshots of the chain head.
 *
 * Both tables are append-only: `reject_mutation()` refuses UPDATE, DELETE and TRUNCATE. It is
 * generic so later append-only tables (referrals, ledger_entries, ...) attach it with one
 * statement:
 *
 *   CREATE TRIGGER <table>_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON <table>
 *     FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation();
 *
 * The trigger is statement-level, so even an UPDATE/DELETE matching no row is refused.
 * `actor_id` has no foreign key on purpose: the audit must outlive anything it mentions.
 */
export class Audit1764200000000 implements MigrationInterface {
  name = 'Audit1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% on table "%" is not allowed: it is append-only', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation',
                HINT = 'Record a correction as a new row instead of changing history.';
      END
      $$`);

    await q.query(`
      CREATE TABLE audit_events (
        seq bigint NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor_id uuid NULL,
        actor_role text NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id text NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        CONSTRAINT pk_audit_events PRIMARY KEY (seq),
        CONSTRAINT uq_audit_events_hash UNIQUE (hash),
        CONSTRAINT ck_audit_events_seq CHECK (seq >= 1),
        CONSTRAINT ck_audit_events_action CHECK (length(action) BETWEEN 1 AND 200),
        CONSTRAINT ck_audit_events_subject_type CHECK (length(subject_type) BETWEEN 1 AND 100),
        CONSTRAINT ck_audit_events_payload CHECK (jsonb_typeof(payload) = 'object'),
        CONSTRAINT ck_audit_events_prev_hash CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_audit_events_hash CHECK (hash ~ '^[0-9a-f]{64}$')
      )`);
    await q.query('CREATE INDEX ix_audit_events_occurred_at ON audit_events (occurred_at)');
    await q.query('CREATE INDEX ix_audit_events_action ON audit_events (action, seq)');
    await q.query('CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, seq) WHERE actor_id IS NOT NULL');
    await q.query('CREATE INDEX ix_audit_events_subject ON audit_events (subject_type, subject_id, seq)');
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);

    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY,
        head_seq bigint NOT NULL,
        head_hash text NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        public_key text NOT NULL,
        CONSTRAINT pk_audit_checkpoints PRIMARY KEY (id),
        CONSTRAINT ck_audit_checkpoints_head_seq CHECK (head_seq >= 0),
        CONSTRAINT ck_audit_checkpoints_head_hash CHECK (head_hash ~ '^[0-9a-f]{64}$')
      )`);
    await q.query('CREATE INDEX ix_audit_checkpoints_head_seq ON audit_checkpoints (head_seq DESC, id DESC)');
    await q.query(`
      CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_checkpoints
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_checkpoints');
    await q.query('DROP TABLE audit_events');
    await q.query('DROP FUNCTION reject_mutation()');
  }
}
