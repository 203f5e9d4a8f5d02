import { Paper, Stack, Text, Timeline, Title } from '@mantine/core';
import { formatDateTimeZoned } from '../../../lib/time';
import { eventTitle, POLICY_TEXT } from '../session-labels';
import type { SessionEvent } from '../sessions.queries';

/** The session's immutable history, oldest first, in the viewer's zone. */
export function SessionTimeline({ events, zone, locale }: { events: SessionEvent[]; zone: string; locale: string }) {
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2}>
      {events.map((e) => (
        <Timeline.Item key={e.id} title={eventTitle(e)}>
          <Text size="xs" c="gray.7">
            {formatDateTimeZoned(e.occurredAt, zone, locale)}
          </Text>
          {e.startAt && (
            <Text size="sm">
              {e.previousStartAt
                ? `Moved from ${formatDateTimeZoned(e.previousStartAt, zone, locale)} to ${formatDateTimeZoned(e.startAt, zone, locale)}`
                : `For ${formatDateTimeZoned(e.startAt, zone, locale)}`}
            </Text>
          )}
          {!e.startAt && e.proposedStartAt && <Text size="sm">Proposed time: {formatDateTimeZoned(e.proposedStartAt, zone, locale)}</Text>}
          {e.cancellationPolicy && <Text size="sm">{POLICY_TEXT[e.cancellationPolicy]}</Text>}
          {e.reason && e.action === 'cancel' && (
            <Text size="sm" fs="italic">
              “{e.reason}”
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}

/** The timeline as its own titled section of a session page. */
export function SessionTimelineCard({ events, zone, locale }: { events: SessionEvent[]; zone: string; locale: string }) {
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="timeline-heading">
      <Stack gap="md">
        <Title order={2} fz="lg" id="timeline-heading">
          Timeline
        </Title>
        <SessionTimeline events={events} zone={zone} locale={locale} />
      </Stack>
    </Paper>
  );
}
