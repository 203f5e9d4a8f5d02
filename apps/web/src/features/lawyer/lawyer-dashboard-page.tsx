import { Anchor, Button, Container, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/query-state';
import { formatWhenZoned, zoneLabel } from '../../lib/time';
import { ZoneMismatchAlert } from '../availability/components/zone-mismatch-alert';
import { useTimeZone } from '../auth/use-time-zone';
import { CancelSessionModal } from '../sessions/components/cancel-session-modal';
import { SessionStatusBadge } from '../sessions/components/session-status-badge';
import { mySessionsQueryOptions, useCompleteSession, type MySession } from '../sessions/sessions.queries';

const UPCOMING_QUERY = { upcoming: true, page: 1, pageSize: 50 } as const;
const BOOKED_QUERY = { status: ['SCHEDULED', 'IN_PROGRESS'], page: 1, pageSize: 100 } satisfies Parameters<
  typeof mySessionsQueryOptions
>[0];
const PAID_QUERY = { status: ['PAID'], page: 1, pageSize: 1 } satisfies Parameters<typeof mySessionsQueryOptions>[0];

/** `/lawyer`: the sessions ahead, the ones to mark completed, and the ones waiting for a time. */
export function LawyerDashboardPage() {
  const { zone, locale } = useTimeZone();
  const upcoming = useQuery(mySessionsQueryOptions(UPCOMING_QUERY));
  const booked = useQuery(mySessionsQueryOptions(BOOKED_QUERY));
  const paid = useQuery(mySessionsQueryOptions(PAID_QUERY));
  const complete = useCompleteSession();
  const [cancelling, setCancelling] = useState<MySession | null>(null);
  // "Ended" is judged at render time; the server checks again when marking completed.
  const [now] = useState(() => Date.now());
  const ended = (booked.data?.items ?? []).filter((s) => s.endAt && Date.parse(s.endAt) <= now);

  return (
    <Container size="lg" py="xl">
      <Stack gap="lg">
        <PageHeader
          title="Dashboard"
          description={`Your consultations. Times are shown in ${zoneLabel(zone)}.`}
          actions={
            <Group gap="xs">
              <Button component={Link} to={paths.lawyer.availability} variant="default">
                Availability
              </Button>
              <Button component={Link} to={paths.lawyer.offerings} variant="default">
                Offerings
              </Button>
            </Group>
          }
        />
        <ZoneMismatchAlert accountZone={zone} />
        {paid.data && paid.data.total > 0 && (
          <Text size="sm" role="status">
            {paid.data.total} paid session{paid.data.total === 1 ? ' is' : 's are'} waiting for the client to pick a time.
          </Text>
        )}

        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="upcoming-heading">
          <Stack gap="md">
            <Title order={2} fz="lg" id="upcoming-heading">
              Upcoming sessions
            </Title>
            {upcoming.isPending ? (
              <LoadingState label="Loading upcoming sessions" />
            ) : upcoming.isError ? (
              <ErrorState error={upcoming.error} onRetry={() => void upcoming.refetch()} />
            ) : upcoming.data.items.length === 0 ? (
              <EmptyState title="No upcoming sessions">Booked consultations appear here.</EmptyState>
            ) : (
              <SessionsTable
                label="Upcoming sessions"
                sessions={upcoming.data.items}
                zone={zone}
                locale={locale}
                action={(s) => (
                  <Button size="xs" color="red" variant="subtle" onClick={() => setCancelling(s)} aria-label={`Cancel the session with ${s.counterpart.displayName}`}>
                    Cancel
                  </Button>
                )}
              />
            )}
          </Stack>
        </Paper>

        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="ended-heading">
          <Stack gap="md">
            <Stack gap={2}>
              <Title order={2} fz="lg" id="ended-heading">
                To mark completed
              </Title>
              <Text size="sm" c="gray.7">
                Sessions whose time has passed.
              </Text>
            </Stack>
            {booked.isPending ? (
              <LoadingState label="Loading past sessions" />
            ) : booked.isError ? (
              <ErrorState error={booked.error} onRetry={() => void booked.refetch()} />
            ) : ended.length === 0 ? (
              <EmptyState title="Nothing to complete">Sessions appear here once they have ended.</EmptyState>
            ) : (
              <SessionsTable
                label="Sessions to mark completed"
                sessions={ended}
                zone={zone}
                locale={locale}
                action={(s) => (
                  <Button
                    size="xs"
                    color="green"
                    loading={complete.isPending && complete.variables === s.id}
                    onClick={() =>
                      complete.mutate(s.id, {
                        onSuccess: () =>
                          notifications.show({ color: 'green', title: 'Session completed', message: `${s.offeringTitle} is marked completed.` }),
                      })
                    }
                    aria-label={`Mark the session with ${s.counterpart.displayName} completed`}
                  >
                    Mark completed
                  </Button>
                )}
              />
            )}
          </Stack>
        </Paper>
      </Stack>
      {cancelling && (
        <CancelSessionModal
          sessionId={cancelling.id}
          subject={`${cancelling.offeringTitle} with ${cancelling.counterpart.displayName}`}
          opened
          onClose={() => setCancelling(null)}
          locale={locale}
          onCancelled={() =>
            notifications.show({ color: 'green', title: 'Session cancelled', message: 'The client is refunded in full.' })
          }
        />
      )}
    </Container>
  );
}

function SessionsTable({
  label,
  sessions,
  zone,
  locale,
  action,
}: {
  label: string;
  sessions: MySession[];
  zone: string;
  locale: string;
  action: (s: MySession) => ReactNode;
}) {
  return (
    <DataTable
      label={label}
      columns={['When', 'Client', 'Consultation', 'Status', { label: 'Actions', visuallyHidden: true }]}
      minWidth={700}
      withPaper={false}
      // Mantine's default cell padding, narrower than the other lists': this table sits in a card.
      horizontalSpacing={undefined}
    >
      {sessions.map((s) => (
        <Table.Tr key={s.id}>
          <Table.Td style={{ whiteSpace: 'nowrap' }}>
            {s.startAt && s.endAt ? formatWhenZoned(s.startAt, s.endAt, zone, locale) : '—'}
          </Table.Td>
          <Table.Td>{s.counterpart.displayName}</Table.Td>
          <Table.Td style={{ overflowWrap: 'anywhere', minWidth: 140 }}>
            <Anchor component={Link} to={paths.session(s.id)} size="sm">
              {s.offeringTitle}
            </Anchor>
          </Table.Td>
          <Table.Td>
            <SessionStatusBadge status={s.status} />
          </Table.Td>
          <Table.Td ta="right">{action(s)}</Table.Td>
        </Table.Tr>
      ))}
    </DataTable>
  );
}
