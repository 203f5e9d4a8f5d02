/**
 * The ledger's arithmetic, pure and integer-only (no floats touch money here).
 *
 * Sign convention of ledger amounts: positive = debit, negative = credit. A payment debits
 * `stripe_clearing` (the money Stripe holds for us) and credits what we owe or earned.
 *
 * Rounding: every rate is applied as `roundHalfUp(amount × bps / 10 000)` on integers, i.e. a
 * result of exactly x.5 minor units rounds up (amounts are never negative here). Partial
 * refunds reverse each share in proportion to the cumulative refunded amount (see
 * `refundReversal`); the platform's own revenue absorbs the rounding residual, so every
 * transaction sums to zero and a payment refunded in full (in one go or in parts) is reversed
 * exactly, never by a cent more or less.
 */

export const BPS_DENOMINATOR = 10_000;

export const LEDGER_ACCOUNTS = [
  'stripe_clearing',
  'platform_revenue',
  'lawyer_payable',
  'partner_commission_payable',
  'payout_clearing',
] as const;
export type LedgerAccount = (typeof LEDGER_ACCOUNTS)[number];

/** The accounts that belong to a party (a lawyer or a partner): what the platform owes them. */
export const PAYABLE_ACCOUNTS = ['lawyer_payable', 'partner_commission_payable'] as const;
export type PayableAccount = (typeof PAYABLE_ACCOUNTS)[number];

/** One entry to write: `amountMinor` signed (debit > 0, credit < 0), never 0. */
export interface LedgerLine {
  account: LedgerAccount;
  partyId: string | null;
  amountMinor: number;
  rateBps: number | null;
}

/** `a × b / d` rounded half up, for non-negative safe integers; exact (BigInt, so a × b may exceed 2^53). */
export function mulDivRoundHalfUp(a: number, b: number, d: number): number {
  assertNonNegativeInteger(a, 'a');
  assertNonNegativeInteger(b, 'b');
  if (!Number.isSafeInteger(d) || d <= 0) throw new RangeError(`divisor must be a positive integer, got ${d}`);
  const n = BigInt(a) * BigInt(b);
  const div = BigInt(d);
  return Number((2n * n + div) / (2n * div));
}

/** `amount × bps / 10 000`, rounded half up. */
export function applyBps(amountMinor: number, bps: number): number {
  assertBps(bps);
  return mulDivRoundHalfUp(amountMinor, bps, BPS_DENOMINATOR);
}

export interface PaymentSplit {
  amountMinor: number;
  feeBps: number;
  /** The platform fee: roundHalfUp(amount × feeBps / 10 000). */
  feeMinor: number;
  /** What the lawyer is owed: amount − fee (the lawyer's share never pays a commission). */
  lawyerMinor: number;
  /** One per distinct referring partner, each roundHalfUp(fee × commissionBps / 10 000), capped so their sum never exceeds the fee. */
  commissions: { partnerId: string; amountMinor: number; rateBps: number }[];
  /** fee − commissions: what the platform keeps. */
  platformNetMinor: number;
}

/**
 * Splits a payment into the platform fee, the lawyer's share and partner commissions. A partner
 * who referred both the client and the lawyer earns one commission (one sale, one commission).
 */
export function splitPayment(
  amountMinor: number,
  feeBps: number,
  commissionBps: number,
  referringPartnerIds: readonly string[],
): PaymentSplit {
  assertNonNegativeInteger(amountMinor, 'amountMinor');
  assertBps(commissionBps);
  const feeMinor = applyBps(amountMinor, feeBps);
  const commissions: PaymentSplit['commissions'] = [];
  let remainingFee = feeMinor;
  for (const partnerId of [...new Set(referringPartnerIds)]) {
    const amount = Math.min(applyBps(feeMinor, commissionBps), remainingFee);
    remainingFee -= amount;
    if (amount > 0) commissions.push({ partnerId, amountMinor: amount, rateBps: commissionBps });
  }
  return { amountMinor, feeBps, feeMinor, lawyerMinor: amountMinor - feeMinor, commissions, platformNetMinor: remainingFee };
}

/**
 * The entries of a payment: clearing debited with the full amount; the lawyer's payable and the
 * platform's revenue credited with their shares (rate = fee bps); each commission moved from
 * platform revenue to the partner's payable (two entries, rate = commission bps), so an auditor
 * sees the fee and the commission separately. Zero amounts are left out.
 */
