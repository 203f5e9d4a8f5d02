import { Anchor, Button, Container, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { TicketStatusBadge } from './components/ticket-status-badge';
import { CATEGORY_LABEL } from './support-labels';
import { myTicketsQueryOptions } from './support.queries';

const PAGE_SIZE = 20;
/** Only `?page=`. */
const PARAMS = {};

/** `/support`: the signed-in user's support tickets, with their status, and a way to write a new one. */
export function MyTicketsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const tickets = useQuery(myTicketsQueryOptions({ page: list.page, pageSize: PAGE_SIZE }));

  return (
    <Container size="md" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Support tickets"
          description="Your reports and questions to LexMarket support, newest activity first."
          actions={
            <Button component={Link} to={paths.support.newTicket}>
              Contact support
            </Button>
          }
        />
        {tickets.isPending ? (
          <LoadingState label="Loading your tickets" />
        ) : tickets.isError ? (
          <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
        ) : tickets.data.items.length === 0 ? (
          <EmptyState title="No tickets yet">
            To report a problem with a session, open the session and choose “Report a problem”. For anything else, use Contact
            support.
          </EmptyState>
        ) : (
          <DataTable label="Support tickets" columns={['Subject', 'Category', 'Opened', 'Status']} minWidth={640}>
            {tickets.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Anchor component={Link} to={paths.support.ticket(t.id)}>
                    {t.subject || CATEGORY_LABEL[t.category]}
                  </Anchor>
                  {t.sessionId && (
                    <Text size="xs" c="gray.7">
                      About a session
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{CATEGORY_LABEL[t.category]}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.createdAt, zone, locale)}</Table.Td>
                <Table.Td>
                  <TicketStatusBadge status={t.status} size="sm" />
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
        {tickets.data && (
          <ListFooter
            total={tickets.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="ticket"
            pagesLabel="Ticket pages"
          />
        )}
        <Group>
          <Anchor component={Link} to={paths.notifications} size="sm">
            Email and notification settings
          </Anchor>
        </Group>
      </Stack>
    </Container>
  );
}
