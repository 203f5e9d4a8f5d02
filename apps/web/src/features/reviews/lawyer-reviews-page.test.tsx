import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { LawyerReviewsPage } from './lawyer-reviews-page';
import type { MyReview } from './reviews.queries';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const received = (over: Partial<MyReview> = {}): MyReview => ({
  id: 'r1',
  sessionId: 's1',
  offeringTitle: 'Divorce advice',
  authorSide: 'CLIENT',
  counterpartName: 'Carla Client',
  rating: 4,
  comment: 'Helpful.',
  createdAt: '2030-03-02T10:00:00.000Z',
  publishedAt: '2030-03-03T10:00:00.000Z',
  status: 'PUBLISHED',
  response: null,
  ...over,
});

const route = { path: '/lawyer/reviews', route: '/lawyer/reviews' };

describe('LawyerReviewsPage', () => {
  it('responds once to a published review; the answer replaces the Respond button', { timeout: 15_000 }, async () => {
    let review = received();
    const bodies: unknown[] = [];
    const asked = serve({
      'GET /api/me/reviews': () => Response.json({ items: [review], total: 1, page: 1, pageSize: 10 }),
      'POST /api/reviews/r1/response': async (_url, request) => {
        const body = (await request.json()) as { body: string };
        bodies.push(body);
        review = received({ response: { body: body.body, createdAt: '2030-03-04T10:00:00.000Z', hidden: false } });
        return Response.json({ body: body.body, createdAt: '2030-03-04T10:00:00.000Z' }, { status: 201 });
      },
    });
    renderPage(<LawyerReviewsPage />, route);
    await userEvent.click(await screen.findByRole('button', { name: 'Respond' }));
    await userEvent.click(screen.getByRole('button', { name: 'Publish response' }));
    expect(screen.getByText('Write your response')).toBeVisible();
    await userEvent.click(screen.getByRole('textbox', { name: /Your public response/ }));
    await userEvent.paste('Thank you, Carla.');
    await userEvent.click(screen.getByRole('button', { name: 'Publish response' }));

    const response = await screen.findByRole('region', { name: 'Your response' });
    expect(response).toHaveTextContent('Thank you, Carla.');
    expect(screen.queryByRole('button', { name: 'Respond' })).toBeNull();
    expect(bodies).toEqual([{ body: 'Thank you, Carla.' }]);
    expect(Object.fromEntries(asked['GET /api/me/reviews']![0]!)).toEqual({ direction: 'received', page: '1', pageSize: '10' });
  });

  it('reports a review with a reason', { timeout: 15_000 }, async () => {
    const bodies: unknown[] = [];
    serve({
      'GET /api/me/reviews': () => Response.json({ items: [received()], total: 1, page: 1, pageSize: 10 }),
      'POST /api/reviews/r1/reports': async (_url, request) => {
        bodies.push(await request.json());
        return Response.json({}, { status: 201 });
      },
    });
    renderPage(<LawyerReviewsPage />, route);
    await userEvent.click(await screen.findByRole('button', { name: 'Report the review of Divorce advice' }));
    const dialog = await screen.findByRole('dialog', { name: 'Report this review' });
    await userEvent.click(within(dialog).getByRole('combobox', { name: /Reason/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Conflict of interest', hidden: true }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Send report' }));
    await vi.waitFor(() => expect(bodies).toEqual([{ target: 'REVIEW', reason: 'CONFLICT_OF_INTEREST' }]));
  });
});
