import type { components } from '@lm/api-client';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { PaymentsPage } from './payments-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

type Payment = components['schemas']['AdminPaymentResponse'];

const payment: Payment = {
  id: '00000000-0000-4000-8000-000000000001',
  sessionId: '00000000-0000-4000-8000-000000000051',
  sessionStatus: 'PAID',
  offeringTitle: 'Dismissal review',
  clientId: '00000000-0000-4000-8000-0000000000c1',
  clientName: 'Ana López',
  clientEmail: 'ana@example.com',
  lawyerId: '00000000-0000-4000-8000-0000000000b1',
  lawyerName: 'Luis Pérez',
  lawyerEmail: 'luis@example.com',
  status: 'PARTIALLY_REFUNDED',
  amountMinor: 9000,
  currency: 'EUR',
  refundedMinor: 4000,
  stripeCheckoutSessionId: 'cs_test_1',
  stripePaymentIntentId: 'pi_1',
  createdAt: '2026-03-01T09:00:00.000Z',
  refunds: [],
};

describe('PaymentsPage', () => {
  it('sends the filters in the address, shows the filtered totals per currency, and puts a new search in the address', async () => {
    const asked = serve({
      'GET /api/admin/payments': () =>
        Response.json({
          items: [payment],
          total: 1,
          page: 1,
          pageSize: 20,
          totals: [
            { currency: 'EUR', count: 3, grossMinor: 27000, refundedMinor: 13000, netMinor: 14000 },
            { currency: 'USD', count: 1, grossMinor: 12050, refundedMinor: 0, netMinor: 12050 },
          ],
        }),
    })['GET /api/admin/payments']!;
    const { router } = renderPage(<PaymentsPage />, {
      path: '/admin/payments',
      route: '/admin/payments?status=PARTIALLY_REFUNDED&currency=EUR&from=2026-03-01&to=2026-03-31',
    });
    const totals = await screen.findByRole('table', { name: 'Totals per currency' });
    expect(within(totals).getByRole('row', { name: /EUR 3 €270.00 €130.00 €140.00/ })).toBeVisible();
    expect(within(totals).getByRole('row', { name: /USD 1 \$120.50 \$0.00 \$120.50/ })).toBeVisible();
    const sent = Object.fromEntries(asked.at(-1)!);
    expect(sent).toMatchObject({ status: 'PARTIALLY_REFUNDED', currency: 'EUR', page: '1', pageSize: '20' });
    // Whole days in the viewer's zone, the last one included: 31 days apart (give or take a DST hour).
    const days = (new Date(sent.to!).getTime() - new Date(sent.from!).getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(31);

    await userEvent.type(screen.getByLabelText('Client or lawyer'), 'lopez');
    await vi.waitFor(() => expect(searchOf(router).get('q')).toBe('lopez'));
    await vi.waitFor(() => expect(Object.fromEntries(asked.at(-1)!).q).toBe('lopez'));
    expect(searchOf(router).get('status')).toBe('PARTIALLY_REFUNDED');
  }, 30_000);
});
