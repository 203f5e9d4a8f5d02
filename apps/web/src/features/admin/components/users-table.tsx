import { Badge, Button, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
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
                    <Text size="xs" c="gray.6">
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
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
