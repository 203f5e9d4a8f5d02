import type { components, paths } from '@lm/api-client';

type Schemas = components['schemas'];

/*
 * Finance (reports and manual payouts): the generated API types, under the names the pages use.
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
 * Statements.
 */

export type Statement = Schemas['StatementResponse'];
export type StatementFormat = NonNullable<
  NonNullable<paths['/api/statements/{id}/file']['get']['parameters']['query']>['format']
>;
