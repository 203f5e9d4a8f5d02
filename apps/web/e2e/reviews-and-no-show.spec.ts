import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, signIn, type Account } from './support/accounts';
import {
  bearerFor,
  createBookableLawyer,
  demoAccount,
  freeAroundTheClock,
  payAndBook,
  registerAccount,
  uniqueWord,
} from './support/marketplace';

/*
 * Reviews and no-shows through the real API and UI only (no test backdoor):
 *
 * - Reviews need a COMPLETED session. The e2e server opens calls two hours before their start
 *   and allows a first booking one hour ahead (playwright.config.ts), so the soonest slot of a
 *   lawyer free around the clock can be joined and ended at once, as in the video journey.
 * - A no-show can be reported only once the session has started, and nobody can book a time in
 *   the past. The demo seed (embedded PostgreSQL, DEMO_SEED on) keeps, at every server start, a
 *   session of the demo client with "Ana López Ortega" that started about twenty minutes ago and
 *   that nobody joined (DemoCases.ensureNoShowCase). Its password is random and only printed, so
 *   the journey does what a person would: a password reset, with the link read from the admin
 *   outbox. A run consumes the case; the next server start creates a new one, so the journey
 *   takes any unreported case, never a fixed id.
 */

const DEMO_CLIENT_EMAIL = 'client@demo.lexmarket.example';
const NO_SHOW_LAWYER = 'Ana López Ortega';
/** The demo client's password after this journey's reset (a later run signs in with it). */
const DEMO_CLIENT_PASSWORD = 'harbour violet meadow quill 4';

type Auth = { Authorization: string };

interface Rating {
  average: number | null;
  count: number;
}

