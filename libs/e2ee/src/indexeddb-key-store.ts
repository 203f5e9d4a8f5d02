import type { DeviceKeyStore, IdentityPins, StoredDevice } from './key-store';
import { epochKeyId } from './key-store';

/**
 * The browser's store: one IndexedDB database, three object stores. CryptoKeys are saved as
 * structured clones, which keeps them non-extractable: the page can use them but no script can
 * read their bytes (an XSS can still use them while it runs; see the README's threat model).
 */
const STORES = { devices: 'devices', epochKeys: 'epochKeys', pins: 'pins' } as const;
type StoreName = (typeof STORES)[keyof typeof STORES];

export class IndexedDbKeyStore implements DeviceKeyStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    private readonly dbName = 'lm-e2ee',
    private readonly factory: IDBFactory = globalThis.indexedDB,
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = this.factory.open(this.dbName, 1);
      req.onupgradeneeded = () => {
        for (const name of Object.values(STORES))
          if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
    }).catch((e: unknown) => {
      this.db = undefined;
      throw e;
    });
    return this.db;
  }

  private async run<T>(store: StoreName, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest | void): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const req = op(tx.objectStore(store));
      tx.oncomplete = () => resolve((req ? req.result : undefined) as T);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  }

  async load(userId: string): Promise<StoredDevice | null> {
    return (await this.run<StoredDevice | undefined>(STORES.devices, 'readonly', (s) => s.get(userId))) ?? null;
  }
  save(d: StoredDevice): Promise<void> {
    return this.run(STORES.devices, 'readwrite', (s) => void s.put(d, d.userId));
  }
  async clear(userId: string): Promise<void> {
    await this.run(STORES.devices, 'readwrite', (s) => void s.delete(userId));
    await this.run(STORES.pins, 'readwrite', (s) => void s.delete(userId));
  }
  async loadEpochKey(conversationId: string, epoch: number): Promise<CryptoKey | null> {
    return (
      (await this.run<CryptoKey | undefined>(STORES.epochKeys, 'readonly', (s) => s.get(epochKeyId(conversationId, epoch)))) ??
      null
    );
  }
  saveEpochKey(conversationId: string, epoch: number, key: CryptoKey): Promise<void> {
    return this.run(STORES.epochKeys, 'readwrite', (s) => void s.put(key, epochKeyId(conversationId, epoch)));
  }
  async loadPins(userId: string): Promise<IdentityPins> {
    return (await this.run<IdentityPins | undefined>(STORES.pins, 'readonly', (s) => s.get(userId))) ?? {};
  }
  savePins(userId: string, pins: IdentityPins): Promise<void> {
    return this.run(STORES.pins, 'readwrite', (s) => void s.put(pins, userId));
  }
}
