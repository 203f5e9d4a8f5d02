import { formatMoney } from '@lm/domain';
import { Anchor, Badge, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DetailPage } from '../../components/detail-page';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { formatDateTime, formatDuration } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { SessionStatusBadge } from '../sessions/components/session-status-badge';
import { SessionTimelineCard } from '../sessions/components/session-timeline';
import { ErrorState, LoadingState } from '../../components/query-state';
import { adminSessionQueryOptions, sessionAttendanceQueryOptions, type AdminSessionDetail } from './admin.queries';

/** `/admin/sessions/:id`: one consultation for support — parties, money and history. Read-only. */
export function AdminSessionDetailPage() {
  const { id = '' } = useParams();
  const { zone, locale } = useTimeZone();
  const session = useQuery(adminSessionQueryOptions(id));

  return (
    <DetailPage back={{ to: paths.admin.sessions, label: '← All sessions' }} query={session} loadingLabel="Loading the session">
      {(data) => <SessionDetail s={data} zone={zone} locale={locale} />}
    </DetailPage>
  );
}

function SessionDetail({ s, zone, locale }: { s: AdminSessionDetail; zone: string; locale: string }) {
  const at = (iso: string | null) => (iso ? `${formatDateTime(iso, zone, locale)} (${zone})` : '—');
  return (
    <>
      <PageHeader title={s.offeringTitle} description={`Session ${s.id}. Times in ${zone}.`} />
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="session-heading">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} fz="lg" id="session-heading">
              Session
            </Title>
            <SessionStatusBadge status={s.status} />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Field label="Starts">{at(s.startAt)}</Field>
            <Field label="Ends">{at(s.endAt)}</Field>
            <Field label="Duration">{formatDuration(s.durationMinutes)}</Field>
            <Field label="Price">{formatMoney(s.priceMinor, s.currency, locale)}</Field>
            <Field label="Created">{at(s.createdAt)}</Field>
            <Field label="Paid">{at(s.paidAt)}</Field>
            <Field label="Cancelled">{at(s.cancelledAt)}</Field>
            <Field label="Completed">{at(s.completedAt)}</Field>
          </SimpleGrid>
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="participants-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="participants-heading">
            Participants
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Field label="Client">
              {s.client.displayName}{' '}
              <Text span size="xs" c="gray.7">
                ({s.client.id})
              </Text>
            </Field>
            <Field label="Lawyer">
              <Anchor component={Link} to={paths.lawyerProfile(s.lawyer.id)}>
                {s.lawyer.displayName}
              </Anchor>{' '}
              <Text span size="xs" c="gray.7">
                ({s.lawyer.id})
              </Text>
            </Field>
          </SimpleGrid>
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="money-heading">
        <Stack gap="sm">
          <Title order={2} fz="lg" id="money-heading">
            Payment and refunds
          </Title>
          {s.payment ? (
            <Text size="sm">
              Paid {formatMoney(s.payment.amountMinor, s.payment.currency, locale)} on {at(s.payment.createdAt)}
              {s.payment.refundedMinor > 0 && ` · ${formatMoney(s.payment.refundedMinor, s.payment.currency, locale)} refunded`}
              {' · '}
              <Anchor component={Link} to={`${paths.admin.payments}?sessionId=${encodeURIComponent(s.id)}`}>
                In payments
              </Anchor>
            </Text>
          ) : (
            <Text size="sm">No payment.</Text>
          )}
          {s.refunds.length > 0 ? (
            <Stack gap={6} component="ul" aria-label="Refunds" p={0} m={0} style={{ listStyle: 'none' }}>
              {s.refunds.map((r) => (
                <Group component="li" key={r.id} gap="xs">
                  <Text size="sm">
                    {formatMoney(r.amountMinor, r.currency, locale)} on {at(r.createdAt)} — {r.reason}
                  </Text>
                  <Badge
                    size="sm"
                    variant="light"
                    color={r.status === 'SUCCEEDED' ? 'green' : r.status === 'FAILED' ? 'red' : 'yellow'}
                  >
                    {r.status}
                  </Badge>
                </Group>
              ))}
            </Stack>
          ) : (
            <Text size="sm">No refunds.</Text>
          )}
        </Stack>
      </Paper>
      <AttendanceCard sessionId={s.id} at={at} />
      <SessionTimelineCard events={s.events} zone={zone} locale={locale} />
    </>
  );
}

/** The call's attendance log: the evidence support reads before deciding a no-show report. */
function AttendanceCard({ sessionId, at }: { sessionId: string; at: (iso: string | null) => string }) {
  const attendance = useQuery(sessionAttendanceQueryOptions(sessionId));
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="attendance-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="attendance-heading">
          Call attendance
        </Title>
        {attendance.isPending ? (
          <LoadingState label="Loading the attendance log" />
        ) : attendance.isError ? (
          <ErrorState error={attendance.error} onRetry={() => void attendance.refetch()} />
        ) : attendance.data.items.length === 0 ? (
          <Text size="sm">Nobody has joined the call.</Text>
        ) : (
          <Stack gap={6} component="ol" aria-label="Joined and left" p={0} m={0} style={{ listStyle: 'none' }}>
            {attendance.data.items.map((a, i) => (
              <Text component="li" size="sm" key={`${a.at}-${i}`}>
                {at(a.at)} — {a.role === 'LAWYER' ? 'Lawyer' : a.role === 'CLIENT' ? 'Client' : 'Someone'} {a.event}{' '}
                <Text span size="xs" c="gray.7">
                  (seen by {a.source === 'twilio' ? 'Twilio' : 'our signalling server'})
                </Text>
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
