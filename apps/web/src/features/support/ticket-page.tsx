import { Alert, Anchor, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { paths } from '../../app/paths';
import { DetailPage } from '../../components/detail-page';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page-header';
import { formatDateTime } from '../../lib/time';
import { useTimeZone } from '../auth/use-time-zone';
import { TicketStatusBadge } from './components/ticket-status-badge';
import { TicketThread } from './components/ticket-thread';
import { CATEGORY_LABEL, RESOLUTION_TEXT } from './support-labels';
import { myTicketQueryOptions, usePostMyMessage, type SupportTicketDetail } from './support.queries';

/** `/support/tickets/:id`: one of my tickets, what I reported, support's decision and our conversation. */
export function TicketPage() {
  const { id = '' } = useParams();
  const ticket = useQuery(myTicketQueryOptions(id));
  return (
    <DetailPage
      back={{ to: paths.support.tickets, label: '← My support tickets' }}
      query={ticket}
      loadingLabel="Loading the ticket"
    >
      {(data) => <TicketDetail ticket={data} />}
    </DetailPage>
  );
}

function TicketDetail({ ticket: t }: { ticket: SupportTicketDetail }) {
  const { zone, locale } = useTimeZone();
  const reply = usePostMyMessage(t.id);
  return (
    <>
      <PageHeader
        title={t.subject || CATEGORY_LABEL[t.category]}
        description={`Opened ${formatDateTime(t.createdAt, zone, locale)}`}
        actions={<TicketStatusBadge status={t.status} size="lg" />}
      />
      {t.resolution && (
        <Alert color={t.resolution === 'DISMISSED' ? 'gray' : 'green'} title="Support's decision" role="status">
          <Stack gap={4}>
            <Text size="sm">{RESOLUTION_TEXT[t.resolution]}</Text>
            {t.resolutionNote && <Text size="sm">“{t.resolutionNote}”</Text>}
            {t.sessionId && (
              <Anchor component={Link} to={paths.session(t.sessionId)} size="sm">
                See the session and its refund status
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="report-heading">
        <Stack gap="md">
          <Title order={2} fz="lg" id="report-heading">
            Your report
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Field label="Category">{CATEGORY_LABEL[t.category]}</Field>
            <Field label="Session">
              {t.sessionId ? (
                <Anchor component={Link} to={paths.session(t.sessionId)}>
                  Open the session
                </Anchor>
              ) : (
                'Not about a session'
              )}
            </Field>
          </SimpleGrid>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {t.description}
          </Text>
        </Stack>
      </Paper>
      <TicketThread
        messages={t.messages}
        viewer="REPORTER"
        zone={zone}
        locale={locale}
        reply={reply}
        replyLabel="Write to support"
      />
      <Group>
        <Text size="xs" c="gray.7">
          Ticket {t.id}
        </Text>
      </Group>
    </>
  );
}
