import { SESSION_STATUSES } from '@lm/domain';
import { Anchor, Button, Container, Group, Select, Stack, Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { zoneLabel } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { MySessionsTable } from './components/my-sessions-table';
import { STATUS_OPTIONS } from './session-labels';
import { mySessionsQueryOptions, type MySessionsQuery } from './sessions.queries';

const PAGE_SIZE = 20;
const VIEWS = ['upcoming', 'action', 'past', 'all'] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABEL: Record<View, string> = { upcoming: 'Upcoming', action: 'Needs action', past: 'Past', all: 'All' };
const VIEW_EMPTY: Record<View, string> = {
  upcoming: 'No upcoming sessions',
  action: 'Nothing needs your action',
  past: 'No past sessions',
  all: 'No sessions yet',
};
/** `?view=…&status=…&page=…` (no `view`: upcoming) */
const PARAMS = { view: oneOfParam(VIEWS, 'upcoming'), status: oneOfParam(SESSION_STATUSES) };

/** The client's consultations, newest first, with their status and the next thing to do. */
export function MySessionsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const { status, view } = list.filters;
  const query: MySessionsQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    ...(status ? { status: [status] } : {}),
    ...(view !== 'all' ? { view } : {}),
  };
  const sessions = useQuery(mySessionsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="My sessions"
          description={`Your consultations. Times are shown in ${zoneLabel(zone)}: needs action lists what waits for you (payment, a time to book, a proposed new time).`}
          actions={
            <Button component={Link} to={paths.lawyers}>
              Find a lawyer
            </Button>
          }
        />
        <Tabs value={view} onChange={(value) => list.setFilters({ view: PARAMS.view.parse(value ? [value] : []), status })}>
          <Tabs.List>
            {VIEWS.map((v) => (
              <Tabs.Tab key={v} value={v}>
                {VIEW_LABEL[v]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <Group>
          <Select
            label="Status"
            placeholder="Any status"
            data={STATUS_OPTIONS}
            value={status}
            onChange={(value) => list.setFilters({ view, status: PARAMS.status.parse(value ? [value] : []) })}
            clearable
            w={240}
          />
        </Group>

        {sessions.isPending ? (
          <LoadingState label="Loading your sessions" />
        ) : sessions.isError ? (
          <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : sessions.data.items.length === 0 ? (
          <EmptyState title={status ? 'No sessions with this status' : VIEW_EMPTY[view]}>
            {status || view !== 'all' ? (
              'Choose another tab or status to see more.'
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
          <MySessionsTable sessions={sessions.data.items} zone={zone} locale={locale} />
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
