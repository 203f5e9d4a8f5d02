import { Container, Paper, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { useTimeZone } from '../auth/use-time-zone';
import { paymentsQueryOptions, type PaymentsQuery } from './admin.queries';
import { PaymentsTable } from './components/payments-table';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `?sessionId=…&page=…` */
const PARAMS = { sessionId: textParam() };

/** `/admin/payments`: every payment, newest first, with its refunds and Stripe references. */
export function PaymentsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const { sessionId } = list.filters;
  const [sessionIdText, setSessionIdText] = useDebouncedText(sessionId, (value) => list.setFilters({ sessionId: value }));
  const sessionFilterInvalid = sessionId !== '' && !UUID.test(sessionId);
  const query: PaymentsQuery = {
    page: list.page,
    pageSize: PAGE_SIZE,
    ...(sessionId && !sessionFilterInvalid ? { sessionId } : {}),
  };
  const payments = useQuery(paymentsQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Payments" description={`Confirmed Stripe payments and their refunds. Times in ${zone}.`} />
        <Paper withBorder p="md" radius="md">
          <TextInput
            label="Session ID"
            placeholder="Exact session id"
            value={sessionIdText}
            error={sessionFilterInvalid ? 'A session id looks like 3f2b…-…' : undefined}
            onChange={(e) => setSessionIdText(e.currentTarget.value)}
            maw={420}
          />
        </Paper>
        {payments.isPending ? (
          <LoadingState label="Loading payments" />
        ) : payments.isError ? (
          <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />
        ) : payments.data.items.length === 0 ? (
          <EmptyState title="No payments">Payments appear here once Stripe confirms them.</EmptyState>
        ) : (
          <PaymentsTable payments={payments.data.items} zone={zone} locale={locale} />
        )}
        {payments.data && (
          <ListFooter
            total={payments.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="payment"
            pagesLabel="Payment pages"
          />
        )}
      </Stack>
    </Container>
  );
}
