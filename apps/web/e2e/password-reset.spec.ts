import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, registerViaApi, signIn, type Account } from './support/accounts';

/** Opens the newest captured email with `subject` to `to` in the admin outbox; returns its link. */
async function linkFromOutbox(adminPage: Page, to: string, subject: string, path: string): Promise<string> {
  await adminPage.goto('/admin/outbox');
  await adminPage.getByLabel('Recipient').fill(to);
  const emails = adminPage.getByRole('table', { name: 'Emails' });
  // Wait for the (debounced) filter: only the header row lacks the address.
  await expect(emails.getByRole('row').filter({ hasNotText: to })).toHaveCount(1);
  await emails.getByRole('button', { name: subject }).first().click();
  const body = adminPage.getByLabel(`Body of ${subject}`).first();
  await expect(body).toBeVisible();
  const match = new RegExp(`https?://\\S+${path}\\?token=[\\w-]+`).exec((await body.textContent()) ?? '');
  expect(match, 'the email carries a one-time link').not.toBeNull();
  return match?.[0] ?? '';
}

test.describe('password reset and email verification through the outbox', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Outbox Admin');
  });

  test('a user resets a forgotten password and verifies their email from emailed links', async ({
    page,
    browser,
    request,
  }, testInfo) => {
    const user = await registerViaApi(request, 'CLIENT', 'Forgetful Client');

    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect(page.getByRole('status')).toContainText('If an account exists for this address');

    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    const resetLink = await linkFromOutbox(adminPage, user.email, 'Reset your LexMarket password', '/reset-password');
    await adminPage.screenshot({ path: testInfo.outputPath('outbox-captured-email.png'), fullPage: true });
    const verifyLink = await linkFromOutbox(adminPage, user.email, 'Confirm your email address for LexMarket', '/verify-email');
    await adminContext.close();

    const newPassword = 'lantern thistle ocean drum 9';
    await page.goto(resetLink);
    await page.getByLabel(/^New password/).fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Password changed' })).toBeVisible();

    // The link is single-use.
    await page.goto(resetLink);
    await page.getByLabel(/^New password/).fill('another fine password 1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('alert')).toContainText('The reset link is missing, has expired or was already used');

    await page.goto(verifyLink);
    await expect(page.getByText('Email verified')).toBeVisible();

    await signIn(page, { ...user, password: newPassword });
    await expect(page.getByText('Email verified')).toBeVisible();
  });
});
