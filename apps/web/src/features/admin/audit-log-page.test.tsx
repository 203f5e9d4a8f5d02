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
      const nextCursor = seqs.length > limit ? items.at(-1)!.seq : null;
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
  });

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

  it('shows why the log could not load', async () => {
    serve({ 'GET /api/admin/audit': () => apiError(403, 'FORBIDDEN', 'Admins only', 'req-7') });
    renderPage(<AuditLogPage />, { path: '/admin/audit', route: '/admin/audit' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Access denied');
    expect(alert).toHaveTextContent('req-7');
  });
});
