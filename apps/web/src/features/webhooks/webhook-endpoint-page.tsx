import { type WebhookEventType } from '@lm/domain';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  Container,
  Group,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { ConfirmActions } from '../../components/confirm-actions';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageTitle } from '../../components/page-title';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { EndpointForm } from './components/endpoint-form';
import { EndpointStatusBadge } from './components/endpoint-status-badge';
import { SecretModal, type ShownSecret } from './components/secret-modal';
import { DELIVERY_STATUS, describeWebhookError, formatMs } from './webhook-words';
import {
  useDeleteWebhookEndpoint,
  useRotateWebhookSecret,
  useSendWebhookTest,
  useUpdateWebhookEndpoint,
  webhookDeliveriesQueryOptions,
  webhookEndpointQueryOptions,
  type WebhookEndpoint,
} from './webhooks.queries';

const PAGE_SIZE = 20;
/** No filters: only `?page=`. */
const PARAMS = {};

/** One webhook endpoint: its settings and actions, and its delivery log (newest first). */
export function WebhookEndpointPage() {
  const { id = '' } = useParams();
  const endpoint = useQuery(webhookEndpointQueryOptions(id));
  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <Anchor component={Link} to={paths.developers.webhooks} size="sm">
          ← All webhook endpoints
        </Anchor>
        {endpoint.isPending ? (
          <LoadingState label="Loading the webhook endpoint" />
        ) : endpoint.isError ? (
          <ErrorState error={endpoint.error} describe={describeWebhookError} onRetry={() => void endpoint.refetch()} />
        ) : (
          <>
            <EndpointSummary endpoint={endpoint.data} />
            <Deliveries endpointId={endpoint.data.id} />
          </>
        )}
      </Stack>
    </Container>
  );
}

