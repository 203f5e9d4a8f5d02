import { Role } from '@lm/domain';
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
      .send({ ...account, displayName: `Audit ${who}`, role })
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

/** A raw connection to the spec's database, outside the app (as a DBA or attacker would use). */
export async function rawClient(t: TestApp): Promise<Client> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  return client;
}

/**
 * Runs `sql` with the append-only triggers disabled, in one transaction (ALTER TABLE … DISABLE
 * TRIGGER is transactional): what the table owner or a superuser can always do.
 */
export async function bypassTriggers(t: TestApp, ...sql: string[]): Promise<void> {
  const client = await rawClient(t);
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
    await client.query('ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only');
    for (const statement of sql) await client.query(statement);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
    await client.query('ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_append_only');
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  } finally {
    await client.end();
  }
}

/** Empties the audit tables (specs start every test from their own chain). */
export function resetAudit(t: TestApp): Promise<void> {
  return bypassTriggers(t, 'TRUNCATE audit_events, audit_checkpoints');
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
  }
}
