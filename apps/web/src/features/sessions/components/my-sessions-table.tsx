import { formatMoney } from '@lm/domain';
import { Anchor, Button, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { DataTable } from '../../../components/data-table';
import { formatDateTimeZoned } from '../../../lib/time';
import { useDownloadCalendar, type MySession } from '../sessions.queries';
import { SessionStatusBadge } from './session-status-badge';

/** One page of the client's consultations, each with the next thing to do. */
export function MySessionsTable({ sessions, zone, locale }: { sessions: MySession[]; zone: string; locale: string }) {
  const calendar = useDownloadCalendar();
  return (
    <DataTable
      label="Sessions"
      columns={['Consultation', 'When', 'Status', 'Price', { label: 'Actions', visuallyHidden: true }]}
      minWidth={760}
    >
      {sessions.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td>
            <Anchor component={Link} to={paths.session(s.id)} fw={500}>
              {s.offeringTitle}
            </Anchor>
            <Text size="sm" c="gray.7">
              with {s.counterpart.displayName}
            </Text>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            {s.startAt ? formatDateTimeZoned(s.startAt, zone, locale) : <Text c="gray.7">Not booked yet</Text>}
            {s.proposedStartAt && (
              <Text size="sm" c="indigo.8">
                New time proposed: {formatDateTimeZoned(s.proposedStartAt, zone, locale)}
              </Text>
            )}
          </Table.Td>
          <Table.Td>
            <SessionStatusBadge status={s.status} />
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatMoney(s.priceMinor, s.currency, locale)}</Table.Td>
          <Table.Td>
            <Group gap="xs" justify="flex-end" wrap="nowrap">
              {s.status === 'PAID' && (
                <Button component={Link} to={paths.session(s.id)} size="xs">
                  Pick a time
                </Button>
              )}
              {s.status === 'PENDING_PAYMENT' && (
                <Button component={Link} to={paths.session(s.id)} size="xs" variant="light">
                  Pay
                </Button>
              )}
              {s.status === 'SCHEDULED' && s.proposedStartAt && (
                <Button component={Link} to={paths.session(s.id)} size="xs" aria-label={`Answer the proposed new time for ${s.offeringTitle}`}>
                  Answer new time
                </Button>
              )}
              {s.status === 'SCHEDULED' && (
                <Button
                  size="xs"
                  variant="default"
                  loading={calendar.isPending && calendar.variables === s.id}
                  onClick={() => calendar.mutate(s.id)}
                  aria-label={`Add ${s.offeringTitle} to calendar`}
                >
                  Add to calendar
                </Button>
              )}
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
