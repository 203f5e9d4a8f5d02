import { unwrap, type components } from '@lm/api-client';
import type { Client } from 'openapi-fetch';
import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { adminKeys } from '../admin/admin.queries';
import { sessionKeys } from '../sessions/sessions.queries';

/*
 * TEMPORARY: the support API (issue 13) is being built on another branch. Until it lands on main
 * and the client is regenerated, these interfaces mirror the contract in the plan, and `client`
 * is the one API client viewed through a hand-written fragment of its paths. Once the generated
 * schema has the support paths, this block goes and the types come from `components['schemas']`.
 */
export const TICKET_CATEGORIES = ['NO_SHOW_LAWYER', 'NO_SHOW_CLIENT', 'BILLING', 'TECHNICAL', 'ABUSE', 'OTHER'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];
export const TICKET_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketResolution = 'LAWYER_NO_SHOW' | 'CLIENT_NO_SHOW' | 'DISMISSED';
export type NoShowDecision = 'LAWYER_NO_SHOW' | 'CLIENT_NO_SHOW' | 'DISMISS';
type SessionStatus = components['schemas']['SessionDetailResponse']['status'];

export interface SupportTicket {
  id: string;
  category: TicketCategory;
  sessionId: string | null;
  subject: string;
  description: string;
  status: TicketStatus;
  resolution: TicketResolution | null;
  resolutionNote: string | null;
  resolvedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string | null;
}

export interface SupportMessage {
  id: string;
  authorRole: 'CLIENT' | 'LAWYER' | 'PARTNER' | 'ADMIN';
  /** The author's display name (admins answer as "LexMarket support" to the reporter). */
  authorName: string | null;
  body: string;
  createdAt: string;
}

export interface SupportTicketDetail extends SupportTicket {
  messages: SupportMessage[];
}

export interface TicketPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface SupportParty {
  id: string;
  displayName: string;
}

export interface AdminSupportTicket extends SupportTicket {
  reporter: SupportParty & { role: 'CLIENT' | 'LAWYER' | 'PARTNER' | 'ADMIN' };
  assignee: SupportParty | null;
}

