import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Role } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AccountsService } from '../identity/accounts.service';
import { EmailVerificationService } from '../identity/email-verification.service';
import { passwordProblem } from '../identity/password-policy';
import { LawyersService } from '../lawyers/lawyers.service';
import { PartnersService } from '../partners/partners.service';
import type { AuthUser } from '../../common/auth/auth-user';

/** Reserved domain (RFC 2606): demo addresses can never reach a real inbox. */
export const DEMO_EMAIL_DOMAIN = 'demo.lexmarket.example';

const DEMO_ACCOUNTS: readonly { role: Role; email: string; displayName: string }[] = [
  { role: Role.ADMIN, email: `admin@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Admin' },
  { role: Role.CLIENT, email: `client@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Client' },
  { role: Role.LAWYER, email: `lawyer@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Lawyer' },
  { role: Role.PARTNER, email: `partner@${DEMO_EMAIL_DOMAIN}`, displayName: 'Demo Partner' },
];

export interface DemoAccount {
  role: Role;
  email: string;
}

export type DemoSeedOutcome =
  /** DEMO_SEED=false, or DATABASE_URL is set without DEMO_SEED=true. */
  | { kind: 'disabled' }
  /** Created now; the only time the passwords exist anywhere outside their argon2 hashes. */
  | { kind: 'created'; accounts: (DemoAccount & { password: string })[] }
  /** An earlier start created them. */
  | { kind: 'existing'; accounts: DemoAccount[] }
  /** The database has real (non-demo) users: nothing is added to it. */
  | { kind: 'skipped' };

/** Session-level advisory lock key: two processes starting together seed once. */
const SEED_LOCK_KEY = 7_246_120_531;

/**
 * Seeds one account per role for trying the app, when the database has no users yet.
 *
 * Passwords are random and returned once, for main.ts to print; only their argon2id hashes are
 * kept (no plaintext file). A later start reports the accounts without passwords; a lost
 * admin password is replaced with `npm run admin:create`, the others with a password reset
 * (in embedded mode the reset email is readable in the admin's outbox view).
 */
@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly verification: EmailVerificationService,
    private readonly lawyers: LawyersService,
    private readonly partners: PartnersService,
  ) {}

  async run(): Promise<DemoSeedOutcome> {
    if (!this.config.demoSeedEnabled) return { kind: 'disabled' };
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
      try {
        return await this.seedOnce();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async seedOnce(): Promise<DemoSeedOutcome> {
    const { total } = await this.accounts.search({ page: 1, pageSize: 1 });
    if (total > 0) {
      const { items } = await this.accounts.search({ q: `@${DEMO_EMAIL_DOMAIN}`, page: 1, pageSize: DEMO_ACCOUNTS.length });
      const demoEmails = new Set(DEMO_ACCOUNTS.map((a) => a.email));
      const existing = items.filter((u) => demoEmails.has(u.email)).map((u) => ({ role: u.role, email: u.email }));
      return existing.length > 0 ? { kind: 'existing', accounts: sortByRole(existing) } : { kind: 'skipped' };
    }
    const created: (DemoAccount & { password: string })[] = [];
    const ids = new Map<Role, string>();
    for (const spec of DEMO_ACCOUNTS) {
      const password = demoPassword(spec.email);
      const user = await this.accounts.createByAdmin(null, { ...spec, password });
      ids.set(spec.role, user.id);
      // Demo addresses are reserved and cannot receive mail: vouch for them instead.
      await this.verification.markVerified(null, user.id, 'demo_seed');
      created.push({ role: spec.role, email: user.email, password });
    }
    await this.completeProfiles(ids);
    this.logger.log(`Seeded ${created.length} demo accounts (@${DEMO_EMAIL_DOMAIN})`);
    return { kind: 'created', accounts: created };
  }

  /**
   * A directory needs a lawyer clients can find: the demo lawyer gets a complete profile,
   * verified by the demo admin through the same service (and audit entries) as a real
   * decision; the demo partner gets its referral code.
   */
  private async completeProfiles(ids: Map<Role, string>): Promise<void> {
    const as = (role: Role): AuthUser => ({ id: ids.get(role) as string, email: `${role.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`, role, via: 'jwt' });
    if (ids.has(Role.LAWYER) && ids.has(Role.ADMIN)) {
      await this.lawyers.updateOwn(as(Role.LAWYER), {
        barNumber: 'NY-4412087',
        barJurisdiction: 'US-NY',
        jurisdictions: ['US-NY', 'US-NJ'],
        practiceAreas: ['employment', 'consumer'],
        languages: ['en', 'es'],
        bio: 'Demo lawyer: employment and consumer law in New York and New Jersey. Fixed-price first consultations by video.',
      });
      await this.lawyers.verify(as(Role.ADMIN), ids.get(Role.LAWYER) as string);
    }
    if (ids.has(Role.PARTNER)) await this.partners.getReferralLink(as(Role.PARTNER));
  }
}

/** 96 random bits, base64url (16 characters), re-drawn in the unlikely case the policy refuses it. */
function demoPassword(email: string): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (!passwordProblem(password, email)) return password;
  }
}

function sortByRole<T extends DemoAccount>(accounts: T[]): T[] {
  const order = DEMO_ACCOUNTS.map((a) => a.role);
  return [...accounts].sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}

/**
 * The start-up banner for a seed outcome (null when there is nothing to say). Written straight
 * to stdout by main.ts, deliberately not through the JSON logger: the passwords are meant for
 * the person at the console, once, not for log storage.
 */
export function demoAccountsBanner(outcome: DemoSeedOutcome, url: string): string | null {
  if (outcome.kind === 'disabled' || outcome.kind === 'skipped') return null;
  const lines =
    outcome.kind === 'created'
      ? [
          'DEMO ACCOUNTS (created now; passwords are shown only this once, note them)',
          '',
          ...table(outcome.accounts.map((a) => [a.role, a.email, a.password]), ['ROLE', 'EMAIL', 'PASSWORD']),
          '',
          `Sign in at ${url}`,
        ]
      : [
          'Demo accounts already exist (their passwords were printed at the first start):',
          '',
          ...table(outcome.accounts.map((a) => [a.role, a.email]), ['ROLE', 'EMAIL']),
          '',
          `Sign in at ${url}`,
          'Lost a password? npm run admin:create -- --email ... creates a new admin; others: "Forgot',
          'password" on the sign-in page, then read the email in the admin outbox view.',
        ];
  const width = Math.max(...lines.map((l) => l.length));
  const border = `+${'-'.repeat(width + 2)}+`;
  return ['', border, ...lines.map((l) => `| ${l.padEnd(width)} |`), border, ''].join('\n') + '\n';
}

function table(rows: string[][], header: string[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('   ').trimEnd());
}
