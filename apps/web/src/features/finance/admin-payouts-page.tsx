import { formatMoney } from '@lm/domain';
import { Alert, Button, Container, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { oneOfParam, pageNumber, textParam, usePagedListParams, type PagingParam } from '../../hooks/use-paged-list-params';
import { describeError } from '../../lib/errors';
import { useTimeZone } from '../auth/use-time-zone';
import { PayoutsTable } from './components/payouts-table';
import { RecordPayoutModal } from './components/record-payout-modal';
import { ReversePayoutModal } from './components/reverse-payout-modal';
import { PAYEE_ROLES, ROLE_LABELS } from './finance-labels';
import { payoutHistoryQueryOptions, pendingPayoutsQueryOptions, useExportPendingPayouts } from './finance.queries';
import type { Payout, PendingPayout } from './finance.types';
import { pendingFilters } from './pending-filters';

const PAGE_SIZE = 20;
/** The pending list's filters and page: `?currency=EUR&role=PARTNER&minimum=50&page=2`. */
const PARAMS = { currency: textParam(), role: oneOfParam(PAYEE_ROLES), minimum: textParam() };
/** The history pages on its own: `?historyPage=3`. */
const HISTORY_PAGE: PagingParam<number> = { ...pageNumber, key: 'historyPage' };
const NO_FILTERS = {};

/** `/admin/payouts`: who is owed money (to pay them by hand), recording a payout, and the history. */
export function AdminPayoutsPage() {
  const { zone, locale } = useTimeZone();
  return (
    <Container size="lg" py="xl">
      <Stack gap="xl">
        <PageHeader
          title="Payouts"
          description="Partners and lawyers are paid by hand (bank transfer and the like). Record each payout here once the money has been sent."
        />
        <PendingSection locale={locale} />
        <HistorySection zone={zone} locale={locale} />
      </Stack>
    </Container>
  );
}

function PendingSection({ locale }: { locale: string }) {
  const list = usePagedListParams(PARAMS);
  const { currency, role, minimum } = list.filters;
  const [currencyText, setCurrencyText] = useDebouncedText(currency, (value) =>
    list.setFilters({ currency: value.toUpperCase() }),
  );
  const [minimumText, setMinimumText] = useDebouncedText(minimum, (value) => list.setFilters({ minimum: value }));
  const { query, errors } = pendingFilters({ currency, role, minimum });
  const pending = useQuery(pendingPayoutsQueryOptions({ ...query, page: list.page, pageSize: PAGE_SIZE }));
  const exportCsv = useExportPendingPayouts();
  const [paying, setPaying] = useState<PendingPayout | null>(null);

  return (
    <Stack gap="md" component="section" aria-labelledby="pending-heading">
      <Title order={2} fz="lg" id="pending-heading">
        Owed now
      </Title>
      <Paper
        withBorder
        p="md"
        radius="md"
        component="form"
        aria-label="Pending payout filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label="Currency"
            description="3-letter code, e.g. EUR"
            value={currencyText}
            maxLength={3}
            error={errors.currency}
            onChange={(e) => setCurrencyText(e.currentTarget.value)}
          />
          <Select
            label="Payee"
            placeholder="Partners and lawyers"
            data={PAYEE_ROLES.map((value) => ({ value, label: `${ROLE_LABELS[value]}s` }))}
            value={role}
            onChange={(value) => list.setFilters({ role: PARAMS.role.parse(value ? [value] : []) })}
            clearable
          />
          <TextInput
            label="Minimum owed"
            description="In the currency, e.g. 50; empty: the platform’s minimum"
            inputMode="decimal"
            value={minimumText}
            error={errors.minimum}
            onChange={(e) => setMinimumText(e.currentTarget.value)}
          />
        </SimpleGrid>
      </Paper>

      <Group justify="space-between">
        <Text size="sm" c="gray.7">
          {pending.data && query.currency
            ? `Payees owed at least ${formatMoney(pending.data.minimumMinor, query.currency, locale)}. `
            : 'Payees owed at least the minimum. '}
          The export holds every one matching these filters (all pages), for the bank run.
        </Text>
        <Button variant="default" onClick={() => exportCsv.mutate(query)} loading={exportCsv.isPending}>
          Export CSV
        </Button>
      </Group>
      {exportCsv.isError && (
        <Alert color="red" role="alert" title="Could not export">
          {describeError(exportCsv.error).message}
        </Alert>
      )}

      {pending.isPending ? (
        <LoadingState label="Loading what is owed" />
      ) : pending.isError ? (
        <ErrorState error={pending.error} onRetry={() => void pending.refetch()} />
      ) : pending.data.items.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState title="Nobody to pay">No partner or lawyer is owed at least the minimum with these filters.</EmptyState>
        </Paper>
      ) : (
        <PendingTable items={pending.data.items} locale={locale} onPay={setPaying} />
      )}
      {pending.data && (
        <ListFooter
          total={pending.data.total}
          pageSize={PAGE_SIZE}
          page={list.page}
          onPageChange={list.setPage}
          noun="payee"
          pagesLabel="Pending payout pages"
        />
      )}
      <RecordPayoutModal payee={paying} onClose={() => setPaying(null)} />
    </Stack>
  );
}

