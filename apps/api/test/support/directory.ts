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

/** The ISO weekday (1 Monday … 7 Sunday, UTC) `days` from now. */
export function isoWeekdayIn(days: number): number {
  return ((new Date(Date.now() + days * 86_400_000).getUTCDay() + 6) % 7) + 1;
}

/**
 * A lawyer's rating as the reviews module stores it: `count` reviews of fours and fives adding up
 * to `sum` (4 × count ≤ sum ≤ 5 × count), its Bayesian score (prior 4.0 × 5 reviews).
 */
export async function storeRating(sql: DataSource, lawyerId: string, count: number, sum: number): Promise<void> {
  await sql.query(
    `INSERT INTO lawyer_ratings (lawyer_id, review_count, rating_sum, c1, c2, c3, c4, c5, score, updated_at)
     VALUES ($1, $2::int, $3::int, 0, 0, 0, $4, $5, round((5 * 4.0 + $3::int) / (5 + $2::int), 4), now())`,
    [lawyerId, count, sum, count * 5 - sum, count - (count * 5 - sum)],
  );
}
