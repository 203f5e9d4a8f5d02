import { TERMS_VERSION } from '@lm/domain';
import { createHash } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from '../setup/test-app';
import { login, strongPassword, uniqueEmail } from './users';

/** A 1×1 PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export const VALID_PROFILE = {
  barNumber: 'ICAM-84213',
  barJurisdiction: 'Madrid, Spain',
  jurisdictions: ['ES', 'EU'],
  practiceAreas: ['family', 'immigration'],
  languages: ['es', 'en'],
  bio: 'Family and immigration lawyer in Madrid.',
};

export interface SignedUpAccount {
  id: string;
  email: string;
  password: string;
  accessToken: string;
}

/** Signs up through POST /api/auth/register (optionally with a referral code) and signs in. */
export async function signUp(
  t: TestApp,
  role: 'CLIENT' | 'LAWYER' | 'PARTNER',
  opts: { referralCode?: string; email?: string } = {},
): Promise<SignedUpAccount> {
  const account = { email: opts.email ?? uniqueEmail(role.toLowerCase()), password: strongPassword() };
  const res = await request(t.server)
    .post('/api/auth/register')
    .send({ ...account, displayName: `Test ${role}`, role, acceptedTermsVersion: TERMS_VERSION, ...(opts.referralCode ? { referralCode: opts.referralCode } : {}) });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const { accessToken } = await login(t, account);
  return { id: res.body.id as string, ...account, accessToken };
}
