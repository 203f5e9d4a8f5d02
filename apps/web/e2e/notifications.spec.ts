import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { createBookableLawyer, payAndBook, registerAccount, uniqueWord } from './support/marketplace';

/** "15:30" of `iso` in `zone`, computed here, independently of the app. */
const wallClock = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(iso),
  );

test.describe('notifications', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Notifications Admin');
  });

  test('after a client pays and books, the lawyer sees the unread count, opens the booking (time in their zone) and marks it read', async ({
    page,
    request,
  }, testInfo) => {
    test.setTimeout(120_000);
    const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    // A lawyer in Madrid, a client in New York: the lawyer's messages must show Madrid time.
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Lucia ${uniqueWord()}`,
      offeringTitle: 'Initial consultation',
      priceMinor: 9000,
      currency: 'EUR',
      durationMinutes: 45,
    });
    const client = await registerAccount(request, 'CLIENT', `Noah ${uniqueWord()}`, 'America/New_York', admin);
    const { sessionId, startAt } = await payAndBook(request, client, lawyer.offeringId, {
      // More than two days ahead: outside every no-change window, whatever the time of day now.
      why: 'a free slot two days ahead',
      slot: (free) => free.find((s) => new Date(s.startAt).getTime() > Date.now() + 2 * 86_400_000)?.startAt,
    });

    // 1. The lawyer signs in: the bell says how many are unread (verified, paid consultation, booking).
    await signIn(page, lawyer);
    const bell = page.getByRole('button', { name: 'Notifications, 3 unread' });
    await expect(bell).toBeVisible();

    // 2. The bell opens the newest ones; the booking is on top, with the time in Madrid and the zone named.
    await bell.click();
    const panel = page.getByRole('dialog', { name: 'Notifications' });
    const latest = panel.getByRole('list', { name: 'Latest notifications' });
    const booking = latest.getByRole('listitem').first();
    const madrid = new RegExp(
      `New booking: ${client.displayName} on .* ${wallClock(startAt, 'Europe/Madrid')} GMT\\+[12] \\(Europe/Madrid\\)`,
    );
    await expect(booking).toHaveText(madrid);
    await expect(booking.getByRole('img', { name: 'Unread' })).toBeVisible();
    await expect(latest.getByText(`New paid consultation from ${client.displayName}`)).toBeVisible();
    await expect(latest.getByText('Your lawyer profile is verified')).toBeVisible();
    await shot('01-bell-open.png');

    // 3. "See all" leads to the notification centre, where the booking links to its session.
    await panel.getByRole('link', { name: 'See all notifications' }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
    await expect(page.getByText('3 unread.')).toBeVisible();
    const list = page.getByRole('list', { name: 'Notifications' });
    const card = list.getByRole('listitem', { name: /^Unread: New booking: / });
    await expect(card).toHaveCount(1);
    await expect(card.getByRole('link', { name: madrid })).toHaveAttribute('href', `/sessions/${sessionId}`);
    await shot('02-notifications-page.png');

    // 4. Marking it read: it loses its unread mark and the bell counts one less.
    await card.getByRole('button', { name: /^Mark read: New booking: / }).click();
    await expect(list.getByRole('listitem', { name: /^New booking: / })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Notifications, 2 unread' })).toBeVisible();
    await expect(page.getByText('2 unread.')).toBeVisible();

    // 5. The booking's link opens the session.
    await list.getByRole('link', { name: madrid }).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${sessionId}$`));
    await shot('03-session-from-notification.png');
  });
});
