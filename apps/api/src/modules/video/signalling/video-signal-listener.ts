import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, type Notification } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { SignallingUnavailable } from './signalling.errors';
import type { SignalStream } from './signal-stream';
import { VIDEO_SIGNALS_CHANNEL } from './video-signals.repository';

const MAX_BACKOFF_MS = 30_000;

/**
 * The one PostgreSQL connection of this process that LISTENs on `video_signals`, and the open
 * streams of this process by session. A NOTIFY (`<sessionId>:<rowId>`, sent on commit by whichever
 * replica stored the message) pokes the streams of that session, which fetch their new rows
 * themselves. Connected on the first stream; when the connection drops it reconnects with
 * backoff and then pokes every open stream, so a message committed while it was away is still
 * delivered.
 */
@Injectable()
export class VideoSignalListener implements OnApplicationShutdown {
  private readonly logger = new Logger(VideoSignalListener.name);
  private readonly streams = new Map<string, Set<SignalStream>>();
  private client?: Client;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private stopped = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves once this process is listening (connects if needed); SignallingUnavailable if it cannot. */
  async ensureListening(): Promise<void> {
    if (this.stopped) throw new SignallingUnavailable();
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    try {
      await this.connecting;
    } catch (e) {
      this.logger.warn(`Cannot listen for video signals: ${e instanceof Error ? e.message : String(e)}`);
      throw new SignallingUnavailable();
    }
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  add(stream: SignalStream): void {
    const set = this.streams.get(stream.owner.sessionId) ?? new Set<SignalStream>();
    set.add(stream);
    this.streams.set(stream.owner.sessionId, set);
  }

  remove(stream: SignalStream): void {
    const set = this.streams.get(stream.owner.sessionId);
    if (!set) return;
    set.delete(stream);
    if (set.size === 0) this.streams.delete(stream.owner.sessionId);
  }

  /** Every open stream of this process. */
  all(): SignalStream[] {
    return [...this.streams.values()].flatMap((s) => [...s]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const url = (this.dataSource.options as PostgresConnectionOptions).url;
    const client = new Client({ connectionString: url, application_name: 'lm-signals' });
    client.on('error', (err: Error) => {
      this.logger.warn(`Video signal listener connection error: ${err.message}`);
      this.dropped(client);
    });
    client.on('end', () => this.dropped(client));
    client.on('notification', (n: Notification) => this.notified(n));
    try {
      await client.connect();
      await client.query(`LISTEN ${VIDEO_SIGNALS_CHANNEL}`);
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      throw new SignallingUnavailable();
    }
    this.client = client;
    this.attempt = 0;
  }

  private notified(n: Notification): void {
    if (n.channel !== VIDEO_SIGNALS_CHANNEL || !n.payload) return;
    const sessionId = n.payload.slice(0, n.payload.indexOf(':'));
    for (const stream of this.streams.get(sessionId) ?? []) stream.poke();
  }

  private dropped(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn('Video signal listener disconnected; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    // With no open stream there is nothing to deliver: the next stream connects again.
    if (this.streams.size === 0) return;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.attempt++);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureListening().then(
        () => {
          // Whatever was committed while nobody listened.
          for (const stream of this.all()) stream.poke();
        },
        () => this.scheduleReconnect(),
      );
    }, delay);
    this.retryTimer.unref();
  }
}
