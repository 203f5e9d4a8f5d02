import { readFileSync } from 'node:fs';
import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { bearerFor, createBookableLawyer, registerAccount, uniqueWord } from './support/marketplace';

/** "9:30 AM" in `zone`, as the SPA writes it (luxon TIME_SIMPLE, locale en). */
const timeIn = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', timeZone: zone }).format(new Date(iso));

test.describe('booking flow: one pending checkout, rules up front, zones on both sides', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Zones Admin');
  });

  test('Book & pay three times leaves one pending session; a New York lawyer and a Tokyo client see the same instant, each labelled, and the .ics matches', async ({
    page,
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(180_000);
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Grace ${uniqueWord()}`,
      offeringTitle: 'Contract review call',
      priceMinor: 8000,
      currency: 'USD',
      durationMinutes: 30,
      timeZone: 'America/New_York',
    });
    const client = await registerAccount(request, 'CLIENT', `Kenji ${uniqueWord()}`, 'Asia/Tokyo', admin);

    await signIn(page, client);
    await page.goto(`/lawyers/${lawyer.id}`);
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    // Rules up front, before paying.
    await expect(page.getByTestId('booking-policy')).toContainText('until 24 hours before the start');

    // 1. "Book & pay" three times (leaving the checkout each time): one pending session.
    const offering = page.getByRole('article', { name: lawyer.offeringTitle });
    const checkoutUrls: string[] = [];
    for (let i = 0; i < 3; i++) {
      await offering.getByRole('button', { name: 'Book & pay' }).click();
      await expect(page).toHaveURL(/\/api\/sandbox\/checkout\/cs_test_/);
      checkoutUrls.push(page.url());
      if (i < 2) {
        await page.goBack();
        await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
      }
    }
    expect(new Set(checkoutUrls).size).toBe(1);
    const token = await bearerFor(request, client);
    const pending = await request.get('/api/sessions?status=PENDING_PAYMENT', { headers: { Authorization: `Bearer ${token}` } });
    expect(((await pending.json()) as { total: number }).total).toBe(1);

    // 2. Pay, then pick a time: the picker names both zones and can switch.
    await page.getByRole('button', { name: /^Pay / }).click();
    await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?checkout=success$/);
    const sessionId = /\/sessions\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    const picker = page.getByRole('region', { name: 'Choose a time' });
    await expect(picker).toBeVisible({ timeout: 30_000 });
    await expect(picker.getByText('The lawyer’s hours are set in America/New_York', { exact: false })).toBeVisible();
    await expect(picker.getByText('Earlier dates')).toBeVisible();
    const zoneSelect = picker.getByRole('combobox', { name: 'Show times in' });
    await zoneSelect.selectOption('America/New_York');
    await expect(picker.getByText('Times are shown in America/New_York', { exact: false })).toBeVisible();
    await zoneSelect.selectOption('Asia/Tokyo');
    await expect(picker.getByText('Times are shown in your time zone, Asia/Tokyo', { exact: false })).toBeVisible();
    await testInfo.attach('slot-picker', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    // Keyboard: one Tab stop in the times, arrows move.
    const times = picker.getByRole('group', { name: /^Free times on/ }).getByRole('button');
    await times.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(times.nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(times.nth(1)).toHaveAttribute('aria-pressed', 'true');
    await picker.getByRole('button', { name: 'Confirm booking' }).click();
    await expect(page.getByText('Session booked')).toBeVisible();

    const detail = await request.get(`/api/sessions/${sessionId}`, { headers: { Authorization: `Bearer ${token}` } });
    const { startAt } = (await detail.json()) as { startAt: string };

    // 3. The client's session page and list: Tokyo time, labelled; the lawyer's time shown too.
    await expect(page.getByText(new RegExp(`${timeIn(startAt, 'Asia/Tokyo')}.*\\(Asia/Tokyo\\)`)).first()).toBeVisible();
    await expect(page.getByText(new RegExp(`${timeIn(startAt, 'America/New_York')}.*\\(America/New_York\\)`)).first()).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Add to calendar' }).click();
    const ics = readFileSync(await (await download).path(), 'utf8').replace(/\r\n[ \t]/g, '').replace(/\\,/g, ',');
    const utc = startAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    expect(ics).toContain(`DTSTART:${utc}`);
    expect(ics).toContain('(Asia/Tokyo, UTC+09:00)');
    expect(ics).toContain(`LOCATION:http`);
    await page.goto('/client/sessions');
    await expect(page.getByText(new RegExp(`${timeIn(startAt, 'Asia/Tokyo')}.*\\(Asia/Tokyo\\)`)).first()).toBeVisible();

    // 4. The lawyer's dashboard: the same instant in New York time, labelled.
    const lawyerContext = await browser.newContext();
    const lawyerPage = await lawyerContext.newPage();
    await signIn(lawyerPage, lawyer);
    await lawyerPage.goto('/lawyer');
    await expect(lawyerPage.getByText(new RegExp(`${timeIn(startAt, 'America/New_York')}.*\\(America/New_York\\)`)).first()).toBeVisible();
    await expect(lawyerPage.getByText('Your time zones differ')).toHaveCount(0);
    await lawyerContext.close();
  });
});