function EndpointSummary({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { zone, locale } = useTimeZone();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState<'rotate' | 'delete' | null>(null);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const update = useUpdateWebhookEndpoint(endpoint.id);
  const toggle = useUpdateWebhookEndpoint(endpoint.id);
  const rotate = useRotateWebhookSecret(endpoint.id);
  const remove = useDeleteWebhookEndpoint();
  const test = useSendWebhookTest(endpoint.id);
  const active = endpoint.status === 'ACTIVE';

  const closeEdit = () => {
    update.reset();
    setEditing(false);
  };
  const closeConfirm = () => {
    rotate.reset();
    remove.reset();
    setConfirming(null);
  };
  const failed = (error: unknown) => {
    const { title, message } = describeWebhookError(error);
    notifications.show({ color: 'red', title, message });
  };

  return (
    <>
      <PageTitle>Webhook endpoint</PageTitle>
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1}>Webhook endpoint</Title>
          <EndpointStatusBadge endpoint={endpoint} />
        </Group>
        <Text ff="monospace" style={{ wordBreak: 'break-all' }}>
          {endpoint.url}
        </Text>
        {endpoint.description && <Text c="gray.7">{endpoint.description}</Text>}
      </Stack>

      {endpoint.status === 'DISABLED' && (
        <Alert color="gray" title="This endpoint is disabled">
          {endpoint.disabledReason === 'failing'
            ? 'Its deliveries failed for 3 days, so we stopped sending. Fix your receiver, then enable it again.'
            : 'No events are sent to it. Enable it to receive events again.'}
        </Alert>
      )}
      {active && endpoint.failingSince && (
        <Alert color="orange" title="Deliveries are failing">
          Failing since {formatDateTime(endpoint.failingSince, zone, locale)}. We keep retrying; after 3 days of failures the
          endpoint is disabled and you get an email.
        </Alert>
      )}

      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="endpoint-settings-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="endpoint-settings-heading">
            Settings
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <div>
              <Text size="sm" fw={600}>
                Event types
              </Text>
              <Group gap={4} mt={4}>
                {endpoint.eventTypes.map((type) => (
                  <Badge key={type} variant="light" color="gray" tt="none" fw={500}>
                    {type}
                  </Badge>
                ))}
              </Group>
            </div>
            <div>
              <Text size="sm" fw={600}>
                Created
              </Text>
              <Text size="sm">{formatDateTime(endpoint.createdAt, zone, locale)}</Text>
              {endpoint.previousSecretExpiresAt && new Date(endpoint.previousSecretExpiresAt).getTime() > Date.now() && (
                <Text size="sm" c="gray.7" mt={4}>
                  The previous secret also signs until {formatDateTime(endpoint.previousSecretExpiresAt, zone, locale)}.
                </Text>
              )}
            </div>
          </SimpleGrid>
          <Group gap="xs">
            <Button
              onClick={() =>
                test.mutate(undefined, {
                  onSuccess: ({ eventId }) =>
                    notifications.show({
                      color: 'green',
                      title: 'Test event sent',
                      message: `${eventId} is on its way; it shows in the deliveries below.`,
                    }),
                  onError: failed,
                })
              }
              loading={test.isPending}
              disabled={!active}
              title={active ? undefined : 'Enable the endpoint first'}
            >
              Send test event
            </Button>
            <Button variant="default" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button
              variant="default"
              loading={toggle.isPending}
              onClick={() =>
                toggle.mutate(
                  { enabled: !active },
                  {
                    onSuccess: (changed) =>
                      notifications.show({
                        color: 'green',
                        title: changed.status === 'ACTIVE' ? 'Endpoint enabled' : 'Endpoint disabled',
                        message:
                          changed.status === 'ACTIVE' ? 'New events are sent to it again.' : 'No more events are sent to it.',
                      }),
                    onError: failed,
                  },
                )
              }
            >
              {active ? 'Disable' : 'Enable'}
            </Button>
            <Button variant="default" onClick={() => setConfirming('rotate')}>
              Rotate secret
            </Button>
            <Button variant="light" color="red" onClick={() => setConfirming('delete')}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Modal opened={editing} onClose={closeEdit} title="Edit the webhook endpoint" centered size="lg">
        <EndpointForm
          initial={{
            url: endpoint.url,
            description: endpoint.description ?? '',
            eventTypes: endpoint.eventTypes as WebhookEventType[],
          }}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onCancel={closeEdit}
          onSubmit={(values) =>
            update.mutate(
              {
                url: values.url,
                eventTypes: values.eventTypes,
                ...(values.description !== (endpoint.description ?? '') ? { description: values.description } : {}),
              },
              {
                onSuccess: () => {
                  closeEdit();
                  notifications.show({ color: 'green', title: 'Endpoint saved', message: 'Your changes apply to new events.' });
                },
              },
            )
          }
        />
      </Modal>

      <Modal opened={confirming === 'rotate'} onClose={closeConfirm} title="Rotate the signing secret?" centered>
        <Stack gap="md">
          <Text size="sm">
            You get a new secret, shown once. The current one keeps signing as well for an overlap window (24 hours unless
            configured otherwise): each request then carries two <code>v1=</code> signatures, so you can update your receiver
            without missing events. After that only the new secret signs.
          </Text>
          {rotate.error ? <ErrorState error={rotate.error} describe={describeWebhookError} /> : null}
          <ConfirmActions
            pending={rotate.isPending}
            onCancel={closeConfirm}
            onConfirm={() =>
              rotate.mutate(undefined, {
                onSuccess: ({ endpoint: rotated, secret }) => {
                  closeConfirm();
                  setShown({
                    reason: 'rotated',
                    url: rotated.url,
                    secret,
                    overlapUntil: rotated.previousSecretExpiresAt
                      ? formatDateTime(rotated.previousSecretExpiresAt, zone, locale)
                      : null,
                  });
                },
              })
            }
          >
            Rotate secret
          </ConfirmActions>
        </Stack>
      </Modal>

      <Modal opened={confirming === 'delete'} onClose={closeConfirm} title="Delete this webhook endpoint?" centered>
        <Stack gap="md">
          <Text size="sm">
            No more events are sent to <Code>{endpoint.url}</Code>, and its delivery log is deleted with it. This cannot be
            undone.
          </Text>
          {remove.error ? <ErrorState error={remove.error} describe={describeWebhookError} /> : null}
          <ConfirmActions
            pending={remove.isPending}
            color="red"
            onCancel={closeConfirm}
            onConfirm={() =>
              remove.mutate(endpoint.id, {
                onSuccess: () => {
                  notifications.show({ color: 'green', title: 'Endpoint deleted', message: endpoint.url });
                  void navigate(paths.developers.webhooks);
                },
              })
            }
          >
            Delete endpoint
          </ConfirmActions>
        </Stack>
      </Modal>

      <SecretModal shown={shown} onClose={() => setShown(null)} />
    </>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const list = usePagedListParams(PARAMS);
  const { zone, locale } = useTimeZone();
  const deliveries = useQuery(webhookDeliveriesQueryOptions(endpointId, list.page, PAGE_SIZE));

  return (
    <Stack gap="sm" component="section" aria-labelledby="deliveries-heading">
      <Group justify="space-between">
        <Title order={2} fz="lg" id="deliveries-heading">
          Deliveries
        </Title>
        <Text size="sm" c="gray.7">
          Newest first, times in {zone}
        </Text>
      </Group>
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} describe={describeWebhookError} onRetry={() => void deliveries.refetch()} />
      ) : deliveries.data.items.length === 0 ? (
        <EmptyState title="No deliveries yet">Send a test event to see one here.</EmptyState>
      ) : (
        <>
          <DataTable
            label="Deliveries"
            columns={['Time', 'Event', 'Status', 'HTTP', 'Duration', 'Attempts', { label: 'Details', visuallyHidden: true }]}
            minWidth={860}
          >
            {deliveries.data.items.map((d) => {
              const status = DELIVERY_STATUS[d.status] ?? { label: d.status, color: 'gray' };
              return (
                <Table.Tr key={d.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatDateTime(d.createdAt, zone, locale)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {d.eventType}
                    </Text>
                    <Text size="xs" c="gray.7" ff="monospace">
                      {d.eventId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={status.color} variant="light">
                      {status.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.lastStatusCode ?? (d.lastError ? d.lastError : '—')}</Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatMs(d.lastDurationMs)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.attempts}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      <Button
                        component={Link}
                        to={paths.developers.webhookDelivery(d.id)}
                        size="xs"
                        variant="light"
                        aria-label={`Details of ${d.eventType} ${d.eventId}`}
                      >
                        Details
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </DataTable>
          <ListFooter
            total={deliveries.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="delivery"
            plural="deliveries"
            pagesLabel="Delivery pages"
          />
        </>
      )}
    </Stack>
  );
}
