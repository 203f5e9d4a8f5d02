import type { components, paths } from '@lm/api-client';

type Schemas = components['schemas'];

/*
 * Finance (reports and manual payouts): the generated API types.
 */

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD&granularity=…` of both report endpoints (every part optional). */
export type ReportQuery = NonNullable<paths['/api/partner/reports']['get']['parameters']['query']>;
export type Granularity = NonNullable<ReportQuery['granularity']>;

/** Calendar days (YYYY-MM-DD) in the payee's zone, both included, clipped to the report's range. */
export interface Period {
  periodStart: string;
  periodEnd: string;
}

export type PartnerReport = Schemas['PartnerReportResponse'];
export type PartnerCurrencyPeriod = Schemas['PartnerMoneyPeriodResponse'];
export type FunnelStage = Schemas['FunnelStepResponse'];
export type LawyerEarnings = Schemas['LawyerEarningsResponse'];
export type LawyerEarningsPeriod = Schemas['LawyerMoneyPeriodResponse'];

export type Payout = Schemas['PayoutResponse'];
export type PayeeRole = Payout['role'];
export type PayoutMethod = Payout['method'];
/** One row of `GET /api/admin/payouts/pending`: a payee owed at least the threshold in one currency. */
export type PendingPayout = Schemas['PendingPayoutResponse'];
/** `GET /api/admin/payouts/pending`: a page, and the threshold applied (minor units). */
export type PendingPayoutPage = Schemas['PendingPayoutPageResponse'];
export type PendingPayoutsQuery = NonNullable<paths['/api/admin/payouts/pending']['get']['parameters']['query']>;
/** `POST /api/admin/payouts` (with an `Idempotency-Key` header). */
export type RecordPayoutBody = Schemas['RecordPayoutDto'];

/*
 * Statements: TEMPORARY shapes from /work/plan/contract.md §C and the DTO on wt-statements,
 * until `npm run openapi` there puts them in libs/api-client/src/schema.ts; then they become
 * aliases of the generated `components['schemas'][…]` and the compiler shows what differs.
 */

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
