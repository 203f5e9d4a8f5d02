import { expect, test } from './support/test';
import { acceptTerms, continuePastCheckInbox, createAdminWithCli, PASSWORD, signIn, uniqueEmail, type Account } from './support/accounts';

test.describe('lawyer verification', () => {
  let admin: Account;

  test.beforeAll(() => {
    admin = createAdminWithCli('Verification Admin');
  });

  test('a lawyer signs up, an admin verifies them, and their profile becomes public', async ({
    page,
    browser,
    request,
  }, testInfo) => {
    const lawyer: Account = {
      email: uniqueEmail('lawyer'),
      password: PASSWORD,
      displayName: `Marta Ruiz ${Date.now().toString(36)}`,
    };

    // 1. The lawyer signs up and completes the professional profile.
    await page.goto('/sign-up');
    await page.getByRole('radio', { name: 'I am a lawyer' }).check();
    await page.getByLabel('Full name').fill(lawyer.displayName);
    await page.getByLabel('Email').fill(lawyer.email);
    await page.getByLabel(/^Password/).fill(lawyer.password);
    await acceptTerms(page);
    await page.getByRole('button', { name: 'Create account' }).click();
    await continuePastCheckInbox(page, lawyer.email);

    await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
    const professional = page.getByRole('region', { name: 'Professional profile' });
    await expect(professional.getByText('Pending verification')).toBeVisible();
    await professional.getByRole('textbox', { name: 'Bar number' }).fill('ICAM-84213');
    await professional.getByRole('textbox', { name: 'Bar association' }).fill('Madrid, Spain');
    // Jurisdictions and languages are picked by name from lists (stored as codes).
    await professional.getByRole('combobox', { name: 'Jurisdictions' }).fill('Spain');
    await page.getByRole('option', { name: 'Spain', exact: true }).click();
    await professional.getByRole('combobox', { name: 'Practice areas' }).click();
    await page.getByRole('option', { name: 'Family' }).click();
    await page.getByRole('option', { name: 'Immigration' }).click();
    await page.keyboard.press('Escape');
    await professional.getByRole('combobox', { name: 'Languages' }).fill('Spanish');
    await page.getByRole('option', { name: 'Spanish', exact: true }).click();
    await professional.getByRole('combobox', { name: 'Languages' }).fill('English');
    await page.getByRole('option', { name: 'English', exact: true }).click();
    await page.keyboard.press('Escape');
    await professional.getByRole('textbox', { name: 'Bio' }).fill('Family and immigration lawyer in Madrid for 12 years.');
    await professional.getByRole('button', { name: 'Save professional profile' }).click();
    await expect(page.getByText('Your professional profile is saved.')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('lawyer-profile-pending.png'), fullPage: true });

    // Not visible to anyone while pending.
    const login = await request.post('/api/auth/login', { data: { email: lawyer.email, password: lawyer.password } });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const me = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${accessToken}` } });
    const { id: lawyerId } = (await me.json()) as { id: string };
    expect((await request.get(`/api/lawyers/${lawyerId}`)).status()).toBe(404);

    // 2. An admin verifies them from the queue (a separate browser session).
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, admin);
    await adminPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Verification queue' }).click();
    await expect(adminPage.getByRole('heading', { level: 1, name: 'Lawyer verification' })).toBeVisible();
    const row = adminPage.getByRole('table', { name: 'Lawyers' }).getByRole('row').filter({ hasText: lawyer.displayName });
    await expect(row.getByText('ICAM-84213')).toBeVisible();
    await adminPage.screenshot({ path: testInfo.outputPath('admin-verification-queue.png'), fullPage: true });
    await row.getByRole('button', { name: `Verify ${lawyer.displayName}` }).click();
    // Verifying asks for confirmation first.
    const confirm = adminPage.getByRole('dialog', { name: `Verify ${lawyer.displayName}?` });
    await expect(confirm.getByRole('button', { name: 'Close' })).toBeVisible();
    await confirm.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toHaveCount(0); // left the pending queue

    // The status filter works from the keyboard (arrow keys move between the segments).
    await adminPage.getByRole('radio', { name: 'Pending' }).focus();
    await adminPage.keyboard.press('ArrowRight');
    await expect(adminPage.getByRole('radio', { name: 'Verified' })).toBeChecked();
    const verifiedRow = adminPage
      .getByRole('table', { name: 'Lawyers' })
      .getByRole('row')
      .filter({ hasText: lawyer.displayName });
    await verifiedRow.getByRole('link', { name: 'Public profile' }).click();

    // 3. The public profile is visible — in the UI and through the API, without signing in.
    await expect(adminPage.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    await expect(adminPage.getByText('Verified lawyer')).toBeVisible();
    await expect(adminPage.getByText('Immigration', { exact: true })).toBeVisible();
    await expect(adminPage.getByText('Spain', { exact: true })).toBeVisible();
    await expect(adminPage.getByText('Spanish, English')).toBeVisible();
    await adminPage.screenshot({ path: testInfo.outputPath('public-lawyer-profile.png'), fullPage: true });
    expect(adminPage.url()).toContain(`/lawyers/${lawyerId}`);
    await adminContext.close();

    const visible = await request.get(`/api/lawyers/${lawyerId}`);
    expect(visible.status()).toBe(200);
    expect(((await visible.json()) as { displayName: string }).displayName).toBe(lawyer.displayName);

    // The lawyer sees the new status on their own dashboard.
    await page.reload();
    await expect(page.getByRole('region', { name: 'Professional profile' }).getByText('Verified', { exact: true })).toBeVisible();
  });
});
