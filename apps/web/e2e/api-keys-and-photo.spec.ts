import { deflateSync } from 'node:zlib';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './support/test';
import { createAdminWithCli, registerViaApi, signIn } from './support/accounts';

/** CRC-32 as PNG chunks need it (node 20 has no zlib.crc32). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let i = 0; i < 8; i++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** A real, decodable size×size PNG of one RGB colour. */
function solidPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function bearerFor(request: APIRequestContext, email: string, password: string): Promise<string> {
  const login = await request.post('/api/auth/login', { data: { email, password } });
  expect(login.status()).toBe(200);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

test.describe('API keys and lawyer photos', () => {
  test('a lawyer uploads a photo, sees it, and it shows on the public profile once verified', async ({
    page,
    request,
  }, testInfo) => {
    const lawyer = await registerViaApi(request, 'LAWYER', `Photo Lawyer ${Date.now().toString(36)}`);
    await signIn(page, lawyer);
    await expect(page.getByRole('heading', { level: 1, name: 'Your profile' })).toBeVisible();
    const photo = page.getByRole('region', { name: 'Photo' });
    await expect(photo.getByText('No photo yet.')).toBeVisible();

    // Too large: refused in the browser, before any upload.
    let chooser = page.waitForEvent('filechooser');
    await photo.getByRole('button', { name: 'Upload photo' }).click();
    await (await chooser).setFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(2 * 1024 * 1024 + 1) });
    await expect(photo.getByRole('alert')).toContainText('the limit is 2 MB');

    // Claims to be a PNG but is not: the server's 415 is shown in words.
    chooser = page.waitForEvent('filechooser');
    await photo.getByRole('button', { name: 'Upload photo' }).click();
    await (await chooser).setFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') });
    await expect(photo.getByRole('alert')).toContainText('not a JPEG, PNG or WebP image');

    // A real PNG uploads and is previewed.
    chooser = page.waitForEvent('filechooser');
    await photo.getByRole('button', { name: 'Upload photo' }).click();
    await (await chooser).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: solidPng(16, [200, 30, 60]) });
    await expect(page.getByText('Your photo is saved.')).toBeVisible();
    const preview = photo.getByRole('img', { name: 'Your photo' });
    await expect(preview).toBeVisible();
    expect(await preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
    await expect(photo.getByRole('button', { name: 'Replace photo' })).toBeVisible();
    await expect(photo.getByRole('alert')).toHaveCount(0);
    await expect(photo.getByText('clients see it once you are verified')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('lawyer-photo-uploaded.png'), fullPage: true });

    // Complete the profile and have an admin verify it (through the API: the queue has its own journey).
    const lawyerToken = await bearerFor(request, lawyer.email, lawyer.password);
    const auth = { Authorization: `Bearer ${lawyerToken}` };
    const saved = await request.put('/api/lawyer/profile', {
      headers: auth,
      data: {
        barNumber: 'ICAM-55120',
        barJurisdiction: 'Madrid, Spain',
        jurisdictions: ['ES'],
        practiceAreas: ['family'],
        languages: ['es'],
        bio: 'Family lawyer.',
      },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    const { id: lawyerId } = (await (await request.get('/api/auth/me', { headers: auth })).json()) as { id: string };
    const admin = createAdminWithCli('Photo Admin');
    const adminToken = await bearerFor(request, admin.email, admin.password);
    const verified = await request.post(`/api/admin/lawyers/${lawyerId}/verify`, { headers: { Authorization: `Bearer ${adminToken}` } });
    expect(verified.status(), await verified.text()).toBeLessThan(300);

    // The public page shows the served photo.
    await page.goto(`/lawyers/${lawyerId}`);
    await expect(page.getByRole('heading', { level: 1, name: lawyer.displayName })).toBeVisible();
    const publicPhoto = page.locator(`img[src*="/api/lawyers/${lawyerId}/photo"]`);
    await expect(publicPhoto).toBeVisible();
    await expect.poll(() => publicPhoto.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
    await page.screenshot({ path: testInfo.outputPath('public-lawyer-photo.png'), fullPage: true });

    // And the editor now previews the served photo too.
    await page.goto('/lawyer/profile');
    const served = page.getByRole('region', { name: 'Photo' }).getByRole('img', { name: 'Your photo' });
    await expect(served).toHaveAttribute('src', new RegExp(`/api/lawyers/${lawyerId}/photo`));
  });

  test('a user creates an API key, sees it once, uses it, and revoking it stops it working', async ({
    page,
    request,
  }, testInfo) => {
    const client = await registerViaApi(request, 'CLIENT', `Key Client ${Date.now().toString(36)}`);
    await signIn(page, client);
    await page.getByRole('button', { name: `Account menu for ${client.displayName}` }).click();
    await page.getByRole('menuitem', { name: 'API keys' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
    await expect(page.getByText('No API keys yet')).toBeVisible();

    await page.getByRole('textbox', { name: 'Key name' }).fill('CRM integration');
    // Read scopes are ticked to start with; write scopes only when chosen.
    await expect(page.getByRole('checkbox', { name: 'profile:read' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'profile:write' })).not.toBeChecked();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your new API key' });
    await expect(dialog.getByText('This is the only time the key is shown.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Copy key' })).toBeVisible();
    const key = await dialog.getByRole('textbox', { name: 'API key “CRM integration”' }).inputValue();
    expect(key).toMatch(/^lmk_/);
    await expect(dialog).toHaveCSS('opacity', '1'); // the screenshot after the open transition
    await page.screenshot({ path: testInfo.outputPath('api-key-created.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await expect(dialog).toBeHidden();

    // Listed by name and prefix; the secret itself is nowhere on the page any more.
    const row = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'CRM integration' });
    await expect(row.getByText('Active')).toBeVisible();
    await expect(row.getByText('Never')).toBeVisible();
    expect(await page.content()).not.toContain(key);

    // The key works as a bearer token.
    const me = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } });
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(client.email);
    // …limited to its scopes: it may read the profile but not change it.
    const write = await request.patch('/api/auth/me', { headers: { Authorization: `Bearer ${key}` }, data: { displayName: 'Renamed' } });
    expect(write.status()).toBe(403);
    expect(((await write.json()) as { code: string }).code).toBe('INSUFFICIENT_SCOPE');

    // Revoke, with confirmation.
    await page.reload();
    await row.getByRole('button', { name: 'Revoke CRM integration' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “CRM integration”?' });
    await expect(confirm.getByText('stops working at once')).toBeVisible();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await expect(confirm).toBeHidden();
    await expect(row.getByText('Revoked')).toBeVisible();
    await expect(row.getByRole('button', { name: 'Revoke CRM integration' })).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('api-key-revoked.png'), fullPage: true });

    const after = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${key}` } });
    expect(after.status()).toBe(401);
  });
});
