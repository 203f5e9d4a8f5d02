import type { components } from '@lm/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { WebhooksPage } from './webhooks-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

type Endpoint = components['schemas']['WebhookEndpointResponse'];

const me = () =>
  Response.json({
    id: '00000000-0000-4000-8000-000000000001',
    email: 'me@example.com',
    role: 'LAWYER',
    status: 'ACTIVE',
    displayName: 'Me',
    timeZone: 'America/New_York',
    locale: 'en',
    emailVerified: true,
    emailVerifiedAt: null,
    termsVersion: null,
    termsAcceptedAt: null,
    createdAt: '2026-01-02T10:00:00.000Z',
  });

const endpoint: Endpoint = {
  id: '00000000-0000-4000-8000-0000000000e1',
  url: 'https://crm.example.com/hooks',
  description: 'CRM sync',
  eventTypes: ['session.paid', 'review.published'],
  status: 'ACTIVE',
  disabledAt: null,
  disabledReason: null,
  failingSince: null,
  previousSecretExpiresAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
  updatedAt: '2026-01-02T10:00:00.000Z',
};

async function openForm() {
  await userEvent.click(await screen.findByRole('button', { name: 'Add endpoint' }));
  return screen.findByRole('dialog', { name: 'Add a webhook endpoint' });
}

describe('WebhooksPage', () => {
  it('lists endpoints with their event types, status and creation time in the account’s zone', async () => {
    serve({
      'GET /api/auth/me': me,
      'GET /api/webhooks/endpoints': () =>
        Response.json([
          endpoint,
          {
            ...endpoint,
            id: endpoint.id.replace('e1', 'e2'),
            url: 'https://b.example.com/',
            status: 'DISABLED',
            disabledReason: 'failing',
          },
        ]),
    });
    renderPage(<WebhooksPage />);
    const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
    const row = within(table).getByRole('row', { name: /crm\.example\.com/ });
    expect(within(row).getByText('session.paid')).toBeVisible();
    expect(within(row).getByText('review.published')).toBeVisible();
    expect(within(row).getByText('Active')).toBeVisible();
    // 10:00 UTC is 05:00 in New York.
    await waitFor(() => expect(within(row).getByText(/5:00/)).toBeVisible());
    expect(within(table).getByText('Disabled (failing)')).toBeVisible();
    expect(within(row).getByRole('link', { name: 'Manage https://crm.example.com/hooks' })).toHaveAttribute(
      'href',
      `/account/developers/webhooks/${endpoint.id}`,
    );
  });

  it('checks the URL and the event types before sending, and words the server’s refusal under the URL', async () => {
    const bodies: unknown[] = [];
    serve({
      'GET /api/auth/me': me,
      'GET /api/webhooks/endpoints': () => Response.json([]),
      'POST /api/webhooks/endpoints': async (_url, request) => {
        bodies.push(await request.json());
        return apiError(
          400,
          'WEBHOOK_URL_FORBIDDEN',
          'The webhook URL resolves to a loopback, private, link-local or otherwise non-public address',
        );
      },
    });
    renderPage(<WebhooksPage />);
    expect(await screen.findByText('No webhook endpoints yet')).toBeVisible();
    const dialog = await openForm();
    const url = within(dialog).getByRole('textbox', { name: /Endpoint URL/ });

    await userEvent.type(url, 'ftp://example.com/x');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByText('The URL must start with https:// or http://.')).toBeVisible();
    expect(within(dialog).getByText('Choose at least one event type.')).toBeVisible();
    expect(bodies).toHaveLength(0);

    await userEvent.clear(url);
    await userEvent.type(url, 'http://192.168.1.10/hook');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'session.paid' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByText(/points to a private or local network/)).toBeVisible();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([{ url: 'http://192.168.1.10/hook', eventTypes: ['session.paid'] }]);
  });

  it('shows the limit in words', async () => {
    serve({
      'GET /api/auth/me': me,
      'GET /api/webhooks/endpoints': () => Response.json([endpoint]),
      'POST /api/webhooks/endpoints': () =>
        apiError(409, 'WEBHOOK_ENDPOINT_LIMIT', 'You have the most webhook endpoints allowed'),
    });
    renderPage(<WebhooksPage />);
    const dialog = await openForm();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Endpoint URL/ }), 'https://a.example.com/');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'payout.created' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Delete one you no longer use');
  });

  it('creates an endpoint and shows its secret once, with a copy button', async () => {
    const bodies: unknown[] = [];
    let listed: Endpoint[] = [];
    serve({
      'GET /api/auth/me': me,
      'GET /api/webhooks/endpoints': () => Response.json(listed),
      'POST /api/webhooks/endpoints': async (_url, request) => {
        bodies.push(await request.json());
        listed = [endpoint];
        return Response.json({ ...endpoint, secret: 'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }, { status: 201 });
      },
    });
    renderPage(<WebhooksPage />);
    const dialog = await openForm();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Endpoint URL/ }), ' https://crm.example.com/hooks ');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Description/ }), 'CRM sync');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'session.paid' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'review.published' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));

    const shown = await screen.findByRole('dialog', { name: 'Your webhook signing secret' });
    expect(within(shown).getByText(/you won’t see it again/)).toBeInTheDocument();
    expect(within(shown).getByRole('textbox', { name: 'Signing secret for https://crm.example.com/hooks' })).toHaveValue(
      'whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    );
    expect(within(shown).getByRole('button', { name: 'Copy secret' })).toBeInTheDocument();
    expect(bodies).toEqual([
      { url: 'https://crm.example.com/hooks', description: 'CRM sync', eventTypes: ['session.paid', 'review.published'] },
    ]);

    await userEvent.click(within(shown).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByRole('table', { name: 'Webhook endpoints' })).toBeVisible();
    expect(document.body.textContent).not.toContain('whsec_');
  });
});
