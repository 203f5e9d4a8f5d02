import type { ConversationSummary } from '@lm/e2ee';
import { Badge, Button, Group, NavLink, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { paths } from '../../../app/paths';
import { EmptyState, LoadingState } from '../../../components/query-state';
import { formatDateTime, formatTime, localDateKey } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { useE2ee } from '../e2ee-context';
import { conversationsQueryOptions } from '../messages.queries';
import { E2eeErrorState } from './e2ee-error-state';
import classes from './messages.module.css';

/** "10:42" today, "Wed, 4 Mar 2026, 10:42" before. */
function lastActivity(at: string, zone: string, locale: string): string {
  return localDateKey(at, zone) === localDateKey(new Date(), zone)
    ? formatTime(at, zone, locale)
    : formatDateTime(at, zone, locale);
}

/** My conversations, newest activity first: who, when last, how many unread. */
export function ConversationList({ activeId }: { activeId?: string }) {
  const { userId, transport } = useE2ee();
  const { zone, locale } = useTimeZone();
  const list = useInfiniteQuery(conversationsQueryOptions(userId, transport));

  return (
    <Paper withBorder radius="md" component="section" aria-labelledby="conversations-heading" p="xs">
      <Title order={2} fz="md" id="conversations-heading" px="xs" py={6}>
        Conversations
      </Title>
      {list.isPending ? (
        <LoadingState label="Loading conversations" />
      ) : list.isError ? (
        <E2eeErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.pages[0]!.items.length === 0 ? (
        <EmptyState title="No conversations yet">
          Conversations open when a consultation is paid. You can then write to your lawyer or client here.
        </EmptyState>
      ) : (
        <Stack gap={2} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Your conversations">
          {list.data.pages
            .flatMap((page) => page.items)
            .map((c) => (
              <li key={c.id}>
                <ConversationLink conversation={c} active={c.id === activeId} zone={zone} locale={locale} />
              </li>
            ))}
        </Stack>
      )}
      {list.hasNextPage && (
        <Group justify="center" mt="xs">
          <Button size="xs" variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Show more
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function ConversationLink({
  conversation: c,
  active,
  zone,
  locale,
}: {
  conversation: ConversationSummary;
  active: boolean;
  zone: string;
  locale: string;
}) {
  const when = c.lastMessageAt ?? c.createdAt;
  return (
    <NavLink
      component={Link}
      to={paths.messages.conversation(c.id)}
      active={active}
      aria-current={active ? 'page' : undefined}
      className={classes.conversationLink}
      color="indigo"
      variant="light"
      label={
        <Text fw={c.unreadCount > 0 ? 700 : 500} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {c.counterpart.displayName}
        </Text>
      }
      description={
        <Text span size="xs" c="gray.7">
          {c.counterpart.role === 'LAWYER' ? 'Lawyer' : 'Client'} · {c.lastMessageAt ? 'last message ' : 'opened '}
          <time dateTime={when}>{lastActivity(when, zone, locale)}</time>
        </Text>
      }
      rightSection={
        c.unreadCount > 0 ? (
          <Badge size="sm" circle={c.unreadCount < 10}>
            {c.unreadCount}
            <VisuallyHidden> unread</VisuallyHidden>
          </Badge>
        ) : null
      }
    />
  );
}
