import { Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { ListFooter } from '../../../components/list-footer';
import { EmptyState, ErrorState, LoadingState } from '../../../components/query-state';
import { pageNumber, usePagedListParams, type PagingParam } from '../../../hooks/use-paged-list-params';
import { myPayoutsQueryOptions, myStatementsQueryOptions } from '../finance.queries';
import { PayoutsTable } from './payouts-table';
import { StatementsTable } from './statements-table';

const PAGE_SIZE = 10;
/** Both lists page on their own (`?payoutsPage=2&statementsPage=3`), beside the report's range. */
const PAYOUTS_PAGE: PagingParam<number> = { ...pageNumber, key: 'payoutsPage' };
const STATEMENTS_PAGE: PagingParam<number> = { ...pageNumber, key: 'statementsPage' };
const NO_FILTERS = {};

/** "Payouts": what the platform paid the signed-in lawyer or partner (manual payouts). */
export function MyPayoutsSection({ zone, locale }: { zone: string; locale: string }) {
  const { page, setPage } = usePagedListParams(NO_FILTERS, PAYOUTS_PAGE);
  const payouts = useQuery(myPayoutsQueryOptions({ page, pageSize: PAGE_SIZE }));
  return (
    <Stack gap="sm" component="section" aria-labelledby="my-payouts-heading">
      <Title order={2} fz="lg" id="my-payouts-heading">
        Payouts
      </Title>
      <Text size="sm" c="gray.7">
        Money we sent you. A payout entered by mistake is reversed, never deleted, so it stays listed.
      </Text>
      {payouts.isPending ? (
        <LoadingState label="Loading payouts" />
      ) : payouts.isError ? (
        <ErrorState error={payouts.error} onRetry={() => void payouts.refetch()} />
      ) : payouts.data.items.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState title="No payouts yet">Payouts appear here once we have paid you.</EmptyState>
        </Paper>
      ) : (
        <>
          <PayoutsTable payouts={payouts.data.items} zone={zone} locale={locale} />
          <ListFooter
            total={payouts.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="payout"
            pagesLabel="Payout pages"
          />
        </>
      )}
    </Stack>
  );
}

/** "Statements": the signed-in payee's monthly statements, with CSV and PDF downloads. */
export function MyStatementsSection({ zone, locale }: { zone: string; locale: string }) {
  const { page, setPage } = usePagedListParams(NO_FILTERS, STATEMENTS_PAGE);
  const statements = useQuery(myStatementsQueryOptions({ page, pageSize: PAGE_SIZE }));
  // `#statements` (the statement notification's link): bring the list into view once it is there.
  const { hash } = useLocation();
  const section = useRef<HTMLDivElement>(null);
  const loaded = statements.isSuccess;
  useEffect(() => {
    if (hash === '#statements' && loaded) section.current?.scrollIntoView({ block: 'start' });
  }, [hash, loaded]);
  return (
    <Stack
      gap="sm"
      component="section"
      aria-labelledby="my-statements-heading"
      id="statements"
      ref={section}
      style={{ scrollMarginTop: 80 }}
    >
      <Title order={2} fz="lg" id="my-statements-heading">
        Statements
      </Title>
      <Text size="sm" c="gray.7">
        One per month and currency once the month has closed: the opening balance, every line, the closing balance.
      </Text>
      {statements.isPending ? (
        <LoadingState label="Loading statements" />
      ) : statements.isError ? (
        <ErrorState error={statements.error} onRetry={() => void statements.refetch()} />
      ) : statements.data.items.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState title="No statements yet">
            Your first statement is issued after the first month with activity closes.
          </EmptyState>
        </Paper>
      ) : (
        <>
          <StatementsTable statements={statements.data.items} zone={zone} locale={locale} />
          <ListFooter
            total={statements.data.total}
            pageSize={PAGE_SIZE}
            page={page}
            onPageChange={setPage}
            noun="statement"
            pagesLabel="Statement pages"
          />
        </>
      )}
    </Stack>
  );
}
