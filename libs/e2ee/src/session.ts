import { decryptAttachment, encryptAttachment } from './attachments';
import { MAX_ATTACHMENTS_PER_MESSAGE, MESSAGE_MAX_BUCKET, NOTE_MAX_BUCKET } from './constants';
import { type Bytes, fromB64, fromUtf8, toB64, utf8 } from './encoding';
import { buildEpoch, deviceRecipient, openEpochKey, sortRecipients } from './epoch';
import { E2eeError, type E2eeErrorCode, isServerError } from './errors';
import type { KeyDirectory } from './key-directory';
import type { DeviceKeyStore, StoredDevice } from './key-store';
import { padPlaintext } from './padding';
import { encryptRecord, noteRecordId, openRecord, recordAad, verifyRecord } from './records';
import type { E2eeTransport } from './transport';
import type { AttachmentRef, ConversationDetail, Epoch, Note, NoteKind, PostMessageRequest, WireMessage } from './wire';

export interface DecryptedMessage {
  id: string;
  senderUserId: string;
  senderDeviceId: string;
  epoch: number;
  createdAt: string;
  text: string;
  attachments: AttachmentRef[];
  /** Sent by the signed-in user (from any of their devices). */
  mine: boolean;
}

/** A message that could not be read: the reason instead of the text. */
export interface UnreadableMessage {
  id: string;
  createdAt: string;
  senderUserId: string;
  error: E2eeErrorCode;
}

export type HistoryItem = DecryptedMessage | UnreadableMessage;

export const isUnreadable = (item: HistoryItem): item is UnreadableMessage => 'error' in item;

export interface DecryptedNote {
  text: string;
  version: number;
  updatedAt: string;
  authorUserId: string;
}

export interface OutgoingAttachment {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** What a session needs from its E2eeClient. */
export interface SessionDeps {
  userId: string;
  transport: E2eeTransport;
  store: DeviceKeyStore;
  directory: KeyDirectory;
  /** This browser's device; NOT_SET_UP when there is none. */
  device(): Promise<StoredDevice>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One conversation seen from this device: sending (with a new epoch when the recipients
 * changed), reading history, live messages, attachments and the session notes kept in it.
 */
export class ConversationSession {
  readonly conversationId: string;
  /** The user ids of both participants. */
  readonly participants: string[];
  readonly counterpartUserId: string;
  private readonly seen = new Set<string>();
  private readonly epochs = new Map<number, Epoch>();
  private readonly epochKeys = new Map<number, Promise<CryptoKey>>();

  constructor(
    private readonly deps: SessionDeps,
    detail: ConversationDetail,
  ) {
    this.conversationId = detail.id;
    this.participants = detail.participants.map((p) => p.userId);
    this.counterpartUserId = detail.counterpart.userId;
    if (
      !this.participants.includes(deps.userId) ||
      !this.participants.includes(this.counterpartUserId) ||
      this.participants.length !== 2
    )
      throw new E2eeError('MALFORMED', 'The conversation does not have the signed-in user and one counterpart');
  }

  // ---- epochs ----

  /** The server's epochs of this conversation (unverified). */
  private async fetchEpochs(): Promise<Epoch[]> {
    return (await this.deps.transport.listEpochs(this.conversationId)).items;
  }

  /** The epoch record, verified (creator device and signature); kept here only once verified. */
  private async epoch(n: number): Promise<Epoch> {
    const known = this.epochs.get(n);
    if (known) return known;
    const e = (await this.fetchEpochs()).find((x) => x.epoch === n);
    if (!e) throw new E2eeError('UNKNOWN_EPOCH', `Epoch ${n} does not exist in this conversation`);
    await this.deps.directory.verifyEpoch(this.conversationId, this.participants, e);
    this.epochs.set(n, e);
    return e;
  }

  /** The content key of epoch `n`: cached, or opened from the key sealed to this device. */
  private epochKey(n: number): Promise<CryptoKey> {
    let p = this.epochKeys.get(n);
    if (!p) {
      p = (async () => {
        const cached = await this.deps.store.loadEpochKey(this.conversationId, n);
        if (cached) return cached;
        const e = await this.epoch(n);
        const device = await this.deps.device();
        const sealed = e.sealed.find((s) => s.recipient === deviceRecipient(device.deviceId));
        if (!sealed) throw new E2eeError('NO_KEY_FOR_DEVICE', `Epoch ${n} was not shared with this device`);
        const key = await openEpochKey({
          sealed,
          recipientKey: device.agreementKey,
          conversationId: this.conversationId,
          epoch: n,
        });
        await this.deps.store.saveEpochKey(this.conversationId, n, key);
        return key;
      })();
      this.epochKeys.set(n, p);
      p.catch(() => this.epochKeys.get(n) === p && this.epochKeys.delete(n));
    }
    return p;
  }

