import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type Notification } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { MessagingEventsUnavailable } from '../messaging.errors';
import type { EventStream } from './event-stream';
import { MESSAGING_EVENT_TYPES, MESSAGING_EVENTS_CHANNEL, type Envelope, type MessagingEvent } from './messaging-events';

/**
 * The one PostgreSQL connection of this process that LISTENs on `messaging_events` (its own
 * client, with the pool's connection settings: a pooled connection would be handed to other
 * queries), and the open event streams of this process by user. A notification is routed only to
 * the streams of the users it names (and, for `keys`, of those who share a conversation with the
 * user whose keys changed).
 *
 * Connected by the first stream. If the connection drops, every open stream is ended: events
 * committed while nobody listened would otherwise be missed silently, and a client that
 * reconnects refetches what it shows. The next stream connects again.
 */
@Injectable()
export class MessagingEventListener implements OnApplicationShutdown {
  private readonly logger = new Logger(MessagingEventListener.name);
  private readonly streams = new Map<string, Set<EventStream>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private stopped = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves once this process is listening (connects if needed); MessagingEventsUnavailable if it cannot. */
  async ensureListening(): Promise<void> {
    if (this.stopped) throw new MessagingEventsUnavailable();
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    try {
      await this.connecting;
    } catch (e) {
      this.logger.warn(`Cannot listen for messaging events: ${e instanceof Error ? e.message : String(e)}`);
      throw new MessagingEventsUnavailable();
    }
  }

  add(stream: EventStream): void {
    const set = this.streams.get(stream.userId) ?? new Set<EventStream>();
    set.add(stream);
    this.streams.set(stream.userId, set);
  }

  remove(stream: EventStream): void {
    const set = this.streams.get(stream.userId);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) this.streams.delete(stream.userId);
  }

  /** Open streams of one user on this process. */
  countFor(userId: string): number {
    return this.streams.get(userId)?.size ?? 0;
  }

  all(): EventStream[] {
    return [...this.streams.values()].flatMap((s) => [...s]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Routes one envelope to this process's streams (also used directly by tests of the routing). */
  dispatch(envelope: Envelope): void {
    if ('opened' in envelope) {
      const { clientId, lawyerId } = envelope.opened;
      for (const s of this.streams.get(clientId) ?? []) s.counterparts.add(lawyerId);
      for (const s of this.streams.get(lawyerId) ?? []) s.counterparts.add(clientId);
      return;
    }
    const { event, to } = envelope;
    if (event.type === 'keys') {
      for (const stream of this.all()) if (stream.wants(event, to)) stream.send(event);
      return;
    }
    for (const userId of new Set(to)) for (const stream of this.streams.get(userId) ?? []) stream.send(event);
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    const client = new Client({ connectionString: url, application_name: 'lm-messaging-events' });
    client.on('error', (err: Error) => {
      this.logger.warn(`Messaging event listener connection error: ${err.message}`);
      this.dropped(client);
    });
    client.on('end', () => this.dropped(client));
    client.on('notification', (n: Notification) => this.notified(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${MESSAGING_EVENTS_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new MessagingEventsUnavailable();
    }
    this.client = client;
  }

  private notified(n: Notification): void {
    if (n.channel !== MESSAGING_EVENTS_CHANNEL || !n.payload) return;
    const envelope = parseEnvelope(n.payload);
    if (!envelope) {
      this.logger.warn('Ignored a malformed messaging notification');
      return;
    }
    this.dispatch(envelope);
  }

  private dropped(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    const open = this.all();
    if (open.length > 0)
      this.logger.warn(`Messaging event listener disconnected; ending ${open.length} open streams (clients reconnect)`);
    for (const stream of open) stream.end();
  }
}

const TYPES = new Set<string>(MESSAGING_EVENT_TYPES);

/** The envelope in a notification's payload, or null when it is not one this module sends. */
export function parseEnvelope(payload: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (v.opened && typeof v.opened === 'object') {
    const o = v.opened as Record<string, unknown>;
    if (typeof o.conversationId === 'string' && typeof o.clientId === 'string' && typeof o.lawyerId === 'string') {
      return { opened: { conversationId: o.conversationId, clientId: o.clientId, lawyerId: o.lawyerId } };
    }
    return null;
  }
  const event = v.event as { type?: unknown; data?: unknown } | undefined;
  if (!event || typeof event.type !== 'string' || !TYPES.has(event.type) || !event.data || typeof event.data !== 'object')
    return null;
  if (!Array.isArray(v.to) || !v.to.every((u) => typeof u === 'string')) return null;
  return { event: event as MessagingEvent, to: v.to as string[] };
}
