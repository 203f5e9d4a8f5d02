import { Role, TERMS_VERSION } from '@lm/domain';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEntryInput, AuditService } from '../../src/modules/audit/audit.service';
import { AccountsService } from '../../src/modules/identity/accounts.service';
import { login, strongPassword, uniqueEmail } from '../factories/users';
import type { TestApp } from '../setup/test-app';

export type Who = 'admin' | 'client' | 'lawyer' | 'partner';
export type Tokens = Record<Who, string>;

/**
 * Real access tokens for one caller per role, through the identity module: CLIENT, LAWYER and
 * PARTNER sign up via POST /api/auth/register (which never grants ADMIN); the ADMIN is created
 * the way `npm run admin:create` does (AccountsService.createByAdmin with no actor). Sign-ups
 * and logins are themselves audited, so call this before resetAudit().
 */
export async function signInEveryRole(t: TestApp): Promise<Tokens> {
  const tokens: Partial<Tokens> = {};
  for (const [who, role] of [
    ['client', Role.CLIENT],
    ['lawyer', Role.LAWYER],
    ['partner', Role.PARTNER],
  ] as const) {
    const account = { email: uniqueEmail(`audit-${who}`), password: strongPassword() };
    await request(t.server)
      .post('/api/auth/register')
      .send({ ...account, displayName: `Audit ${who}`, role, acceptedTermsVersion: TERMS_VERSION })
      .expect(201);
    tokens[who] = (await login(t, account)).accessToken;
  }
  const admin = { email: uniqueEmail('audit-admin'), password: strongPassword() };
  await t.app.get(AccountsService).createByAdmin(null, { ...admin, displayName: 'Audit admin', role: Role.ADMIN });
  tokens.admin = (await login(t, admin)).accessToken;
  return tokens as Tokens;
}

/** Actor ids written into seeded entries (the audit has no FK to users, by design). */
export const SEED_ACTORS = [
  { id: '00000000-0000-4000-8000-0000000000a1', role: Role.ADMIN },
  { id: '00000000-0000-4000-8000-0000000000c1', role: Role.CLIENT },
  { id: '00000000-0000-4000-8000-0000000000b1', role: Role.LAWYER },
  { id: '00000000-0000-4000-8000-0000000000d1', role: Role.PARTNER },
] as const;

/** How long a raw connection below may wait for a lock before its statement fails. */
const LOCK_TIMEOUT_MS = 5_000;

/**
 * A raw connection to the spec's database, outside the app (as a DBA or attacker would use).
 * Its statements give up after LOCK_TIMEOUT_MS waiting for a lock (e.g. a TRUNCATE, which needs
 * ACCESS EXCLUSIVE, behind an open app transaction): a clear error instead of a hung spec.
 */
export async function rawClient(t: TestApp): Promise<Client> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  await client.query(`SET lock_timeout = ${LOCK_TIMEOUT_MS}`);
  return client;
}

/**
 * Runs `sql` with the append-only triggers bypassed, in one transaction on its own connection:
 * what the table owner or a superuser can always do. `session_replication_role = replica` (set
 * for this transaction only) keeps ordinary triggers from firing, so nothing is altered: no
 * `ALTER TABLE … DISABLE TRIGGER`, whose SHARE ROW EXCLUSIVE lock had to wait for every app
 * writer and, once queued, stalled every later reader and writer of the table behind it.
 * A statement that still has to wait (a row the app has locked) fails after LOCK_TIMEOUT_MS
 * with the blocking sessions named, instead of hanging the spec.
 */
export async function bypassTriggers(t: TestApp, ...sql: string[]): Promise<void> {
  const client = await rawClient(t);
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    for (const statement of sql) await client.query(statement);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((e as { code?: string }).code === '55P03') throw new Error(`bypassTriggers: ${(e as Error).message} after ${LOCK_TIMEOUT_MS} ms; ${await lockHolders(t)}`);
    throw e;
  } finally {
    await client.end();
  }
}

/** Sessions holding locks on the audit tables, for a lock-timeout message. */
async function lockHolders(t: TestApp): Promise<string> {
  const client = await rawClient(t);
  try {
    const { rows } = await client.query<{ pid: number; application_name: string; state: string; query: string }>(
      `SELECT DISTINCT a.pid, a.application_name, a.state, left(a.query, 120) AS query
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.granted AND l.relation IN ('audit_events'::regclass, 'audit_checkpoints'::regclass) AND a.pid <> pg_backend_pid()`,
    );
    return rows.length === 0
      ? 'no session holds a lock on the audit tables any more'
      : `held by: ${rows.map((r) => `pid ${r.pid} (${r.application_name || 'no name'}, ${r.state}): ${r.query}`).join(' | ')}`;
  } finally {
    await client.end();
  }
}

/**
 * Empties the audit tables (specs start every test from their own chain). DELETE, not TRUNCATE:
 * TRUNCATE needs an ACCESS EXCLUSIVE lock, so it waited for any open app transaction that had
 * read the chain (the checkpoint job's or a verification's REPEATABLE READ scan, slow on a busy
 * machine) and meanwhile blocked the app's own reads and appends.
 */
export function resetAudit(t: TestApp): Promise<void> {
  return bypassTriggers(t, 'DELETE FROM audit_checkpoints', 'DELETE FROM audit_events');
}

/** Appends `count` varied entries, each in its own committed transaction. */
export async function seedChain(
  t: TestApp,
  count: number,
  overrides: (i: number) => Partial<AuditEntryInput> = () => ({}),
): Promise<void> {
  const ds = t.app.get(DataSource);
  const audit = t.app.get(AuditService);
  for (let i = 1; i <= count; i++) {
    const actor = SEED_ACTORS[i % SEED_ACTORS.length]!;
    await ds.transaction((m) =>
      audit.record(m, {
        actorId: actor.id,
        actorRole: actor.role,
        action: ['payment.captured', 'session.scheduled', 'review.created'][i % 3]!,
        subjectType: ['payment', 'session', 'review'][i % 3]!,
        subjectId: `subject-${i}`,
        payload: { amountMinor: 1000 * i, currency: 'EUR', note: `entry ${i}`, nested: { flags: [i, true, null] } },
        requestId: `req-${i}-0000`,
        ...overrides(i),
      }),
    );
    // The API shows times to the millisecond; entries 1 ms apart keep time filters unambiguous
    // (two entries within one millisecond would fall on the same side of any `to` bound).
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