export interface SupportTicketEvent {
  id: string;
  action: string;
  actorId: string | null;
  actorName: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export interface SupportSessionSummary {
  id: string;
  offeringTitle: string;
  status: SessionStatus;
  startAt: string | null;
  endAt: string | null;
  client: SupportParty;
  lawyer: SupportParty;
  payment: components['schemas']['SessionPaymentResponse'] | null;
  refunds: components['schemas']['SessionRefundResponse'][];
}

export type AttendanceEvent = components['schemas']['AttendanceEventResponse'];

export interface AdminSupportTicketDetail extends AdminSupportTicket {
  messages: SupportMessage[];
  events: SupportTicketEvent[];
  session: SupportSessionSummary | null;
  attendance: AttendanceEvent[];
}

export interface OpenTicketInput {
  category: TicketCategory;
  sessionId?: string;
  subject?: string;
  description: string;
}

export interface MyTicketsQuery {
  page?: number;
  pageSize?: number;
}

export interface AdminTicketsQuery {
  status?: TicketStatus;
  category?: TicketCategory;
  assignee?: 'me' | 'unassigned';
  page?: number;
  pageSize?: number;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Op<Q, P, B, R> = {
  parameters: { query?: Q; header?: never; cookie?: never } & ([P] extends [never] ? { path?: never } : { path: P });
  responses: { 200: Json<R>; 201: Json<R> };
} & ([B] extends [never] ? { requestBody?: never } : { requestBody: { content: { 'application/json': B } } });
type IdPath = { id: string };
type Item<Get = never, Post = never> = {
  parameters: { query?: never; header?: never; path?: never; cookie?: never };
  get: Get;
  put?: never;
  post: Post;
  delete?: never;
  options?: never;
  head?: never;
  patch?: never;
  trace?: never;
};
interface SupportPaths {
  '/api/support/tickets': Item<
    Op<MyTicketsQuery, never, never, TicketPage<SupportTicket>>,
    Op<never, never, OpenTicketInput, SupportTicket>
  >;
  '/api/support/tickets/{id}': Item<Op<never, IdPath, never, SupportTicketDetail>>;
  '/api/support/tickets/{id}/messages': Item<never, Op<never, IdPath, { body: string }, SupportMessage>>;
  '/api/admin/support/tickets': Item<Op<AdminTicketsQuery, never, never, TicketPage<AdminSupportTicket>>>;
  '/api/admin/support/tickets/{id}': Item<Op<never, IdPath, never, AdminSupportTicketDetail>>;
  '/api/admin/support/tickets/{id}/assign': Item<never, Op<never, IdPath, never, AdminSupportTicketDetail>>;
  '/api/admin/support/tickets/{id}/messages': Item<never, Op<never, IdPath, { body: string }, SupportMessage>>;
  '/api/admin/support/tickets/{id}/status': Item<
    never,
    Op<never, IdPath, { status: Exclude<TicketStatus, 'OPEN'>; note?: string }, AdminSupportTicketDetail>
  >;
  '/api/admin/support/tickets/{id}/no-show-resolution': Item<
    never,
    Op<never, IdPath, { decision: NoShowDecision; note?: string }, AdminSupportTicketDetail>
  >;
}
const client = api as unknown as Client<SupportPaths>;
/* END TEMPORARY */

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
    queryFn: ({ signal }) => unwrap(client.GET('/api/support/tickets', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/support/tickets/:id`: one of my tickets with its messages (404 for anyone else's). */
export const myTicketQueryOptions = (id: string) =>
  queryOptions({
    queryKey: supportKeys.myTicket(id),
    queryFn: ({ signal }) => unwrap(client.GET('/api/support/tickets/{id}', { params: { path: { id } }, signal })),
  });

/** `GET /api/admin/support/tickets`: the support queue. */
export const adminTicketsQueryOptions = (query: AdminTicketsQuery) =>
  queryOptions({
    queryKey: supportKeys.adminList(query),
    queryFn: ({ signal }) => unwrap(client.GET('/api/admin/support/tickets', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** `GET /api/admin/support/tickets/:id`: ticket, thread, history, session summary and attendance evidence. */
export const adminTicketQueryOptions = (id: string) =>
  queryOptions({
    queryKey: supportKeys.adminTicket(id),
    queryFn: ({ signal }) => unwrap(client.GET('/api/admin/support/tickets/{id}', { params: { path: { id } }, signal })),
  });

/** `POST /api/support/tickets`. Errors are shown in the form (field errors, 409s), not as a toast. */
export function useOpenTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: OpenTicketInput) => unwrap(client.POST('/api/support/tickets', { body: input })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: supportKeys.mine() }),
  });
}

/** `POST /api/support/tickets/:id/messages` (the reporter). */
export function usePostMyMessage(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (body: string) =>
      unwrap(client.POST('/api/support/tickets/{id}/messages', { params: { path: { id: ticketId } }, body: { body } })),
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
      unwrap(client.POST('/api/admin/support/tickets/{id}/messages', { params: { path: { id: ticketId } }, body: { body } })),
    onSuccess: changed,
  });
}

/** `POST /api/admin/support/tickets/:id/assign`: to the signed-in admin (OPEN → IN_PROGRESS). */
export function useAssignTicket(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  return useMutation({
    mutationFn: () => unwrap(client.POST('/api/admin/support/tickets/{id}/assign', { params: { path: { id: ticketId } } })),
    onSuccess: changed,
  });
}

/** `POST /api/admin/support/tickets/:id/status`. */
export function useSetTicketStatus(ticketId: string) {
  const changed = useAdminTicketChanged(ticketId);
  return useMutation({
    meta: { errorToast: false },
    mutationFn: (input: { status: Exclude<TicketStatus, 'OPEN'>; note?: string }) =>
      unwrap(client.POST('/api/admin/support/tickets/{id}/status', { params: { path: { id: ticketId } }, body: input })),
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
      unwrap(
        client.POST('/api/admin/support/tickets/{id}/no-show-resolution', { params: { path: { id: ticketId } }, body: input }),
      ),
    onSuccess: () =>
      Promise.all([
        changed(),
        queryClient.invalidateQueries({ queryKey: adminKeys.sessions() }),
        queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      ]),
  });
}
