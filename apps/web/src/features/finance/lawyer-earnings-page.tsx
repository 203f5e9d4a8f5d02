import { formatMoney } from '@lm/domain';
import { Container, Paper, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { FiguresDetails } from './components/figures-details';
import { KpiGrid } from './components/kpi-grid';
import { MyPayoutsSection, MyStatementsSection } from './components/payee-money-sections';
import { RangeControls } from './components/range-controls';
import { SeriesChart, type ChartSeries } from './components/series-chart';
import { SeriesTable, type SeriesColumn } from './components/series-table';
import { useReportRange } from './components/use-report-range';
import { lawyerEarningsQueryOptions } from './finance.queries';
import type { LawyerEarnings, LawyerEarningsPeriod, ReportQuery } from './finance.types';
import { PERIOD_NOUN, periodLabel } from './report-range';

/** `/lawyer/earnings`: what the signed-in lawyer earned, was refunded and was paid, with statements. */
export function LawyerEarningsPage() {
  const range = useReportRange();
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Earnings"
          description="What your paid sessions earned after the platform fee and refunds, what we paid you, and your monthly statements."
        />
        <RangeControls range={range} />
        {range.result.ok && <EarningsView query={range.result.query} locale={range.locale} />}
        <MyPayoutsSection zone={range.zone} locale={range.locale} />
        <MyStatementsSection zone={range.zone} locale={range.locale} />
      </Stack>
    </Container>
  );
}

function EarningsView({ query, locale }: { query: Required<ReportQuery>; locale: string }) {
  const earnings = useQuery(lawyerEarningsQueryOptions(query));
  if (earnings.isPending) return <LoadingState label="Loading your earnings" />;
  if (earnings.isError) return <ErrorState error={earnings.error} onRetry={() => void earnings.refetch()} />;
  return <EarningsSections earnings={earnings.data} locale={locale} />;
}

const CHART_SERIES: readonly ChartSeries[] = [
  { key: 'accrued', label: 'Earned', color: 'indigo.6' },
  { key: 'reversed', label: 'Reversed by refunds', color: 'red.6' },
];

function EarningsSections({ earnings, locale }: { earnings: LawyerEarnings; locale: string }) {
  if (earnings.currencies.length === 0) {
    return (
      <Paper withBorder radius="md" component="section" aria-labelledby="earnings-heading" p="lg">
        <Title order={2} fz="lg" id="earnings-heading">
          Earnings
        </Title>
        <EmptyState title="No earnings in this range">Earnings appear when a client pays for a session with you.</EmptyState>
      </Paper>
    );
  }
  const end = periodLabel({ periodStart: earnings.to, periodEnd: earnings.to }, locale);
  return earnings.currencies.map(({ currency, totals, series }) => {
    const money = (minor: number) => formatMoney(minor, currency, locale);
    const columns: SeriesColumn<LawyerEarningsPeriod>[] = [
      { label: 'Sessions paid', cell: (p) => p.paidSessions },
      { label: 'Gross', cell: (p) => money(p.grossVolumeMinor) },
      { label: 'Platform fees', cell: (p) => money(p.platformFeesMinor) },
      { label: 'Refunds', cell: (p) => `${money(p.refundedMinor)} (${p.refundsCount})` },
      { label: 'Earned', cell: (p) => money(p.payableAccruedMinor) },
      { label: 'Reversed', cell: (p) => money(p.payableReversedMinor) },
      { label: 'Paid out', cell: (p) => money(p.paidOutMinor) },
      { label: 'Pending at the end', cell: (p) => money(p.pendingMinor) },
    ];
    const headingId = `earnings-${currency}`;
    return (
      <Paper key={currency} withBorder radius="md" p="lg" component="section" aria-labelledby={headingId}>
        <Stack gap="md">
          <Title order={2} fz="lg" id={headingId}>
            Earnings in {currency}
          </Title>
          <KpiGrid
            label={`${currency} totals`}
            items={[
              { label: 'Sessions paid', value: String(totals.paidSessions), hint: `Gross ${money(totals.grossVolumeMinor)}` },
              { label: 'Platform fees', value: money(totals.platformFeesMinor) },
              {
                label: 'Refunds',
                value: money(totals.refundedMinor),
                hint: `${totals.refundsCount} refund${totals.refundsCount === 1 ? '' : 's'}; your share reversed: ${money(totals.payableReversedMinor)}`,
              },
              { label: 'Payable accrued', value: money(totals.payableAccruedMinor), hint: 'Your share of the sessions paid' },
              { label: 'Paid out', value: money(totals.paidOutMinor) },
              {
                label: 'Pending',
                value: money(totals.pendingMinor),
                hint: `Owed to you at the end of ${end} (at the start: ${money(totals.openingPendingMinor)})`,
              },
            ]}
          />
          <SeriesChart
            title={`Earnings in ${currency}`}
            currency={currency}
            granularity={earnings.granularity}
            locale={locale}
            series={CHART_SERIES}
            points={series.map((p) => ({ ...p, values: { accrued: p.payableAccruedMinor, reversed: p.payableReversedMinor } }))}
          />
          <FiguresDetails summary={`Figures per ${PERIOD_NOUN[earnings.granularity]}`}>
            <SeriesTable
              label={`${currency} per ${PERIOD_NOUN[earnings.granularity]}`}
              locale={locale}
              columns={columns}
              points={series}
            />
          </FiguresDetails>
        </Stack>
      </Paper>
    );
  });
}
