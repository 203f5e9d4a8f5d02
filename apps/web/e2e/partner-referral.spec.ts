import { expect, test } from './support/test';
import { acceptTerms, continuePastCheckInbox, PASSWORD, registerViaApi, signIn, uniqueEmail } from './support/accounts';

test.describe('partner referrals', () => {
  test('a partner copies the link, a client signs up with it and appears in the partner’s list', async ({
    browser,
    request,
  }, testInfo) => {
    const partner = await registerViaApi(request, 'PARTNER', `Acme Legal Partners ${Date.now().toString(36)}`);

    // 1. The partner copies the referral link.
    const partnerContext = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const partnerPage = await partnerContext.newPage();
    await signIn(partnerPage, partner);
    await expect(partnerPage.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
    const referred = partnerPage.getByRole('region', { name: 'Referred users' });
    await expect(referred.getByText('No referrals yet')).toBeVisible();
    await partnerPage.getByRole('button', { name: 'Copy link' }).click();
    await expect(partnerPage.getByRole('button', { name: 'Copied' })).toBeVisible();
    const link = await partnerPage.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/\/sign-up\?ref=[A-Z0-9]+$/);
    await expect(partnerPage.getByRole('textbox', { name: 'Referral link' })).toHaveValue(link);
    await partnerPage.screenshot({ path: testInfo.outputPath('partner-referral-link.png'), fullPage: true });

    // 2. A client opens it in their own browser and signs up; the code is prefilled.
    const clientEmail = uniqueEmail('referred');
    const clientContext = await browser.newContext();
    const clientPage = await clientContext.newPage();
    await clientPage.goto(link);
    const code = new URL(link).searchParams.get('ref') ?? '';
    await expect(clientPage.getByLabel(/^Referral code/)).toHaveValue(code);
    await clientPage.getByRole('radio', { name: 'I need legal advice' }).check();
    await clientPage.getByLabel('Full name').fill('Referred Client');
    await clientPage.getByLabel('Email').fill(clientEmail);
    await clientPage.getByLabel(/^Password/).fill(PASSWORD);
    await acceptTerms(clientPage);
    await clientPage.getByRole('button', { name: 'Create account' }).click();
    await continuePastCheckInbox(clientPage, clientEmail);
    await expect(clientPage.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
    await clientContext.close();

    // 3. The partner sees the sign-up (email masked).
    await partnerPage.reload();
    const table = partnerPage.getByRole('table', { name: 'Referred users' });
    await expect(table.getByRole('row')).toHaveCount(2);
    const domain = clientEmail.split('@')[1] ?? '';
    const row = table.getByRole('row').nth(1);
    await expect(row).toContainText(`@${domain}`);
    await expect(row).not.toContainText(clientEmail);
    await expect(row).toContainText('client');
    await partnerPage.screenshot({ path: testInfo.outputPath('partner-referred-users.png'), fullPage: true });
    await partnerContext.close();
  });
});
