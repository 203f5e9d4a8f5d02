import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { ValidationFailed } from '../../common/errors/common.errors';
import type { Paged } from '../../common/http/paged.response';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { SessionNotFound, SessionQueries, type SessionView } from '../consultations-core';
import { NotificationsService } from '../notifications';
import { PaymentsService, type RefundSummary } from '../payments';
import { VideoService } from '../video';
import {
  isClosed,
  isNoShow,
  noShowReportRefusal,
  statusChangeRefusal,
  type SettableStatus,
  type TicketCategory,
} from './support-rules';
import { SupportTicketNotFound, NoShowAlreadyReported } from './support.errors';
import {
  SupportRepository,
  type AdminTicketFilter,
  type AdminTicketRow,
  type SupportMessage,
  type SupportTicket,
  type SupportTicketEvent,
} from './support.repository';

/** A ticket with its thread, as its reporter sees it. */
export interface TicketDetail {
  ticket: SupportTicket;
  messages: SupportMessage[];
}

/** The attendance log rows the video module shows (structurally its `AttendanceRow`). */
export type AttendanceEvidence = Awaited<ReturnType<VideoService['attendance']>>[number];

/** What an admin needs to decide a ticket: the thread, the history, the session, its money and the call's attendance. */
export interface AdminTicketDetail {
  ticket: AdminTicketRow;
  messages: SupportMessage[];
  events: SupportTicketEvent[];
  session: (SessionView & Awaited<ReturnType<PaymentsService['findForSession']>>) | null;
  attendance: AttendanceEvidence[];
}

export interface OpenTicketInput {
  category: TicketCategory;
  sessionId?: string | null;
  subject?: string;
  description: string;
}

const CATEGORY_LABEL: Record<TicketCategory, string> = {
  NO_SHOW_LAWYER: 'The lawyer did not attend',
  NO_SHOW_CLIENT: 'The client did not attend',
  BILLING: 'Billing question',
  TECHNICAL: 'Technical problem',
  ABUSE: 'Report of abuse',
  OTHER: 'Support request',
};
const MAX_SUBJECT = 140;
const EXCERPT = 1000;

/**
 * Support tickets: any signed-in user opens one (a no-show report only for their own session,
 * about the other side, within its window, once), and writes with the admins on its thread;
 * admins work the queue (assign to self, status, messages). Every change writes a
 * `support_ticket_events` row and an audit entry in its transaction; each message tells the
 * other side through NotificationsService (in-app and email), signed by the support team, never
 * with another user's address. The no-show decision itself is `NoShowResolutions`.
 */
