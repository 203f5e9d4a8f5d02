import type { components } from '@lm/api-client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { UsersPage } from './users-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

type User = components['schemas']['UserResponse'];

function user(n: number, overrides: Partial<User> = {}): User {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    email: `user${n}@example.com`,
    role: 'CLIENT',
    status: 'ACTIVE',
    displayName: `User ${n}`,
    timeZone: 'Europe/Madrid',
    locale: 'en',
    emailVerified: true,
    emailVerifiedAt: null,
    termsVersion: null,
    termsAcceptedAt: null,
    createdAt: '2026-01-02T10:00:00.000Z',
    ...overrides,
  };
}

/** Answers GET /api/admin/users with `answer(url)`; returns the query strings asked for. */
function serveUsers(answer: (url: URL) => Response | Promise<Response>): URLSearchParams[] {
  return serve({ 'GET /api/admin/users': answer })['GET /api/admin/users']!;
}

const page = (items: User[], total = items.length, pageNumber = 1) =>
  Response.json({ items, total, page: pageNumber, pageSize: 20 });

describe('UsersPage', () => {
  it('shows a spinner while loading, then the users', async () => {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    serveUsers(async () => {
      await answered;
      return page([user(1), user(2, { status: 'SUSPENDED' })]);
    });
    renderPage(<UsersPage />, { path: '/admin/users', route: '/admin/users' });

    expect(await screen.findByLabelText('Loading users')).toBeVisible();
    release();
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('button', { name: 'Suspend user1@example.com' })).toBeVisible();
    expect(within(table).getByRole('button', { name: 'Reactivate user2@example.com' })).toBeVisible();
    expect(screen.getByText('2 users')).toBeVisible();
  });

  it('asks the API for the filters and page in the address, and shows them', async () => {
    const asked = serveUsers((url) => page([user(21)], 21, Number(url.searchParams.get('page'))));
    renderPage(<UsersPage />, { path: '/admin/users', route: '/admin/users?q=ann&role=LAWYER&page=2' });

    await screen.findByRole('table', { name: 'Users' });
    expect(Object.fromEntries(asked[0]!)).toEqual({ q: 'ann', role: 'LAWYER', page: '2', pageSize: '20' });
    expect(screen.getByLabelText('Search')).toHaveValue('ann');
    expect(screen.getByRole('combobox', { name: 'Role' })).toHaveValue('Lawyer');
    expect(screen.getByRole('button', { name: '2' })).toHaveAttribute('aria-current', 'page');
  });

  it('puts a search in the address once typing pauses, back on page 1', async () => {
    const asked = serveUsers(() => page([user(1)], 41));
    const { router } = renderPage(<UsersPage />, { path: '/admin/users', route: '/admin/users?page=3' });
    await screen.findByRole('table', { name: 'Users' });

    await userEvent.type(screen.getByLabelText('Search'), 'maria');
    await waitFor(() => expect(searchOf(router).toString()).toBe('q=maria'));
    await waitFor(() => expect(Object.fromEntries(asked.at(-1)!)).toEqual({ q: 'maria', page: '1', pageSize: '20' }));
    // Debounced: one request for the whole word, not one per letter.
    expect(asked.filter((params) => params.has('q'))).toHaveLength(1);
  });

  it('says so when nothing matches', async () => {
    serveUsers(() => page([]));
    renderPage(<UsersPage />, { path: '/admin/users', route: '/admin/users?q=nobody' });
    expect(await screen.findByText('No users found')).toBeVisible();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('explains a failure with its request id, and Try again loads the list', async () => {
    let fail = true;
    serveUsers(() => (fail ? apiError(500, 'INTERNAL', 'boom', 'req-42') : page([user(7)])));
    renderPage(<UsersPage />, { path: '/admin/users', route: '/admin/users' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong on our side');
    expect(alert).toHaveTextContent('req-42');
    expect(alert).not.toHaveTextContent('boom');

    fail = false;
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('cell', { name: 'user7@example.com' })).toBeVisible();
  });
});
