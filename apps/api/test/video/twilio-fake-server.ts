import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** Credentials the fake accepts and the app is configured with (the formats AppConfig checks). */
export const TWILIO_TEST_CREDENTIALS = {
  accountSid: `AC${'a1'.repeat(16)}`,
  apiKeySid: `SK${'b2'.repeat(16)}`,
  apiKeySecret: 'fake-api-key-secret-0123456789',
  authToken: 'fake-auth-token-0123456789abcdef',
} as const;

export interface RecordedTwilioRequest {
  method: string;
  path: string;
  query: string;
  /** The decoded form body (POST) or query (GET). */
  params: Record<string, string>;
  status: number;
}

export interface FakeRoom {
  sid: string;
  uniqueName: string;
  status: 'in-progress' | 'completed';
  type: string;
  statusCallback: string | null;
  statusCallbackMethod: string | null;
  recordParticipantsOnConnect: boolean;
  /** Each RecordingRules update, in order (the `Rules` JSON as sent). */
  rules: { type: string; all?: boolean }[][];
  createdAt: Date;
}

export interface FakeComposition {
  sid: string;
  roomSid: string;
  status: 'enqueued' | 'processing' | 'completed' | 'deleted' | 'failed';
  format: string;
  audioSources: string[];
  videoLayout: unknown;
  statusCallback: string | null;
  media: Buffer | null;
  deleted: boolean;
}

export interface FakeRecording {
  sid: string;
  roomSid: string;
  deleted: boolean;
}

const sid = (prefix: string) => prefix + randomBytes(16).toString('hex');

/**
 * A local fake of Twilio's Video REST API (v1) for tests, on 127.0.0.1, driven by the real
 * `twilio` SDK through TWILIO_API_BASE_URL: Rooms (UniqueName unique among in-progress rooms,
 * else error 53113 as Twilio answers it; fetch by sid or unique name; status update),
 * RecordingRules, Compositions (create, fetch, /Media as a 302 or a JSON redirect_to, the
 * media bytes, delete) and a room's Recordings (list, delete). It checks the SDK's Basic auth
 * with the API key and records every request. It can also play Twilio's part in callbacks:
 * `callback()` POSTs a form signed like Twilio signs it (X-Twilio-Signature with the Auth
 * Token over the configured callback URL and the sorted fields).
 */
export class TwilioFake {
  readonly requests: RecordedTwilioRequest[] = [];
  readonly rooms = new Map<string, FakeRoom>();
  readonly compositions = new Map<string, FakeComposition>();
  readonly recordings = new Map<string, FakeRecording>();
  /** How /Media answers: a 302 with Location (Twilio's default) or 200 JSON { redirect_to }. */
  mediaRedirect: '302' | 'json' = '302';
  /** Milliseconds the fake waits before answering a room creation (widens race windows). */
  createRoomDelayMs = 0;
  private readonly failures: { method: string; path: RegExp; status: number; remaining: number }[] = [];
  private server!: Server;
  url = '';

  constructor(readonly credentials = TWILIO_TEST_CREDENTIALS) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.serve(req, res).catch((e: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 20500, message: String(e), status: 500 }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The app's configuration for this fake (the four credentials and the base URL). */
  env(): Record<string, string> {
    return {
      TWILIO_ACCOUNT_SID: this.credentials.accountSid,
      TWILIO_API_KEY_SID: this.credentials.apiKeySid,
      TWILIO_API_KEY_SECRET: this.credentials.apiKeySecret,
      TWILIO_AUTH_TOKEN: this.credentials.authToken,
      TWILIO_API_BASE_URL: this.url,
    };
  }

  /** The next `times` requests matching method + path answer `status` with a Twilio error body. */
  fail(method: string, path: RegExp, status = 500, times = 1): void {
    this.failures.push({ method, path, status, remaining: times });
  }

  sent(method: string, path: string | RegExp): RecordedTwilioRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  roomByName(uniqueName: string): FakeRoom | undefined {
    return [...this.rooms.values()].find((r) => r.uniqueName === uniqueName);
  }

  /** Twilio finishes composing: the composition gets `bytes` as its media (random by default); returns them. */
  completeComposition(compositionSid: string, bytes: Buffer = randomBytes(3 * 1024 * 1024 + 17)): { bytes: Buffer; sha256: string } {
    const c = this.compositions.get(compositionSid);
    if (!c) throw new Error(`no composition ${compositionSid}`);
    c.status = 'completed';
    c.media = bytes;
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
  }

  /** A composition Twilio made on its own (a Composition Hook), which the app has not asked for. */
  createComposition(roomSid: string): FakeComposition {
    const c: FakeComposition = {
      sid: sid('CJ'),
      roomSid,
      status: 'enqueued',
      format: 'mp4',
      audioSources: ['*'],
      videoLayout: null,
      statusCallback: null,
      media: null,
      deleted: false,
    };
    this.compositions.set(c.sid, c);
    return c;
  }

  /** Twilio records a room's tracks (what recording rules 'include' lead to): `count` source recordings. */
  addRecordings(roomSid: string, count = 2): FakeRecording[] {
    return Array.from({ length: count }, () => {
      const r = { sid: sid('RT'), roomSid, deleted: false };
      this.recordings.set(r.sid, r);
      return r;
    });
  }

  // ——— callbacks, as Twilio sends them ———

  /** Twilio's signature of a form POSTed to `url`. */
  sign(url: string, params: Record<string, string>, authToken: string = this.credentials.authToken): string {
    return twilio.getExpectedTwilioSignature(authToken, url, params);
  }

  /** The fields of a room status callback (what Twilio posts to the room's StatusCallback). */
  roomEvent(room: FakeRoom, event: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      AccountSid: this.credentials.accountSid,
      RoomName: room.uniqueName,
      RoomSid: room.sid,
      RoomStatus: event === 'room-ended' ? 'completed' : 'in-progress',
      RoomType: room.type,
      StatusCallbackEvent: event,
      Timestamp: new Date().toISOString(),
      SequenceNumber: String(this.sequence++),
      ...extra,
    };
  }

