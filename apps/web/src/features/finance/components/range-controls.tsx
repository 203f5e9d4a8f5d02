import { Paper, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { GRANULARITIES, GRANULARITY_LABELS, RANGE_LABELS, RANGE_PRESETS, rangeLabel, type RangePreset } from '../report-range';
import type { ReportRange } from './use-report-range';

const isPreset = (value: string): value is RangePreset => (RANGE_PRESETS as readonly string[]).includes(value);

/**
 * The range of a report: three presets ending today, or a custom first and last day with a
 * grouping. Switching to Custom starts from the range shown, so it can be adjusted.
 */
export function RangeControls({ range }: { range: ReportRange }) {
  const { input, result, today, zone, locale, setInput } = range;
  // Four choices do not fit side by side on a phone: they stack there.
  const narrow = useMediaQuery('(max-width: 36em)', false, { getInitialValueInEffect: false }) ?? false;

  const choose = (value: string) => {
    if (!isPreset(value)) return;
    if (value === 'custom' && result.ok) setInput({ range: value, ...result.query });
    else setInput({ range: value });
  };

  return (
    <Paper withBorder p="md" radius="md" component="form" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
      <Stack gap="sm">
        <SegmentedControl
          aria-label="Range"
          data={RANGE_PRESETS.map((value) => ({ value, label: RANGE_LABELS[value] }))}
          value={input.range}
          onChange={choose}
          orientation={narrow ? 'vertical' : 'horizontal'}
          fullWidth
        />
        {input.range === 'custom' && (
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput
              label="First day"
              type="date"
              value={input.from}
              max={today}
              error={!result.ok ? result.errors.from : undefined}
              onChange={(e) => setInput({ from: e.currentTarget.value })}
            />
            <TextInput
              label="Last day"
              type="date"
              value={input.to}
              error={!result.ok ? result.errors.to : undefined}
              onChange={(e) => setInput({ to: e.currentTarget.value })}
            />
            <Select
              label="Group by"
              data={GRANULARITIES.map((value) => ({ value, label: GRANULARITY_LABELS[value] }))}
              value={input.granularity}
              onChange={(value) => value && setInput({ granularity: value as (typeof GRANULARITIES)[number] })}
              allowDeselect={false}
            />
          </SimpleGrid>
        )}
        <Text size="sm" c="gray.7" role="status">
          {result.ok
            ? `${rangeLabel(result.query.from, result.query.to, locale)}, ${GRANULARITY_LABELS[result.query.granularity].toLowerCase()}. Days in ${zone}.`
            : 'Fix the range to see the report.'}
        </Text>
      </Stack>
    </Paper>
  );
}
