import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/time/clock';
import { JobsService } from '../jobs';
import { TooManyLoginAttempts } from './identity.errors';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UserTokensRepository } from './user-tokens.repository';

/**
 * Failed-password limits, per 15-minute window (OWASP ASVS V2.2.1, without a lockout button):
 * - ACCOUNT: 5 failures per account from one client network (an address, an IPv6 /64);
 * - IP: 20 failures per client network over all the accounts it tries;
 * - ACCOUNT_UNKNOWN_NETWORKS: 50 failures per account from networks that have never signed in
 *   to it (a distributed guess). Networks that signed in successfully within 90 days are exempt
 *   from this and from the IP limit: the owner keeps their own budget of 5 whatever others do.
 */
export const LOGIN_LIMITS = { ACCOUNT: 5, IP: 20, ACCOUNT_UNKNOWN_NETWORKS: 50 } as const;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** How long a successful sign-in makes its network "known" to the account. */
export const KNOWN_NETWORK_DAYS = 90;
const PURGE_QUEUE = 'identity.purge';

export interface LoginSubjects {
  /** Normalised (trimmed, lower-cased) email as typed, whether or not such an account exists. */
  account: string;
  /** Client address; omitted for checks made within a signed-in session (password change). */
  ip?: string;
}

type Scope = 'ACCOUNT_IP' | 'ACCOUNT' | 'IP';
const LIMITS: Record<Scope, number> = { ACCOUNT_IP: LOGIN_LIMITS.ACCOUNT, ACCOUNT: LOGIN_LIMITS.ACCOUNT_UNKNOWN_NETWORKS, IP: LOGIN_LIMITS.IP };

interface Key {
  scope: Scope;
  hash: Buffer;
  /** The account's digest on rows that belong to one account (so a password reset finds them all). */
  accountHash: Buffer | null;
}

/** What one attempt reserved; hand it back to `succeeded` or `failed`. */
export interface LoginReservation {
  subjects: LoginSubjects;
  keys: Key[];
  /** Failures of this account from this network in the window, this attempt included. */
  failures: number;
}

/**
 * Failed-password limiting in PostgreSQL, so every replica shares the counters.
 *
 * Each attempt first *reserves* a failure on every subject that applies, with one atomic upsert
 * per row (fixed window opened by the first failure). If any subject is over its limit the
 * reservation is rolled back and the attempt refused with 429 before the password is checked.
 * A correct password gives the reservation back, forgets the account's failures from that
 * network and remembers the network as known. Because the increment happens before the (slow)
 * argon2 check and row locks serialise it, parallel requests cannot get more guesses than the
 * limit. A wrong password is answered after a delay that doubles from the third failure
 * (0.5 s, 1 s, 2 s, at most 4 s), which slows guessing without refusing anyone.
 *
 * Unknown emails are counted like known ones, so the 429 reveals nothing about existence.
 * Subjects are stored as SHA-256 digests (a password typed into the email field must not be
 * kept). IPv6 clients are grouped by /64, the block one subscriber usually controls.
 */
