import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createBookableLawyer, createSession, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import type { TestApp } from '../setup/test-app';

/**
 * Keys and signatures made the way a browser following the E2EE contract makes them, with
 * node:crypto directly (the @lm/e2ee library is built separately; the server's checks are tested
 * against the contract's exact strings here). Sealed keys and ciphertexts are random bytes of the
 * contract's sizes: the server stores them without being able to open them.
 */

export const b64 = (bytes: Buffer | Uint8Array): string => Buffer.from(bytes).toString('base64url');
const rawPublic = (key: KeyObject): string => key.export({ format: 'jwk' }).x!;

export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** Raw public key, base64url. */
  raw: string;
}

export function ed25519(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey, privateKey, raw: rawPublic(publicKey) };
}

export function x25519(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey, privateKey, raw: rawPublic(publicKey) };
}

export function signText(key: KeyPair, text: string | Buffer): string {
  return b64(sign(null, typeof text === 'string' ? Buffer.from(text, 'utf8') : text, key.privateKey));
}

export interface TestDevice {
  deviceId: string;
  agreement: KeyPair;
  signing: KeyPair;
}

/** A user's keys as their browser holds them. */
export interface E2eeUser extends Caller {
  identity: KeyPair;
  backup: KeyPair;
  device: TestDevice;
}

export function newDevice(): TestDevice {
  return { deviceId: randomUUID(), agreement: x25519(), signing: ed25519() };
}

/** The DeviceRegistration body of `device`, certified by `identity` for `userId`. */
export function registration(userId: string, identity: KeyPair, device: TestDevice, label = 'Test browser') {
  const certificate = signText(
    identity,
    `lm-e2ee/v1/device/${userId}/${device.deviceId}/${device.agreement.raw}/${device.signing.raw}`,
  );
  return {
    deviceId: device.deviceId,
    x25519PublicKey: device.agreement.raw,
    ed25519PublicKey: device.signing.raw,
    certificate,
    label,
  };
}

/** A key backup as the browser wraps it (the ciphertext is random here: the server cannot tell). */
export function keyBackup() {
  return {
    version: 1,
    kdf: { alg: 'argon2id', salt: b64(randomBytes(16)), memoryKiB: 65536, iterations: 3, parallelism: 1 },
    nonce: b64(randomBytes(12)),
    ciphertext: b64(randomBytes(160)),
  };
}

/** The POST /api/e2ee/identity body for fresh keys of `userId`. */
export function identityBody(userId: string, keys: { identity: KeyPair; backup: KeyPair; device: TestDevice }) {
  return {
    identityKey: keys.identity.raw,
    backupKey: keys.backup.raw,
    backupKeySignature: signText(keys.identity, `lm-e2ee/v1/backup-key/${userId}/${keys.backup.raw}`),
    backup: keyBackup(),
    device: registration(userId, keys.identity, keys.device),
  };
}