const lastDay = (day: string, locale: string) => {
  const dt = DateTime.fromISO(day, { zone: 'utc' });
  return dt.isValid ? dt.setLocale(locale).toLocaleString(DateTime.DATE_MED) : day;
};

function PendingTable({
  items,
  locale,
  onPay,
}: {
  items: readonly PendingPayout[];
  locale: string;
  onPay: (payee: PendingPayout) => void;
}) {
  return (
    <DataTable
      label="Owed now"
      columns={['Payee', 'Role', 'Currency', 'Owed', 'Last activity', { label: 'Actions', visuallyHidden: true }]}
      minWidth={760}
    >
      {items.map((p) => {
        const id = `pending-${p.payeeId}-${p.currency}`;
        return (
          <Table.Tr key={`${p.payeeId}:${p.currency}`}>
            <Table.Td>
              <Text size="sm" fw={500} id={id}>
                {p.payeeName}
              </Text>
              <Text size="xs" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
                {p.payeeEmail}
              </Text>
            </Table.Td>
            <Table.Td>{ROLE_LABELS[p.role]}</Table.Td>
            <Table.Td>{p.currency}</Table.Td>
            <Table.Td fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatMoney(p.owedMinor, p.currency, locale)}
            </Table.Td>
            <Table.Td>{lastDay(p.lastActivityDay, locale)}</Table.Td>
            <Table.Td>
              <Button size="xs" onClick={() => onPay(p)} aria-describedby={id}>
                Record payout
              </Button>
            </Table.Td>
          </Table.Tr>
        );
      })}
    </DataTable>
  );
}

function HistorySection({ zone, locale }: { zone: string; locale: string }) {
  const { page, setPage } = usePagedListParams(NO_FILTERS, HISTORY_PAGE);
  const history = useQuery(payoutHistoryQueryOptions({ page, pageSize: PAGE_SIZE }));
  const [reversing, setReversing] = useState<Payout | null>(null);

  return (
    <Stack gap="md" component="section" aria-labelledby="history-heading">
      <Title order={2} fz="lg" id="history-heading">
        History
      </Title>
      {history.isPending ? (
        <LoadingState label="Loading payout history" />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState title="No payouts recorded yet">Recorded payouts appear here.</EmptyState>
        </Paper>
      ) : (
        <>
          <PayoutsTable
            payouts={history.data.items}
            zone={zone}
            locale={locale}
            showPayee
            action={(p, describedBy) =>
              p.reversal ? null : (
                <Button size="xs" variant="subtle" color="red" onClick={() => setReversing(p)} aria-describedby={describedBy}>
                  Reverse
                </Button>
              )
            }
          />
          <ListFooter
            total={history.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="payout"
            pagesLabel="Payout history pages"
          />
        </>
      )}
      <ReversePayoutModal payout={reversing} onClose={() => setReversing(null)} />
    </Stack>
  );
}
