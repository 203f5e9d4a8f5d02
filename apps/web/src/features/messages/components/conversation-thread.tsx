import type { HistoryItem } from '@lm/e2ee';
import { Alert, Box, Button, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { EmptyState, LoadingState } from '../../../components/query-state';
import { formatDay, localDateKey } from '../../../lib/time';
import { useTimeZone } from '../../auth/use-time-zone';
import { useE2ee, useE2eeEvents } from '../e2ee-context';
import { e2eeErrorMessage, isE2eeError } from '../e2ee-errors';
import { conversationQueryOptions, safetyNumberQueryOptions, useAcceptIdentityChange } from '../messages.queries';
import { messagesKeys } from '../messages.keys';
import { useThread, type PendingMessage } from '../use-thread';
import { Composer } from './composer';
import { E2eeErrorState } from './e2ee-error-state';
import { MessageBubble, type DeliveryState } from './message-bubble';
import classes from './messages.module.css';
import { SafetyNumberModal } from './safety-number';

/** How close to the bottom (px) still counts as "reading the newest": new messages then scroll into view. */
const STICK_PX = 80;

interface DayGroup {
  key: string;
  label: string;
  items: HistoryItem[];
}

function groupByDay(items: HistoryItem[], zone: string, locale: string): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const key = localDateKey(item.createdAt, zone);
    const last = groups[groups.length - 1];
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, label: formatDay(item.createdAt, zone, locale), items: [item] });
  }
  return groups;
}

/**
 * One conversation: its header (with the safety number), a warning when the other side's keys
 * changed, the decrypted thread by day, and the composer. New messages arrive live; what is
 * shown is marked read while the page is visible.
 */
