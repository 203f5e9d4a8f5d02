import { formatMoney } from '@lm/domain';
import { Anchor, Badge, Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DataTable } from '../../components/data-table';
import { DetailPage } from '../../components/detail-page';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { describeError } from '../../lib/errors';
import { formatDateTime, formatWhenZoned } from '../../lib/time';
import { useCurrentUser } from '../auth/use-current-user';
import { useTimeZone } from '../auth/use-time-zone';
import { SessionStatusBadge } from '../sessions/components/session-status-badge';
import { REFUND_LOOK } from '../sessions/session-labels';
import { NoShowResolution, NOTE_MAX } from './components/no-show-resolution';
import { TicketStatusBadge } from './components/ticket-status-badge';
import { TicketThread } from './components/ticket-thread';
import { CATEGORY_LABEL, DECISION_LOOK, isNoShow, TICKET_STATUS_LOOK } from './support-labels';
import {
  adminTicketQueryOptions,
  useAssignTicket,
  usePostAdminMessage,
  useSetTicketStatus,
  type AdminSupportTicketDetail,
  type AttendanceEvent,
  type SettableTicketStatus,
  type SupportSessionSummary,
  type SupportTicketEvent,
  type TicketStatus,
} from './support.queries';

const SETTABLE: SettableTicketStatus[] = ['IN_PROGRESS', 'RESOLVED', 'REJECTED'];

/** `/admin/support/:id`: one ticket with the reporter, the session, the call's attendance, the thread and the decision. */
export function AdminSupportTicketPage() {
  const { id = '' } = useParams();
  const ticket = useQuery({
    ...adminTicketQueryOptions(id),
    // A lawyer no-show refund is confirmed by Stripe a moment later: keep asking until it is.
    refetchInterval: (query) => (query.state.data?.session?.refunds.some((r) => r.status === 'PENDING') ? 2000 : false),
  });
  return (
    <DetailPage back={{ to: paths.admin.support, label: '← Support queue' }} query={ticket} loadingLabel="Loading the ticket">
      {(data) => <TicketDetail ticket={data} />}
    </DetailPage>
  );
}

function TicketDetail({ ticket: t }: { ticket: AdminSupportTicketDetail }) {
  const { zone, locale } = useTimeZone();
  const { user } = useCurrentUser();
  const reply = usePostAdminMessage(t.id);
  const assign = useAssignTicket(t.id);
  const at = (iso: string | null) => (iso ? formatDateTime(iso, zone, locale) : '—');
  const mine = t.assignee !== null && t.assignee.id === user?.id;
  const closed = t.status === 'RESOLVED' || t.status === 'REJECTED';

  return (
    <>
      <PageHeader
        title={t.subject || CATEGORY_LABEL[t.category]}
        description={`Ticket ${t.id}. Times in ${zone}.`}
        actions={<TicketStatusBadge status={t.status} size="lg" />}
      />
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="ticket-heading">
        <Stack gap="md">
          <Group justify="space-between">
            <Title order={2} fz="lg" id="ticket-heading">
              Report
            </Title>
            {!mine && !closed && (
              <Button variant="light" loading={assign.isPending} onClick={() => assign.mutate()}>
                Assign to me
              </Button>
            )}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Field label="Category">{CATEGORY_LABEL[t.category]}</Field>
            <Field label="Reporter">
              {t.reporter.displayName} ({t.reporter.role.toLowerCase()})
            </Field>
            <Field label="Assigned to">{t.assignee ? `${t.assignee.displayName}${mine ? ' (you)' : ''}` : 'Nobody'}</Field>
            <Field label="Opened">{at(t.createdAt)}</Field>
            <Field label="Last message">{at(t.lastMessageAt)}</Field>
            <Field label="Resolved">{at(t.resolvedAt)}</Field>
          </SimpleGrid>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {t.description}
          </Text>
          {!closed && <StatusChange ticket={t} />}
        </Stack>
      </Paper>
      {t.session && <SessionCard session={t.session} zone={zone} locale={locale} />}
      {t.session && <AttendanceTable attendance={t.attendance} session={t.session} zone={zone} locale={locale} />}
      {isNoShow(t.category) && <NoShowResolution ticket={t} locale={locale} />}
      <TicketThread
        messages={t.messages}
        viewer="ADMIN"
        zone={zone}
        locale={locale}
        reply={reply}
        replyLabel="Reply to the reporter"
      />
      {t.events.length > 0 && (
        <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="history-heading">
          <Stack gap="sm">
            <Title order={2} fz="lg" id="history-heading">
              History
            </Title>
            <Stack component="ol" aria-label="Ticket history" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
              {t.events.map((e) => (
                <Text component="li" size="sm" key={e.id}>
                  {at(e.createdAt)} — {eventText(e)}
                  {e.actorName ? ` by ${e.actorName}` : ''}
                </Text>
              ))}
            </Stack>
          </Stack>
        </Paper>
      )}
    </>
  );
}

