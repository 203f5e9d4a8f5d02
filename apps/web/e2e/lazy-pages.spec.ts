import { expect, test } from './support/test';

/** Chunks are named after their page's module (Vite): `/assets/users-page-<hash>.js`. */
const chunk = (name: string) => new RegExp(`/assets/${name}-[\\w-]+\\.js$`);

test.describe('pages load on demand', () => {
  test('the landing page downloads no other page’s code', async ({ page }) => {
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });

    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: /^Legal advice from verified lawyers/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Find a lawyer' }).first()).toBeVisible();

    expect(scripts.some((path) => chunk('landing-page').test(path))).toBe(true);
    // Other pages, the signed-in account menu, and luxon (with lib/time) are not needed here.
    for (const name of ['users-page', 'directory-page', 'session-page', 'sign-in-page', 'account-menu', 'time']) {
      expect(
        scripts.filter((path) => chunk(name).test(path)),
        name,
      ).toEqual([]);
    }
  });

  test('while the next page’s code loads, a spinner replaces the page that was there', async ({ page }) => {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(chunk('forgot-password-page'), async (route) => {
      await released;
      await route.continue();
    });

    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();

    // Nothing of the sign-in form is left to type into while the reset page is on its way
    // (React keeps it mounted but hidden until the new page replaces it).
    await expect(page.getByLabel('Loading page')).toBeVisible();
    await expect(page.getByLabel('Email')).toBeHidden();
    release();
    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
    await expect(page.getByLabel('Email')).toHaveCount(1);
  });
});
