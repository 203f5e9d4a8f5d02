import { Anchor, Container, Group, Paper, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { TicketStatusBadge } from './components/ticket-status-badge';
import { CATEGORY_SHORT, TICKET_STATUS_LOOK } from './support-labels';
import { adminTicketsQueryOptions, TICKET_CATEGORIES, TICKET_STATUSES, type AdminTicketsQuery } from './support.queries';

const PAGE_SIZE = 25;
const ASSIGNEES = ['anyone', 'me', 'unassigned'] as const;
/** `?status=OPEN&category=NO_SHOW_LAWYER&assignee=unassigned&page=…` */
const PARAMS = {
  status: oneOfParam(TICKET_STATUSES),
  category: oneOfParam(TICKET_CATEGORIES),
  assignee: oneOfParam(ASSIGNEES, 'anyone'),
};

const STATUS_OPTIONS = TICKET_STATUSES.map((value) => ({ value, label: TICKET_STATUS_LOOK[value].label }));
const CATEGORY_OPTIONS = TICKET_CATEGORIES.map((value) => ({ value, label: CATEGORY_SHORT[value] }));

/** `/admin/support`: the support queue, filterable by status, category and assignee (all in the address). */
export function AdminSupportQueuePage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const { status, category, assignee } = list.filters;
  const query: AdminTicketsQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    ...(status ? { status } : {}),
    ...(category ? { category } : {}),
    ...(assignee !== 'anyone' ? { assignee } : {}),
  };
  const tickets = useQuery(adminTicketsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Support queue" description={`Reports and questions from users. Times in ${zone}.`} />
        <Paper withBorder p="md" radius="md">
          <Group align="flex-end" gap="md">
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUS_OPTIONS}
              value={status}
              onChange={(value) => list.setFilters({ status: PARAMS.status.parse(value ? [value] : []) })}
              clearable
              w={220}
            />
            <Select
              label="Category"
              placeholder="Any category"
              data={CATEGORY_OPTIONS}
              value={category}
              onChange={(value) => list.setFilters({ category: PARAMS.category.parse(value ? [value] : []) })}
              clearable
              w={220}
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} id="assignee-label">
                Assigned to
              </Text>
              <SegmentedControl
                aria-labelledby="assignee-label"
                value={assignee}
                onChange={(value) => list.setFilters({ assignee: PARAMS.assignee.parse([value]) })}
                data={[
                  { value: 'anyone', label: 'Anyone' },
                  { value: 'me', label: 'Me' },
                  { value: 'unassigned', label: 'Unassigned' },
                ]}
              />
            </Stack>
          </Group>
        </Paper>
        {tickets.isPending ? (
          <LoadingState label="Loading tickets" />
        ) : tickets.isError ? (
          <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />
        ) : tickets.data.items.length === 0 ? (
          <EmptyState title="No tickets">Nothing matches these filters.</EmptyState>
        ) : (
          <DataTable
            label="Support tickets"
            columns={['Opened', 'Ticket', 'Category', 'Reporter', 'Assigned to', 'Status']}
            minWidth={900}
          >
            {tickets.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(t.createdAt, zone, locale)}</Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  <Anchor component={Link} to={paths.admin.supportTicket(t.id)}>
                    {t.subject || CATEGORY_SHORT[t.category]}
                  </Anchor>
                </Table.Td>
                <Table.Td>{CATEGORY_SHORT[t.category]}</Table.Td>
                <Table.Td>
                  {t.reporter.displayName}{' '}
                  <Text span size="xs" c="gray.7">
                    ({t.reporter.role.toLowerCase()})
                  </Text>
                </Table.Td>
                <Table.Td>{t.assignee?.displayName ?? '—'}</Table.Td>
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
      </Stack>
    </Container>
  );
}
