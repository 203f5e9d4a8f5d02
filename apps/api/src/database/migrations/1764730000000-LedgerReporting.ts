import { MigrationInterface, QueryRunner } from 'typeorm';

/** The daily rollup of party accounts, recomputed from the raw ledger (the backfill; the bench seeder uses it too). */
export const BACKFILL_PARTY_DAILY_SQL = `
      INSERT INTO ledger_party_daily (party_id, account, currency, day, payments_count, gross_minor, accrued_minor,
                                      refunds_count, refunded_gross_minor, reversed_minor, paid_out_minor,
                                      payouts_reversed_minor, net_minor, entry_count)
      SELECT e.party_id, e.account, e.currency, e.local_day,
             count(*) FILTER (WHERE t.kind = 'PAYMENT'),
             coalesce(sum(c.clearing) FILTER (WHERE t.kind = 'PAYMENT'), 0),
             coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind = 'PAYMENT'), 0),
             count(*) FILTER (WHERE t.kind = 'REFUND'),
             coalesce(sum(-c.clearing) FILTER (WHERE t.kind = 'REFUND'), 0),
             coalesce(sum(e.amount_minor) FILTER (WHERE t.kind = 'REFUND'), 0),
             coalesce(sum(e.amount_minor) FILTER (WHERE t.kind = 'PAYOUT'), 0),
             coalesce(sum(-e.amount_minor) FILTER (WHERE t.kind = 'PAYOUT_REVERSAL'), 0),
             sum(e.amount_minor),
             count(*)
        FROM ledger_entries e
        JOIN ledger_transactions t ON t.id = e.transaction_id
        LEFT JOIN (SELECT transaction_id, sum(amount_minor) AS clearing
                     FROM ledger_entries WHERE account = 'stripe_clearing' GROUP BY transaction_id) c
          ON c.transaction_id = e.transaction_id
       WHERE e.party_id IS NOT NULL
       GROUP BY e.party_id, e.account, e.currency, e.local_day`;

/** The running balance per payable, summed from the daily rollup (the backfill; the bench seeder uses it too). */
export const BACKFILL_PARTY_BALANCES_SQL = `
      INSERT INTO ledger_party_balances (party_id, account, currency, payments_count, gross_minor, accrued_minor,
                                         refunds_count, refunded_gross_minor, reversed_minor, paid_out_minor,
                                         payouts_reversed_minor, net_minor, entry_count, first_day, last_day)
      SELECT party_id, account, currency, sum(payments_count), sum(gross_minor), sum(accrued_minor),
             sum(refunds_count), sum(refunded_gross_minor), sum(reversed_minor), sum(paid_out_minor),
             sum(payouts_reversed_minor), sum(net_minor), sum(entry_count), min(day), max(day)
        FROM ledger_party_daily
       GROUP BY party_id, account, currency`;

/** Conversions from the payments already in the ledger: the first PAYMENT of a session of the referred user. */
export const BACKFILL_REFERRAL_CONVERSIONS_SQL = `
      INSERT INTO referral_conversions (referral_id, partner_id, referred_user_id, role, payment_id, converted_at, signed_up_at)
      SELECT DISTINCT ON (r.id) r.id, r.partner_id, r.referred_user_id, r.role, t.payment_id, t.created_at, r.created_at
        FROM referrals r
        JOIN session_bookings s ON r.referred_user_id IN (s.client_id, s.lawyer_id)
        JOIN ledger_transactions t ON t.kind = 'PAYMENT' AND t.session_id = s.id AND t.payment_id IS NOT NULL
       ORDER BY r.id, t.created_at, t.id`;

