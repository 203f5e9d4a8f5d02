import type { components } from '@lm/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { WebhookDeliveryPage } from './webhook-delivery-page';
import { WebhookEndpointPage } from './webhook-endpoint-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

type Endpoint = components['schemas']['WebhookEndpointResponse'];
type Detail = components['schemas']['WebhookDeliveryDetailResponse'];

const me = () =>
  Response.json({
    id: '00000000-0000-4000-8000-000000000001',
    email: 'me@example.com',
    role: 'CLIENT',
    status: 'ACTIVE',
    displayName: 'Me',
    timeZone: 'UTC',
    locale: 'en',
    emailVerified: true,
    emailVerifiedAt: null,
    termsVersion: null,
    termsAcceptedAt: null,
    createdAt: '2026-01-02T10:00:00.000Z',
  });

const ID = '00000000-0000-4000-8000-0000000000e1';
const DELIVERY = '00000000-0000-4000-8000-0000000000d1';
const endpoint: Endpoint = {
  id: ID,
  url: 'https://crm.example.com/hooks',
  description: null,
  eventTypes: ['session.paid'],
  status: 'ACTIVE',
  disabledAt: null,
  disabledReason: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
};
const delivered: Detail = {
  id: DELIVERY,
  endpointId: ID,
  eventId: 'evt_123',
  eventType: 'webhook.test',
  status: 'DELIVERED',
  attempts: 1,
  nextAttemptAt: null,
  lastAttemptAt: '2026-01-03T09:00:01.000Z',
  lastStatusCode: 204,
  lastError: null,
  lastDurationMs: 42,
  deliveredAt: '2026-01-03T09:00:01.000Z',
  createdAt: '2026-01-03T09:00:00.000Z',
  requestBody: '{"id":"evt_123","type":"webhook.test","created":"2026-01-03T09:00:00.000Z","data":{"hello":"world"}}',
  responseExcerpt: 'thanks',
  history: [
    { at: '2026-01-03T09:00:01.000Z', statusCode: 204, error: null, durationMs: 42, manual: false, signature: 't=1,v1=abc' },
  ],
};
const { requestBody: _body, responseExcerpt: _excerpt, history: _history, ...listed } = delivered;