async function ratingOf(request: APIRequestContext, lawyerId: string): Promise<Rating> {
  const response = await request.get(`/api/lawyers/${lawyerId}/rating`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as Rating;
}

/** The public page's rating summary (fresh: the page is loaded again). */
async function openPublicRating(page: Page, lawyerId: string) {
  await page.goto(`/lawyers/${lawyerId}`);
  const section = page.getByRole('region', { name: 'Client reviews' });
  await expect(section).toBeVisible();
  return section.getByTestId('rating-summary');
}

/** A SCHEDULED session of the demo client with the no-show lawyer that has started and is not reported yet. */
async function unreportedNoShowCase(request: APIRequestContext, auth: Auth): Promise<{ id: string; offeringTitle: string }> {
  let found: { id: string; offeringTitle: string } | undefined;
  await expect(async () => {
    const [sessions, tickets] = await Promise.all([
      request.get('/api/sessions?status=SCHEDULED&pageSize=100', { headers: auth }),
      request.get('/api/support/tickets?pageSize=100', { headers: auth }),
    ]);
    expect(sessions.status(), await sessions.text()).toBe(200);
    expect(tickets.status(), await tickets.text()).toBe(200);
    const reported = new Set(((await tickets.json()) as { items: { sessionId: string | null }[] }).items.map((t) => t.sessionId));
    const { items } = (await sessions.json()) as {
      items: { id: string; offeringTitle: string; startAt: string | null; lawyer: { displayName: string } }[];
    };
    found = items.find(
      (s) =>
        s.lawyer.displayName === NO_SHOW_LAWYER &&
        s.startAt !== null &&
        Date.parse(s.startAt) <= Date.now() &&
        !reported.has(s.id),
    );
    expect(found, `an unreported session with ${NO_SHOW_LAWYER} that has started (the demo seed's no-show case)`).toBeTruthy();
  }).toPass({ timeout: 90_000 });
  return found!;
}

test.describe('reviews, ratings and no-shows', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Trust Admin');
  });

  test('the client reviews a completed session and the public rating changes; the admin hides the review and the rating changes back', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(240_000);
    const shot = (name: string, page: Page) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    // Set-up through the API: a lawyer free around the clock (UTC, no notice) and a verified client.
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Irene ${uniqueWord()}`,
      offeringTitle: 'Tenancy consultation',
      priceMinor: 5000,
      currency: 'EUR',
      durationMinutes: 30,
      timeZone: 'UTC',
    });
    const lawyerAuth = await freeAroundTheClock(request, lawyer);
    const client = await registerAccount(request, 'CLIENT', `Pablo Client ${uniqueWord()}`, 'Europe/Madrid', admin);
    const { sessionId } = await payAndBook(request, client, lawyer.offeringId, {
      why: 'a free slot whose call is open (the soonest)',
      slot: (free) => free[0]?.startAt,
    });

    // The consultation takes place: the lawyer joins the call and ends the session → COMPLETED.
    const joined = await request.post(`/api/sessions/${sessionId}/video/join`, {
      headers: lawyerAuth,
      data: { recordingConsent: false },
    });
    expect(joined.status(), await joined.text()).toBe(200);
    const ended = await request.post(`/api/sessions/${sessionId}/video/end`, { headers: lawyerAuth });
    expect(ended.status(), await ended.text()).toBe(200);

    expect(await ratingOf(request, lawyer.id)).toMatchObject({ average: null, count: 0 });

    // The public page before any review.
    const visitor = await browser.newContext();
    const publicPage = await visitor.newPage();
    await expect(await openPublicRating(publicPage, lawyer.id)).toHaveText('No reviews yet.');
    await shot('01-public-page-no-reviews.png', publicPage);

    // 1. The client leaves 4 stars and a comment on the completed session.
    const clientContext = await browser.newContext();
    const clientPage = await clientContext.newPage();
    await signIn(clientPage, client);
    await clientPage.goto(`/sessions/${sessionId}`);
    const panel = clientPage.getByRole('region', { name: 'Reviews' });
    await expect(panel).toBeVisible({ timeout: 20_000 });
    await expect(panel.getByText(/You can leave a review until/)).toBeVisible();
    const form = panel.getByRole('form', { name: 'Leave a review' });
    await form.getByRole('radio', { name: '4 stars, Very good' }).check();
    const comment = `Clear advice on my rental deposit, with the letter to send. ${uniqueWord()}`;
    await form.getByLabel('Comment (optional)').fill(comment);
    await shot('02-client-review-form.png', clientPage);
    await form.getByRole('button', { name: 'Submit review' }).click();
    await expect(panel.getByRole('heading', { name: 'Your review' })).toBeVisible();
    // Double-blind: not published until the lawyer has reviewed too (or the window closes).
    await expect(panel.getByText('Waiting for publication')).toBeVisible();
    expect(await ratingOf(request, lawyer.id)).toMatchObject({ average: null, count: 0 });
    await shot('03-client-review-waiting-for-publication.png', clientPage);

    // 2. The lawyer reviews the client (seen by admins only): both reviews are published.
    const lawyerReview = await request.post(`/api/sessions/${sessionId}/review`, {
      headers: lawyerAuth,
      data: { rating: 5, comment: 'Punctual and well prepared.' },
    });
    expect(lawyerReview.status(), await lawyerReview.text()).toBe(201);
    await clientPage.reload();
    await expect(panel.getByText('Published', { exact: true })).toBeVisible();
    await expect(panel.getByText('Punctual and well prepared.')).toBeVisible();
    await shot('04-client-review-published.png', clientPage);

    // 3. The public page shows the new rating: 4.0 from one review, with the comment.
    const summary = await openPublicRating(publicPage, lawyer.id);
    await expect(summary.getByRole('img', { name: 'Rated 4.0 out of 5 from 1 review' })).toBeVisible();
    await expect(summary.getByRole('progressbar', { name: '4 stars: 1 review, 100%' })).toBeVisible();
    await expect(publicPage.getByRole('list', { name: 'Reviews' }).getByText(comment)).toBeVisible();
    expect(await ratingOf(request, lawyer.id)).toMatchObject({ average: 4, count: 1 });
    await shot('05-public-page-rated-4.png', publicPage);

    // 4. The admin finds the review in moderation (all reviews) and hides it with a reason and a note.
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    await adminPage.goto('/admin/reviews');
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Review moderation' })).toBeVisible();
    await adminPage.getByText('All reviews', { exact: true }).click();
    await expect(adminPage).toHaveURL(/status=ALL/);
    const row = adminPage.getByRole('table', { name: 'Reviews' }).getByRole('row').filter({ hasText: comment });
    await expect(row).toHaveCount(1);
    await shot('06-admin-moderation-all-reviews.png', adminPage);
    await row.getByRole('link').click();
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Review', exact: true })).toBeVisible();
    await expect(adminPage.getByText(`Client ${client.displayName} about lawyer ${lawyer.displayName}`)).toBeVisible();
    await adminPage.getByRole('button', { name: 'Hide review' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Hide this review' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('combobox', { name: 'Reason' }).click();
    await adminPage.getByRole('option', { name: 'Conflict of interest' }).click();
    await dialog.getByLabel('Note (optional)').fill('The client is a relative of the lawyer (confirmed by both).');
    await shot('07-admin-hide-with-reason.png', adminPage);
    await dialog.getByRole('button', { name: 'Hide', exact: true }).click();
    await expect(dialog).toBeHidden();
    const decisions = adminPage.getByRole('table', { name: 'Decisions' });
    await expect(decisions.getByRole('row').filter({ hasText: 'Conflict of interest' })).toContainText('Hidden');
    await expect(adminPage.getByRole('button', { name: 'Unhide review' })).toBeVisible();
    await shot('08-admin-review-hidden.png', adminPage);

    // 5. The public rating is back to no reviews, and the review is gone from the list.
    const after = await openPublicRating(publicPage, lawyer.id);
    await expect(after).toHaveText('No reviews yet.');
    await expect(publicPage.getByText(comment)).toHaveCount(0);
    expect(await ratingOf(request, lawyer.id)).toMatchObject({ average: null, count: 0 });
    await shot('09-public-page-after-hiding.png', publicPage);

    // The client sees that a moderator hid their review.
    await clientPage.reload();
    await expect(panel.getByText('Hidden by a moderator')).toBeVisible();
    await shot('10-client-sees-review-hidden.png', clientPage);

    await adminContext.close();
    await clientContext.close();
    await visitor.close();
  });

  test('the client reports that the lawyer did not show up; the admin refunds; the client sees "Refunded"', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(300_000);
    const shot = (name: string, page: Page) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    const demoClient = await demoAccount(request, admin, { email: DEMO_CLIENT_EMAIL, password: DEMO_CLIENT_PASSWORD });
    const clientAuth = { Authorization: `Bearer ${await bearerFor(request, demoClient)}` };
    const noShow = await unreportedNoShowCase(request, clientAuth);

    // 1. The demo client reports the no-show from the session page.
    const clientContext = await browser.newContext();
    const clientPage = await clientContext.newPage();
    await signIn(clientPage, demoClient);
    await clientPage.goto(`/sessions/${noShow.id}`);
    await expect(clientPage.getByRole('heading', { level: 1, name: noShow.offeringTitle })).toBeVisible();
    const support = clientPage.getByRole('region', { name: 'Problem with this session?' });
    await support.getByRole('button', { name: 'Report a problem' }).click();
    const form = support.getByRole('form', { name: 'Report a problem with this session' });
    await form.getByRole('radio', { name: 'The lawyer did not show up' }).check();
    const subject = `Lawyer never joined ${uniqueWord()}`;
    await form.getByLabel('Subject (optional)').fill(subject);
    await form
      .getByLabel(/Describe what happened/)
      .fill('I joined the call at the start time and waited twenty minutes; the lawyer never came and did not answer.');
    await shot('11-client-reports-no-show.png', clientPage);
    await form.getByRole('button', { name: 'Send report' }).click();
    const sent = support.getByRole('status').filter({ hasText: 'Report sent' });
    await expect(sent).toBeVisible();
    await expect(sent.getByRole('link', { name: 'View your ticket' })).toBeVisible();
    await shot('12-client-report-sent.png', clientPage);

    // 2. The admin opens the ticket from the support queue and decides: the lawyer did not show.
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    await adminPage.goto('/admin/support');
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Support queue' })).toBeVisible();
    const ticketLink = adminPage.getByRole('table', { name: 'Support tickets' }).getByRole('link', { name: subject });
    await expect(ticketLink).toBeVisible();
    await shot('13-admin-support-queue.png', adminPage);
    await ticketLink.click();
    const decision = adminPage.getByRole('region', { name: 'No-show decision' });
    await expect(decision).toBeVisible();
    await decision.getByRole('button', { name: 'Lawyer did not show — refund client' }).click();
    const confirm = adminPage.getByRole('dialog', { name: 'The lawyer did not show?' });
    await expect(confirm).toBeVisible();
    await confirm.getByLabel('Note (optional)').fill('The attendance log shows only the client in the call.');
    await shot('14-admin-confirms-lawyer-no-show.png', adminPage);
    await confirm.getByRole('button', { name: 'Confirm decision' }).click();
    await expect(confirm).toBeHidden();
    const outcome = decision.getByRole('status').filter({ hasText: 'Decided' });
    await expect(outcome).toContainText('Support found that the lawyer did not attend. The client is refunded in full.');
    // The refund goes through Stripe (the sandbox) and is confirmed by its webhook.
    await expect(async () => {
      await adminPage.reload();
      await expect(
        adminPage
          .getByRole('region', { name: 'No-show decision' })
          .getByRole('list', { name: 'Refunds' })
          .getByText('Refunded', { exact: true }),
      ).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 60_000 });
    await shot('15-admin-decided-refunded.png', adminPage);

    // 3. The client's session page: lawyer did not attend, refunded.
    await expect(async () => {
      await clientPage.reload();
      await expect(clientPage.getByRole('list', { name: 'Refunds' }).getByText('Refunded', { exact: true })).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 60_000 });
    await expect(clientPage.getByText('Support confirmed that the lawyer did not attend.')).toBeVisible();
    // The timeline, oldest first, ends with support's finding.
    await expect(clientPage.getByRole('region', { name: 'Timeline' })).toContainText(
      /Checkout started[\s\S]*Payment confirmed[\s\S]*Time booked by the client[\s\S]*Lawyer did not attend \(decided by support\)/,
    );
    const session = (await (await request.get(`/api/sessions/${noShow.id}`, { headers: clientAuth })).json()) as {
      status: string;
      refunds: { status: string; amountMinor: number }[];
      priceMinor: number;
    };
    expect(session.status).toBe('NO_SHOW_LAWYER');
    expect(session.refunds).toEqual([expect.objectContaining({ status: 'SUCCEEDED', amountMinor: session.priceMinor })]);
    await shot('16-client-sees-refunded.png', clientPage);

    await adminContext.close();
    await clientContext.close();
  });
});
