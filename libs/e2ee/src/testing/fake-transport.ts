/**
 * An in-memory stand-in for the messaging API (contract section 3), for the library's own
 * tests: the same rules as the real server where they matter to a client (participants only,
 * signature checks on identities and devices, epoch numbering and recipient sets, stale epochs,
 * ciphertext sizes, idempotent message ids, attachment ownership, note versions, events), and a
 * log of every request body, so a test can show what the server was and was not sent.
 * Errors are E2eeError('HTTP') with the status and code the real server uses.
 */
import {
  ARGON2_BOUNDS,
  ATTACHMENT_MAX_CIPHERTEXT_BYTES,
  HPKE_CIPHERTEXT_BYTES,
  HPKE_ENC_BYTES,
  NOTE_MAX_BUCKET,
} from '../constants';
import { type Bytes, fromB64 } from '../encoding';
import { backupRecipient, deviceRecipient, sortRecipients } from '../epoch';
import { E2eeError } from '../errors';
import { verifyBackupKeySignature, verifyDeviceCertificate } from '../keys';
import { isBucketCiphertextLength } from '../records';
import type { E2eeTransport } from '../transport';
import type {
  ConversationDetail,
  Device,
  DeviceRegistration,
  Epoch,
  Identity,
  KeyBackup,
  MessagingEvent,
  Note,
  NoteKind,
  Participant,
  ReadMarker,
  UserKeys,
  WireMessage,
} from '../wire';

interface User {
  id: string;
  displayName: string;
  role: 'CLIENT' | 'LAWYER';
  identity: Identity | null;
  backup: KeyBackup | null;
  devices: Device[];
}

interface Conversation {
  id: string;
  clientId: string;
  lawyerId: string;
  createdAt: string;
  epochs: Epoch[];
  messages: WireMessage[];
  reads: Map<string, ReadMarker>;
  attachments: Map<string, { uploader: string; bytes: Bytes; messageId: string | null; createdAt: string }>;
}

export interface LoggedRequest {
  userId: string;
  method: string;
  path: string;
  body?: unknown;
}

const fail = (status: number, code: string, message = code, details?: Record<string, unknown>): never => {
  throw new E2eeError('HTTP', message, { status, serverCode: code, details });
};

const clone = <T>(v: T): T => structuredClone(v);

export class FakeMessagingServer {
  readonly users = new Map<string, User>();
  readonly conversations = new Map<string, Conversation>();
  readonly sessions = new Map<string, string>();
  readonly notes = new Map<string, Note>();
  readonly requests: LoggedRequest[] = [];
  private readonly listeners = new Set<{ userId: string; push: (e: MessagingEvent | null) => void }>();
  private clock = Date.parse('2026-03-01T09:00:00.000Z');

  /** Business time: one millisecond per call, so order is unambiguous. */
  now(): string {
    return new Date(this.clock++).toISOString();
  }

  addUser(role: 'CLIENT' | 'LAWYER', displayName = role.toLowerCase()): string {
    const id = globalThis.crypto.randomUUID();
    this.users.set(id, { id, displayName, role, identity: null, backup: null, devices: [] });
    return id;
  }

  openConversation(clientId: string, lawyerId: string): string {
    const id = globalThis.crypto.randomUUID();
    this.conversations.set(id, {
      id,
      clientId,
      lawyerId,
      createdAt: this.now(),
      epochs: [],
      messages: [],
      reads: new Map(),
      attachments: new Map(),
    });
    return id;
  }

  addSession(conversationId: string): string {
    const id = globalThis.crypto.randomUUID();
    this.sessions.set(id, conversationId);
    return id;
  }

  /** Ends every open event stream (as the server does when an access token expires). */
  dropStreams(): void {
    for (const l of this.listeners) l.push(null);
  }

  private user(id: string): User {
    return this.users.get(id) ?? fail(404, 'E2EE_USER_NOT_FOUND');
  }

  private participants(c: Conversation): string[] {
    return [c.clientId, c.lawyerId];
  }

