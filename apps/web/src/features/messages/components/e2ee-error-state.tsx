import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { describeE2eeError } from '../e2ee-errors';

/** ErrorState (components/query-state) for what the E2EE library throws: a failed load with a retry. */
export function E2eeErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, message, requestId } = describeE2eeError(error);
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
