import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { NewTicketPage } from './new-ticket-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const SESSION_ID = '00000000-0000-4000-8000-000000000051';
const lawyer = {
  id: '00000000-0000-4000-8000-0000000000b1',
  email: 'luis@example.com',
  role: 'LAWYER',
  status: 'ACTIVE',
  displayName: 'Luis Pérez',
  timeZone: 'Europe/Madrid',
  locale: 'en',
  emailVerified: true,
  emailVerifiedAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
};

describe('NewTicketPage (Contact support)', () => {
  beforeEach(() => accessToken.set('lawyer-token'));
  afterEach(() => accessToken.set(null));

  it('without a session offers only the general categories', async () => {
    serve({ 'GET /api/auth/me': () => Response.json(lawyer) });
    renderPage(<NewTicketPage />, { path: '/support/new', route: '/support/new' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Contact support' })).toBeVisible();
    expect(await screen.findByRole('radio', { name: 'Billing or payment' })).toBeVisible();
    expect(screen.queryByRole('radio', { name: /did not show up/ })).toBeNull();
  });

  it('with ?sessionId= names the session and offers a lawyer the client’s no-show', { timeout: 20_000 }, async () => {
    serve({
      'GET /api/auth/me': () => Response.json(lawyer),
      [`GET /api/sessions/${SESSION_ID}`]: () =>
        Response.json({
          id: SESSION_ID,
          status: 'IN_PROGRESS',
          offeringTitle: 'Dismissal review',
          counterpart: { id: 'c1', displayName: 'Ana López', role: 'CLIENT' },
          startAt: new Date(Date.now() - 600_000).toISOString(),
          endAt: new Date(Date.now() + 1_200_000).toISOString(),
        }),
    });
    renderPage(<NewTicketPage />, { path: '/support/new', route: `/support/new?sessionId=${SESSION_ID}` });
    expect(await screen.findByText('About “Dismissal review” with Ana López.', undefined, { timeout: 5000 })).toBeVisible();
    expect(screen.getByRole('radio', { name: 'The client did not show up' })).toBeEnabled();
  });
});
