import { formatMoney, SESSION_STATUSES } from '@lm/domain';
import { Anchor, Button, Container, Group, Paper, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTime, zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { SessionStatusBadge } from './components/session-status-badge';
import { STATUS_OPTIONS } from './session-labels';
import { mySessionsQueryOptions, useDownloadCalendar, type MySessionsQuery } from './sessions.queries';

const PAGE_SIZE = 20;
/** `?status=…&page=…` */
const PARAMS = { status: oneOfParam(SESSION_STATUSES) };

/** The client's consultations, newest first, with their status and the next thing to do. */
export function MySessionsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const { status } = list.filters;
  const query: MySessionsQuery = { page: list.page, pageSize: PAGE_SIZE, ...(status ? { status: [status] } : {}) };
  const sessions = useQuery(mySessionsQueryOptions(query));
  const calendar = useDownloadCalendar();

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="My sessions"
          description={`Your consultations. Times are shown in ${zoneLabel(zone)}.`}
          actions={
            <Button component={Link} to={paths.lawyers}>
              Find a lawyer
            </Button>
          }
        />
        <Group>
          <Select
            label="Status"
            placeholder="Any status"
            data={STATUS_OPTIONS}
            value={status}
            onChange={(value) => list.setFilters({ status: PARAMS.status.parse(value ? [value] : []) })}
            clearable
            w={240}
          />
        </Group>

        {sessions.isPending ? (
          <LoadingState label="Loading your sessions" />
        ) : sessions.isError ? (
          <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : sessions.data.items.length === 0 ? (
          <EmptyState title={status ? 'No sessions with this status' : 'No sessions yet'}>
            {status ? (
              'Choose another status to see more.'
            ) : (
              <>
                Book a consultation from the{' '}
                <Anchor component={Link} to={paths.lawyers}>
                  lawyer directory
                </Anchor>
                .
              </>
            )}
          </EmptyState>
        ) : (
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" horizontalSpacing="md" aria-label="Sessions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Consultation</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Price</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {sessions.data.items.map((s) => (
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
                        {s.startAt ? formatDateTime(s.startAt, zone, locale) : <Text c="gray.7">Not booked yet</Text>}
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
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        )}

        {sessions.data && (
          <ListFooter
            total={sessions.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="session"
            pagesLabel="Session pages"
          />
        )}
      </Stack>
    </Container>
  );
}