export function paymentLines(split: PaymentSplit, lawyerId: string): LedgerLine[] {
  const lines: LedgerLine[] = [
    { account: 'stripe_clearing', partyId: null, amountMinor: split.amountMinor, rateBps: null },
    { account: 'lawyer_payable', partyId: lawyerId, amountMinor: -split.lawyerMinor, rateBps: split.feeBps },
    { account: 'platform_revenue', partyId: null, amountMinor: -split.feeMinor, rateBps: split.feeBps },
  ];
  for (const c of split.commissions) {
    lines.push({ account: 'platform_revenue', partyId: null, amountMinor: c.amountMinor, rateBps: c.rateBps });
    lines.push({ account: 'partner_commission_payable', partyId: c.partnerId, amountMinor: -c.amountMinor, rateBps: c.rateBps });
  }
  return lines.filter((l) => l.amountMinor !== 0);
}

/** A credited share of a payment, aggregated per account and party (a positive magnitude). */
export interface PaymentShare {
  account: Exclude<LedgerAccount, 'stripe_clearing'>;
  partyId: string | null;
  amountMinor: number;
  rateBps: number | null;
}

/**
 * Aggregates a payment's entries into credited shares (everything but the clearing debit),
 * netting platform revenue (fee minus commissions).
 */
export function sharesOf(lines: readonly LedgerLine[]): PaymentShare[] {
  const byKey = new Map<string, PaymentShare>();
  for (const line of lines) {
    if (line.account === 'stripe_clearing') continue;
    const key = `${line.account}:${line.partyId ?? ''}`;
    const share = byKey.get(key) ?? { account: line.account, partyId: line.partyId, amountMinor: 0, rateBps: null };
    share.amountMinor -= line.amountMinor;
    // The rate that produced the share: the fee rate for revenue and the lawyer, the commission rate for partners.
    if (share.rateBps === null || (line.account === 'platform_revenue' && line.amountMinor < 0)) share.rateBps = line.rateBps;
    byKey.set(key, share);
  }
  return [...byKey.values()];
}

/**
 * The entries reversing `refundMinor` of a payment of `paymentMinor`, of which `refundedBeforeMinor`
 * was already reversed. Every share except platform revenue is reversed by
 * cum(before + refund) − cum(before), with cum(x) = roundHalfUp(share × x / payment); platform
 * revenue takes the rest, so the transaction sums to zero, cumulative reversals never exceed a
 * share, and reversing the whole payment (at once or in parts) restores every balance exactly.
 */
export function refundReversal(
  paymentMinor: number,
  shares: readonly PaymentShare[],
  refundedBeforeMinor: number,
  refundMinor: number,
): LedgerLine[] {
  assertNonNegativeInteger(paymentMinor, 'paymentMinor');
  assertNonNegativeInteger(refundedBeforeMinor, 'refundedBeforeMinor');
  assertNonNegativeInteger(refundMinor, 'refundMinor');
  if (refundMinor === 0) throw new RangeError('refundMinor must be positive');
  if (refundedBeforeMinor + refundMinor > paymentMinor) {
    throw new RangeError(`cannot reverse ${refundMinor} after ${refundedBeforeMinor} of a payment of ${paymentMinor}`);
  }
  const after = refundedBeforeMinor + refundMinor;
  const cumulative = (share: number, x: number) => mulDivRoundHalfUp(share, x, paymentMinor);
  const lines: LedgerLine[] = [{ account: 'stripe_clearing', partyId: null, amountMinor: -refundMinor, rateBps: null }];
  let reversedOutsidePlatform = 0;
  for (const share of shares) {
    if (share.account === 'platform_revenue') continue;
    const amount = cumulative(share.amountMinor, after) - cumulative(share.amountMinor, refundedBeforeMinor);
    reversedOutsidePlatform += amount;
    lines.push({ account: share.account, partyId: share.partyId, amountMinor: amount, rateBps: share.rateBps });
  }
  const platform = shares.find((s) => s.account === 'platform_revenue');
  lines.push({
    account: 'platform_revenue',
    partyId: null,
    amountMinor: refundMinor - reversedOutsidePlatform,
    rateBps: platform?.rateBps ?? null,
  });
  return lines.filter((l) => l.amountMinor !== 0);
}

function assertNonNegativeInteger(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${label} must be a non-negative safe integer, got ${value}`);
}

function assertBps(bps: number): void {
  if (!Number.isInteger(bps) || bps < 0 || bps > BPS_DENOMINATOR)
    throw new RangeError(`bps must be an integer in 0..10000, got ${bps}`);
}
