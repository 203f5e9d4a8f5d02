import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SessionEvent } from './legal-session';
import { SessionViewsRepository, type SessionListFilter, type SessionView } from './session-views.repository';
import { SessionsRepository } from './sessions.repository';

/** Read side of the sessions: lists, details with both participants' names, and the event history. */
@Injectable()
export class SessionQueries {
  constructor(
    private readonly views: SessionViewsRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  /** The session if `userId` is its client or lawyer; null otherwise (`userId` null: any session, for admins). */
  find(id: string, userId: string | null, manager?: EntityManager): Promise<SessionView | null> {
    return this.views.find(id, userId, manager);
  }

  list(filter: SessionListFilter): Promise<{ items: SessionView[]; total: number }> {
    return this.views.list(filter);
  }

  events(sessionId: string, manager?: EntityManager): Promise<SessionEvent[]> {
    return this.sessions.events(sessionId, manager);
  }
}
