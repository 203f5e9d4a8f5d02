import { unwrap, type components, type paths } from '@lm/api-client';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { adminKeys } from '../admin/admin.queries';
import { sessionKeys } from '../sessions/sessions.queries';

export type SupportTicket = components['schemas']['SupportTicketResponse'];
export type SupportTicketDetail = components['schemas']['SupportTicketDetailResponse'];
export type SupportMessage = components['schemas']['SupportMessageResponse'];
export type AdminSupportTicket = components['schemas']['AdminSupportTicketResponse'];
export type AdminSupportTicketDetail = components['schemas']['AdminSupportTicketDetailResponse'];
export type SupportTicketEvent = components['schemas']['SupportTicketEventResponse'];
export type SupportSessionSummary = components['schemas']['SupportSessionSummaryResponse'];
export type AttendanceEvent = components['schemas']['SupportAttendanceEventResponse'];
export type OpenTicketInput = components['schemas']['CreateTicketDto'];
export type MyTicketsQuery = NonNullable<paths['/api/support/tickets']['get']['parameters']['query']>;
export type AdminTicketsQuery = NonNullable<paths['/api/admin/support/tickets']['get']['parameters']['query']>;
export type TicketCategory = SupportTicket['category'];
export type TicketStatus = SupportTicket['status'];
export type TicketResolution = NonNullable<SupportTicket['resolution']>;
export type SettableTicketStatus = components['schemas']['ChangeTicketStatusDto']['status'];
export type NoShowDecision = components['schemas']['NoShowResolutionDto']['decision'];

/** In the order the forms and filters list them; `satisfies` keeps them in step with the API's enums. */
export const TICKET_CATEGORIES = [
  'NO_SHOW_LAWYER',
  'NO_SHOW_CLIENT',
  'BILLING',
  'TECHNICAL',
  'ABUSE',
  'OTHER',
] as const satisfies readonly TicketCategory[];
export const TICKET_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const satisfies readonly TicketStatus[];

export const supportKeys = {
  all: ['support'] as const,
  mine: () => [...supportKeys.all, 'mine'] as const,
  myList: (query: MyTicketsQuery) => [...supportKeys.mine(), 'list', query] as const,
  myTicket: (id: string) => [...supportKeys.mine(), 'detail', id] as const,
  admin: () => [...supportKeys.all, 'admin'] as const,
  adminList: (query: AdminTicketsQuery) => [...supportKeys.admin(), 'list', query] as const,
  adminTicket: (id: string) => [...supportKeys.admin(), 'detail', id] as const,
};

/** `GET /api/support/tickets`: the signed-in user's own tickets, newest activity first. */
export const myTicketsQueryOptions = (query: MyTicketsQuery) =>
  queryOptions({
    queryKey: supportKeys.myList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/support/tickets', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/support/tickets/:id`: one of my tickets with its messages (404 for anyone else's). */
export const myTicketQueryOptions = (id: string) =>
  queryOptions({
    queryKey: supportKeys.myTicket(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/support/tickets/{id}', { params: { path: { id } }, signal })),
  });

/** `GET /api/admin/support/tickets`: the support queue. */
export const adminTicketsQueryOptions = (query: AdminTicketsQuery) =>
  queryOptions({
    queryKey: supportKeys.adminList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/support/tickets', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/support/tickets/:id`: ticket, thread, history, session summary and attendance evidence. */
export const adminTicketQueryOptions = (id: string) =>
  queryOptions({
    queryKey: supportKeys.adminTicket(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/admin/support/tickets/{id}', { params: { path: { id } }, signal })),
  });

/** `POST /api/support/tickets`. Errors are shown in the form (field errors, 409s), not as a toast. */
export function useOpenTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: OpenTicketInput) => unwrap(api.POST('/api/support/tickets', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: supportKeys.mine() }),
  });
}

/** `POST /api/support/tickets/:id/messages` (the reporter). */
export function usePostMyMessage(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: string) =>
      unwrap(api.POST('/api/support/tickets/{id}/messages', { params: { path: { id: ticketId } }, body: { body } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: supportKeys.mine() }),
  });
}

/** After any admin action on a ticket: the ticket, the queue and the audit log changed. */
function useAdminTicketChanged(ticketId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: supportKeys.adminTicket(ticketId) }),
      queryClient.invalidateQueries({ queryKey: supportKeys.admin() }),
      queryClient.invalidateQueries({ queryKey: adminKeys.audit() }),
    ]);
}

/** `POST /api/admin/support/tickets/:id/messages` (an admin; notifies the reporter). */
export function usePostAdminMessage(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: string) =>
      unwrap(api.POST('/api/admin/support/tickets/{id}/messages', { params: { path: { id: ticketId } }, body: { body } })),
    onSuccess: changed,
  });
}

/** `POST /api/admin/support/tickets/:id/assign`: to the signed-in admin (OPEN → IN_PROGRESS). */
export function useAssignTicket(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/support/tickets/{id}/assign', { params: { path: { id: ticketId } } })),
    onSuccess: changed,
  });
}

/** `POST /api/admin/support/tickets/:id/status`. */
export function useSetTicketStatus(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { status: SettableTicketStatus; note?: string }) =>
      unwrap(api.POST('/api/admin/support/tickets/{id}/status', { params: { path: { id: ticketId } }, body: input })),
    onSuccess: changed,
  });
}

/**
 * `POST /api/admin/support/tickets/:id/no-show-resolution`. The session (status, refund) changes
 * too, so its caches go as well; repeating the same decision is answered with the current state.
 */
export function useResolveNoShow(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { decision: NoShowDecision; note?: string }) =>
      unwrap(api.POST('/api/admin/support/tickets/{id}/no-show-resolution', { params: { path: { id: ticketId } }, body: input })),
    onSuccess: () =>
      Promise.all([
        changed(),
        queryClient.invalidateQueries({ queryKey: adminKeys.sessions() }),
        queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]),
  });
}
