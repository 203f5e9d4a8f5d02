import { isE2eeError, type ConversationSession, type DecryptedMessage, type E2eeTransport, type HistoryItem } from '@lm/e2ee';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Draft } from './components/composer';
import { useE2ee, useE2eeEvents } from './e2ee-context';
import { conversationSessionQueryOptions, historyQueryOptions } from './messages.queries';
import { messagesKeys } from './messages.keys';

/** A message of mine on its way (or refused): shown in the thread until the server has it. */
export interface PendingMessage {
  key: string;
  draft: Draft;
  createdAt: string;
  state: 'sending' | 'failed';
  error?: unknown;
}

/** History and live items in time order, each message once (live delivery and paging overlap). */
export function mergeItems(history: HistoryItem[], live: HistoryItem[]): HistoryItem[] {
  const byId = new Map<string, HistoryItem>();
  for (const item of [...history, ...live]) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => (a.createdAt === b.createdAt ? 0 : a.createdAt < b.createdAt ? -1 : 1));
}

/** How many of the newest messages a live event (or a reconnection) fetches. */
const LIVE_PAGE = 20;

/**
 * Live delivery: the newest wire messages, oldest first, each verified and decrypted by
 * `receive`, which ignores a message id it has already seen (a replay, or one in the history).
 * One that cannot be trusted becomes an item with its error, as in the history.
 */
export async function receiveNewest(
  transport: Pick<E2eeTransport, 'listMessages'>,
  session: ConversationSession,
): Promise<HistoryItem[]> {
  const { items } = await transport.listMessages(session.conversationId, { limit: LIVE_PAGE });
  const fresh: HistoryItem[] = [];
  for (const wire of [...items].reverse()) {
    try {
      const message = await session.receive(wire);
      if (message) fresh.push(message);
    } catch (error) {
      if (isE2eeError(error, 'HTTP')) throw error;
      fresh.push({
        id: wire.id,
        createdAt: wire.createdAt,
        senderUserId: wire.senderUserId,
        error: isE2eeError(error) ? error.code : 'MALFORMED',
      });
    }
  }
  return fresh;
}

let pendingCounter = 0;

/**
 * One conversation's thread: the decrypted history (paged back with "Load earlier"), messages
 * that arrive live, and mine being sent. Sends go out one at a time, in the order written.
 */
export function useThread(conversationId: string) {
  const { userId, client, transport } = useE2ee();
  const queryClient = useQueryClient();
  const sessionQuery = useQuery(conversationSessionQueryOptions(userId, client, conversationId));
  const session = sessionQuery.data;
  const history = useInfiniteQuery(historyQueryOptions(userId, session, conversationId));
  const [live, setLive] = useState<HistoryItem[]>([]);
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const queue = useRef<Promise<unknown>>(Promise.resolve());

  const historyItems = useMemo(() => history.data?.pages.flatMap((page) => page.items) ?? [], [history.data]);
  const items = useMemo(() => mergeItems(historyItems, live), [historyItems, live]);

  const addLive = useCallback((fresh: HistoryItem[]) => {
    if (fresh.length === 0) return;
    setLive((current) => [...current, ...fresh.filter((item) => !current.some((c) => c.id === item.id))]);
  }, []);

  useE2eeEvents((event) => {
    const relevant = (event.type === 'message' && event.conversationId === conversationId) || event.type === 'reconnected';
    if (!relevant || !session) return;
    // A failure here is not shown: the next event, a reconnection or a reload fetches again.
    receiveNewest(transport, session).then(addLive, () => undefined);
  });

  const conversationChanged = useCallback(
    () => queryClient.invalidateQueries({ queryKey: messagesKeys.conversations(userId) }),
    [queryClient, userId],
  );

  const deliver = useCallback(
    (key: string, draft: Draft) => {
      if (!session) return;
      const run = async () => {
        try {
          const attachments = await Promise.all(
            draft.files.map(async (file) => ({
              name: file.name,
              type: file.type || 'application/octet-stream',
              bytes: new Uint8Array(await file.arrayBuffer()),
            })),
          );
          const message: DecryptedMessage = await session.send({ text: draft.text, attachments });
          addLive([message]);
          setPending((current) => current.filter((p) => p.key !== key));
          void conversationChanged();
        } catch (error) {
          setPending((current) => current.map((p) => (p.key === key ? { ...p, state: 'failed', error } : p)));
        }
      };
      queue.current = queue.current.then(run);
    },
    [addLive, conversationChanged, session],
  );

  const send = useCallback(
    (draft: Draft) => {
      const key = `pending-${++pendingCounter}`;
      setPending((current) => [...current, { key, draft, createdAt: new Date().toISOString(), state: 'sending' }]);
      deliver(key, draft);
    },
    [deliver],
  );

  const retry = useCallback(
    (key: string) => {
      const message = pending.find((p) => p.key === key);
      if (!message) return;
      setPending((current) => current.map((p) => (p.key === key ? { ...p, state: 'sending', error: undefined } : p)));
      deliver(key, message.draft);
    },
    [deliver, pending],
  );

  const discard = useCallback((key: string) => setPending((current) => current.filter((p) => p.key !== key)), []);

  return { sessionQuery, session, history, items, pending, send, retry, discard };
}