describe('WebhookEndpointPage', () => {
  it('lists deliveries newest first with their outcome, and sends a test event', async () => {
    const asked = serve({
      'GET /api/auth/me': me,
      [`GET /api/webhooks/endpoints/${ID}`]: () => Response.json(endpoint),
      [`GET /api/webhooks/endpoints/${ID}/deliveries`]: () => Response.json({ items: [listed], total: 1, page: 1, pageSize: 20 }),
      [`POST /api/webhooks/endpoints/${ID}/test`]: () =>
        Response.json({ eventId: 'evt_456', deliveryId: DELIVERY }, { status: 202 }),
    });
    renderPage(<WebhookEndpointPage />, {
      path: '/account/developers/webhooks/:id',
      route: `/account/developers/webhooks/${ID}`,
    });

    const table = await screen.findByRole('table', { name: 'Deliveries' });
    const row = within(table).getByRole('row', { name: /evt_123/ });
    expect(within(row).getByText('webhook.test')).toBeVisible();
    expect(within(row).getByText('Delivered')).toBeVisible();
    expect(within(row).getByText('204')).toBeVisible();
    expect(within(row).getByText('42 ms')).toBeVisible();
    expect(screen.getByText('1 delivery')).toBeVisible();
    expect(asked[`GET /api/webhooks/endpoints/${ID}/deliveries`]![0]!.get('page')).toBe('1');

    await userEvent.click(screen.getByRole('button', { name: 'Send test event' }));
    await waitFor(() => expect(asked[`POST /api/webhooks/endpoints/${ID}/test`]).toHaveLength(1));
    // The list is asked again, so the new delivery shows.
    await waitFor(() => expect(asked[`GET /api/webhooks/endpoints/${ID}/deliveries`]!.length).toBeGreaterThan(1));
  });

  it('rotates the secret after confirming and shows the new one with the overlap', async () => {
    serve({
      'GET /api/auth/me': me,
      [`GET /api/webhooks/endpoints/${ID}`]: () => Response.json(endpoint),
      [`GET /api/webhooks/endpoints/${ID}/deliveries`]: () => Response.json({ items: [], total: 0, page: 1, pageSize: 20 }),
      [`POST /api/webhooks/endpoints/${ID}/rotate-secret`]: () =>
        Response.json({ endpoint: { ...endpoint, previousSecretExpiresAt: '2026-01-04T09:00:00.000Z' }, secret: 'whsec_new' }),
    });
    renderPage(<WebhookEndpointPage />, {
      path: '/account/developers/webhooks/:id',
      route: `/account/developers/webhooks/${ID}`,
    });
    expect(await screen.findByText('No deliveries yet')).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Rotate secret' }));
    const confirm = await screen.findByRole('dialog', { name: 'Rotate the signing secret?' });
    expect(within(confirm).getByText(/keeps signing as well/)).toBeInTheDocument();
    await userEvent.click(within(confirm).getByRole('button', { name: 'Rotate secret' }));
    const shown = await screen.findByRole('dialog', { name: 'Your new signing secret' });
    expect(within(shown).getByRole('textbox', { name: /Signing secret/ })).toHaveValue('whsec_new');
    expect(shown).toHaveTextContent(/previous secret stops signing on Sun, Jan 4, 2026, 9:00/);
  });

  it('says why a test event cannot be sent to a disabled endpoint', async () => {
    serve({
      'GET /api/auth/me': me,
      [`GET /api/webhooks/endpoints/${ID}`]: () => Response.json({ ...endpoint, status: 'DISABLED', disabledReason: 'failing' }),
      [`GET /api/webhooks/endpoints/${ID}/deliveries`]: () => Response.json({ items: [], total: 0, page: 1, pageSize: 20 }),
    });
    renderPage(<WebhookEndpointPage />, {
      path: '/account/developers/webhooks/:id',
      route: `/account/developers/webhooks/${ID}`,
    });
    expect(await screen.findByText(/failed for 3 days/)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Send test event' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Enable' })).toBeVisible();
  });

  it('words a missing endpoint', async () => {
    serve({
      'GET /api/auth/me': me,
      [`GET /api/webhooks/endpoints/${ID}`]: () => apiError(404, 'WEBHOOK_ENDPOINT_NOT_FOUND', 'Webhook endpoint not found'),
    });
    renderPage(<WebhookEndpointPage />, {
      path: '/account/developers/webhooks/:id',
      route: `/account/developers/webhooks/${ID}`,
    });
    expect(await screen.findByRole('alert')).toHaveTextContent('does not exist any more');
  });
});

describe('WebhookDeliveryPage', () => {
  it('shows the request (pretty JSON, signature), the response and the attempts, and replays', async () => {
    const asked = serve({
      'GET /api/auth/me': me,
      [`GET /api/webhooks/deliveries/${DELIVERY}`]: () => Response.json(delivered),
      [`POST /api/webhooks/deliveries/${DELIVERY}/replay`]: () =>
        Response.json({
          ...delivered,
          attempts: 2,
          lastStatusCode: 500,
          history: [
            ...delivered.history,
            {
              at: '2026-01-03T10:00:00.000Z',
              statusCode: 500,
              error: null,
              durationMs: 1500,
              manual: true,
              signature: 't=2,v1=def',
            },
          ],
          responseExcerpt: 'oops',
        }),
    });
    renderPage(<WebhookDeliveryPage />, { path: '/d/:id', route: `/d/${DELIVERY}` });

    const body = await screen.findByLabelText('Request body');
    expect(body.textContent).toContain('{\n  "id": "evt_123",');
    expect(body.textContent).toContain('"hello": "world"');
    expect(screen.getByLabelText('Request headers').textContent).toContain('LexMarket-Signature: t=1,v1=abc');
    expect(screen.getByLabelText('Response body (first 4 KiB)')).toHaveTextContent('thanks');
    expect(within(screen.getByRole('table', { name: 'Attempts' })).getAllByRole('row')).toHaveLength(2);

    await userEvent.click(screen.getByRole('button', { name: 'Replay' }));
    expect(await screen.findByText(/your endpoint answered HTTP 500 in 1\.5 s/)).toBeVisible();
    expect(asked[`POST /api/webhooks/deliveries/${DELIVERY}/replay`]).toHaveLength(1);
    expect(screen.getByLabelText('Request headers').textContent).toContain('LexMarket-Signature: t=2,v1=def');
    const attempts = within(screen.getByRole('table', { name: 'Attempts' })).getAllByRole('row');
    expect(attempts).toHaveLength(3);
    expect(attempts[1]).toHaveTextContent('Replay');
  });
});