/**
 * Ledger reporting (issue 14): what partner and lawyer reports, statements and manual payouts
 * read, kept fast when the ledger holds millions of entries.
 *
 * ledger:
 * - `ledger_transactions.payout_id`: a manual payout (kind PAYOUT) and its correction (kind
 *   PAYOUT_REVERSAL, `reverses_id` = the PAYOUT) are posted once per payout (partial unique
 *   indexes). `payout_clearing` is a platform account (no party): money that left us to a payee.
 * - `ledger_entries.local_day`: the party's calendar date at posting in their zone
 *   (users.time_zone via `user_directory`), the UTC date for platform accounts. Written by the
 *   ledger at posting; backfilled here for existing rows (the append-only trigger is disabled
 *   for that one UPDATE, inside this migration's transaction only).
 * - `ledger_party_daily`: per (party, account, currency, local day) the sums of the party
 *   accounts (lawyer_payable, partner_commission_payable), maintained by LedgerService in the
 *   transaction of every posting (upsert +=), so reports read O(days) rows, not O(entries); the
 *   sums are included in the primary key's index, so a party's days are an index-only range.
 *   For each entry, by transaction kind: PAYMENT payments_count+1, gross_minor += the payment
 *   (the transaction's stripe_clearing debit), accrued_minor += -amount; REFUND refunds_count+1,
 *   refunded_gross_minor += the refund (-clearing), reversed_minor += amount; PAYOUT
 *   paid_out_minor += amount; PAYOUT_REVERSAL payouts_reversed_minor += -amount; always
 *   net_minor += amount and entry_count+1. Owed to the payee = -net. Platform accounts are not
 *   rolled up (they would be one hot row per day). Backfilled here; the ledger's reconciliation
 *   (job + admin endpoint) compares it with the raw entries.
 * - `ledger_party_balances`: the same sums per (party, account, currency) over all days, with
 *   the first and last local day, upserted (+=) by the same posting code in the same
 *   transaction as the daily rollup, so what a payee is owed is one row (pending payouts, the
 *   payout checks, a report's opening balance) whatever the length of their history. Indexed by
 *   the amount owed (−net) for the pending-payouts list. Backfilled here from the daily rollup;
 *   reconciled with the raw entries like it.
 * - Read-only views for other modules (finance, statements): `party_ledger_daily`,
 *   `payee_balances` (over `ledger_party_balances`), `party_ledger_lines`.
 *
 * partners:
 * - `referral_conversions`: a referral converts at the referred user's first paid session
 *   (client or lawyer), recorded once by the ledger's payment posting (append-only), with the
 *   referral's partner, role and sign-up time copied (referrals never change);
 *   backfilled from the payments already in the ledger. Read views: `referral_funnel` (per
 *   referral) and `referral_conversion_events` (per conversion, keyed on the conversion's own
 *   partner, so a partner's conversions of a period, or those of the referrals who signed up in
 *   a period, are one index range).
 */
export class LedgerReporting1764730000000 implements MigrationInterface {
  name = 'LedgerReporting1764730000000';

