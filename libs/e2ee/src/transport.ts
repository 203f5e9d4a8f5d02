import { type Bytes, bytesView } from './encoding';
import { E2eeError } from './errors';
import type {
  AttachmentUploaded,
  BackupResponse,
  ConversationDetail,
  ConversationSummary,
  CreateEpochRequest,
  CreateIdentityRequest,
  CreateIdentityResponse,
  CursorPage,
  Device,
  DeviceRegistration,
  Epoch,
  MessagingEvent,
  Note,
  NoteKind,
  PostMessageRequest,
  PutNoteRequest,
  SessionNotes,
  UserKeys,
  WireMessage,
} from './wire';
import { MESSAGING_EVENT_TYPES } from './wire';

/**
 * One method per endpoint of the messaging API (contract section 3). Failures are E2eeError
 * code 'HTTP' with the status and the server's error code.
 */
export interface E2eeTransport {
  getMyKeys(): Promise<UserKeys>;
  createIdentity(body: CreateIdentityRequest): Promise<CreateIdentityResponse>;
  getBackup(): Promise<BackupResponse>;
  registerDevice(body: DeviceRegistration): Promise<Device>;
  revokeDevice(deviceId: string): Promise<void>;
  getUserKeys(userId: string): Promise<UserKeys>;
  listConversations(q?: { cursor?: string; limit?: number }): Promise<CursorPage<ConversationSummary>>;
  getConversation(conversationId: string): Promise<ConversationDetail>;
  listEpochs(conversationId: string): Promise<{ items: Epoch[] }>;
  createEpoch(conversationId: string, body: CreateEpochRequest): Promise<Epoch>;
  /** Newest first. */
  listMessages(conversationId: string, q?: { before?: string; limit?: number }): Promise<CursorPage<WireMessage>>;
  postMessage(conversationId: string, body: PostMessageRequest): Promise<WireMessage>;
  markRead(conversationId: string, messageId: string): Promise<void>;
  uploadAttachment(conversationId: string, attachmentId: string, ciphertext: Uint8Array): Promise<AttachmentUploaded>;
  downloadAttachment(conversationId: string, attachmentId: string): Promise<Bytes>;
  getNotes(sessionId: string): Promise<SessionNotes>;
  putNote(sessionId: string, kind: NoteKind, body: PutNoteRequest): Promise<Note>;
  /**
   * One connection to the live events: yields events until the server ends the stream (e.g. the
   * access token expired) or `signal` aborts; `onOpen` runs once the connection is accepted.
   * E2eeClient.events() reconnects.
   */
  streamEvents(signal: AbortSignal, onOpen?: () => void): AsyncIterable<MessagingEvent>;
}

export interface HttpTransportOptions {
  /** Origin of the API ('' = same origin); paths start with /api. */
  baseUrl: string;
  /** Read before every request (and every event-stream connection), so a refreshed token is used. */
  getAccessToken: () => string | null | Promise<string | null>;
  fetch?: typeof fetch;
}

