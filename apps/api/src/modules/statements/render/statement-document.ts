import { formatMoney, minorUnitsToDecimal } from '@lm/domain';
import { DateTime } from 'luxon';

export type PayeeRole = 'LAWYER' | 'PARTNER';
export type PayableAccount = 'lawyer_payable' | 'partner_commission_payable';

/** One ledger line of a statement, from the payee's point of view. */
export interface StatementLine {
  lineNo: number;
  entryId: string;
  transactionId: string;
  /** The ledger transaction's kind: PAYMENT, REFUND, PAYOUT, PAYOUT_REVERSAL, ADJUSTMENT. */
  kind: string;
  postedAt: Date;
  /** The payee's calendar date when it was posted (YYYY-MM-DD): the day the month is cut on. */
  localDay: string;
  description: string;
  /** + : the payee is owed more (an accrual); − : less (a refund's reversal, a payout). */
  amountMinor: number;
  /** What the payee is owed after this line. */
  balanceMinor: number;
}

/**
 * Everything a rendered statement shows, and nothing it looks up itself: the CSV and the PDF
 * are pure functions of this, so the same statement renders the same bytes.
 */
export interface StatementDocument {
  number: string;
  payeeId: string;
  payeeName: string;
  payeeRole: PayeeRole;
  account: PayableAccount;
  currency: string;
  /** First and last calendar day of the month, in `zone`. */
  periodStart: string;
  periodEnd: string;
  zone: string;
  openingMinor: number;
  closingMinor: number;
  issuedAt: Date;
  lines: StatementLine[];
  /** Set on a re-issue: the number it replaces and why. */
  supersedes: { number: string; reason: string } | null;
}

/** The statement's accounts as a payee reads them. */
export const ACCOUNT_LABEL: Record<PayableAccount, string> = {
  lawyer_payable: 'Lawyer earnings payable',
  partner_commission_payable: 'Partner commission payable',
};

export const ROLE_LABEL: Record<PayeeRole, string> = { LAWYER: 'Lawyer', PARTNER: 'Partner' };

const KIND_LABEL: Record<string, string> = {
  PAYMENT: 'Payment',
  REFUND: 'Refund',
  PAYOUT: 'Payout',
  PAYOUT_REVERSAL: 'Payout reversal',
  ADJUSTMENT: 'Adjustment',
};

/** "Payment", "Payout reversal"; an unknown kind is shown as it is stored. */
export function kindLabel(kind: string): string {
  return KIND_LABEL[kind] ?? kind;
}

/** Money on a statement: the currency's minor-unit digits, one locale for everyone ("€1,234.50", "-¥500", "$12.00"). */
export function statementMoney(amountMinor: number, currency: string): string {
  return formatMoney(amountMinor, currency, 'en-US');
}

/** Plain decimal for machines (CSV): "1234.50", "-500" for JPY. */
export function statementDecimal(amountMinor: number, currency: string): string {
  return minorUnitsToDecimal(amountMinor, currency);
}

/** "March 2026" for a period that starts on 2026-03-01. */
export function periodLabel(periodStart: string): string {
  return DateTime.fromISO(periodStart, { zone: 'UTC' }).setLocale('en-GB').toFormat('LLLL yyyy');
}

/** An instant in the statement's zone, with the zone: "2026-04-01 00:00 (Europe/Warsaw)". */
export function instantInZone(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at).setZone(zone);
  const shown = local.isValid ? local : DateTime.fromJSDate(at).setZone('UTC');
  return `${shown.toFormat('yyyy-MM-dd HH:mm')} (${shown.isValid && local.isValid ? zone : 'UTC'})`;
}

/** A line's time of day in the statement's zone ("14:05"). */
export function timeInZone(at: Date, zone: string): string {
  const local = DateTime.fromJSDate(at).setZone(zone);
  return (local.isValid ? local : DateTime.fromJSDate(at).setZone('UTC')).toFormat('HH:mm');
}
