import { Alert, Button, Center, Group, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { describeError, type ErrorDescription } from '../lib/errors';

/** Spinner for a region whose data is loading. */
export function LoadingState({ label }: { label: string }) {
  return (
    <Center py={48}>
      <Loader role="progressbar" aria-label={label} />
    </Center>
  );
}

/** A failed load, with a retry button; `describe` words errors of other kinds (default: API errors). */
export function ErrorState({
  error,
  onRetry,
  describe = describeError,
}: {
  error: unknown;
  onRetry?: () => void;
  describe?: (error: unknown) => ErrorDescription;
}) {
  const { title, message, requestId } = describe(error);
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
