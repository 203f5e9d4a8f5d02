import { expect, test } from './support/test';
import { registerViaApi, signIn } from './support/accounts';

test.describe('session refresh', () => {
  test('calls answered 401 at the same time share ONE refresh, are retried once, and the session survives', async ({
    page,
    request,
  }) => {
    const partner = await registerViaApi(request, 'PARTNER', `Refresh Partner ${Date.now().toString(36)}`);
    await signIn(page, partner);
    await expect(page.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();

    // The referrals page loads two resources in parallel; pretend both access tokens expired.
    const rejected = new Set<string>();
    await page.route(/\/api\/partner\/(referral-link|referrals)/, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (rejected.has(path)) return route.continue();
      rejected.add(path);
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Sign in first', requestId: 'e2e' }),
      });
    });
    const refreshes: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/refresh')) refreshes.push(r.url());
    });

    await page.reload();
    await expect(page.getByRole('textbox', { name: 'Referral link' })).toHaveValue(/\/sign-up\?ref=/);
    await expect(page.getByRole('region', { name: 'Referred users' }).getByText('No referrals yet')).toBeVisible();
    expect(rejected.size).toBe(2);
    // One refresh on load (the access token lives only in memory) and ONE for both 401s.
    expect(refreshes).toHaveLength(2);

    // Reusing a rotated refresh token would have revoked the sign-in: it is still alive.
    await page.unroute(/\/api\/partner\//);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: 'Referrals' })).toBeVisible();
    await expect(page.getByRole('button', { name: `Account menu for ${partner.displayName}` })).toBeVisible();
  });
});
