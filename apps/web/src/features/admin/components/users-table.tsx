import { Badge, Button, Table, Text } from '@mantine/core';
import { DataTable } from '../../../components/data-table';
import type { AdminUser } from '../admin.queries';

export type UserStatusAction = { user: AdminUser; action: 'suspend' | 'reactivate' };

interface UsersTableProps {
  users: AdminUser[];
  /** The signed-in admin, who cannot suspend themselves. */
  meId: string | undefined;
  onAction: (pending: UserStatusAction) => void;
}

/** One page of accounts, each with its suspend or reactivate button. */
export function UsersTable({ users, meId, onAction }: UsersTableProps) {
  return (
    <DataTable
      label="Users"
      columns={['Name', 'Email', 'Role', 'Status', 'Joined', { label: 'Actions', visuallyHidden: true }]}
      minWidth={720}
      striped
      highlightOnHover
    >
      {users.map((u) => (
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
            {u.id === meId ? (
              <Text size="xs" c="gray.7">
                You
              </Text>
            ) : u.status === 'ACTIVE' ? (
              <Button
                size="xs"
                variant="light"
                color="red"
                onClick={() => onAction({ user: u, action: 'suspend' })}
                aria-label={`Suspend ${u.email}`}
              >
                Suspend
              </Button>
            ) : (
              <Button
                size="xs"
                variant="light"
                onClick={() => onAction({ user: u, action: 'reactivate' })}
                aria-label={`Reactivate ${u.email}`}
              >
                Reactivate
              </Button>
            )}
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
