/**
 * E2eeClient and ConversationSession against the in-memory server: the flows of issue 16
 * (set-up, messages, attachments, notes, recovery, safety numbers, device removal) and what the
 * client does with a message that was tampered with.
 */
import { E2eeClient } from './client';
import { equalBytes, fromB64, randomBytes, toB64, utf8 } from './encoding';
import { openEpochKey } from './epoch';
import { E2eeError, type E2eeErrorCode } from './errors';
import { MemoryKeyStore } from './key-store';
import { generateDeviceKeys, generateSigningKeyPair, signDeviceCertificate } from './keys';
import { encryptRecord, recordAad } from './records';
import type { DecryptedMessage, HistoryItem } from './session';
import { FakeMessagingServer } from './testing/fake-transport';
import type { MessagingEvent, WireMessage } from './wire';

const FAST = { memoryKiB: 19456, iterations: 1 };

function world() {
  const server = new FakeMessagingServer();
  const clientId = server.addUser('CLIENT', 'Ada Client');
  const lawyerId = server.addUser('LAWYER', 'Lin Lawyer');
  const conversationId = server.openConversation(clientId, lawyerId);
  const client = (userId: string, store = new MemoryKeyStore()) =>
    new E2eeClient({ userId, transport: server.as(userId), store, argon2: FAST, reconnect: { initialMs: 5, maxMs: 20 } });
  return { server, clientId, lawyerId, conversationId, client };
}

async function readyPair() {
  const w = world();
  const aliceStore = new MemoryKeyStore();
  const alice = w.client(w.clientId, aliceStore);
  const lin = w.client(w.lawyerId);
  const { recoveryCode } = await alice.setUp('Ada laptop');
  const linSetUp = await lin.setUp('Office PC');
  return { ...w, alice, aliceStore, lin, aliceCode: recoveryCode, linCode: linSetUp.recoveryCode };
}

async function rejectsWith(p: Promise<unknown>, code: E2eeErrorCode): Promise<E2eeError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(E2eeError);
  expect((err as E2eeError).code).toBe(code);
  return err as E2eeError;
}

const isReadable = (i: HistoryItem): i is DecryptedMessage => !('error' in i);
const stored = (server: FakeMessagingServer, conversationId: string) => server.conversations.get(conversationId)!.messages;

describe('set-up and status', () => {
  it('needs-setup, then ready on this device, needs-restore on another; the store keeps only non-extractable device keys', async () => {
    const { clientId, client } = world();
    const alice = client(clientId);
    expect(await alice.status()).toBe('needs-setup');
    const { recoveryCode } = await alice.setUp('Ada laptop');
    expect(recoveryCode).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
    expect(await alice.status()).toBe('ready');
    expect(await client(clientId).status()).toBe('needs-restore');
    await rejectsWith(alice.setUp('again'), 'HTTP');

    const store = new MemoryKeyStore();
    const bob = client(clientId, store);
    // Only a restore brings this second store to ready; what it keeps is device keys, nothing more.
    await bob.restore(recoveryCode, 'Ada phone');
    const d = (await store.load(clientId))!;
    expect(Object.keys(d).sort()).toEqual([
      'agreementKey',
      'deviceId',
      'ed25519PublicKey',
      'identityKey',
      'label',
      'signingKey',
      'userId',
      'x25519PublicKey',
    ]);
    expect(d.agreementKey.privateKey.extractable).toBe(false);
    expect(d.signingKey.privateKey.extractable).toBe(false);
    expect((await alice.listDevices()).map((x) => x.label).sort()).toEqual(['Ada laptop', 'Ada phone']);
  });

  it('refuses a device name that is empty or longer than 80 characters', async () => {
    const { client, clientId } = world();
    const alice = client(clientId);
    await rejectsWith(alice.setUp('   '), 'MALFORMED');
    await rejectsWith(alice.setUp('x'.repeat(81)), 'MALFORMED');
  });
});

