import { Badge, Code, Table, Text } from '@mantine/core';
import { DataTable } from '../../../components/data-table';
import type { AuditEvent } from '../admin.queries';

/** One page of audit entries, newest first, with their payload and (shortened) hash. */
export function AuditTable({ entries }: { entries: AuditEvent[] }) {
  return (
    <DataTable
      label="Audit entries"
      columns={['#', 'Time (UTC)', 'Action', 'Actor', 'Subject', 'Details', 'Hash']}
      minWidth={900}
      verticalSpacing="xs"
      striped
    >
      {entries.map((e) => (
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
              <Text size="xs" c="gray.7" ff="monospace">
                {e.actorId.slice(0, 8)}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <Text size="sm">{e.subjectType}</Text>
            {e.subjectId && (
              <Text size="xs" c="gray.7" ff="monospace">
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
    </DataTable>
  );
}
