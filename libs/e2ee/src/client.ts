import { DEVICE_LABEL_MAX } from './constants';
import { toB64 } from './encoding';
import { E2eeError } from './errors';
import { KeyDirectory } from './key-directory';
import type { DeviceKeyStore, StoredDevice } from './key-store';
import {
  backupKeySigningString,
  exportPkcs8,
  exportPublicKey,
  generateAgreementKeyPair,
  generateDeviceKeys,
  generateSigningKeyPair,
  importPrivateKeyPair,
  signDeviceCertificate,
  signString,
  verifyBackupKeySignature,
} from './keys';
import { type Argon2Params, generateRecoveryCode, normalizeRecoveryCode, unwrapBackup, wrapBackup } from './recovery';
import { safetyNumber } from './safety-number';
import { ConversationSession } from './session';
import type { E2eeTransport } from './transport';
import type { Device, DeviceRegistration, MessagingEvent } from './wire';

export type E2eeStatus = 'ready' | 'needs-setup' | 'needs-restore';

export interface E2eeClientOptions {
  userId: string;
  transport: E2eeTransport;
  store: DeviceKeyStore;
  /** Argon2id cost of new backups (tests may lower it; the server refuses below 19456 KiB). */
  argon2?: Partial<Pick<Argon2Params, 'memoryKiB' | 'iterations'>>;
  /** Reconnect delays of events(): doubling from `initialMs` up to `maxMs` (default 1 s … 30 s). */
  reconnect?: { initialMs?: number; maxMs?: number };
}

/**
 * The signed-in user's end-to-end encryption on this device: key set-up and recovery, devices,
 * safety numbers, conversations and live events.
 *
 * Key hygiene: device keys are created non-extractable and are all this device keeps. The
 * identity (Ed25519) and backup (X25519) private keys exist in memory only inside setUp,
 * resetIdentity and restore — extractable there, to go into the backup or to derive their public
 * halves — and are dropped when those return, so a device, once revoked, can open no later epoch.
 */
export class E2eeClient {
  readonly userId: string;
  private readonly transport: E2eeTransport;
  private readonly store: DeviceKeyStore;
  private readonly argon2: Partial<Argon2Params>;
  private readonly reconnect: { initialMs: number; maxMs: number };
  private readonly directory: KeyDirectory;
  private readonly sessions = new Map<string, Promise<ConversationSession>>();

  constructor(o: E2eeClientOptions) {
    this.userId = o.userId;
    this.transport = o.transport;
    this.store = o.store;
    this.argon2 = { ...o.argon2 };
    this.reconnect = { initialMs: o.reconnect?.initialMs ?? 1000, maxMs: o.reconnect?.maxMs ?? 30_000 };
    this.directory = new KeyDirectory(o.userId, o.transport, o.store);
  }

  /** ready = an identity on the server and this browser holds one of its active devices. */
  async status(): Promise<E2eeStatus> {
    const [keys, device] = await Promise.all([this.directory.keys(this.userId, true), this.store.load(this.userId)]);
    if (!keys.identity) return 'needs-setup';
    const onServer = device && keys.devices.find((d) => d.deviceId === device.deviceId);
    const ready =
      !!onServer &&
      onServer.revokedAt === null &&
      onServer.identityKey === keys.identity.identityKey &&
      device.identityKey === keys.identity.identityKey &&
      onServer.x25519PublicKey === device.x25519PublicKey &&
      onServer.ed25519PublicKey === device.ed25519PublicKey;
    return ready ? 'ready' : 'needs-restore';
  }

  private async device(): Promise<StoredDevice> {
    const d = await this.store.load(this.userId);
    if (!d) throw new E2eeError('NOT_SET_UP', 'Encrypted messaging is not set up on this device');
    return d;
  }

  private static label(deviceLabel: string): string {
    const label = String(deviceLabel).trim();
    if (label.length < 1 || label.length > DEVICE_LABEL_MAX)
      throw new E2eeError('MALFORMED', `A device name has 1 to ${DEVICE_LABEL_MAX} characters`);
    return label;
  }