  async up(q: QueryRunner): Promise<void> {
    // ---------------------------------------------------------------- payouts in the ledger
    await q.query(`ALTER TABLE ledger_transactions ADD COLUMN payout_id uuid NULL`);
    await q.query(`ALTER TABLE ledger_transactions DROP CONSTRAINT ck_ledger_transactions_kind`);
    await q.query(`
      ALTER TABLE ledger_transactions ADD CONSTRAINT ck_ledger_transactions_kind
        CHECK (kind IN ('PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT', 'PAYOUT_REVERSAL'))`);
    await q.query(`
      ALTER TABLE ledger_transactions ADD CONSTRAINT ck_ledger_transactions_payout
        CHECK (kind NOT IN ('PAYOUT', 'PAYOUT_REVERSAL') OR payout_id IS NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX uq_ledger_transactions_payout ON ledger_transactions (payout_id) WHERE kind = 'PAYOUT'`);
    await q.query(
      `CREATE UNIQUE INDEX uq_ledger_transactions_payout_reversal ON ledger_transactions (payout_id) WHERE kind = 'PAYOUT_REVERSAL'`,
    );

    await q.query(`ALTER TABLE ledger_entries DROP CONSTRAINT ck_ledger_entries_account`);
    await q.query(`
      ALTER TABLE ledger_entries ADD CONSTRAINT ck_ledger_entries_account CHECK (account IN (
        'stripe_clearing', 'platform_revenue', 'lawyer_payable', 'partner_commission_payable', 'payout_clearing'
      ))`);

    // ---------------------------------------------------------------- local day of every entry
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN local_day date NULL`);
    await q.query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only`);
    // A zone PostgreSQL does not know (the API validates zones with the runtime's tz data) counts as UTC.
    await q.query(`
      WITH known AS MATERIALIZED (SELECT name FROM pg_timezone_names),
           zones AS MATERIALIZED (
             SELECT u.id, CASE WHEN u.time_zone IN (SELECT name FROM known) THEN u.time_zone ELSE 'UTC' END AS tz
               FROM user_directory u
              WHERE u.id IN (SELECT DISTINCT party_id FROM ledger_entries WHERE party_id IS NOT NULL))
      UPDATE ledger_entries e
         SET local_day = (e.created_at AT TIME ZONE coalesce((SELECT z.tz FROM zones z WHERE z.id = e.party_id), 'UTC'))::date`);
    await q.query(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_append_only`);
    await q.query(`ALTER TABLE ledger_entries ALTER COLUMN local_day SET NOT NULL`);
    await q.query(`
      CREATE INDEX ix_ledger_entries_party_day ON ledger_entries (party_id, account, currency, local_day, id)
        WHERE party_id IS NOT NULL`);

    // ---------------------------------------------------------------- daily rollup of party accounts
    await q.query(`
      CREATE TABLE ledger_party_daily (
        party_id               uuid    NOT NULL,
        account                text    NOT NULL,
        currency               text    NOT NULL,
        day                    date    NOT NULL,
        payments_count         integer NOT NULL DEFAULT 0,
        gross_minor            bigint  NOT NULL DEFAULT 0,
        accrued_minor          bigint  NOT NULL DEFAULT 0,
        refunds_count          integer NOT NULL DEFAULT 0,
        refunded_gross_minor   bigint  NOT NULL DEFAULT 0,
        reversed_minor         bigint  NOT NULL DEFAULT 0,
        paid_out_minor         bigint  NOT NULL DEFAULT 0,
        payouts_reversed_minor bigint  NOT NULL DEFAULT 0,
        net_minor              bigint  NOT NULL DEFAULT 0,
        entry_count            integer NOT NULL DEFAULT 0,
        -- The sums ride along in the key's index, so a report's days are an index-only range.
        CONSTRAINT pk_ledger_party_daily PRIMARY KEY (party_id, account, currency, day)
          INCLUDE (payments_count, gross_minor, accrued_minor, refunds_count, refunded_gross_minor, reversed_minor,
                   paid_out_minor, payouts_reversed_minor, net_minor, entry_count),
        CONSTRAINT ck_ledger_party_daily_account CHECK (account IN ('lawyer_payable', 'partner_commission_payable')),
        CONSTRAINT ck_ledger_party_daily_currency CHECK (currency ~ '^[A-Z]{3}$')
      )
    `);
    await q.query(BACKFILL_PARTY_DAILY_SQL);

    // ---------------------------------------------------------------- running balance of party accounts
    await q.query(`
      CREATE TABLE ledger_party_balances (
        party_id               uuid    NOT NULL,
        account                text    NOT NULL,
        currency               text    NOT NULL,
        payments_count         integer NOT NULL DEFAULT 0,
        gross_minor            bigint  NOT NULL DEFAULT 0,
        accrued_minor          bigint  NOT NULL DEFAULT 0,
        refunds_count          integer NOT NULL DEFAULT 0,
        refunded_gross_minor   bigint  NOT NULL DEFAULT 0,
        reversed_minor         bigint  NOT NULL DEFAULT 0,
        paid_out_minor         bigint  NOT NULL DEFAULT 0,
        payouts_reversed_minor bigint  NOT NULL DEFAULT 0,
        net_minor              bigint  NOT NULL DEFAULT 0,
        entry_count            integer NOT NULL DEFAULT 0,
        first_day              date    NOT NULL,
        last_day               date    NOT NULL,
        CONSTRAINT pk_ledger_party_balances PRIMARY KEY (party_id, account, currency),
        CONSTRAINT ck_ledger_party_balances_account CHECK (account IN ('lawyer_payable', 'partner_commission_payable')),
        CONSTRAINT ck_ledger_party_balances_currency CHECK (currency ~ '^[A-Z]{3}$'),
        CONSTRAINT ck_ledger_party_balances_days CHECK (first_day <= last_day)
      )
    `);
    // Owed = −net: the pending-payouts list filters (owed ≥ threshold) and orders (owed desc) on it.
    await q.query('CREATE INDEX ix_ledger_party_balances_owed ON ledger_party_balances ((-net_minor))');
    await q.query(BACKFILL_PARTY_BALANCES_SQL);

    // ---------------------------------------------------------------- ledger read views
    await q.query(`
      CREATE VIEW party_ledger_daily AS
      SELECT party_id, account, currency, day, payments_count, gross_minor, accrued_minor, refunds_count,
             refunded_gross_minor, reversed_minor, paid_out_minor, payouts_reversed_minor, net_minor, entry_count
        FROM ledger_party_daily`);
    // owed_minor is exactly the expression of ix_ledger_party_balances_owed.
    await q.query(`
      CREATE VIEW payee_balances AS
      SELECT party_id AS payee_id, account, currency,
             (-net_minor) AS owed_minor,
             accrued_minor,
             reversed_minor,
             (paid_out_minor - payouts_reversed_minor) AS paid_out_minor,
             first_day,
             last_day
        FROM ledger_party_balances`);
    await q.query(`
      CREATE VIEW party_ledger_lines AS
      SELECT e.id AS entry_id, e.transaction_id, t.kind, e.party_id, e.account, e.currency, e.amount_minor,
             e.local_day, e.created_at, t.description, t.session_id, t.payment_id, t.payout_id,
             t.refund_id, t.reverses_id
        FROM ledger_entries e
        JOIN ledger_transactions t ON t.id = e.transaction_id
       WHERE e.party_id IS NOT NULL`);

    // ---------------------------------------------------------------- partners: conversions
    await q.query(`
      CREATE TABLE referral_conversions (
        referral_id      uuid        NOT NULL,
        partner_id       uuid        NOT NULL,
        referred_user_id uuid        NOT NULL,
        role             text        NOT NULL,
        payment_id       uuid        NOT NULL,
        converted_at     timestamptz NOT NULL,
        signed_up_at     timestamptz NOT NULL,
        CONSTRAINT pk_referral_conversions PRIMARY KEY (referral_id),
        CONSTRAINT fk_referral_conversions_partner FOREIGN KEY (partner_id) REFERENCES users (id),
        CONSTRAINT fk_referral_conversions_referred_user FOREIGN KEY (referred_user_id) REFERENCES users (id),
        CONSTRAINT ck_referral_conversions_role CHECK (role IN ('CLIENT', 'LAWYER', 'PARTNER'))
      )
    `);
    // No foreign key to referrals: rows are only ever inserted from a referral (INSERT … SELECT),
    // and a key would make TRUNCATE referrals fail on the key instead of on its append-only trigger.
    // What reports count, index-only (the rows never change): a partner's conversions of a period,
    // and the conversions of the partner's referrals who signed up in a period (the funnel's cohort).
    await q.query(
      'CREATE INDEX ix_referral_conversions_partner ON referral_conversions (partner_id, converted_at) INCLUDE (role)',
    );
    await q.query(
      'CREATE INDEX ix_referral_conversions_cohort ON referral_conversions (partner_id, signed_up_at) INCLUDE (role, converted_at)',
    );
    await q.query(`
      CREATE TRIGGER referral_conversions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON referral_conversions
        FOR EACH STATEMENT EXECUTE FUNCTION reject_mutation()`);
    // The first PAYMENT posted for a session of the referred user (as client or lawyer).
    await q.query(BACKFILL_REFERRAL_CONVERSIONS_SQL);
    await q.query(`
      CREATE VIEW referral_funnel AS
      SELECT r.partner_id, r.referred_user_id, r.role, r.created_at AS signed_up_at, c.converted_at,
             r.id AS referral_id, c.payment_id
        FROM referrals r
        LEFT JOIN referral_conversions c ON c.referral_id = r.id`);
    // Conversions keyed on their own partner and time (ix_referral_conversions_partner) or sign-up
    // time (ix_referral_conversions_cohort), with no join.
    await q.query(`
      CREATE VIEW referral_conversion_events AS
      SELECT partner_id, role, converted_at, signed_up_at, referral_id, referred_user_id, payment_id
        FROM referral_conversions`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW referral_conversion_events');
    await q.query('DROP VIEW referral_funnel');
    await q.query('DROP TABLE referral_conversions');
    await q.query('DROP VIEW party_ledger_lines');
    await q.query('DROP VIEW payee_balances');
    await q.query('DROP VIEW party_ledger_daily');
    await q.query('DROP TABLE ledger_party_balances');
    await q.query('DROP TABLE ledger_party_daily');
    await q.query('DROP INDEX ix_ledger_entries_party_day');
    await q.query('ALTER TABLE ledger_entries DROP COLUMN local_day');
    await q.query(`ALTER TABLE ledger_entries DROP CONSTRAINT ck_ledger_entries_account`);
    await q.query(`
      ALTER TABLE ledger_entries ADD CONSTRAINT ck_ledger_entries_account CHECK (account IN (
        'stripe_clearing', 'platform_revenue', 'lawyer_payable', 'partner_commission_payable'
      ))`);
    await q.query('DROP INDEX uq_ledger_transactions_payout_reversal');
    await q.query('DROP INDEX uq_ledger_transactions_payout');
    await q.query('ALTER TABLE ledger_transactions DROP CONSTRAINT ck_ledger_transactions_payout');
    await q.query(`ALTER TABLE ledger_transactions DROP CONSTRAINT ck_ledger_transactions_kind`);
    await q.query(`
      ALTER TABLE ledger_transactions ADD CONSTRAINT ck_ledger_transactions_kind
        CHECK (kind IN ('PAYMENT', 'REFUND', 'ADJUSTMENT', 'PAYOUT'))`);
    await q.query('ALTER TABLE ledger_transactions DROP COLUMN payout_id');
  }
}
