import type { MessagingEvent } from './messaging-events';

/** A `: ping` comment this often keeps proxies and the browser from closing an idle stream. */
export const HEARTBEAT_MS = 20_000;
/** A stream whose client reads slower than this much is buffered for it is ended (the client reconnects and refetches). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The writable end of one HTTP response (a Node `ServerResponse`); kept minimal so services never see Fastify. */
export interface SseSink {
  write(chunk: string): boolean;
  end(): void;
  once(event: 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
  readonly writableLength: number;
}

/**
 * One open event stream of a user: the events routed to it are written as
 * `event: <type>\ndata: <json>\n\n`, a `: ping` comment goes out every heartbeat, and it ends
 * itself at `endsAt` (when the access token it was opened with expires: the client reconnects
 * with a fresh one, and a suspended account stops receiving). Closing, from either side, runs
 * `onClose` once.
 */
export class EventStream {
  private closed = false;
  private sink?: SseSink;
  private heartbeat?: NodeJS.Timeout;
  private expiry?: NodeJS.Timeout;

  constructor(
    readonly userId: string,
    /** Who `userId` shares a conversation with: their `keys` events concern this stream too. */
    readonly counterparts: Set<string>,
    private readonly lifetimeMs: number,
    private readonly onClose: (stream: EventStream) => void,
    private readonly heartbeatMs: number = HEARTBEAT_MS,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts writing to `sink`: the reconnection delay and a comment (so the client sees the stream open), then events. */
  attach(sink: SseSink): void {
    this.sink = sink;
    sink.once('close', () => this.close());
    if (sink.destroyed) {
      this.close();
      return;
    }
    sink.write('retry: 3000\n: connected\n\n');
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), this.heartbeatMs);
    this.heartbeat.unref();
    this.expiry = setTimeout(() => this.end(), Math.max(0, this.lifetimeMs));
    this.expiry.unref();
  }

  /** Whether this stream is told about `event`, sent to `to` (see Envelope). */
  wants(event: MessagingEvent, to: readonly string[]): boolean {
    if (to.includes(this.userId)) return true;
    return event.type === 'keys' && this.counterparts.has(event.data.userId);
  }

  send(event: MessagingEvent): void {
    this.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
  }

  /** Ends the response (server side); the close handling follows. */
  end(): void {
    if (this.closed) return;
    if (this.sink && !this.sink.destroyed) this.sink.end();
    this.close();
  }

  private write(chunk: string): void {
    if (this.closed || !this.sink || this.sink.destroyed) return;
    // A client that stopped reading: rather than buffer without bound, end its stream.
    if (this.sink.writableLength > MAX_BUFFERED_BYTES) {
      this.end();
      return;
    }
    this.sink.write(chunk);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.expiry) clearTimeout(this.expiry);
    this.onClose(this);
  }
}
