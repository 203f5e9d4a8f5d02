import request from 'supertest';
import type { DataSource } from 'typeorm';
import { eventually } from './eventually';

type Query = Record<string, string | number>;

/** Every id of a directory search, page after page by `nextCursor` (at most 60 pages). */
export async function walkDirectory(server: Parameters<typeof request>[0], query: Query, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 60; guard++) {
    const res = await request(server)
      .get('/api/lawyers')
      .query({ ...query, pageSize, ...(cursor ? { cursor } : {}) })
      .expect(200);
    ids.push(...(res.body.items as { id: string }[]).map((c) => c.id));
    cursor = res.body.nextCursor as string | null;
    if (!cursor) return ids;
  }
  throw new Error('the cursor never ended');
}

/**
 * Waits until the next-available recomputations queued by availability writes have run (all of
 * them, or one lawyer's): a listing whose next availability lands in the middle of a walk moves
 * between two of its pages, and a job running in the middle of a check rewrites its row.
 */
export async function nextAvailableJobsDone(sql: DataSource, lawyerId?: string): Promise<void> {
  await eventually(
    async () =>
      (
        await sql.query(
          `SELECT count(*)::int AS n FROM pgboss.job
            WHERE name = 'marketplace.next-available' AND state IN ('created', 'retry', 'active')
              AND ($1::uuid IS NULL OR data->>'lawyerId' = $1::text)`,
          [lawyerId ?? null],
        )
      )[0].n as number,
    (n) => n === 0,
  );
}
