import { IDBFactory } from 'fake-indexeddb';
import { importAesKey } from './aes-gcm';
import { randomBytes } from './encoding';
import { IndexedDbKeyStore } from './indexeddb-key-store';
import { type DeviceKeyStore, MemoryKeyStore, type StoredDevice } from './key-store';
import { generateDeviceKeys } from './keys';

async function device(userId: string): Promise<StoredDevice> {
  const keys = await generateDeviceKeys();
  return { userId, deviceId: globalThis.crypto.randomUUID(), label: 'Laptop', identityKey: 'id', ...keys };
}

describe.each([
  ['MemoryKeyStore', () => new MemoryKeyStore()],
  // fake-indexeddb clones values with structuredClone, as browsers do: CryptoKeys stay usable and non-extractable.
  ['IndexedDbKeyStore (fake-indexeddb)', () => new IndexedDbKeyStore('lm-e2ee-test', new IDBFactory())],
] as [string, () => DeviceKeyStore][])('%s', (_name, make) => {
  it('keeps a device with usable non-extractable keys, per user, until cleared', async () => {
    const store = make();
    expect(await store.load('u1')).toBeNull();
    const d = await device('u1');
    await store.save(d);
    await store.save(await device('u2'));
    const loaded = (await store.load('u1'))!;
    expect(loaded.deviceId).toBe(d.deviceId);
    expect(loaded.signingKey.privateKey.extractable).toBe(false);
    expect(loaded.agreementKey.privateKey.extractable).toBe(false);
    const sig = await globalThis.crypto.subtle.sign('Ed25519', loaded.signingKey.privateKey, new Uint8Array([1, 2, 3]));
    expect(await globalThis.crypto.subtle.verify('Ed25519', d.signingKey.publicKey, sig, new Uint8Array([1, 2, 3]))).toBe(true);
    await store.clear('u1');
    expect(await store.load('u1')).toBeNull();
    expect((await store.load('u2'))?.userId).toBe('u2');
  });

  it('caches epoch keys by conversation and epoch, and pins per user', async () => {
    const store = make();
    const key = await importAesKey(randomBytes(32));
    await store.saveEpochKey('c1', 1, key);
    expect(await store.loadEpochKey('c1', 2)).toBeNull();
    const loaded = (await store.loadEpochKey('c1', 1))!;
    expect(loaded.extractable).toBe(false);
    const iv = new Uint8Array(12);
    const ct = await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array([7]));
    expect(new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv }, loaded, ct))).toEqual(
      new Uint8Array([7]),
    );

    expect(await store.loadPins('u1')).toEqual({});
    await store.savePins('u1', { u2: ['k1', 'k2'] });
    expect(await store.loadPins('u1')).toEqual({ u2: ['k1', 'k2'] });
    expect(await store.loadPins('u2')).toEqual({});
    await store.clear('u1');
    expect(await store.loadPins('u1')).toEqual({});
  });
});
