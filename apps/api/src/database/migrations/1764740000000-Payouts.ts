import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Manual payouts (issue 14, finance module): the admin pays a partner or lawyer outside the
 * platform (bank transfer, PayPal, …) and records it here; the same transaction posts it to the
 * ledger (payable → payout_clearing).
 *
 * - `payouts`: one row per payout actually made. `idempotency_key` is unique: a retried request
 *   with the same key finds the first payout (its `request_hash`, SHA-256 of the canonical body,
 *   tells a replay from a different request reusing the key). `amount_minor` is positive;
 *   `ledger_transaction_id` is the PAYOUT transaction posted with it.
 * - `payout_reversals`: a payout entered by mistake is corrected by a reversal (once per payout,
 *   the primary key), never by a delete; `ledger_transaction_id` is the PAYOUT_REVERSAL.
 * - Both are append-only (`reject_mutation()`): what was paid, and what was corrected, is never
 *   rewritten.
 */
export class Payouts1764740000000 implements MigrationInterface {
  name = 'Payouts1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE payouts (
        id                    uuid        NOT NULL,
        payee_id              uuid        NOT NULL,
        payee_role            text        NOT NULL,
        account               text        NOT NULL,
        currency              text        NOT NULL,
        amount_minor          bigint      NOT NULL,
        method                text        NOT NULL,
        reference             text        NOT NULL,
        paid_at               timestamptz NOT NULL,
        recorded_by           uuid        NOT NULL,
        idempotency_key       text        NOT NULL,
        request_hash          text        NOT NULL,
        ledger_transaction_id uuid        NOT NULL,
        created_at            timestamptz NOT NULL,
        CONSTRAINT pk_payouts PRIMARY KEY (id),
        CONSTRAINT uq_payouts_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT uq_payouts_ledger_transaction UNIQUE (ledger_transaction_id),
        CONSTRAINT fk_payouts_payee FOREIGN KEY (payee_id) REFERENCES users (id),
        CONSTRAINT fk_payouts_recorded_by FOREIGN KEY (recorded_by) REFERENCES users (id),
        CONSTRAINT fk_payouts_ledger_transaction FOREIGN KEY (ledger_transaction_id) REFERENCES ledger_transactions (id),
        CONSTRAINT ck_payouts_payee_role CHECK (payee_role IN ('LAWYER', 'PARTNER')),
        CONSTRAINT ck_payouts_account CHECK (
          (payee_role = 'LAWYER' AND account = 'lawyer_payable') OR (payee_role = 'PARTNER' AND account = 'partner_commission_payable')),
        CONSTRAINT ck_payouts_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_payouts_amount CHECK (amount_minor > 0),
        CONSTRAINT ck_payouts_method CHECK (method IN ('BANK_TRANSFER', 'PAYPAL', 'WISE', 'CHECK', 'OTHER')),
        CONSTRAINT ck_payouts_reference CHECK (char_length(reference) BETWEEN 1 AND 140),
        CONSTRAINT ck_payouts_idempotency_key CHECK (idempotency_key ~ '^[!-~]{1,255}$'),
        CONSTRAINT ck_payouts_request_hash CHECK (request_hash ~ '^[0-9a-f]{64}$')
      )
    `);
    await q.query('CREATE INDEX ix_payouts_payee ON payouts (payee_id, created_at DESC, id DESC)');
    await q.query('CREATE INDEX ix_payouts_created ON payouts (created_at DESC, id DESC)');
    await q.query(`
      CREATE TRIGGER payouts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payouts
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);

    await q.query(`
      CREATE TABLE payout_reversals (
        payout_id             uuid        NOT NULL,
        reason                text        NOT NULL,
        reversed_by           uuid        NOT NULL,
        ledger_transaction_id uuid        NOT NULL,
        created_at            timestamptz NOT NULL,
        CONSTRAINT pk_payout_reversals PRIMARY KEY (payout_id),
        CONSTRAINT uq_payout_reversals_ledger_transaction UNIQUE (ledger_transaction_id),
        CONSTRAINT fk_payout_reversals_payout FOREIGN KEY (payout_id) REFERENCES payouts (id),
        CONSTRAINT fk_payout_reversals_reversed_by FOREIGN KEY (reversed_by) REFERENCES users (id),
        CONSTRAINT fk_payout_reversals_ledger_transaction FOREIGN KEY (ledger_transaction_id) REFERENCES ledger_transactions (id),
        CONSTRAINT ck_payout_reversals_reason CHECK (char_length(reason) BETWEEN 1 AND 500)
      )
    `);
    await q.query(`
      CREATE TRIGGER payout_reversals_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON payout_reversals
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payout_reversals');
    await q.query('DROP TABLE payouts');
  }
}
