import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/axe';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { AdminPayoutsPage } from './admin-payouts-page';
import { page, payout, pendingPage, pendingPayout } from './finance.fixtures';
import type { RecordPayoutBody } from './finance.types';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const route = (search = '') => ({ path: '/admin/payouts', route: `/admin/payouts${search}` });

describe('AdminPayoutsPage', () => {
  it('lists who is owed with the filters from the address, and the history', { timeout: 30_000 }, async () => {
    const asked = serve({
      'GET /api/admin/payouts/pending': () => Response.json(pendingPage([pendingPayout()], 5_000)),
      'GET /api/admin/payouts': () =>
        Response.json(
          page([payout(), payout({ id: 'p2', reversal: { reason: 'Wrong payee', reversedAt: '2026-02-28T10:00:00Z' } })]),
        ),
    });
    renderPage(<AdminPayoutsPage />, route('?currency=EUR&role=PARTNER&minimum=50'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Payouts' })).toBeVisible();
    const owed = await screen.findByRole('table', { name: 'Owed now' });
    expect(within(owed).getByRole('row', { name: /Łukasz Żółć lukasz@example\.com Partner EUR €120\.50/ })).toBeVisible();
    expect(Object.fromEntries(asked['GET /api/admin/payouts/pending']!.at(-1)!)).toEqual({
      currency: 'EUR',
      role: 'PARTNER',
      minimumMinor: '5000',
      page: '1',
      pageSize: '20',
    });
    expect(screen.getByText(/^Payees owed at least €50\.00\./)).toBeVisible();
    const history = await screen.findByRole('table', { name: 'Payouts' });
    const rows = within(history).getAllByRole('row');
    expect(within(rows[1]!).getByRole('button', { name: 'Reverse' })).toHaveAccessibleDescription('Łukasz Żółć');
    expect(rows[1]).toHaveTextContent('Recorded by Root Admin');
    expect(rows[2]).toHaveTextContent(/Reversed.*Wrong payee/);
    expect(within(rows[2]!).queryByRole('button', { name: 'Reverse' })).toBeNull();
    expect(await axeViolations()).toEqual([]);
  });

  it(
    'records a payout after a confirmation with the amount; a refusal names what is owed; a retry keeps the key',
    { timeout: 45_000 },
    async () => {
      const posts: { body: RecordPayoutBody; key: string | null }[] = [];
      serve({
        'GET /api/admin/payouts/pending': () => Response.json(pendingPage([pendingPayout()])),
        'GET /api/admin/payouts': () => Response.json(page([])),
        'POST /api/admin/payouts': async (_url, request) => {
          posts.push({ body: (await request.json()) as RecordPayoutBody, key: request.headers.get('Idempotency-Key') });
          if (posts.length === 1) {
            return Response.json(
              {
                statusCode: 409,
                code: 'PAYOUT_EXCEEDS_OWED',
                message: 'The amount is more than is owed.',
                requestId: 'r1',
                details: { owedMinor: 4_000 },
              },
              { status: 409 },
            );
          }
          return Response.json(payout({ amountMinor: posts.at(-1)!.body.amountMinor }), { status: 201 });
        },
      });
      renderPage(<AdminPayoutsPage />, route());
      const row = within(await screen.findByRole('table', { name: 'Owed now' })).getByRole('row', { name: /Łukasz Żółć/ });
      await userEvent.click(within(row).getByRole('button', { name: 'Record payout' }));
      const dialog = await screen.findByRole('dialog', { name: 'Record a payout to Łukasz Żółć' });

      // Prefilled with what is owed; the reference is required.
      expect(within(dialog).getByLabelText(/^Amount \(EUR\)/)).toHaveValue('120.50');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Review payout' }));
      expect(within(dialog).getByText('Enter the transfer’s reference')).toBeVisible();
      await userEvent.click(within(dialog).getByLabelText(/^Reference/));
      await userEvent.paste('SEPA-2026-0318');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Review payout' }));

      // The confirmation shows the formatted amount and the payee before anything is posted.
      expect(await within(dialog).findByText('€120.50')).toBeVisible();
      expect(within(dialog).getByText('Łukasz Żółć')).toBeVisible();
      expect(posts).toHaveLength(0);
      await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm payout' }));
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        'That is more than Łukasz Żółć is owed: €40.00. Go back and enter at most that amount.',
      );

      await userEvent.click(within(dialog).getByRole('button', { name: 'Back' }));
      const amount = within(dialog).getByLabelText(/^Amount \(EUR\)/);
      await userEvent.clear(amount);
      await userEvent.type(amount, '50');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Review payout' }));
      expect(within(dialog).getByText('Enter at most €40.00, what is owed')).toBeVisible();
      await userEvent.clear(amount);
      await userEvent.type(amount, '40');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Review payout' }));
      expect(await within(dialog).findByText('€40.00')).toBeVisible();
      await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm payout' }));

      await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(posts).toHaveLength(2);
      expect(posts[0]!.body).toMatchObject({
        payeeId: pendingPayout().payeeId,
        currency: 'EUR',
        amountMinor: 12_050,
        method: 'BANK_TRANSFER',
        reference: 'SEPA-2026-0318',
      });
      expect(posts[1]!.body.amountMinor).toBe(4_000);
      expect(posts[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
      expect(posts[1]!.key).toBe(posts[0]!.key);

      // A new opening of the dialog is a new payout: a new key.
      await userEvent.click(within(row).getByRole('button', { name: 'Record payout' }));
      const again = await screen.findByRole('dialog', { name: 'Record a payout to Łukasz Żółć' });
      await userEvent.click(within(again).getByLabelText(/^Reference/));
      await userEvent.paste('SEPA-2');
      await userEvent.click(within(again).getByRole('button', { name: 'Review payout' }));
      await userEvent.click(await within(again).findByRole('button', { name: 'Confirm payout' }));
      await vi.waitFor(() => expect(posts).toHaveLength(3));
      expect(posts[2]!.key).not.toBe(posts[0]!.key);
    },
  );

  it('reverses a payout only with a reason', { timeout: 30_000 }, async () => {
    const reversals: unknown[] = [];
    serve({
      'GET /api/admin/payouts/pending': () => Response.json(pendingPage([])),
      'GET /api/admin/payouts': () => Response.json(page([payout()])),
      [`POST /api/admin/payouts/${payout().id}/reversal`]: async (_url, request) => {
        reversals.push(await request.json());
        return Response.json(payout({ reversal: { reason: 'Sent twice', reversedAt: '2026-03-01T00:00:00Z' } }), { status: 201 });
      },
    });
    renderPage(<AdminPayoutsPage />, route());
    expect(await screen.findByText('Nobody to pay')).toBeVisible();
    await userEvent.click(await screen.findByRole('button', { name: 'Reverse' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reverse this payout?' });
    expect(dialog).toHaveTextContent('€10.00');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reverse payout' }));
    expect(within(dialog).getByText('Say why the payout is reversed')).toBeVisible();
    expect(reversals).toHaveLength(0);
    await userEvent.click(within(dialog).getByLabelText(/^Reason/));
    await userEvent.paste('Sent twice');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reverse payout' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(reversals).toEqual([{ reason: 'Sent twice' }]);
  });

  it('exports the pending list with the same filters, and checks a minimum needs a currency', { timeout: 30_000 }, async () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    const asked = serve({
      'GET /api/admin/payouts/pending': () => Response.json(pendingPage([pendingPayout()])),
      'GET /api/admin/payouts': () => Response.json(page([])),
      'GET /api/admin/payouts/pending/export': () =>
        new Response('payee,owed\n', {
          headers: { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="pending-payouts-2026-03-18.csv"' },
        }),
    });
    renderPage(<AdminPayoutsPage />, route('?role=LAWYER&minimum=10'));
    expect(await screen.findByText('Choose a currency to set a minimum')).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await vi.waitFor(() => expect(names).toEqual(['pending-payouts-2026-03-18.csv']));
    expect(Object.fromEntries(asked['GET /api/admin/payouts/pending/export']![0]!)).toEqual({ role: 'LAWYER' });
  });
});
