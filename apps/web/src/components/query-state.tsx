import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError } from '../lib/errors';

/** Spinner for a region whose data is loading. */
export function LoadingState({ label }: { label: string }) {
  return (
    <Center py={48}>
      <Loader role="progressbar" aria-label={label} />
    </Center>
  );
}

/** A failed load, with a retry button. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, message, requestId } = describeError(error);
  return (
    <Alert color="red" role="alert" title={title}>
      <Stack gap="xs">
        <Text size="sm">
          {message}
          {requestId ? ` (reference ${requestId})` : ''}
        </Text>
        {onRetry && (
          <Group>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

/** Nothing to show (yet). */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap={4} py={48}>
      <Text fw={600}>{title}</Text>
      {children && (
        <Text size="sm" c="gray.7" ta="center">
          {children}
        </Text>
      )}
    </Stack>
  );
}
