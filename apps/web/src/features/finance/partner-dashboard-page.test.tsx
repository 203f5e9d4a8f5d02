import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserTimeZone, todayIn } from '../../lib/time';
import { axeViolations } from '../../test/axe';
import { apiError, serve } from '../../test/fake-api';
import { renderPage, searchOf } from '../../test/render';
import { quietChartSizeWarnings } from './chart-test-quiet';
import { page, partnerReport, payout, statement } from './finance.fixtures';
import { PartnerDashboardPage } from './partner-dashboard-page';

vi.mock('../../lib/api', () => import('../../test/fake-api'));

const route = (search = '') => ({ path: '/partner/reports', route: `/partner/reports${search}` });
const lists = {
  'GET /api/payouts': () => Response.json(page([payout()])),
  'GET /api/statements': () => Response.json(page([statement()])),
};

describe('PartnerDashboardPage', () => {
  let saved: { name: string; type: string }[];
  beforeEach(() => {
    quietChartSizeWarnings();
    saved = [];
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => ((blob = b as Blob), 'blob:statement'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, type: blob?.type ?? '' });
    });
  });
  afterEach(() => vi.useRealTimers());

  it(
    'shows the KPI cards per currency, the chart’s summary, the funnel, payouts and statements',
    { timeout: 30_000 },
    async () => {
      const asked = serve({ 'GET /api/partner/reports': () => Response.json(partnerReport()), ...lists });
      renderPage(<PartnerDashboardPage />, route());
      expect(await screen.findByRole('heading', { level: 1, name: 'Partner dashboard' })).toBeVisible();

      const eur = await screen.findByRole('region', { name: 'Commission in EUR' });
      const cards = within(eur).getByRole('group', { name: 'EUR totals' });
      const figure = (label: string) => within(cards).getByText(label).nextElementSibling?.textContent;
      expect(figure('Commission accrued')).toBe('€20.00');
      expect(figure('Reversed by refunds')).toBe('€5.00');
      expect(figure('Paid out')).toBe('€10.00');
      expect(figure('Pending balance')).toBe('€5.00');
      expect(figure('Paid sessions')).toBe('4');
      expect(figure('Gross volume')).toBe('€400.00');

      // The chart's text alternative names the totals and the best period.
      const chart = within(eur).getByRole('img', { name: /^Commission in EUR per month/ });
      expect(chart).toHaveAccessibleName(
        expect.stringContaining('Commission accrued: €20.00 in total, most in February 2026 (€15.00).'),
      );
      const perMonth = within(eur).getByRole('table', { name: 'EUR per month', hidden: true });
      expect(within(perMonth).getAllByRole('row', { hidden: true })).toHaveLength(4);

      const funnel = screen.getByRole('table', { name: 'Referral funnel' });
      expect(within(funnel).getByRole('row', { name: /Clients 5 2 40%/ })).toBeVisible();
      expect(within(funnel).getByRole('row', { name: /Lawyers 2 1 50%/ })).toBeVisible();
      expect(within(funnel).getByRole('row', { name: /Everyone 7 3 42\.9%/ })).toBeVisible();

      const payouts = await screen.findByRole('table', { name: 'Payouts' });
      expect(within(payouts).getByRole('row', { name: /€10\.00 Bank transfer SEPA-0001 Paid/ })).toBeVisible();
      const statements = await screen.findByRole('table', { name: 'Statements' });
      expect(within(statements).getByRole('row', { name: /ST-202602-000001 February 2026 €5\.00 €5\.00/ })).toBeVisible();

      // The default range: the last 12 months by month, ending today in the viewer's zone.
      const sent = Object.fromEntries(asked['GET /api/partner/reports']!.at(-1)!);
      expect(sent).toMatchObject({ granularity: 'month', to: todayIn(browserTimeZone()) });
      expect(sent.from).toMatch(/^\d{4}-\d\d-01$/);

      expect(await axeViolations()).toEqual([]);
    },
  );

  it('downloads a statement as CSV and PDF through the API client', { timeout: 15_000 }, async () => {
    const files: string[] = [];
    serve({
      'GET /api/partner/reports': () => Response.json(partnerReport()),
      ...lists,
      'GET /api/statements/00000000-0000-4000-8000-0000000000s1/file': (url) => {
        const format = url.searchParams.get('format') ?? '';
        files.push(format);
        return new Response(format === 'csv' ? 'number,amount\n' : '%PDF-1.7', {
          headers: {
            'content-type': format === 'csv' ? 'text/csv' : 'application/pdf',
            'content-disposition': `attachment; filename="ST-202602-000001.${format}"`,
          },
        });
      },
    });
    renderPage(<PartnerDashboardPage />, route());
    const row = within(await screen.findByRole('table', { name: 'Statements' })).getByRole('row', { name: /ST-202602-000001/ });
    const csv = within(row).getByRole('button', { name: 'Download CSV' });
    expect(csv).toHaveAccessibleDescription('ST-202602-000001');
    await userEvent.click(csv);
    await vi.waitFor(() => expect(saved).toEqual([{ name: 'ST-202602-000001.csv', type: 'text/csv' }]));
    await userEvent.click(within(row).getByRole('button', { name: 'Download PDF' }));
    await vi.waitFor(() => expect(saved.at(-1)).toEqual({ name: 'ST-202602-000001.pdf', type: 'application/pdf' }));
    expect(files).toEqual(['csv', 'pdf']);
  });

  it('checks a custom range before asking: the end before the start, then more than 2 years', { timeout: 15_000 }, async () => {
    const asked = serve({ 'GET /api/partner/reports': () => Response.json(partnerReport()), ...lists });
    const { router } = renderPage(<PartnerDashboardPage />, route('?range=custom&from=2026-03-10&to=2026-03-01'));
    expect(await screen.findByText('The last day must be on or after the first day')).toBeVisible();
    expect(screen.getByRole('status')).toHaveTextContent('Fix the range to see the report.');

    await userEvent.clear(screen.getByLabelText('First day'));
    await userEvent.type(screen.getByLabelText('First day'), '2023-01-01');
    await userEvent.clear(screen.getByLabelText('Last day'));
    await userEvent.type(screen.getByLabelText('Last day'), '2025-06-30');
    expect(await screen.findByText('A report covers at most 2 years')).toBeVisible();
    expect(asked['GET /api/partner/reports']).toHaveLength(0);

    await userEvent.clear(screen.getByLabelText('First day'));
    await userEvent.type(screen.getByLabelText('First day'), '2025-01-01');
    await vi.waitFor(() => expect(asked['GET /api/partner/reports']).toHaveLength(1));
    expect(Object.fromEntries(asked['GET /api/partner/reports']![0]!)).toEqual({
      from: '2025-01-01',
      to: '2025-06-30',
      granularity: 'month',
    });
    expect(searchOf(router).get('from')).toBe('2025-01-01');

    // A preset replaces the custom days: 30 days by day.
    await userEvent.click(screen.getByRole('radio', { name: 'Last 30 days' }));
    await vi.waitFor(() => expect(Object.fromEntries(asked['GET /api/partner/reports']!.at(-1)!).granularity).toBe('day'));
    expect(screen.queryByLabelText('First day')).toBeNull();
  });

  it('says so when nothing was earned yet, and shows a failed report with a retry', { timeout: 15_000 }, async () => {
    serve({
      'GET /api/partner/reports': () =>
        Response.json(
          partnerReport({
            currencies: [],
            funnel: {
              signedUp: 0,
              converted: 0,
              conversionRate: 0,
              byRole: { CLIENT: { signedUp: 0, converted: 0 }, LAWYER: { signedUp: 0, converted: 0 } },
            },
          }),
        ),
      'GET /api/payouts': () => Response.json(page([])),
      'GET /api/statements': () => Response.json(page([])),
    });
    const first = renderPage(<PartnerDashboardPage />, route());
    expect(await screen.findByText('No commission in this range')).toBeVisible();
    expect(screen.getByText('No sign-ups in this range')).toBeVisible();
    expect(await screen.findByText('No payouts yet')).toBeVisible();
    expect(await screen.findByText('No statements yet')).toBeVisible();
    first.unmount();

    serve({
      'GET /api/partner/reports': () => apiError(400, 'REPORT_RANGE_TOO_LONG', 'A report covers at most 2 years.'),
      ...lists,
    });
    renderPage(<PartnerDashboardPage />, route());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('A report covers at most 2 years.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeVisible();
  });
});