describe('messages', () => {
  it('a first message creates epoch 1 sealed to both devices and both backups; the other side reads it', async () => {
    const { alice, lin, server, conversationId, clientId, lawyerId } = await readyPair();
    const sent = await (await alice.conversation(conversationId)).send({ text: 'Hello, I have a question about my lease.' });
    expect(sent).toMatchObject({
      text: 'Hello, I have a question about my lease.',
      mine: true,
      epoch: 1,
      senderUserId: clientId,
    });
    const epoch = server.conversations.get(conversationId)!.epochs[0]!;
    const aliceDevice = (await alice.listDevices())[0]!;
    const linDevice = (await lin.listDevices())[0]!;
    expect(epoch.recipients).toEqual(
      [`backup:${clientId}`, `backup:${lawyerId}`, `device:${aliceDevice.deviceId}`, `device:${linDevice.deviceId}`].sort(),
    );
    // The server holds ciphertext of a padding bucket only.
    const wire = stored(server, conversationId)[0]!;
    expect(fromB64(wire.ciphertext).length).toBe(256 + 16);
    expect(JSON.stringify(wire)).not.toContain('lease');

    const linSession = await lin.conversation(conversationId);
    const page = await linSession.history();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: sent.id,
      text: 'Hello, I have a question about my lease.',
      mine: false,
      senderUserId: clientId,
    });

    const reply = await linSession.send({ text: 'Happy to help.' });
    expect(reply.epoch).toBe(1);
    const aliceHistory = await (await alice.conversation(conversationId)).history();
    expect(aliceHistory.items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual([
      'Happy to help.',
      'Hello, I have a question about my lease.',
    ]);
    expect(aliceHistory.items.map((i) => (isReadable(i) ? i.mine : null))).toEqual([false, true]);
  });

  it('paginates history newest first', async () => {
    const { alice, lin, conversationId } = await readyPair();
    const s = await alice.conversation(conversationId);
    for (let i = 1; i <= 5; i++) await s.send({ text: `m${i}` });
    const linSession = await lin.conversation(conversationId);
    const first = await linSession.history({ limit: 2 });
    const second = await linSession.history({ limit: 2, before: first.nextCursor! });
    const third = await linSession.history({ limit: 2, before: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((i) => (isReadable(i) ? i.text : i.error))).toEqual([
      'm5',
      'm4',
      'm3',
      'm2',
      'm1',
    ]);
    expect(third.nextCursor).toBeNull();
  });

  it('concurrent first messages from both sides both arrive (one epoch wins, the other side retries)', async () => {
    const { alice, lin, conversationId, server } = await readyPair();
    const [a, b] = await Promise.all([
      (await alice.conversation(conversationId)).send({ text: 'from Ada' }),
      (await lin.conversation(conversationId)).send({ text: 'from Lin' }),
    ]);
    // Both built epoch 1; the server took one, the other got 409 E2EE_EPOCH_CONFLICT and used it.
    expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/epochs'))).toHaveLength(2);
    expect(server.conversations.get(conversationId)!.epochs).toHaveLength(1);
    expect([a.epoch, b.epoch]).toEqual([1, 1]);
    const texts = (await (await alice.conversation(conversationId)).history()).items.map((i) =>
      isReadable(i) ? i.text : i.error,
    );
    expect(texts.sort()).toEqual(['from Ada', 'from Lin']);
  });

  it('MESSAGE_TOO_LARGE before anything is sent; more than 10 attachments are refused', async () => {
    const { alice, conversationId, server } = await readyPair();
    const s = await alice.conversation(conversationId);
    const before = server.requests.length;
    await rejectsWith(s.send({ text: 'x'.repeat(65_600) }), 'MESSAGE_TOO_LARGE');
    const files = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}`, type: 'text/plain', bytes: utf8('x') }));
    await rejectsWith(s.send({ text: 'many', attachments: files }), 'MESSAGE_TOO_LARGE');
    expect(server.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
    // The largest text that fits: 65536 - 4 (length) - 34 (the JSON around it).
    await rejectsWith(s.send({ text: 'y'.repeat(65_499) }), 'MESSAGE_TOO_LARGE');
    const ok = await s.send({ text: 'y'.repeat(65_498) });
    expect(fromB64(stored(server, conversationId).at(-1)!.ciphertext).length).toBe(65536 + 16);
    expect(ok.text).toHaveLength(65_498);
  });

  it('attachments travel as ciphertext and come back byte-identical; a changed byte is ATTACHMENT_CORRUPT', async () => {
    const { alice, lin, conversationId, server } = await readyPair();
    const pdf = randomBytes(300_000);
    const sent = await (
      await alice.conversation(conversationId)
    ).send({ text: 'the lease', attachments: [{ name: 'lease.pdf', type: 'application/pdf', bytes: pdf }] });
    const ref = sent.attachments[0]!;
    expect(stored(server, conversationId)[0]!.attachmentIds).toEqual([ref.id]);
    const blob = server.conversations.get(conversationId)!.attachments.get(ref.id)!.bytes;
    expect(blob.length).toBe(pdf.length + 16);
    expect(equalBytes(blob.subarray(0, 64), pdf.subarray(0, 64))).toBe(false);

    const linSession = await lin.conversation(conversationId);
    const [item] = (await linSession.history()).items;
    expect(isReadable(item!) && item.attachments[0]).toMatchObject({ name: 'lease.pdf', type: 'application/pdf', size: 300_000 });
    expect(equalBytes(await linSession.downloadAttachment((item as DecryptedMessage).attachments[0]!), pdf)).toBe(true);

    blob[1000]! ^= 1;
    await rejectsWith(linSession.downloadAttachment(ref), 'ATTACHMENT_CORRUPT');
    blob[1000]! ^= 1;
    await rejectsWith(linSession.downloadAttachment({ ...ref, sha256: 'f'.repeat(64) }), 'ATTACHMENT_CORRUPT');
  });

  it('read markers go to the server', async () => {
    const { alice, lin, conversationId, server, lawyerId } = await readyPair();
    const m = await (await alice.conversation(conversationId)).send({ text: 'read me' });
    await (await lin.conversation(conversationId)).markRead(m.id);
    expect(server.conversations.get(conversationId)!.reads.get(lawyerId)?.messageId).toBe(m.id);
  });
});

describe('tampering (issue 16, done-when 2)', () => {
  async function withMessage() {
    const p = await readyPair();
    const aliceSession = await p.alice.conversation(p.conversationId);
    await aliceSession.send({ text: 'original' });
    const original = structuredClone(stored(p.server, p.conversationId)[0]!);
    // A fresh client of Lin's on the same device store: nothing seen yet in this session.
    const linSession = await p.lin.conversation(p.conversationId);
    return { ...p, original, linSession, aliceSession };
  }
  const flip = (b64: string, at = 3) => {
    const b = fromB64(b64);
    b[at]! ^= 1;
    return toB64(b);
  };

  it('the untouched message is read once; the same id again is a replay and ignored', async () => {
    const { original, linSession } = await withMessage();
    expect((await linSession.receive(original))?.text).toBe('original');
    expect(await linSession.receive(original)).toBeNull();
    expect(await linSession.receive(structuredClone(original))).toBeNull();
  });

  it('a changed ciphertext byte, nonce or signature: SIGNATURE_INVALID', async () => {
    const { original, linSession } = await withMessage();
    await rejectsWith(linSession.receive({ ...original, ciphertext: flip(original.ciphertext, 100) }), 'SIGNATURE_INVALID');
    await rejectsWith(linSession.receive({ ...original, nonce: flip(original.nonce) }), 'SIGNATURE_INVALID');
    await rejectsWith(linSession.receive({ ...original, signature: flip(original.signature) }), 'SIGNATURE_INVALID');
  });

  it('a changed AAD field (message id, epoch, sender device of the same user, conversation): SIGNATURE_INVALID', async () => {
    const { original, linSession, server, alice, lin, clientId, aliceCode, conversationId, client } = await withMessage();
    await rejectsWith(linSession.receive({ ...original, id: globalThis.crypto.randomUUID() }), 'SIGNATURE_INVALID');
    await rejectsWith(linSession.receive({ ...original, epoch: 2 }), 'SIGNATURE_INVALID');
    // Another real device of the same sender.
    const phone = client(clientId);
    await phone.restore(aliceCode, 'Ada phone');
    const phoneId = (await alice.listDevices()).find((d) => d.label === 'Ada phone')!.deviceId;
    await rejectsWith(linSession.receive({ ...original, senderDeviceId: phoneId }), 'SIGNATURE_INVALID');
    // Moved into another conversation of the same two people (the server rewrites the id too).
    const other = server.openConversation(clientId, server.conversations.get(conversationId)!.lawyerId);
    const linOther = await lin.conversation(other);
    await rejectsWith(linOther.receive({ ...original, conversationId: other }), 'SIGNATURE_INVALID');
    // Or left with its own id: not a message of this conversation at all.
    await rejectsWith(linOther.receive(original), 'MALFORMED');
  });

  it('a message from a non-participant, or claiming a device of someone else: UNKNOWN_DEVICE', async () => {
    const { original, linSession, server, client, lawyerId } = await withMessage();
    // Mallory: a registered user with a real device, in a conversation of her own with Lin.
    const malloryId = server.addUser('CLIENT', 'Mallory');
    server.openConversation(malloryId, lawyerId);
    const mallory = client(malloryId);
    await mallory.setUp('Mallory laptop');
    const malloryDevice = (await mallory.listDevices())[0]!;
    await rejectsWith(
      linSession.receive({ ...original, senderUserId: malloryId, senderDeviceId: malloryDevice.deviceId }),
      'UNKNOWN_DEVICE',
    );
    await rejectsWith(linSession.receive({ ...original, senderDeviceId: malloryDevice.deviceId }), 'UNKNOWN_DEVICE');
    await rejectsWith(linSession.receive({ ...original, senderDeviceId: globalThis.crypto.randomUUID() }), 'UNKNOWN_DEVICE');
  });

  it('a message signed by a real sender device but encrypted differently: DECRYPT_FAILED; naming an epoch that does not exist: UNKNOWN_EPOCH', async () => {
    const { original, linSession, aliceStore, clientId, conversationId } = await withMessage();
    // Only Ada's device can sign as Ada's device: use its keys from her store to forge the variants.
    const device = (await aliceStore.load(clientId))!;
    const sign = async (epoch: number, aadRecordId: string, key: CryptoKey) => {
      const id = globalThis.crypto.randomUUID();
      const rec = await encryptRecord({
        key,
        signingKey: device.signingKey.privateKey,
        aad: recordAad({ kind: 'message', conversationId, epoch, senderDeviceId: device.deviceId, recordId: aadRecordId || id }),
        plaintext: utf8(JSON.stringify({ v: 1, text: 'forged', attachments: [] })),
      });
      // The signature must cover the AAD the receiver rebuilds from the wire: re-sign that one.
      const aad = recordAad({ kind: 'message', conversationId, epoch, senderDeviceId: device.deviceId, recordId: id });
      const { recordSigningBytes } = await import('./records');
      const { sign: ed } = await import('./keys');
      const signature = await ed(device.signingKey.privateKey, recordSigningBytes(aad, rec.nonce, rec.ciphertext));
      const m: WireMessage = {
        ...original,
        id,
        epoch,
        nonce: toB64(rec.nonce),
        ciphertext: toB64(rec.ciphertext),
        signature: toB64(signature),
      };
      return m;
    };
    const rightKey = (await aliceStore.loadEpochKey(conversationId, 1))!;
    // Encrypted under another AAD (another message id) than the one it is delivered with.
    await rejectsWith(linSession.receive(await sign(1, 'another-id', rightKey)), 'DECRYPT_FAILED');
    // Encrypted under a key that is not the epoch's.
    const { importAesKey } = await import('./aes-gcm');
    await rejectsWith(linSession.receive(await sign(1, '', await importAesKey(randomBytes(32)))), 'DECRYPT_FAILED');
    // A validly signed message of an epoch that was never created.
    await rejectsWith(linSession.receive(await sign(9, '', rightKey)), 'UNKNOWN_EPOCH');
  });

  it('history shows each tampered message as an error item and still reads the good ones', async () => {
    const { original, server, conversationId, lin } = await withMessage();
    const messages = stored(server, conversationId);
    messages.push({
      ...original,
      id: globalThis.crypto.randomUUID(),
      ciphertext: flip(original.ciphertext, 50),
      createdAt: server.now(),
    });
    messages.push({
      ...original,
      id: globalThis.crypto.randomUUID(),
      senderDeviceId: globalThis.crypto.randomUUID(),
      createdAt: server.now(),
    });
    messages.push({ ...original, id: globalThis.crypto.randomUUID(), nonce: 'not base64!', createdAt: server.now() });
    const items = (await (await lin.conversation(conversationId)).history()).items;
    expect(items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual([
      'MALFORMED',
      'UNKNOWN_DEVICE',
      'SIGNATURE_INVALID',
      'original',
    ]);
  });

  it('an epoch whose sealed keys, recipients or signature were changed after signing: EPOCH_SIGNATURE_INVALID', async () => {
    const { server, conversationId, lin } = await withMessage();
    const epoch = server.conversations.get(conversationId)!.epochs[0]!;
    const signed = structuredClone(epoch);
    const history = async () =>
      (await (await lin.conversation(conversationId)).history()).items.map((i) => (isReadable(i) ? i.text : i.error));
    // Lin has not opened epoch 1 yet: each read goes through the server's copy of it.
    epoch.signature = toB64(randomBytes(64));
    expect(await history()).toEqual(['EPOCH_SIGNATURE_INVALID']);
    Object.assign(epoch, structuredClone(signed));
    epoch.sealed[0]!.enc = epoch.sealed[1]!.enc;
    expect(await history()).toEqual(['EPOCH_SIGNATURE_INVALID']);
    Object.assign(epoch, structuredClone(signed));
    epoch.creatorDeviceId = globalThis.crypto.randomUUID();
    expect(await history()).toEqual(['UNKNOWN_DEVICE']);
    Object.assign(epoch, structuredClone(signed));
    expect(await history()).toEqual(['original']);
  });

  it('a device the server added with a certificate not made by the identity key: DEVICE_CERT_INVALID, nothing sealed to it', async () => {
    const { original, server, conversationId, clientId, lin, linSession } = await withMessage();
    const rogue = await generateDeviceKeys();
    const rogueId = globalThis.crypto.randomUUID();
    const otherIdentity = await generateSigningKeyPair(false);
    const user = server.users.get(clientId)!;
    user.devices.push({
      deviceId: rogueId,
      userId: clientId,
      identityKey: user.identity!.identityKey,
      x25519PublicKey: rogue.x25519PublicKey,
      ed25519PublicKey: rogue.ed25519PublicKey,
      certificate: await signDeviceCertificate(otherIdentity.privateKey, { userId: clientId, deviceId: rogueId, ...rogue }),
      label: 'rogue',
      createdAt: server.now(),
      revokedAt: null,
    });
    const epochsBefore = server.conversations.get(conversationId)!.epochs.length;
    await rejectsWith((await lin.conversation(conversationId)).send({ text: 'to Ada' }), 'DEVICE_CERT_INVALID');
    expect(server.conversations.get(conversationId)!.epochs.length).toBe(epochsBefore);
    // A message claiming to come from it (signed with its key) is refused too.
    const aad = recordAad({ kind: 'message', conversationId, epoch: 1, senderDeviceId: rogueId, recordId: original.id });
    const { recordSigningBytes } = await import('./records');
    const { sign } = await import('./keys');
    const signature = await sign(
      rogue.signingKey.privateKey,
      recordSigningBytes(aad, fromB64(original.nonce), fromB64(original.ciphertext)),
    );
    await rejectsWith(
      linSession.receive({ ...original, senderDeviceId: rogueId, signature: toB64(signature) }),
      'DEVICE_CERT_INVALID',
    );
  });
});

describe('devices (issue 16, done-when 3: a removed device cannot decrypt a later epoch)', () => {
  it('after revocation the next message opens a new epoch without the removed device; its keys open none of it', async () => {
    const { alice, lin, client, clientId, aliceCode, conversationId, server } = await readyPair();
    const phoneStore = new MemoryKeyStore();
    const phone = client(clientId, phoneStore);
    await phone.restore(aliceCode, 'Ada phone');
    const phoneDevice = (await phoneStore.load(clientId))!;

    await (await alice.conversation(conversationId)).send({ text: 'before removal' });
    const phoneSession = await phone.conversation(conversationId);
    const before = await phoneSession.history();
    expect(before.items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual(['before removal']);

    await alice.revokeDevice(phoneDevice.deviceId);
    expect(await phone.status()).toBe('needs-restore');
    const after = await (await lin.conversation(conversationId)).send({ text: 'after removal' });
    const epochs = server.conversations.get(conversationId)!.epochs;
    expect(after.epoch).toBe(epochs.length);
    const latest = epochs.at(-1)!;
    expect(latest.epoch).toBeGreaterThan(1);
    expect(latest.recipients).not.toContain(`device:${phoneDevice.deviceId}`);

    // The removed device: no key for it, and its X25519 key opens none of the sealed keys.
    const wire = stored(server, conversationId).find((m) => m.id === after.id)!;
    await rejectsWith(phoneSession.receive(wire), 'NO_KEY_FOR_DEVICE');
    const history = await phoneSession.history();
    expect(history.items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual(['NO_KEY_FOR_DEVICE', 'before removal']);
    for (const sealed of latest.sealed) {
      for (const recipient of [sealed.recipient, `device:${phoneDevice.deviceId}`])
        await rejectsWith(
          openEpochKey({
            sealed: { ...sealed, recipient },
            recipientKey: phoneDevice.agreementKey,
            conversationId,
            epoch: latest.epoch,
          }),
          'DECRYPT_FAILED',
        );
    }
    // And it kept nothing that could: only its own non-extractable device keys.
    expect(phoneDevice.agreementKey.privateKey.extractable).toBe(false);
    expect(Object.keys(phoneDevice).sort()).toEqual([
      'agreementKey',
      'deviceId',
      'ed25519PublicKey',
      'identityKey',
      'label',
      'signingKey',
      'userId',
      'x25519PublicKey',
    ]);
    // The remaining devices read it.
    expect((await (await alice.conversation(conversationId)).history()).items[0]).toMatchObject({ text: 'after removal' });
  });

  it('a revoked device cannot send: the server refuses it and its own client says so', async () => {
    const { alice, client, clientId, aliceCode, conversationId } = await readyPair();
    const phoneStore = new MemoryKeyStore();
    const phone = client(clientId, phoneStore);
    await phone.restore(aliceCode, 'Ada phone');
    const phoneSession = await phone.conversation(conversationId);
    await alice.revokeDevice((await phoneStore.load(clientId))!.deviceId);
    await rejectsWith(phoneSession.send({ text: 'still here?' }), 'NOT_SET_UP');
  });
});

describe('recovery (issue 16, done-when 4)', () => {
  it('the right code on a new device reads the history; the server never sees the code or an unwrapped key', async () => {
    const { alice, lin, client, clientId, aliceCode, conversationId, server } = await readyPair();
    await (await alice.conversation(conversationId)).send({ text: 'first' });
    await (
      await lin.conversation(conversationId)
    ).send({ text: 'second', attachments: [{ name: 'a.txt', type: 'text/plain', bytes: utf8('attached') }] });
    // A second conversation with another lawyer, so restore walks every conversation.
    const otherLawyer = server.addUser('LAWYER', 'Other');
    const otherConversation = server.openConversation(clientId, otherLawyer);
    const other = client(otherLawyer);
    await other.setUp('Other PC');
    await (await other.conversation(otherConversation)).send({ text: 'elsewhere' });

    const newBrowser = client(clientId);
    expect(await newBrowser.status()).toBe('needs-restore');
    await newBrowser.restore(aliceCode.toLowerCase().replace(/-/g, ' '), 'New laptop');
    expect(await newBrowser.status()).toBe('ready');
    const items = (await (await newBrowser.conversation(conversationId)).history()).items;
    expect(items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual(['second', 'first']);
    const attachment = (items[0] as DecryptedMessage).attachments[0]!;
    expect(new TextDecoder().decode(await (await newBrowser.conversation(conversationId)).downloadAttachment(attachment))).toBe(
      'attached',
    );
    expect((await (await newBrowser.conversation(otherConversation)).history()).items[0]).toMatchObject({ text: 'elsewhere' });

    // The new device writes; the others read it (a new epoch includes the new device).
    await (await newBrowser.conversation(conversationId)).send({ text: 'from the new laptop' });
    expect((await (await lin.conversation(conversationId)).history()).items[0]).toMatchObject({ text: 'from the new laptop' });

    // What the server received, in every request body: no recovery code (any spelling), no private key.
    const bodies = JSON.stringify(server.requests.map((r) => r.body ?? null));
    const normalized = aliceCode.replace(/-/g, '');
    expect(bodies).not.toContain(normalized);
    expect(bodies).not.toContain(aliceCode);
    expect(bodies).not.toContain(aliceCode.toLowerCase());
    expect(bodies).not.toMatch(/pkcs8/i);
  });

  it('a wrong code is WRONG_RECOVERY_CODE, a malformed one RECOVERY_CODE_MALFORMED before any request; nothing is registered', async () => {
    const { client, clientId, server, alice } = await readyPair();
    const newBrowser = client(clientId);
    const before = server.requests.length;
    await rejectsWith(newBrowser.restore('1234', 'New laptop'), 'RECOVERY_CODE_MALFORMED');
    expect(server.requests.length).toBe(before);
    await rejectsWith(newBrowser.restore('UUUU-UUUU-UUUU-UUUU-UUUU-UUUU', 'New laptop'), 'RECOVERY_CODE_MALFORMED');
    const wrong = '0000-0000-0000-0000-0000-0000';
    await rejectsWith(newBrowser.restore(wrong, 'New laptop'), 'WRONG_RECOVERY_CODE');
    expect(await newBrowser.status()).toBe('needs-restore');
    expect(await alice.listDevices()).toHaveLength(1);
  });

  it('restoring at the default Argon2id cost (64 MiB, 3 passes) works end to end', async () => {
    const server = new FakeMessagingServer();
    const userId = server.addUser('CLIENT');
    const first = new E2eeClient({ userId, transport: server.as(userId), store: new MemoryKeyStore() });
    const { recoveryCode } = await first.setUp('Laptop');
    const backup = server.users.get(userId)!.backup!;
    expect(backup.kdf).toMatchObject({ alg: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 });
    const second = new E2eeClient({ userId, transport: server.as(userId), store: new MemoryKeyStore() });
    await second.restore(recoveryCode, 'Phone');
    expect(await second.status()).toBe('ready');
  });

  it('resetIdentity: a new code, the old devices revoked, the old code useless', async () => {
    const { alice, client, clientId, aliceCode } = await readyPair();
    const phone = client(clientId);
    await phone.restore(aliceCode, 'Ada phone');
    const { recoveryCode } = await alice.resetIdentity('Ada laptop (new keys)');
    expect(recoveryCode).not.toBe(aliceCode);
    const devices = await alice.listDevices();
    expect(devices.filter((d) => d.revokedAt === null).map((d) => d.label)).toEqual(['Ada laptop (new keys)']);
    expect(await phone.status()).toBe('needs-restore');
    await rejectsWith(client(clientId).restore(aliceCode, 'x'), 'WRONG_RECOVERY_CODE');
    await client(clientId).restore(recoveryCode, 'Ada phone again');
  });
});

describe('safety numbers and identity changes', () => {
  it('both sides see the same number; after a reset the other side is warned and cannot send until it accepts', async () => {
    const { alice, lin, clientId, lawyerId, conversationId, server } = await readyPair();
    const a = await alice.safetyNumber(lawyerId);
    const l = await lin.safetyNumber(clientId);
    expect(a).toEqual(l);
    expect(a).toMatchObject({ identityChanged: false });
    expect(a.groups).toHaveLength(12);
    await (await alice.conversation(conversationId)).send({ text: 'before the reset' });

    await lin.resetIdentity('Lin new PC');
    const changed = await alice.safetyNumber(lawyerId);
    expect(changed.identityChanged).toBe(true);
    expect(changed.digits).not.toBe(a.digits);
    const epochs = server.conversations.get(conversationId)!.epochs.length;
    await rejectsWith((await alice.conversation(conversationId)).send({ text: 'to the new keys?' }), 'IDENTITY_CHANGED');
    expect(server.conversations.get(conversationId)!.epochs.length).toBe(epochs);

    // Lin (new keys) writes: Ada does not attribute it until she accepts.
    await (await lin.conversation(conversationId)).send({ text: 'new keys here' });
    const aliceSession = await alice.conversation(conversationId);
    expect((await aliceSession.history()).items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual([
      'IDENTITY_CHANGED',
      'before the reset',
    ]);

    await alice.acceptIdentityChange(lawyerId);
    const accepted = await alice.safetyNumber(lawyerId);
    expect(accepted).toMatchObject({ identityChanged: false, digits: changed.digits });
    expect((await aliceSession.history()).items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual([
      'new keys here',
      'before the reset',
    ]);
    await aliceSession.send({ text: 'welcome back' });
    expect((await (await lin.conversation(conversationId)).history()).items[0]).toMatchObject({ text: 'welcome back' });
  });

  it('NOT_SET_UP for someone without keys; a conversation works one-sided until they set up', async () => {
    const { client, clientId, lawyerId, conversationId } = world();
    const alice = client(clientId);
    await alice.setUp('Ada laptop');
    await rejectsWith(alice.safetyNumber(lawyerId), 'NOT_SET_UP');
    await (await alice.conversation(conversationId)).send({ text: 'before Lin set up' });
    const lin = client(lawyerId);
    await lin.setUp('Office');
    const linSession = await lin.conversation(conversationId);
    expect((await linSession.history()).items.map((i) => (isReadable(i) ? i.text : i.error))).toEqual(['NO_KEY_FOR_DEVICE']);
    await linSession.send({ text: 'now set up' });
    expect((await (await alice.conversation(conversationId)).history()).items[0]).toMatchObject({ text: 'now set up' });
  });

  it('a client without a device on this browser: NOT_SET_UP', async () => {
    const { client, clientId, conversationId } = await readyPair();
    const bare = client(clientId);
    await rejectsWith(bare.safetyNumber(clientId), 'NOT_SET_UP');
    await rejectsWith((await bare.conversation(conversationId)).send({ text: 'x' }), 'NOT_SET_UP');
  });
});

describe('session notes', () => {
  it('the agenda is shared and versioned, the private note stays with its author; both are ciphertext on the server', async () => {
    const { alice, lin, conversationId, server, clientId } = await readyPair();
    const sessionId = server.addSession(conversationId);
    const aliceSession = await alice.conversation(conversationId);
    const linSession = await lin.conversation(conversationId);
    expect(await aliceSession.readNotes(sessionId)).toEqual({ agenda: null, private: null });

    await aliceSession.saveNote(sessionId, 'AGENDA', 'Discuss the deposit');
    await aliceSession.saveNote(sessionId, 'PRIVATE', 'Ask about the cat clause');
    expect((await linSession.readNotes(sessionId)).agenda).toMatchObject({
      text: 'Discuss the deposit',
      version: 1,
      authorUserId: clientId,
    });
    expect((await linSession.readNotes(sessionId)).private).toBeNull();
    await linSession.saveNote(sessionId, 'AGENDA', 'Discuss the deposit and the notice period');
    const mine = await aliceSession.readNotes(sessionId);
    expect(mine.agenda).toMatchObject({ text: 'Discuss the deposit and the notice period', version: 2 });
    expect(mine.private).toMatchObject({ text: 'Ask about the cat clause', version: 1 });
    expect(JSON.stringify([...server.notes.values()])).not.toMatch(/deposit|cat clause/);

    await rejectsWith(aliceSession.saveNote(sessionId, 'AGENDA', 'x'.repeat(16_400)), 'MESSAGE_TOO_LARGE');
    const agenda = server.notes.get(`${sessionId}/AGENDA`)!;
    const b = fromB64(agenda.ciphertext);
    b[7]! ^= 1;
    agenda.ciphertext = toB64(b);
    await rejectsWith(aliceSession.readNotes(sessionId), 'SIGNATURE_INVALID');
  });
});

describe('live events', () => {
  it('delivers events, reconnects after the server ends the stream, and stops when aborted', async () => {
    const { alice, lin, conversationId, server } = await readyPair();
    const events: MessagingEvent[] = [];
    let opened = 0;
    const ac = new AbortController();
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && events.filter((e) => e.type === 'message').length < n; i++)
        await new Promise((r) => setTimeout(r, 5));
    };
    const running = alice.events((e) => events.push(e), ac.signal, { onOpen: () => opened++ });
    await new Promise((r) => setTimeout(r, 10));
    const first = await (await lin.conversation(conversationId)).send({ text: 'one' });
    await waitFor(1);
    server.dropStreams();
    await new Promise((r) => setTimeout(r, 60));
    const second = await (await lin.conversation(conversationId)).send({ text: 'two' });
    await waitFor(2);
    ac.abort();
    await running;
    expect(opened).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.type === 'message')).toEqual([
      { type: 'message', conversationId, messageId: first.id },
      { type: 'message', conversationId, messageId: second.id },
    ]);
    expect(events.some((e) => e.type === 'epoch')).toBe(true);
  });
});
