import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor, NotificationKind, Side } from './notification-kinds';
import { NotificationsService, type Notify } from './notifications.service';

/**
 * What the mapper needs of a session (structurally a `LegalSession` of consultations-core; this
 * module does not import it: consultations-core depends on notifications, not the reverse).
 */
export interface SessionSnapshot {
  id: string;
  clientId: string;
  lawyerId: string;
  offeringTitle: string;
  durationMinutes: number;
  priceMinor: number;
  currency: string;
  status: string;
  startAt: Date | null;
}

/** A `session_events` row as it was appended (its id, when known, makes the messages once-only). */
export interface SessionEventNotice {
  id?: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  actorId: string | null;
  actorRole: string | null;
  payload: Record<string, unknown>;
}

/**
 * Turns session events into messages for the session's client and lawyer. `SessionLifecycle`
 * calls `onSessionEvent` after every event it appends, in the same transaction. Who is told:
 *
 * | event | client | lawyer |
 * |---|---|---|
 * | pay | receipt + "book your time" | new paid consultation |
 * | schedule | booked (confirmation) | new booking |
 * | reschedule (direct) | unless they moved it | unless they moved it |
 * | reschedule (proposal accepted) | yes | yes |
 * | reschedule_proposed / reschedule_declined | yes | yes |
 * | reschedule_withdrawn | yes | unless they withdrew it |
 * | cancel (of a paid session) | yes, with the refund | yes, with the refund |
 * | expire | yes | — |
 * | complete | yes | — |
 */
@Injectable()
export class SessionNotifications {
  constructor(private readonly notifications: NotificationsService) {}

  async onSessionEvent(manager: EntityManager, session: SessionSnapshot, event: SessionEventNotice): Promise<void> {
    const plan = planFor(session, event);
    if (plan.length === 0) return;
    const names = await this.notifications.names(manager, [session.clientId, session.lawyerId]);
    const inputs = plan.map(({ side, build }): Notify<NotificationKind> => {
      const userId = side === 'CLIENT' ? session.clientId : session.lawyerId;
      const counterpartId = side === 'CLIENT' ? session.lawyerId : session.clientId;
      const base = {
        sessionId: session.id,
        side,
        offeringTitle: session.offeringTitle,
        counterpartName: names.get(counterpartId) ?? 'the other party',
      };
      const actor: Actor =
        event.actorId === null
          ? 'system'
          : event.actorId === userId
            ? 'you'
            : event.actorId === counterpartId
              ? 'counterpart'
              : 'system';
      const { kind, params } = build(base, actor);
      return { userId, kind, params, dedupeKey: event.id ? `session-event:${event.id}` : undefined } as Notify<NotificationKind>;
    });
    await this.notifications.notifyMany(manager, inputs);
  }

  /** A refund reached the client (payments: refund SUCCEEDED). Once per refund. */
  async onRefundSucceeded(
    manager: EntityManager,
    refund: { id: string; amountMinor: number; currency: string },
    session: Pick<SessionSnapshot, 'id' | 'clientId' | 'offeringTitle'>,
  ): Promise<void> {
    await this.notifications.notify(manager, {
      userId: session.clientId,
      kind: 'refund.succeeded',
      params: {
        sessionId: session.id,
        offeringTitle: session.offeringTitle,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
      },
      dedupeKey: `refund:${refund.id}`,
    });
  }
}

type Base = { sessionId: string; side: Side; offeringTitle: string; counterpartName: string };
type Build = (base: Base, actor: Actor) => { kind: NotificationKind; params: object };

function planFor(session: SessionSnapshot, event: SessionEventNotice): { side: Side; build: Build }[] {
  const p = event.payload;
  const iso = (v: unknown): string | null => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : null);
  const startAt = session.startAt ? session.startAt.toISOString() : null;
  const actorSide: Side | null =
    event.actorId === session.clientId ? 'CLIENT' : event.actorId === session.lawyerId ? 'LAWYER' : null;
  const both = (build: Build) => (['CLIENT', 'LAWYER'] as const).map((side) => ({ side, build }));
  const others = (build: Build) => both(build).filter((r) => r.side !== actorSide);
  const client = (build: Build) => [{ side: 'CLIENT' as const, build }];

  switch (event.action) {
    case 'pay':
      return both((b) => ({
        kind: 'session.paid',
        params: { ...b, amountMinor: session.priceMinor, currency: session.currency },
      }));
    case 'schedule':
      if (!startAt) return [];
      return both((b, actor) => ({
        kind: 'session.scheduled',
        params: { ...b, startAt, durationMinutes: session.durationMinutes, actor },
      }));
    case 'reschedule': {
      const toStartAt = iso(p.toStartAt) ?? startAt;
      if (!toStartAt) return [];
      const accepted = p.proposal === 'accepted';
      const build: Build = (b, actor) => ({
        kind: 'session.rescheduled',
        params: {
          ...b,
          fromStartAt: iso(p.fromStartAt),
          toStartAt,
          durationMinutes: session.durationMinutes,
          actor,
          ...(accepted ? { proposal: 'accepted' } : {}),
        },
      });
      return accepted ? both(build) : others(build);
    }
    case 'reschedule_proposed': {
      const toStartAt = iso(p.toStartAt);
      if (!toStartAt) return [];
      return both((b, actor) => ({
        kind: 'session.reschedule_proposed',
        params: { ...b, fromStartAt: iso(p.fromStartAt) ?? startAt, toStartAt, actor },
      }));
    }
    case 'reschedule_declined': {
      const toStartAt = iso(p.toStartAt);
      if (!toStartAt) return [];
      return both((b, actor) => ({
        kind: 'session.reschedule_declined',
        params: { ...b, fromStartAt: iso(p.fromStartAt) ?? startAt, toStartAt, actor },
      }));
    }
    case 'reschedule_withdrawn':
      return others((b, actor) => ({
        kind: 'session.reschedule_withdrawn',
        params: { ...b, toStartAt: iso(p.toStartAt), startAt, actor },
      }));
    case 'cancel':
      // An abandoned checkout: nothing was paid and the lawyer never heard of it.
      if (event.fromStatus === 'PENDING_PAYMENT') return [];
      return both((b, actor) => ({
        kind: 'session.cancelled',
        params: {
          ...b,
          startAt,
          actor,
          policy: typeof p.policy === 'string' ? p.policy : null,
          refundMinor: typeof p.refundMinor === 'number' ? p.refundMinor : 0,
          currency: typeof p.currency === 'string' ? p.currency : session.currency,
          proposalDeclined: p.proposal === 'declined',
          reason: typeof p.reason === 'string' && p.reason.trim() ? p.reason.trim() : null,
        },
      }));
    case 'expire':
      return client((b) => ({ kind: 'session.expired', params: b }));
    case 'complete':
      return client((b) => ({ kind: 'session.completed', params: { ...b, startAt } }));
    // A support decision on a no-show report: the absent side is told (the reporter hears from
    // support's ticket resolution, the client also when the refund succeeds).
    case 'no_show_lawyer':
    case 'no_show_client': {
      // The admin's note is written for the reporter (see the support ticket), not sent here.
      const absent: Side = event.action === 'no_show_lawyer' ? 'LAWYER' : 'CLIENT';
      return [{ side: absent, build: (b) => ({ kind: 'session.no_show', params: { ...b, startAt } }) }];
    }
    default:
      // create, checkout_attached, start: nothing to tell.
      return [];
  }
}
