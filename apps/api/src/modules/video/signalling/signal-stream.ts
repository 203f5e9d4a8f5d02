import type { Logger } from '@nestjs/common';
import type { DeliverableSignal } from './video-signals.repository';

/** Comment line sent every HEARTBEAT_MS so proxies and the browser keep an idle stream open. */
export const HEARTBEAT_MS = 15_000;
/** Messages fetched per query while catching up. */
const BATCH = 100;

/** The writable end of one HTTP response (a Node `ServerResponse`); kept minimal so services never see Fastify. */
export interface SseSink {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

export interface SignalStreamOwner {
  sessionId: string;
  userId: string;
  identity: string;
}

/**
 * One participant's open event stream. Whenever it is poked (a NOTIFY for its session, the
 * listener reconnecting, every heartbeat) it fetches the messages after the last id it delivered,
 * writes them as `id: <n>\nevent: signal\ndata: {...}\n\n` and moves its cursor; pokes during a
 * fetch coalesce into one more round, so nothing is delivered twice or skipped. The server's
 * 'ended' message is the last one: the stream ends after it.
 */
export class SignalStream {
  private closed = false;
  private pumping = false;
  private again = false;
  private heartbeat?: NodeJS.Timeout;
  private sink?: SseSink;

  constructor(
    readonly owner: SignalStreamOwner,
    private cursor: string,
    private readonly fetch: (afterId: string, limit: number) => Promise<DeliverableSignal[]>,
    private readonly onClose: (stream: SignalStream) => void,
    private readonly logger: Logger,
    private readonly heartbeatMs: number = HEARTBEAT_MS,
  ) {}

  get lastId(): string {
    return this.cursor;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts writing to `sink`: the `ready` event (its id is the cursor), then whatever is new. */
  attach(sink: SseSink, ready: object): void {
    this.sink = sink;
    sink.once('close', () => this.close());
    if (sink.destroyed) {
      this.close();
      return;
    }
    sink.write(`retry: 2000\nid: ${this.cursor}\nevent: ready\ndata: ${JSON.stringify(ready)}\n\n`);
    this.heartbeat = setInterval(() => {
      this.sink?.write(': ping\n\n');
      this.poke();
    }, this.heartbeatMs);
    this.heartbeat.unref();
    this.poke();
  }

  /** Delivers whatever is new (coalesced with a delivery already running). */
  poke(): void {
    if (this.closed || !this.sink) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  /** Ends the response (server side); the close handling follows from the sink's 'close'. */
  end(): void {
    if (this.closed) return;
    if (this.sink && !this.sink.destroyed) this.sink.end();
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.onClose(this);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const rows = await this.fetch(this.cursor, BATCH);
          for (const row of rows) {
            if (this.closed) return;
            const ok = this.sink!.write(`id: ${row.id}\nevent: signal\ndata: ${JSON.stringify({ id: row.id, from: row.from, type: row.type, data: row.data })}\n\n`);
            this.cursor = row.id;
            if (row.from === 'server' && row.type === 'ended') {
              this.end();
              return;
            }
            if (!ok) await this.drained();
          }
          if (rows.length < BATCH || this.closed) break;
        }
      } while (this.again && !this.closed);
    } catch (e) {
      // The next poke (at the latest the heartbeat) tries again from the same cursor.
      this.logger.warn(`Signal delivery for session ${this.owner.sessionId} failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.pumping = false;
    }
  }

  /** Resolves when the sink can take more, or is gone. */
  private drained(): Promise<void> {
    const sink = this.sink!;
    return new Promise((resolve) => {
      const done = (): void => {
        sink.removeListener('drain', done);
        sink.removeListener('close', done);
        resolve();
      };
      sink.once('drain', done);
      sink.once('close', done);
    });
  }
}