const statusWord = (value: unknown) =>
  typeof value === 'string' && value in TICKET_STATUS_LOOK
    ? TICKET_STATUS_LOOK[value as TicketStatus].label.toLowerCase()
    : 'unknown';

/** One step of the ticket's history, in words. */
function eventText(e: SupportTicketEvent): string {
  switch (e.action) {
    case 'opened':
      return 'Opened';
    case 'assigned':
      return 'Taken';
    case 'status_changed':
      return `Status ${statusWord(e.payload.from)} → ${statusWord(e.payload.to)}${typeof e.payload.note === 'string' && e.payload.note ? ` (“${e.payload.note}”)` : ''}`;
    case 'no_show_resolved': {
      const decision = e.payload.decision;
      return decision === 'LAWYER_NO_SHOW' || decision === 'CLIENT_NO_SHOW' || decision === 'DISMISS'
        ? `Decided: ${DECISION_LOOK[decision].button}`
        : 'No-show decided';
    }
  }
}

/** Moves the ticket along (in progress, resolved, closed without action) with an optional note. */
function StatusChange({ ticket: t }: { ticket: AdminSupportTicketDetail }) {
  const setStatus = useSetTicketStatus(t.id);
  const [status, setStatusValue] = useState<SettableTicketStatus | null>(null);
  const [note, setNote] = useState('');
  // A no-show report is closed by its decision (below), never by a bare status change.
  const options = SETTABLE.filter((s) => s !== t.status && !(isNoShow(t.category) && s !== 'IN_PROGRESS')).map((value) => ({
    value,
    label: TICKET_STATUS_LOOK[value].label,
  }));
  return (
    <Stack gap="xs">
      {options.length > 0 && (
        <Group align="flex-end" gap="sm">
          <Select
            label="Change status to"
            placeholder="Choose a status"
            data={options}
            value={status}
            onChange={(v) => setStatusValue(v as SettableTicketStatus | null)}
            w={240}
          />
          <TextInput
            label="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            maxLength={NOTE_MAX}
            style={{ flex: 1 }}
            miw={200}
          />
          <Button
            disabled={!status}
            loading={setStatus.isPending}
            onClick={() =>
              status &&
              setStatus.mutate(
                { status, ...(note.trim() ? { note: note.trim() } : {}) },
                {
                  onSuccess: () => {
                    setStatusValue(null);
                    setNote('');
                    notifications.show({
                      color: 'green',
                      title: 'Status changed',
                      message: `The ticket is now “${TICKET_STATUS_LOOK[status].label}”.`,
                    });
                  },
                },
              )
            }
          >
            Change status
          </Button>
        </Group>
      )}
      {isNoShow(t.category) && (
        <Text size="xs" c="gray.7">
          A no-show report is closed by a decision below: it also changes the session and the payment.
        </Text>
      )}
      {setStatus.isError && (
        <Text size="sm" c="red.8" role="alert">
          {describeError(setStatus.error).message}
        </Text>
      )}
    </Stack>
  );
}

