import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../../test/axe';
import { serve } from '../../test/fake-api';
import { renderPage } from '../../test/render';
import { quietChartSizeWarnings } from './chart-test-quiet';
import { lawyerEarnings, page, payout, statement } from './finance.fixtures';
import { LawyerEarningsPage } from './lawyer-earnings-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

describe('LawyerEarningsPage', () => {
  beforeEach(quietChartSizeWarnings);

  it('shows the earnings KPIs per currency for the chosen range, with payouts and statements', { timeout: 30_000 }, async () => {
    const asked = serve({
      'GET /api/lawyer/earnings': () => Response.json(lawyerEarnings()),
      'GET /api/payouts': () => Response.json(page([payout({ role: 'LAWYER', currency: 'USD', amountMinor: 10_000 })])),
      'GET /api/statements': () =>
        Response.json(page([statement({ payeeRole: 'LAWYER', account: 'lawyer_payable', currency: 'USD' })])),
    });
    renderPage(<LawyerEarningsPage />, { path: '/lawyer/earnings', route: '/lawyer/earnings?range=30d' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Earnings' })).toBeVisible();
    const usd = await screen.findByRole('region', { name: 'Earnings in USD' });
    const cards = within(usd).getByRole('group', { name: 'USD totals' });
    const figure = (label: string) => within(cards).getByText(label).nextElementSibling?.textContent;
    expect(figure('Sessions paid')).toBe('3');
    expect(figure('Platform fees')).toBe('$45.00');
    expect(figure('Refunds')).toBe('$100.00');
    expect(figure('Payable accrued')).toBe('$255.00');
    expect(figure('Paid out')).toBe('$100.00');
    expect(figure('Pending')).toBe('$80.00');
    expect(within(cards).getByText(/1 refund; your share reversed: \$85\.00/)).toBeVisible();
    expect(within(usd).getByRole('img', { name: /^Earnings in USD per day/ })).toBeVisible();
    expect(Object.fromEntries(asked['GET /api/lawyer/earnings']!.at(-1)!).granularity).toBe('day');

    expect(
      within(await screen.findByRole('table', { name: 'Payouts' })).getByRole('row', { name: /\$100\.00 Bank transfer/ }),
    ).toBeVisible();
    expect(await screen.findByRole('table', { name: 'Statements' })).toBeVisible();
    expect(await axeViolations()).toEqual([]);
  });

  it('says when there is nothing in the range', async () => {
    serve({
      'GET /api/lawyer/earnings': () => Response.json(lawyerEarnings({ currencies: [] })),
      'GET /api/payouts': () => Response.json(page([])),
      'GET /api/statements': () => Response.json(page([])),
    });
    renderPage(<LawyerEarningsPage />, { path: '/lawyer/earnings', route: '/lawyer/earnings' });
    expect(await screen.findByText('No earnings in this range')).toBeVisible();
  });
});