  private conversationOf(caller: string, id: string): Conversation {
    const c = this.conversations.get(id);
    if (!c || !this.participants(c).includes(caller)) fail(404, 'CONVERSATION_NOT_FOUND');
    return c!;
  }

  private emit(userIds: string[], e: MessagingEvent): void {
    for (const l of this.listeners) if (userIds.includes(l.userId)) l.push(clone(e));
  }

  private expectedRecipients(c: Conversation): string[] {
    const out: string[] = [];
    for (const uid of this.participants(c)) {
      const u = this.user(uid);
      if (!u.identity) continue;
      out.push(backupRecipient(uid));
      for (const d of u.devices) if (d.revokedAt === null) out.push(deviceRecipient(d.deviceId));
    }
    return sortRecipients(out);
  }

  private needsRekey(c: Conversation): boolean {
    const current = c.epochs[c.epochs.length - 1];
    if (!current) return true;
    const expected = this.expectedRecipients(c);
    return current.recipients.length !== expected.length || current.recipients.some((r, i) => r !== expected[i]);
  }

  private participant(uid: string): Participant {
    const u = this.user(uid);
    return { userId: u.id, displayName: u.displayName, role: u.role };
  }

  private detail(caller: string, c: Conversation): ConversationDetail {
    const other = c.clientId === caller ? c.lawyerId : c.clientId;
    const mine = c.reads.get(caller) ?? null;
    const unread = c.messages.filter((m) => m.senderUserId !== caller && (!mine || m.createdAt > mine.at)).length;
    return {
      id: c.id,
      counterpart: this.participant(other),
      createdAt: c.createdAt,
      lastMessageAt: c.messages[c.messages.length - 1]?.createdAt ?? null,
      unreadCount: unread,
      currentEpoch: c.epochs.length,
      needsRekey: this.needsRekey(c),
      participants: [this.participant(c.clientId), this.participant(c.lawyerId)],
      myReadUpTo: mine,
      counterpartReadUpTo: c.reads.get(other) ?? null,
    };
  }

  private keysOf(uid: string): UserKeys {
    const u = this.user(uid);
    return clone({ userId: u.id, identity: u.identity, devices: u.devices });
  }

  private activeDevice(caller: string, deviceId: string): Device | undefined {
    return this.user(caller).devices.find((d) => d.deviceId === deviceId && d.revokedAt === null);
  }

  private async checkDevice(caller: string, identityKey: string, reg: DeviceRegistration): Promise<Device> {
    if (typeof reg.label !== 'string' || reg.label.length < 1 || reg.label.length > 80) fail(400, 'VALIDATION_FAILED');
    const device: Device = { ...reg, userId: caller, identityKey, createdAt: this.now(), revokedAt: null };
    if (!(await verifyDeviceCertificate(device))) fail(400, 'E2EE_SIGNATURE_INVALID');
    for (const u of this.users.values()) if (u.devices.some((d) => d.deviceId === reg.deviceId)) fail(409, 'E2EE_DEVICE_EXISTS');
    return device;
  }

  private log(userId: string, method: string, path: string, body?: unknown): void {
    this.requests.push({ userId, method, path, ...(body === undefined ? {} : { body: clone(body) }) });
  }

