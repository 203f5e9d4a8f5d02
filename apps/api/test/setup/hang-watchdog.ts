import { getHeapStatistics } from 'node:v8';
import { Client } from 'pg';
import { SERVER_URL_ENV } from './test-server';

/**
 * Diagnostics for a test that hangs (issue: a rare 60-second timeout in a different spec each
 * time, under full-suite load). When one test has run for WATCH_MS, this prints what the
 * database and the process are waiting on — every non-idle connection of the spec databases
 * (state, wait event, transaction age, query) and the process's active resources — so the next
 * occurrence names its cause. It changes nothing about the test itself.
 */
const WATCH_MS = 40_000;
let timer: NodeJS.Timeout | undefined;

beforeEach(() => {
  const name = expect.getState().currentTestName ?? '(unnamed test)';
  timer = setTimeout(() => void report(name), WATCH_MS);
  timer.unref();
});

afterEach(() => {
  if (timer) clearTimeout(timer);
  timer = undefined;
});

async function report(testName: string): Promise<void> {
  const lines = [`[hang-watchdog] "${testName}" has run for ${WATCH_MS / 1000} s`];
  const resources = process
    .getActiveResourcesInfo()
    .reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {});
  lines.push(`[hang-watchdog] active resources: ${JSON.stringify(resources)}`);
  // A heap near its limit stalls everything in full garbage collections; say how close it is.
  const heap = getHeapStatistics();
  const mb = (n: number) => Math.round(n / 2 ** 20);
  lines.push(
    `[hang-watchdog] heap: ${mb(heap.used_heap_size)} MB used of ${mb(heap.heap_size_limit)} MB limit, rss ${mb(process.memoryUsage.rss())} MB, pid ${process.pid}`,
  );
  const url = process.env[SERVER_URL_ENV];
  if (url) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query(
        `SELECT datname, pid, application_name, state, wait_event_type, wait_event,
                round(extract(epoch FROM now() - xact_start)::numeric, 1) AS xact_s,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 240) AS query
           FROM pg_stat_activity
          WHERE datname LIKE 'lm_t_%' AND state <> 'idle' AND pid <> pg_backend_pid()
          ORDER BY xact_start NULLS LAST`,
      );
      for (const r of rows) lines.push(`[hang-watchdog] pg ${JSON.stringify(r)}`);
      const locks = await client.query(
        `SELECT w.pid AS waiting, pg_blocking_pids(w.pid) AS blocked_by, left(regexp_replace(a.query, '\\s+', ' ', 'g'), 160) AS query
           FROM pg_locks w JOIN pg_stat_activity a ON a.pid = w.pid
          WHERE NOT w.granted AND a.datname LIKE 'lm_t_%'`,
      );
      for (const r of locks.rows) lines.push(`[hang-watchdog] lock wait ${JSON.stringify(r)}`);
    } catch (e) {
      lines.push(`[hang-watchdog] could not read pg_stat_activity: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  process.stderr.write(`${lines.join('\n')}\n`);
}
