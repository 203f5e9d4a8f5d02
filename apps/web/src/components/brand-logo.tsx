import { Group, Text } from '@mantine/core';

/** The LexMarket mark (scales of justice) and word mark. Decorative: label the link around it. */
export function BrandLogo() {
  return (
    <Group gap={10} wrap="nowrap" aria-hidden>
      <svg width="30" height="30" viewBox="0 0 32 32" focusable="false">
        <rect width="32" height="32" rx="8" fill="var(--mantine-primary-color-filled)" />
        <g fill="none" stroke="#fff" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M16 7v18M11 25h10M9 10h14" />
          <path d="M9 10l-3.5 7h7L9 10zM23 10l-3.5 7h7L23 10z" />
        </g>
      </svg>
      <Text component="span" fw={800} fz="lg" c="dark.8" style={{ letterSpacing: '-0.01em' }}>
        LexMarket
      </Text>
    </Group>
  );
}
