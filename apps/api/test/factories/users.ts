import type { Role } from '@lm/domain';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/modules/identity/password-hasher';
import { REFRESH_COOKIE } from '../../src/modules/identity/http-helpers';
import type { TestApp } from '../setup/test-app';

/** A password that satisfies the policy (and is unique per call, never reused across users). */
export function strongPassword(): string {
  return `orbit maple ${randomBytes(6).toString('hex')} canyon`;
}

export function uniqueEmail(label = 'user'): string {
  return `${label}.${randomBytes(5).toString('hex')}@example.com`;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

/**
 * Inserts an account directly (any role, including ADMIN, and any status) with a real
 * argon2id hash, the way an admin or the CLI would create it. Its email counts as verified
 * unless `emailVerified: false` (booking needs a verified address).
 */
export async function createUser(
  t: TestApp,
  opts: { role?: Role; status?: 'ACTIVE' | 'SUSPENDED'; email?: string; password?: string; displayName?: string; emailVerified?: boolean } = {},
): Promise<TestUser> {
  const role = opts.role ?? 'CLIENT';
  const email = opts.email ?? uniqueEmail(role.toLowerCase());
  const password = opts.password ?? strongPassword();
  const hash = await t.app.get(PasswordHasher).hash(password);
  const rows: { id: string }[] = await t.app
    .get(DataSource)
    .query(
      `INSERT INTO users (email, password_hash, role, status, display_name, email_verified_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::boolean THEN now() END) RETURNING id`,
      [email, hash, role, opts.status ?? 'ACTIVE', opts.displayName ?? `Test ${role}`, opts.emailVerified ?? true],
    );
  return { id: rows[0]!.id, email, password, role };
}

export interface SignedIn {
  accessToken: string;
  /** The `lm_refresh=<token>` cookie pair, ready for a Cookie header. */
  refreshCookie: string;
  refreshToken: string;
  response: request.Response;
}

/** Signs in through the real endpoint. */
export async function login(t: TestApp, user: { email: string; password: string }): Promise<SignedIn> {
  const response = await request(t.server).post('/api/auth/login').send({ email: user.email, password: user.password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  const refreshToken = readRefreshCookie(response);
  if (!refreshToken) throw new Error('login did not set the refresh cookie');
  return { accessToken: response.body.accessToken, refreshToken, refreshCookie: `${REFRESH_COOKIE}=${refreshToken}`, response };
}

/** The refresh token set by a response ('' when it clears the cookie, undefined when untouched). */
export function readRefreshCookie(response: request.Response): string | undefined {
  const header = response.headers['set-cookie'] as unknown as string[] | string | undefined;
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  const cookie = cookies.find((c) => c.startsWith(`${REFRESH_COOKIE}=`));
  return cookie === undefined ? undefined : decodeURIComponent(cookie.slice(REFRESH_COOKIE.length + 1).split(';')[0] ?? '');
}

export function setCookieHeader(response: request.Response): string {
  const header = response.headers['set-cookie'] as unknown as string[] | string | undefined;
  const cookies = Array.isArray(header) ? header : header ? [header] : [];
  return cookies.find((c) => c.startsWith(`${REFRESH_COOKIE}=`)) ?? '';
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
