import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import { createBookableLawyer, registerAccount, uniqueWord } from './support/marketplace';

test.describe('paid consultation booking', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Booking Admin');
  });

  test('a client finds a lawyer, pays in the sandbox, books a time, and cancels with a full refund', async ({
    page,
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(240_000); // a long journey, with an axe scan of every page it visits
    const shot = (name: string, target = page) => target.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    // Set-up through the API: a verified lawyer in Madrid with one offering and weekly hours,
    // and a client whose own time zone is New York (every time in the client's UI is in it).
    const surname = uniqueWord();
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Elena ${surname}`,
      offeringTitle: 'Initial consultation',
      priceMinor: 9000,
      currency: 'EUR',
      durationMinutes: 45,
    });
    const client = await registerAccount(request, 'CLIENT', `Noah Client ${uniqueWord()}`, 'America/New_York', admin);

    // 1. An anonymous visitor searches the directory and opens the lawyer.
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Find a lawyer' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Find a lawyer' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search' }).fill(surname);
    await page.getByRole('combobox', { name: 'Practice area' }).click();
    await page.getByRole('option', { name: 'Immigration' }).click();
    const results = page.getByRole('list', { name: 'Lawyers' });
    await expect(results.getByRole('listitem')).toHaveCount(1);
    await expect(page.getByText('1 lawyer found')).toBeVisible();
    const card = results.getByRole('article', { name: lawyer.displayName });
    await expect(card.getByText('€90.00')).toBeVisible();
    await shot('01-directory-search.png');
    await card.getByRole('link', { name: lawyer.displayName, exact: true }).click();

    // 2. The lawyer's page lists the offering; booking asks the visitor to sign in first.
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    const offering = page.getByRole('article', { name: lawyer.offeringTitle });
    await expect(offering.getByText('€90.00')).toBeVisible();
    await expect(offering.getByText('45 min')).toBeVisible();
    await shot('02-lawyer-page.png');
    await offering.getByRole('button', { name: 'Book & pay' }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await page.getByLabel('Email').fill(client.email);
    await page.getByLabel(/^Password/).fill(client.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // 3. Back on the lawyer's page, signed in: continue to the (sandbox) Stripe checkout.
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    await expect(page.getByRole('button', { name: `Account menu for ${client.displayName}` })).toBeVisible();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await expect(page).toHaveURL(/\/api\/sandbox\/checkout\/cs_test_/);
    await expect(page.getByLabel('Amount')).toHaveText('€90.00');
    await expect(page.getByText('Initial consultation', { exact: true })).toBeVisible();
    await shot('03-sandbox-checkout.png');
    // Leaving the checkout charges nothing; the session page offers to go back to it.
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?checkout=cancelled$/);
    await expect(page.getByText('Payment not completed')).toBeVisible();
    await shot('03b-checkout-left-unpaid.png');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await expect(page).toHaveURL(/\/api\/sandbox\/checkout\/cs_test_/);
    await page.getByRole('button', { name: 'Pay €90.00' }).click();

    // 4. Back in the app: the payment is confirmed (by the signed webhook), then a time is picked.
    await expect(page).toHaveURL(/\/sessions\/[0-9a-f-]{36}\?checkout=success$/);
    const sessionUrl = page.url();
    await expect(page.getByRole('status').filter({ hasText: 'Payment confirmed' })).toBeVisible({ timeout: 30_000 });
    const picker = page.getByRole('region', { name: 'Choose a time' });
    await expect(picker.getByText(/Times are shown in your time zone, America\/New_York/)).toBeVisible();
    // The lawyer's zone is named too, and the rules are stated before a time is chosen.
    await expect(picker.getByText(/The lawyer’s hours are set in Europe\/Madrid/)).toBeVisible();
    await expect(picker.getByTestId('booking-policy')).toContainText('until 24 hours before the start');
    await shot('04-payment-confirmed-slot-picker.png');
    // The third day with free times is more than 24 h away, whatever the time of day now.
    await picker.getByRole('group', { name: 'Days' }).getByRole('button').nth(2).click();
    const times = picker.getByRole('group', { name: /^Free times on / }).getByRole('button');
    // The time a quarter of an hour after the one booked: used for the reschedule below.
    const quarterLater = (await times.nth(1).textContent())!;
    await times.first().click();
    await expect(picker.getByText(/^Selected: /)).toBeVisible();
    await shot('05-slot-selected.png');
    await picker.getByRole('button', { name: 'Confirm booking' }).click();
    await expect(page.getByText('Your consultation is scheduled.')).toBeVisible();
    const details = page.getByRole('region', { name: 'Details' });
    await expect(page.getByRole('main').getByText('Scheduled', { exact: true }).first()).toBeVisible();
    await expect(details.getByText(/\(America\/New_York\)$/).first()).toBeVisible();
    // The lawyer's own time, in the lawyer's zone, is shown next to it.
    await expect(details.getByText(/\(Europe\/Madrid\)$/)).toBeVisible();
    await expect(details.getByRole('button', { name: 'Add to calendar' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Time booked by the client')).toBeVisible();
    await shot('06-session-scheduled.png');

    // The calendar file downloads through the authenticated client.
    const download = page.waitForEvent('download');
    await details.getByRole('button', { name: 'Add to calendar' }).click();
    expect((await download).suggestedFilename()).toMatch(/\.ics$/);

    // 5. My sessions lists it as Scheduled.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My sessions' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My sessions' })).toBeVisible();
    const row = page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: lawyer.displayName });
    await expect(row).toHaveCount(1);
    await expect(row.getByText('Scheduled', { exact: true })).toBeVisible();
    await shot('07-my-sessions.png');

    // 6. The lawyer (own browser) sees it among the upcoming sessions.
    const lawyerContext = await browser.newContext();
    const lawyerPage = await lawyerContext.newPage();
    await signIn(lawyerPage, lawyer);
    await lawyerPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await expect(lawyerPage.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    const upcoming = lawyerPage.getByRole('table', { name: 'Upcoming sessions' });
    const lawyerRow = upcoming.getByRole('row').filter({ hasText: client.displayName });
    await expect(lawyerRow).toHaveCount(1);
    await expect(lawyerRow.getByText('Scheduled', { exact: true })).toBeVisible();
    await shot('08-lawyer-upcoming-sessions.png', lawyerPage);

    // 7. The client moves it by a quarter of an hour: the session's own time does not block its
    //    neighbours, the payment is kept (nothing is charged again).
    await row.getByRole('link', { name: lawyer.offeringTitle }).click();
    await expect(page).toHaveURL(sessionUrl.replace(/\?.*$/, ''));
    await page.getByRole('button', { name: 'Reschedule' }).click();
    const mover = page.getByRole('region', { name: 'Choose a new time' });
    await expect(mover.getByText('Your payment is kept: moving the session never charges again.')).toBeVisible();
    await mover.getByRole('group', { name: 'Days' }).getByRole('button').nth(2).click();
    const newTime = mover.getByRole('group', { name: /^Free times on / }).getByRole('button').first();
    await expect(newTime).toHaveText(quarterLater);
    await newTime.click();
    await shot('08b-reschedule-quarter-hour-later.png');
    await mover.getByRole('button', { name: 'Confirm new time' }).click();
    await expect(page.getByText('The new time is booked.')).toBeVisible();
    await expect(mover).toBeHidden();
    await expect(details.getByText(`${quarterLater}–`)).toBeVisible();
    await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Rescheduled by the client')).toBeVisible();

    // 8. The client cancels (more than 24 h ahead): the full refund is shown before confirming…
    await page.getByRole('button', { name: 'Cancel session' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this session?' });
    await expect(dialog.getByText('Refund: €90.00')).toBeVisible();
    await expect(dialog.getByText('Full refund: the session starts in more than 24 hours.')).toBeVisible();
    await dialog.getByLabel('Reason (optional)').fill('My situation changed');
    await shot('09-cancel-refund-quote.png');
    await dialog.getByRole('button', { name: 'Confirm cancellation' }).click();
    await expect(dialog).toBeHidden();

    // …and the refund itself afterwards: pending until Stripe confirms, then refunded.
    await expect(page.getByRole('main').getByText('Cancelled', { exact: true }).first()).toBeVisible();
    const refunds = page.getByRole('list', { name: 'Refunds' });
    await expect(refunds.getByText('Refund of €90.00')).toBeVisible();
    await expect(refunds.getByText('Refunded', { exact: true })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('region', { name: 'Timeline' }).getByText('Cancelled by the client')).toBeVisible();
    await shot('10-cancelled-refunded.png');

    // The lawyer's upcoming list no longer holds it.
    await lawyerPage.reload();
    await expect(lawyerPage.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(
      lawyerPage.getByRole('table', { name: 'Upcoming sessions' }).getByRole('row').filter({ hasText: client.displayName }),
    ).toHaveCount(0);
    await shot('11-lawyer-after-cancellation.png', lawyerPage);
    await lawyerContext.close();

    // 9. An admin sees the payment with its refund, the session, and balanced ledger accounts.
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    const adminNav = adminPage.getByRole('navigation', { name: 'Main' });
    await adminNav.getByRole('link', { name: 'Payments' }).click();
    const payment = adminPage.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: lawyer.displayName });
    await expect(payment).toHaveCount(1);
    await expect(payment.getByText('Refunded', { exact: true })).toBeVisible();
    await expect(payment.getByText('€90.00 refunded')).toBeVisible();
    await shot('12-admin-payments.png', adminPage);
    await adminNav.getByRole('link', { name: 'Sessions' }).click();
    const adminSession = adminPage.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: lawyer.displayName });
    await expect(adminSession.getByText('Cancelled', { exact: true })).toBeVisible();
    await shot('13-admin-sessions.png', adminPage);
    await adminNav.getByRole('link', { name: 'Ledger' }).click();
    const eur = adminPage.getByRole('region', { name: 'EUR' });
    await expect(eur.getByText('Balanced', { exact: true })).toBeVisible();
    await expect(eur.getByRole('row').filter({ hasText: lawyer.displayName })).toHaveCount(1);
    await shot('14-admin-ledger-balances.png', adminPage);
    await adminContext.close();
  });

  test('a lawyer sets up an offering, weekly hours, a date override and a blackout in the editors', async ({
    page,
    request,
  }, testInfo) => {
    const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
    const lawyer = await registerAccount(request, 'LAWYER', `Marc ${uniqueWord()}`, 'Europe/Madrid');
    await signIn(page, lawyer);
    const nav = page.getByRole('navigation', { name: 'Main' });

    // Offerings: the price is typed in euros and must fit the currency's decimals.
    await nav.getByRole('link', { name: 'Offerings' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Offerings' })).toBeVisible();
    await expect(page.getByText('No offerings yet')).toBeVisible();
    await page.getByRole('button', { name: 'New offering' }).click();
    const form = page.getByRole('dialog', { name: 'New offering' });
    await form.getByRole('textbox', { name: 'Title' }).fill('Contract review');
    await form.getByRole('textbox', { name: 'Description' }).fill('I read your contract and explain the risks.');
    await form.getByRole('textbox', { name: 'Duration (minutes)' }).fill('60');
    await form.getByRole('textbox', { name: 'Price' }).fill('120.505');
    await form.getByRole('button', { name: 'Create offering' }).click();
    await expect(form.getByText('EUR prices have fewer decimal places')).toBeVisible();
    await form.getByRole('textbox', { name: 'Price' }).fill('120.50');
    await form.getByRole('button', { name: 'Create offering' }).click();
    await expect(form).toBeHidden();
    const offerings = page.getByRole('table', { name: 'Offerings' });
    const offering = offerings.getByRole('row').filter({ hasText: 'Contract review' });
    await expect(offering.getByText('€120.50')).toBeVisible();
    await expect(offering.getByText('Active', { exact: true })).toBeVisible();
    await offering.getByRole('button', { name: 'Deactivate Contract review' }).click();
    await expect(offering.getByText('Inactive', { exact: true })).toBeVisible();
    await offering.getByRole('button', { name: 'Activate Contract review' }).click();
    await expect(offering.getByText('Active', { exact: true })).toBeVisible();
    await offering.getByRole('button', { name: 'Edit Contract review' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit offering' });
    await expect(edit.getByRole('textbox', { name: 'Price' })).toHaveValue('120.50');
    await edit.getByRole('textbox', { name: 'Price' }).fill('95');
    await edit.getByRole('button', { name: 'Save offering' }).click();
    await expect(edit).toBeHidden();
    await expect(offering.getByText('€95.00')).toBeVisible();
    await shot('editor-01-offerings.png');

    // Weekly hours: office hours are the starting point; Saturday morning is added.
    await nav.getByRole('link', { name: 'Availability' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Availability' })).toBeVisible();
    await expect(page.getByText('No availability yet')).toBeVisible();
    const weekly = page.getByRole('region', { name: 'Weekly hours' });
    await expect(weekly.getByRole('combobox', { name: 'Time zone' })).toHaveValue('Europe/Madrid');
    await expect(weekly.getByLabel('Monday from')).toHaveValue('09:00');
    await weekly.getByRole('button', { name: 'Add hours on Saturday' }).click();
    await weekly.getByLabel('Saturday until').fill('13:00');
    await weekly.getByRole('button', { name: 'Save weekly hours' }).click();
    await expect(page.getByText('Clients now see your new hours.')).toBeVisible();
    await expect(page.getByText('No availability yet')).toBeHidden();
    await expect(weekly.getByLabel('Saturday until')).toHaveValue('13:00');

    // A closed day and a blackout, both in the lawyer's zone.
    const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const overrides = page.getByRole('region', { name: 'Date overrides' });
    await overrides.getByRole('textbox', { name: 'Date', exact: true }).fill(day(10));
    await overrides.getByRole('button', { name: 'Save date' }).click();
    await expect(overrides.getByRole('table', { name: 'Date overrides' }).getByText('Unavailable all day')).toBeVisible();
    const blackouts = page.getByRole('region', { name: 'Blackouts' });
    await blackouts.getByLabel('From').fill(`${day(20)}T09:00`);
    await blackouts.getByLabel('Until').fill(`${day(21)}T18:00`);
    await blackouts.getByLabel('Reason (optional)').fill('Court hearing');
    await blackouts.getByRole('button', { name: 'Add blackout' }).click();
    const blackout = blackouts.getByRole('table', { name: 'Blackouts' }).getByRole('row').filter({ hasText: 'Court hearing' });
    await expect(blackout).toHaveCount(1);
    await expect(blackout.getByText(/9:00\sAM/)).toBeVisible();
    await shot('editor-02-availability.png');

    await overrides.getByRole('button', { name: /^Remove the override of / }).click();
    await expect(overrides.getByText('No overrides')).toBeVisible();
  });
});
