import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken } from '../../lib/access-token';
import { axeViolations } from '../../test/axe';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { AdminSupportTicketPage } from './admin-support-ticket-page';
import type { AdminSupportTicketDetail } from './support.queries';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const TICKET_ID = '00000000-0000-4000-8000-0000000000f1';
const ADMIN_ID = '00000000-0000-4000-8000-0000000000ad';

const admin = {
  id: ADMIN_ID,
  email: 'admin@example.com',
  role: 'ADMIN',
  status: 'ACTIVE',
  displayName: 'Root Admin',
  timeZone: 'Europe/Madrid',
  locale: 'en',
  emailVerified: true,
  emailVerifiedAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
};

function ticket(overrides: Partial<AdminSupportTicketDetail> = {}): AdminSupportTicketDetail {
  return {
    id: TICKET_ID,
    category: 'NO_SHOW_LAWYER',
    sessionId: '00000000-0000-4000-8000-000000000051',
    subject: '',
    description: 'I waited twenty minutes and the lawyer never came.',
    status: 'OPEN',
    resolution: null,
    resolutionNote: null,
    resolvedAt: null,
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
    lastMessageAt: '2026-03-02T10:00:00.000Z',
    reporter: { id: '00000000-0000-4000-8000-0000000000c1', displayName: 'Ana López', role: 'CLIENT' },
    assignee: null,
    messages: [],
    events: [
      {
        id: '1',
        action: 'opened',
        actorId: null,
        actorName: 'Ana López',
        payload: {},
        createdAt: '2026-03-02T10:00:00.000Z',
      },
    ],
    session: {
      id: '00000000-0000-4000-8000-000000000051',
      offeringTitle: 'Dismissal review',
      status: 'COMPLETED',
      startAt: '2026-03-02T09:00:00.000Z',
      endAt: '2026-03-02T09:30:00.000Z',
      completedAt: '2026-03-02T09:30:00.000Z',
      client: { id: '00000000-0000-4000-8000-0000000000c1', displayName: 'Ana López' },
      lawyer: { id: '00000000-0000-4000-8000-0000000000b1', displayName: 'Luis Pérez' },
      payment: { id: 'p1', amountMinor: 9000, currency: 'EUR', refundedMinor: 0, createdAt: '2026-03-01T09:00:00.000Z' },
      refunds: [],
    },
    attendance: [
      { role: 'CLIENT', event: 'joined', source: 'twilio', at: '2026-03-02T09:00:30.000Z' },
      { role: 'CLIENT', event: 'left', source: 'twilio', at: '2026-03-02T09:21:00.000Z' },
    ],
    ...overrides,
  };
}

