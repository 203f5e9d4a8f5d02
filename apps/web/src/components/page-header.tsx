import { Group, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { PageTitle } from './page-title';

/** H1, a line of context and optional actions at the top of a dashboard page. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" gap="md">
      <PageTitle>{title}</PageTitle>
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        {description && <Text c="gray.7">{description}</Text>}
      </Stack>
      {actions}
    </Group>
  );
}
