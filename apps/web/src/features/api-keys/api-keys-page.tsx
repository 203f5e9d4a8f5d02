import { Alert, Badge, Button, Checkbox, Container, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { SCOPES_BY_ROLE, type ApiScope, type Role } from '@lm/domain';
import { useState, type FormEvent } from 'react';
import { ConfirmActions } from '../../components/confirm-actions';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { describeError } from '../../lib/errors';
import { fieldErrorsOf } from '../../lib/field-errors';
import { useCurrentUser } from '../auth/use-current-user';
import { apiKeysQueryOptions, useCreateApiKey, useRevokeApiKey, type ApiKey, type CreatedApiKey } from './api-keys.queries';
import { CreatedKeyModal } from './components/created-key-modal';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const formatDate = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');

export function ApiKeysPage() {
  const keys = useQuery(apiKeysQueryOptions());
  const { user } = useCurrentUser();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="API keys"
          description="Keys let your own tools call the LexMarket API as you, limited to the scopes you choose. Revoke any key you no longer use."
        />
        {user && <CreateKeyForm role={user.role} onCreated={setCreated} />}
        <Paper withBorder radius="md" component="section" aria-labelledby="api-keys-list-heading">
          <Title order={2} fz="lg" p="md" pb={0} id="api-keys-list-heading">
            Your keys
          </Title>
          {keys.isPending ? (
            <LoadingState label="Loading your API keys" />
          ) : keys.isError ? (
            <Stack p="md">
              <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
            </Stack>
          ) : keys.data.length === 0 ? (
            <EmptyState title="No API keys yet">Create one above to connect another tool.</EmptyState>
          ) : (
            <DataTable
              label="API keys"
              columns={['Name', 'Prefix', 'Scopes', 'Created', 'Last used', 'Expires', 'Status', { label: 'Actions', visuallyHidden: true }]}
              minWidth={960}
              withPaper={false}
            >
              {keys.data.map((k) => (
                <Table.Tr key={k.id}>
                  <Table.Td>
                    <Text fw={500} size="sm">
                      {k.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {k.prefix}…
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {k.scopes.join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(k.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{k.expiresAt ? formatDate(k.expiresAt) : 'No expiry'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {k.revokedAt ? (
                      <Badge color="gray" variant="light" title={`Revoked ${formatDate(k.revokedAt)}`}>
                        Revoked
                      </Badge>
                    ) : k.expiresAt && new Date(k.expiresAt).getTime() <= Date.now() ? (
                      <Badge color="gray" variant="light">
                        Expired
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group justify="flex-end">
                      {!k.revokedAt && (
                        <Button size="xs" variant="light" color="red" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                          Revoke
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          )}
        </Paper>
      </Stack>

      <CreatedKeyModal created={created} onClose={() => setCreated(null)} />
      <RevokeKeyModal apiKey={revoking} onClose={() => setRevoking(null)} />
    </Container>
  );
}

/** Read scopes are ticked to start with; write scopes and `admin` only when chosen. */
export const defaultScopes = (role: Role): ApiScope[] => SCOPES_BY_ROLE[role].filter((scope) => scope.endsWith(':read'));

/** The end of the chosen local day, as the instant the key stops working. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59`).toISOString();

function CreateKeyForm({ role, onCreated }: { role: Role; onCreated: (key: CreatedApiKey) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiScope[]>(() => defaultScopes(role));
  const [expiresOn, setExpiresOn] = useState('');
  const create = useCreateApiKey();
  const fields = fieldErrorsOf(create.error);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), scopes, ...(expiresOn ? { expiresAt: endOfDay(expiresOn) } : {}) },
      {
        onSuccess: (key) => {
          setName('');
          setScopes(defaultScopes(role));
          setExpiresOn('');
          onCreated(key);
          // The secret is now only in the modal: not kept in the mutation's cache as well.
          create.reset();
        },
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="api-keys-create-heading">
      <form onSubmit={onSubmit} noValidate aria-labelledby="api-keys-create-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="api-keys-create-heading">
            Create a key
          </Title>
          {create.isError && !fields.name && !fields.scopes && !fields.expiresAt && (
            <Alert color="red" role="alert">
              {describeError(create.error).message}
            </Alert>
          )}
          <Group align="flex-start">
            <TextInput
              label="Key name"
              description="What the key is for, e.g. CRM integration."
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fields.name}
              style={{ flex: 1 }}
            />
            <TextInput
              label="Expires on (optional)"
              description="At the end of that day; at most two years ahead."
              type="date"
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.currentTarget.value)}
              error={fields.expiresAt}
            />
          </Group>
          <Checkbox.Group
            label="Scopes"
            description="What the key may do. Read scopes are ticked; add write scopes only if your tool needs them."
            value={scopes}
            onChange={(value) => setScopes(value as ApiScope[])}
            error={fields.scopes}
          >
            <SimpleGrid cols={{ base: 1, xs: 2, sm: 3 }} mt="xs">
              {SCOPES_BY_ROLE[role].map((scope) => (
                <Checkbox key={scope} value={scope} label={scope === 'admin' ? 'admin (every administrator power)' : scope} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending} disabled={name.trim() === '' || scopes.length === 0}>
              Create key
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function RevokeKeyModal({ apiKey, onClose }: { apiKey: ApiKey | null; onClose: () => void }) {
  const revoke = useRevokeApiKey();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Modal opened={apiKey !== null} onClose={close} title={`Revoke “${apiKey?.name ?? ''}”?`} centered>
      {apiKey && (
        <Stack gap="md">
          <Text size="sm">
            Anything using the key <code>{apiKey.prefix}…</code> stops working at once. This cannot be undone.
          </Text>
          <ConfirmActions
            error={revoke.error}
            pending={revoke.isPending}
            color="red"
            onCancel={close}
            onConfirm={() =>
              revoke.mutate(apiKey.id, {
                onSuccess: () => {
                  notifications.show({ color: 'green', title: 'Key revoked', message: `“${apiKey.name}” no longer works.` });
                  close();
                },
              })
            }
          >
            Revoke key
          </ConfirmActions>
        </Stack>
      )}
    </Modal>
  );
}
