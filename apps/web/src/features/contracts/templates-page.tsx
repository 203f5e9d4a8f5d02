import { Anchor, Badge, Button, Checkbox, Container, Group, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { oneOfParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { formatDateTimeZoned } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { templatesQueryOptions } from './contracts.queries';

const PAGE_SIZE = 20;
/** `?archived=shown` also lists archived templates (they cannot start new contracts). */
const PARAMS = { archived: oneOfParam(['shown']) };

/** Lawyer: LexMarket's contract templates and my own, to write, version, archive and copy. */
export function ContractTemplatesPage() {
  const { zone, locale } = useTimeZone();
  const list = usePagedListParams(PARAMS);
  const showArchived = list.filters.archived === 'shown';
  const templates = useQuery(
    templatesQueryOptions({ page: list.page, pageSize: PAGE_SIZE, ...(showArchived ? { includeArchived: true } : {}) }),
  );

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Contract templates"
          description="Start a contract from one of LexMarket’s templates or from your own. Variables such as {{client_name}} are filled in from the session."
          actions={
            <Button component={Link} to={paths.lawyer.newContractTemplate}>
              New template
            </Button>
          }
        />
        <Checkbox
          label="Show archived templates"
          checked={showArchived}
          onChange={(e) => list.setFilters({ archived: e.currentTarget.checked ? 'shown' : null })}
        />
        {templates.isPending ? (
          <LoadingState label="Loading the templates" />
        ) : templates.isError ? (
          <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
        ) : templates.data.items.length === 0 ? (
          <EmptyState title="No templates yet">Write your first one with “New template”.</EmptyState>
        ) : (
          <DataTable
            label="Templates"
            columns={['Template', 'Owner', 'Version', 'Last change', { label: 'Actions', visuallyHidden: true }]}
            minWidth={760}
          >
            {templates.data.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={paths.lawyer.contractTemplate(t.id)} fw={500}>
                    {t.name}
                  </Anchor>
                  {t.description && (
                    <Text size="sm" c="gray.7" lineClamp={2}>
                      {t.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6}>
                    <Badge variant="light" color={t.owner === 'OWN' ? 'indigo' : 'gray'} tt="none">
                      {t.owner === 'OWN' ? 'Yours' : 'LexMarket'}
                    </Badge>
                    {t.archived && (
                      <Badge variant="outline" color="gray" tt="none">
                        Archived
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{t.versionNumber}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTimeZoned(t.updatedAt, zone, locale)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button
                      component={Link}
                      to={paths.lawyer.contractTemplate(t.id)}
                      size="xs"
                      variant="default"
                      aria-label={`${t.owner === 'OWN' && !t.archived ? 'Edit' : 'View'} ${t.name}`}
                    >
                      {t.owner === 'OWN' && !t.archived ? 'Edit' : 'View'}
                    </Button>
                    <Button
                      component={Link}
                      to={`${paths.lawyer.newContractTemplate}?from=${t.id}`}
                      size="xs"
                      variant="subtle"
                      aria-label={`Copy ${t.name} into a new template`}
                    >
                      Copy
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        )}
        {templates.data && (
          <ListFooter
            total={templates.data.total}
            pageSize={PAGE_SIZE}
            page={list.page}
            onPageChange={list.setPage}
            noun="template"
            pagesLabel="Template pages"
          />
        )}
      </Stack>
    </Container>
  );
}
