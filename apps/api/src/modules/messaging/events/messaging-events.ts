import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** The NOTIFY channel that carries messaging events to every replica's event streams. */
export const MESSAGING_EVENTS_CHANNEL = 'messaging_events';

/**
 * What a participant's event stream (GET /api/messaging/events) tells their browser: ids only,
 * never content; the browser fetches what changed through the API.
 */
export type MessagingEvent =
  | { type: 'message'; data: { conversationId: string; messageId: string } }
  | { type: 'read'; data: { conversationId: string; userId: string; messageId: string } }
  | { type: 'epoch'; data: { conversationId: string; epoch: number } }
  | { type: 'keys'; data: { userId: string } }
  | { type: 'note'; data: { sessionId: string; conversationId: string; kind: 'AGENDA' | 'PRIVATE' } };

export const MESSAGING_EVENT_TYPES = [
  'message',
  'read',
  'epoch',
  'keys',
  'note',
] as const satisfies readonly MessagingEvent['type'][];

/**
 * A NOTIFY payload: the event and whose streams it goes to. `keys` events also reach everyone who
 * shares a conversation with `data.userId` (each stream knows its user's counterparts); an
 * `opened` envelope is internal: it tells the streams of a new conversation's two participants
 * about each other, and is not forwarded.
 */
export type Envelope =
  { event: MessagingEvent; to: string[] } | { opened: { conversationId: string; clientId: string; lawyerId: string } };

/**
 * Announces events with pg_notify inside the writing transaction: PostgreSQL delivers a
 * notification only when (and if) that transaction commits, to every replica listening, so a
 * stream never hears of a change that did not happen, whichever server it is connected to.
 */
@Injectable()
export class MessagingEventsPublisher {
  async publish(m: EntityManager, envelope: Envelope): Promise<void> {
    await m.query(`SELECT pg_notify($1, $2)`, [MESSAGING_EVENTS_CHANNEL, JSON.stringify(envelope)]);
  }

  /** A change of a conversation (message, read, epoch), for both participants' streams. */
  toParticipants(m: EntityManager, conversation: { clientId: string; lawyerId: string }, event: MessagingEvent): Promise<void> {
    return this.publish(m, { event, to: [conversation.clientId, conversation.lawyerId] });
  }
}