@Injectable()
export class LoginThrottle implements OnModuleInit {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly userTokens: UserTokensRepository,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: PURGE_QUEUE }, () => this.purge(), { cron: { expression: '17 * * * *' } });
  }

  /** Counts this attempt as a failure in advance; throws TooManyLoginAttempts when over a limit. */
  async reserve(subjects: LoginSubjects): Promise<LoginReservation> {
    const known = subjects.ip === undefined || (await this.isKnownNetwork(subjects));
    const keys = subjectKeys(subjects, known);
    const now = this.clock.now();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      let retryAfter = 0;
      let failures = 0;
      // Always ACCOUNT_IP, ACCOUNT, IP: one lock order, no deadlocks between concurrent attempts.
      for (const { scope, hash, accountHash } of keys) {
        const rows = (await runner.query(
          `INSERT INTO login_throttles AS t (scope, subject_hash, account_hash, window_started_at, failures)
           VALUES ($1, $2, $4, $5, 1)
           ON CONFLICT (scope, subject_hash) DO UPDATE SET
             window_started_at = CASE WHEN t.window_started_at <= $5::timestamptz - make_interval(secs => $3) THEN $5 ELSE t.window_started_at END,
             failures          = CASE WHEN t.window_started_at <= $5::timestamptz - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END
           RETURNING failures,
             GREATEST(1, ceil(extract(epoch FROM t.window_started_at + make_interval(secs => $3) - $5::timestamptz)))::int AS retry_after`,
          [scope, hash, LOGIN_WINDOW_SECONDS, accountHash, now],
        )) as { failures: number; retry_after: number }[];
        const row = rows[0];
        if (scope === 'ACCOUNT_IP') failures = row?.failures ?? 0;
        if (row && row.failures > LIMITS[scope]) retryAfter = Math.max(retryAfter, row.retry_after);
      }
      if (retryAfter > 0) {
        // Refused attempts do not count: only checked passwords are failures.
        await runner.rollbackTransaction();
        this.logger.warn(`Sign-in refused: too many failures (${keys.map((k) => k.scope).join('+')}), retry in ${retryAfter}s`);
        throw new TooManyLoginAttempts(retryAfter);
      }
      await runner.commitTransaction();
      return { subjects, keys, failures };
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }

  /** The password was right: give the reservation back, forget this network's failures, remember it as known. */
  async succeeded(reservation: LoginReservation): Promise<void> {
    for (const { scope, hash } of reservation.keys) {
      if (scope === 'ACCOUNT_IP') {
        await this.dataSource.query(`DELETE FROM login_throttles WHERE scope = 'ACCOUNT_IP' AND subject_hash = $1`, [hash]);
      } else {
        await this.dataSource.query(
          `UPDATE login_throttles SET failures = GREATEST(failures - 1, 0) WHERE scope = $1 AND subject_hash = $2`,
          [scope, hash],
        );
      }
    }
    if (reservation.subjects.ip !== undefined) {
      await this.dataSource.query(
        `INSERT INTO login_known_networks (subject_hash, last_success_at) VALUES ($1, $2)
         ON CONFLICT (subject_hash) DO UPDATE SET last_success_at = $2`,
        [knownNetworkHash(reservation.subjects), this.clock.now()],
      );
    }
  }

  /** The password was wrong: the progressive delay before the 401 (the failure stays counted). */
  async failed(reservation: LoginReservation): Promise<void> {
    const delay = failureDelayMs(reservation.failures);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** The owner proved control of the inbox (password reset): every failure counted against the account is forgotten. */
  async clearAccount(account: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttles WHERE account_hash = $1`, [accountDigest(account)]);
  }

  private async isKnownNetwork(subjects: LoginSubjects): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `SELECT 1 FROM login_known_networks WHERE subject_hash = $1 AND last_success_at > $3::timestamptz - make_interval(days => $2)`,
      [knownNetworkHash(subjects), KNOWN_NETWORK_DAYS, this.clock.now()],
    )) as unknown[];
    return rows.length > 0;
  }

  /** Hourly: drop counters whose window is over, networks not seen for 90 days, and long-expired tokens. */
  private async purge(): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.query(`DELETE FROM login_throttles WHERE window_started_at < $2::timestamptz - make_interval(secs => $1)`, [
      LOGIN_WINDOW_SECONDS,
      now,
    ]);
    await this.dataSource.query(`DELETE FROM login_known_networks WHERE last_success_at < $2::timestamptz - make_interval(days => $1)`, [
      KNOWN_NETWORK_DAYS,
      now,
    ]);
    await this.refreshTokens.purgeExpired();
    await this.userTokens.purgeExpired();
  }
}

/** 0 for the first two failures, then 0.5 s doubling per failure, at most 4 s. */
export function failureDelayMs(failures: number): number {
  return failures <= 2 ? 0 : Math.min(500 * 2 ** (failures - 3), 4_000);
}

function subjectKeys(subjects: LoginSubjects, knownNetwork: boolean): Key[] {
  const account = accountDigest(subjects.account);
  const network = subjects.ip ? clientNetwork(subjects.ip) : 'session';
  const keys: Key[] = [{ scope: 'ACCOUNT_IP', hash: digest(`account-ip:${normalized(subjects.account)}|${network}`), accountHash: account }];
  if (!knownNetwork) {
    keys.push({ scope: 'ACCOUNT', hash: account, accountHash: account });
    if (subjects.ip) keys.push({ scope: 'IP', hash: digest(`ip:${network}`), accountHash: null });
  }
  return keys;
}

function normalized(account: string): string {
  return account.trim().toLowerCase();
}

function accountDigest(account: string): Buffer {
  return digest(`account:${normalized(account)}`);
}

function knownNetworkHash(subjects: LoginSubjects): Buffer {
  return digest(`known:${normalized(subjects.account)}|${subjects.ip ? clientNetwork(subjects.ip) : 'session'}`);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** IPv4 (also IPv4-mapped IPv6) as is; IPv6 reduced to its /64 network. */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - headParts.length - tailParts.length : 0;
  const parts = [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return `${parts.slice(0, 4).map((p) => parseInt(p, 16).toString(16)).join(':')}::/64`;
}
