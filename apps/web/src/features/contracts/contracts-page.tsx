import { Anchor, Badge, Button, Container, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTimeZoned } from '../../lib/time';
import { useCurrentUser } from '../auth/use-current-user';
import { useTimeZone } from '../auth/use-time-zone';
import { ContractStatusBadge } from './components/contract-status-badge';
import { CONTRACT_VIEWS, counterpartOf, VIEW_EMPTY, VIEW_LABEL } from './contract-labels';
import { contractsQueryOptions } from './contracts.queries';
import type { ContractSummary } from './contracts.types';

const PAGE_SIZE = 20;
/** `?view=…&sessionId=…&page=…` (no `view`: to sign). */
const PARAMS = { view: oneOfParam(CONTRACT_VIEWS, 'to_sign'), sessionId: textParam() };

/** The contracts I am a party to: what waits for my signature, what is under way, what is executed. */
export function ContractsPage() {
  const { zone, locale } = useTimeZone();
  const { user } = useCurrentUser();
  const list = usePagedListParams(PARAMS);
  const { view, sessionId } = list.filters;
  const contracts = useQuery(
    contractsQueryOptions({
      ...(view !== 'all' ? { view } : {}),
      ...(sessionId ? { sessionId } : {}),
      page: list.page,
      pageSize: PAGE_SIZE,
    }),
  );
  const asLawyer = user?.role === 'LAWYER';

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Contracts"
          description={
            asLawyer
              ? 'Engagement letters and agreements with your clients: drafts, documents out for signature and executed copies.'
              : 'Documents your lawyers sent you to sign, and your executed copies.'
          }
          actions={
            asLawyer ? (
              <Button component={Link} to={paths.lawyer.contractTemplates} variant="default">
                Templates
              </Button>
            ) : undefined
          }
        />
        {sessionId && (
          <Group gap="xs">
            <Text size="sm">Showing the contracts of one session.</Text>
            <Anchor component="button" type="button" size="sm" onClick={() => list.setFilters({ sessionId: '' })}>
              Show all contracts
            </Anchor>
            <Anchor component={Link} to={paths.session(sessionId)} size="sm">
              Open the session
            </Anchor>
          </Group>
        )}
        <Tabs value={view} onChange={(value) => list.setFilters({ view: PARAMS.view.parse(value ? [value] : []) })}>
          <Tabs.List>
            {CONTRACT_VIEWS.map((v) => (
              <Tabs.Tab key={v} value={v}>
                {VIEW_LABEL[v]}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>

        {contracts.isPending ? (
          <LoadingState label="Loading your contracts" />
        ) : contracts.isError ? (
          <ErrorState error={contracts.error} onRetry={() => void contracts.refetch()} />
        ) : contracts.data.items.length === 0 ? (
          <EmptyState title={VIEW_EMPTY[view]}>
            {asLawyer
              ? 'Create a contract from a paid session: open the session and choose “Create contract”.'
              : view === 'all'
                ? 'When a lawyer sends you a document to sign, it appears here.'
                : 'Choose another tab to see more.'}
          </EmptyState>
        ) : (
          <ContractsTable contracts={contracts.data.items} zone={zone} locale={locale} />
        )}

        {contracts.data && (
          <ListFooter
            total={contracts.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="contract"
            pagesLabel="Contract pages"
          />
        )}
      </Stack>
    </Container>
  );
}

function ContractsTable({ contracts, zone, locale }: { contracts: ContractSummary[]; zone: string; locale: string }) {
  return (
    <DataTable
      label="Contracts"
      columns={['Contract', 'With', 'Status', 'Last change', { label: 'Actions', visuallyHidden: true }]}
      minWidth={760}
    >
      {contracts.map((c) => (
        <Table.Tr key={c.id}>
          <Table.Td>
            <Anchor component={Link} to={paths.contract(c.id)} fw={500}>
              {c.title}
            </Anchor>
            <Text size="xs" c="gray.7">
              {c.number}
            </Text>
          </Table.Td>
          <Table.Td>{counterpartOf(c)}</Table.Td>
          <Table.Td>
            <Group gap={6}>
              <ContractStatusBadge status={c.status} />
              {c.awaitingYourSignature && (
                <Badge color="yellow" variant="light" tt="none">
                  Your signature
                </Badge>
              )}
            </Group>
          </Table.Td>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeZoned(c.updatedAt, zone, locale)}</Table.Td>
          <Table.Td>
            <Group gap="xs" justify="flex-end" wrap="nowrap">
              {c.awaitingYourSignature ? (
                <Button component={Link} to={paths.contractSign(c.id)} size="xs" aria-label={`Review and sign ${c.title}`}>
                  Review and sign
                </Button>
              ) : (
                <Button component={Link} to={paths.contract(c.id)} size="xs" variant="default" aria-label={`Open ${c.title}`}>
                  Open
                </Button>
              )}
            </Group>
          </Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