  /**
   * Opens and caches every epoch key sealed to `backup:<me>` that this device does not hold yet
   * (restore on a new device). An epoch that does not verify or open is skipped: its messages
   * will show the error in history(). Returns how many keys were opened.
   */
  async openBackupSealedEpochs(backupKey: CryptoKeyPair): Promise<number> {
    let opened = 0;
    for (const e of (await this.fetchEpochs()).sort((a, b) => a.epoch - b.epoch)) {
      if (await this.deps.store.loadEpochKey(this.conversationId, e.epoch)) continue;
      const sealed = e.sealed.find((s) => s.recipient === `backup:${this.deps.userId}`);
      if (!sealed) continue;
      try {
        await this.deps.directory.verifyEpoch(this.conversationId, this.participants, e);
        const key = await openEpochKey({ sealed, recipientKey: backupKey, conversationId: this.conversationId, epoch: e.epoch });
        await this.deps.store.saveEpochKey(this.conversationId, e.epoch, key);
        opened++;
      } catch (err) {
        if (!(err instanceof E2eeError) || err.code === 'HTTP') throw err;
      }
    }
    return opened;
  }

  /**
   * The epoch to encrypt with now. The recipients it must have are computed from fresh,
   * verified keys (IDENTITY_CHANGED / DEVICE_CERT_INVALID stop here, before anything is sealed);
   * the current epoch is used when it has exactly them and this device holds its key, otherwise
   * a new epoch is created (retried when another device created one at the same moment).
   */
  private async sendingEpoch(): Promise<{ epoch: number; key: CryptoKey; device: StoredDevice }> {
    const device = await this.deps.device();
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const [detail, recipients] = await Promise.all([
        this.deps.transport.getConversation(this.conversationId),
        this.deps.directory.sealingRecipients(this.participants),
      ]);
      const expected = sortRecipients(recipients.map((r) => r.recipient));
      if (!expected.includes(deviceRecipient(device.deviceId)))
        throw new E2eeError('NOT_SET_UP', 'This device is no longer active; restore it with the recovery code');
      if (detail.currentEpoch > 0 && !detail.needsRekey) {
        try {
          const e = await this.epoch(detail.currentEpoch);
          if (sameList(e.recipients, expected)) return { epoch: e.epoch, key: await this.epochKey(e.epoch), device };
        } catch (err) {
          if (!(err instanceof E2eeError) || err.code === 'HTTP' || err.code === 'IDENTITY_CHANGED') throw err;
          // An epoch this device cannot use (not sealed to it, or not verifiable): replace it.
        }
      }
      const { request, contentKey } = await buildEpoch({
        conversationId: this.conversationId,
        epoch: detail.currentEpoch + 1,
        creatorDeviceId: device.deviceId,
        signingKey: device.signingKey.privateKey,
        recipients,
      });
      try {
        const created = await this.deps.transport.createEpoch(this.conversationId, request);
        // What this device signed, with the server's time: never the server's copy of the keys.
        this.epochs.set(request.epoch, { ...request, createdAt: created.createdAt });
        await this.deps.store.saveEpochKey(this.conversationId, request.epoch, contentKey);
        this.epochKeys.set(request.epoch, Promise.resolve(contentKey));
        return { epoch: request.epoch, key: contentKey, device };
      } catch (err) {
        if (!isServerError(err, 'E2EE_EPOCH_CONFLICT') && !isServerError(err, 'E2EE_RECIPIENTS_MISMATCH')) throw err;
        lastError = err;
        this.deps.directory.invalidate();
      }
    }
    throw lastError;
  }

  /** Runs `post` with the sending epoch; once more with a fresh one when the server says it is stale. */
  private async withSendingEpoch<T>(
    post: (e: { epoch: number; key: CryptoKey; device: StoredDevice }) => Promise<T>,
  ): Promise<T> {
    try {
      return await post(await this.sendingEpoch());
    } catch (err) {
      if (!isServerError(err, 'E2EE_EPOCH_STALE')) throw err;
      this.deps.directory.invalidate();
      return post(await this.sendingEpoch());
    }
  }

  // ---- messages ----

