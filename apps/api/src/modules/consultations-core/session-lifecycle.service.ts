import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit';
import { SessionNotifications } from '../notifications';
import { SessionNotFound } from './consultations.errors';
import { SessionEventSubscribers } from './session-event-subscribers';
import type { LegalSession, SessionChanges } from './legal-session';
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
    private readonly subscribers: SessionEventSubscribers,
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
    await this.appendEvent(manager, session, { action: 'create', fromStatus: null, toStatus: 'PENDING_PAYMENT', actor, payload });
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
      action: 'checkout_attached',
      fromStatus: session.status,
      toStatus: session.status,
      actor,
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
    await this.appendEvent(manager, updated, { action, fromStatus: session.status, toStatus: to, actor, payload: eventPayload });
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
   * Records a step that does not change the status (a reschedule proposal, its decline or
   * withdrawal) on a session the caller has locked: a `session_events` row (from = to = the
   * current status) and an audit entry `session.<action>`, in the caller's transaction.
   */
  async record(manager: EntityManager, session: LegalSession, action: SessionEventAction, actor: SessionActor, payload: Record<string, unknown>): Promise<void> {
    await this.appendEvent(manager, session, { action, fromStatus: session.status, toStatus: session.status, actor, payload });
    // audit: session.reschedule_proposed / session.reschedule_declined / session.reschedule_withdrawn
    await this.audit.record(manager, {
      actorId: actor?.id ?? null,
      actorRole: actor?.role ?? null,
      action: `session.${action}`,
      subjectType: 'session',
      subjectId: session.id,
      payload: { status: session.status, ...payload },
    });
  }

  /**
   * Opens the lawyer's proposal of a new start on a session the caller has locked and records
   * `reschedule_proposed` { fromStartAt, toStartAt }. The session keeps its time until the
   * client accepts. Whether the proposal is allowed is the caller's check (`proposeRefusal`).
   */
  async propose(manager: EntityManager, session: LegalSession, toStartAt: Date, actor: SessionActor, now: Date): Promise<LegalSession> {
    const updated = await this.repo.setProposal(manager, session.id, { startAt: toStartAt, at: now });
    await this.record(manager, updated, 'reschedule_proposed', actor, {
      fromStartAt: session.startAt?.toISOString() ?? null,
      toStartAt: toStartAt.toISOString(),
    });
    return updated;
  }

  /**
   * Closes the open proposal without moving the session: the client declined it and keeps the
   * time (`reschedule_declined`, outcome 'kept') or the lawyer withdrew it (`reschedule_withdrawn`).
   */
  async closeProposal(
    manager: EntityManager,
    session: LegalSession,
    how: { action: 'reschedule_declined' } | { action: 'reschedule_withdrawn' },
    actor: SessionActor,
  ): Promise<LegalSession> {
    const toStartAt = session.proposedStartAt?.toISOString() ?? null;
    const updated = await this.repo.setProposal(manager, session.id, null);
    const payload =
      how.action === 'reschedule_declined'
        ? { fromStartAt: session.startAt?.toISOString() ?? null, toStartAt, outcome: 'kept' }
        : { toStartAt };
    await this.record(manager, updated, how.action, actor, payload);
    return updated;
  }

  /** The client's newest still-open (PENDING_PAYMENT, unexpired) checkout session of the offering, locked, if any. */
  lockOpenCheckout(manager: EntityManager, clientId: string, offeringId: string, now: Date): Promise<LegalSession | null> {
    return this.repo.lockOpenCheckout(manager, clientId, offeringId, now);
  }

  /**
   * The one place a `session_events` row is appended: every change of a session (transitions,
   * creation, checkout links, recorded steps) goes through here with the session as it is after
   * the change, so whatever follows a session event (notifications, then the
   * `SessionEventSubscribers`) hooks in once.
   */
  private async appendEvent(
    manager: EntityManager,
    sessionAfter: LegalSession,
    e: { action: string; fromStatus: LegalSession['status'] | null; toStatus: LegalSession['status']; actor: SessionActor; payload: Record<string, unknown> },
  ): Promise<void> {
    const event = {
      sessionId: sessionAfter.id,
      action: e.action,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorId: e.actor?.id ?? null,
      actorRole: e.actor?.role ?? null,
      payload: e.payload,
    };
    const id = await this.repo.appendEvent(manager, event);
    // The notifications module tells the client and the lawyer, in this same transaction: no
    // message without the change, and none lost.
    await this.notifications.onSessionEvent(manager, sessionAfter, { ...event, id });
    // Then the modules that subscribed (reviews opens its window on COMPLETED), in the same transaction.
    await this.subscribers.publish(manager, sessionAfter, { ...event, id });
  }
}

/** Steps recorded without a change of status (see `SessionLifecycle.record`). */
export type SessionEventAction = 'reschedule_proposed' | 'reschedule_declined' | 'reschedule_withdrawn';

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