@Injectable()
export class SupportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repo: SupportRepository,
    private readonly sessions: SessionQueries,
    private readonly payments: PaymentsService,
    private readonly video: VideoService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /** Opens a ticket; a no-show report is checked against its session (see support-rules.ts). */
  async open(actor: AuthUser, input: OpenTicketInput): Promise<TicketDetail> {
    const category = input.category;
    const sessionId = input.sessionId ?? null;
    if (isNoShow(category) && !sessionId) {
      throw new ValidationFailed([{ field: 'sessionId', messages: ['sessionId is required for a no-show report'] }]);
    }
    let session: SessionView | null = null;
    if (sessionId) {
      session = await this.sessions.find(sessionId, actor.id);
      if (!session) throw new SessionNotFound();
    }
    if (isNoShow(category)) {
      const refusal = noShowReportRefusal(session!, actor.id, category, this.clock.now());
      if (refusal) throw refusal;
    }
    const subject = (input.subject?.trim() || defaultSubject(category, session)).slice(0, MAX_SUBJECT);
    const ticket = await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const created = await this.repo.insertTicket(m, { reporterId: actor.id, category, sessionId, subject, description: input.description.trim(), now });
      if (!created) throw new NoShowAlreadyReported();
      await this.repo.appendEvent(m, { ticketId: created.id, action: 'opened', actorId: actor.id, payload: { category, sessionId }, now });
      // audit: support.ticket_opened
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'support.ticket_opened',
        subjectType: 'support_ticket',
        subjectId: created.id,
        payload: { category, sessionId },
      });
      return created;
    });
    return { ticket, messages: [] };
  }

  listMine(actor: AuthUser, page: { page: number; pageSize: number }): Promise<Paged<SupportTicket>> {
    return this.repo.listMine(actor.id, page.page, page.pageSize).then((r) => ({ ...r, ...page }));
  }

  /** The caller's own ticket with its thread; 404 for anyone else's. */
  async getMine(actor: AuthUser, ticketId: string): Promise<TicketDetail> {
    const ticket = await this.repo.find(ticketId, actor.id);
    if (!ticket) throw new SupportTicketNotFound();
    return { ticket, messages: await this.repo.messages(ticketId) };
  }

  /** The reporter writes on their ticket: the assignee hears of it, or every admin while nobody has taken it. */
  async postAsReporter(actor: AuthUser, ticketId: string, body: string): Promise<SupportMessage> {
    return this.dataSource.transaction(async (m) => {
      const ticket = await this.repo.lock(m, ticketId, actor.id);
      if (!ticket) throw new SupportTicketNotFound();
      const message = await this.post(m, actor, ticket, body);
      const recipients = (ticket.assigneeId ? [ticket.assigneeId] : await this.repo.activeAdminIds(m)).filter((id) => id !== actor.id);
      const params = { ticketId, subject: ticket.subject, reporterName: message.authorName, excerpt: excerpt(message.body) };
      await this.notifications.notifyMany(
        m,
        recipients.map((userId) => ({ userId, kind: 'support.message_from_reporter' as const, params, dedupeKey: `support-message:${message.id}` })),
      );
      return message;
    });
  }

  // ——— admins ———

  listForAdmin(actor: AuthUser, query: { status?: AdminTicketFilter['status']; category?: TicketCategory; assignee?: 'me' | 'unassigned'; page: number; pageSize: number }): Promise<Paged<AdminTicketRow>> {
    const assignee = query.assignee === 'me' ? { id: actor.id } : query.assignee;
    return this.repo
      .listForAdmin({ status: query.status, category: query.category, assignee, page: query.page, pageSize: query.pageSize })
      .then((r) => ({ ...r, page: query.page, pageSize: query.pageSize }));
  }

  /** A ticket with everything needed to decide it. */
  async getForAdmin(actor: AuthUser, ticketId: string): Promise<AdminTicketDetail> {
    const ticket = await this.repo.findForAdmin(ticketId);
    if (!ticket) throw new SupportTicketNotFound();
    const [messages, events, session] = await Promise.all([
      this.repo.messages(ticketId),
      this.repo.events(ticketId),
      ticket.sessionId ? this.sessions.find(ticket.sessionId, null) : Promise.resolve(null),
    ]);
    if (!session) return { ticket, messages, events, session: null, attendance: [] };
    const [money, attendance] = await Promise.all([this.payments.findForSession(session.id), this.video.attendance(actor, session.id)]);
    return { ticket, messages, events, session: { ...session, ...money }, attendance };
  }

  /** The admin takes the ticket (OPEN → IN_PROGRESS); taking one's own ticket again changes nothing. */
  async assign(actor: AuthUser, ticketId: string): Promise<AdminTicketDetail> {
    await this.dataSource.transaction(async (m) => {
      const ticket = await this.lockOrFail(m, ticketId);
      if (ticket.assigneeId === actor.id) return;
      const refusal = isClosed(ticket.status) ? statusChangeRefusal(ticket.category, ticket.status, 'IN_PROGRESS') : null;
      if (refusal) throw refusal;
      const now = this.clock.now();
      const status = ticket.status === 'OPEN' ? 'IN_PROGRESS' : ticket.status;
      await this.repo.update(m, ticket.id, { assigneeId: actor.id, status }, now);
      const payload = { from: ticket.assigneeId, to: actor.id, fromStatus: ticket.status, toStatus: status };
      await this.repo.appendEvent(m, { ticketId, action: 'assigned', actorId: actor.id, payload, now });
      // audit: support.ticket_assigned
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'support.ticket_assigned',
        subjectType: 'support_ticket',
        subjectId: ticketId,
        payload,
      });
    });
    return this.getForAdmin(actor, ticketId);
  }

  /** An admin answers on the thread; the reporter is told (signed by the support team). */
  async postAsAdmin(actor: AuthUser, ticketId: string, body: string): Promise<SupportMessage> {
    return this.dataSource.transaction(async (m) => {
      const ticket = await this.lockOrFail(m, ticketId);
      const message = await this.post(m, actor, ticket, body);
      if (ticket.reporterId !== actor.id) {
        await this.notifications.notify(m, {
          userId: ticket.reporterId,
          kind: 'support.message_from_admin',
          params: { ticketId, subject: ticket.subject, excerpt: excerpt(message.body) },
          dedupeKey: `support-message:${message.id}`,
        });
      }
      return message;
    });
  }

  /**
   * Moves the ticket (see `statusChangeRefusal`); the same status again changes nothing. Closing
   * it (RESOLVED, REJECTED) records the note as the resolution note and tells the reporter.
   */
  async changeStatus(actor: AuthUser, ticketId: string, input: { status: SettableStatus; note?: string }): Promise<AdminTicketDetail> {
    await this.dataSource.transaction(async (m) => {
      const ticket = await this.lockOrFail(m, ticketId);
      const refusal = statusChangeRefusal(ticket.category, ticket.status, input.status);
      if (refusal) throw refusal;
      if (ticket.status === input.status) return;
      const now = this.clock.now();
      const note = input.note?.trim() || null;
      const closing = isClosed(input.status);
      await this.repo.update(
        m,
        ticket.id,
        closing ? { status: input.status, resolutionNote: note, resolvedBy: actor.id, resolvedAt: now } : { status: input.status },
        now,
      );
      const payload = { from: ticket.status, to: input.status, note };
      await this.repo.appendEvent(m, { ticketId, action: 'status_changed', actorId: actor.id, payload, now });
      // audit: support.ticket_status_changed
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'support.ticket_status_changed',
        subjectType: 'support_ticket',
        subjectId: ticketId,
        payload,
      });
      if (closing) {
        await this.notifyClosed(m, ticket, { status: input.status as 'RESOLVED' | 'REJECTED', resolution: null, note, refund: null });
      }
    });
    return this.getForAdmin(actor, ticketId);
  }

  // ——— for NoShowResolutions ———

  /** Locks the ticket for a change in the running transaction; 404 when it does not exist. */
  async lockOrFail(manager: EntityManager, ticketId: string): Promise<SupportTicket> {
    const ticket = await this.repo.lock(manager, ticketId);
    if (!ticket) throw new SupportTicketNotFound();
    return ticket;
  }

  /** Tells the reporter their ticket is closed (once per ticket). */
  async notifyClosed(
    manager: EntityManager,
    ticket: SupportTicket,
    outcome: { status: 'RESOLVED' | 'REJECTED'; resolution: SupportTicket['resolution']; note: string | null; refund: RefundSummary | null },
  ): Promise<void> {
    await this.notifications.notify(manager, {
      userId: ticket.reporterId,
      kind: 'support.ticket_resolved',
      params: {
        ticketId: ticket.id,
        subject: ticket.subject,
        status: outcome.status,
        resolution: outcome.resolution,
        note: outcome.note,
        refundMinor: outcome.refund?.amountMinor ?? 0,
        currency: outcome.refund?.currency ?? null,
      },
      dedupeKey: `support-closed:${ticket.id}`,
    });
  }

  // ——— internals ———

  /** Appends a message to the thread and marks the ticket's activity; audited. */
  private async post(m: EntityManager, actor: AuthUser, ticket: SupportTicket, body: string): Promise<SupportMessage> {
    const now = this.clock.now();
    const message = await this.repo.insertMessage(m, { ticketId: ticket.id, authorId: actor.id, authorRole: actor.role, body: body.trim(), now });
    await this.repo.update(m, ticket.id, { lastMessageAt: now }, now);
    // audit: support.message_posted
    await this.audit.record(m, {
      actorId: actor.id,
      actorRole: actor.role,
      action: 'support.message_posted',
      subjectType: 'support_ticket',
      subjectId: ticket.id,
      payload: { messageId: message.id, byReporter: actor.id === ticket.reporterId, length: message.body.length },
    });
    return message;
  }
}

function defaultSubject(category: TicketCategory, session: SessionView | null): string {
  return session ? `${CATEGORY_LABEL[category]}: ${session.offeringTitle}` : CATEGORY_LABEL[category];
}

function excerpt(body: string): string {
  return body.length > EXCERPT ? `${body.slice(0, EXCERPT - 1)}…` : body;
}
