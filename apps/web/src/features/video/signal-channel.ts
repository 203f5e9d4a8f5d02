import { ApiError, unwrap, type components } from '@lm/api-client';
import { api } from '../../lib/api';
import { authedFetch, ensureOk } from './authed-fetch';

/** What a browser may relay to the other one. */
export type SignalType = components['schemas']['SendSignalDto']['type'];

/** One message of the signalling stream (`event: signal`). */
export interface SignalMessage {
  id: number;
  /** The sender's participant identity, or 'server'. */
  from: string;
  type: string;
  data: unknown;
}

export interface SignalChannelOptions {
  sessionId: string;
  onMessage(message: SignalMessage): void;
  /** true while the stream is open; false while it reconnects. */
  onOpen(open: boolean): void;
  /** The server refused the stream for good (4xx other than 401/429): stop trying. */
  onFatal(error: unknown): void;
}

const RETRY_MS = [500, 1000, 2000, 4000, 8000];

/**
 * The peer-to-peer call's signalling: `GET /api/sessions/:id/video/signals` read as a
 * server-sent event stream through `fetch` (EventSource cannot send the Bearer header), resumed
 * with `Last-Event-ID` after a drop so no message is lost, and `POST …/signals` to send (the
 * generated client).
 */
export class SignalChannel {
  private lastEventId: string | null = null;
  private controller = new AbortController();
  private closed = false;

  constructor(private readonly options: SignalChannelOptions) {}

  start(): void {
    void this.run();
  }

  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  /** `POST /api/sessions/:id/video/signals` (202): a message for the other participant. */
  async send(type: SignalType, data: object, to?: string): Promise<void> {
    await unwrap(
      api.POST('/api/sessions/{id}/video/signals', {
        params: { path: { id: this.options.sessionId } },
        body: { type, data: data as Record<string, unknown>, ...(to ? { to } : {}) },
      }),
    );
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
        const response = await authedFetch(`/api/sessions/${this.options.sessionId}/video/signals`, {
          headers,
          signal: this.controller.signal,
        });
        if (!response.ok || !response.body) {
          if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 429) {
            await ensureOk(response);
          }
          throw new Error(`signalling stream answered ${response.status}`);
        }
        this.options.onOpen(true);
        attempt = 0;
        await this.read(response.body);
      } catch (error) {
        if (this.closed) return;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
          this.options.onFatal(error);
          return;
        }
      }
      if (this.closed) return;
      this.options.onOpen(false);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]));
    }
  }

  /** Parses the event stream (text/event-stream framing) until it ends. */
  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.dispatch(block);
      }
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = value;
      else if (field === 'data') data.push(value);
    }
    if (id !== null) this.lastEventId = id;
    if (event !== 'signal' || data.length === 0) return;
    try {
      const message = JSON.parse(data.join('\n')) as SignalMessage;
      this.options.onMessage(message);
    } catch {
      // A malformed event is skipped; the stream goes on.
    }
  }
}
