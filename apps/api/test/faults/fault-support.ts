import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AUDIT_APPEND_LOCK } from '../../src/modules/audit/audit.repository';
import type { TestApp } from '../setup/test-app';
import { eventually } from '../support/eventually';

/**
 * pg-boss' job table without the jobs its clock makes (cron schedules and their `send-it`
 * carriers): those appear whenever a minute turns, whatever the test does.
 */
const JOBS = `pgboss.job WHERE name NOT IN (SELECT name FROM pgboss.schedule) AND name NOT LIKE '\\_\\_pgboss%'`;

/** Row counts of `tables`, by name ('pgboss.job': the jobs enqueued by the app's own changes, see JOBS). */
export async function rowCounts(t: TestApp, tables: readonly string[]): Promise<Record<string, number>> {
  const sql = t.app.get(DataSource);
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = (await sql.query(`SELECT count(*)::int AS n FROM ${table === 'pgboss.job' ? JOBS : table}`))[0].n;
  }
  return counts;
}

/** `before` with `delta` added per table (tables not named in `delta` unchanged). */
export function plus(before: Record<string, number>, delta: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v + (delta[k] ?? 0)]));
}

/** Ledger transactions whose entries do not sum to zero per currency (must be none). */
export async function unbalancedLedgerTransactions(t: TestApp): Promise<unknown[]> {
  return t.app
    .get(DataSource)
    .query(`SELECT transaction_id, currency, sum(amount_minor)::text AS sum FROM ledger_entries GROUP BY 1, 2 HAVING sum(amount_minor) <> 0`);
}

/**
 * A separate (admin) connection to the app's database, to cut the app's connection in the
 * middle of a transaction. Every audited change appends to the audit chain as its last step
 * before commit, under a transaction-scoped advisory lock; holding that lock here stops the
 * app's transaction right there, after its other writes and before its commit. The test then
 * finds that backend (waiting on the advisory lock, with a transaction id, i.e. it has written
 * rows) and terminates it with pg_terminate_backend, as a crashed connection or a restarted
 * server would.
 */
export class DatabaseKiller {
  private constructor(private readonly admin: Client) {}

  static async connect(t: TestApp): Promise<DatabaseKiller> {
    const admin = new Client({ connectionString: t.db.url, application_name: 'lm-fault-killer' });
    await admin.connect();
    return new DatabaseKiller(admin);
  }

  async close(): Promise<void> {
    await this.admin.end();
  }

  /** Holds the audit append lock (session level) until `release`. */
  async holdAuditLock(): Promise<void> {
    await this.admin.query('SELECT pg_advisory_lock($1)', [AUDIT_APPEND_LOCK]);
  }

  async releaseAuditLock(): Promise<void> {
    await this.admin.query('SELECT pg_advisory_unlock($1)', [AUDIT_APPEND_LOCK]);
  }

  /**
   * The pid of the app backend blocked on the audit lock inside a transaction that has already
   * written (it has a transaction id), waiting up to `timeoutMs` for it to get there.
   */
  async blockedWriter(timeoutMs = 15_000): Promise<number> {
    const rows = await eventually(
      async () =>
        (
          // Waiting for exactly the audit append lock (a bigint advisory key: classid is its high
          // half, objid its low half, objsubid 1), not for any other advisory lock (directory
          // refreshes, jobs' own locks).
          await this.admin.query<{ pid: number }>(
            `SELECT a.pid FROM pg_stat_activity a
               JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted AND l.locktype = 'advisory' AND l.objsubid = 1
                AND ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint
              WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
                AND a.backend_xid IS NOT NULL`,
            [AUDIT_APPEND_LOCK],
          )
        ).rows,
      (r) => r.length === 1,
      timeoutMs,
    );
    return rows[0]!.pid;
  }

  /** Terminates the backend `pid` (its transaction rolls back; its client sees the connection die). */
  async terminate(pid: number): Promise<void> {
    const { rows } = await this.admin.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid]);
    if (!rows[0]?.ok) throw new Error(`pg_terminate_backend(${pid}) failed`);
  }

  /**
   * Kills the next transaction (of a request or a background job) that reaches the audit
   * append, then lets the others through.
   */
  async killNextWriter(timeoutMs = 30_000): Promise<void> {
    await this.holdAuditLock();
    try {
      await this.terminate(await this.blockedWriter(timeoutMs));
    } finally {
      await this.releaseAuditLock();
    }
  }

  /**
   * Runs `act` (which starts the request) while the audit lock is held, kills the app's
   * transaction when it reaches the audit append, releases the lock and returns what `act`
   * resolved to (the response, or the error of a job).
   */
  async killDuring<T>(act: () => Promise<T>): Promise<T> {
    await this.holdAuditLock();
    let released = false;
    try {
      const pending = act();
      // Surface act's own failure instead of a timeout while we wait for the backend.
      const settled = pending.then(
        () => undefined,
        () => undefined,
      );
      const pid = await Promise.race([this.blockedWriter(), settled.then(() => -1)]);
      if (pid === -1) throw new Error('the request finished before reaching the audit append');
      await this.terminate(pid);
      await this.releaseAuditLock();
      released = true;
      return await pending;
    } finally {
      if (!released) await this.releaseAuditLock();
    }
  }
}
