import type { Page } from '@playwright/test';
import { createAdminWithCli, registerViaApi, signIn, type Account } from './support/accounts';
import { bearerFor, createBookableLawyer, registerAccount, uniqueWord, type BookableLawyer } from './support/marketplace';
import { expect, test } from './support/test';

const PHONE = { width: 390, height: 844 };

/** Nothing on the page scrolls sideways: the document is no wider than the window. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${what}: page ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}

test.describe('directory, forms and layout', () => {
  let admin: Account;
  let lawyer: BookableLawyer;
  const surname = uniqueWord();
  // One unbroken word longer than a phone is wide (issue 11: it pushed the page to 1,622 px).
  const longTitle = `Consultation${'x'.repeat(100)}`;

  test.beforeAll(async ({ request }) => {
    admin = createAdminWithCli('Layout Admin');
    lawyer = await createBookableLawyer(request, admin, {
      displayName: `Lucía ${surname}`,
      offeringTitle: 'Initial consultation',
      priceMinor: 9000,
      currency: 'EUR',
      durationMinutes: 45,
    });
    const auth = { Authorization: `Bearer ${await bearerFor(request, lawyer)}` };
    const long = await request.post('/api/lawyer/offerings', {
      headers: auth,
      data: { title: longTitle, durationMinutes: 30, priceMinor: 5000, currency: 'EUR' },
    });
    expect(long.status(), await long.text()).toBe(201);
  });

  test('places are found and shown by name; the profile previews free times, read-only', async ({ page }, testInfo) => {
    await page.goto('/lawyers');
    await expect(page.getByRole('heading', { level: 1, name: 'Find a lawyer' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search' }).fill(surname);
    await page.getByRole('combobox', { name: 'Jurisdiction' }).fill('Spain');
    await page.getByRole('option', { name: 'Spain', exact: true }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get('jurisdiction') === 'ES');
    const card = page.getByRole('list', { name: 'Lawyers' }).getByRole('article', { name: lawyer.displayName });
    await expect(card.getByText('Practises in Spain · Speaks Spanish, English')).toBeVisible();

    // A shared link may name the place in words; the API finds it all the same.
    await page.goto(`/lawyers?q=${surname}&jurisdiction=Spain`);
    await expect(card).toBeVisible();
    await page.goto(`/lawyers?q=${encodeURIComponent(`${surname} Spain`)}`);
    await expect(card).toBeVisible();

    // "Lowest price" compares prices in one currency, shown in the currency picker.
    await page.getByRole('combobox', { name: 'Sort by' }).click();
    await page.getByRole('option', { name: 'Lowest price' }).click();
    // The viewer's (en-US: dollars) until they choose another; a euro lawyer appears under EUR.
    await expect(page.getByRole('combobox', { name: 'Currency' })).toHaveValue('USD');
    await expect(card).toHaveCount(0);
    await page.getByRole('combobox', { name: 'Currency' }).click();
    await page.getByRole('option', { name: 'EUR', exact: true }).click();
    await expect(card).toBeVisible();
    await expect(page).toHaveURL((url) => url.searchParams.get('currency') === 'EUR' && url.searchParams.get('sort') === 'price');

    await card.getByRole('link', { name: lawyer.displayName, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    await expect(page.getByText('Spain', { exact: true })).toBeVisible();
    await expect(page.getByText('Spanish, English', { exact: true })).toBeVisible();
    const preview = page.getByRole('region', { name: 'Next free times' });
    await expect(preview.getByRole('list', { name: /^Free times for / }).getByRole('listitem').first()).toBeVisible();
    await expect(preview.getByText(/Times in your time zone, \S+/)).toBeVisible();
    await expect(preview.getByText('You pay first, then choose your time.', { exact: false })).toBeVisible();
    // Read-only: nothing in the preview books.
    await expect(preview.getByRole('button')).toHaveCount(0);
    await expect(preview.getByRole('link')).toHaveCount(0);

    // The long unbroken title wraps: the page stays as wide as the window.
    await expect(page.getByRole('heading', { name: longTitle })).toBeVisible();
    await expectNoSidewaysScroll(page, 'public profile at 1280 px');
    await page.screenshot({ path: testInfo.outputPath('public-profile-preview.png'), fullPage: true });
  });

  test('forms explain what is wrong next to the field and never change what was typed', async ({ page, request }) => {
    await signIn(page, lawyer);

    // Offerings: a 5-minute duration and a 130-character title are explained, not adjusted.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Offerings' }).click();
    await page.getByRole('button', { name: 'New offering' }).click();
    const dialog = page.getByRole('dialog', { name: 'New offering' });
    await expect(dialog.getByRole('button', { name: 'Close dialog' })).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Title' })).toBeFocused(); // not the X
    await dialog.getByRole('textbox', { name: 'Title' }).fill('t'.repeat(130));
    await dialog.getByRole('textbox', { name: /^Duration/ }).fill('5');
    await dialog.getByRole('textbox', { name: /^Price/ }).fill('90');
    await dialog.getByRole('button', { name: 'Create offering' }).click();
    await expect(dialog.getByText('Use at most 120 characters (now 130)')).toBeVisible();
    await expect(dialog.getByText('Enter a duration between 15 and 240 minutes')).toBeVisible();
    await expect(dialog.getByRole('alert').filter({ hasText: 'Fix the 2 highlighted fields to save.' })).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Title' })).toBeFocused();
    await expect(dialog.getByRole('textbox', { name: 'Title' })).toHaveValue('t'.repeat(130));
    await dialog.getByRole('textbox', { name: /^Duration/ }).blur();
    await expect(dialog.getByRole('textbox', { name: /^Duration/ })).toHaveValue('5');
    const token = await bearerFor(request, lawyer);
    const listed = await request.get('/api/lawyer/offerings', { headers: { Authorization: `Bearer ${token}` } });
    expect(((await listed.json()) as unknown[]).length).toBe(2); // nothing was created
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Follow-up call');
    await dialog.getByRole('textbox', { name: /^Duration/ }).fill('30');
    await dialog.getByRole('button', { name: 'Create offering' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Offerings' }).getByText('Follow-up call')).toBeVisible();

    // Availability: "0 sessions a day" is refused with the allowed range, not saved as 1.
    await page.goto('/lawyer/availability'); // (the "Offering saved" toast covers the header link)
    const maxPerDay = page.getByRole('textbox', { name: 'Max sessions per day' });
    await maxPerDay.fill('0');
    await page.getByRole('button', { name: 'Save weekly hours' }).click();
    await expect(page.getByText('Enter a number between 1 and 48 sessions (or leave it empty for no limit)')).toBeVisible();
    await expect(maxPerDay).toBeFocused();
    await expect(maxPerDay).toHaveValue('0');

    // Account: a blank name is "Enter your name", next to the field.
    await page.goto('/lawyer/profile');
    const account = page.getByRole('region', { name: 'Account' });
    await account.getByRole('textbox', { name: /^Display name/ }).fill('   ');
    await account.getByRole('button', { name: /^Save/ }).click();
    await expect(account.getByText('Enter your name')).toBeVisible();
    await expect(account.getByRole('textbox', { name: /^Display name/ })).toBeFocused();
  });

  test.describe('on a phone (390×844)', () => {
    test.use({ viewport: PHONE });

    test('sessions, slot picker, lawyer dashboard and admin lists fit the screen', async ({ page, browser, request }, testInfo) => {
      test.setTimeout(300_000); // three roles, a payment and eight pages, each scanned by axe
      const shot = async (p: Page, name: string) => {
        await expectNoSidewaysScroll(p, name);
        await p.screenshot({ path: testInfo.outputPath(`phone-${name}.png`), fullPage: true });
      };

      // A client pays for a consultation (sandbox) and reaches the slot picker.
      // Through the separate `request` context: page.request shares the page's cookies, and the
      // admin's sign-in (verifying the client's address) would leave the page signed in as admin.
      const client = await registerAccount(request, 'CLIENT', `Phone Client ${uniqueWord()}`, 'America/New_York', admin);
      await signIn(page, client);
      await page.goto(`/lawyers/${lawyer.id}`);
      await page.getByRole('article', { name: lawyer.offeringTitle }).getByRole('button', { name: 'Book & pay' }).click();
      await expect(page).toHaveURL(/\/api\/sandbox\/checkout\/cs_test_/);
      await page.getByRole('button', { name: 'Pay €90.00' }).click();
      await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?checkout=success$/);
      const picker = page.getByRole('region', { name: 'Choose a time' });
      await expect(picker).toBeVisible({ timeout: 30_000 });
      await shot(page, 'slot-picker');

      // My sessions: a card with status, price and the next action, no sideways scrolling.
      // (paid, no time yet: it waits under "Needs action")
      await page.goto('/client/sessions?view=action');
      await expect(page.getByRole('heading', { level: 1, name: 'My sessions' })).toBeVisible();
      const row = page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: lawyer.offeringTitle }).first();
      await expect(row.getByText('€90.00')).toBeInViewport();
      await expect(row.getByRole('button', { name: 'Pick a time' }).or(row.getByRole('link', { name: 'Pick a time' }))).toBeInViewport();
      await shot(page, 'my-sessions');

      // The lawyer's dashboard.
      const lawyerContext = await browser.newContext({ viewport: PHONE });
      const lawyerPage = await lawyerContext.newPage();
      await signIn(lawyerPage, lawyer);
      await lawyerPage.goto('/lawyer');
      await expect(lawyerPage.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
      await shot(lawyerPage, 'lawyer-dashboard');
      await lawyerContext.close();

      // Admin lists: badges whole, rows as cards.
      const adminContext = await browser.newContext({ viewport: PHONE });
      const adminPage = await adminContext.newPage();
      await registerViaApi(adminPage.request, 'LAWYER', `Pending ${uniqueWord()}`);
      await signIn(adminPage, admin);
      for (const [path, heading] of [
        ['/admin/users', 'Users'],
        ['/admin/verification', 'Lawyer verification'],
        ['/admin/payments', 'Payments'],
        ['/admin/sessions', 'Sessions'],
      ] as const) {
        await adminPage.goto(path);
        await expect(adminPage.getByRole('heading', { level: 1, name: heading })).toBeVisible();
        await expect(adminPage.getByRole('table').first()).toBeVisible();
        await shot(adminPage, `admin${path.replace('/admin', '').replace(/\//g, '-')}`);
      }
      // No badge is cut short with an ellipsis.
      const cut = await adminPage.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.mantine-Badge-label')).filter((el) => el.scrollWidth > el.clientWidth + 1).length,
      );
      expect(cut).toBe(0);
      await adminContext.close();
    });
  });
});
