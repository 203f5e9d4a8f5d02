import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_EVENT_TYPE_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@lm/domain';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Container,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { PageTitle } from '../../components/page-title';
import { ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { DELIVERY_STATUS, describeWebhookError, formatMs, prettyJson } from './webhook-words';
import { useReplayWebhookDelivery, webhookDeliveryQueryOptions, type WebhookDeliveryDetail } from './webhooks.queries';

/** One delivery: what was sent (body, headers), what came back, every attempt, and a replay. */
export function WebhookDeliveryPage() {
  const { id = '' } = useParams();
  const delivery = useQuery(webhookDeliveryQueryOptions(id));
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <Anchor
          component={Link}
          to={delivery.data ? paths.developers.webhookEndpoint(delivery.data.endpointId) : paths.developers.webhooks}
          size="sm"
        >
          ← Back to the endpoint
        </Anchor>
        {delivery.isPending ? (
          <LoadingState label="Loading the delivery" />
        ) : delivery.isError ? (
          <ErrorState error={delivery.error} describe={describeWebhookError} onRetry={() => void delivery.refetch()} />
        ) : (
          <DeliveryDetail delivery={delivery.data} />
        )}
      </Stack>
    </Container>
  );
}

function DeliveryDetail({ delivery: d }: { delivery: WebhookDeliveryDetail }) {
  const { zone, locale } = useTimeZone();
  const replay = useReplayWebhookDelivery(d.id);
  const status = DELIVERY_STATUS[d.status] ?? { label: d.status, color: 'gray' };
  const lastAttempt = d.history.at(-1);
  const lastSignature = [...d.history].reverse().find((a) => a.signature)?.signature ?? null;
  const replayed = replay.data?.history.at(-1);

  return (
    <>
      <PageTitle>Webhook delivery</PageTitle>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1}>Delivery</Title>
            <Badge color={status.color} variant="light" size="lg">
              {status.label}
            </Badge>
          </Group>
          <Text ff="monospace" size="sm">
            {d.eventType} · {d.eventId}
          </Text>
        </Stack>
        <Button onClick={() => replay.mutate()} loading={replay.isPending}>
          Replay
        </Button>
      </Group>

      {/* The outcome of the replay just made, announced to screen readers. */}
      <div role="status">
        {replay.isError ? (
          <ErrorState error={replay.error} describe={describeWebhookError} />
        ) : replayed ? (
          <Alert
            color={replayed.statusCode !== null && replayed.statusCode >= 200 && replayed.statusCode < 300 ? 'green' : 'red'}
            title="Replayed"
          >
            Sent again with the same event id:{' '}
            {replayed.statusCode !== null
              ? `your endpoint answered HTTP ${replayed.statusCode}`
              : `no answer (${replayed.error ?? 'error'})`}{' '}
            in {formatMs(replayed.durationMs)}.
          </Alert>
        ) : null}
      </div>

      <Paper withBorder radius="md" p="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Fact label="Created">{formatDateTime(d.createdAt, zone, locale)}</Fact>
          <Fact label="Attempts">{String(d.attempts)}</Fact>
          <Fact label="Last response">
            {d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? 'Not sent yet')}
          </Fact>
          <Fact label={d.status === 'DELIVERED' ? 'Delivered' : 'Next attempt'}>
            {d.deliveredAt
              ? formatDateTime(d.deliveredAt, zone, locale)
              : d.nextAttemptAt
                ? formatDateTime(d.nextAttemptAt, zone, locale)
                : '—'}
          </Fact>
        </SimpleGrid>
      </Paper>

      <Stack gap="xs" component="section" aria-labelledby="request-heading">
        <Title order={2} fz="lg" id="request-heading">
          Request
        </Title>
        <Text size="sm" c="gray.7">
          POST with these headers and body. The signature is computed afresh for each attempt; the one shown is the last sent.
        </Text>
        <Code block aria-label="Request headers" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {[
            'Content-Type: application/json',
            `${WEBHOOK_EVENT_ID_HEADER}: ${d.eventId}`,
            `${WEBHOOK_EVENT_TYPE_HEADER}: ${d.eventType}`,
            `${WEBHOOK_SIGNATURE_HEADER}: ${lastSignature ?? '(not sent yet)'}`,
          ].join('\n')}
        </Code>
        <Code block aria-label="Request body" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {prettyJson(d.requestBody)}
        </Code>
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="response-heading">
        <Title order={2} fz="lg" id="response-heading">
          Response
        </Title>
        {lastAttempt ? (
          <>
            <Text size="sm">
              {lastAttempt.statusCode !== null
                ? `HTTP ${lastAttempt.statusCode}`
                : `No response: ${lastAttempt.error ?? 'error'}`}{' '}
              in {formatMs(lastAttempt.durationMs)}
            </Text>
            {d.responseExcerpt ? (
              <Code block aria-label="Response body (first 4 KiB)" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {d.responseExcerpt}
              </Code>
            ) : (
              <Text size="sm" c="gray.7">
                The response had no body.
              </Text>
            )}
          </>
        ) : (
          <Text size="sm" c="gray.7">
            Not sent yet: the first attempt is on its way.
          </Text>
        )}
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="attempts-heading">
        <Title order={2} fz="lg" id="attempts-heading">
          Attempts
        </Title>
        {d.history.length === 0 ? (
          <Text size="sm" c="gray.7">
            None yet.
          </Text>
        ) : (
          <DataTable label="Attempts" columns={['Time', 'Result', 'Duration', 'Kind']} minWidth={560}>
            {[...d.history].reverse().map((a, i) => (
              <Table.Tr key={`${a.at}-${i}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.at, zone, locale)}</Table.Td>
                <Table.Td>{a.statusCode !== null ? `HTTP ${a.statusCode}` : (a.error ?? 'error')}</Table.Td>
                <Table.Td>{formatMs(a.durationMs)}</Table.Td>
                <Table.Td>{a.manual ? 'Replay' : 'Automatic'}</Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Stack>
    </>
  );
}

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <div>
      <Text size="xs" fw={600} c="gray.7" tt="uppercase">
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}
