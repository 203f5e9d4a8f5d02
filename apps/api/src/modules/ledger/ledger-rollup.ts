/**
 * The daily rollup of party accounts (`ledger_party_daily`) and their running balances
 * (`ledger_party_balances`), pure: which row of which day each posted entry adds to, and by how
 * much. LedgerService upserts both in the posting's own transaction; the reconciliation
 * recomputes the same sums from the raw entries.
 *
 * For each entry of a party account (lawyer_payable, partner_commission_payable), by the kind of
 * its transaction:
 * - PAYMENT: payments_count + 1, gross_minor += the payment (the transaction's stripe_clearing
 *   debit), accrued_minor += −amount;
 * - REFUND: refunds_count + 1, refunded_gross_minor += the refund (−stripe_clearing),
 *   reversed_minor += amount;
 * - PAYOUT: paid_out_minor += amount; PAYOUT_REVERSAL: payouts_reversed_minor += −amount;
 * - always net_minor += amount and entry_count + 1.
 * Owed to the payee = −net = accrued − reversed − paid_out + payouts_reversed.
 */
import type { LedgerLine, PayableAccount } from './ledger-math';

export type PostingKind = 'PAYMENT' | 'REFUND' | 'ADJUSTMENT' | 'PAYOUT' | 'PAYOUT_REVERSAL';

export const ROLLUP_FIELDS = [
  'payments_count',
  'gross_minor',
  'accrued_minor',
  'refunds_count',
  'refunded_gross_minor',
  'reversed_minor',
  'paid_out_minor',
  'payouts_reversed_minor',
  'net_minor',
  'entry_count',
] as const;
export type RollupField = (typeof ROLLUP_FIELDS)[number];

/** The columns of `ledger_party_balances` beyond its key: the rollup's sums and the first and last local day. */
export const BALANCE_FIELDS = [...ROLLUP_FIELDS, 'first_day', 'last_day'] as const;
export type BalanceField = (typeof BALANCE_FIELDS)[number];

export interface RollupDelta {
  partyId: string;
  account: PayableAccount;
  currency: string;
  /** YYYY-MM-DD, the party's local day of the posting. */
  day: string;
  values: Record<RollupField, number>;
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    DAY_FORMATS.set(timeZone, format);
  }
  return format;
}

/** The running balance of one party account: the daily deltas of a posting summed over its days. */
export interface BalanceDelta {
  partyId: string;
  account: PayableAccount;
  currency: string;
  /** YYYY-MM-DD: the earliest and latest local day of the deltas (the balance row keeps the min and max). */
  firstDay: string;
  lastDay: string;
  values: Record<RollupField, number>;
}

/**
 * The calendar date (YYYY-MM-DD) of `at` in `timeZone`. No zone, or one the runtime does not
 * know (the API validates zones, but old rows may predate that), is UTC.
 */
export function localDay(at: Date, timeZone: string | null | undefined): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('localDay: invalid date');
  let format: Intl.DateTimeFormat;
  try {
    format = dayFormat(timeZone && !/^[+-]/.test(timeZone) ? timeZone : 'UTC');
  } catch {
    format = dayFormat('UTC');
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

function isPayable(account: LedgerLine['account']): account is PayableAccount {
  return account === 'lawyer_payable' || account === 'partner_commission_payable';
}

function zero(): Record<RollupField, number> {
  return Object.fromEntries(ROLLUP_FIELDS.map((f) => [f, 0])) as Record<RollupField, number>;
}

/**
 * The rollup increments of one posted transaction, one per (party, account, currency, day),
 * sorted by key (concurrent postings then lock rollup rows in the same order). Platform
 * accounts contribute nothing.
 */
export function rollupDeltas(
  kind: PostingKind,
  currency: string,
  lines: readonly LedgerLine[],
  dayOf: (line: LedgerLine) => string,
): RollupDelta[] {
  const clearing = lines.filter((l) => l.account === 'stripe_clearing').reduce((s, l) => s + l.amountMinor, 0);
  const byKey = new Map<string, RollupDelta>();
  for (const line of lines) {
    if (!isPayable(line.account) || line.partyId === null) continue;
    const day = dayOf(line);
    const key = `${line.partyId}\u0000${line.account}\u0000${currency}\u0000${day}`;
    let delta = byKey.get(key);
    if (!delta) {
      delta = { partyId: line.partyId, account: line.account, currency, day, values: zero() };
      byKey.set(key, delta);
    }
    const v = delta.values;
    const amount = line.amountMinor;
    switch (kind) {
      case 'PAYMENT':
        v.payments_count += 1;
        v.gross_minor += clearing;
        v.accrued_minor += -amount;
        break;
      case 'REFUND':
        v.refunds_count += 1;
        v.refunded_gross_minor += -clearing;
        v.reversed_minor += amount;
        break;
      case 'PAYOUT':
        v.paid_out_minor += amount;
        break;
      case 'PAYOUT_REVERSAL':
        v.payouts_reversed_minor += -amount;
        break;
      case 'ADJUSTMENT':
        break;
    }
    v.net_minor += amount;
    v.entry_count += 1;
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
}

/**
 * The balance increments of the same posting: `rollupDeltas` summed per (party, account,
 * currency) over their days, sorted by key like them.
 */
export function balanceDeltas(deltas: readonly RollupDelta[]): BalanceDelta[] {
  const byKey = new Map<string, BalanceDelta>();
  for (const d of deltas) {
    const key = `${d.partyId}\u0000${d.account}\u0000${d.currency}`;
    const balance = byKey.get(key);
    if (!balance) {
      byKey.set(key, {
        partyId: d.partyId,
        account: d.account,
        currency: d.currency,
        firstDay: d.day,
        lastDay: d.day,
        values: { ...d.values },
      });
      continue;
    }
    if (d.day < balance.firstDay) balance.firstDay = d.day;
    if (d.day > balance.lastDay) balance.lastDay = d.day;
    for (const f of ROLLUP_FIELDS) balance.values[f] += d.values[f];
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b);
}
