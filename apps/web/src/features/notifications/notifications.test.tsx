import type { components } from '@lm/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { bellLabel, NotificationBell } from './components/notification-bell';
import { NotificationsPage } from './notifications-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

type Notification = components['schemas']['NotificationResponse'];

function notification(n: number, overrides: Partial<Notification> = {}): Notification {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    kind: 'session.scheduled',
    title: `New booking: Client ${n} on Tue 1 Dec 2026, 15:30 GMT+1 (Europe/Madrid)`,
    body: `Client ${n} booked "Initial consultation" with you.`,
    linkPath: `/sessions/00000000-0000-4000-8000-00000000000${n}`,
    params: {},
    readAt: null,
    createdAt: new Date(Date.now() - n * 60_000).toISOString(),
    ...overrides,
  };
}

const me = {
  id: '00000000-0000-4000-8000-0000000000aa',
  email: 'lawyer@example.com',
  role: 'LAWYER',
  status: 'ACTIVE',
  displayName: 'Ana Lawyer',
  timeZone: 'Europe/Madrid',
  locale: 'en',
  emailVerified: true,
  emailVerifiedAt: null,
  createdAt: '2026-01-02T10:00:00.000Z',
};

const page = (items: Notification[], total = items.length) => Response.json({ items, total, page: 1, pageSize: 20 });
const prefs = { emailReminders: true, emailSessionUpdates: true };

describe('NotificationBell', () => {
  it('names the unread count, shows the newest on open, marks all read and links to the full list', { timeout: 20_000 }, async () => {
    let unread = 2;
    const asked = serve({
      'GET /api/auth/me': () => Response.json(me),
      'GET /api/notifications/unread-count': () => Response.json({ unread }),
      'GET /api/notifications': () => page([notification(1), notification(2), notification(3, { readAt: new Date().toISOString() })]),
      'POST /api/notifications/read-all': () => ((unread = 0), Response.json({ marked: 2 })),
    });
    renderPage(<NotificationBell />);

    const bell = await screen.findByRole('button', { name: 'Notifications, 2 unread' }, { timeout: 5000 });
    expect(screen.getByText('2')).toBeVisible();
    await userEvent.click(bell);

    const latest = await screen.findByRole('list', { name: 'Latest notifications' }, { timeout: 5000 });
    const items = within(latest).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('New booking: Client 1 on Tue 1 Dec 2026, 15:30 GMT+1 (Europe/Madrid)');
    expect(within(items[0]!).getByRole('img', { name: 'Unread' })).toBeInTheDocument();
    expect(within(items[2]!).queryByRole('img', { name: 'Unread' })).toBeNull();
    expect(Object.fromEntries(asked['GET /api/notifications']![0]!)).toEqual({ page: '1', pageSize: '5' });
    expect(screen.getByRole('link', { name: 'See all notifications' })).toHaveAttribute('href', '/notifications');

    await userEvent.click(screen.getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(asked['POST /api/notifications/read-all']).toHaveLength(1));
    expect(await screen.findByRole('button', { name: 'Notifications' })).toBeInTheDocument();
  });

  it('says "more than 99" beyond the badge', () => {
    expect(bellLabel(0)).toBe('Notifications');
    expect(bellLabel(1)).toBe('Notifications, 1 unread');
    expect(bellLabel(150)).toBe('Notifications, more than 99 unread');
  });
});

describe('NotificationsPage', () => {
  it('lists notifications with unread ones marked, each linking to its page; "Mark read" marks that one', async () => {
    const asked = serve({
      'GET /api/auth/me': () => Response.json(me),
      'GET /api/notifications/unread-count': () => Response.json({ unread: 1 }),
      'GET /api/notifications': () => page([notification(1), notification(2, { readAt: new Date().toISOString(), linkPath: null })]),
      'GET /api/notifications/preferences': () => Response.json(prefs),
      'POST /api/notifications/00000000-0000-4000-8000-000000000001/read': () =>
        Response.json({ ...notification(1), readAt: new Date().toISOString() }),
    });
    renderPage(<NotificationsPage />, { path: '/notifications', route: '/notifications' });

    const list = await screen.findByRole('list', { name: 'Notifications' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveAccessibleName(/^Unread: New booking: Client 1/);
    expect(second).toHaveAccessibleName(/^New booking: Client 2/);
    expect(within(first!).getByRole('link', { name: /New booking: Client 1/ })).toHaveAttribute(
      'href',
      '/sessions/00000000-0000-4000-8000-000000000001',
    );
    expect(within(second!).queryByRole('link')).toBeNull();
    expect(within(first!).getByText(/minutes? ago/)).toHaveAttribute('title', expect.stringMatching(/\d:\d\d.* (UTC|\S+\/\S+)/));
    expect(screen.getByText('1 unread.')).toBeVisible();

    await userEvent.click(within(first!).getByRole('button', { name: /^Mark read: New booking: Client 1/ }));
    await waitFor(() => expect(asked['POST /api/notifications/00000000-0000-4000-8000-000000000001/read']).toHaveLength(1));
    expect(within(second!).queryByRole('button', { name: /Mark read/ })).toBeNull();
  });

  it('filters to unread in the address and says when there are none', async () => {
    const asked = serve({
      'GET /api/auth/me': () => Response.json(me),
      'GET /api/notifications/unread-count': () => Response.json({ unread: 0 }),
      'GET /api/notifications': () => page([]),
      'GET /api/notifications/preferences': () => Response.json(prefs),
    });
    renderPage(<NotificationsPage />, { path: '/notifications', route: '/notifications?show=unread' });
    expect(await screen.findByText('No unread notifications')).toBeVisible();
    expect(Object.fromEntries(asked['GET /api/notifications']![0]!)).toEqual({ page: '1', pageSize: '20', unread: 'true' });
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled();
  });

  it('shows the error with a retry', async () => {
    serve({
      'GET /api/auth/me': () => Response.json(me),
      'GET /api/notifications/unread-count': () => Response.json({ unread: 0 }),
      'GET /api/notifications': () => apiError(503, 'SERVICE_UNAVAILABLE', 'Try again later'),
      'GET /api/notifications/preferences': () => Response.json(prefs),
    });
    renderPage(<NotificationsPage />, { path: '/notifications', route: '/notifications' });
    expect(await screen.findByRole('button', { name: 'Try again' })).toBeVisible();
  });

  it('saves an email preference as soon as it changes', async () => {
    const bodies: unknown[] = [];
    serve({
      'GET /api/auth/me': () => Response.json(me),
      'GET /api/notifications/unread-count': () => Response.json({ unread: 0 }),
      'GET /api/notifications': () => page([]),
      'GET /api/notifications/preferences': () => Response.json(prefs),
      'PUT /api/notifications/preferences': async (_url, request) => {
        const body = await request.json();
        bodies.push(body);
        return Response.json(body);
      },
    });
    renderPage(<NotificationsPage />, { path: '/notifications', route: '/notifications' });
    const reminders = await screen.findByRole('switch', { name: /Session reminders by email/ });
    expect(reminders).toBeChecked();
    await userEvent.click(reminders);
    await waitFor(() => expect(bodies).toEqual([{ emailReminders: false, emailSessionUpdates: true }]));
    await waitFor(() => expect(screen.getByRole('switch', { name: /Session reminders by email/ })).not.toBeChecked());
  });
});