  participantEvent(room: FakeRoom, event: 'participant-connected' | 'participant-disconnected', identity: string, participantSid: string, at = new Date()) {
    return this.roomEvent(room, event, {
      ParticipantSid: participantSid,
      ParticipantIdentity: identity,
      ParticipantStatus: event === 'participant-connected' ? 'connected' : 'disconnected',
      Timestamp: at.toISOString(),
    });
  }

  /** The fields of a composition status callback. */
  compositionEvent(composition: FakeComposition, event: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      AccountSid: this.credentials.accountSid,
      CompositionSid: composition.sid,
      CompositionUri: `/v1/Compositions/${composition.sid}`,
      RoomSid: composition.roomSid,
      StatusCallbackEvent: event,
      Timestamp: new Date().toISOString(),
      ...(event === 'composition-available'
        ? { MediaUri: `/v1/Compositions/${composition.sid}/Media`, Size: String(composition.media?.length ?? 0), Duration: '1800' }
        : {}),
      ...extra,
    };
  }

  private sequence = 0;

  // ——— the REST API ———

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    const query = q === -1 ? '' : raw.slice(q + 1);
    const method = req.method ?? 'GET';
    const params = Object.fromEntries(new URLSearchParams(method === 'GET' || method === 'DELETE' ? query : body));
    const record: RecordedTwilioRequest = { method, path, query, params, status: 0 };
    this.requests.push(record);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (status === 204) {
        res.writeHead(204, headers);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const error = (status: number, code: number, message: string) =>
      send(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

    // Media downloads are pre-signed URLs at Twilio's storage: no Basic auth there.
    const media = /^\/media\/(CJ[0-9a-f]{32})$/.exec(path);
    if (media && method === 'GET') {
      const c = this.compositions.get(media[1]!);
      if (!c?.media || c.deleted) return error(404, 20404, 'The requested resource was not found');
      record.status = 200;
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(c.media.length) });
      // In pieces, like a real download.
      for (let i = 0; i < c.media.length; i += 256 * 1024) res.write(c.media.subarray(i, i + 256 * 1024));
      res.end();
      return;
    }

    const expected = 'Basic ' + Buffer.from(`${this.credentials.apiKeySid}:${this.credentials.apiKeySecret}`).toString('base64');
    if (req.headers.authorization !== expected) return error(401, 20003, 'Authenticate');
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === method && f.path.test(path));
    if (failure) {
      failure.remaining--;
      return error(failure.status, 20500, `Injected failure (${failure.status})`);
    }

    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/Rooms') {
      if (this.createRoomDelayMs) await new Promise((r) => setTimeout(r, this.createRoomDelayMs));
      const uniqueName = params.UniqueName ?? sid('RM');
      if ([...this.rooms.values()].some((r) => r.uniqueName === uniqueName && r.status === 'in-progress')) {
        return error(400, 53113, 'Room exists');
      }
      const room: FakeRoom = {
        sid: sid('RM'),
        uniqueName,
        status: 'in-progress',
        type: params.Type ?? 'group',
        statusCallback: params.StatusCallback ?? null,
        statusCallbackMethod: params.StatusCallbackMethod ?? null,
        recordParticipantsOnConnect: params.RecordParticipantsOnConnect === 'true',
        rules: [],
        createdAt: new Date(),
      };
      this.rooms.set(room.sid, room);
      return send(201, this.roomJson(room));
    }
    if ((m = /^\/v1\/Rooms\/([^/]+)$/.exec(path))) {
      const key = decodeURIComponent(m[1]!);
      const room = this.rooms.get(key) ?? [...this.rooms.values()].find((r) => r.uniqueName === key && r.status === 'in-progress');
      if (!room) return error(404, 20404, 'The requested resource was not found');
      if (method === 'GET') return send(200, this.roomJson(room));
      if (method === 'POST') {
        if (params.Status !== 'completed') return error(400, 53115, 'Invalid status');
        if (room.status === 'completed') return error(400, 53118, 'Room completed');
        room.status = 'completed';
        return send(200, this.roomJson(room));
      }
    }
    if ((m = /^\/v1\/Rooms\/([^/]+)\/RecordingRules$/.exec(path)) && method === 'POST') {
      const room = this.rooms.get(decodeURIComponent(m[1]!)) ?? this.roomByName(decodeURIComponent(m[1]!));
      if (!room) return error(404, 20404, 'The requested resource was not found');
      const rules = JSON.parse(params.Rules ?? '[]') as { type: string; all?: boolean }[];
      room.rules.push(rules);
      return send(200, { room_sid: room.sid, rules, date_created: room.createdAt.toISOString(), date_updated: new Date().toISOString() });
    }
    if ((m = /^\/v1\/Rooms\/([^/]+)\/Recordings$/.exec(path)) && method === 'GET') {
      const roomSid = decodeURIComponent(m[1]!);
      const list = [...this.recordings.values()].filter((r) => r.roomSid === roomSid && !r.deleted);
      return send(200, {
        recordings: list.map((r) => ({ sid: r.sid, room_sid: r.roomSid, status: 'completed', account_sid: this.credentials.accountSid })),
        meta: { key: 'recordings', page: 0, page_size: 100, next_page_url: null, previous_page_url: null, url: `${this.url}${path}` },
      });
    }
    if ((m = /^\/v1\/Rooms\/([^/]+)\/Recordings\/(RT[0-9a-f]{32})$/.exec(path)) && method === 'DELETE') {
      const r = this.recordings.get(m[2]!);
      if (!r || r.deleted || r.roomSid !== m[1]) return error(404, 20404, 'The requested resource was not found');
      r.deleted = true;
      return send(204, null);
    }
    if (method === 'POST' && path === '/v1/Compositions') {
      const room = this.rooms.get(params.RoomSid ?? '');
      if (!room) return error(400, 53100, 'Room not found');
      const c: FakeComposition = {
        sid: sid('CJ'),
        roomSid: room.sid,
        status: 'enqueued',
        format: params.Format ?? 'webm',
        audioSources: params.AudioSources ? [params.AudioSources] : [],
        videoLayout: params.VideoLayout ? JSON.parse(params.VideoLayout) : null,
        statusCallback: params.StatusCallback ?? null,
        media: null,
        deleted: false,
      };
      this.compositions.set(c.sid, c);
      return send(201, this.compositionJson(c));
    }
    if ((m = /^\/v1\/Compositions\/(CJ[0-9a-f]{32})(\/Media)?$/.exec(path))) {
      const c = this.compositions.get(m[1]!);
      if (!c || c.deleted) return error(404, 20404, 'The requested resource was not found');
      if (m[2] && method === 'GET') {
        if (c.status !== 'completed') return error(400, 53206, 'Composition not ready');
        const location = `${this.url}/media/${c.sid}`;
        return this.mediaRedirect === '302' ? send(302, { redirect_to: location }, { location }) : send(200, { redirect_to: location });
      }
      if (method === 'GET') return send(200, this.compositionJson(c));
      if (method === 'DELETE') {
        c.deleted = true;
        c.status = 'deleted';
        return send(204, null);
      }
    }
    return error(404, 20404, `The requested resource ${path} was not found`);
  }

  private roomJson(r: FakeRoom) {
    return {
      sid: r.sid,
      account_sid: this.credentials.accountSid,
      unique_name: r.uniqueName,
      status: r.status,
      type: r.type,
      status_callback: r.statusCallback,
      status_callback_method: r.statusCallbackMethod,
      record_participants_on_connect: r.recordParticipantsOnConnect,
      date_created: r.createdAt.toISOString(),
      url: `${this.url}/v1/Rooms/${r.sid}`,
      links: { recordings: `${this.url}/v1/Rooms/${r.sid}/Recordings`, recording_rules: `${this.url}/v1/Rooms/${r.sid}/RecordingRules` },
    };
  }

  private compositionJson(c: FakeComposition) {
    return {
      sid: c.sid,
      account_sid: this.credentials.accountSid,
      room_sid: c.roomSid,
      status: c.status,
      format: c.format,
      audio_sources: c.audioSources,
      video_layout: c.videoLayout,
      size: c.media?.length ?? 0,
      url: `${this.url}/v1/Compositions/${c.sid}`,
      links: { media: `${this.url}/v1/Compositions/${c.sid}/Media` },
    };
  }
}

export async function startTwilioFake(): Promise<TwilioFake> {
  return new TwilioFake().start();
}
