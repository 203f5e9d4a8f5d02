import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { registerViaApi, signIn } from './support/accounts';
import { expect, test } from './support/test';

// The shipped helper, as an integrator's Node receiver loads it: the built (CommonJS) library,
// which this ES-module spec cannot import by name.
const { verifyWebhookSignature } = createRequire(import.meta.url)('@lm/api-client') as typeof import('@lm/api-client');

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 (an ephemeral port) that keeps every request and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('received, thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/lexmarket`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** After a Mantine modal's open transition, so a screenshot shows it. */
async function settled(page: Page, name: string) {
  const dialog = page.getByRole('dialog', { name });
  await expect(dialog).toHaveCSS('opacity', '1');
  return dialog;
}

test.describe('Developers', () => {
  test('a lawyer creates a scoped key and a webhook endpoint, sends a test event, sees the delivery and replays it', async ({
    page,
    request,
  }, testInfo) => {
    const receiver = await startReceiver();
    try {
      const lawyer = await registerViaApi(request, 'LAWYER', `Dev Lawyer ${Date.now().toString(36)}`);
      await signIn(page, lawyer);

      // A lawyer reaches Developers from the account menu (their main bar is long already).
      await page.getByRole('button', { name: `Account menu for ${lawyer.displayName}` }).click();
      await page.getByRole('menuitem', { name: 'API keys' }).click();
      await expect(page).toHaveURL(/\/account\/developers\/api-keys$/);
      await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
      const sections = page.getByRole('navigation', { name: 'Developers' });
      await expect(sections.getByRole('link', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');

      // A key that may only read sessions.
      const form = page.getByRole('form', { name: 'Create a key' });
      await form.getByRole('textbox', { name: 'Key name' }).fill('Calendar sync');
      for (const box of await form.getByRole('checkbox').all()) {
        const name = await box.getAttribute('value');
        if (name === 'sessions:read') await box.check();
        else await box.uncheck();
      }
      await expect(form.getByRole('checkbox', { checked: true })).toHaveCount(1);
      await page.screenshot({ path: testInfo.outputPath('01-api-key-scopes.png'), fullPage: true });
      await form.getByRole('button', { name: 'Create key' }).click();
      const keyDialog = await settled(page, 'Your new API key');
      const key = await keyDialog.getByRole('textbox', { name: 'API key “Calendar sync”' }).inputValue();
      expect(key).toMatch(/^lmk_/);
      await page.screenshot({ path: testInfo.outputPath('02-api-key-created.png'), fullPage: true });
      await keyDialog.getByRole('button', { name: 'I have stored it' }).click();
      await expect(keyDialog).toBeHidden();
      const keyRow = page.getByRole('table', { name: 'API keys' }).getByRole('row').filter({ hasText: 'Calendar sync' });
      await expect(keyRow.getByText('sessions:read', { exact: true })).toBeVisible();

      // The key reads sessions, and is refused a write for want of its scope.
      const bearer = { Authorization: `Bearer ${key}` };
      const sessions = await request.get('/api/sessions', { headers: bearer });
      expect(sessions.status(), await sessions.text()).toBe(200);
      const write = await request.post(`/api/sessions/${randomUUID()}/reschedule-proposal`, { headers: bearer, data: {} });
      expect(write.status(), await write.text()).toBe(403);
      expect(((await write.json()) as { code: string }).code).toBe('INSUFFICIENT_SCOPE');

      // Webhooks: none yet.
      await sections.getByRole('link', { name: 'Webhooks' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
      await expect(page.getByText('No webhook endpoints yet')).toBeVisible();

      // A URL that is not http(s) is refused before it is sent.
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const add = await settled(page, 'Add a webhook endpoint');
      await add.getByRole('textbox', { name: /Endpoint URL/ }).fill('ftp://example.com/hook');
      await add.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(add.getByText('The URL must start with https:// or http://.')).toBeVisible();
      await expect(add.getByText('Choose at least one event type.')).toBeVisible();

      await add.getByRole('textbox', { name: /Endpoint URL/ }).fill(receiver.url);
      await add.getByRole('textbox', { name: /Description/ }).fill('Local receiver');
      await add.getByRole('checkbox', { name: 'session.paid' }).check();
      await add.getByRole('checkbox', { name: 'review.published' }).check();
      await page.screenshot({ path: testInfo.outputPath('03-webhook-add.png'), fullPage: true });
      await add.getByRole('button', { name: 'Add endpoint' }).click();

      // The signing secret, once.
      const secretDialog = await settled(page, 'Your webhook signing secret');
      await expect(secretDialog.getByText('you won’t see it again', { exact: false })).toBeVisible();
      await expect(secretDialog.getByRole('button', { name: 'Copy secret' })).toBeVisible();
      const secret = await secretDialog.getByRole('textbox', { name: `Signing secret for ${receiver.url}` }).inputValue();
      expect(secret).toMatch(/^whsec_/);
      await page.screenshot({ path: testInfo.outputPath('04-webhook-secret.png'), fullPage: true });
      await secretDialog.getByRole('button', { name: 'I have stored it' }).click();
      await expect(secretDialog).toBeHidden();
      expect(await page.content()).not.toContain(secret);

      const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
      const endpointRow = endpoints.getByRole('row').filter({ hasText: receiver.url });
      await expect(endpointRow.getByText('Active')).toBeVisible();
      await expect(endpointRow.getByText('session.paid')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('05-webhooks-list.png'), fullPage: true });

      // Send a test event: the receiver gets it, signed with that secret.
      await endpointRow.getByRole('link', { name: `Manage ${receiver.url}` }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Webhook endpoint' })).toBeVisible();
      await expect(page.getByText('No deliveries yet')).toBeVisible();
      await page.getByRole('button', { name: 'Send test event' }).click();
      await expect(page.getByText('Test event sent')).toBeVisible();
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(1);
      const first = receiver.received[0]!;
      const event = JSON.parse(first.body) as { id: string; type: string };
      expect(event.type).toBe('webhook.test');
      expect(first.headers['lexmarket-event-id']).toBe(event.id);
      expect(
        await verifyWebhookSignature({ payload: first.body, header: first.headers['lexmarket-signature'] as string, secret }),
      ).toBe(true);
      expect(
        await verifyWebhookSignature({
          payload: first.body,
          header: first.headers['lexmarket-signature'] as string,
          secret: 'whsec_wrong',
        }),
      ).toBe(false);

      // The delivery log shows it delivered with the receiver's 200.
      const deliveryRow = page.getByRole('table', { name: 'Deliveries' }).getByRole('row').filter({ hasText: event.id });
      await expect(deliveryRow.getByText('Delivered')).toBeVisible({ timeout: 15_000 });
      await expect(deliveryRow.getByText('200', { exact: true })).toBeVisible();
      await expect(deliveryRow.getByText('webhook.test')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath('06-webhook-deliveries.png'), fullPage: true });

      // Its detail: the body sent, the signature header, the response.
      await deliveryRow.getByRole('link', { name: `Details of webhook.test ${event.id}` }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Delivery' })).toBeVisible();
      await expect(page.getByLabel('Request body')).toContainText(`"id": "${event.id}"`);
      await expect(page.getByLabel('Request headers')).toContainText(
        `LexMarket-Signature: ${first.headers['lexmarket-signature']}`,
      );
      await expect(page.getByLabel('Response body (first 4 KiB)')).toHaveText('received, thanks');
      await page.screenshot({ path: testInfo.outputPath('07-webhook-delivery.png'), fullPage: true });

      // Replay: the receiver gets the same event again, and the page says how it went.
      await page.getByRole('button', { name: 'Replay' }).click();
      await expect(page.getByRole('status').getByText(/your endpoint answered HTTP 200/)).toBeVisible();
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.headers['lexmarket-event-id']).toBe(event.id);
      expect(JSON.parse(receiver.received[1]!.body)).toEqual(JSON.parse(first.body));
      expect(
        await verifyWebhookSignature({
          payload: receiver.received[1]!.body,
          header: receiver.received[1]!.headers['lexmarket-signature'] as string,
          secret,
        }),
      ).toBe(true);
      const attempts = page.getByRole('table', { name: 'Attempts' }).getByRole('row');
      await expect(attempts).toHaveCount(3);
      await expect(attempts.nth(1)).toContainText('Replay');
      await page.screenshot({ path: testInfo.outputPath('08-webhook-replayed.png'), fullPage: true });

      // Back on the endpoint, the log counts two attempts.
      await page.getByRole('link', { name: '← Back to the endpoint' }).click();
      const again = page.getByRole('table', { name: 'Deliveries' }).getByRole('row').filter({ hasText: event.id });
      await expect(again.getByRole('cell').nth(5)).toHaveText('2');

      // On a phone: the list is cards, nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto('/account/developers/webhooks');
      await expect(page.getByRole('table', { name: 'Webhook endpoints' }).getByText(receiver.url)).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.screenshot({ path: testInfo.outputPath('09-webhooks-list-390.png'), fullPage: true });
    } finally {
      await receiver.close();
    }
  });

  test('the old API keys address still opens the API keys section', async ({ page, request }) => {
    const client = await registerViaApi(request, 'CLIENT', `Old Link ${Date.now().toString(36)}`);
    await signIn(page, client);
    await page.goto('/account/api-keys');
    await expect(page).toHaveURL(/\/account\/developers\/api-keys$/);
    await expect(page.getByRole('heading', { level: 1, name: 'API keys' })).toBeVisible();
  });
});
