import { expect, test } from './support/test';

test.describe('landing page', () => {
  test('introduces the marketplace and shows live API status', async ({ page }, testInfo) => {
    await page.goto('/');

    await expect(page.getByRole('heading', { level: 1, name: 'Legal advice from verified lawyers' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();

    const status = page.getByRole('region', { name: 'Platform status' });
    // The first answer can take a moment while the API warms up; the card polls every 15 s.
    await expect(status.getByText('All systems operational')).toBeVisible({ timeout: 30_000 });
    const components = status.getByRole('list', { name: 'Components' });
    for (const component of ['Database', 'Storage', 'Background jobs']) {
      const row = components.getByRole('listitem').filter({ hasText: component });
      await expect(row.getByText('up', { exact: true })).toBeVisible();
    }
    await expect(status.getByText(/^API version \S+/)).toBeVisible();

    const screenshot = testInfo.outputPath('landing.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    await testInfo.attach('landing', { path: screenshot, contentType: 'image/png' });
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