  /** The API as seen by `userId` (signed in). */
  as(userId: string): E2eeTransport {
    const me = userId;
    const conversationsOf = () =>
      [...this.conversations.values()]
        .filter((c) => this.participants(c).includes(me))
        .sort((a, b) => ((b.messages.at(-1)?.createdAt ?? b.createdAt) > (a.messages.at(-1)?.createdAt ?? a.createdAt) ? 1 : -1));
    return {
      getMyKeys: async () => {
        this.log(me, 'GET', '/api/e2ee/keys/me');
        return this.keysOf(me);
      },
      createIdentity: async (body) => {
        this.log(me, 'POST', '/api/e2ee/identity', body);
        const u = this.user(me);
        if (u.identity && !body.reset) fail(409, 'E2EE_IDENTITY_EXISTS');
        const kdf = body.backup.kdf;
        for (const k of ['memoryKiB', 'iterations', 'parallelism'] as const) {
          if (kdf[k] < ARGON2_BOUNDS[k][0] || kdf[k] > ARGON2_BOUNDS[k][1]) fail(400, 'VALIDATION_FAILED');
        }
        if (!(await verifyBackupKeySignature(me, body))) fail(400, 'E2EE_SIGNATURE_INVALID');
        const device = await this.checkDevice(me, body.identityKey, body.device);
        const at = this.now();
        for (const d of u.devices) d.revokedAt ??= at;
        u.identity = {
          identityKey: body.identityKey,
          backupKey: body.backupKey,
          backupKeySignature: body.backupKeySignature,
          createdAt: at,
        };
        u.backup = clone(body.backup);
        u.devices.push(device);
        this.emitKeys(me);
        return { identity: clone(u.identity), device: clone(device) };
      },
      getBackup: async () => {
        this.log(me, 'GET', '/api/e2ee/backup');
        const u = this.user(me);
        if (!u.identity || !u.backup) return fail(404, 'E2EE_IDENTITY_NOT_FOUND');
        return { identityKey: u.identity.identityKey, backup: clone(u.backup) };
      },
      registerDevice: async (body) => {
        this.log(me, 'POST', '/api/e2ee/devices', body);
        const u = this.user(me);
        if (!u.identity) return fail(404, 'E2EE_IDENTITY_NOT_FOUND');
        const device = await this.checkDevice(me, u.identity.identityKey, body);
        u.devices.push(device);
        this.emitKeys(me);
        return clone(device);
      },
      revokeDevice: async (deviceId) => {
        this.log(me, 'DELETE', `/api/e2ee/devices/${deviceId}`);
        const d = this.activeDevice(me, deviceId) ?? fail(404, 'E2EE_DEVICE_NOT_FOUND');
        d.revokedAt = this.now();
        this.emitKeys(me);
      },
      getUserKeys: async (uid) => {
        this.log(me, 'GET', `/api/e2ee/users/${uid}/keys`);
        const shares = uid === me || conversationsOf().some((c) => this.participants(c).includes(uid));
        if (!shares || !this.users.has(uid)) fail(404, 'E2EE_USER_NOT_FOUND');
        return this.keysOf(uid);
      },
      listConversations: async (q) => {
        this.log(me, 'GET', '/api/conversations');
        const all = conversationsOf();
        const start = q?.cursor ? all.findIndex((c) => c.id === q.cursor) + 1 : 0;
        const limit = q?.limit ?? 20;
        const items = all.slice(start, start + limit);
        return { items: items.map((c) => this.detail(me, c)), nextCursor: start + limit < all.length ? items.at(-1)!.id : null };
      },
      getConversation: async (id) => {
        this.log(me, 'GET', `/api/conversations/${id}`);
        return this.detail(me, this.conversationOf(me, id));
      },
      listEpochs: async (id) => {
        this.log(me, 'GET', `/api/conversations/${id}/epochs`);
        return { items: clone(this.conversationOf(me, id).epochs) };
      },
      createEpoch: async (id, body) => {
        this.log(me, 'POST', `/api/conversations/${id}/epochs`, body);
        const c = this.conversationOf(me, id);
        if (body.epoch !== c.epochs.length + 1) fail(409, 'E2EE_EPOCH_CONFLICT');
        if (!this.activeDevice(me, body.creatorDeviceId)) fail(400, 'E2EE_DEVICE_INVALID');
        const expected = this.expectedRecipients(c);
        if (body.recipients.length !== expected.length || body.recipients.some((r, i) => r !== expected[i]))
          fail(409, 'E2EE_RECIPIENTS_MISMATCH', 'E2EE_RECIPIENTS_MISMATCH', { expected });
        const sizesOk =
          body.sealed.length === body.recipients.length &&
          body.sealed.every((s, i) => {
            try {
              return (
                s.recipient === body.recipients[i] &&
                fromB64(s.enc).length === HPKE_ENC_BYTES &&
                fromB64(s.ciphertext).length === HPKE_CIPHERTEXT_BYTES
              );
            } catch {
              return false;
            }
          });
        if (!sizesOk) fail(400, 'E2EE_SEALED_INVALID');
        const epoch: Epoch = { ...clone(body), createdAt: this.now() };
        c.epochs.push(epoch);
        this.emit(this.participants(c), { type: 'epoch', conversationId: c.id, epoch: epoch.epoch });
        return clone(epoch);
      },
      listMessages: async (id, q) => {
        this.log(me, 'GET', `/api/conversations/${id}/messages`);
        const newestFirst = [...this.conversationOf(me, id).messages].reverse();
        const start = q?.before ? newestFirst.findIndex((m) => m.id === q.before) + 1 : 0;
        const limit = q?.limit ?? 50;
        const items = newestFirst.slice(start, start + limit);
        return { items: clone(items), nextCursor: start + limit < newestFirst.length ? items.at(-1)!.id : null };
      },
      postMessage: async (id, body) => {
        this.log(me, 'POST', `/api/conversations/${id}/messages`, body);
        const c = this.conversationOf(me, id);
        const existing = c.messages.find((m) => m.id === body.id);
        if (existing) {
          const same =
            existing.senderUserId === me &&
            existing.epoch === body.epoch &&
            existing.nonce === body.nonce &&
            existing.ciphertext === body.ciphertext &&
            existing.signature === body.signature;
          return same ? clone(existing) : fail(409, 'MESSAGE_ID_CONFLICT');
        }
        if (body.epoch !== c.epochs.length || this.needsRekey(c)) fail(409, 'E2EE_EPOCH_STALE');
        if (!this.activeDevice(me, body.senderDeviceId)) fail(400, 'E2EE_DEVICE_INVALID');
        let size = -1;
        try {
          size = fromB64(body.ciphertext).length;
          if (fromB64(body.nonce).length !== 12 || fromB64(body.signature).length !== 64) size = -1;
        } catch {
          size = -1;
        }
        if (!isBucketCiphertextLength(size)) fail(400, 'E2EE_CIPHERTEXT_SIZE');
        const attachmentIds = body.attachmentIds ?? [];
        if (attachmentIds.length > 10) fail(400, 'VALIDATION_FAILED');
        for (const a of attachmentIds) {
          const att = c.attachments.get(a);
          if (!att || att.uploader !== me || att.messageId !== null) fail(400, 'ATTACHMENT_INVALID');
        }
        const m: WireMessage = {
          id: body.id,
          conversationId: c.id,
          senderUserId: me,
          senderDeviceId: body.senderDeviceId,
          epoch: body.epoch,
          nonce: body.nonce,
          ciphertext: body.ciphertext,
          signature: body.signature,
          attachmentIds,
          createdAt: this.now(),
        };
        for (const a of attachmentIds) c.attachments.get(a)!.messageId = m.id;
        c.messages.push(m);
        this.emit(this.participants(c), { type: 'message', conversationId: c.id, messageId: m.id });
        return clone(m);
      },
      markRead: async (id, messageId) => {
        this.log(me, 'POST', `/api/conversations/${id}/read`, { messageId });
        const c = this.conversationOf(me, id);
        const m = c.messages.find((x) => x.id === messageId) ?? fail(404, 'MESSAGE_NOT_FOUND');
        const current = c.reads.get(me);
        if (!current || m.createdAt > (c.messages.find((x) => x.id === current.messageId)?.createdAt ?? '')) {
          c.reads.set(me, { messageId, at: m.createdAt });
          this.emit(this.participants(c), { type: 'read', conversationId: c.id, userId: me, messageId });
        }
      },
      uploadAttachment: async (id, attachmentId, ciphertext) => {
        this.log(me, 'POST', `/api/conversations/${id}/attachments/${attachmentId}`, { bytes: ciphertext.length });
        const c = this.conversationOf(me, id);
        if (ciphertext.length > ATTACHMENT_MAX_CIPHERTEXT_BYTES) fail(413, 'ATTACHMENT_TOO_LARGE');
        if (c.attachments.has(attachmentId)) fail(409, 'ATTACHMENT_EXISTS');
        const createdAt = this.now();
        c.attachments.set(attachmentId, { uploader: me, bytes: new Uint8Array(ciphertext), messageId: null, createdAt });
        return { id: attachmentId, size: ciphertext.length, createdAt };
      },
      downloadAttachment: async (id, attachmentId) => {
        this.log(me, 'GET', `/api/conversations/${id}/attachments/${attachmentId}`);
        const a = this.conversationOf(me, id).attachments.get(attachmentId) ?? fail(404, 'ATTACHMENT_NOT_FOUND');
        return new Uint8Array(a.bytes);
      },
      getNotes: async (sessionId) => {
        this.log(me, 'GET', `/api/sessions/${sessionId}/notes`);
        const conversationId = this.sessionConversation(me, sessionId);
        return {
          conversationId,
          agenda: clone(this.notes.get(`${sessionId}/AGENDA`) ?? null),
          private: clone(this.notes.get(`${sessionId}/PRIVATE/${me}`) ?? null),
        };
      },
      putNote: async (sessionId, kind: NoteKind, body) => {
        this.log(me, 'PUT', `/api/sessions/${sessionId}/notes/${kind.toLowerCase()}`, body);
        const conversationId = this.sessionConversation(me, sessionId);
        const c = this.conversationOf(me, conversationId);
        const key = kind === 'AGENDA' ? `${sessionId}/AGENDA` : `${sessionId}/PRIVATE/${me}`;
        const current = this.notes.get(key);
        if (body.version !== (current?.version ?? 0) + 1)
          fail(409, 'NOTE_VERSION_CONFLICT', 'NOTE_VERSION_CONFLICT', { current: current?.version ?? 0 });
        if (body.epoch !== c.epochs.length || this.needsRekey(c)) fail(409, 'E2EE_EPOCH_STALE');
        if (!this.activeDevice(me, body.senderDeviceId)) fail(400, 'E2EE_DEVICE_INVALID');
        if (!isBucketCiphertextLength(fromB64(body.ciphertext).length, NOTE_MAX_BUCKET)) fail(400, 'E2EE_CIPHERTEXT_SIZE');
        const note: Note = { sessionId, conversationId, kind, authorUserId: me, updatedAt: this.now(), ...clone(body) };
        this.notes.set(key, note);
        this.emit(kind === 'AGENDA' ? this.participants(c) : [me], { type: 'note', sessionId, conversationId, kind });
        return clone(note);
      },
      streamEvents: (signal, onOpen) => this.stream(me, signal, onOpen),
    };
  }

