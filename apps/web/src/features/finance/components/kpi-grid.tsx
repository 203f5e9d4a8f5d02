import { Paper, SimpleGrid, Text } from '@mantine/core';

export interface Kpi {
  label: string;
  value: string;
  /** A line under the value ("owed to you on 28 Feb 2026"). */
  hint?: string;
}

/** Key figures as cards: a named group holding a description list, so each value is read with its label. */
export function KpiGrid({ label, items }: { label: string; items: readonly Kpi[] }) {
  return (
    <div role="group" aria-label={label}>
      <SimpleGrid component="dl" cols={{ base: 2, md: 3 }} m={0}>
        {items.map((kpi) => (
          <Paper key={kpi.label} withBorder radius="md" p="md">
            <Text component="dt" size="sm" c="gray.7">
              {kpi.label}
            </Text>
            <Text component="dd" fz="xl" fw={700} m={0} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {kpi.value}
            </Text>
            {kpi.hint && (
              <Text component="dd" size="xs" c="gray.7" m={0}>
                {kpi.hint}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
    </div>
  );
}
