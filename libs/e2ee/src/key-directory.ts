import { PUBLIC_KEY_BYTES } from './constants';
import { fromB64 } from './encoding';
import { backupRecipient, checkEpochShape, deviceRecipient, verifyEpochSignature } from './epoch';
import { E2eeError } from './errors';
import type { DeviceKeyStore, IdentityPins } from './key-store';
import { importPublicKey, verifyBackupKeySignature, verifyDeviceCertificate } from './keys';
import type { E2eeTransport } from './transport';
import type { Device, Epoch, UserKeys } from './wire';

/**
 * What this device believes about people's keys. It fetches UserKeys from the server (which is
 * not trusted with them), pins identity keys on first use (TOFU) in the key store, and checks
 * every device certificate and epoch signature against a pinned identity before anything is
 * sealed to a device or read from it.
 */
export class KeyDirectory {
  private readonly keysCache = new Map<string, Promise<UserKeys>>();
  private readonly certOk = new Map<string, Promise<boolean>>();
  private readonly verifyKeys = new Map<string, Promise<CryptoKey>>();
  private readonly verifiedEpochs = new Map<string, Promise<void>>();
  /** Pin updates are read-modify-write of one record: one at a time. */
  private pinQueue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly me: string,
    private readonly transport: E2eeTransport,
    private readonly store: DeviceKeyStore,
  ) {}

  /** The user's keys, from the cache unless `fresh`. */
  keys(userId: string, fresh = false): Promise<UserKeys> {
    let p = fresh ? undefined : this.keysCache.get(userId);
    if (!p) {
      p = userId === this.me ? this.transport.getMyKeys() : this.transport.getUserKeys(userId);
      this.keysCache.set(userId, p);
      p.catch(() => this.keysCache.get(userId) === p && this.keysCache.delete(userId));
    }
    return p;
  }

  invalidate(userId?: string): void {
    if (userId) this.keysCache.delete(userId);
    else this.keysCache.clear();
  }

  private updatePins<T>(f: (pins: IdentityPins) => T | Promise<T>): Promise<T> {
    const run = this.pinQueue.then(async () => {
      const pins = await this.store.loadPins(this.me);
      const result = await f(pins);
      await this.store.savePins(this.me, pins);
      return result;
    });
    this.pinQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * The identity keys accepted for `userId`, oldest first (the last is the trusted current one).
   * The first time a user is seen, every identity key the server shows for them is pinned: the
   * ones that certified their devices, then the current one (trust on first use).
   */
  async accepted(userId: string, keys: UserKeys): Promise<string[]> {
    const pinned = (await this.store.loadPins(this.me))[userId];
    if (pinned && pinned.length > 0) return pinned;
    const seen = [...keys.devices].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)).map((d) => d.identityKey);
    if (keys.identity) seen.push(keys.identity.identityKey);
    const first = unique(seen);
    if (first.length === 0) return [];
    return this.updatePins((pins) => {
      if (!pins[userId]?.length) pins[userId] = first;
      return pins[userId]!;
    });
  }

  /** Pins `identityKeys` (appended in order, most trusted last) for `userId`. */
  pin(userId: string, identityKeys: string[]): Promise<void> {
    return this.updatePins((pins) => {
      pins[userId] = unique([...(pins[userId] ?? []).filter((k) => !identityKeys.includes(k)), ...identityKeys]);
    });
  }

  /** The user's current identity versus the last one accepted here; the current one is pinned on first use. */
  async identityState(userId: string, fresh = true): Promise<{ keys: UserKeys; identityKey: string | null; changed: boolean }> {
    const keys = await this.keys(userId, fresh);
    const identityKey = keys.identity?.identityKey ?? null;
    const accepted = await this.accepted(userId, keys);
    return { keys, identityKey, changed: identityKey !== null && accepted[accepted.length - 1] !== identityKey };
  }

  /** Trusts the user's current identity key from now on (after comparing safety numbers). */
  async acceptCurrent(userId: string): Promise<void> {
    const keys = await this.keys(userId, true);
    if (!keys.identity) throw new E2eeError('NOT_SET_UP', 'This person has not set up encrypted messaging yet');
    await this.pin(userId, [keys.identity.identityKey]);
  }

  private async checkCertificate(d: Device): Promise<void> {
    const memo = `${d.userId}/${d.deviceId}/${d.identityKey}/${d.x25519PublicKey}/${d.ed25519PublicKey}/${d.certificate}`;
    let ok = this.certOk.get(memo);
    if (!ok) {
      ok = verifyDeviceCertificate(d);
      this.certOk.set(memo, ok);
    }
    if (!(await ok))
      throw new E2eeError('DEVICE_CERT_INVALID', "A device's certificate does not verify against its identity key");
  }

  /**
   * A device may speak for its user when its identity key is one this device accepted for that
   * user (IDENTITY_CHANGED otherwise) and its certificate verifies (DEVICE_CERT_INVALID).
   */
  async verifyDevice(d: Device): Promise<void> {
    const accepted = await this.accepted(d.userId, await this.keys(d.userId));
    if (!accepted.includes(d.identityKey))
      throw new E2eeError(
        'IDENTITY_CHANGED',
        'This device belongs to a security key you have not accepted; compare safety numbers first',
      );
    await this.checkCertificate(d);
  }

  /** The device `deviceId` of one of `userIds` (revoked ones included); refetches once before UNKNOWN_DEVICE. */
  async findDevice(userIds: string[], deviceId: string): Promise<Device> {
    for (const fresh of [false, true]) {
      for (const userId of userIds) {
        const d = (await this.keys(userId, fresh)).devices.find((x) => x.deviceId === deviceId);
        if (d && d.userId === userId) return d;
      }
    }
    throw new E2eeError('UNKNOWN_DEVICE', 'The sending device is not a device of this conversation');
  }

  /** The Ed25519 public key of a device, imported once. */
  verifyKey(d: Device): Promise<CryptoKey> {
    let k = this.verifyKeys.get(d.ed25519PublicKey);
    if (!k) {
      k = importPublicKey('Ed25519', fromB64(d.ed25519PublicKey, PUBLIC_KEY_BYTES));
      this.verifyKeys.set(d.ed25519PublicKey, k);
      k.catch(() => this.verifyKeys.delete(d.ed25519PublicKey));
    }
    return k;
  }

  /**
   * An epoch may be used when it is well-formed, its creator is a device of a participant that
   * verifies (verifyDevice) and the creator signed exactly these recipients and sealed keys.
   */
  verifyEpoch(conversationId: string, participants: string[], e: Epoch): Promise<void> {
    const memo = `${conversationId}/${e.epoch}/${e.creatorDeviceId}/${e.signature}`;
    let p = this.verifiedEpochs.get(memo);
    if (!p) {
      p = (async () => {
        checkEpochShape(e);
        const creator = await this.findDevice(participants, e.creatorDeviceId);
        await this.verifyDevice(creator);
        if (!(await verifyEpochSignature(conversationId, e, creator.ed25519PublicKey)))
          throw new E2eeError('EPOCH_SIGNATURE_INVALID', `Epoch ${e.epoch} is not signed by its creator device`);
      })();
      this.verifiedEpochs.set(memo, p);
      p.catch(() => this.verifiedEpochs.get(memo) === p && this.verifiedEpochs.delete(memo));
    }
    return p;
  }

  /**
   * Who a new epoch must be sealed to now, from fresh keys, every one checked: each participant
   * with an identity must still have the identity this device accepted last (IDENTITY_CHANGED),
   * a backup key signed by it and active devices certified by it (DEVICE_CERT_INVALID).
   */
  async sealingRecipients(participants: string[]): Promise<{ recipient: string; x25519PublicKey: string }[]> {
    const out: { recipient: string; x25519PublicKey: string }[] = [];
    for (const userId of participants) {
      const { keys, identityKey, changed } = await this.identityState(userId, true);
      if (!keys.identity || !identityKey) continue;
      if (changed)
        throw new E2eeError(
          'IDENTITY_CHANGED',
          "The other person's security key changed; compare safety numbers and accept the change before sending",
        );
      if (!(await verifyBackupKeySignature(userId, keys.identity)))
        throw new E2eeError('DEVICE_CERT_INVALID', "A backup key is not signed by its user's identity key");
      out.push({ recipient: backupRecipient(userId), x25519PublicKey: keys.identity.backupKey });
      for (const d of keys.devices) {
        if (d.revokedAt !== null) continue;
        if (d.userId !== userId || d.identityKey !== identityKey)
          throw new E2eeError('DEVICE_CERT_INVALID', 'An active device is not certified by the current identity key');
        await this.checkCertificate(d);
        out.push({ recipient: deviceRecipient(d.deviceId), x25519PublicKey: d.x25519PublicKey });
      }
    }
    return out;
  }
}

const unique = (xs: string[]): string[] => [...new Set(xs)];
