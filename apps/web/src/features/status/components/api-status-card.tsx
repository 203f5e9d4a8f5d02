import { ApiError, NETWORK_ERROR } from '@lm/api-client';
import {
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Code,
  Divider,
  Group,
  Loader,
  Paper,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from '@mantine/core';
import { useId } from 'react';
import { AlertIcon, CheckIcon } from '../../../components/icons';
import { formatUptime, type HealthSummary } from '../health-summary';
import { useApiStatus } from '../use-api-status';

/** Live status of the API and its dependencies, polled every 15 seconds. */
export function ApiStatusCard() {
  const headingId = useId();
  const status = useApiStatus();

  let body;
  if (status.state === 'error') {
    body = <ErrorState error={status.error} retrying={status.retrying} onRetry={status.retry} />;
  } else if (status.state === 'ready') {
    body = <HealthDetails summary={status.summary} checkedAt={status.checkedAt} />;
  } else {
    body = <LoadingState />;
  }

  return (
    <Card component="section" aria-labelledby={headingId} withBorder shadow="sm" radius="lg" padding="lg">
      <Group justify="space-between" align="center" mb="md">
        <Title order={2} id={headingId} fz="h4">
          Platform status
        </Title>
        <Text size="xs" c="gray.7">
          Checked every 15 s
        </Text>
      </Group>
      {body}
    </Card>
  );
}

function LoadingState() {
  return (
    <Stack gap="sm" aria-busy="true">
      <Group gap="xs" role="status">
        <Loader size="xs" />
        <Text size="sm" c="gray.7">
          Checking the API…
        </Text>
      </Group>
      {['database', 'storage', 'jobs'].map((key) => (
        <Skeleton key={key} height={42} radius="md" />
      ))}
    </Stack>
  );
}

interface ErrorStateProps {
  error: Error | null;
  retrying: boolean;
  onRetry: () => void;
}

function ErrorState({ error, retrying, onRetry }: ErrorStateProps) {
  const apiError = error instanceof ApiError ? error : undefined;
  const unreachable = !apiError || apiError.code === NETWORK_ERROR;

  return (
    <Alert
      color="red"
      variant="light"
      radius="md"
      title={unreachable ? 'API unreachable' : 'API error'}
      icon={<AlertIcon size={18} />}
    >
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          {unreachable
            ? 'We could not reach the LexMarket API. It may be restarting; we keep checking every 15 seconds.'
            : 'The API answered with an error. We keep checking every 15 seconds.'}
        </Text>
        {apiError?.requestId && (
          <Text size="xs" c="gray.7">
            Request ID <Code>{apiError.requestId}</Code>
          </Text>
        )}
        <Button size="xs" color="red" variant="filled" onClick={onRetry} loading={retrying}>
          Retry
        </Button>
      </Stack>
    </Alert>
  );
}

function OverallBanner({ overall }: { overall: HealthSummary['overall'] }) {
  const ok = overall === 'operational';
  const color = ok ? 'teal' : 'orange';

  return (
    <Group role="status" gap="sm" p="sm" wrap="nowrap" bg={`${color}.0`} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
      <ThemeIcon color={color} radius="xl" size="md">
        {ok ? <CheckIcon size={16} /> : <AlertIcon size={16} />}
      </ThemeIcon>
      <Box>
        <Text fw={600} c={`${color}.9`}>
          {ok ? 'All systems operational' : 'Degraded'}
        </Text>
        {!ok && (
          <Text size="sm" c={`${color}.9`}>
            Some components are not responding.
          </Text>
        )}
      </Box>
    </Group>
  );
}

function HealthDetails({ summary, checkedAt }: { summary: HealthSummary; checkedAt: number }) {
  return (
    <Stack gap="md">
      <OverallBanner overall={summary.overall} />
      {summary.components.length === 0 ? (
        <Text size="sm" c="gray.7">
          The API reported no components.
        </Text>
      ) : (
        <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }} aria-label="Components">
          {summary.components.map((component) => (
            <Paper component="li" key={component.key} withBorder radius="md" px="md" py="xs">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={500}>
                  {component.label}
                </Text>
                <Badge color={component.isUp ? 'teal' : 'red'} variant="light">
                  {component.status}
                </Badge>
              </Group>
            </Paper>
          ))}
        </Stack>
      )}
      <Divider />
      <Group justify="space-between" gap="xs">
        <Text size="xs" c="gray.7">
          API version {summary.version}
        </Text>
        <Text size="xs" c="gray.7">
          Up {formatUptime(summary.uptimeSeconds)} · checked {new Date(checkedAt).toLocaleTimeString()}
        </Text>
      </Group>
    </Stack>
  );
}
