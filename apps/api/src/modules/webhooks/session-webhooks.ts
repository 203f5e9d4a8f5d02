import { Injectable, OnModuleInit } from '@nestjs/common';
import type { WebhookEventType } from '@lm/domain';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { SessionEventSubscribers, type AppendedSessionEvent, type LegalSession } from '../consultations-core';
import { NotificationsService } from '../notifications';
import { WebhookEvents } from './webhook-events.service';

/** Which session event actions are webhook events (others, e.g. create, expire, start, proposals, are not). */
const TYPE_OF_ACTION: Partial<Record<string, WebhookEventType>> = {
  pay: 'session.paid',
  schedule: 'session.scheduled',
  // A direct move and the client's acceptance of the lawyer's proposal are both `reschedule`.
  reschedule: 'session.rescheduled',
  cancel: 'session.cancelled',
  complete: 'session.completed',
};

/**
 * The session.* webhook events, emitted in the transaction that appends the session event
 * (consultations-core's `SessionEventSubscribers`, like the messaging module's conversation
 * opener; consultations-core does not depend on webhooks). The client and the lawyer each get
 * their own payload: the session, their side, and the other party's display name only (never
 * their email, id or anything else of theirs). A cancelled checkout that was never paid is no
 * event: the lawyer never heard of it.
 */
@Injectable()
export class SessionWebhooks implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly subscribers: SessionEventSubscribers,
    private readonly events: WebhookEvents,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe((m, session, event) => this.onSessionEvent(m, session, event));
  }

  async onSessionEvent(m: EntityManager, session: LegalSession, event: AppendedSessionEvent): Promise<void> {
    const type = TYPE_OF_ACTION[event.action];
    if (!type || session.clientId === session.lawyerId) return;
    if (type === 'session.cancelled' && event.fromStatus === 'PENDING_PAYMENT') return;
    const names = await this.notifications.names(m, [session.clientId, session.lawyerId]);
    const occurredAt = occurredAtOf(session, type) ?? this.clock.now();
    const p = event.payload;
    const recipients = (['CLIENT', 'LAWYER'] as const).map((side) => {
      const userId = side === 'CLIENT' ? session.clientId : session.lawyerId;
      const counterpartId = side === 'CLIENT' ? session.lawyerId : session.clientId;
      const data: Record<string, unknown> = {
        session: {
          id: session.id,
          status: session.status,
          role: side,
          startAt: iso(session.startAt),
          endAt: iso(session.endAt),
          durationMinutes: session.durationMinutes,
          offering: { title: session.offeringTitle },
          price: { amountMinor: session.priceMinor, currency: session.currency },
          counterpart: { displayName: names.get(counterpartId) ?? null },
          paidAt: iso(session.paidAt),
          cancelledAt: iso(session.cancelledAt),
          completedAt: iso(session.completedAt),
        },
      };
      if (type === 'session.rescheduled') {
        data.previousStartAt = typeof p.fromStartAt === 'string' ? p.fromStartAt : null;
        data.proposalAccepted = p.proposal === 'accepted';
      }
      if (type === 'session.cancelled') {
        data.cancellation = {
          by:
            event.actorId === null
              ? 'system'
              : event.actorId === userId
                ? 'you'
                : event.actorId === counterpartId
                  ? 'counterpart'
                  : 'system',
          policy: typeof p.policy === 'string' ? p.policy : null,
          refundMinor: typeof p.refundMinor === 'number' ? p.refundMinor : 0,
        };
      }
      return { userId, data };
    });
    await this.events.emit(m, { type, occurredAt, recipients });
  }
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/** When the change happened, where the session keeps that instant (else: now). */
function occurredAtOf(s: LegalSession, type: WebhookEventType): Date | null {
  return type === 'session.paid'
    ? s.paidAt
    : type === 'session.cancelled'
      ? s.cancelledAt
      : type === 'session.completed'
        ? s.completedAt
        : null;
}
