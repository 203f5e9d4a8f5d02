import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The terms version the API requires at sign-up, read from libs/domain's source (which the
 * e2e runner cannot import: that package is CommonJS), so the journeys follow a new version.
 */
export const TERMS_VERSION = /TERMS_VERSION = '([^']+)'/.exec(
  readFileSync(new URL('../../../../libs/domain/src/legal.ts', import.meta.url), 'utf8'),
)![1]!;

/** A password that satisfies the API's strength rule. */
export const PASSWORD = 'orbit maple canyon fiddle 7';

/** An address no other test (or earlier run against the same data directory) has used. */
export function uniqueEmail(label: string): string {
  return `${label}.${Date.now().toString(36)}.${randomBytes(3).toString('hex')}@e2e.example.com`;
}

export interface Account {
  email: string;
  password: string;
  displayName: string;
}

/**
 * Creates an ADMIN with the real CLI, as an operator would. It uses the e2e server's
 * configuration (see playwright.config.ts) and adopts its running embedded PostgreSQL.
 */
export function createAdminWithCli(displayName = 'E2E Admin'): Account {
  const email = uniqueEmail('admin');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: '.data/e2e',
    // The same server as playwright.config.ts (E2E_PORT / E2E_EMBEDDED_PG_PORT may move it).
    EMBEDDED_PG_PORT: process.env.E2E_EMBEDDED_PG_PORT ?? '54339',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`,
    // The server's own switch (playwright.config.ts): production mode on the built-in Stripe sandbox.
    STRIPE_SANDBOX: 'true',
  };
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  else delete env.DATABASE_URL;
  execFileSync('node', ['apps/api/dist/cli/admin-create.js', '--email', email, '--password', PASSWORD, '--name', displayName], {
    cwd: REPO_ROOT,
    env,
    stdio: 'pipe',
    timeout: 60_000,
  });
  return { email, password: PASSWORD, displayName };
}

/** Registers an account straight through the API (for data a journey only needs to exist). */
export async function registerViaApi(
  request: APIRequestContext,
  role: 'CLIENT' | 'LAWYER' | 'PARTNER',
  displayName: string,
  extra: { referralCode?: string } = {},
): Promise<Account> {
  const email = uniqueEmail(role.toLowerCase());
  const response = await request.post('/api/auth/register', {
    data: { email, password: PASSWORD, displayName, role, timeZone: 'Europe/Madrid', locale: 'en', acceptedTermsVersion: TERMS_VERSION, ...extra },
  });
  expect(response.status(), await response.text()).toBe(201);
  return { email, password: PASSWORD, displayName };
}

/** Ticks the sign-up form's consent to the terms of service and privacy policy. */
export async function acceptTerms(page: Page): Promise<void> {
  await page.getByRole('checkbox', { name: /I accept the terms of service and the privacy policy/ }).check();
}

/** After the sign-up form: the "check your inbox" page names the address; continue into the app. */
export async function continuePastCheckInbox(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: 'Check your inbox' })).toBeVisible();
  await expect(page.getByText(email.toLowerCase())).toBeVisible();
  await page.getByRole('link', { name: 'Continue to LexMarket' }).click();
}

/** Signs in through the sign-in page and waits until the account menu shows. */
export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel(/^Password/).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: `Account menu for ${account.displayName}` })).toBeVisible();
  // The menu can show before the page moves on to the role's home; a click in between is lost.
  await expect(page).not.toHaveURL(/\/sign-in$/);
}

/** Signs out through the account menu. */
export async function signOut(page: Page, displayName: string): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${displayName}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
}
