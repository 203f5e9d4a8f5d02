import { ApiError, settle, unwrap, type ApiResult } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { fileNameOf, saveBlob } from '../../lib/download';
import type { Payout, PendingPayoutsQuery, RecordPayoutBody, ReportQuery, Statement, StatementFormat } from './finance.types';

export interface PageQuery {
  page: number;
  pageSize: number;
}

export const financeKeys = {
  all: ['finance'] as const,
  partnerReport: (query: ReportQuery) => [...financeKeys.all, 'partner-report', query] as const,
  lawyerEarnings: (query: ReportQuery) => [...financeKeys.all, 'lawyer-earnings', query] as const,
  myPayouts: (query: PageQuery) => [...financeKeys.all, 'my-payouts', query] as const,
  myStatements: (query: PageQuery) => [...financeKeys.all, 'my-statements', query] as const,
  admin: () => [...financeKeys.all, 'admin'] as const,
  pending: (query: PendingPayoutsQuery) => [...financeKeys.admin(), 'pending', query] as const,
  payouts: (query: PageQuery & { payeeId?: string }) => [...financeKeys.admin(), 'payouts', query] as const,
  statements: (query: PageQuery & { payeeId?: string }) => [...financeKeys.admin(), 'statements', query] as const,
};

/** `GET /api/partner/reports`: totals, series and the referral funnel of the signed-in partner. */
export const partnerReportQueryOptions = (query: ReportQuery) =>
  queryOptions({
    queryKey: financeKeys.partnerReport(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/partner/reports', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/lawyer/earnings`: the signed-in lawyer's totals and series per currency. */
export const lawyerEarningsQueryOptions = (query: ReportQuery) =>
  queryOptions({
    queryKey: financeKeys.lawyerEarnings(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/lawyer/earnings', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/payouts`: what the platform paid the signed-in lawyer or partner, newest first. */
export const myPayoutsQueryOptions = (query: PageQuery) =>
  queryOptions({
    queryKey: financeKeys.myPayouts(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/payouts', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/statements`: the signed-in payee's monthly statements, newest period first. */
export const myStatementsQueryOptions = (query: PageQuery) =>
  queryOptions({
    queryKey: financeKeys.myStatements(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/statements', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/payouts/pending`: every payee owed at least the threshold, owed first. */
export const pendingPayoutsQueryOptions = (query: PendingPayoutsQuery) =>
  queryOptions({
    queryKey: financeKeys.pending(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/payouts/pending', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/payouts`: every recorded payout (with its reversal, if any), newest first. */
export const payoutHistoryQueryOptions = (query: PageQuery & { payeeId?: string }) =>
  queryOptions({
    queryKey: financeKeys.payouts(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/payouts', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/statements`: every issued statement. */
export const adminStatementsQueryOptions = (query: PageQuery & { payeeId?: string }) =>
  queryOptions({
    queryKey: financeKeys.statements(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/statements', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** An API error with the `details` of its body (e.g. `{ owedMinor }` of PAYOUT_EXCEEDS_OWED). */
export type DetailedApiError = ApiError & { details?: Record<string, unknown> };

export interface RecordPayoutInput {
  body: RecordPayoutBody;
  /** One per dialog opening: a retry of the same payout is the same request to the API. */
  idempotencyKey: string;
}

export interface RecordedPayout {
  payout: Payout;
  /** The API had already recorded this payout for this key (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** `POST /api/admin/payouts` with its Idempotency-Key. The dialog shows its own errors. */
export function useRecordPayout() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: async ({ body, idempotencyKey }: RecordPayoutInput): Promise<RecordedPayout> => {
      const { data, error, response } = await settle(
        api.POST('/api/admin/payouts', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body }),
      );
      if (!response.ok || error !== undefined || data === undefined) {
        const failure: DetailedApiError = ApiError.fromResponse(error, response);
        failure.details = error?.details;
        throw failure;
      }
      return { payout: data, replayed: response.headers.get('idempotent-replayed') === 'true' };
    },
    // Also after a failure: an "exceeds owed" answer means the pending list is out of date.
    onSettled: () => queryClient.invalidateQueries({ queryKey: financeKeys.all }),
  });
}

/** `POST /api/admin/payouts/:id/reversal`: a mistaken payout is reversed in the ledger, never deleted. */
export function useReversePayout() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/api/admin/payouts/{id}/reversal', { params: { path: { id } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: financeKeys.all }),
  });
}

/** `POST /api/admin/statements/:id/reissue`: a corrected statement that supersedes this one. */
export function useReissueStatement() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.POST('/api/admin/statements/{id}/reissue', { params: { path: { id } }, body: { reason } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: financeKeys.all }),
  });
}

/** `POST /api/admin/statements/run`: issues every statement that is due now (the hourly job, at once). */
export function useRunStatements() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/statements/run')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: financeKeys.all }),
  });
}

/** Saves a signed-in file fetched by the API client (which sent the auth header) under the server's name. */
async function saveDownload(pending: Promise<ApiResult>, fallbackName: string): Promise<void> {
  const { data, error, response } = await settle(pending);
  if (!response.ok || error !== undefined) throw ApiError.fromResponse(error, response);
  saveBlob(data as Blob, fileNameOf(response, fallbackName));
}

/** `GET /api/statements/:id/file?format=csv|pdf` (the owner or an admin). */
export function useDownloadStatement() {
  return useMutation({
    mutationFn: ({ statement, format }: { statement: Pick<Statement, 'id' | 'number'>; format: StatementFormat }) =>
      saveDownload(
        api.GET('/api/statements/{id}/file', { params: { path: { id: statement.id }, query: { format } }, parseAs: 'blob' }),
        `${statement.number}.${format}`,
      ),
  });
}

/** `GET /api/admin/payouts/pending/export`: the pending list (all pages, same filters) as CSV for the bank run. */
export function useExportPendingPayouts() {
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (query: Omit<PendingPayoutsQuery, 'page' | 'pageSize'>) =>
      saveDownload(api.GET('/api/admin/payouts/pending/export', { params: { query }, parseAs: 'blob' }), 'pending-payouts.csv'),
  });
}