  /** New device keys, certified by the identity private key; not saved yet. */
  private async newDevice(identityPrivateKey: CryptoKey, identityKey: string, deviceLabel: string) {
    const label = E2eeClient.label(deviceLabel);
    const keys = await generateDeviceKeys();
    const deviceId = globalThis.crypto.randomUUID();
    const certificate = await signDeviceCertificate(identityPrivateKey, { userId: this.userId, deviceId, ...keys });
    const registration: DeviceRegistration = {
      deviceId,
      x25519PublicKey: keys.x25519PublicKey,
      ed25519PublicKey: keys.ed25519PublicKey,
      certificate,
      label,
    };
    const stored: StoredDevice = { userId: this.userId, deviceId, label, identityKey, ...keys };
    return { registration, stored };
  }

  private async createIdentity(deviceLabel: string, reset: boolean): Promise<{ recoveryCode: string }> {
    E2eeClient.label(deviceLabel);
    const identity = await generateSigningKeyPair(true);
    const backup = await generateAgreementKeyPair(true);
    const identityKey = toB64(await exportPublicKey(identity.publicKey));
    const backupKey = toB64(await exportPublicKey(backup.publicKey));
    const backupKeySignature = await signString(identity.privateKey, backupKeySigningString(this.userId, backupKey));
    const { registration, stored } = await this.newDevice(identity.privateKey, identityKey, deviceLabel);
    const recoveryCode = generateRecoveryCode();
    const secrets = { identityPkcs8: await exportPkcs8(identity.privateKey), backupPkcs8: await exportPkcs8(backup.privateKey) };
    const keyBackup = await wrapBackup({ userId: this.userId, recoveryCode, secrets, params: this.argon2 });
    secrets.identityPkcs8.fill(0);
    secrets.backupPkcs8.fill(0);
    await this.transport.createIdentity({
      identityKey,
      backupKey,
      backupKeySignature,
      backup: keyBackup,
      device: registration,
      ...(reset ? { reset: true } : {}),
    });
    await this.store.save(stored);
    await this.directory.pin(this.userId, [identityKey]);
    this.forget();
    return { recoveryCode };
  }

  /** First use: a new identity, its backup under a fresh recovery code (shown once), and this device. */
  setUp(deviceLabel: string): Promise<{ recoveryCode: string }> {
    return this.createIdentity(deviceLabel, false);
  }

  /**
   * Lost recovery code: a new identity and recovery code. The server revokes every old device;
   * history sealed to the old keys stays unreadable (except what this browser had already opened),
   * and the other side is warned that the keys changed.
   */
  resetIdentity(deviceLabel: string): Promise<{ recoveryCode: string }> {
    return this.createIdentity(deviceLabel, true);
  }

