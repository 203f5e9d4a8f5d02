import type { components } from '@lm/api-client';
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { AuditLogPage } from './audit-log-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

type AuditEvent = components['schemas']['AuditEventResponse'];

function entry(seq: number): AuditEvent {
  return {
    seq,
    occurredAt: '2026-03-01T09:00:00.000Z',
    actorId: null,
    actorRole: null,
    actorName: null,
    actorEmail: null,
    action: 'user.registered',
    subjectType: 'user',
    subjectId: null,
    subjectName: null,
    subjectSession: null,
    payload: {},
    requestId: null,
    prevHash: 'a'.repeat(64),
    hash: `${seq}`.padStart(64, '0'),
  };
}

/** 60 entries, newest (seq 60) first, 25 a page, paged by `before` like the API. */
function serveAudit() {
  return serve({
    'GET /api/admin/audit': (url) => {
      const before = Number(url.searchParams.get('before') ?? Infinity);
      const limit = Number(url.searchParams.get('limit'));
      const seqs = Array.from({ length: 60 }, (_, i) => 60 - i).filter((seq) => seq < before);
      const items = seqs.slice(0, limit).map(entry);
      const nextCursor = seqs.length > limit ? String(items.at(-1)!.seq) : null;
      return Response.json({ items, total: 60, nextCursor });
    },
  })['GET /api/admin/audit']!;
}

const firstSeq = () =>
  within(screen.getByRole('table', { name: 'Audit entries' })).getAllByRole('row')[1]!.firstElementChild!.textContent;

describe('AuditLogPage', () => {
  it('pages by cursor through the address, and Back returns to the newer page', async () => {
    const asked = serveAudit();
    const { router } = renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit?action=user.registered' });
    await screen.findByRole('table', { name: 'Audit entries' });
    expect(firstSeq()).toBe('60');
    expect(screen.getByRole('button', { name: 'Newer' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByRole('cell', { name: '35' });
    await userEvent.click(screen.getByRole('button', { name: 'Older' }));
    await screen.findByRole('cell', { name: '10' });
    expect(searchOf(router).toString()).toBe('action=user.registered&before=36%2C11');
    expect(Object.fromEntries(asked.at(-1)!)).toEqual({ limit: '25', action: 'user.registered', before: '11' });
    expect(screen.getByRole('button', { name: 'Older' })).toBeDisabled();

    await act(() => router.navigate(-1));
    await screen.findByRole('cell', { name: '35' });
    await userEvent.click(screen.getByRole('button', { name: 'Newer' }));
    await screen.findByRole('cell', { name: '60' });
    expect(searchOf(router).toString()).toBe('action=user.registered');
  }, 30_000); // three pages of 25 rows: more than the default 5 s on a busy machine

  it('opens on the page the address names (a reload)', async () => {
    serveAudit();
    renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit?before=36' });
    await screen.findByRole('table', { name: 'Audit entries' });
    expect(firstSeq()).toBe('35');
    expect(screen.getByRole('button', { name: 'Newer' })).toBeEnabled();
  });

  it('says so when no entry matches', async () => {
    serve({ 'GET /api/admin/audit': () => Response.json({ items: [], total: 0, nextCursor: null }) });
    renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit?action=nothing.like.this' });
    expect(await screen.findByText('No audit entries')).toBeVisible();
    expect(screen.getByLabelText('Action')).toHaveValue('nothing.like.this');
  });

  it('describes entries with names, shows the raw entry on demand, keeps actor and day filters in the address', async () => {
    const asked = serve({
      'GET /api/admin/audit': () =>
        Response.json({
          items: [
            {
              ...entry(7),
              action: 'session.paid',
              actorId: null,
              subjectType: 'session',
              subjectId: '00000000-0000-4000-8000-000000000077',
              subjectName: 'Divorce advice',
              subjectSession: { title: 'Divorce advice', clientName: 'Ana López', lawyerName: 'Luis Pérez' },
              payload: { from: 'PENDING_PAYMENT', to: 'PAID' },
            },
            {
              ...entry(6),
              action: 'user.suspended',
              actorId: '00000000-0000-4000-8000-0000000000a1',
              actorRole: 'ADMIN',
              actorName: 'Root Admin',
              actorEmail: 'root@example.com',
              subjectId: '00000000-0000-4000-8000-0000000000c1',
              subjectName: 'Ana López',
            },
          ],
          total: 2,
          nextCursor: null,
        }),
    })['GET /api/admin/audit']!;
    const { router } = renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit?actor=root&from=2026-03-01&to=2026-03-01' });
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    expect(within(table).getByText('Client Ana López paid for session “Divorce advice”')).toBeVisible();
    expect(within(table).getByText('Admin Root Admin suspended user Ana López')).toBeVisible();
    expect(within(table).queryByText(/"payload"/)).toBeNull();
    await userEvent.click(within(table).getByRole('button', { name: 'Show the raw entry #7' }));
    expect(within(table).getByText(/"PENDING_PAYMENT"/)).toBeVisible();
    expect(screen.getByLabelText('Actor')).toHaveValue('root');
    // The day range is read in the viewer's zone and sent as half-open instants.
    const sent = Object.fromEntries(asked.at(-1)!);
    expect(sent.actor).toBe('root');
    expect(new Date(sent.to!).getTime() - new Date(sent.from!).getTime()).toBe(24 * 3_600_000);
    expect(searchOf(router).get('from')).toBe('2026-03-01');
  });

  it('shows why the log could not load', async () => {
    serve({ 'GET /api/admin/audit': () => apiError(403, 'FORBIDDEN', 'Admins only', 'req-7') });
    renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Access denied');
    expect(alert).toHaveTextContent('req-7');
  });
});