describe('AdminSupportTicketPage', () => {
  // Signed in (GET /api/auth/me answers the admin): times in the admin's zone, "Assign to me" knows who "me" is.
  beforeEach(() => accessToken.set('admin-token'));
  afterEach(() => accessToken.set(null));

  it('shows the session in the admin’s zone and the attendance evidence', { timeout: 20_000 }, async () => {
    serve({
      'GET /api/auth/me': () => Response.json(admin),
      [`GET /api/admin/support/tickets/${TICKET_ID}`]: () => Response.json(ticket()),
    });
    renderPage(<AdminSupportTicketPage />, { path: '/admin/support/:id', route: `/admin/support/${TICKET_ID}` });

    expect(await screen.findByText(/Times in Europe\/Madrid/, undefined, { timeout: 5000 })).toBeVisible();
    const session = screen.getByRole('region', { name: 'Session' });
    // 09:00 UTC is 10:00 in Madrid (the admin's zone).
    expect(session).toHaveTextContent('When (Europe/Madrid)Mon, Mar 2, 2026, 10:00 AM–10:30 AM');
    expect(session).toHaveTextContent('Ana López');
    expect(session).toHaveTextContent('Luis Pérez');
    expect(session).toHaveTextContent('€90.00 paid');

    const evidence = screen.getByRole('region', { name: 'Attendance evidence' });
    expect(evidence).toHaveTextContent('Ana López (client) joined; Luis Pérez (lawyer) never joined.');
    const rows = within(within(evidence).getByRole('table', { name: 'Attendance' })).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent(/10:00:?\d* AM.*Client.*Joined.*Twilio/);
    expect(rows[2]).toHaveTextContent(/10:21:?\d* AM.*Client.*Left.*Twilio/);
    expect(await axeViolations()).toEqual([]);
  });

  it(
    'confirms a lawyer no-show with a note, sends the decision once and shows the refund outcome',
    { timeout: 30_000 },
    async () => {
      let current = ticket();
      const bodies: unknown[] = [];
      serve({
        'GET /api/auth/me': () => Response.json(admin),
        [`GET /api/admin/support/tickets/${TICKET_ID}`]: () => Response.json(current),
        [`POST /api/admin/support/tickets/${TICKET_ID}/no-show-resolution`]: async (_url, request) => {
          bodies.push(await request.json());
          current = ticket({
            status: 'RESOLVED',
            resolution: 'LAWYER_NO_SHOW',
            resolutionNote: 'Only the client joined.',
            resolvedAt: '2026-03-02T12:00:00.000Z',
            session: {
              ...ticket().session!,
              status: 'NO_SHOW_LAWYER',
              payment: {
                id: 'p1',
                amountMinor: 9000,
                currency: 'EUR',
                refundedMinor: 9000,
                createdAt: '2026-03-01T09:00:00.000Z',
              },
              refunds: [
                {
                  id: 'r1',
                  amountMinor: 9000,
                  currency: 'EUR',
                  status: 'SUCCEEDED',
                  reason: 'Lawyer no-show',
                  createdAt: '2026-03-02T12:00:00.000Z',
                },
              ],
            },
          });
          return Response.json(current);
        },
      });
      renderPage(<AdminSupportTicketPage />, { path: '/admin/support/:id', route: `/admin/support/${TICKET_ID}` });

      const decision = await screen.findByRole('region', { name: 'No-show decision' });
      expect(within(decision).getByRole('button', { name: 'Client did not show — lawyer keeps payment' })).toBeVisible();
      expect(within(decision).getByRole('button', { name: 'Dismiss' })).toBeVisible();
      await userEvent.click(within(decision).getByRole('button', { name: 'Lawyer did not show — refund client' }));

      const dialog = await screen.findByRole('dialog', { name: 'The lawyer did not show?' });
      expect(dialog).toHaveTextContent('refunded to the client');
      // Cancel has the focus: Enter does not decide by accident.
      await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus());
      await userEvent.type(within(dialog).getByRole('textbox', { name: /Note/ }), 'Only the client joined.');
      expect(await axeViolations(dialog)).toEqual([]);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm decision' }));

      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(bodies).toEqual([{ decision: 'LAWYER_NO_SHOW', note: 'Only the client joined.' }]);
      const outcome = await within(screen.getByRole('region', { name: 'No-show decision' })).findByRole('status');
      expect(outcome).toHaveTextContent('the lawyer did not attend. The client is refunded in full.');
      expect(outcome).toHaveTextContent('Note: “Only the client joined.”');
      expect(within(outcome).getByRole('listitem')).toHaveTextContent('Refund of €90.00Refunded');
      expect(screen.queryByRole('button', { name: 'Lawyer did not show — refund client' })).toBeNull();
      expect(screen.getByRole('region', { name: 'Session' })).toHaveTextContent('Lawyer did not attend');
    },
  );

  it('explains a conflicting decision taken meanwhile (409) inside the dialog', { timeout: 20_000 }, async () => {
    serve({
      'GET /api/auth/me': () => Response.json(admin),
      [`GET /api/admin/support/tickets/${TICKET_ID}`]: () => Response.json(ticket()),
      [`POST /api/admin/support/tickets/${TICKET_ID}/no-show-resolution`]: () =>
        apiError(409, 'TICKET_ALREADY_RESOLVED', 'The ticket is already resolved.'),
    });
    renderPage(<AdminSupportTicketPage />, { path: '/admin/support/:id', route: `/admin/support/${TICKET_ID}` });
    await userEvent.click(await screen.findByRole('button', { name: 'Dismiss' }));
    const dialog = await screen.findByRole('dialog', { name: 'Dismiss this report?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Dismiss the report' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('already decided differently');
  });

  it('assigns the ticket to the signed-in admin and replies in the thread', { timeout: 20_000 }, async () => {
    let current = ticket({ category: 'BILLING', attendance: [] });
    const asked = serve({
      'GET /api/auth/me': () => Response.json(admin),
      [`GET /api/admin/support/tickets/${TICKET_ID}`]: () => Response.json(current),
      [`POST /api/admin/support/tickets/${TICKET_ID}/assign`]: () => {
        current = { ...current, status: 'IN_PROGRESS', assignee: { id: ADMIN_ID, displayName: 'Root Admin' } };
        return Response.json(current);
      },
      [`POST /api/admin/support/tickets/${TICKET_ID}/messages`]: async (_url, request) => {
        const { body } = (await request.json()) as { body: string };
        const message = {
          id: 'm1',
          authorRole: 'ADMIN' as const,
          authorName: 'Root Admin',
          body,
          createdAt: '2026-03-02T11:00:00.000Z',
        };
        current = { ...current, messages: [...current.messages, message] };
        return Response.json(message, { status: 201 });
      },
    });
    renderPage(<AdminSupportTicketPage />, { path: '/admin/support/:id', route: `/admin/support/${TICKET_ID}` });
    // Not a no-show: no decision buttons, and no evidence recorded.
    expect(
      await screen.findByText('No attendance was recorded for this call: nobody joined it on LexMarket video.'),
    ).toBeVisible();
    expect(screen.queryByRole('region', { name: 'No-show decision' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Assign to me' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Assign to me' })).toBeNull());
    expect(screen.getByText('Root Admin (you)')).toBeVisible();
    expect(asked[`POST /api/admin/support/tickets/${TICKET_ID}/assign`]).toHaveLength(1);

    await userEvent.type(
      screen.getByRole('textbox', { name: /Reply to the reporter/ }),
      'We are checking the charge with Stripe.',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    const messages = await screen.findByRole('list', { name: 'Messages' });
    expect(within(messages).getByRole('listitem')).toHaveTextContent('Root Admin (support)');
    expect(within(messages).getByRole('listitem')).toHaveTextContent('We are checking the charge with Stripe.');
    expect(screen.getByRole('textbox', { name: /Reply to the reporter/ })).toHaveValue('');
  });
});
