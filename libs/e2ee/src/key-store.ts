/**
 * Where a browser keeps its device keys, the cache of opened epoch keys and the pinned identity
 * keys of the people it talks to. Keys are CryptoKeys (non-extractable): the store holds the
 * handles, never key bytes.
 */
export interface StoredDevice {
  userId: string;
  deviceId: string;
  label: string;
  /** The identity key (b64) that certified this device. */
  identityKey: string;
  x25519PublicKey: string;
  ed25519PublicKey: string;
  /** X25519, private half non-extractable: opens epoch keys sealed to `device:<deviceId>`. */
  agreementKey: CryptoKeyPair;
  /** Ed25519, private half non-extractable: signs records and epochs. */
  signingKey: CryptoKeyPair;
}

/**
 * Pins: for each user (key: user id) the identity keys (b64) this device has accepted for them,
 * oldest first; the last is the one currently trusted.
 */
export type IdentityPins = Record<string, string[]>;

export interface DeviceKeyStore {
  load(userId: string): Promise<StoredDevice | null>;
  save(d: StoredDevice): Promise<void>;
  /** Forgets the user's device and pins (cached epoch keys stay: they are useless without access). */
  clear(userId: string): Promise<void>;
  loadEpochKey(conversationId: string, epoch: number): Promise<CryptoKey | null>;
  saveEpochKey(conversationId: string, epoch: number, key: CryptoKey): Promise<void>;
  /** The pins kept by `userId`'s device for the people it talks to. */
  loadPins(userId: string): Promise<IdentityPins>;
  savePins(userId: string, pins: IdentityPins): Promise<void>;
}

export const epochKeyId = (conversationId: string, epoch: number): string => `${conversationId}/${epoch}`;

/** In-memory store, for Node and tests. */
export class MemoryKeyStore implements DeviceKeyStore {
  private readonly devices = new Map<string, StoredDevice>();
  private readonly epochKeys = new Map<string, CryptoKey>();
  private readonly pins = new Map<string, IdentityPins>();

  async load(userId: string): Promise<StoredDevice | null> {
    return this.devices.get(userId) ?? null;
  }
  async save(d: StoredDevice): Promise<void> {
    this.devices.set(d.userId, d);
  }
  async clear(userId: string): Promise<void> {
    this.devices.delete(userId);
    this.pins.delete(userId);
  }
  async loadEpochKey(conversationId: string, epoch: number): Promise<CryptoKey | null> {
    return this.epochKeys.get(epochKeyId(conversationId, epoch)) ?? null;
  }
  async saveEpochKey(conversationId: string, epoch: number, key: CryptoKey): Promise<void> {
    this.epochKeys.set(epochKeyId(conversationId, epoch), key);
  }
  async loadPins(userId: string): Promise<IdentityPins> {
    return structuredClone(this.pins.get(userId) ?? {});
  }
  async savePins(userId: string, pins: IdentityPins): Promise<void> {
    this.pins.set(userId, structuredClone(pins));
  }
}
