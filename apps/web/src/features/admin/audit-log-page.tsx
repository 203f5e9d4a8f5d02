import { Button, Container, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { useDebouncedText } from '../../hooks/use-debounced-text';
import { cursorTrail, textParam, usePagedListParams } from '../../hooks/use-paged-list-params';
import { dayFiltersToInstants } from '../../lib/date-range';
import { useTimeZone } from '../auth/use-time-zone';
import { auditQueryOptions, type AuditQuery } from './admin.queries';
import { DayRangeInputs } from './components/day-range-inputs';
import { AuditTable } from './components/audit-table';
import { VerifyChainPanel } from './components/verify-chain-panel';

const PAGE_SIZE = 25;
/** `?action=…&actor=…&subjectType=…&subjectId=…&from=…&to=…&before=…` (cursor paging: see cursorTrail). */
const PARAMS = { action: textParam(), actor: textParam(), subjectType: textParam(), subjectId: textParam(), from: textParam(), to: textParam() };

export function AuditLogPage() {
  const list = usePagedListParams(PARAMS, cursorTrail);
  const { zone, locale } = useTimeZone();
  const { action, actor, subjectType, subjectId, from, to } = list.filters;
  const [actorText, setActorText] = useDebouncedText(actor, (value) => list.setFilters({ actor: value }));
  const [actionText, setActionText] = useDebouncedText(action, (value) => list.setFilters({ action: value }));
  const [subjectTypeText, setSubjectTypeText] = useDebouncedText(subjectType, (value) => list.setFilters({ subjectType: value }));
  const [subjectIdText, setSubjectIdText] = useDebouncedText(subjectId, (value) => list.setFilters({ subjectId: value }));
  // Cursors of the pages passed so far; the last is the current page's `before`.
  const cursors = list.page;
  const before = cursors.at(-1);

  const query: AuditQuery = {
    limit: PAGE_SIZE,
    ...(action ? { action } : {}),
    ...(subjectType ? { subjectType } : {}),
    ...(subjectId ? { subjectId } : {}),
    ...(actor ? { actor } : {}),
    ...dayFiltersToInstants(from, to, zone),
    ...(before !== undefined ? { before } : {}),
  };
  const audit = useQuery(auditQueryOptions(query));

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader title="Audit log" description={`Append-only, hash-chained record of every sensitive action. Times and days in ${zone}.`} />
        <VerifyChainPanel />
        <Paper withBorder p="md" radius="md">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <TextInput
              label="Action"
              placeholder="e.g. user.registered"
              value={actionText}
              onChange={(e) => setActionText(e.currentTarget.value)}
            />
            <TextInput
              label="Actor"
              description="Part of a name or email"
              value={actorText}
              onChange={(e) => setActorText(e.currentTarget.value)}
            />
            <TextInput
              label="Subject type"
              placeholder="e.g. user, lawyer, session"
              value={subjectTypeText}
              onChange={(e) => setSubjectTypeText(e.currentTarget.value)}
            />
            <TextInput label="Subject ID" value={subjectIdText} onChange={(e) => setSubjectIdText(e.currentTarget.value)} />
            <DayRangeInputs from={from} to={to} onChange={(patch) => list.setFilters(patch)} />
          </SimpleGrid>
        </Paper>

        {audit.isPending ? (
          <LoadingState label="Loading audit entries" />
        ) : audit.isError ? (
          <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
        ) : audit.data.items.length === 0 ? (
          <EmptyState title="No audit entries">Nothing matches these filters.</EmptyState>
        ) : (
          <AuditTable entries={audit.data.items} zone={zone} locale={locale} />
        )}

        {audit.data && audit.data.total > 0 && (
          <Group justify="space-between">
            <Text size="sm" c="gray.7">
              {audit.data.total} matching entr{audit.data.total === 1 ? 'y' : 'ies'}
            </Text>
            <Group gap="xs">
              <Button variant="default" disabled={cursors.length === 0} onClick={() => list.setPage(cursors.slice(0, -1))}>
                Newer
              </Button>
              <Button
                variant="default"
                disabled={audit.data.nextCursor === null}
                onClick={() => {
                  const next = audit.data.nextCursor;
                  if (next !== null) list.setPage([...cursors, Number(next)]);
                }}
              >
                Older
              </Button>
            </Group>
          </Group>
        )}
      </Stack>
    </Container>
  );
}
