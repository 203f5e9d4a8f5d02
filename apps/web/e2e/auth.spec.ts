import { expect, test } from './support/test';
import { acceptTerms, continuePastCheckInbox, PASSWORD, signOut, uniqueEmail } from './support/accounts';

test.describe('accounts', () => {
  test('a client signs up, edits the profile, signs out and back in', async ({ page }, testInfo) => {
    const email = uniqueEmail('client');
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Create account' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'Create your account' })).toBeVisible();
    await page.getByRole('radio', { name: 'I need legal advice' }).check();
    await page.getByLabel('Full name').fill('Ana López');
    await page.getByLabel('Email').fill(email);
    await acceptTerms(page);
    // A weak password is refused with the rule next to the field.
    await page.getByLabel(/^Password/).fill('password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByLabel(/^Password/)).toHaveAccessibleDescription(/at least 12 characters/);
    await page.screenshot({ path: testInfo.outputPath('sign-up-field-error.png'), fullPage: true });

    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await continuePastCheckInbox(page, email);

    await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
    await expect(page.getByLabel(/^Display name/)).toHaveValue('Ana López');
    await page.getByLabel(/^Display name/).fill('Ana López García');
    await page.getByRole('combobox', { name: 'Time zone' }).click();
    await page.getByRole('combobox', { name: 'Time zone' }).fill('America/New_Y');
    await page.getByRole('option', { name: 'America/New_York' }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Your changes are saved.')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('client-profile.png'), fullPage: true });

    // The session survives a reload (refresh cookie → new in-memory access token).
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'Time zone' })).toHaveValue('America/New_York');

    await signOut(page, 'Ana López García');
    await page.goto('/client/profile');
    await expect(page).toHaveURL(/\/sign-in$/);

    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('The email or password is incorrect.');

    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back to the page that was asked for.
    await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
    await expect(page.getByLabel(/^Display name/)).toHaveValue('Ana López García');
  });
});
