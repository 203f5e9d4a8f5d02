/**
 * The issue-14 endpoints' shapes (finance: reports and payouts; statements), written from
 * /work/plan/contract.md §B and §C while the API is built in parallel. TEMPORARY: once
 * `npm run openapi` has them in libs/api-client/src/schema.ts, these become aliases of the
 * generated `components['schemas'][…]` and the compiler shows what differs.
 */

export type Granularity = 'day' | 'week' | 'month';

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD&granularity=…` of both report endpoints (every part optional). */
export interface ReportQuery {
  from?: string;
  to?: string;
  granularity?: Granularity;
}

/** Calendar days (YYYY-MM-DD) in the payee's zone, both included, clipped to the report's range. */
export interface Period {
  periodStart: string;
  periodEnd: string;
}

export interface ReferralCounts {
  clientsSignedUp: number;
  lawyersSignedUp: number;
  clientsConverted: number;
  lawyersConverted: number;
}

export interface FunnelStage {
  signedUp: number;
  converted: number;
}

/** Cohort = referrals signed up in the range; converted = of those, a first paid session by the end of `to`. */
export interface ReferralFunnel extends FunnelStage {
  conversionRate: number;
  byRole: { CLIENT: FunnelStage; LAWYER: FunnelStage };
}

export interface PartnerCurrencyTotals {
  paidSessions: number;
  grossVolumeMinor: number;
  commissionAccruedMinor: number;
  commissionReversedMinor: number;
  paidOutMinor: number;
  /** Owed at the start of `from`. */
  openingPendingMinor: number;
  /** Owed at the end of `to`. */
  pendingMinor: number;
}

export interface PartnerCurrencyPeriod extends Period {
  paidSessions: number;
  grossVolumeMinor: number;
  commissionAccruedMinor: number;
  commissionReversedMinor: number;
  paidOutMinor: number;
  /** Owed at the end of the period. */
  pendingMinor: number;
}

/** `GET /api/partner/reports`. */
export interface PartnerReport {
  zone: string;
  from: string;
  to: string;
  granularity: Granularity;
  referrals: { totals: ReferralCounts; series: (Period & ReferralCounts)[] };
  funnel: ReferralFunnel;
  currencies: { currency: string; totals: PartnerCurrencyTotals; series: PartnerCurrencyPeriod[] }[];
}

export interface LawyerEarningsFigures {
  paidSessions: number;
  grossVolumeMinor: number;
  /** Gross minus what accrued to the lawyer. */
  platformFeesMinor: number;
  refundsCount: number;
  /** Refunded gross. */
  refundedMinor: number;
  payableAccruedMinor: number;
  payableReversedMinor: number;
  paidOutMinor: number;
}

export interface LawyerEarningsTotals extends LawyerEarningsFigures {
  openingPendingMinor: number;
  pendingMinor: number;
}

export interface LawyerEarningsPeriod extends Period, LawyerEarningsFigures {
  pendingMinor: number;
}

/** `GET /api/lawyer/earnings`. */
export interface LawyerEarnings {
  zone: string;
  from: string;
  to: string;
  granularity: Granularity;
  currencies: { currency: string; totals: LawyerEarningsTotals; series: LawyerEarningsPeriod[] }[];
}

export type PayeeRole = 'LAWYER' | 'PARTNER';
export type PayoutMethod = 'BANK_TRANSFER' | 'PAYPAL' | 'WISE' | 'CHECK' | 'OTHER';

export interface Payout {
  id: string;
  payeeId: string;
  payeeName: string;
  role: PayeeRole;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
  reference: string;
  /** ISO instant. */
  paidAt: string;
  recordedAt: string;
  /** The admin who recorded it (null in a payee's own list). */
  recordedBy: string | null;
  recordedByName: string | null;
  reversal: null | { reason: string; reversedAt: string };
}

/** One row of `GET /api/admin/payouts/pending`: a payee owed at least the threshold in one currency. */
export interface PendingPayout {
  payeeId: string;
  payeeName: string;
  payeeEmail: string;
  role: PayeeRole;
  currency: string;
  owedMinor: number;
  /** YYYY-MM-DD, the payee's last day with a posting on this payable. */
  lastActivityDay: string;
}

/** `GET /api/admin/payouts/pending`: a page, and the threshold applied (minor units). */
export interface PendingPayoutPage extends Page<PendingPayout> {
  minimumMinor: number;
}

export interface PendingPayoutsQuery {
  currency?: string;
  role?: PayeeRole;
  minimumMinor?: number;
  page?: number;
  pageSize?: number;
}

/** `POST /api/admin/payouts` (with an `Idempotency-Key` header). */
export interface RecordPayoutBody {
  payeeId: string;
  currency: string;
  amountMinor: number;
  method: PayoutMethod;
  reference: string;
  /** ISO instant, not in the future. */
  paidAt: string;
}

export interface Statement {
  id: string;
  /** "ST-YYYYMM-000001". */
  number: string;
  payeeId: string;
  payeeName: string;
  payeeRole: PayeeRole;
  account: 'lawyer_payable' | 'partner_commission_payable';
  currency: string;
  /** First and last day of the month, in `zone`. */
  periodStart: string;
  periodEnd: string;
  zone: string;
  openingMinor: number;
  closingMinor: number;
  lineCount: number;
  csvSha256: string;
  pdfSha256: string;
  csvBytes: number;
  pdfBytes: number;
  issuedAt: string;
  /** The admin who re-issued it; null when the monthly job issued it. */
  issuedBy: string | null;
  supersedesId: string | null;
  reissueReason: string | null;
  superseded: boolean;
  supersededById: string | null;
}

export type StatementFormat = 'csv' | 'pdf';

/** A page of a `?page=&pageSize=` list, as every paged endpoint answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