  /**
   * Encrypts and sends a message (text and up to 10 attachments, each ≤ 25 MiB). Attachments are
   * encrypted here and uploaded as ciphertext; their keys travel inside the message.
   */
  async send(o: { text: string; attachments?: OutgoingAttachment[] }): Promise<DecryptedMessage> {
    const files = o.attachments ?? [];
    if (typeof o.text !== 'string') throw new E2eeError('MALFORMED', 'The text must be a string');
    if (files.length > MAX_ATTACHMENTS_PER_MESSAGE)
      throw new E2eeError('MESSAGE_TOO_LARGE', `At most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`);
    const encrypted = await Promise.all(
      files.map((f) =>
        encryptAttachment({
          conversationId: this.conversationId,
          attachmentId: globalThis.crypto.randomUUID(),
          name: f.name,
          type: f.type,
          bytes: f.bytes,
        }),
      ),
    );
    const refs = encrypted.map((a) => a.ref);
    const body = utf8(JSON.stringify({ v: 1, text: o.text, attachments: refs }));
    padPlaintext(body, MESSAGE_MAX_BUCKET); // MESSAGE_TOO_LARGE before anything leaves this device
    const id = globalThis.crypto.randomUUID();
    let uploaded = false;
    const wire = await this.withSendingEpoch(async ({ epoch, key, device }) => {
      if (!uploaded) {
        for (const a of encrypted) await this.deps.transport.uploadAttachment(this.conversationId, a.ref.id, a.ciphertext);
        uploaded = true;
      }
      const wire = await this.sealMessage({ epoch, key, device }, id, body, refs);
      return this.deps.transport.postMessage(this.conversationId, wire);
    });
    body.fill(0);
    this.seen.add(id);
    return {
      id,
      senderUserId: this.deps.userId,
      senderDeviceId: wire.senderDeviceId,
      epoch: wire.epoch,
      createdAt: wire.createdAt,
      text: o.text,
      attachments: refs,
      mine: true,
    };
  }

  /** Pads, encrypts and signs one message body under `e` (nothing is sent): the request send() posts. */
  private async sealMessage(
    e: { epoch: number; key: CryptoKey; device: StoredDevice },
    id: string,
    body: Uint8Array,
    refs: AttachmentRef[],
  ): Promise<PostMessageRequest> {
    const aad = recordAad({
      kind: 'message',
      conversationId: this.conversationId,
      epoch: e.epoch,
      senderDeviceId: e.device.deviceId,
      recordId: id,
    });
    const rec = await encryptRecord({
      key: e.key,
      signingKey: e.device.signingKey.privateKey,
      aad,
      plaintext: body,
      maxBucket: MESSAGE_MAX_BUCKET,
    });
    return {
      id,
      epoch: e.epoch,
      senderDeviceId: e.device.deviceId,
      nonce: toB64(rec.nonce),
      ciphertext: toB64(rec.ciphertext),
      signature: toB64(rec.signature),
      ...(refs.length ? { attachmentIds: refs.map((r) => r.id) } : {}),
    };
  }

  /**
   * Encrypts and signs text messages, each under a new id, in the epoch send() would use now
   * (created first if needed), without sending them: the exact requests send() would post, for a
   * caller that posts them itself (the API benchmark pre-encrypts its load this way). They stay
   * valid until the conversation needs a new epoch.
   */
  async sealMessages(texts: readonly string[]): Promise<PostMessageRequest[]> {
    const e = await this.sendingEpoch();
    const out: PostMessageRequest[] = [];
    for (const text of texts) {
      const body = utf8(JSON.stringify({ v: 1, text, attachments: [] }));
      out.push(await this.sealMessage(e, globalThis.crypto.randomUUID(), body, []));
      body.fill(0);
    }
    return out;
  }

