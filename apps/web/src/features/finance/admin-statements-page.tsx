import { Button, Container, Paper, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { usePagedListParams } from '../../hooks/use-paged-list-params';
import { useTimeZone } from '../auth/use-time-zone';
import { ReissueStatementModal } from './components/reissue-statement-modal';
import { StatementsTable } from './components/statements-table';
import { adminStatementsQueryOptions, useRunStatements } from './finance.queries';
import type { Statement } from './finance.types';

const PAGE_SIZE = 20;
const NO_FILTERS = {};

/** `/admin/statements`: every issued statement, its files, and re-issuing a corrected one. */
export function AdminStatementsPage() {
  const { zone, locale } = useTimeZone();
  const { page, setPage } = usePagedListParams(NO_FILTERS);
  const statements = useQuery(adminStatementsQueryOptions({ page, pageSize: PAGE_SIZE }));
  const run = useRunStatements();
  const [reissuing, setReissuing] = useState<Statement | null>(null);

  const issueNow = () =>
    run.mutate(undefined, {
      onSuccess: ({ issued }) =>
        notifications.show({
          color: 'green',
          title: issued === 0 ? 'Nothing to issue' : 'Statements issued',
          message:
            issued === 0
              ? 'Every closed month already has its statement.'
              : `${issued} statement${issued === 1 ? '' : 's'} issued.`,
        }),
    });

  return (
    <Container size="xl" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Statements"
          description="Monthly statements of partners and lawyers, issued after each month closes. An issued statement never changes; a correction is a new statement that supersedes it."
          actions={
            <Button variant="default" onClick={issueNow} loading={run.isPending}>
              Issue due statements now
            </Button>
          }
        />
        {statements.isPending ? (
          <LoadingState label="Loading statements" />
        ) : statements.isError ? (
          <ErrorState error={statements.error} onRetry={() => void statements.refetch()} />
        ) : statements.data.items.length === 0 ? (
          <Paper withBorder radius="md">
            <EmptyState title="No statements yet">
              Statements are issued for every month with activity once it has closed.
            </EmptyState>
          </Paper>
        ) : (
          <>
            <StatementsTable
              statements={statements.data.items}
              zone={zone}
              locale={locale}
              showPayee
              action={(s, describedBy) =>
                s.superseded ? null : (
                  <Button size="xs" variant="subtle" onClick={() => setReissuing(s)} aria-describedby={describedBy}>
                    Re-issue
                  </Button>
                )
              }
            />
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
      <ReissueStatementModal statement={reissuing} onClose={() => setReissuing(null)} />
    </Container>
  );
}
