import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { AdminReviewDetailPage } from './admin-review-detail-page';
import type { AdminReviewDetail, ModerationReason } from './reviews.queries';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const detail = (over: Partial<AdminReviewDetail> = {}): AdminReviewDetail => ({
  id: 'r1',
  sessionId: 's1',
  offeringTitle: 'Divorce advice',
  authorId: 'u1',
  subjectId: 'u2',
  authorSide: 'CLIENT',
  authorName: 'Carla Client',
  subjectName: 'Ana López',
  rating: 1,
  comment: 'Call me on 555-0100, this lawyer is a fraud',
  createdAt: '2030-03-02T10:00:00.000Z',
  publishedAt: '2030-03-02T10:00:00.000Z',
  hidden: false,
  responseHidden: false,
  openReports: 1,
  response: { body: 'We never met.', createdAt: '2030-03-03T10:00:00.000Z', hidden: false },
  reports: [
    {
      id: 'p1',
      reviewId: 'r1',
      reporterId: 'u2',
      closedByDecisionId: null,
      target: 'REVIEW',
      reason: 'PERSONAL_DATA',
      note: 'Phone number',
      status: 'OPEN',
      reporterName: 'Ana López',
      createdAt: '2030-03-03T11:00:00.000Z',
    },
  ],
  decisions: [],
  ...over,
});

const route = { path: '/admin/reviews/:id', route: '/admin/reviews/r1' };

describe('AdminReviewDetailPage', () => {
  it('shows the review, its response, the reports and an empty decision history', async () => {
    serve({ 'GET /api/admin/reviews/r1': () => Response.json(detail()) });
    renderPage(<AdminReviewDetailPage />, route);
    expect(await screen.findByText('Call me on 555-0100, this lawyer is a fraud')).toBeVisible();
    expect(screen.getByText('We never met.')).toBeVisible();
    const reports = screen.getByRole('table', { name: 'Reports' });
    expect(within(reports).getByRole('cell', { name: 'Reveals personal data' })).toBeVisible();
    expect(screen.getByText('No moderation decision yet.')).toBeVisible();
    expect(screen.getByText('1 open report')).toBeVisible();
  });

  // Several dialog steps: allow for a machine busy with other suites.
  it('hides with a reason code and note: the reason is required, then the decision is sent', { timeout: 15_000 }, async () => {
    let current = detail();
    const bodies: unknown[] = [];
    serve({
      'GET /api/admin/reviews/r1': () => Response.json(current),
      'POST /api/admin/reviews/r1/moderation': async (_url, request) => {
        const body = (await request.json()) as { reasonCode: ModerationReason; note?: string };
        bodies.push(body);
        const decision = {
          id: 'd1',
          target: 'REVIEW',
          action: 'HIDE',
          reasonCode: body.reasonCode,
          note: body.note ?? '',
          adminName: 'Root',
          adminId: 'a1',
          reviewId: 'r1',
          createdAt: '2030-03-04T10:00:00.000Z',
        } as const;
        current = detail({
          hidden: true,
          openReports: 0,
          decisions: [decision],
          reports: current.reports.map((r) => ({ ...r, status: 'CLOSED' })),
        });
        return Response.json(decision, { status: 201 });
      },
    });
    renderPage(<AdminReviewDetailPage />, route);
    await userEvent.click(await screen.findByRole('button', { name: 'Hide review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Hide this review' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hide' }));
    expect(within(dialog).getByText('Choose a reason')).toBeVisible();
    expect(bodies).toHaveLength(0);

    await userEvent.click(within(dialog).getByRole('combobox', { name: /Reason/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Reveals personal data', hidden: true }));
    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Note (optional)' }));
    await userEvent.paste('Phone number in the text');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hide' }));

    expect(await screen.findByRole('button', { name: 'Unhide review' })).toBeVisible();
    expect(bodies).toEqual([{ target: 'REVIEW', action: 'HIDE', reasonCode: 'PERSONAL_DATA', note: 'Phone number in the text' }]);
    const decisions = screen.getByRole('table', { name: 'Decisions' });
    expect(within(decisions).getByRole('cell', { name: 'Hidden' })).toBeVisible();
  });

  it('keeps the dialog open with the API’s reason when nothing would change', async () => {
    serve({
      'GET /api/admin/reviews/r1': () => Response.json(detail()),
      'POST /api/admin/reviews/r1/moderation': () => apiError(409, 'MODERATION_NO_CHANGE', 'The response is already visible.'),
    });
    renderPage(<AdminReviewDetailPage />, route);
    await userEvent.click(await screen.findByRole('button', { name: 'Hide response' }));
    const dialog = await screen.findByRole('dialog', { name: 'Hide the lawyer’s response' });
    await userEvent.click(within(dialog).getByRole('combobox', { name: /Reason/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Offensive or abusive', hidden: true }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Hide' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('The response is already visible.');
  });
});
