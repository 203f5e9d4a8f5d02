import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../../common/auth/auth-user';
import { Clock } from '../../../common/time/clock';
import { ConversationsRepository } from '../conversations.repository';
import { MessagingEventsUnavailable, MessagingStreamLimit } from '../messaging.errors';
import { EventStream, HEARTBEAT_MS, type SseSink } from './event-stream';
import { MessagingEventListener } from './messaging-event-listener';

/** Open event streams one user may hold on one server (tabs and devices); one more is a 429. */
export const MAX_STREAMS_PER_USER = 5;
/** A stream opened with a credential that does not expire (an API key) is still ended this often, so access is re-checked. */
export const MAX_STREAM_MS = 60 * 60_000;

/** A stream that passed the checks; `attach` starts writing to the response. */
export interface OpenedEventStream {
  attach(sink: SseSink): void;
  /** Gives up on a stream that will never be attached (the response failed first). */
  abandon(): void;
}

/**
 * The caller's live event stream: opened once the listener is up and the caller is under their
 * per-server limit, ended at their access token's expiry, and all ended before the HTTP server
 * closes at shutdown (a stream never ends by itself, so the server's close would otherwise wait
 * for every browser to go away).
 */
@Injectable()
export class MessagingStreams implements BeforeApplicationShutdown {
  private shuttingDown = false;
  /** Streams being opened (counted against the limit before their first await). */
  private readonly opening = new Map<string, number>();
  /** Interval of the `: ping` comment of streams opened from now on. */
  heartbeatMs = HEARTBEAT_MS;
  maxStreamsPerUser = MAX_STREAMS_PER_USER;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly listener: MessagingEventListener,
    private readonly conversations: ConversationsRepository,
  ) {}

  async open(actor: AuthUser): Promise<OpenedEventStream> {
    if (this.shuttingDown) throw new MessagingEventsUnavailable();
    const pending = this.opening.get(actor.id) ?? 0;
    if (this.listener.countFor(actor.id) + pending >= this.maxStreamsPerUser)
      throw new MessagingStreamLimit(undefined, { max: this.maxStreamsPerUser });
    this.opening.set(actor.id, pending + 1);
    let counterparts: string[];
    try {
      await this.listener.ensureListening();
      counterparts = await this.conversations.counterparts(this.dataSource.manager, actor.id);
    } finally {
      const n = (this.opening.get(actor.id) ?? 1) - 1;
      if (n <= 0) this.opening.delete(actor.id);
      else this.opening.set(actor.id, n);
    }
    const lifetimeMs = actor.accessExpiresAt
      ? Math.min(actor.accessExpiresAt.getTime() - this.clock.nowMs(), MAX_STREAM_MS)
      : MAX_STREAM_MS;
    const stream = new EventStream(actor.id, new Set(counterparts), lifetimeMs, (s) => this.listener.remove(s), this.heartbeatMs);
    let settled = false;
    return {
      attach: (sink) => {
        if (settled) return;
        settled = true;
        if (this.shuttingDown) {
          sink.end();
          return;
        }
        this.listener.add(stream);
        stream.attach(sink);
        // A conversation opened between the first read and add() was announced to no stream of
        // this user: read the counterparts once more now that this one hears the announcements.
        void this.conversations.counterparts(this.dataSource.manager, actor.id).then(
          (ids) => ids.forEach((id) => stream.counterparts.add(id)),
          () => undefined, // the first read stands; the next reconnect reads them again
        );
      },
      abandon: () => {
        settled = true;
      },
    };
  }

  /** Ends every open stream before the HTTP server closes (Nest calls this before it stops listening). */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const stream of this.listener.all()) stream.end();
  }
}
