import type { Pool } from 'pg';
import type { IdempotencyRecord, SandboxStore, StoredObject } from './sandbox-store';

/**
 * The sandbox's objects in PostgreSQL (`stripe_sandbox_objects`, `stripe_sandbox_idempotency`), so they survive restarts.
 * Through a pool of its own (see StripeSandbox), never the API's: the app calls the sandbox the way it calls Stripe,
 * sometimes while holding one of its pooled connections.
 */
export class PgSandboxStore implements SandboxStore {
  constructor(private readonly pool: Pick<Pool, 'query'>) {}

  private async rows<T>(text: string, values: unknown[]): Promise<T[]> {
    return (await this.pool.query(text, values)).rows as T[];
  }

  async get(id: string): Promise<StoredObject | null> {
    const rows = await this.rows<StoredObject>(
      'SELECT id, object, created::float8 AS created, data FROM stripe_sandbox_objects WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  async put(o: StoredObject): Promise<void> {
    await this.rows(
      `INSERT INTO stripe_sandbox_objects (id, object, created, data) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
      [o.id, o.object, o.created, o.data],
    );
  }

  list(object: string, createdGte = 0): Promise<StoredObject[]> {
    return this.rows<StoredObject>(
      `SELECT id, object, created::float8 AS created, data FROM stripe_sandbox_objects
        WHERE object = $1 AND created >= $2 ORDER BY created DESC, seq DESC`,
      [object, createdGte],
    );
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | null> {
    const rows = await this.rows<IdempotencyRecord>(
      'SELECT key, fingerprint, status, body, request_id AS "requestId" FROM stripe_sandbox_idempotency WHERE key = $1',
      [key],
    );
    return rows[0] ?? null;
  }

  async putIdempotency(r: IdempotencyRecord): Promise<void> {
    await this.rows(
      `INSERT INTO stripe_sandbox_idempotency (key, fingerprint, status, body, request_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO NOTHING`,
      [r.key, r.fingerprint, r.status, JSON.stringify(r.body), r.requestId],
    );
  }
}
