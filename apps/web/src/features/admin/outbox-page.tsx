import { Container, Group, Paper, Select, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { oneOfParam, textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { outboxQueryOptions, type EmailMessage, type OutboxQuery } from './admin.queries';
import { OutboxTable, STATUS_COLOR } from './components/outbox-table';

const PAGE_SIZE = 20;
const STATUSES = Object.keys(STATUS_COLOR) as EmailMessage['status'][];
const STATUS_OPTIONS = STATUSES.map((s) => ({ value: s, label: s.charAt(0) + s.slice(1).toLowerCase() }));
/** `?to=…&status=…&page=…` */
const PARAMS = { to: textParam(), status: oneOfParam(STATUSES) };

export function OutboxPage() {
  const list = usePagedListParams(PARAMS);
  const { status, to } = list.filters;
  const [toText, setToText] = useDebouncedText(to, (value) => list.setFilters({ to: value }));

  const query: OutboxQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    ...(status ? { status } : {}),
    ...(to ? { to } : {}),
  };
  const outbox = useQuery(outboxQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Email outbox"
          description="Every email the platform sends. Without an SMTP server, messages are captured here instead of delivered."
        />
        <Paper withBorder p="md" radius="md">
          <Group align="flex-end" gap="md">
            <TextInput
              label="Recipient"
              placeholder="Exact email address"
              value={toText}
              onChange={(e) => setToText(e.currentTarget.value)}
              style={{ flex: 1, minWidth: 220 }}
            />
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUS_OPTIONS}
              value={status}
              onChange={(value) => list.setFilters({ status: value as EmailMessage['status'] | null })}
              clearable
              w={180}
            />
          </Group>
        </Paper>

        {outbox.isPending ? (
          <LoadingState label="Loading emails" />
        ) : outbox.isError ? (
          <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
        ) : outbox.data.items.length === 0 ? (
          <EmptyState title="No emails">Nothing has been sent that matches these filters.</EmptyState>
        ) : (
          <OutboxTable emails={outbox.data.items} />
        )}

        {outbox.data && (
          <ListFooter
            total={outbox.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="email"
            pagesLabel="Email pages"
          />
        )}
      </Stack>
    </Container>
  );
}
