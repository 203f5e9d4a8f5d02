import { createAdminWithCli, signIn } from './support/accounts';
import { expect, test } from './support/test';

test.describe('landing page', () => {
  test('introduces the marketplace to consumers, without developer tools', async ({ page }, testInfo) => {
    await page.goto('/');

    await expect(page.getByRole('heading', { level: 1, name: /^Legal advice from verified lawyers/ })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('link', { name: 'Find a lawyer' })).toBeVisible();

    // Operators' things live in the admin area; integrators find the API docs under "Developers".
    await expect(page.getByRole('region', { name: 'Platform status' })).toHaveCount(0);
    await expect(page.getByText(/database|background jobs/i)).toHaveCount(0);
    await expect(page.getByRole('link', { name: /API documentation/i })).toHaveCount(0);
    const developers = page.getByRole('contentinfo').getByRole('link', { name: 'Developers' });
    await expect(developers).toHaveAttribute('href', '/api/docs');

    const screenshot = testInfo.outputPath('landing.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    await testInfo.attach('landing', { path: screenshot, contentType: 'image/png' });
  });

  test('the first Tab reaches "Skip to main content", which moves focus to the page', async ({ page }) => {
    await page.goto('/lawyers');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('main')).toBeFocused();
    // The next Tab lands inside the page, past the header's navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('main')?.contains(document.activeElement))).toBe(true);
  });

  test('admins see the platform status in the admin area', async ({ page }) => {
    test.setTimeout(120_000); // the admin is created with the CLI first
    const admin = createAdminWithCli('Status Admin');
    await signIn(page, admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System status' }).click();

    await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();
    const status = page.getByRole('region', { name: 'Platform status' });
    // The first answer can take a moment while the API warms up; the card polls every 15 s.
    await expect(status.getByText('All systems operational')).toBeVisible({ timeout: 30_000 });
    const components = status.getByRole('list', { name: 'Components' });
    for (const component of ['Database', 'Storage', 'Background jobs']) {
      const row = components.getByRole('listitem').filter({ hasText: component });
      await expect(row.getByText('up', { exact: true })).toBeVisible();
    }
    await expect(status.getByText(/^API version \S+/)).toBeVisible();
    await expect(page.getByRole('main').getByRole('link', { name: 'API documentation' })).toHaveAttribute('href', '/api/docs');
  });

  test('an unknown address shows the not-found page with a way back', async ({ page }) => {
    await page.goto('/this-page-does-not-exist');

    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Back to the home page' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Legal advice from verified lawyers' })).toBeVisible();
  });

  test('the API documentation is served', async ({ request }) => {
    const response = await request.get('/api/docs');

    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/html');
  });
});
