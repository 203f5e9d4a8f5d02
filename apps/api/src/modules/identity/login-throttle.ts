import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { DataSource } from 'typeorm';
import { JobsService } from '../jobs';
import { TooManyLoginAttempts } from './identity.errors';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { UserTokensRepository } from './user-tokens.repository';

/** OWASP ASVS V2.2.1: soft lockout. 5 failures per account, 20 per client address, per 15 minutes. */
export const LOGIN_LIMITS = { ACCOUNT: 5, IP: 20 } as const;
export const LOGIN_WINDOW_SECONDS = 15 * 60;
const PURGE_QUEUE = 'identity.purge';

export interface LoginSubjects {
  /** Normalised (trimmed, lower-cased) email as typed, whether or not such an account exists. */
  account: string;
  /** Client address; omitted for checks that only limit the account (password change). */
  ip?: string;
}

type Scope = keyof typeof LOGIN_LIMITS;

/**
 * Failed-password limiting in PostgreSQL, so every replica shares the counters.
 *
 * Each attempt first *reserves* a failure on every subject with one atomic upsert per row
 * (fixed window opened by the first failure). If any subject is over its limit the reservation
 * is rolled back and the attempt refused with 429 before the password is even checked. A
 * correct password then gives the reservation back (IP) or clears the account's counter.
 * Because the increment happens before the (slow) argon2 check and row locks serialise it,
 * parallel requests cannot get more guesses than the limit.
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
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: PURGE_QUEUE }, () => this.purge(), { cron: { expression: '17 * * * *' } });
  }

  /** Counts this attempt as a failure in advance; throws TooManyLoginAttempts when over a limit. */
  async reserve(subjects: LoginSubjects): Promise<void> {
    const keys = subjectKeys(subjects);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      let retryAfter = 0;
      // Always ACCOUNT before IP: one lock order, no deadlocks between concurrent attempts.
      for (const { scope, hash } of keys) {
        const rows = (await runner.query(
          `INSERT INTO login_throttles AS t (scope, subject_hash, window_started_at, failures)
           VALUES ($1, $2, now(), 1)
           ON CONFLICT (scope, subject_hash) DO UPDATE SET
             window_started_at = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3) THEN now() ELSE t.window_started_at END,
             failures          = CASE WHEN t.window_started_at <= now() - make_interval(secs => $3) THEN 1 ELSE t.failures + 1 END
           RETURNING failures,
             GREATEST(1, ceil(extract(epoch FROM t.window_started_at + make_interval(secs => $3) - now())))::int AS retry_after`,
          [scope, hash, LOGIN_WINDOW_SECONDS],
        )) as { failures: number; retry_after: number }[];
        const row = rows[0];
        if (row && row.failures > LOGIN_LIMITS[scope]) retryAfter = Math.max(retryAfter, row.retry_after);
      }
      if (retryAfter > 0) {
        // Refused attempts do not count: only checked passwords are failures.
        await runner.rollbackTransaction();
        this.logger.warn(`Sign-in refused: too many failures (${keys.map((k) => k.scope).join('+')}), retry in ${retryAfter}s`);
        throw new TooManyLoginAttempts(retryAfter);
      }
      await runner.commitTransaction();
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  }

  /** The password was right: give back the reserved failure and forget the account's failures. */
  async succeeded(subjects: LoginSubjects): Promise<void> {
    const keys = subjectKeys(subjects);
    for (const { scope, hash } of keys) {
      if (scope === 'ACCOUNT') {
        await this.dataSource.query(`DELETE FROM login_throttles WHERE scope = 'ACCOUNT' AND subject_hash = $1`, [hash]);
      } else {
        await this.dataSource.query(
          `UPDATE login_throttles SET failures = GREATEST(failures - 1, 0) WHERE scope = $1 AND subject_hash = $2`,
          [scope, hash],
        );
      }
    }
  }

  /** Hourly: drop counters whose window is over, and long-expired refresh and emailed tokens. */
  private async purge(): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_throttles WHERE window_started_at < now() - make_interval(secs => $1)`, [
      LOGIN_WINDOW_SECONDS,
    ]);
    await this.refreshTokens.purgeExpired();
    await this.userTokens.purgeExpired();
  }
}

function subjectKeys(subjects: LoginSubjects): { scope: Scope; hash: Buffer }[] {
  const keys: { scope: Scope; hash: Buffer }[] = [{ scope: 'ACCOUNT', hash: digest(`account:${subjects.account.trim().toLowerCase()}`) }];
  if (subjects.ip) keys.push({ scope: 'IP', hash: digest(`ip:${clientNetwork(subjects.ip)}`) });
  return keys;
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
