import { Anchor, Badge, Button, Container, Group, Modal, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { EndpointForm } from './components/endpoint-form';
import { EndpointStatusBadge } from './components/endpoint-status-badge';
import { SecretModal, type ShownSecret } from './components/secret-modal';
import { describeWebhookError } from './webhook-words';
import { useCreateWebhookEndpoint, webhookEndpointsQueryOptions } from './webhooks.queries';

/** The caller's webhook endpoints, and adding one (its signing secret is shown once). */
export function WebhooksPage() {
  const endpoints = useQuery(webhookEndpointsQueryOptions());
  const { zone, locale } = useTimeZone();
  const [adding, setAdding] = useState(false);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const create = useCreateWebhookEndpoint();

  const closeForm = () => {
    create.reset();
    setAdding(false);
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Webhooks"
          description={
            <>
              LexMarket sends a signed HTTPS request to your endpoints when something happens (a session is paid, a review is
              published…). Check each request’s <code>LexMarket-Signature</code> header with your endpoint’s secret — see the{' '}
              <Anchor href="/api/docs">API documentation</Anchor>. Times in {zone}.
            </>
          }
          actions={<Button onClick={() => setAdding(true)}>Add endpoint</Button>}
        />

        {endpoints.isPending ? (
          <LoadingState label="Loading your webhook endpoints" />
        ) : endpoints.isError ? (
          <ErrorState error={endpoints.error} describe={describeWebhookError} onRetry={() => void endpoints.refetch()} />
        ) : endpoints.data.length === 0 ? (
          <EmptyState title="No webhook endpoints yet">Add one to have events sent to your own systems.</EmptyState>
        ) : (
          <DataTable
            label="Webhook endpoints"
            columns={['Endpoint', 'Event types', 'Status', 'Created', { label: 'Actions', visuallyHidden: true }]}
            minWidth={820}
          >
            {endpoints.data.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td style={{ maxWidth: 320 }}>
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                    {e.url}
                  </Text>
                  {e.description && (
                    <Text size="xs" c="gray.7">
                      {e.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {e.eventTypes.map((type) => (
                      <Badge key={type} variant="light" color="gray" tt="none" fw={500}>
                        {type}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <EndpointStatusBadge endpoint={e} />
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatDateTime(e.createdAt, zone, locale)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <Button
                      component={Link}
                      to={paths.developers.webhookEndpoint(e.id)}
                      size="xs"
                      variant="light"
                      aria-label={`Manage ${e.url}`}
                    >
                      Manage
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
      </Stack>

      <Modal opened={adding} onClose={closeForm} title="Add a webhook endpoint" centered size="lg">
        <EndpointForm
          submitLabel="Add endpoint"
          pending={create.isPending}
          error={create.error}
          onCancel={closeForm}
          onSubmit={(values) =>
            create.mutate(
              {
                url: values.url,
                eventTypes: values.eventTypes,
                ...(values.description ? { description: values.description } : {}),
              },
              {
                onSuccess: (created) => {
                  closeForm();
                  setShown({ reason: 'created', url: created.url, secret: created.secret });
                },
              },
            )
          }
        />
      </Modal>
      <SecretModal shown={shown} onClose={() => setShown(null)} />
    </Container>
  );
}
