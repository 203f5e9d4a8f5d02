import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { apiError, serve } from '../../../test/fake-api';
import { renderPage } from '../../../test/render';
import type { Review, SessionReviews } from '../reviews.queries';
import { SessionReviewsPanel } from './session-reviews-panel';

vi.mock('../../../lib/api', () => import('../../../test/fake-api'));

const open = (over: Partial<SessionReviews> = {}): SessionReviews => ({
  // 23:59 UTC on 14 March is 08:59 on 15 March in Tokyo.
  window: { state: 'OPEN', deadlineAt: '2030-03-14T23:59:00.000Z' },
  canReview: true,
  refusal: null,
  mine: null,
  theirs: null,
  ...over,
});

const review = (over: Partial<Review> = {}): Review => ({
  id: 'r1',
  sessionId: 's1',
  authorSide: 'CLIENT',
  rating: 4,
  comment: 'Clear and helpful advice.',
  createdAt: '2030-03-02T10:00:00.000Z',
  publishedAt: null,
  hidden: false,
  response: null,
  ...over,
});

const panel = <SessionReviewsPanel sessionId="s1" asClient counterpartName="Ana López" zone="Asia/Tokyo" locale="en" />;

describe('SessionReviewsPanel', () => {
  it('offers the form with the deadline in the viewer’s zone and explains the double-blind rule', async () => {
    serve({ 'GET /api/sessions/s1/reviews': () => Response.json(open()) });
    renderPage(panel);
    expect(await screen.findByText(/You can leave a review until .*Mar 15, 2030.*8:59.*\(Asia\/Tokyo\)/)).toBeVisible();
    expect(screen.getByText(/double-blind/)).toBeVisible();
    expect(screen.getByRole('radiogroup', { name: /Your rating of Ana López/ })).toBeVisible();
  });

  it('validates before sending: a rating is required and the comment has at most 2000 characters', async () => {
    const asked = serve({
      'GET /api/sessions/s1/reviews': () => Response.json(open()),
      'POST /api/sessions/s1/review': () => Response.json(review(), { status: 201 }),
    });
    renderPage(panel);
    const submit = await screen.findByRole('button', { name: 'Submit review' });
    await userEvent.click(submit);
    expect(screen.getByText('Choose from 1 to 5 stars')).toBeVisible();
    expect(screen.getByRole('radiogroup', { name: /Your rating/ })).toHaveAttribute('aria-invalid', 'true');

    const comment = screen.getByRole('textbox', { name: 'Comment (optional)' });
    await userEvent.click(screen.getByRole('radio', { name: '4 stars, Very good' }));
    await userEvent.click(comment);
    await userEvent.paste('x'.repeat(2001));
    expect(screen.getByText('2001 / 2000 characters')).toBeVisible();
    await userEvent.click(submit);
    expect(screen.getByText('Use at most 2000 characters (1 too many)')).toBeVisible();
    expect(asked['POST /api/sessions/s1/review']).toHaveLength(0);
  });

  it('sends the stars and comment, then shows my review waiting for publication', async () => {
    let mine: Review | null = null;
    const bodies: unknown[] = [];
    serve({
      'GET /api/sessions/s1/reviews': () => Response.json(open({ mine, canReview: mine === null })),
      'POST /api/sessions/s1/review': async (_url, request) => {
        bodies.push(await request.json());
        mine = review({ rating: 5, comment: 'Great' });
        return Response.json(mine, { status: 201 });
      },
    });
    renderPage(panel);
    await userEvent.click(await screen.findByRole('radio', { name: '5 stars, Excellent' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Comment (optional)' }), '  Great ');
    await userEvent.click(screen.getByRole('button', { name: 'Submit review' }));
    expect(await screen.findByText('Waiting for publication')).toBeVisible();
    expect(bodies).toEqual([{ rating: 5, comment: 'Great' }]);
    expect(screen.queryByRole('button', { name: 'Submit review' })).toBeNull();
  });

  it('shows the API’s refusal when the window closed meanwhile', async () => {
    serve({
      'GET /api/sessions/s1/reviews': () => Response.json(open()),
      'POST /api/sessions/s1/review': () =>
        apiError(409, 'REVIEW_WINDOW_CLOSED', 'The review window for this session has closed.'),
    });
    renderPage(panel);
    await userEvent.click(await screen.findByRole('radio', { name: '3 stars, Good' }));
    await userEvent.click(screen.getByRole('button', { name: 'Submit review' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The review window for this session has closed.');
  });

  it('without the right to review: no form, the reason instead', async () => {
    serve({
      'GET /api/sessions/s1/reviews': () =>
        Response.json(
          open({
            canReview: false,
            refusal: {
              code: 'REVIEW_NOT_ALLOWED',
              message: 'Only paid sessions that were not refunded in full can be reviewed.',
            },
          }),
        ),
    });
    renderPage(panel);
    expect(await screen.findByText('Only paid sessions that were not refunded in full can be reviewed.')).toBeVisible();
    expect(screen.queryByRole('radiogroup')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Submit review' })).toBeNull();
  });

  it('once published: both reviews', async () => {
    serve({
      'GET /api/sessions/s1/reviews': () =>
        Response.json(
          open({
            canReview: false,
            mine: review({ publishedAt: '2030-03-03T10:00:00.000Z' }),
            theirs: review({
              id: 'r2',
              authorSide: 'LAWYER',
              rating: 5,
              comment: 'Punctual and well prepared.',
              publishedAt: '2030-03-03T10:00:00.000Z',
            }),
          }),
        ),
    });
    renderPage(panel);
    expect(await screen.findByText('Published')).toBeVisible();
    const theirs = screen.getByText('Ana López’s review of you').closest('div')!;
    expect(within(theirs.parentElement!).getByText('Punctual and well prepared.')).toBeVisible();
    expect(screen.getAllByRole('img', { name: /out of 5 stars/ })).toHaveLength(2);
  });
});
