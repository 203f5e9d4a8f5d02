import {
  Badge,
  Button,
  Container,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useCurrentUser } from '../auth/use-current-user';
import { usersQueryOptions, useSetUserStatus, type AdminUser, type UsersQuery } from './admin.queries';

const PAGE_SIZE = 20;
const ROLE_OPTIONS = ['CLIENT', 'LAWYER', 'PARTNER', 'ADMIN'].map((r) => ({
  value: r,
  label: r.charAt(0) + r.slice(1).toLowerCase(),
}));
const STATUS_OPTIONS = [
  { value: 'ACTIVE', label: 'Active' },
  { value: 'SUSPENDED', label: 'Suspended' },
];

type PendingAction = { user: AdminUser; action: 'suspend' | 'reactivate' };

export function UsersPage() {
  const { user: me } = useCurrentUser();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<UsersQuery['role'] | null>(null);
  const [status, setStatus] = useState<UsersQuery['status'] | null>(null);
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<PendingAction | null>(null);

  const query: UsersQuery = {
    page,
    pageSize: PAGE_SIZE,
    ...(q ? { q } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
  };
  const users = useQuery(usersQueryOptions(query));
  const setUserStatus = useSetUserStatus();

  const confirm = () => {
    if (!pending) return;
    setUserStatus.mutate({ id: pending.user.id, action: pending.action }, { onSettled: () => setPending(null) });
  };

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Users" description="Every account on LexMarket. Suspending one ends its access at once." />
        <Paper withBorder p="md" radius="md">
          <Group align="flex-end" gap="md" wrap="wrap">
            <TextInput
              label="Search"
              placeholder="Name or email"
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                setPage(1);
              }}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Select
              label="Role"
              placeholder="All roles"
              data={ROLE_OPTIONS}
              value={role ?? null}
              onChange={(value) => {
                setRole((value as UsersQuery['role']) ?? null);
                setPage(1);
              }}
              clearable
              w={180}
            />
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUS_OPTIONS}
              value={status ?? null}
              onChange={(value) => {
                setStatus((value as UsersQuery['status']) ?? null);
                setPage(1);
              }}
              clearable
              w={180}
            />
          </Group>
        </Paper>

        {users.isPending ? (
          <LoadingState label="Loading users" />
        ) : users.isError ? (
          <ErrorState error={users.error} onRetry={() => void users.refetch()} />
        ) : users.data.items.length === 0 ? (
          <EmptyState title="No users found">Try another search or clear the filters.</EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={720}>
              <Table verticalSpacing="sm" horizontalSpacing="md" striped highlightOnHover aria-label="Users">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    <Table.Th>Role</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Joined</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {users.data.items.map((u) => (
                    <Table.Tr key={u.id}>
                      <Table.Td fw={500}>{u.displayName}</Table.Td>
                      <Table.Td>{u.email}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="indigo">
                          {u.role}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={u.status === 'ACTIVE' ? 'green' : 'red'}>
                          {u.status === 'ACTIVE' ? 'Active' : 'Suspended'}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{new Date(u.createdAt).toLocaleDateString()}</Table.Td>
                      <Table.Td ta="right">
                        {u.id === me?.id ? (
                          <Text size="xs" c="gray.6">
                            You
                          </Text>
                        ) : u.status === 'ACTIVE' ? (
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            onClick={() => setPending({ user: u, action: 'suspend' })}
                            aria-label={`Suspend ${u.email}`}
                          >
                            Suspend
                          </Button>
                        ) : (
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => setPending({ user: u, action: 'reactivate' })}
                            aria-label={`Reactivate ${u.email}`}
                          >
                            Reactivate
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        {users.data && (
          <ListFooter
            total={users.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="user"
            pagesLabel="Users pages"
          />
        )}
      </Stack>

      <Modal
        opened={pending !== null}
        onClose={() => setPending(null)}
        title={pending?.action === 'suspend' ? 'Suspend this account?' : 'Reactivate this account?'}
        centered
      >
        {pending && (
          <Stack gap="md">
            <Text size="sm">
              {pending.action === 'suspend'
                ? `${pending.user.displayName} (${pending.user.email}) will be signed out everywhere and cannot sign in until reactivated.`
                : `${pending.user.displayName} (${pending.user.email}) will be able to sign in again.`}
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setPending(null)}>
                Cancel
              </Button>
              <Button
                color={pending.action === 'suspend' ? 'red' : undefined}
                loading={setUserStatus.isPending}
                onClick={confirm}
              >
                {pending.action === 'suspend' ? 'Suspend' : 'Reactivate'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Container>
  );
}
