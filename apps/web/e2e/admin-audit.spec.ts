import { expect, test } from './support/test';
import { createAdminWithCli, registerViaApi, signIn, type Account } from './support/accounts';

test.describe('admin audit trail', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Audit Admin');
  });

  test('admin runs chain verification and sees it is valid', async ({ page, request }, testInfo) => {
    // Something audited to look for: a registration.
    const client = await registerViaApi(request, 'CLIENT', 'Audited Client');

    await signIn(page, admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();

    // The newest entries depend on what else is running (the demo may still be seeding at the
    // first start), so look for the registration through the filter, not on the first page.
    const entries = page.getByRole('table', { name: 'Audit entries' });
    await expect(entries.getByRole('row').nth(1)).toBeVisible();

    await page.getByLabel('Action').fill('user.registered');
    await expect(entries.getByRole('row').nth(1)).toContainText('user.registered');
    await expect(entries.getByText('user.login', { exact: false })).toHaveCount(0);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByText(/^Chain valid — \d+ entries$/)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('audit-chain-valid.png'), fullPage: true });
    expect(client.email).toContain('@');
  });

  test('admin finds a user, suspends and reactivates them with confirmation', async ({ page, request }, testInfo) => {
    const client = await registerViaApi(request, 'CLIENT', 'Suspend Me');

    await signIn(page, admin);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await page.getByLabel('Search').fill(client.email);
    const users = page.getByRole('table', { name: 'Users' });
    await expect(users.getByRole('row')).toHaveCount(2);
    const row = users.getByRole('row', { name: new RegExp(client.email.replace(/[.+]/g, '\\$&')) });
    await expect(row.getByText('Active')).toBeVisible();

    await row.getByRole('button', { name: `Suspend ${client.email}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Suspend this account?' });
    await expect(dialog).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('users-suspend-confirm.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Suspend' }).click();
    await expect(row.getByText('Suspended')).toBeVisible();

    // The suspended account can no longer sign in.
    const login = await request.post('/api/auth/login', { data: { email: client.email, password: client.password } });
    expect(login.status()).toBe(403);

    await row.getByRole('button', { name: `Reactivate ${client.email}` }).click();
    await page.getByRole('dialog', { name: 'Reactivate this account?' }).getByRole('button', { name: 'Reactivate' }).click();
    await expect(row.getByText('Active')).toBeVisible();
  });
});
