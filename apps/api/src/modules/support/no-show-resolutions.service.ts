import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { transactionWithRetry } from '../../common/database/transaction-retry';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { SessionLifecycle } from '../consultations-core';
import { PaymentsService, refundable, type RefundSummary } from '../payments';
import { isClosed, isNoShow, resolutionOf, statusAfter, type NoShowDecision } from './support-rules';
import { NotANoShowTicket, TicketAlreadyResolved, TicketClosed } from './support.errors';
import { SupportRepository } from './support.repository';
import { SupportService, type AdminTicketDetail } from './support.service';

/**
 * An admin's decision on a no-show report, in one transaction:
 *
 * 1. the ticket is locked FOR UPDATE first, so two clicks (or two admins) are serialised: the
 *    second finds the decision made and gets the current state if it is the same decision, 409
 *    TICKET_ALREADY_RESOLVED if it is another;
 * 2. LAWYER_NO_SHOW → SessionLifecycle moves the session to NO_SHOW_LAWYER (session event and
 *    audit entry) and PaymentsService requests a refund of everything still refundable (PENDING
 *    refund + its job; the ledger reversal is posted when Stripe confirms, as for every refund);
 *    CLIENT_NO_SHOW → NO_SHOW_CLIENT, the lawyer keeps the payment; DISMISS → the session is not
 *    touched;
 * 3. the ticket is RESOLVED (DISMISS: REJECTED), its history and the audit record the decision,
 *    and the reporter is told.
 *
 * Lock order: ticket, then session (SessionLifecycle), then payment (PaymentsService), as in
 * every other refund path after the session.
 */
@Injectable()
export class NoShowResolutions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly repo: SupportRepository,
    private readonly support: SupportService,
    private readonly lifecycle: SessionLifecycle,
    private readonly payments: PaymentsService,
    private readonly audit: AuditService,
  ) {}

  async resolve(actor: AuthUser, ticketId: string, input: { decision: NoShowDecision; note?: string }): Promise<AdminTicketDetail> {
    const resolution = resolutionOf(input.decision);
    await transactionWithRetry(this.dataSource, async (m) => {
      const ticket = await this.support.lockOrFail(m, ticketId);
      if (!isNoShow(ticket.category)) throw new NotANoShowTicket();
      if (ticket.resolution === resolution) return; // a repeat (double click): nothing more to do
      if (ticket.resolution) {
        throw new TicketAlreadyResolved(`This ticket was already resolved as ${ticket.resolution}`, { resolution: ticket.resolution });
      }
      if (isClosed(ticket.status)) throw new TicketClosed();

      const note = input.note?.trim() || null;
      const actorRef = { id: actor.id, role: actor.role };
      let sessionStatus: string | null = null;
      let refund: RefundSummary | null = null;
      if (input.decision !== 'DISMISS') {
        const action = input.decision === 'LAWYER_NO_SHOW' ? 'no_show_lawyer' : 'no_show_client';
        const target = input.decision === 'LAWYER_NO_SHOW' ? 'NO_SHOW_LAWYER' : 'NO_SHOW_CLIENT';
        let session = await this.lifecycle.lock(m, ticket.sessionId!);
        // The other side's report of the same session may have been decided the same way already.
        if (session.status !== target) {
          // audit: session.no_show_lawyer | session.no_show_client (written by SessionLifecycle.transition)
          session = await this.lifecycle.transition(m, session, action, actorRef, {}, { ticketId, note });
        }
        sessionStatus = session.status;
        if (input.decision === 'LAWYER_NO_SHOW') {
          const amountMinor = refundable(await this.payments.findForSession(session.id, m));
          if (amountMinor > 0) {
            // audit: refund.requested (written by PaymentsService)
            refund = await this.payments.requestRefund(m, {
              sessionId: session.id,
              amountMinor,
              reason: `The lawyer did not attend (no-show report ${ticketId})`,
              requestedBy: actor.id,
            });
          }
        }
      }

      const now = this.clock.now();
      const status = statusAfter(input.decision);
      await this.repo.update(
        m,
        ticketId,
        { status, resolution, resolutionNote: note, resolvedBy: actor.id, resolvedAt: now, assigneeId: ticket.assigneeId ?? actor.id },
        now,
      );
      const payload = {
        decision: input.decision,
        note,
        sessionId: ticket.sessionId,
        sessionStatus,
        refundId: refund?.id ?? null,
        refundMinor: refund?.amountMinor ?? 0,
        currency: refund?.currency ?? null,
      };
      await this.repo.appendEvent(m, { ticketId, action: 'no_show_resolved', actorId: actor.id, payload, now });
      // audit: support.no_show_resolved
      await this.audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: 'support.no_show_resolved',
        subjectType: 'support_ticket',
        subjectId: ticketId,
        payload,
      });
      // The refund is news for the reporter only when they are the one refunded (the session's client).
      const session = ticket.sessionId ? await this.lifecycle.find(ticket.sessionId, m) : null;
      const reporterRefund = refund && session?.clientId === ticket.reporterId ? refund : null;
      await this.support.notifyClosed(m, ticket, { status, resolution, note, refund: reporterRefund });
    });
    return this.support.getForAdmin(actor, ticketId);
  }
}