function SessionCard({ session: s, zone, locale }: { session: SupportSessionSummary; zone: string; locale: string }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="session-heading">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={2} fz="lg" id="session-heading">
            Session
          </Title>
          <SessionStatusBadge status={s.status} />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Field label="Consultation">
            <Anchor component={Link} to={paths.admin.session(s.id)}>
              {s.offeringTitle}
            </Anchor>
          </Field>
          <Field label={`When (${zone})`}>
            {s.startAt && s.endAt ? formatWhenZoned(s.startAt, s.endAt, zone, locale) : 'Not booked'}
          </Field>
          <Field label="Client">{s.client.displayName}</Field>
          <Field label="Lawyer">{s.lawyer.displayName}</Field>
          <Field label="Payment">
            {s.payment
              ? `${formatMoney(s.payment.amountMinor, s.payment.currency, locale)} paid on ${formatDateTime(s.payment.createdAt, zone, locale)}${
                  s.payment.refundedMinor > 0
                    ? ` · ${formatMoney(s.payment.refundedMinor, s.payment.currency, locale)} refunded`
                    : ''
                }`
              : 'No payment'}
          </Field>
          <Field label="Refunds">
            {s.refunds.length === 0 ? (
              'None'
            ) : (
              <Stack gap={4} component="ul" aria-label="Session refunds" p={0} m={0} style={{ listStyle: 'none' }}>
                {s.refunds.map((r) => (
                  <Group component="li" key={r.id} gap="xs">
                    <span>
                      {formatMoney(r.amountMinor, r.currency, locale)} on {formatDateTime(r.createdAt, zone, locale)} — {r.reason}
                    </span>
                    <Badge size="sm" variant="light" tt="none" color={REFUND_LOOK[r.status].color}>
                      {REFUND_LOOK[r.status].label}
                    </Badge>
                  </Group>
                ))}
              </Stack>
            )}
          </Field>
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}

const WHO: Record<string, string> = { CLIENT: 'Client', LAWYER: 'Lawyer' };

/** The evidence: who joined and left the call, when, and who observed it. */
function AttendanceTable({
  attendance,
  session: s,
  zone,
  locale,
}: {
  attendance: AttendanceEvent[];
  session: SupportSessionSummary;
  zone: string;
  locale: string;
}) {
  const joined = (role: 'CLIENT' | 'LAWYER') => attendance.some((a) => a.role === role && a.event === 'joined');
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="attendance-heading">
      <Stack gap="sm">
        <Title order={2} fz="lg" id="attendance-heading">
          Attendance evidence
        </Title>
        {attendance.length === 0 ? (
          <Text size="sm">No attendance was recorded for this call: nobody joined it on LexMarket video.</Text>
        ) : (
          <>
            <Text size="sm">
              {s.client.displayName} (client) {joined('CLIENT') ? 'joined' : 'never joined'}; {s.lawyer.displayName} (lawyer){' '}
              {joined('LAWYER') ? 'joined' : 'never joined'}.
            </Text>
            <DataTable label="Attendance" columns={[`Time (${zone})`, 'Who', 'Event', 'Seen by']} withPaper={false}>
              {attendance.map((a, i) => (
                <Table.Tr key={`${a.at}-${i}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(a.at, zone, locale)}</Table.Td>
                  <Table.Td>{a.role ? WHO[a.role] : 'Unknown'}</Table.Td>
                  <Table.Td>{a.event === 'joined' ? 'Joined' : 'Left'}</Table.Td>
                  <Table.Td>{a.source === 'twilio' ? 'Twilio' : 'Our signalling server'}</Table.Td>
                </Table.Tr>
              ))}
            </DataTable>
          </>
        )}
      </Stack>
    </Paper>
  );
}