  /**
   * A new browser: opens the backup with the recovery code (RECOVERY_CODE_MALFORMED /
   * WRONG_RECOVERY_CODE), registers this device certified by the identity key, opens every epoch
   * key sealed to the user's backup key and caches it, then drops the identity and backup keys.
   * Neither the code nor an unwrapped key leaves this device. Safe to run again after a failure.
   */
  async restore(recoveryCode: string, deviceLabel: string): Promise<void> {
    const code = normalizeRecoveryCode(recoveryCode);
    E2eeClient.label(deviceLabel);
    const [{ identityKey, backup }, myKeys] = await Promise.all([
      this.transport.getBackup(),
      this.directory.keys(this.userId, true),
    ]);
    if (!myKeys.identity || myKeys.identity.identityKey !== identityKey)
      throw new E2eeError('MALFORMED', 'The key backup is not the one of the current identity');
    const secrets = await unwrapBackup({ userId: this.userId, recoveryCode: code, backup });
    let identity: Awaited<ReturnType<typeof importPrivateKeyPair>>;
    let backupPair: Awaited<ReturnType<typeof importPrivateKeyPair>>;
    try {
      identity = await importPrivateKeyPair('Ed25519', secrets.identityPkcs8);
      backupPair = await importPrivateKeyPair('X25519', secrets.backupPkcs8);
    } finally {
      secrets.identityPkcs8.fill(0);
      secrets.backupPkcs8.fill(0);
    }
    // The backup is authentic (AES-GCM under the code); the server's public keys must be its keys.
    if (toB64(identity.publicKey) !== identityKey || toB64(backupPair.publicKey) !== myKeys.identity.backupKey)
      throw new E2eeError('MALFORMED', 'The server shows keys that are not the ones in the backup');
    if (!(await verifyBackupKeySignature(this.userId, myKeys.identity)))
      throw new E2eeError('MALFORMED', 'The backup key signature does not verify');

    const byAge = [...myKeys.devices].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    await this.directory.pin(this.userId, [...byAge.map((d) => d.identityKey), identityKey]);
    if ((await this.status()) !== 'ready') {
      const { registration, stored } = await this.newDevice(identity.pair.privateKey, identityKey, deviceLabel);
      await this.transport.registerDevice(registration);
      await this.store.save(stored);
    }
    this.forget();

    let cursor: string | undefined;
    do {
      const page = await this.transport.listConversations({ cursor, limit: 50 });
      for (const c of page.items) await (await this.conversation(c.id)).openBackupSealedEpochs(backupPair.pair);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // identity and backupPair go out of scope here: nothing kept them.
  }

  listDevices(): Promise<Device[]> {
    return this.directory.keys(this.userId, true).then((k) => k.devices);
  }

  /** Revokes one of the user's devices; new epochs leave it out. Revoking this device forgets its keys here. */
  async revokeDevice(deviceId: string): Promise<void> {
    await this.transport.revokeDevice(deviceId);
    const mine = await this.store.load(this.userId);
    if (mine?.deviceId === deviceId) await this.store.clear(this.userId);
    this.forget();
  }

  private forget(): void {
    this.directory.invalidate();
    this.sessions.clear();
  }

  /** A conversation the user takes part in (the server answers 404 otherwise: E2eeError 'HTTP'). */
  conversation(conversationId: string): Promise<ConversationSession> {
    let s = this.sessions.get(conversationId);
    if (!s) {
      s = this.transport.getConversation(conversationId).then(
        (detail) =>
          new ConversationSession(
            {
              userId: this.userId,
              transport: this.transport,
              store: this.store,
              directory: this.directory,
              device: () => this.device(),
            },
            detail,
          ),
      );
      this.sessions.set(conversationId, s);
      s.catch(() => this.sessions.get(conversationId) === s && this.sessions.delete(conversationId));
    }
    return s;
  }

  /**
   * The safety number of the user and `counterpartUserId` (their current identity keys), to
   * compare in person or by phone. identityChanged: the counterpart's key is not the one this
   * device accepted last (the first one seen is accepted automatically).
   */
  async safetyNumber(counterpartUserId: string): Promise<{ digits: string; groups: string[]; identityChanged: boolean }> {
    const me = await this.device();
    const state = await this.directory.identityState(counterpartUserId, true);
    if (!state.identityKey) throw new E2eeError('NOT_SET_UP', 'This person has not set up encrypted messaging yet');
    const n = await safetyNumber(
      { userId: this.userId, identityKey: me.identityKey },
      { userId: counterpartUserId, identityKey: state.identityKey },
    );
    return { ...n, identityChanged: state.changed };
  }

  /** Accepts the counterpart's current identity key (after comparing safety numbers). */
  acceptIdentityChange(counterpartUserId: string): Promise<void> {
    return this.directory.acceptCurrent(counterpartUserId);
  }

  /**
   * Live events until `signal` aborts: reconnects after a dropped or refused stream, waiting
   * 1 s, 2 s, 4 s … up to 30 s (reset once a connection opens); the access token is read again
   * for each connection. A `keys` event makes the next operation refetch keys.
   */
  async events(onEvent: (e: MessagingEvent) => void, signal: AbortSignal, o: { onOpen?: () => void } = {}): Promise<void> {
    let delay = this.reconnect.initialMs;
    while (!signal.aborted) {
      try {
        const stream = this.transport.streamEvents(signal, () => {
          delay = this.reconnect.initialMs;
          o.onOpen?.();
        });
        for await (const e of stream) {
          if (e.type === 'keys') this.directory.invalidate(e.userId);
          try {
            onEvent(e);
          } catch (err) {
            // A failing handler must not tear down the stream: report it as an uncaught error.
            setTimeout(() => {
              throw err;
            });
          }
        }
      } catch {
        // Refused or dropped: retry below.
      }
      if (signal.aborted) break;
      await sleep(delay * (0.8 + 0.4 * Math.random()), signal);
      delay = Math.min(delay * 2, this.reconnect.maxMs);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
