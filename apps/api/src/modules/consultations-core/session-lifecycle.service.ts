import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit';
import { SessionNotifications } from '../notifications';
import { SessionNotFound } from './consultations.errors';
import type { LegalSession, SessionChanges, SessionEvent } from './legal-session';
import { transitionRefusal } from './session-rules';
import { nextStatus, type SessionAction } from './session-state-machine';
import { SessionsRepository } from './sessions.repository';

/** Who caused a change: a user, or the system (null: webhooks, jobs). */
export type SessionActor = { id: string; role: string } | null;

export interface NewSession {
  clientId: string;
  lawyerId: string;
  offering: { id: string; title: string; durationMinutes: number; priceMinor: number; currency: string };
  checkoutExpiresAt: Date;
  /** The Stripe Checkout Session, when it already exists (otherwise see `attachCheckout`). */
  stripeCheckoutSessionId?: string;
}

/**
 * The one way a `legal_sessions` row changes: check the move against the state machine, write
 * the row, append a `session_events` row and an audit entry, all in the caller's transaction.
 * Exported to the payments module (create, pay, expire) and used by the consultations
 * endpoints (schedule, reschedule, cancel, complete).
 */
@Injectable()
export class SessionLifecycle {
  constructor(
    private readonly repo: SessionsRepository,
    private readonly audit: AuditService,
    private readonly notifications: SessionNotifications,
  ) {}

  /** A new session in PENDING_PAYMENT with the offering's terms frozen on it. */
  async createPending(manager: EntityManager, input: NewSession, actor: SessionActor): Promise<LegalSession> {
    const session = await this.repo.insertPending(manager, {
      clientId: input.clientId,
      lawyerId: input.lawyerId,
      offeringId: input.offering.id,
      offeringTitle: input.offering.title,
      durationMinutes: input.offering.durationMinutes,
      priceMinor: input.offering.priceMinor,
      currency: input.offering.currency,
      checkoutExpiresAt: input.checkoutExpiresAt,
      stripeCheckoutSessionId: input.stripeCheckoutSessionId ?? null,
    });
    const payload = {
      offeringId: input.offering.id,
      lawyerId: input.lawyerId,
      priceMinor: input.offering.priceMinor,
      currency: input.offering.currency,
      durationMinutes: input.offering.durationMinutes,
      ...(input.stripeCheckoutSessionId ? { stripeCheckoutSessionId: input.stripeCheckoutSessionId } : {}),
    };
    await this.appendEvent(manager, session, {
      sessionId: session.id,
      action: 'create',
      fromStatus: null,
      toStatus: 'PENDING_PAYMENT',
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      payload,
    });
    // audit: session.created
    await this.audit.record(manager, {
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: 'session.created',
      subjectType: 'session',
      subjectId: session.id,
      payload: { ...payload, to: 'PENDING_PAYMENT' },
    });
    return session;
  }

  /** Locks the session for a change in the running transaction; 404 when it does not exist. */
  async lock(manager: EntityManager, sessionId: string): Promise<LegalSession> {
    const session = await this.repo.lock(manager, sessionId);
    if (!session) throw new SessionNotFound();
    return session;
  }

  /**
   * Locks a session the user takes part in (as its client or its lawyer); 404 for anyone else,
   * so the existence of other people's sessions is never revealed.
   */
  async lockForParticipant(manager: EntityManager, sessionId: string, userId: string): Promise<LegalSession> {
    const session = await this.repo.lockForParticipant(manager, sessionId, userId);
    if (!session) throw new SessionNotFound();
    return session;
  }

  lockByCheckoutSession(manager: EntityManager, checkoutSessionId: string): Promise<LegalSession | null> {
    return this.repo.lockByCheckoutSession(manager, checkoutSessionId);
  }

  find(sessionId: string, manager?: EntityManager): Promise<LegalSession | null> {
    return this.repo.find(sessionId, manager);
  }

  /** Sessions still waiting for payment past their checkout deadline at `now`, oldest first. */
  overdueCheckouts(now: Date, limit: number): Promise<string[]> {
    return this.repo.overdueCheckouts(now, limit);
  }

  /**
   * Links the Stripe Checkout Session created for a session the caller has locked. Not a move of
   * the state machine (the status stays what it is, even if the session expired meanwhile: a
   * payment on that checkout must still be matched), but a change of the row all the same, so it
   * appends a `checkout_attached` event like every other change. Once only: false (and nothing
   * written) when the session already has a checkout.
   */
  async attachCheckout(manager: EntityManager, session: LegalSession, checkoutSessionId: string, actor: SessionActor): Promise<boolean> {
    if (session.stripeCheckoutSessionId !== null) return false;
    const updated = await this.repo.update(manager, session.id, session.status, { stripeCheckoutSessionId: checkoutSessionId });
    await this.appendEvent(manager, updated, {
      sessionId: session.id,
      action: 'checkout_attached',
      fromStatus: session.status,
      toStatus: session.status,
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      payload: { stripeCheckoutSessionId: checkoutSessionId },
    });
    return true;
  }

  /** Whether `action` is allowed from the session's status (for callers that skip instead of failing). */
  can(session: LegalSession, action: SessionAction): boolean {
    return nextStatus(session.status, action) !== null;
  }

  /**
   * Applies `action` to a session the caller has locked (see `lock`). Throws 409
   * SESSION_NOT_PAID for scheduling an unpaid session and SESSION_TRANSITION_NOT_ALLOWED for
   * any other illegal move; nothing is written then.
   */
  async transition(
    manager: EntityManager,
    session: LegalSession,
    action: SessionAction,
    actor: SessionActor,
    changes: SessionChanges = {},
    payload: Record<string, unknown> = {},
  ): Promise<LegalSession> {
    const refusal = transitionRefusal(session.status, action);
    if (refusal) throw refusal;
    const to = nextStatus(session.status, action)!;
    const updated = await this.repo.update(manager, session.id, to, changes);
    const eventPayload = { ...payload, ...serialise(changes) };
    await this.appendEvent(manager, updated, {
      sessionId: session.id,
      action,
      fromStatus: session.status,
      toStatus: to,
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      payload: eventPayload,
    });
    // audit: session.<action> (session.paid, session.scheduled, session.cancelled, ...)
    await this.audit.record(manager, {
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: `session.${AUDIT_VERB[action]}`,
      subjectType: 'session',
      subjectId: session.id,
      payload: { from: session.status, to, ...eventPayload },
    });
    return updated;
  }

  /**
   * Every `session_events` row goes through here: appended in the caller's transaction, then
   * handed with the session as it is after the change to the notifications module, which tells
   * the client and the lawyer (same transaction: no message without the change, and none lost).
   */
  private async appendEvent(manager: EntityManager, after: LegalSession, event: Omit<SessionEvent, 'id' | 'occurredAt'>): Promise<void> {
    const id = await this.repo.appendEvent(manager, event);
    await this.notifications.onSessionEvent(manager, after, { ...event, id });
  }
}

const AUDIT_VERB: Record<SessionAction, string> = {
  pay: 'paid',
  expire: 'expired',
  schedule: 'scheduled',
  reschedule: 'rescheduled',
  start: 'started',
  complete: 'completed',
  cancel: 'cancelled',
  no_show_client: 'no_show_client',
  no_show_lawyer: 'no_show_lawyer',
};

function serialise(changes: SessionChanges): Record<string, unknown> {
  return Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
}
