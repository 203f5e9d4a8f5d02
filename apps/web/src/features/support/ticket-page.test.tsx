import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/axe';
import { apiError, serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { AdminSupportQueuePage } from './admin-support-queue-page';
import { MyTicketsPage } from './my-tickets-page';
import type { AdminSupportTicket, SupportMessage, SupportTicketDetail } from './support.queries';
import { TicketPage } from './ticket-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const TICKET_ID = '00000000-0000-4000-8000-0000000000f1';
const SESSION_ID = '00000000-0000-4000-8000-000000000051';

function detail(overrides: Partial<SupportTicketDetail> = {}): SupportTicketDetail {
  return {
    id: TICKET_ID,
    category: 'NO_SHOW_LAWYER',
    sessionId: SESSION_ID,
    subject: '',
    description: 'I waited twenty minutes and the lawyer never came.',
    status: 'IN_PROGRESS',
    resolution: null,
    resolutionNote: null,
    resolvedAt: null,
    createdAt: '2026-03-02T10:00:00.000Z',
    updatedAt: '2026-03-02T11:00:00.000Z',
    lastMessageAt: '2026-03-02T11:00:00.000Z',
    messages: [
      {
        id: 'm1',
        authorRole: 'ADMIN',
        authorName: 'Root Admin',
        body: 'Did you join from the session page?',
        createdAt: '2026-03-02T11:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

describe('TicketPage (the reporter’s ticket)', () => {
  it('shows the thread as “You” and “LexMarket support”, checks and sends a reply', { timeout: 20_000 }, async () => {
    let current = detail();
    const posted: unknown[] = [];
    let fail = true;
    serve({
      [`GET /api/support/tickets/${TICKET_ID}`]: () => Response.json(current),
      [`POST /api/support/tickets/${TICKET_ID}/messages`]: async (_url, request) => {
        if (fail) {
          fail = false;
          return apiError(409, 'TICKET_CLOSED', 'This ticket is closed; open a new one.');
        }
        const { body } = (await request.json()) as { body: string };
        posted.push(body);
        const message: SupportMessage = {
          id: 'm2',
          authorRole: 'CLIENT',
          authorName: 'Ana López',
          body,
          createdAt: '2026-03-02T12:00:00.000Z',
        };
        current = { ...current, messages: [...current.messages, message] };
        return Response.json(message, { status: 201 });
      },
    });
    renderPage(<TicketPage />, { path: '/support/tickets/:id', route: `/support/tickets/${TICKET_ID}` });

    expect(await screen.findByRole('heading', { level: 1, name: 'The lawyer did not show up' })).toBeVisible();
    expect(screen.getByText('In progress')).toBeVisible();
    const thread = screen.getByRole('list', { name: 'Messages' });
    expect(within(thread).getByRole('listitem')).toHaveTextContent('LexMarket support');
    // The admin's name is not shown to the reporter.
    expect(thread).not.toHaveTextContent('Root Admin');
    expect(await axeViolations()).toEqual([]);

    const box = screen.getByRole('textbox', { name: /Write to support/ });
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    expect(await screen.findByText('Write a message first.')).toBeVisible();

    await userEvent.type(box, 'Yes, at 10:00 sharp.');
    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This ticket is closed; open a new one.');
    expect(box).toHaveValue('Yes, at 10:00 sharp.');

    await userEvent.click(screen.getByRole('button', { name: 'Send message' }));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('listitem')).toHaveLength(2));
    const mine = within(screen.getByRole('list', { name: 'Messages' })).getAllByRole('listitem')[1]!;
    expect(mine).toHaveTextContent('You');
    expect(mine).toHaveTextContent('Yes, at 10:00 sharp.');
    expect(posted).toEqual(['Yes, at 10:00 sharp.']);
    expect(box).toHaveValue('');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows support’s decision with a link to the session', async () => {
    serve({
      [`GET /api/support/tickets/${TICKET_ID}`]: () =>
        Response.json(detail({ status: 'RESOLVED', resolution: 'LAWYER_NO_SHOW', resolutionNote: 'Only you joined.' })),
    });
    renderPage(<TicketPage />, { path: '/support/tickets/:id', route: `/support/tickets/${TICKET_ID}` });
    const decision = await screen.findByRole('status');
    expect(decision).toHaveTextContent('The client is refunded in full.');
    expect(decision).toHaveTextContent('“Only you joined.”');
    expect(within(decision).getByRole('link', { name: 'See the session and its refund status' })).toHaveAttribute(
      'href',
      `/sessions/${SESSION_ID}`,
    );
  });

  it('says “not found” for someone else’s ticket (the API answers 404)', async () => {
    serve({ [`GET /api/support/tickets/${TICKET_ID}`]: () => apiError(404, 'SUPPORT_TICKET_NOT_FOUND', 'Support ticket not found') });
    renderPage(<TicketPage />, { path: '/support/tickets/:id', route: `/support/tickets/${TICKET_ID}` });
    expect(await screen.findByRole('alert')).toHaveTextContent('Support ticket not found');
  });
});

describe('MyTicketsPage', () => {
  it('lists my tickets with their status and pages through them in the address', { timeout: 20_000 }, async () => {
    const { messages: _messages, ...ticket } = detail();
    const asked = serve({
      'GET /api/support/tickets': () => Response.json({ items: [ticket], total: 45, page: 1, pageSize: 20 }),
    })['GET /api/support/tickets']!;
    const { router } = renderPage(<MyTicketsPage />, { path: '/support', route: '/support' });
    const table = await screen.findByRole('table', { name: 'Support tickets' });
    expect(within(table).getByRole('link', { name: 'The lawyer did not show up' })).toHaveAttribute(
      'href',
      `/support/tickets/${TICKET_ID}`,
    );
    expect(within(table).getByText('In progress')).toBeVisible();
    expect(screen.getByRole('link', { name: 'Contact support' })).toHaveAttribute('href', '/support/new');
    await userEvent.click(screen.getByRole('button', { name: '2' }));
    await waitFor(() => expect(searchOf(router).get('page')).toBe('2'));
    await waitFor(() => expect(Object.fromEntries(asked.at(-1)!)).toEqual({ page: '2', pageSize: '20' }));
  });
});

describe('AdminSupportQueuePage', () => {
  it('sends the filters in the address and writes a new one into it', { timeout: 20_000 }, async () => {
    const row: AdminSupportTicket = {
      ...detail(),
      status: 'OPEN',
      reporter: { id: 'u1', displayName: 'Ana López', role: 'CLIENT' },
      assignee: null,
    };
    const asked = serve({
      'GET /api/admin/support/tickets': () => Response.json({ items: [row], total: 1, page: 1, pageSize: 25 }),
    })['GET /api/admin/support/tickets']!;
    const { router } = renderPage(<AdminSupportQueuePage />, {
      path: '/admin/support',
      route: '/admin/support?status=OPEN&category=NO_SHOW_LAWYER',
    });
    const table = await screen.findByRole('table', { name: 'Support tickets' });
    expect(within(table).getByRole('link', { name: 'Lawyer no-show' })).toHaveAttribute('href', `/admin/support/${TICKET_ID}`);
    expect(Object.fromEntries(asked.at(-1)!)).toEqual({ status: 'OPEN', category: 'NO_SHOW_LAWYER', page: '1', pageSize: '25' });

    await userEvent.click(screen.getByRole('radio', { name: 'Unassigned' }));
    await waitFor(() => expect(searchOf(router).get('assignee')).toBe('unassigned'));
    await waitFor(() => expect(Object.fromEntries(asked.at(-1)!)).toMatchObject({ assignee: 'unassigned', status: 'OPEN' }));
    expect(await axeViolations()).toEqual([]);
  });
});
