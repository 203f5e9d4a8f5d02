import { MigrationInterface, QueryRunner } from 'typeorm';

/** The scope catalogue as of this migration (libs/domain/src/scopes.ts); adding a scope needs a new CHECK. */
const SCOPES = [
  'sessions:read',
  'sessions:write',
  'reviews:read',
  'reviews:write',
  'reports:read',
  'contracts:read',
  'contracts:write',
  'messages:read',
  'messages:write',
  'profile:read',
  'profile:write',
  'support:read',
  'support:write',
  'webhooks:manage',
  'admin',
];
const PARTICIPANT = SCOPES.filter((s) => !['reports:read', 'admin'].includes(s));
/** SCOPES_BY_ROLE of this version WITHOUT 'admin', frozen here (a migration must not follow later code). */
const BACKFILL: Record<string, string[]> = {
  CLIENT: PARTICIPANT,
  LAWYER: [...PARTICIPANT, 'reports:read'],
  PARTNER: [
    'reports:read',
    'reviews:write',
    'messages:read',
    'messages:write',
    'profile:read',
    'profile:write',
    'support:read',
    'support:write',
    'webhooks:manage',
  ],
  ADMIN: [
    'reviews:write',
    'messages:read',
    'messages:write',
    'profile:read',
    'profile:write',
    'support:read',
    'support:write',
    'webhooks:manage',
  ],
};

/**
 * Scoped API keys (issue 17): each key has scopes, an optional expiry and its own rate limit.
 *
 * Existing keys get every scope their owner's role may hold EXCEPT `admin`: integrations that
 * worked keep working for ordinary operations, but nothing existing silently keeps (or gains)
 * administrator power through a key nobody chose scopes for. An ADMIN who needs an admin key
 * creates a new one and ticks `admin` explicitly. Keys of revoked or suspended owners are
 * backfilled too (harmless: they are refused anyway).
 */
export class ApiKeyScopes1764780000001 implements MigrationInterface {
  name = 'ApiKeyScopes1764780000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN scopes text[] NULL`);
    for (const [role, scopes] of Object.entries(BACKFILL)) {
      await q.query(`UPDATE api_keys k SET scopes = $1::text[] FROM users u WHERE u.id = k.user_id AND u.role = $2`, [
        scopes,
        role,
      ]);
    }
    // A key whose owner has some other role (none exist today) can do nothing rather than guess.
    await q.query(`UPDATE api_keys SET scopes = ARRAY['profile:read']::text[] WHERE scopes IS NULL`);
    await q.query(`ALTER TABLE api_keys ALTER COLUMN scopes SET NOT NULL`);
    const catalogue = SCOPES.map((s) => `'${s}'`).join(', ');
    await q.query(
      `ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_scopes CHECK (cardinality(scopes) BETWEEN 1 AND ${SCOPES.length} AND scopes <@ ARRAY[${catalogue}]::text[])`,
    );
    // No CHECK against created_at: that is the database's clock; the API checks the expiry with its own (Clock) at creation.
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz NULL`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN rate_limit_per_minute integer NOT NULL DEFAULT 600`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT ck_api_keys_rate_limit CHECK (rate_limit_per_minute BETWEEN 1 AND 10000)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_rate_limit');
    await q.query('ALTER TABLE api_keys DROP COLUMN rate_limit_per_minute');
    await q.query('ALTER TABLE api_keys DROP COLUMN expires_at');
    await q.query('ALTER TABLE api_keys DROP CONSTRAINT ck_api_keys_scopes');
    await q.query('ALTER TABLE api_keys DROP COLUMN scopes');
  }
}