  /**
   * Verifies and decrypts one message: the sender device must be a verified device of the
   * sender, a participant (UNKNOWN_DEVICE, IDENTITY_CHANGED, DEVICE_CERT_INVALID); its signature
   * over AAD, nonce and ciphertext is checked before any decryption (SIGNATURE_INVALID); then
   * the epoch key (UNKNOWN_EPOCH, NO_KEY_FOR_DEVICE) and AES-GCM (DECRYPT_FAILED).
   */
  private async decrypt(m: WireMessage): Promise<DecryptedMessage> {
    if (!m || typeof m.id !== 'string' || m.conversationId !== this.conversationId || !Number.isInteger(m.epoch) || m.epoch < 1)
      throw new E2eeError('MALFORMED', 'The message does not belong to this conversation');
    if (!this.participants.includes(m.senderUserId))
      throw new E2eeError('UNKNOWN_DEVICE', 'The sender is not a participant of this conversation');
    const device = await this.deps.directory.findDevice([m.senderUserId], m.senderDeviceId);
    await this.deps.directory.verifyDevice(device);
    if (device.revokedAt !== null && Date.parse(m.createdAt) > Date.parse(device.revokedAt))
      throw new E2eeError('UNKNOWN_DEVICE', 'The message claims a time after its device was removed');
    const aad = recordAad({
      kind: 'message',
      conversationId: this.conversationId,
      epoch: m.epoch,
      senderDeviceId: m.senderDeviceId,
      recordId: m.id,
    });
    const record = {
      aad,
      nonce: fromB64(m.nonce),
      ciphertext: fromB64(m.ciphertext),
      signature: fromB64(m.signature),
      maxBucket: MESSAGE_MAX_BUCKET,
    };
    await verifyRecord({ ...record, verifyKey: await this.deps.directory.verifyKey(device) });
    const plaintext = await openRecord({ ...record, key: await this.epochKey(m.epoch) });
    const body = parseMessageBody(plaintext);
    const listed = new Set(m.attachmentIds ?? []);
    if (listed.size !== body.attachments.length || body.attachments.some((a) => !listed.has(a.id)))
      throw new E2eeError('MALFORMED', "The message's attachments do not match the ones it was sent with");
    return {
      id: m.id,
      senderUserId: m.senderUserId,
      senderDeviceId: m.senderDeviceId,
      epoch: m.epoch,
      createdAt: m.createdAt,
      text: body.text,
      attachments: body.attachments,
      mine: m.senderUserId === this.deps.userId,
    };
  }

  /**
   * A message that arrived live. Throws E2eeError when it cannot be trusted or read; null when
   * this message id was already seen here (a replay).
   */
  async receive(m: WireMessage): Promise<DecryptedMessage | null> {
    if (this.seen.has(m.id)) return null;
    this.seen.add(m.id);
    try {
      return await this.decrypt(m);
    } catch (err) {
      this.seen.delete(m.id);
      throw err;
    }
  }

  /**
   * A page of history, newest first. A message that cannot be read becomes an item with
   * `error` (never an exception); failures to reach the server still throw.
   */
  async history(o: { before?: string; limit?: number } = {}): Promise<{ items: HistoryItem[]; nextCursor: string | null }> {
    const page = await this.deps.transport.listMessages(this.conversationId, o);
    const items = await Promise.all(
      page.items.map(async (m): Promise<HistoryItem> => {
        try {
          const d = await this.decrypt(m);
          this.seen.add(m.id);
          return d;
        } catch (err) {
          if (err instanceof E2eeError && err.code === 'HTTP') throw err;
          return {
            id: m.id,
            createdAt: m.createdAt,
            senderUserId: m.senderUserId,
            error: err instanceof E2eeError ? err.code : 'MALFORMED',
          };
        }
      }),
    );
    return { items, nextCursor: page.nextCursor };
  }

  /** Downloads, decrypts and checks an attachment (ATTACHMENT_CORRUPT on any mismatch). */
  async downloadAttachment(ref: AttachmentRef): Promise<Bytes> {
    const ciphertext = await this.deps.transport.downloadAttachment(this.conversationId, ref.id);
    return decryptAttachment({ conversationId: this.conversationId, ref, ciphertext });
  }

  markRead(messageId: string): Promise<void> {
    return this.deps.transport.markRead(this.conversationId, messageId);
  }

  // ---- session notes ----

  private async decryptNote(sessionId: string, kind: NoteKind, n: Note): Promise<DecryptedNote> {
    if (
      n.sessionId !== sessionId ||
      n.kind !== kind ||
      n.conversationId !== this.conversationId ||
      !Number.isInteger(n.version) ||
      n.version < 1
    )
      throw new E2eeError('MALFORMED', 'The note does not belong to this session');
    if (!this.participants.includes(n.authorUserId))
      throw new E2eeError('UNKNOWN_DEVICE', 'The note was not written by a participant');
    if (kind === 'PRIVATE' && n.authorUserId !== this.deps.userId)
      throw new E2eeError('MALFORMED', 'A private note of someone else');
    const device = await this.deps.directory.findDevice([n.authorUserId], n.senderDeviceId);
    await this.deps.directory.verifyDevice(device);
    const aad = recordAad({
      kind: 'note',
      conversationId: this.conversationId,
      epoch: n.epoch,
      senderDeviceId: n.senderDeviceId,
      recordId: noteRecordId(sessionId, kind, n.version),
    });
    const record = {
      aad,
      nonce: fromB64(n.nonce),
      ciphertext: fromB64(n.ciphertext),
      signature: fromB64(n.signature),
      maxBucket: NOTE_MAX_BUCKET,
    };
    await verifyRecord({ ...record, verifyKey: await this.deps.directory.verifyKey(device) });
    const plaintext = await openRecord({ ...record, key: await this.epochKey(n.epoch) });
    let body: unknown;
    try {
      body = JSON.parse(fromUtf8(plaintext));
    } catch {
      throw new E2eeError('MALFORMED', 'The note is not valid JSON');
    }
    const b = body as { v?: unknown; text?: unknown };
    if (b.v !== 1 || typeof b.text !== 'string') throw new E2eeError('MALFORMED', 'The note has an unknown format');
    return { text: b.text, version: n.version, updatedAt: n.updatedAt, authorUserId: n.authorUserId };
  }