/** Turns a non-2xx response into E2eeError('HTTP') with the status and the server's `{ code, message, details }`. */
async function httpError(res: Response): Promise<E2eeError> {
  let body: { code?: unknown; message?: unknown; details?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not JSON (a proxy's error page): the status alone.
  }
  const serverCode = typeof body.code === 'string' ? body.code : undefined;
  const message = typeof body.message === 'string' ? body.message : `The server answered ${res.status}`;
  const details = body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : undefined;
  return new E2eeError('HTTP', message, { status: res.status, serverCode, details });
}

const enc = encodeURIComponent;

function query(q: Record<string, string | number | undefined> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The messaging API over plain fetch (browser or Node 20). */
export function createHttpTransport(o: HttpTransportOptions): E2eeTransport {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const base = o.baseUrl.replace(/\/+$/, '');

  async function request(
    method: string,
    path: string,
    init: { json?: unknown; body?: Uint8Array; accept?: string; signal?: AbortSignal } = {},
  ) {
    const token = await o.getAccessToken();
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.body) {
      headers['content-type'] = 'application/octet-stream';
      body = bytesView(init.body);
    }
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, body, signal: init.signal });
    } catch (e) {
      if (init.signal?.aborted) throw e;
      throw new E2eeError('HTTP', 'The server cannot be reached', { status: 0 });
    }
    if (!res.ok) throw await httpError(res);
    return res;
  }
  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await request(method, path, body === undefined ? {} : { json: body });
    return (await res.json()) as T;
  };
  const none = async (method: string, path: string, body?: unknown): Promise<void> => {
    const res = await request(method, path, body === undefined ? {} : { json: body });
    await res.arrayBuffer();
  };

  return {
    getMyKeys: () => json('GET', '/api/e2ee/keys/me'),
    createIdentity: (body) => json('POST', '/api/e2ee/identity', body),
    getBackup: () => json('GET', '/api/e2ee/backup'),
    registerDevice: (body) => json('POST', '/api/e2ee/devices', body),
    revokeDevice: (deviceId) => none('DELETE', `/api/e2ee/devices/${enc(deviceId)}`),
    getUserKeys: (userId) => json('GET', `/api/e2ee/users/${enc(userId)}/keys`),
    listConversations: (q) => json('GET', `/api/conversations${query(q)}`),
    getConversation: (id) => json('GET', `/api/conversations/${enc(id)}`),
    listEpochs: (id) => json('GET', `/api/conversations/${enc(id)}/epochs`),
    createEpoch: (id, body) => json('POST', `/api/conversations/${enc(id)}/epochs`, body),
    listMessages: (id, q) => json('GET', `/api/conversations/${enc(id)}/messages${query(q)}`),
    postMessage: (id, body) => json('POST', `/api/conversations/${enc(id)}/messages`, body),
    markRead: (id, messageId) => none('POST', `/api/conversations/${enc(id)}/read`, { messageId }),
    uploadAttachment: async (id, attachmentId, ciphertext) => {
      const res = await request('POST', `/api/conversations/${enc(id)}/attachments/${enc(attachmentId)}`, { body: ciphertext });
      return (await res.json()) as AttachmentUploaded;
    },
    downloadAttachment: async (id, attachmentId) => {
      const res = await request('GET', `/api/conversations/${enc(id)}/attachments/${enc(attachmentId)}`, {
        accept: 'application/octet-stream',
      });
      return new Uint8Array(await res.arrayBuffer());
    },
    getNotes: (sessionId) => json('GET', `/api/sessions/${enc(sessionId)}/notes`),
    putNote: (sessionId, kind, body) => json('PUT', `/api/sessions/${enc(sessionId)}/notes/${kind.toLowerCase()}`, body),
    streamEvents: (signal, onOpen) => ({
      async *[Symbol.asyncIterator]() {
        const res = await request('GET', '/api/messaging/events', { accept: 'text/event-stream', signal });
        if (!res.body) throw new E2eeError('HTTP', 'The event stream has no body', { status: res.status });
        onOpen?.();
        yield* parseEventStream(res.body, signal);
      },
    }),
  };
}

/**
 * Server-sent events (the `text/event-stream` format): `event:` and `data:` lines, a blank line
 * ends an event, lines starting with ':' are comments (the server's pings). Only the contract's
 * event types with a JSON object as data are yielded.
 */
export async function* parseEventStream(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<MessagingEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let type = '';
  let data: string[] = [];
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        // Aborting ends the stream, quietly.
        if (signal?.aborted) return;
        throw e;
      }
      const { done, value } = chunk;
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk.
        if (buffer[nl] === '\r' && nl === buffer.length - 1) break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          const event = toEvent(type || 'message', data.join('\n'));
          type = '';
          data = [];
          if (event) yield event;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') type = value;
        else if (field === 'data') data.push(value);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

function toEvent(type: string, data: string): MessagingEvent | null {
  if (!(MESSAGING_EVENT_TYPES as readonly string[]).includes(type) || data === '') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return { ...(parsed as object), type } as MessagingEvent;
  } catch {
    return null;
  }
}
