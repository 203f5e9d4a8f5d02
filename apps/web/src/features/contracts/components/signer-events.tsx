import { Code, Stack, Text, Timeline } from '@mantine/core';
import { formatDateTimeZoned } from '../../../lib/time';
import { EVENT_LABEL, formatUtc, ROLE_LABEL, shortHash } from '../contract-labels';
import type { SignerEvent } from '../contracts.types';

/**
 * The signer events, oldest first: who did what, when (in UTC as recorded, and in the viewer's
 * zone), from which address and browser, over which document hash. The same facts the executed
 * PDF's certificate page lists.
 */
export function SignerEvents({ events, zone, locale }: { events: readonly SignerEvent[]; zone: string; locale: string }) {
  if (events.length === 0) {
    return (
      <Text size="sm" c="gray.7">
        Nobody has opened the document yet.
      </Text>
    );
  }
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} role="list" aria-label="Signer events">
      {events.map((e, i) => (
        <Timeline.Item key={i} role="listitem" title={`${EVENT_LABEL[e.type]} — ${e.name} (${ROLE_LABEL[e.role]})`}>
          <Stack gap={2}>
            <Text size="sm">
              <time dateTime={e.at}>{formatUtc(e.at)}</time>
              <Text span size="sm" c="gray.7">
                {' '}
                · {formatDateTimeZoned(e.at, zone, locale)}
              </Text>
            </Text>
            <Text size="xs" c="gray.7" style={{ overflowWrap: 'anywhere' }}>
              {e.ip ? `IP ${e.ip}` : 'IP not recorded'}
              {e.userAgent ? ` · ${e.userAgent}` : ''}
            </Text>
            <Text size="xs" c="gray.7">
              Document <Code title={e.documentSha256}>{shortHash(e.documentSha256)}</Code>
            </Text>
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
