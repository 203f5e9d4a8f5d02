import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit';
import { SessionEventSubscribers, type AppendedSessionEvent, type LegalSession } from '../consultations-core';
import { ConversationsRepository } from './conversations.repository';
import { MessagingEventsPublisher } from './events/messaging-events';

/**
 * Opens a client–lawyer pair's conversation in the transaction that pays their first session
 * (consultations-core's `SessionEventSubscribers`, action `pay`; consultations-core does not
 * depend on messaging). Later sessions of the pair use the same conversation. Audited as
 * `conversation.opened`.
 */
@Injectable()
export class ConversationOpener implements OnModuleInit {
  constructor(
    private readonly clock: Clock,
    private readonly subscribers: SessionEventSubscribers,
    private readonly conversations: ConversationsRepository,
    private readonly events: MessagingEventsPublisher,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.subscribers.subscribe((m, session, event) => this.onSessionEvent(m, session, event));
  }

  async onSessionEvent(m: EntityManager, session: LegalSession, event: AppendedSessionEvent): Promise<void> {
    if (event.action !== 'pay' || session.clientId === session.lawyerId) return;
    const opened = await this.conversations.open(m, {
      clientId: session.clientId,
      lawyerId: session.lawyerId,
      sessionId: session.id,
      now: session.paidAt ?? this.clock.now(),
    });
    if (!opened) return;
    await this.events.publish(m, { opened: { conversationId: opened.id, clientId: opened.clientId, lawyerId: opened.lawyerId } });
    // audit: conversation.opened
    await this.audit.record(m, {
      actorId: null,
      actorRole: null,
      action: 'conversation.opened',
      subjectType: 'conversation',
      subjectId: opened.id,
      payload: { sessionId: session.id, clientId: opened.clientId, lawyerId: opened.lawyerId },
    });
  }
}
