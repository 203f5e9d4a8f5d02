import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../../test/fake-api';
import { renderPage } from '../../../test/render';
import type { LawyerRating, PublicReview } from '../reviews.queries';
import { LawyerReviewsSection } from './lawyer-reviews-section';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

const rating = (over: Partial<LawyerRating> = {}): LawyerRating => ({
  lawyerId: 'l1',
  average: 4.67,
  count: 12,
  distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 10 },
  score: 4.4706,
  prior: { mean: 4, weight: 5 },
  ...over,
});

const publicReview = (n: number, over: Partial<PublicReview> = {}): PublicReview => ({
  id: `r${n}`,
  rating: 5,
  comment: `Review number ${n}`,
  publishedAt: '2030-03-03T10:00:00.000Z',
  offeringTitle: 'Divorce advice',
  author: 'Verified client',
  response: null,
  ...over,
});

const section = <LawyerReviewsSection lawyerId="l1" zone="UTC" locale="en" />;

describe('LawyerReviewsSection', () => {
  it('summarises the rating in words and bars: average, count, and each star level', async () => {
    serve({
      'GET /api/lawyers/l1/rating': () => Response.json(rating()),
      'GET /api/lawyers/l1/reviews': () => Response.json({ items: [publicReview(1)], nextCursor: null, total: 1 }),
    });
    renderPage(section);
    expect(await screen.findByRole('img', { name: 'Rated 4.7 out of 5 from 12 reviews' })).toBeVisible();
    const bars = within(screen.getByRole('list', { name: 'Ratings by stars' })).getAllByRole('progressbar');
    expect(bars.map((b) => b.getAttribute('aria-label'))).toEqual([
      '5 stars: 10 reviews, 83%',
      '4 stars: 1 review, 8%',
      '3 stars: 0 reviews, 0%',
      '2 stars: 1 review, 8%',
      '1 star: 0 reviews, 0%',
    ]);
    expect(bars[0]).toHaveAttribute('aria-valuenow', '83');
  });

  it('lists reviews newest first with the lawyer’s response, and “Load more” asks for the next cursor', async () => {
    const asked = serve({
      'GET /api/lawyers/l1/rating': () => Response.json(rating()),
      'GET /api/lawyers/l1/reviews': (url) =>
        url.searchParams.get('cursor') === 'c2'
          ? Response.json({ items: [publicReview(3)], nextCursor: null, total: 3 })
          : Response.json({
              items: [
                publicReview(1, { response: { body: 'Thank you!', createdAt: '2030-03-04T10:00:00.000Z' } }),
                publicReview(2),
              ],
              nextCursor: 'c2',
              total: 3,
            }),
    });
    renderPage(section);
    const list = await screen.findByRole('list', { name: 'Reviews' });
    expect(within(list).getAllByRole('article')).toHaveLength(2);
    const response = within(list).getByRole('region', { name: 'Response from the lawyer' });
    expect(response).toHaveTextContent('Thank you!');
    expect(screen.getByText('Showing 2 of 3 reviews')).toBeVisible();

    await userEvent.click(screen.getByRole('button', { name: 'Load more reviews' }));
    expect(await screen.findByText('Review number 3')).toBeVisible();
    expect(screen.getByText('Showing 3 of 3 reviews')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Load more reviews' })).toBeNull();
    const queries = asked['GET /api/lawyers/l1/reviews']!.map((q) => Object.fromEntries(q));
    expect(queries).toEqual([{ limit: '10' }, { limit: '10', cursor: 'c2' }]);
  });

  it('says so when there is no review yet', async () => {
    serve({
      'GET /api/lawyers/l1/rating': () =>
        Response.json(rating({ average: null, count: 0, distribution: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 }, score: 4 })),
      'GET /api/lawyers/l1/reviews': () => Response.json({ items: [], nextCursor: null, total: 0 }),
    });
    renderPage(section);
    expect(await screen.findByText('No reviews yet')).toBeVisible();
    expect(screen.getByText('No reviews yet.')).toBeVisible();
    expect(screen.queryByRole('list', { name: 'Ratings by stars' })).toBeNull();
  });
});
