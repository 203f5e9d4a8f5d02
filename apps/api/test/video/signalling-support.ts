import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import type { TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

/** One event of a stream as the browser's parser would see it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: unknown;
}

export interface Signal {
  id: string;
  from: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * A participant's event stream read over real HTTP (as the SPA reads it with fetch): parses
 * events as they arrive; `close()` drops the connection like a closed tab.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  private buffer = '';

  private constructor(
    private readonly req: ClientRequest,
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
  ) {}

  static open(base: string, sessionId: string, token: string, lastEventId?: string): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const req = httpRequest(`${base}/api/sessions/${sessionId}/video/signals`, { headers }, (res) => {
        const client = new SseClient(req, res.statusCode ?? 0, res.headers);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        res.on('end', () => (client.ended = true));
        res.on('error', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** The `signal` events, as `{ id, from, type, data }`. */
  get signals(): Signal[] {
    return this.events.filter((e) => e.event === 'signal').map((e) => e.data as Signal);
  }

  /** Signals sent by the other participant (not the server's). */
  get fromPeer(): Signal[] {
    return this.signals.filter((s) => s.from !== 'server');
  }

  get ready(): { identity: string; role: string; peers: { identity: string; role: string }[] } | undefined {
    return this.events.find((e) => e.event === 'ready')?.data as never;
  }

  /** Text of the body so far (error bodies). */
  get text(): string {
    return this.buffer;
  }

  waitFor<T>(read: (c: SseClient) => T, ok: (v: T) => boolean = Boolean, timeoutMs = 10_000): Promise<T> {
    return eventually(() => read(this), ok, timeoutMs);
  }

  close(): void {
    this.req.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    if (this.status !== 200) return;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: SseEvent = { event: 'message', data: undefined };
      let data: string[] = [];
      let hasField = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          this.comments++;
          continue;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data = [...data, value];
        else continue;
        hasField = true;
      }
      if (hasField && data.length > 0) {
        event.data = JSON.parse(data.join('\n'));
        this.events.push(event);
      }
    }
  }
}

export const baseOf = (app: NestFastifyApplication): string => `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;


/** A call for the signalling specs, on a listening test app: its session, participants and their identities. */
export interface CallScene {
  sessionId: string;
  client: Caller;
  lawyer: Caller;
  identities: Record<'client' | 'lawyer', string>;
}

/**
 * The signalling specs' moves on one listening test app: make a call, open streams (closed by
 * `closeAll`), post messages, read attendance.
 */
export class SignallingDriver {
  private readonly open: SseClient[] = [];

  constructor(
    private readonly t: TestApp,
    readonly base: string,
  ) {}

  /** A paid session of a new client with a new lawyer, starting in 5 minutes (the call is open); by default both joined. */
  async callScene(opts: { join?: boolean } = {}): Promise<CallScene> {
    const t = this.t;
    const lawyer = await createBookableLawyer(t);
    const client = await signedIn(t);
    const session = await createSession(t, { clientId: client.id, lawyer });
    await scheduleDirectly(t, session.id, new Date(t.clock.nowMs() + 5 * 60_000));
    const identities = { client: '', lawyer: '' };
    if (opts.join !== false) {
      for (const [side, who] of [['client', client], ['lawyer', asCaller(lawyer)]] as const) {
        const res = await request(t.server).post(`/api/sessions/${session.id}/video/join`).set(bearer(who.token)).send({ recordingConsent: false }).expect(200);
        identities[side] = res.body.identity as string;
      }
    }
    return { sessionId: session.id, client, lawyer: asCaller(lawyer), identities };
  }

  async stream(sessionId: string, who: Caller, opts: { lastEventId?: string; at?: string } = {}): Promise<SseClient> {
    const c = await SseClient.open(opts.at ?? this.base, sessionId, who.token, opts.lastEventId);
    this.open.push(c);
    return c;
  }

  send(sessionId: string, who: Caller, body: object, at: string = this.base): Promise<request.Response> {
    return request(at).post(`/api/sessions/${sessionId}/video/signals`).set(bearer(who.token)).send(body);
  }

  /** Posts a message that must be accepted (202 with its id); the id. */
  async sendOk(sessionId: string, who: Caller, body: object, at?: string): Promise<string> {
    const res = await this.send(sessionId, who, body, at);
    if (res.status !== 202 || !/^\d+$/.test(String(res.body.id))) throw new Error(`signal refused: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async attendance(sessionId: string, who: Caller): Promise<{ role: string; event: string; source: string }[]> {
    const res = await request(this.t.server).get(`/api/sessions/${sessionId}/attendance`).set(bearer(who.token)).expect(200);
    return (res.body.items as { role: string; event: string; source: string }[]).map(({ role, event, source }) => ({ role, event, source }));
  }

  closeAll(): void {
    for (const c of this.open.splice(0)) c.close();
  }
}
