import { Container, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { oneOfParam, textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { useCurrentUser } from '../auth/use-current-user';
import { usersQueryOptions, type UsersQuery } from './admin.queries';
import { UserStatusModal } from './components/user-status-modal';
import { UsersTable, type UserStatusAction } from './components/users-table';

const PAGE_SIZE = 20;
const ROLES = ['CLIENT', 'LAWYER', 'PARTNER', 'ADMIN'] as const satisfies readonly NonNullable<UsersQuery['role']>[];
const STATUSES = ['ACTIVE', 'SUSPENDED'] as const satisfies readonly NonNullable<UsersQuery['status']>[];
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: r.charAt(0) + r.slice(1).toLowerCase() }));
const STATUS_OPTIONS = [
  { value: 'ACTIVE', label: 'Active' },
  { value: 'SUSPENDED', label: 'Suspended' },
];
/** `?q=…&role=…&status=…&page=…` */
const PARAMS = { q: textParam(), role: oneOfParam(ROLES), status: oneOfParam(STATUSES) };

export function UsersPage() {
  const { user: me } = useCurrentUser();
  const list = usePagedListParams(PARAMS);
  const { q, role, status } = list.filters;
  const [search, setSearch] = useDebouncedText(q, (value) => list.setFilters({ q: value }));
  const [pending, setPending] = useState<UserStatusAction | null>(null);

  const query: UsersQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    ...(q ? { q } : {}),
    ...(role ? { role } : {}),
    ...(status ? { status } : {}),
  };
  const users = useQuery(usersQueryOptions(query));

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
              onChange={(e) => setSearch(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Select
              label="Role"
              placeholder="All roles"
              data={ROLE_OPTIONS}
              value={role}
              onChange={(value) => list.setFilters({ role: value as (typeof ROLES)[number] | null })}
              clearable
              w={180}
            />
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUS_OPTIONS}
              value={status}
              onChange={(value) => list.setFilters({ status: value as (typeof STATUSES)[number] | null })}
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
          <UsersTable users={users.data.items} meId={me?.id} onAction={setPending} />
        )}

        {users.data && (
          <ListFooter
            total={users.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="user"
            pagesLabel="Users pages"
          />
        )}
      </Stack>

      <UserStatusModal pending={pending} onClose={() => setPending(null)} />
    </Container>
  );
}
