import { readFileSync } from 'node:fs';
import type { APIRequestContext, Download, Page } from '@playwright/test';
import { expect, test } from './support/test';
import {
  acceptTerms,
  continuePastCheckInbox,
  createAdminWithCli,
  PASSWORD,
  signIn,
  uniqueEmail,
  type Account,
} from './support/accounts';
import {
  bearerFor,
  createBookableLawyer,
  demoAccount,
  freeAroundTheClock,
  payAndBook,
  uniqueWord,
  verifyEmail,
} from './support/marketplace';

/*
 * Partner money through the real API and UI (no test backdoor): the demo partner refers a new
 * client, who signs up through the partner's link and pays a consultation on the Stripe
 * sandbox; the partner's dashboard shows the commission; the admin records a payout of what is
 * owed; the partner sees the payout and downloads a monthly statement as CSV and PDF.
 *
 * Statements are issued for months that have closed, and nobody can pay in the past: the demo
 * seed writes the demo partner's last three months (DemoFinance, with the demo server's clock set
 * back at the first start), so the partner has statements to download. The partner's password is
 * random and only printed, so the journey sets one with a password reset (link from the admin
 * outbox), as a person would.
 */

const DEMO_PARTNER_EMAIL = 'partner@demo.lexmarket.example';
/** The demo partner's password after this journey's reset (a later run signs in with it). */
const DEMO_PARTNER_PASSWORD = 'ledger amber willow crane 9';

type Auth = { Authorization: string };

interface Totals {
  commissionAccruedMinor: number;
  paidOutMinor: number;
  pendingMinor: number;
}

/** The partner's EUR totals over the default range (the last 12 months), from the API. */
async function eurTotals(request: APIRequestContext, auth: Auth): Promise<Totals> {
  const response = await request.get('/api/partner/reports', { headers: auth });
  expect(response.status(), await response.text()).toBe(200);
  const { currencies } = (await response.json()) as { currencies: { currency: string; totals: Totals }[] };
  return currencies.find((c) => c.currency === 'EUR')?.totals ?? { commissionAccruedMinor: 0, paidOutMinor: 0, pendingMinor: 0 };
}

/** "1,234.56": the digits the SPA shows for an amount in minor units, whatever the currency sign. */
const digits = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  expect(path, 'the download was saved').toBeTruthy();
  return readFileSync(path!);
}

