import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { LegalSession, SessionEvent } from './legal-session';

/** A `session_events` row as `SessionLifecycle` appended it (without its storage time). */
export type AppendedSessionEvent = Omit<SessionEvent, 'occurredAt'>;

/**
 * Reacts to a session event inside the transaction that appended it: a failure rolls the change
 * back, so a reaction exists if and only if the change commits.
 */
export type SessionEventSubscriber = (manager: EntityManager, sessionAfter: LegalSession, event: AppendedSessionEvent) => Promise<void>;

/**
 * Lets modules that depend on consultations-core react to session events without
 * consultations-core importing them (no cycle): a module subscribes in its `onModuleInit`;
 * `SessionLifecycle` calls every subscriber, in subscription order, after each event it appends
 * (and after the session notifications), in the same transaction. The reviews module opens a
 * session's review window here when it is COMPLETED.
 */
@Injectable()
export class SessionEventSubscribers {
  private readonly subscribers: SessionEventSubscriber[] = [];

  subscribe(subscriber: SessionEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async publish(manager: EntityManager, sessionAfter: LegalSession, event: AppendedSessionEvent): Promise<void> {
    for (const subscriber of this.subscribers) await subscriber(manager, sessionAfter, event);
  }
}
