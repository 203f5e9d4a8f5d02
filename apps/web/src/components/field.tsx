import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One labelled value on a detail page (a small uppercase label over the value). */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="gray.7" fw={600} tt="uppercase">
        {label}
      </Text>
      {/* A div, not a paragraph: some values are blocks of their own (text, badges). */}
      <Text component="div" size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </Stack>
  );
}
