import { Badge, Button, Code, Container, Group, Paper, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { auditQueryOptions, type AuditQuery } from './admin.queries';
import { VerifyChainPanel } from './components/verify-chain-panel';

const PAGE_SIZE = 25;

export function AuditLogPage() {
  const [action, setAction] = useState('');
  const [subjectType, setSubjectType] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const [debouncedSubjectType] = useDebouncedValue(subjectType.trim(), 300);
  const [debouncedSubjectId] = useDebouncedValue(subjectId.trim(), 300);
  // Cursors of the pages above the current one; the last is the current page's `before`.
  const [cursors, setCursors] = useState<number[]>([]);
  const before = cursors.at(-1);

  const query: AuditQuery = {
    limit: PAGE_SIZE,
    ...(debouncedAction ? { action: debouncedAction } : {}),
    ...(debouncedSubjectType ? { subjectType: debouncedSubjectType } : {}),
    ...(debouncedSubjectId ? { subjectId: debouncedSubjectId } : {}),
    ...(before !== undefined ? { before } : {}),
  };
  const audit = useQuery(auditQueryOptions(query));
  const resetPaging = () => setCursors([]);

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Audit log" description="Append-only, hash-chained record of every sensitive action." />
        <VerifyChainPanel />
        <Paper withBorder p="md" radius="md">
          <Group align="flex-end" gap="md">
            <TextInput
              label="Action"
              placeholder="e.g. user.registered"
              value={action}
              onChange={(e) => {
                setAction(e.currentTarget.value);
                resetPaging();
              }}
            />
            <TextInput
              label="Subject type"
              placeholder="e.g. user"
              value={subjectType}
              onChange={(e) => {
                setSubjectType(e.currentTarget.value);
                resetPaging();
              }}
            />
            <TextInput
              label="Subject ID"
              value={subjectId}
              onChange={(e) => {
                setSubjectId(e.currentTarget.value);
                resetPaging();
              }}
              style={{ flex: 1, minWidth: 200 }}
            />
          </Group>
        </Paper>

        {audit.isPending ? (
          <LoadingState label="Loading audit entries" />
        ) : audit.isError ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : audit.data.items.length === 0 ? (
          <EmptyState title="No audit entries">Nothing matches these filters.</EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="xs" horizontalSpacing="md" striped aria-label="Audit entries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>#</Table.Th>
                    <Table.Th>Time (UTC)</Table.Th>
                    <Table.Th>Action</Table.Th>
                    <Table.Th>Actor</Table.Th>
                    <Table.Th>Subject</Table.Th>
                    <Table.Th>Details</Table.Th>
                    <Table.Th>Hash</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {audit.data.items.map((e) => (
                    <Table.Tr key={e.seq}>
                      <Table.Td ff="monospace">{e.seq}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{e.occurredAt.replace('T', ' ').slice(0, 19)}</Table.Td>
                      <Table.Td>
                        <Badge variant="light" color="gray" tt="none">
                          {e.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.actorRole ?? 'system'}</Text>
                        {e.actorId && (
                          <Text size="xs" c="gray.6" ff="monospace">
                            {e.actorId.slice(0, 8)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.subjectType}</Text>
                        {e.subjectId && (
                          <Text size="xs" c="gray.6" ff="monospace">
                            {e.subjectId.slice(0, 8)}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td maw={320}>
                        <Code fz="xs" style={{ wordBreak: 'break-all' }}>
                          {JSON.stringify(e.payload)}
                        </Code>
                      </Table.Td>
                      <Table.Td ff="monospace" fz="xs" title={e.hash}>
                        {e.hash.slice(0, 12)}…
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        {audit.data && audit.data.total > 0 && (
          <Group justify="space-between">
            <Text size="sm" c="gray.7">
              {audit.data.total} matching entr{audit.data.total === 1 ? 'y' : 'ies'}
            </Text>
            <Group gap="xs">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                Newer
              </Button>
              <Button
                variant="default"
                disabled={audit.data.nextCursor === null}
                onClick={() => {
                  const next = audit.data.nextCursor;
                  if (next !== null) setCursors((c) => [...c, next]);
                }}
              >
                Older
              </Button>
            </Group>
          </Group>
        )}
      </Stack>
    </Container>
  );
}
