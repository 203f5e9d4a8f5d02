import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { expect, test } from './support/test';
import { acceptTerms, createAdminWithCli, PASSWORD, registerViaApi, signIn, uniqueEmail, type Account } from './support/accounts';
import { bearerFor, createBookableLawyer, verifyEmail } from './support/marketplace';

/** Issue 11 #11 and #12: consent and "check your inbox" at sign-up; the admin's review, audit log, payments and session detail. */
test.describe('sign-up consent and verification email', () => {
  test('consent is required, the inbox screen names the address and resends, a dead link offers a new one', async ({ page, browser }, testInfo) => {
    await page.goto('/terms');
    await expect(page.getByRole('heading', { level: 1, name: 'Terms of service' })).toBeVisible();
    await expect(page.getByText(/^Version \d{4}-\d\d-\d\d\./)).toBeVisible();
    await page.getByRole('link', { name: 'privacy policy' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Privacy policy' })).toBeVisible();

    const email = uniqueEmail('consent');
    await page.goto('/sign-up');
    await page.getByRole('radio', { name: 'I need legal advice' }).check();
    await page.getByLabel('Full name').fill('Clara Consent');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const consent = page.getByRole('checkbox', { name: /I accept the terms of service and the privacy policy/ });
    await expect(consent).toHaveAccessibleDescription(/Accept the terms of service and the privacy policy to create an account/);
    await expect(consent).toBeFocused();
    await expect(page).toHaveURL(/\/sign-up$/);
    await page.screenshot({ path: testInfo.outputPath('sign-up-consent-required.png'), fullPage: true });

    await acceptTerms(page);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Check your inbox' })).toBeVisible();
    await expect(page.getByText(email.toLowerCase())).toBeVisible();
    await page.getByRole('button', { name: 'Resend the verification email' }).click();
    await expect(page.getByRole('status').filter({ hasText: `A new link is on its way to ${email.toLowerCase()}` })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('check-your-inbox.png'), fullPage: true });

    // A used or expired link, signed in: a real resend button.
    await page.goto('/verify-email?token=already-used-or-expired');
    await expect(page.getByRole('alert').filter({ hasText: 'This link cannot be used' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Resend the verification email' })).toBeVisible();

    // Signed out: sign in, then land where the link can be resent.
    const other = await browser.newContext();
    const anonymous = await other.newPage();
    await anonymous.goto('/verify-email?token=already-used-or-expired');
    await anonymous.getByRole('link', { name: 'Sign in to get a new link' }).click();
    await anonymous.getByLabel('Email').fill(email);
    await anonymous.getByLabel(/^Password/).fill(PASSWORD);
    await anonymous.getByRole('button', { name: 'Sign in' }).click();
    await expect(anonymous.getByRole('heading', { level: 1, name: 'Check your inbox' })).toBeVisible();
    await expect(anonymous.getByRole('button', { name: 'Resend the verification email' })).toBeVisible();
    await other.close();
  });
});

test.describe('admin: review, audit log, payments, session detail', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Review Admin');
  });

  test('an admin reviews a lawyer with a licence, verifies after confirming, and finds it all by name', async ({ page, request }, testInfo) => {
    test.setTimeout(180_000);
    const tag = randomBytes(3).toString('hex');

    // A pending lawyer with a complete profile and a licence document (through the API, as the SPA sends it).
    const lawyer = await registerViaApi(request, 'LAWYER', `Nadia Kaya ${tag}`);
    const lawyerAuth = { Authorization: `Bearer ${await bearerFor(request, lawyer)}` };
    const { id: lawyerId } = (await (await request.get('/api/auth/me', { headers: lawyerAuth })).json()) as { id: string };
    const profile = await request.put('/api/lawyer/profile', {
      headers: lawyerAuth,
      data: {
        barNumber: `ICAB-${tag}`,
        barJurisdiction: 'Barcelona, Spain',
        jurisdictions: ['ES'],
        practiceAreas: ['employment'],
        languages: ['es', 'en'],
        bio: `Employment lawyer in Barcelona ${tag}.`,
      },
    });
    expect(profile.status(), await profile.text()).toBe(200);
    const pdf = Buffer.from(`%PDF-1.4\n% licence of ${tag}\n%%EOF\n`);
    const licence = await request.put('/api/lawyer/profile/licence', { headers: { ...lawyerAuth, 'content-type': 'application/pdf' }, data: pdf });
    expect(licence.status(), await licence.text()).toBe(200);

    await signIn(page, admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Verification queue' }).click();
    await page.getByRole('link', { name: `Review ${lawyer.displayName}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    const profileRegion = page.getByRole('region', { name: 'Profile' });
    await expect(profileRegion.getByText(`Employment lawyer in Barcelona ${tag}.`)).toBeVisible();
    await expect(profileRegion.getByText(`ICAB-${tag}`)).toBeVisible();
    await expect(profileRegion.getByText('Spain (ES)')).toBeVisible();
    await expect(profileRegion.getByText(/Spanish \(es\), English \(en\)/)).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('region', { name: 'Licence document' }).getByRole('button', { name: 'Download licence document' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`licence-${lawyerId}.pdf`);
    expect(Buffer.compare(await readFile((await file.path())!), pdf)).toBe(0);
    await page.screenshot({ path: testInfo.outputPath('admin-lawyer-review.png'), fullPage: true });

    await page.getByRole('button', { name: 'Verify…' }).click();
    const confirm = page.getByRole('dialog', { name: `Verify ${lawyer.displayName}?` });
    await expect(confirm.getByRole('button', { name: 'Close' })).toBeVisible();
    await expect(confirm.getByText('the uploaded licence document;')).toBeVisible();
    await confirm.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(confirm).toBeHidden();
    // Verified: no more Verify button, and the public profile is linked.
    await expect(page.getByRole('link', { name: 'Public profile' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Verify…' })).toHaveCount(0);

    // The audit log says who opened the document, by name, with the raw entry on demand; the filter survives a reload.
    await page.goto(`/admin/audit?action=lawyer.licence_downloaded&subjectId=${lawyerId}`);
    const entries = page.getByRole('table', { name: 'Audit entries' });
    await expect(entries.getByText(`Admin ${admin.displayName} opened the licence document of lawyer ${lawyer.displayName}`)).toBeVisible();
    await entries.getByRole('button', { name: /Show the raw entry/ }).click();
    await expect(entries.getByText(/"subjectId": "/)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Action')).toHaveValue('lawyer.licence_downloaded');
    await page.goto(`/admin/audit?action=lawyer.verified&actor=${encodeURIComponent(admin.displayName)}&subjectId=${lawyerId}`);
    await expect(page.getByRole('table', { name: 'Audit entries' }).getByText(`Admin ${admin.displayName} verified lawyer ${lawyer.displayName}`)).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('admin-audit-log-names.png'), fullPage: true });

    // A paid session: a client pays in the (sandbox) checkout.
    const seller = await createBookableLawyer(request, admin, {
      displayName: `Ortega, "Pay" ${tag}`,
      offeringTitle: `Dismissal review ${tag}`,
      priceMinor: 9000,
      currency: 'EUR',
      durationMinutes: 45,
    });
    const client = await registerViaApi(request, 'CLIENT', `Client ${tag}`);
    await verifyEmail(request, admin, client.email); // booking needs a verified address
    const checkout = await request.post('/api/checkout/create-session', {
      headers: { Authorization: `Bearer ${await bearerFor(request, client)}` },
      data: { offeringId: seller.offeringId },
    });
    expect(checkout.status(), await checkout.text()).toBeLessThan(300);
    const { checkoutUrl, sessionId } = (await checkout.json()) as { checkoutUrl: string; sessionId: string };
    const payer = await page.context().browser()!.newContext();
    const payerPage = await payer.newPage();
    await payerPage.goto(checkoutUrl);
    // The payer here is signed out, so the SPA sends the return page on to /sign-in at once:
    // wait for the sandbox's redirect itself to commit, not for an address that may be gone.
    const returned = payerPage.waitForURL(/checkout=success/, { waitUntil: 'commit' });
    await payerPage.getByRole('button', { name: /^Pay / }).click();
    await returned;
    await payer.close();

    // Payments: filters in the address, totals of the filtered set, CSV of the same set.
    // The payment is recorded when the (signed) webhook arrives: wait for it through the API.
    const adminAuth = { Authorization: `Bearer ${await bearerFor(request, admin)}` };
    await expect
      .poll(async () => ((await (await request.get(`/api/admin/payments?q=${tag}`, { headers: adminAuth })).json()) as { total: number }).total, {
        timeout: 30_000,
      })
      .toBe(1);
    await page.goto(`/admin/payments?q=${tag}`);
    await expect(page.getByRole('table', { name: 'Payments' }).getByRole('row').filter({ hasText: seller.offeringTitle })).toHaveCount(1);
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Paid (nothing refunded)' }).click();
    await expect(page).toHaveURL(/status=PAID/);
    await expect(page).toHaveURL(new RegExp(`q=${tag}`));
    const totals = page.getByRole('table', { name: 'Totals per currency' });
    await expect(totals.getByRole('row').filter({ hasText: 'EUR' })).toContainText('€90.00');
    await page.screenshot({ path: testInfo.outputPath('admin-payments-filtered.png'), fullPage: true });
    const csvDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile((await (await csvDownload).path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^payment_id,created_at,status,currency,amount,refunded,net,/);
    expect(csv).toContain(`"Ortega, ""Pay"" ${tag}"`);
    expect(csv).toContain(',PAID,EUR,90.00,0.00,90.00,');

    // The consultation opens the admin's session detail.
    await page.getByRole('table', { name: 'Payments' }).getByRole('link', { name: seller.offeringTitle }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/sessions/${sessionId}$`));
    await expect(page.getByRole('heading', { level: 1, name: seller.offeringTitle })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Participants' })).toContainText(`Client ${tag}`);
    await expect(page.getByRole('region', { name: 'Participants' })).toContainText(seller.displayName);
    await expect(page.getByRole('region', { name: 'Payment and refunds' })).toContainText('Paid €90.00');
    await expect(page.getByRole('region', { name: 'Timeline' })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('admin-session-detail.png'), fullPage: true });

    // …and so does its row in the sessions list.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('table', { name: 'Sessions' }).getByRole('link', { name: seller.offeringTitle }).click();
    await expect(page).toHaveURL(new RegExp(`/admin/sessions/${sessionId}$`));
  });
});