  private sessionConversation(caller: string, sessionId: string): string {
    const conversationId = this.sessions.get(sessionId);
    const c = conversationId ? this.conversations.get(conversationId) : undefined;
    if (!c || !this.participants(c).includes(caller)) fail(404, 'SESSION_NOT_FOUND');
    return conversationId!;
  }

  private emitKeys(userId: string): void {
    const related = new Set([userId]);
    for (const c of this.conversations.values())
      if (this.participants(c).includes(userId)) this.participants(c).forEach((p) => related.add(p));
    this.emit([...related], { type: 'keys', userId });
  }

  private stream(userId: string, signal: AbortSignal, onOpen?: () => void): AsyncIterable<MessagingEvent> {
    const listeners = this.listeners;
    return {
      async *[Symbol.asyncIterator]() {
        const queue: (MessagingEvent | null)[] = [];
        let wake: (() => void) | undefined;
        const listener = {
          userId,
          push: (e: MessagingEvent | null) => {
            queue.push(e);
            wake?.();
          },
        };
        const onAbort = () => listener.push(null);
        listeners.add(listener);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          onOpen?.();
          for (;;) {
            if (signal.aborted) return;
            if (queue.length === 0) await new Promise<void>((r) => (wake = r));
            wake = undefined;
            const e = queue.shift();
            if (e === undefined) continue;
            if (e === null) return;
            yield e;
          }
        } finally {
          listeners.delete(listener);
          signal.removeEventListener('abort', onAbort);
        }
      },
    };
  }
}