export function ConversationThread({ conversationId }: { conversationId: string }) {
  const { userId, transport } = useE2ee();
  const queryClient = useQueryClient();
  const { zone, locale } = useTimeZone();
  const detail = useQuery(conversationQueryOptions(userId, transport, conversationId));
  const thread = useThread(conversationId);
  const [safetyOpen, { open: openSafety, close: closeSafety }] = useDisclosure(false);
  const logRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const marked = useRef<string | null>(null);

  // Read receipts and epoch changes of this conversation: its detail says where each side has read to.
  useE2eeEvents((event) => {
    if ((event.type === 'read' || event.type === 'epoch') && event.conversationId === conversationId) {
      void queryClient.invalidateQueries({ queryKey: messagesKeys.conversation(userId, conversationId) });
    }
  });

  const { items, pending, session } = thread;
  const counterpartKeys = useCounterpartKeys(detail.data?.counterpart.userId);
  const newest = items[items.length - 1];
  const counterpart = detail.data?.counterpart;

  // Keep the newest message in view while the reader is at the bottom (and on first load).
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stick.current) log.scrollTop = log.scrollHeight;
  }, [items.length, pending.length, newest?.id]);

  // Mark read what is shown, once the page is visible.
  const myReadUpTo = detail.data?.myReadUpTo?.messageId;
  useEffect(() => {
    if (!session || !newest || myReadUpTo === newest.id || marked.current === newest.id) return;
    const mark = () => {
      if (document.visibilityState !== 'visible' || marked.current === newest.id) return;
      marked.current = newest.id;
      session.markRead(newest.id).then(
        () => queryClient.invalidateQueries({ queryKey: messagesKeys.conversations(userId) }),
        () => {
          marked.current = null;
        },
      );
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [myReadUpTo, newest, queryClient, session, userId]);

  const readIndex = useMemo(() => {
    const readId = detail.data?.counterpartReadUpTo?.messageId;
    return readId ? items.findIndex((item) => item.id === readId) : -1;
  }, [detail.data?.counterpartReadUpTo?.messageId, items]);
  const days = useMemo(() => groupByDay(items, zone, locale), [items, zone, locale]);

  if (detail.isPending || thread.sessionQuery.isPending) return <LoadingState label="Opening the conversation" />;
  if (detail.isError) return <E2eeErrorState error={detail.error} onRetry={() => void detail.refetch()} />;
  if (thread.sessionQuery.isError) {
    return <E2eeErrorState error={thread.sessionQuery.error} onRetry={() => void thread.sessionQuery.refetch()} />;
  }
  const name = counterpart!.displayName;
  const indexOf = new Map(items.map((item, index) => [item.id, index]));
  const deliveryOf = (item: HistoryItem): DeliveryState => ((indexOf.get(item.id) ?? -1) <= readIndex ? 'read' : 'sent');
  const isMine = (item: HistoryItem) => item.senderUserId === userId;

  return (
    <Paper withBorder radius="md" component="section" aria-labelledby="thread-heading">
      <Stack gap={0}>
        <Group justify="space-between" gap="xs" p="md" wrap="wrap">
          <Stack gap={0}>
            <Title order={2} fz="lg" id="thread-heading">
              {name}
            </Title>
            <Text size="sm" c="gray.7">
              {counterpart!.role === 'LAWYER' ? 'Lawyer' : 'Client'} · end-to-end encrypted
            </Text>
          </Stack>
          <Button variant="default" size="xs" onClick={openSafety}>
            Safety number
          </Button>
        </Group>
        <IdentityChangedBanner counterpartUserId={counterpart!.userId} counterpartName={name} onVerify={openSafety} />
        <Box
          ref={logRef}
          className={classes.log}
          role="log"
          aria-label={`Messages with ${name}`}
          tabIndex={0}
          onScroll={(event) => {
            const log = event.currentTarget;
            stick.current = log.scrollHeight - log.scrollTop - log.clientHeight < STICK_PX;
          }}
        >
          {thread.history.hasNextPage && (
            <Group justify="center" mb="sm">
              <Button
                size="xs"
                variant="default"
                loading={thread.history.isFetchingNextPage}
                onClick={() => {
                  stick.current = false;
                  void thread.history.fetchNextPage();
                }}
              >
                Load earlier
              </Button>
            </Group>
          )}
          {thread.history.isPending ? (
            <LoadingState label="Decrypting messages" />
          ) : thread.history.isError ? (
            <E2eeErrorState error={thread.history.error} onRetry={() => void thread.history.refetch()} />
          ) : items.length === 0 && pending.length === 0 ? (
            <EmptyState title="No messages yet">
              Only you and {name} can read what you write here. Files you attach are encrypted in your browser too.
            </EmptyState>
          ) : null}
          {days.map((day) => (
            <Box key={day.key}>
              <Divider className={classes.day} label={day.label} labelPosition="center" />
              {day.items.map((item) => (
                <MessageBubble
                  key={item.id}
                  item={item}
                  mine={isMine(item)}
                  delivery={isMine(item) && !('error' in item) ? deliveryOf(item) : undefined}
                  zone={zone}
                  locale={locale}
                  onDownload={(ref) => session!.downloadAttachment(ref)}
                />
              ))}
            </Box>
          ))}
          {pending.map((message) => (
            <PendingBubble
              key={message.key}
              message={message}
              onRetry={() => thread.retry(message.key)}
              onDiscard={() => thread.discard(message.key)}
            />
          ))}
        </Box>
        <Composer
          counterpartName={name}
          disabledReason={
            counterpartKeys.notSetUp
              ? `${name} has not set up secure messaging yet. You can write as soon as they have; this page updates by itself.`
              : null
          }
          onSend={(draft) => {
            stick.current = true;
            thread.send(draft);
          }}
        />
      </Stack>
      <SafetyNumberModal
        opened={safetyOpen}
        onClose={closeSafety}
        counterpartUserId={counterpart!.userId}
        counterpartName={name}
      />
    </Paper>
  );
}

/** A message of mine not yet on the server: "Sending…", or why it failed with Retry / Discard. */
function PendingBubble({ message, onRetry, onDiscard }: { message: PendingMessage; onRetry: () => void; onDiscard: () => void }) {
  const names = message.draft.files.map((f) => f.name);
  return (
    <Box className={`${classes.row} ${classes.rowMine}`} data-testid="message" data-mine>
      <Box className={`${classes.bubble} ${classes.bubbleMine}`}>
        <Stack gap={6}>
          {message.draft.text && <Text className={classes.text}>{message.draft.text}</Text>}
          {names.length > 0 && (
            <Text size="sm" c="gray.7">
              {names.join(', ')}
            </Text>
          )}
          {message.state === 'sending' ? (
            <Text size="xs" c="gray.7" ta="right" data-testid="delivery">
              Sending…
            </Text>
          ) : (
            <Stack gap={4} align="flex-end">
              <Text size="xs" c="red.8" role="alert">
                Not sent: {e2eeErrorMessage(message.error)}
              </Text>
              <Group gap={4}>
                <Button size="compact-xs" variant="default" onClick={onRetry}>
                  Retry
                </Button>
                <Button size="compact-xs" variant="subtle" color="red" onClick={onDiscard}>
                  Discard
                </Button>
              </Group>
            </Stack>
          )}
        </Stack>
      </Box>
    </Box>
  );
}

/**
 * The counterpart's keys as this device sees them (through their safety number): whether they
 * have set up secure messaging at all (until then nothing can be sent to them: they would never
 * be able to read it), and whether their identity key changed. Asked again on a `keys` event, and
 * every 15 s while they have not set up.
 */
function useCounterpartKeys(counterpartUserId: string | undefined) {
  const { userId, client } = useE2ee();
  const safety = useQuery({
    ...safetyNumberQueryOptions(userId, client, counterpartUserId ?? ''),
    enabled: !!counterpartUserId,
    refetchInterval: (query) => (isE2eeError(query.state.error, 'NOT_SET_UP') ? 15_000 : false),
  });
  return { safety, notSetUp: isE2eeError(safety.error, 'NOT_SET_UP') };
}

/** The other side has a new identity key (they started over, or someone swapped it): say so until it is accepted. */
function IdentityChangedBanner({
  counterpartUserId,
  counterpartName,
  onVerify,
}: {
  counterpartUserId: string;
  counterpartName: string;
  onVerify: () => void;
}) {
  const { safety } = useCounterpartKeys(counterpartUserId);
  const accept = useAcceptIdentityChange(counterpartUserId);
  if (!safety.data?.identityChanged) return null;
  return (
    <Alert color="yellow" title={`${counterpartName}’s security keys changed`} mx="md" mb="md" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          This happens when {counterpartName} starts over with new keys, for example after losing their recovery code. It could
          also mean someone is trying to listen in. Compare the safety number with {counterpartName} in person or by phone before
          you send anything sensitive.
        </Text>
        {accept.isError && (
          <Text size="sm" c="red.8">
            {e2eeErrorMessage(accept.error)}
          </Text>
        )}
        <Group gap="xs">
          <Button size="xs" variant="white" onClick={onVerify}>
            Verify safety number
          </Button>
          <Button size="xs" loading={accept.isPending} onClick={() => accept.mutate()}>
            Accept new keys
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