async function openDashboard(page: Page): Promise<void> {
  await page.goto('/partner/reports');
  await expect(page.getByRole('heading', { level: 1, name: 'Partner dashboard' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Commission in EUR' })).toBeVisible();
}

test.describe('partner reports, payouts and statements', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Finance Admin');
  });

  test('a referred client pays, the partner sees the commission, the admin pays it out, the partner downloads the statement', async ({
    browser,
    request,
  }, testInfo) => {
    test.setTimeout(300_000);
    const shot = (name: string, page: Page) => page.screenshot({ path: testInfo.outputPath(name), fullPage: true });

    const partner = await demoAccount(request, admin, { email: DEMO_PARTNER_EMAIL, password: DEMO_PARTNER_PASSWORD });
    const partnerAuth = { Authorization: `Bearer ${await bearerFor(request, partner)}` };
    const before = await eurTotals(request, partnerAuth);
    const linkResponse = await request.get('/api/partner/referral-link', { headers: partnerAuth });
    expect(linkResponse.status(), await linkResponse.text()).toBe(200);
    const { url: link } = (await linkResponse.json()) as { url: string };

    // 1. A client opens the partner's link in their own browser and signs up (the code is prefilled).
    const clientEmail = uniqueEmail('referred');
    const clientContext = await browser.newContext();
    const clientPage = await clientContext.newPage();
    await clientPage.goto(new URL(link).pathname + new URL(link).search);
    await expect(clientPage.getByLabel(/^Referral code/)).toHaveValue(new URL(link).searchParams.get('ref') ?? '');
    await clientPage.getByRole('radio', { name: 'I need legal advice' }).check();
    await clientPage.getByLabel('Full name').fill(`Referred ${uniqueWord()}`);
    await clientPage.getByLabel('Email').fill(clientEmail);
    await clientPage.getByLabel(/^Password/).fill(PASSWORD);
    await acceptTerms(clientPage);
    await clientPage.getByRole('button', { name: 'Create account' }).click();
    await continuePastCheckInbox(clientPage, clientEmail);
    await clientContext.close();
    await verifyEmail(request, admin, clientEmail);

    // 2. They book and pay a EUR consultation (sandbox checkout, signed webhook).
    const lawyer = await createBookableLawyer(request, admin, {
      displayName: `Marta ${uniqueWord()}`,
      offeringTitle: 'Contract review',
      priceMinor: 40_000,
      currency: 'EUR',
      durationMinutes: 30,
      timeZone: 'UTC',
    });
    await freeAroundTheClock(request, lawyer);
    await payAndBook(request, { email: clientEmail, password: PASSWORD }, lawyer.offeringId, {
      why: 'any free slot',
      slot: (free) => free[0]?.startAt,
    });

    // 3. The partner's dashboard shows the commission of that payment.
    let afterPayment = before;
    await expect(async () => {
      afterPayment = await eurTotals(request, partnerAuth);
      expect(afterPayment.commissionAccruedMinor).toBeGreaterThan(before.commissionAccruedMinor);
    }).toPass({ timeout: 30_000 });
    const partnerContext = await browser.newContext();
    const partnerPage = await partnerContext.newPage();
    await signIn(partnerPage, partner);
    await openDashboard(partnerPage);
    const eur = partnerPage.getByRole('group', { name: 'EUR totals' });
    await expect(eur).toContainText(digits(afterPayment.commissionAccruedMinor));
    await expect(eur).toContainText(digits(afterPayment.pendingMinor));
    await expect(partnerPage.getByRole('img', { name: /Commission in EUR/ })).toBeVisible();
    await expect(partnerPage.getByRole('table', { name: /Referral funnel/i })).toBeVisible();
    await shot('partner-dashboard-with-chart.png', partnerPage);

    // 4. The admin records a payout of everything owed to the partner in EUR, after a confirmation.
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    // Partners only: on a shared e2e server many lawyers are owed more, which would push a small
    // partner balance off the first page.
    await adminPage.goto('/admin/payouts?role=PARTNER');
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Payouts' })).toBeVisible();
    // Whoever is owed any EUR (the platform's minimum would hide a small balance).
    const filters = adminPage.getByRole('form', { name: 'Pending payout filters' });
    await filters.getByLabel('Currency').fill('EUR');
    await filters.getByLabel('Minimum owed').fill('0.01');
    const row = adminPage
      .getByRole('table', { name: 'Owed now' })
      .getByRole('row')
      .filter({ hasText: partner.displayName })
      .filter({ hasText: 'EUR' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(digits(afterPayment.pendingMinor));
    await shot('admin-payouts-pending.png', adminPage);
    await row.getByRole('button', { name: 'Record payout' }).click();
    const dialog = adminPage.getByRole('dialog', { name: `Record a payout to ${partner.displayName}` });
    await expect(dialog).toBeVisible();
    const reference = `SEPA-${uniqueWord().toUpperCase()}`;
    await dialog.getByLabel('Reference').fill(reference);
    await dialog.getByRole('button', { name: 'Review payout' }).click();
    await expect(dialog).toContainText(digits(afterPayment.pendingMinor));
    await expect(dialog).toContainText(partner.displayName);
    await shot('admin-payout-confirmation.png', adminPage);
    await dialog.getByRole('button', { name: 'Confirm payout' }).click();
    await expect(dialog).toBeHidden();
    await expect(adminPage.getByRole('region', { name: 'History' })).toContainText(reference);
    await shot('admin-payout-recorded.png', adminPage);
    await adminContext.close();

    const afterPayout = await eurTotals(request, partnerAuth);
    expect(afterPayout.paidOutMinor).toBe(afterPayment.paidOutMinor + afterPayment.pendingMinor);
    expect(afterPayout.pendingMinor).toBe(0);

    // 5. The partner sees the payout and downloads a monthly statement as CSV and PDF.
    await openDashboard(partnerPage);
    await expect(partnerPage.getByRole('group', { name: 'EUR totals' })).toContainText(digits(afterPayout.paidOutMinor));
    const payouts = partnerPage.getByRole('region', { name: 'Payouts' });
    await expect(payouts).toContainText(reference);
    await expect(payouts).toContainText(digits(afterPayment.pendingMinor));
    const statements = partnerPage.getByRole('region', { name: 'Statements' });
    const firstStatement = statements.getByRole('row').nth(1);
    await expect(firstStatement).toContainText(/ST-\d{6}-\d{6}/);
    const number = /ST-\d{6}-\d{6}/.exec((await firstStatement.textContent()) ?? '')![0];
    const [csvDownload] = await Promise.all([
      partnerPage.waitForEvent('download'),
      firstStatement.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csv = (await saved(csvDownload)).toString('utf8');
    expect(csv).toContain(number);
    expect(csv.split(/\r?\n/).length).toBeGreaterThan(3);
    const [pdfDownload] = await Promise.all([
      partnerPage.waitForEvent('download'),
      firstStatement.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect((await saved(pdfDownload)).subarray(0, 5).toString()).toBe('%PDF-');
    await shot('partner-payout-and-statements.png', partnerPage);
    await partnerContext.close();
  });
});
