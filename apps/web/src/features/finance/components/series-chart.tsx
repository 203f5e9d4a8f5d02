import '@mantine/charts/styles.css';
import { formatMoney, fromMinorUnits } from '@lm/domain';
import { BarChart } from '@mantine/charts';
import { Box } from '@mantine/core';
import type { Granularity, Period } from '../finance.types';
import { PERIOD_NOUN, periodLabel, shortPeriodLabel } from '../report-range';

export interface ChartSeries {
  /** Key of the value in each point. */
  key: string;
  label: string;
  color: string;
}

export interface ChartPoint extends Period {
  /** Minor units per series key. */
  values: Record<string, number>;
}

/**
 * Money per period as bars (Mantine's chart package, on recharts; this module is only in the
 * report pages' lazy chunks). Screen readers get a summary instead of the drawing (the figures
 * per period are in the table beside it).
 */
export function SeriesChart({
  title,
  currency,
  granularity,
  locale,
  series,
  points,
}: {
  title: string;
  currency: string;
  granularity: Granularity;
  locale: string;
  series: readonly ChartSeries[];
  points: readonly ChartPoint[];
}) {
  const data = points.map((p) => ({
    period: shortPeriodLabel(p, granularity, locale),
    // Major units only for drawing: the figures people read are formatted from minor units.
    ...Object.fromEntries(series.map((s) => [s.key, fromMinorUnits(p.values[s.key] ?? 0, currency)])),
  }));
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact' });

  return (
    <Box role="img" aria-label={chartSummary({ title, currency, granularity, locale, series, points })}>
      <BarChart
        h={260}
        data={data}
        dataKey="period"
        series={series.map((s) => ({ name: s.key, label: s.label, color: s.color }))}
        valueFormatter={(value) => money.format(value)}
        withLegend
        tickLine="y"
        barChartProps={{ accessibilityLayer: false }}
      />
    </Box>
  );
}

/** "Commission per month, March 2025 – February 2026. Accrued: €1,200.00 in total, most in June 2025 (€300.00). …" */
export function chartSummary({
  title,
  currency,
  granularity,
  locale,
  series,
  points,
}: {
  title: string;
  currency: string;
  granularity: Granularity;
  locale: string;
  series: readonly ChartSeries[];
  points: readonly ChartPoint[];
}): string {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return `${title}: no data.`;
  const range = periodLabel({ periodStart: first.periodStart, periodEnd: last.periodEnd }, locale);
  const parts = series.map((s) => {
    const total = points.reduce((sum, p) => sum + (p.values[s.key] ?? 0), 0);
    const top = points.reduce((best, p) => ((p.values[s.key] ?? 0) > (best.values[s.key] ?? 0) ? p : best), first);
    const topValue = top.values[s.key] ?? 0;
    return topValue > 0
      ? `${s.label}: ${formatMoney(total, currency, locale)} in total, most in ${periodLabel(top, locale)} (${formatMoney(topValue, currency, locale)}).`
      : `${s.label}: ${formatMoney(total, currency, locale)} in total.`;
  });
  return `${title} per ${PERIOD_NOUN[granularity]}, ${range}. ${parts.join(' ')}`;
}
