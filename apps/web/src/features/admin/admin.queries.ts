import { unwrap, type components, type paths } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type AdminUser = components['schemas']['UserResponse'];
export type UsersQuery = NonNullable<paths['/api/admin/users']['get']['parameters']['query']>;
export type OutboxQuery = NonNullable<paths['/api/admin/outbox']['get']['parameters']['query']>;
export type AuditQuery = NonNullable<paths['/api/admin/audit']['get']['parameters']['query']>;
export type EmailMessage = components['schemas']['EmailMessageResponse'];
export type AuditEvent = components['schemas']['AuditEventResponse'];
export type AuditVerification = components['schemas']['AuditVerificationResponse'];
export type AdminPayment = components['schemas']['AdminPaymentResponse'];
export type PaymentsQuery = NonNullable<paths['/api/admin/payments']['get']['parameters']['query']>;
export type AdminSession = components['schemas']['AdminSessionPageResponse']['items'][number];
export type AdminSessionsQuery = NonNullable<paths['/api/admin/sessions']['get']['parameters']['query']>;
export type LedgerBalance = components['schemas']['LedgerBalanceResponse'];

export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  userList: (query: UsersQuery) => [...adminKeys.users(), 'list', query] as const,
  outbox: () => [...adminKeys.all, 'outbox'] as const,
  outboxList: (query: OutboxQuery) => [...adminKeys.outbox(), 'list', query] as const,
  audit: () => [...adminKeys.all, 'audit'] as const,
  auditList: (query: AuditQuery) => [...adminKeys.audit(), 'list', query] as const,
  payments: () => [...adminKeys.all, 'payments'] as const,
  paymentList: (query: PaymentsQuery) => [...adminKeys.payments(), 'list', query] as const,
  sessions: () => [...adminKeys.all, 'sessions'] as const,
  sessionList: (query: AdminSessionsQuery) => [...adminKeys.sessions(), 'list', query] as const,
  session: (id: string) => [...adminKeys.sessions(), 'detail', id] as const,
  attendance: (id: string) => [...adminKeys.sessions(), 'attendance', id] as const,
  ledgerBalances: () => [...adminKeys.all, 'ledger', 'balances'] as const,
};

export const usersQueryOptions = (query: UsersQuery) =>
  queryOptions({
    queryKey: adminKeys.userList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/users', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const outboxQueryOptions = (query: OutboxQuery) =>
  queryOptions({
    queryKey: adminKeys.outboxList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/outbox', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const auditQueryOptions = (query: AuditQuery) =>
  queryOptions({
    queryKey: adminKeys.auditList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/audit', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const paymentsQueryOptions = (query: PaymentsQuery) =>
  queryOptions({
    queryKey: adminKeys.paymentList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/payments', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const adminSessionsQueryOptions = (query: AdminSessionsQuery) =>
  queryOptions({
    queryKey: adminKeys.sessionList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/sessions', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export type AdminSessionDetail = components['schemas']['AdminSessionDetailResponse'];

/** `GET /api/admin/sessions/{id}`: the session with its payment, refunds and timeline. */
export const adminSessionQueryOptions = (id: string) =>
  queryOptions({
    queryKey: adminKeys.session(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/sessions/{id}', { params: { path: { id } }, signal })),
  });

/** Who joined and left a session's call (the immutable attendance log; admins may read it). */
export const sessionAttendanceQueryOptions = (id: string) =>
  queryOptions({
    queryKey: adminKeys.attendance(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/sessions/{id}/attendance', { params: { path: { id } }, signal })),
  });

export const ledgerBalancesQueryOptions = () =>
  queryOptions({
    queryKey: adminKeys.ledgerBalances(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/ledger/balances', { signal })),
  });

/** Suspend or reactivate; both change the user list and add audit entries. */
export function useSetUserStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'suspend' | 'reactivate' }) =>
      action === 'suspend'
        ? unwrap(api.POST('/api/admin/users/{id}/suspend', { params: { path: { id } } }))
        : unwrap(api.POST('/api/admin/users/{id}/reactivate', { params: { path: { id } } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
        queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
      ]),
  });
}

/** `GET /api/admin/audit/verify`: re-hashes the whole chain on the server. */
export function useVerifyAuditChain() {
  return useMutation({
    mutationFn: () => unwrap(api.GET('/api/admin/audit/verify')),
  });
}
