import { Box, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A folded "Figures per month" under a chart: the exact amounts, for whoever wants them. */
export function FiguresDetails({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <Box component="details">
      <Text component="summary" size="sm" fw={500} style={{ cursor: 'pointer' }} py={4}>
        {summary}
      </Text>
      <Box mt="xs">{children}</Box>
    </Box>
  );
}
