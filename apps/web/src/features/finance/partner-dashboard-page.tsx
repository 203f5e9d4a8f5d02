import { formatMoney } from '@lm/domain';
import { Container, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { FiguresDetails } from './components/figures-details';
import { KpiGrid } from './components/kpi-grid';
import { MyPayoutsSection, MyStatementsSection } from './components/payee-money-sections';
import { RangeControls } from './components/range-controls';
import { SeriesChart, type ChartSeries } from './components/series-chart';
import { SeriesTable, type SeriesColumn } from './components/series-table';
import { useReportRange } from './components/use-report-range';
import { partnerReportQueryOptions } from './finance.queries';
import type { FunnelStage, PartnerCurrencyPeriod, PartnerReport, ReportQuery } from './finance.types';
import { PERIOD_NOUN, periodLabel } from './report-range';

/** `/partner/reports`: commission, the referral funnel, payouts and statements of the signed-in partner. */
export function PartnerDashboardPage() {
  const range = useReportRange();
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Partner dashboard"
          description="Commission earned through the people you referred, what we paid you, and your monthly statements."
        />
        <RangeControls range={range} />
        {range.result.ok && <PartnerReportView query={range.result.query} locale={range.locale} />}
        <MyPayoutsSection zone={range.zone} locale={range.locale} />
        <MyStatementsSection zone={range.zone} locale={range.locale} />
      </Stack>
    </Container>
  );
}

function PartnerReportView({ query, locale }: { query: Required<ReportQuery>; locale: string }) {
  const report = useQuery(partnerReportQueryOptions(query));
  if (report.isPending) return <LoadingState label="Loading your report" />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  return (
    <>
      <CommissionSections report={report.data} locale={locale} />
      <ReferralFunnelSection report={report.data} locale={locale} />
    </>
  );
}

const CHART_SERIES: readonly ChartSeries[] = [
  { key: 'accrued', label: 'Commission accrued', color: 'indigo.6' },
  { key: 'reversed', label: 'Reversed by refunds', color: 'red.6' },
];

function CommissionSections({ report, locale }: { report: PartnerReport; locale: string }) {
  const end = periodLabel({ periodStart: report.to, periodEnd: report.to }, locale);
  if (report.currencies.length === 0) {
    return (
      <Paper withBorder radius="md" component="section" aria-labelledby="commission-heading" p="lg">
        <Title order={2} fz="lg" id="commission-heading">
          Commission
        </Title>
        <EmptyState title="No commission in this range">
          Commission accrues when someone you referred pays for a session.
        </EmptyState>
      </Paper>
    );
  }
  return report.currencies.map(({ currency, totals, series }) => {
    const money = (minor: number) => formatMoney(minor, currency, locale);
    const columns: SeriesColumn<PartnerCurrencyPeriod>[] = [
      { label: 'Paid sessions', cell: (p) => p.paidSessions },
      { label: 'Gross volume', cell: (p) => money(p.grossVolumeMinor) },
      { label: 'Commission accrued', cell: (p) => money(p.commissionAccruedMinor) },
      { label: 'Reversed by refunds', cell: (p) => money(p.commissionReversedMinor) },
      { label: 'Paid out', cell: (p) => money(p.paidOutMinor) },
      { label: 'Pending at the end', cell: (p) => money(p.pendingMinor) },
    ];
    const headingId = `commission-${currency}`;
    return (
      <Paper key={currency} withBorder radius="md" p="lg" component="section" aria-labelledby={headingId}>
        <Stack gap="md">
          <Title order={2} fz="lg" id={headingId}>
            Commission in {currency}
          </Title>
          <KpiGrid
            label={`${currency} totals`}
            items={[
              { label: 'Commission accrued', value: money(totals.commissionAccruedMinor) },
              { label: 'Reversed by refunds', value: money(totals.commissionReversedMinor) },
              { label: 'Paid out', value: money(totals.paidOutMinor) },
              {
                label: 'Pending balance',
                value: money(totals.pendingMinor),
                hint: `Owed to you at the end of ${end} (at the start: ${money(totals.openingPendingMinor)})`,
              },
              { label: 'Paid sessions', value: String(totals.paidSessions) },
              { label: 'Gross volume', value: money(totals.grossVolumeMinor), hint: 'What clients paid for those sessions' },
            ]}
          />
          <SeriesChart
            title={`Commission in ${currency}`}
            currency={currency}
            granularity={report.granularity}
            locale={locale}
            series={CHART_SERIES}
            points={series.map((p) => ({
              ...p,
              values: { accrued: p.commissionAccruedMinor, reversed: p.commissionReversedMinor },
            }))}
          />
          <FiguresDetails summary={`Figures per ${PERIOD_NOUN[report.granularity]}`}>
            <SeriesTable
              label={`${currency} per ${PERIOD_NOUN[report.granularity]}`}
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

/** "42.9 %", or a dash when nobody signed up. */
function conversionRate({ signedUp, converted }: FunnelStage, locale: string): string {
  if (signedUp === 0) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(converted / signedUp);
}

function ReferralFunnelSection({ report, locale }: { report: PartnerReport; locale: string }) {
  const { funnel } = report;
  const rows: [string, FunnelStage][] = [
    ['Clients', funnel.byRole.CLIENT],
    ['Lawyers', funnel.byRole.LAWYER],
  ];
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="funnel-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="funnel-heading">
          Referral funnel
        </Title>
        <Text size="sm" c="gray.7">
          People who signed up through you in this range, and how many of them have had a first paid session since.
        </Text>
        {funnel.signedUp === 0 ? (
          <EmptyState title="No sign-ups in this range">Share your referral link: sign-ups through it count here.</EmptyState>
        ) : (
          <DataTable
            label="Referral funnel"
            columns={['Referred', 'Signed up', 'Converted', 'Conversion rate']}
            withPaper={false}
          >
            {rows.map(([label, stage]) => (
              <Table.Tr key={label}>
                <Table.Td>{label}</Table.Td>
                <Table.Td>{stage.signedUp}</Table.Td>
                <Table.Td>{stage.converted}</Table.Td>
                <Table.Td>{conversionRate(stage, locale)}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr fw={600}>
              <Table.Td>Everyone</Table.Td>
              <Table.Td>{funnel.signedUp}</Table.Td>
              <Table.Td>{funnel.converted}</Table.Td>
              <Table.Td>{conversionRate(funnel, locale)}</Table.Td>
            </Table.Tr>
          </DataTable>
        )}
      </Stack>
    </Paper>
  );
}
