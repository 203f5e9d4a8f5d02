import { formatMoney } from '@lm/domain';
import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { DataTable } from '../../../components/data-table';
import { formatDateTime } from '../../../lib/time';
import { SessionStatusBadge } from '../../sessions/components/session-status-badge';
import type { AdminSession } from '../admin.queries';

/** One page of consultations across the platform (read-only). */
export function AdminSessionsTable({ sessions, zone, locale }: { sessions: AdminSession[]; zone: string; locale: string }) {
  return (
    <DataTable
      label="Sessions"
      columns={['Created', 'Consultation', 'Client', 'Lawyer', 'Starts', 'Price', 'Status']}
      minWidth={960}
    >
      {sessions.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.createdAt, zone, locale)}</Table.Td>
          <Table.Td style={{ overflowWrap: 'anywhere' }}>
            {/* Opens the session's detail page (participants, payment, refunds, timeline). */}
            <Anchor component={Link} to={paths.admin.session(s.id)}>
              {s.offeringTitle}
            </Anchor>
          </Table.Td>
          <Table.Td>{s.client.displayName}</Table.Td>
          <Table.Td>{s.lawyer.displayName}</Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{s.startAt ? formatDateTime(s.startAt, zone, locale) : '—'}</Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoney(s.priceMinor, s.currency, locale)}</Table.Td>
          <Table.Td>
            <SessionStatusBadge status={s.status} size="sm" />
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
