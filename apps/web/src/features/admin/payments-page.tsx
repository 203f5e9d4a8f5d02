import { ApiError, settle, type components } from '@lm/api-client';
import { formatMoney } from '@lm/domain';
import { Alert, Button, Container, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { oneOfParam, textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { api } from '../../lib/api';
import { dayFiltersToInstants } from '../../lib/date-range';
import { fileNameOf, saveBlob } from '../../lib/download';
import { describeError } from '../../lib/errors';
import { useTimeZone } from '../auth/use-time-zone';
import { paymentsQueryOptions, type PaymentsQuery } from './admin.queries';
import { DayRangeInputs } from './components/day-range-inputs';
import { PaymentsTable } from './components/payments-table';

const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'] as const;
const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
  PAID: 'Paid (nothing refunded)',
  PARTIALLY_REFUNDED: 'Partly refunded',
  REFUNDED: 'Refunded in full',
};
/** Every filter lives in the address: `?status=…&currency=…&from=…&to=…&q=…&sessionId=…&page=…`. */
const PARAMS = {
  status: oneOfParam(STATUSES),
  currency: textParam(),
  from: textParam(),
  to: textParam(),
  q: textParam(),
  sessionId: textParam(),
};

type Filters = Omit<PaymentsQuery, 'page' | 'pageSize'>;

/** `/admin/payments`: every payment, newest first, with filters, the filtered totals and a CSV export. */
export function PaymentsPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const { status, currency, from, to, q, sessionId } = list.filters;
  const [qText, setQText] = useDebouncedText(q, (value) => list.setFilters({ q: value }));
  const [currencyText, setCurrencyText] = useDebouncedText(currency, (value) => list.setFilters({ currency: value.toUpperCase() }));
  const [sessionIdText, setSessionIdText] = useDebouncedText(sessionId, (value) => list.setFilters({ sessionId: value }));
  const sessionFilterInvalid = sessionId !== '' && !UUID.test(sessionId);
  const currencyInvalid = currency !== '' && !/^[A-Z]{3}$/.test(currency);
  const filters: Filters = {
    ...(status ? { status } : {}),
    ...(currency && !currencyInvalid ? { currency } : {}),
    ...dayFiltersToInstants(from, to, zone),
    ...(q ? { q } : {}),
    ...(sessionId && !sessionFilterInvalid ? { sessionId } : {}),
  };
  const payments = useQuery(paymentsQueryOptions({ page: list.page, pageSize: PAGE_SIZE, ...filters }));

  const exportCsv = useMutation({
    meta: { errorToast: false },
    mutationFn: async () => {
      const { data, error, response } = await settle(api.GET('/api/admin/payments/export.csv', { params: { query: filters }, parseAs: 'blob' }));
      if (!response.ok || error !== undefined) throw ApiError.fromResponse(error, response);
      saveBlob(data as Blob, fileNameOf(response, 'payments.csv'));
    },
  });

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Payments" description={`Confirmed Stripe payments and their refunds. Times and dates in ${zone}.`} />
        <Paper withBorder p="md" radius="md" component="form" aria-label="Payment filters" onSubmit={(e) => e.preventDefault()}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <TextInput
              label="Client or lawyer"
              description="Part of a name or email"
              value={qText}
              onChange={(e) => setQText(e.currentTarget.value)}
            />
            <Select
              label="Status"
              placeholder="Any status"
              data={STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }))}
              value={status}
              onChange={(value) => list.setFilters({ status: PARAMS.status.parse(value ? [value] : []) })}
              clearable
            />
            <TextInput
              label="Currency"
              description="3-letter code, e.g. EUR"
              value={currencyText}
              maxLength={3}
              error={currencyInvalid ? 'Use a 3-letter code such as EUR' : undefined}
              onChange={(e) => setCurrencyText(e.currentTarget.value)}
            />
            <DayRangeInputs from={from} to={to} onChange={(patch) => list.setFilters(patch)} />
            <TextInput
              label="Session ID"
              placeholder="Exact session id"
              value={sessionIdText}
              error={sessionFilterInvalid ? 'A session id looks like 3f2b…-…' : undefined}
              onChange={(e) => setSessionIdText(e.currentTarget.value)}
            />
          </SimpleGrid>
        </Paper>

        {payments.data && <Totals totals={payments.data.totals} locale={locale} />}

        <Group justify="space-between">
          <Text size="sm" c="gray.7">
            The export holds every payment matching these filters (all pages), amounts as decimals.
          </Text>
          <Button variant="default" onClick={() => exportCsv.mutate()} loading={exportCsv.isPending}>
            Export CSV
          </Button>
        </Group>
        {exportCsv.isError && (
          <Alert color="red" role="alert" title="Could not export">
            {describeError(exportCsv.error).message}
          </Alert>
        )}

        {payments.isPending ? (
          <LoadingState label="Loading payments" />
        ) : payments.isError ? (
          <ErrorState error={payments.error} onRetry={() => void payments.refetch()} />
        ) : payments.data.items.length === 0 ? (
          <EmptyState title="No payments">Nothing matches these filters.</EmptyState>
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

type PaymentTotals = components['schemas']['PaymentTotalsResponse'];

/** Gross, refunded and net of the whole filtered set, one row per currency (never summed across). */
function Totals({ totals, locale }: { totals: PaymentTotals[]; locale: string }) {
  return (
    <Stack gap="xs" component="section" aria-labelledby="payment-totals-heading">
      <Title order={2} fz="lg" id="payment-totals-heading">
        Totals for these filters
      </Title>
      {totals.length === 0 ? (
        <Text size="sm">No payments.</Text>
      ) : (
        <DataTable label="Totals per currency" columns={['Currency', 'Payments', 'Gross', 'Refunded', 'Net']} minWidth={480}>
          {totals.map((t) => (
            <Table.Tr key={t.currency}>
              <Table.Td>{t.currency}</Table.Td>
              <Table.Td>{t.count}</Table.Td>
              <Table.Td>{formatMoney(t.grossMinor, t.currency, locale)}</Table.Td>
              <Table.Td>{formatMoney(t.refundedMinor, t.currency, locale)}</Table.Td>
              <Table.Td fw={600}>{formatMoney(t.netMinor, t.currency, locale)}</Table.Td>
            </Table.Tr>
          ))}
        </DataTable>
      )}
    </Stack>
  );
}
