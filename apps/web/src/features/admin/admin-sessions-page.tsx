import { SESSION_STATUSES } from '@lm/domain';
import { Container, MultiSelect, Paper, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { listParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { useTimeZone } from '../auth/use-time-zone';
import { STATUS_OPTIONS } from '../sessions/session-labels';
import { adminSessionsQueryOptions, type AdminSessionsQuery } from './admin.queries';
import { AdminSessionsTable } from './components/admin-sessions-table';

const PAGE_SIZE = 25;
/** `?status=PAID&status=SCHEDULED&page=…` */
const PARAMS = { status: listParam(SESSION_STATUSES) };

/** `/admin/sessions`: every consultation, newest first, filterable by status. Read-only. */
export function AdminSessionsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const statuses = list.filters.status;
  const query: AdminSessionsQuery = { page: list.page, pageSize: PAGE_SIZE, ...(statuses.length ? { status: statuses } : {}) };
  const sessions = useQuery(adminSessionsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Sessions" description={`All consultations, newest first. Times in ${zone}.`} />
        <Paper withBorder p="md" radius="md">
          <MultiSelect
            label="Status"
            placeholder={statuses.length ? undefined : 'Any status'}
            data={STATUS_OPTIONS}
            value={statuses}
            onChange={(value) => list.setFilters({ status: PARAMS.status.parse(value) })}
            clearable
            maw={520}
          />
        </Paper>
        {sessions.isPending ? (
          <LoadingState label="Loading sessions" />
        ) : sessions.isError ? (
          <ErrorState error={sessions.error} onRetry={() => void sessions.refetch()} />
        ) : sessions.data.items.length === 0 ? (
          <EmptyState title="No sessions">Nothing matches these filters.</EmptyState>
        ) : (
          <AdminSessionsTable sessions={sessions.data.items} zone={zone} locale={locale} />
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
