import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { ContractsPage } from './contracts-page';
import { CLIENT_ME, CONTRACT_ID, SESSION_ID } from './contracts.fixtures';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

beforeEach(() => accessToken.set('token'));
afterEach(() => accessToken.set(null));

const row = {
  id: CONTRACT_ID,
  number: 'C-2026-000123',
  title: 'Engagement letter',
  status: 'SENT',
  sessionId: SESSION_ID,
  lawyer: { id: 'l1', name: 'Ana López' },
  client: { id: 'c1', name: 'Zofia Łukasiewicz' },
  yourRole: 'CLIENT',
  signedBy: [],
  awaitingYourSignature: true,
  executedSha256: null,
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  sentAt: '2026-03-01T10:00:00.000Z',
  expiresAt: null,
  executedAt: null,
  closedAt: null,
};

describe('ContractsPage', () => {
  it('opens on “To sign”, asks the API per tab, and keeps the tab in the address', { timeout: 20_000 }, async () => {
    const asked = serve({
      'GET /api/auth/me': () => Response.json(CLIENT_ME),
      'GET /api/contracts': (url) =>
        Response.json(url.searchParams.get('view') === 'executed' ? { items: [], total: 0 } : { items: [row], total: 1 }),
    });
    const { router } = renderPage(<ContractsPage />, { path: '/contracts', route: '/contracts' });

    expect(await screen.findByRole('link', { name: 'Review and sign Engagement letter' })).toHaveAttribute(
      'href',
      `/contracts/${CONTRACT_ID}/sign`,
    );
    expect(screen.getByRole('cell', { name: 'Ana López' })).toBeVisible();
    expect(asked['GET /api/contracts']![0]!.get('view')).toBe('to_sign');

    await userEvent.click(screen.getByRole('tab', { name: 'Executed' }));
    expect(await screen.findByText('No executed contracts yet')).toBeVisible();
    expect(searchOf(router).get('view')).toBe('executed');
    expect(asked['GET /api/contracts']!.at(-1)!.get('view')).toBe('executed');

    await userEvent.click(screen.getByRole('tab', { name: 'All' }));
    await waitFor(() => expect(asked['GET /api/contracts']!.at(-1)!.has('view')).toBe(false));
  });
});
