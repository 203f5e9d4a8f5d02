import { Client } from 'pg';
import { openTestApps } from './test-app';

/**
 * After every integration test, for every TestApp the spec still has open: the ledger's daily
 * party rollup (`ledger_party_daily`) and its running balances (`ledger_party_balances`: the
 * same sums per party, account and currency over all days, with the first and last local day)
 * must equal the same sums recomputed from the raw ledger (`ledger_entries` ⨝
 * `ledger_transactions`). Any difference fails the test that just ran.
 *
 * The recomputation is written here, independently of the ledger module (no module code is
 * called): for each entry of a party account, by its transaction's kind — PAYMENT: one payment,
 * the transaction's stripe_clearing debit as gross, −amount accrued; REFUND: one refund, the
 * transaction's −stripe_clearing as refunded gross, amount reversed; PAYOUT: amount paid out;
 * PAYOUT_REVERSAL: −amount reversed payouts; always amount into net and one entry.
 *
 * It reads in one statement (one snapshot), so postings still running in the background
 * (webhooks, jobs) are either wholly in or wholly out. A spec that injects a difference on
 * purpose (the reconciliation spec) restores the row before its test ends.
 */
const CHECK_SQL = `
  WITH entries AS (
         SELECT e.party_id, e.account, e.currency, e.local_day, e.amount_minor, t.kind,
                coalesce(sum(e.amount_minor) FILTER (WHERE e.account = 'stripe_clearing')
                           OVER (PARTITION BY e.transaction_id), 0) AS txn_clearing
           FROM ledger_entries e
           JOIN ledger_transactions t ON t.id = e.transaction_id),
       expected AS (
         SELECT party_id, account, currency, local_day AS day,
                sum(CASE WHEN kind = 'PAYMENT' THEN 1 ELSE 0 END)::bigint AS payments_count,
                sum(CASE WHEN kind = 'PAYMENT' THEN txn_clearing ELSE 0 END)::bigint AS gross_minor,
                sum(CASE WHEN kind = 'PAYMENT' THEN -amount_minor ELSE 0 END)::bigint AS accrued_minor,
                sum(CASE WHEN kind = 'REFUND' THEN 1 ELSE 0 END)::bigint AS refunds_count,
                sum(CASE WHEN kind = 'REFUND' THEN -txn_clearing ELSE 0 END)::bigint AS refunded_gross_minor,
                sum(CASE WHEN kind = 'REFUND' THEN amount_minor ELSE 0 END)::bigint AS reversed_minor,
                sum(CASE WHEN kind = 'PAYOUT' THEN amount_minor ELSE 0 END)::bigint AS paid_out_minor,
                sum(CASE WHEN kind = 'PAYOUT_REVERSAL' THEN -amount_minor ELSE 0 END)::bigint AS payouts_reversed_minor,
                sum(amount_minor)::bigint AS net_minor,
                count(*)::bigint AS entry_count
           FROM entries
          WHERE account IN ('lawyer_payable', 'partner_commission_payable')
          GROUP BY party_id, account, currency, local_day),
       expected_balances AS (
         SELECT party_id, account, currency,
                sum(CASE WHEN kind = 'PAYMENT' THEN 1 ELSE 0 END)::bigint AS payments_count,
                sum(CASE WHEN kind = 'PAYMENT' THEN txn_clearing ELSE 0 END)::bigint AS gross_minor,
                sum(CASE WHEN kind = 'PAYMENT' THEN -amount_minor ELSE 0 END)::bigint AS accrued_minor,
                sum(CASE WHEN kind = 'REFUND' THEN 1 ELSE 0 END)::bigint AS refunds_count,
                sum(CASE WHEN kind = 'REFUND' THEN -txn_clearing ELSE 0 END)::bigint AS refunded_gross_minor,
                sum(CASE WHEN kind = 'REFUND' THEN amount_minor ELSE 0 END)::bigint AS reversed_minor,
                sum(CASE WHEN kind = 'PAYOUT' THEN amount_minor ELSE 0 END)::bigint AS paid_out_minor,
                sum(CASE WHEN kind = 'PAYOUT_REVERSAL' THEN -amount_minor ELSE 0 END)::bigint AS payouts_reversed_minor,
                sum(amount_minor)::bigint AS net_minor,
                count(*)::bigint AS entry_count,
                min(local_day) AS first_day,
                max(local_day) AS last_day
           FROM entries
          WHERE account IN ('lawyer_payable', 'partner_commission_payable')
          GROUP BY party_id, account, currency),
       actual_balances AS (
         SELECT party_id, account, currency, payments_count::bigint, gross_minor::bigint, accrued_minor::bigint,
                refunds_count::bigint, refunded_gross_minor::bigint, reversed_minor::bigint, paid_out_minor::bigint,
                payouts_reversed_minor::bigint, net_minor::bigint, entry_count::bigint, first_day, last_day
           FROM ledger_party_balances),
       actual AS (
         SELECT party_id, account, currency, day, payments_count::bigint, gross_minor::bigint, accrued_minor::bigint,
                refunds_count::bigint, refunded_gross_minor::bigint, reversed_minor::bigint, paid_out_minor::bigint,
                payouts_reversed_minor::bigint, net_minor::bigint, entry_count::bigint
           FROM ledger_party_daily),
       only_expected AS (SELECT * FROM expected EXCEPT ALL SELECT * FROM actual),
       only_actual AS (SELECT * FROM actual EXCEPT ALL SELECT * FROM expected),
       only_expected_balances AS (SELECT * FROM expected_balances EXCEPT ALL SELECT * FROM actual_balances),
       only_actual_balances AS (SELECT * FROM actual_balances EXCEPT ALL SELECT * FROM expected_balances)
  SELECT side, party_id, account, currency, day::text AS day, payments_count, gross_minor, accrued_minor, refunds_count,
         refunded_gross_minor, reversed_minor, paid_out_minor, payouts_reversed_minor, net_minor, entry_count,
         first_day::text AS first_day, last_day::text AS last_day
    FROM (SELECT 'recomputed from the ledger' AS side, *, NULL::date AS first_day, NULL::date AS last_day FROM only_expected
          UNION ALL
          SELECT 'in ledger_party_daily' AS side, *, NULL::date, NULL::date FROM only_actual
          UNION ALL
          SELECT 'balance recomputed from the ledger' AS side, party_id, account, currency, NULL::date AS day, payments_count,
                 gross_minor, accrued_minor, refunds_count, refunded_gross_minor, reversed_minor, paid_out_minor,
                 payouts_reversed_minor, net_minor, entry_count, first_day, last_day
            FROM only_expected_balances
          UNION ALL
          SELECT 'in ledger_party_balances' AS side, party_id, account, currency, NULL::date, payments_count, gross_minor,
                 accrued_minor, refunds_count, refunded_gross_minor, reversed_minor, paid_out_minor, payouts_reversed_minor,
                 net_minor, entry_count, first_day, last_day
            FROM only_actual_balances) d
   ORDER BY party_id, account, currency, day NULLS LAST, side
   LIMIT 40`;

/**
 * Rows that differ between the rollup tables and the recomputation (both sides shown: daily rows
 * with their `day`, balance rows with `day` null and their first and last day), or [] when equal.
 */
export async function ledgerRollupDifferences(databaseUrl: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'lm-test-ledger-rollups-check' });
  client.on('error', () => undefined); // a database dropped under us is reported by the query
  await client.connect();
  try {
    return (await client.query(CHECK_SQL)).rows;
  } finally {
    await client.end();
  }
}

afterEach(async () => {
  for (const t of [...openTestApps]) {
    let rows: Record<string, unknown>[];
    try {
      rows = await ledgerRollupDifferences(t.db.url);
    } catch (e) {
      // The app was closed (its database dropped) while we looked: nothing left to check.
      if (!openTestApps.has(t)) continue;
      throw e;
    }
    if (rows.length > 0) {
      throw new Error(
        `ledger_party_daily or ledger_party_balances differs from the ledger in database ${t.db.name} ` +
          `(each differing row from both sides, at most 40):\n${rows.map((r) => JSON.stringify(r)).join('\n')}`,
      );
    }
  }
});
