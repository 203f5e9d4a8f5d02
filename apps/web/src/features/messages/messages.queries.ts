import type { ConversationSession, E2eeClient } from '@lm/e2ee';
import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { MessagingTransport } from './e2ee-client';
import { useE2ee } from './e2ee-context';
import { messagesKeys } from './messages.keys';

/** Messages per page of a thread's history ("Load earlier"). */
export const HISTORY_PAGE = 30;
/** Conversations per page of the list. */
export const CONVERSATIONS_PAGE = 20;

/** `GET /api/conversations`: newest activity first, with the unread count of each. */
export const conversationsQueryOptions = (userId: string, transport: MessagingTransport) =>
  infiniteQueryOptions({
    queryKey: messagesKeys.conversationList(userId),
    queryFn: ({ pageParam }) =>
      transport.listConversations({ limit: CONVERSATIONS_PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** `GET /api/conversations/:id`: the participants and both read positions. */
export const conversationQueryOptions = (userId: string, transport: MessagingTransport, id: string) =>
  queryOptions({
    queryKey: messagesKeys.conversation(userId, id),
    queryFn: () => transport.getConversation(id),
  });

/** The library's session of one conversation (its keys, its replay guard): made once, kept while the page lives. */
export const conversationSessionQueryOptions = (userId: string, client: E2eeClient, id: string) =>
  queryOptions({
    queryKey: messagesKeys.session(userId, id),
    queryFn: () => client.conversation(id),
    staleTime: Infinity,
    retry: false,
  });

/** Decrypted history, newest page first; each page newest message first (as the API pages it). */
export const historyQueryOptions = (userId: string, session: ConversationSession | undefined, id: string) =>
  infiniteQueryOptions({
    queryKey: messagesKeys.history(userId, id),
    queryFn: ({ pageParam }) => session!.history({ limit: HISTORY_PAGE, ...(pageParam ? { before: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !!session,
    // New messages arrive through the live events; decrypting every page again on focus is waste.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
  });

/** The safety number with `counterpartUserId`, and whether their identity key changed since it was pinned. */
export const safetyNumberQueryOptions = (userId: string, client: E2eeClient, counterpartUserId: string) =>
  queryOptions({
    queryKey: messagesKeys.safetyNumber(userId, counterpartUserId),
    queryFn: () => client.safetyNumber(counterpartUserId),
    retry: false,
  });

export const devicesQueryOptions = (userId: string, client: E2eeClient) =>
  queryOptions({
    queryKey: messagesKeys.devices(userId),
    queryFn: () => client.listDevices(),
  });

/** Trust the counterpart's new identity key (after comparing the safety number, ideally). */
export function useAcceptIdentityChange(counterpartUserId: string) {
  const { userId, client } = useE2ee();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.acceptIdentityChange(counterpartUserId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messagesKeys.safetyNumber(userId, counterpartUserId) }),
    meta: { errorToast: false },
  });
}

/** Revoke one of my devices: it can no longer open anything sent from now on. */
export function useRevokeDevice() {
  const { userId, client } = useE2ee();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deviceId: string) => client.revokeDevice(deviceId),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: messagesKeys.devices(userId) }),
        queryClient.invalidateQueries({ queryKey: messagesKeys.conversations(userId) }),
      ]),
    meta: { errorToast: false },
  });
}

export type { NoteKind } from '@lm/e2ee';
type SessionNotes = Awaited<ReturnType<ConversationSession['readNotes']>>;
/** A decrypted session note (agenda or private). */
export type DecryptedNote = NonNullable<SessionNotes['agenda']>;

/**
 * A session's agenda and my private note, decrypted. The notes endpoint names the session's
 * conversation, whose key encrypts them.
 */
export const sessionNotesQueryOptions = (userId: string, client: E2eeClient, transport: MessagingTransport, sessionId: string) =>
  queryOptions({
    queryKey: messagesKeys.notes(userId, sessionId),
    queryFn: async () => {
      const { conversationId } = await transport.getNotes(sessionId);
      const session = await client.conversation(conversationId);
      return { conversationId, ...(await session.readNotes(sessionId)) };
    },
    retry: false,
  });
