import { formatMoney, SESSION_STATUSES } from '@lm/domain';
import { Container, MultiSelect, Paper, Stack, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { SessionStatusBadge } from '../sessions/components/session-status-badge';
import { STATUS_OPTIONS } from '../sessions/session-labels';
import type { SessionStatus } from '../sessions/sessions.queries';
import { adminSessionsQueryOptions, type AdminSessionsQuery } from './admin.queries';

const PAGE_SIZE = 25;

/** `/admin/sessions`: every consultation, newest first, filterable by status. Read-only. */
export function AdminSessionsPage() {
  const { zone, locale } = useTimeZone();
  const [statuses, setStatuses] = useState<SessionStatus[]>([]);
  const [page, setPage] = useState(1);
  const query: AdminSessionsQuery = { page, pageSize: PAGE_SIZE, ...(statuses.length ? { status: statuses } : {}) };
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
            onChange={(value) => {
              setStatuses(value.filter((v): v is SessionStatus => (SESSION_STATUSES as readonly string[]).includes(v)));
              setPage(1);
            }}
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
                  {sessions.data.items.map((s) => (
                    <Table.Tr key={s.id}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(s.createdAt, zone, locale)}</Table.Td>
                      <Table.Td>{s.offeringTitle}</Table.Td>
                      <Table.Td>{s.client.displayName}</Table.Td>
                      <Table.Td>{s.lawyer.displayName}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {s.startAt ? formatDateTime(s.startAt, zone, locale) : '—'}
                      </Table.Td>
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
        )}
        {sessions.data && (
          <ListFooter
            total={sessions.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="session"
            pagesLabel="Session pages"
          />
        )}
      </Stack>
    </Container>
  );
}
