import type { Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, registerViaApi, signIn, type Account } from './support/accounts';
import { uniqueWord } from './support/marketplace';

const MATCHING_CLIENTS = 23; // the Users list shows 20 a page: two pages

test.describe('admin list state', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('List State Admin');
  });

  test('the Users list keeps its filters and page across reload and Back', async ({ page, request }, testInfo) => {
    // Clients that share a word in their name, registered oldest first (the list is newest first).
    const word = uniqueWord();
    for (let i = 0; i < MATCHING_CLIENTS; i += 1) {
      await registerViaApi(request, 'CLIENT', `Listed ${word} ${String(i).padStart(2, '0')}`);
    }

    await signIn(page, admin);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await page.getByLabel('Search').fill(word);
    await page.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Client' }).click();
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Active' }).click();

    const users = page.getByRole('table', { name: 'Users' });
    await expect(page.getByText(`${MATCHING_CLIENTS} users`)).toBeVisible();
    await expect(users.getByRole('row')).toHaveCount(1 + 20);
    await page.getByLabel('Users pages').getByRole('button', { name: '2', exact: true }).click();

    const expectSecondPage = async (p: Page) => {
      await expect(p).toHaveURL(
        (url) =>
          url.pathname === '/admin/users' &&
          url.searchParams.get('q') === word &&
          url.searchParams.get('role') === 'CLIENT' &&
          url.searchParams.get('status') === 'ACTIVE' &&
          url.searchParams.get('page') === '2',
      );
      await expect(p.getByLabel('Search')).toHaveValue(word);
      await expect(p.getByRole('combobox', { name: 'Role' })).toHaveValue('Client');
      await expect(p.getByRole('combobox', { name: 'Status' })).toHaveValue('Active');
      // Page 2 holds the three oldest of the 23.
      await expect(users.getByRole('row')).toHaveCount(1 + MATCHING_CLIENTS - 20);
      for (const n of ['00', '01', '02']) await expect(users.getByText(`Listed ${word} ${n}`)).toBeVisible();
      await expect(p.getByLabel('Users pages').getByRole('button', { name: '2', exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
    };
    await expectSecondPage(page);

    await page.reload();
    await expectSecondPage(page);
    await page.screenshot({ path: testInfo.outputPath('users-page-2-after-reload.png'), fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    await expectSecondPage(page);

    // Changing a filter starts again from the first page.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Suspended' }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('status') === 'SUSPENDED' && !url.searchParams.has('page'));
    await expect(page.getByText('No users found')).toBeVisible();
  });
});
