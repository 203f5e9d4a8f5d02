import type { components } from '@lm/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { ApiKeysPage } from './api-keys-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

type ApiKey = components['schemas']['ApiKeyResponse'];

const me = (role: string) =>
  Response.json({
    id: '00000000-0000-4000-8000-000000000001',
    email: 'me@example.com',
    role,
    status: 'ACTIVE',
    displayName: 'Me',
    timeZone: 'Europe/Madrid',
    locale: 'en',
    emailVerified: true,
    emailVerifiedAt: null,
    termsVersion: null,
    termsAcceptedAt: null,
    createdAt: '2026-01-02T10:00:00.000Z',
  });

const listed: ApiKey = {
  id: '00000000-0000-4000-8000-000000000009',
  name: 'Reporting',
  prefix: 'lmk_0badcafe',
  createdAt: '2026-01-02T10:00:00.000Z',
  lastUsedAt: null,
  revokedAt: null,
  scopes: ['sessions:read', 'reviews:read'],
  expiresAt: null,
  rateLimitPerMinute: 600,
};

describe('ApiKeysPage', () => {
  it('lists scopes and expiry; offers the role’s scopes with read ones ticked, and sends the chosen ones', async () => {
    const bodies: unknown[] = [];
    serve({
      'GET /api/auth/me': () => me('ADMIN'),
      'GET /api/api-keys': () => Response.json([listed]),
      'POST /api/api-keys': async (_url, request) => {
        bodies.push(await request.json());
        return Response.json({ ...listed, name: 'CRM', key: `lmk_0badcafe_${'A'.repeat(43)}` }, { status: 201 });
      },
    });
    renderPage(<ApiKeysPage />, { path: '/account/api-keys', route: '/account/api-keys' });

    const row = within(await screen.findByRole('table', { name: 'API keys' })).getByRole('row', { name: /Reporting/ });
    expect(within(row).getByText('sessions:read, reviews:read')).toBeVisible();
    expect(within(row).getByText('No expiry')).toBeVisible();

    await screen.findByRole('checkbox', { name: 'profile:read' });
    const scopes = screen.getByRole('form', { name: 'Create a key' });
    expect(within(scopes).getByRole('checkbox', { name: 'profile:read' })).toBeChecked();
    expect(within(scopes).getByRole('checkbox', { name: 'profile:write' })).not.toBeChecked();
    // An administrator's key never gets admin power unless it is ticked.
    expect(within(scopes).getByRole('checkbox', { name: /^admin/ })).not.toBeChecked();
    expect(within(scopes).queryByRole('checkbox', { name: 'sessions:read' })).toBeNull();

    await userEvent.type(screen.getByRole('textbox', { name: /Key name/ }), 'CRM');
    await userEvent.click(within(scopes).getByRole('checkbox', { name: 'profile:write' }));
    await userEvent.click(within(scopes).getByRole('checkbox', { name: 'messages:read' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() => expect(bodies).toHaveLength(1));
    expect(bodies[0]).toEqual({ name: 'CRM', scopes: ['profile:read', 'support:read', 'profile:write'] });
  });
});
