import { formatMoney } from '@lm/domain';
import { Paper, Table } from '@mantine/core';
import { formatDateTime } from '../../../lib/time';
import { SessionStatusBadge } from '../../sessions/components/session-status-badge';
import type { AdminSession } from '../admin.queries';

/** One page of consultations across the platform (read-only). */
export function AdminSessionsTable({ sessions, zone, locale }: { sessions: AdminSession[]; zone: string; locale: string }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={960}>
        <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Sessions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Created</Table.Th>
              <Table.Th>Consultation</Table.Th>
              <Table.Th>Client</Table.Th>
              <Table.Th>Lawyer</Table.Th>
              <Table.Th>Starts</Table.Th>
              <Table.Th>Price</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sessions.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.createdAt, zone, locale)}</Table.Td>
                <Table.Td>{s.offeringTitle}</Table.Td>
                <Table.Td>{s.client.displayName}</Table.Td>
                <Table.Td>{s.lawyer.displayName}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{s.startAt ? formatDateTime(s.startAt, zone, locale) : '—'}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoney(s.priceMinor, s.currency, locale)}</Table.Td>
                <Table.Td>
                  <SessionStatusBadge status={s.status} size="sm" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
