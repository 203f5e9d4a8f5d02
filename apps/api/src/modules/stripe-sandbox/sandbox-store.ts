/** A Stripe object as the sandbox keeps it: the public JSON plus the sandbox's private notes. */
export interface StoredObject {
  id: string;
  /** Stripe's `object` name: customer, checkout.session, payment_intent, charge, refund, event. */
  object: string;
  /** Unix seconds, as Stripe's `created`. */
  created: number;
  data: Record<string, unknown>;
}

/** The saved outcome of the first request made with an idempotency key. */
export interface IdempotencyRecord {
  key: string;
  /** Method, path and parameters of the first request (a reuse with others is an error). */
  fingerprint: string;
  status: number;
  body: unknown;
  requestId: string;
}

/** Where the sandbox keeps its objects: PostgreSQL in the app, memory in test fakes. */
export interface SandboxStore {
  get(id: string): Promise<StoredObject | null>;
  /** Inserts or replaces (by id). */
  put(object: StoredObject): Promise<void>;
  /** Every object of one kind created at or after `createdGte`, newest first (creation order breaks ties). */
  list(object: string, createdGte?: number): Promise<StoredObject[]>;
  getIdempotency(key: string): Promise<IdempotencyRecord | null>;
  putIdempotency(record: IdempotencyRecord): Promise<void>;
}

export class MemorySandboxStore implements SandboxStore {
  private readonly objects = new Map<string, { seq: number; value: StoredObject }>();
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private seq = 0;

  async get(id: string): Promise<StoredObject | null> {
    return clone(this.objects.get(id)?.value ?? null);
  }

  async put(object: StoredObject): Promise<void> {
    const existing = this.objects.get(object.id);
    this.objects.set(object.id, { seq: existing?.seq ?? ++this.seq, value: clone(object) });
  }

  async list(object: string, createdGte = 0): Promise<StoredObject[]> {
    return [...this.objects.values()]
      .filter((o) => o.value.object === object && o.value.created >= createdGte)
      .sort((a, b) => b.value.created - a.value.created || b.seq - a.seq)
      .map((o) => clone(o.value));
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    return clone(this.idempotency.get(key) ?? null);
  }

  async putIdempotency(record: IdempotencyRecord): Promise<void> {
    this.idempotency.set(record.key, clone(record));
  }
}

function clone<T>(value: T): T {
  return value === null ? value : structuredClone(value);
}