/** Sets up keys for `caller` through the API. */
export async function setUpKeys(t: TestApp, caller: Caller): Promise<E2eeUser> {
  const keys = { identity: ed25519(), backup: x25519(), device: newDevice() };
  const res = await request(t.server).post('/api/e2ee/identity').set(bearer(caller.token)).send(identityBody(caller.id, keys));
  if (res.status !== 201) throw new Error(`identity set-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...caller, ...keys };
}

/** A client and a lawyer with a paid session (which opened their conversation). */
export async function paidPair(
  t: TestApp,
): Promise<{ client: Caller; lawyer: BookableLawyer; lawyerCaller: Caller; sessionId: string; conversationId: string }> {
  const client = await signedIn(t);
  const lawyer = await createBookableLawyer(t);
  const session = await createSession(t, { clientId: client.id, lawyer });
  const rows: { id: string }[] = await t.app
    .get(DataSource)
    .query(`SELECT id FROM conversations WHERE client_id = $1 AND lawyer_id = $2`, [client.id, lawyer.id]);
  if (!rows[0]) throw new Error('paying the session did not open a conversation');
  return {
    client,
    lawyer,
    lawyerCaller: { id: lawyer.id, token: lawyer.accessToken },
    sessionId: session.id,
    conversationId: rows[0].id,
  };
}

/** The recipients the server expects for the conversation now (read from both users' keys). */
export async function recipientsOf(t: TestApp, asCaller: Caller, userIds: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const userId of userIds) {
    const res = await request(t.server).get(`/api/e2ee/users/${userId}/keys`).set(bearer(asCaller.token)).expect(200);
    const keys = res.body as { identity: unknown; devices: { deviceId: string; revokedAt: string | null }[] };
    for (const d of keys.devices) if (!d.revokedAt) out.push(`device:${d.deviceId}`);
    if (keys.identity) out.push(`backup:${userId}`);
  }
  return out.sort();
}

/** A POST /epochs body sealed (with random bytes of HPKE's sizes) to `recipients`, signed by `device`. */
export function epochBody(conversationId: string, epoch: number, device: TestDevice, recipients: string[]) {
  const sealed = recipients.map((recipient) => ({ recipient, enc: b64(randomBytes(32)), ciphertext: b64(randomBytes(48)) }));
  const statement =
    `lm-e2ee/v1/epoch/${conversationId}/${epoch}/${device.deviceId}/` +
    recipients.join(',') +
    '/' +
    sealed.map((s) => `${s.recipient}=${s.enc}.${s.ciphertext}`).join(',');
  return { epoch, creatorDeviceId: device.deviceId, recipients, sealed, signature: signText(device.signing, statement) };
}

/** Creates the next epoch of the conversation, sealed to whoever the server expects now. */
export async function rekey(t: TestApp, sender: E2eeUser, conversationId: string, participants: string[]): Promise<number> {
  const detail = await request(t.server).get(`/api/conversations/${conversationId}`).set(bearer(sender.token)).expect(200);
  const epoch = (detail.body.currentEpoch as number) + 1;
  const recipients = await recipientsOf(t, sender, participants);
  await request(t.server)
    .post(`/api/conversations/${conversationId}/epochs`)
    .set(bearer(sender.token))
    .send(epochBody(conversationId, epoch, sender.device, recipients))
    .expect(201);
  return epoch;
}

/** A message body: `plaintextBucket` bytes of random "ciphertext" + the 16-byte tag, signed as the contract says. */
export function messageBody(
  conversationId: string,
  epoch: number,
  device: TestDevice,
  opts: { id?: string; bucket?: number; attachmentIds?: string[] } = {},
) {
  const id = opts.id ?? randomUUID();
  const nonce = randomBytes(12);
  const ciphertext = randomBytes((opts.bucket ?? 256) + 16);
  const aad = `lm-e2ee/v1/message/${conversationId}/${epoch}/${device.deviceId}/${id}`;
  const signature = signText(device.signing, Buffer.concat([Buffer.from(aad, 'utf8'), Buffer.from([0]), nonce, ciphertext]));
  return {
    id,
    epoch,
    senderDeviceId: device.deviceId,
    nonce: b64(nonce),
    ciphertext: b64(ciphertext),
    signature,
    ...(opts.attachmentIds ? { attachmentIds: opts.attachmentIds } : {}),
  };
}

/** A note body (bucket 256 by default) for `version`. */
export function noteBody(
  sessionId: string,
  conversationId: string,
  kind: 'AGENDA' | 'PRIVATE',
  version: number,
  epoch: number,
  device: TestDevice,
  bucket = 256,
) {
  const nonce = randomBytes(12);
  const ciphertext = randomBytes(bucket + 16);
  const aad = `lm-e2ee/v1/note/${conversationId}/${epoch}/${device.deviceId}/${sessionId}/${kind}/${version}`;
  const signature = signText(device.signing, Buffer.concat([Buffer.from(aad, 'utf8'), Buffer.from([0]), nonce, ciphertext]));
  return { version, epoch, senderDeviceId: device.deviceId, nonce: b64(nonce), ciphertext: b64(ciphertext), signature };
}

/** Both participants have keys and the conversation has its first epoch. */
export async function readyPair(t: TestApp) {
  const pair = await paidPair(t);
  const client = await setUpKeys(t, pair.client);
  const lawyer = await setUpKeys(t, pair.lawyerCaller);
  const epoch = await rekey(t, client, pair.conversationId, [client.id, lawyer.id]);
  return { ...pair, lawyerProfile: pair.lawyer, client, lawyer, epoch };
}