  private async sessionNotes(sessionId: string) {
    const notes = await this.deps.transport.getNotes(sessionId);
    if (notes.conversationId !== this.conversationId)
      throw new E2eeError('MALFORMED', 'The session belongs to another conversation');
    return notes;
  }

  /** The session's agenda (shared) and this user's private note, decrypted; E2eeError when one cannot be trusted. */
  async readNotes(sessionId: string): Promise<{ agenda: DecryptedNote | null; private: DecryptedNote | null }> {
    const notes = await this.sessionNotes(sessionId);
    return {
      agenda: notes.agenda ? await this.decryptNote(sessionId, 'AGENDA', notes.agenda) : null,
      private: notes.private ? await this.decryptNote(sessionId, 'PRIVATE', notes.private) : null,
    };
  }

  /**
   * Saves a new version of the agenda or of this user's private note (≤ 16384-byte bucket).
   * A concurrent edit is the server's 409 NOTE_VERSION_CONFLICT (reload and retry).
   */
  async saveNote(sessionId: string, kind: NoteKind, text: string): Promise<void> {
    if (kind !== 'AGENDA' && kind !== 'PRIVATE') throw new E2eeError('MALFORMED', 'A note is AGENDA or PRIVATE');
    const body = utf8(JSON.stringify({ v: 1, text }));
    padPlaintext(body, NOTE_MAX_BUCKET);
    const notes = await this.sessionNotes(sessionId);
    const version = ((kind === 'AGENDA' ? notes.agenda : notes.private)?.version ?? 0) + 1;
    await this.withSendingEpoch(async ({ epoch, key, device }) => {
      const aad = recordAad({
        kind: 'note',
        conversationId: this.conversationId,
        epoch,
        senderDeviceId: device.deviceId,
        recordId: noteRecordId(sessionId, kind, version),
      });
      const rec = await encryptRecord({
        key,
        signingKey: device.signingKey.privateKey,
        aad,
        plaintext: body,
        maxBucket: NOTE_MAX_BUCKET,
      });
      return this.deps.transport.putNote(sessionId, kind, {
        version,
        epoch,
        senderDeviceId: device.deviceId,
        nonce: toB64(rec.nonce),
        ciphertext: toB64(rec.ciphertext),
        signature: toB64(rec.signature),
      });
    });
    body.fill(0);
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function parseMessageBody(plaintext: Uint8Array): { text: string; attachments: AttachmentRef[] } {
  let body: unknown;
  try {
    body = JSON.parse(fromUtf8(plaintext));
  } catch {
    throw new E2eeError('MALFORMED', 'The message is not valid JSON');
  }
  const b = body as { v?: unknown; text?: unknown; attachments?: unknown };
  if (
    b.v !== 1 ||
    typeof b.text !== 'string' ||
    !Array.isArray(b.attachments) ||
    b.attachments.length > MAX_ATTACHMENTS_PER_MESSAGE
  )
    throw new E2eeError('MALFORMED', 'The message has an unknown format');
  const attachments = b.attachments.map((a: unknown): AttachmentRef => {
    const r = a as Partial<AttachmentRef>;
    const ok =
      typeof r.id === 'string' &&
      UUID.test(r.id) &&
      typeof r.name === 'string' &&
      typeof r.type === 'string' &&
      Number.isInteger(r.size) &&
      (r.size as number) >= 0 &&
      typeof r.key === 'string' &&
      typeof r.nonce === 'string' &&
      typeof r.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(r.sha256);
    if (!ok) throw new E2eeError('MALFORMED', 'An attachment of the message is malformed');
    fromB64(r.key!, 32);
    fromB64(r.nonce!, 12);
    return { id: r.id!, name: r.name!, type: r.type!, size: r.size!, key: r.key!, nonce: r.nonce!, sha256: r.sha256! };
  });
  return { text: b.text, attachments };
}
