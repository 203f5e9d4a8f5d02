/**
 * Query keys of the messages feature. Every key starts with the signed-in user's id: the
 * decrypted data of one account must never be served to another from the cache.
 */
export const messagesKeys = {
  all: ['messages'] as const,
  user: (userId: string) => [...messagesKeys.all, userId] as const,
  /** This device's E2EE state: ready, needs set-up, needs restore. */
  status: (userId: string) => [...messagesKeys.user(userId), 'status'] as const,
  devices: (userId: string) => [...messagesKeys.user(userId), 'devices'] as const,
  conversations: (userId: string) => [...messagesKeys.user(userId), 'conversations'] as const,
  conversationList: (userId: string) => [...messagesKeys.conversations(userId), 'list'] as const,
  conversation: (userId: string, id: string) => [...messagesKeys.conversations(userId), 'detail', id] as const,
  /** The library's ConversationSession (keys and replay guard of one conversation). */
  session: (userId: string, id: string) => [...messagesKeys.user(userId), 'session', id] as const,
  history: (userId: string, id: string) => [...messagesKeys.user(userId), 'history', id] as const,
  safetyNumbers: (userId: string) => [...messagesKeys.user(userId), 'safety'] as const,
  safetyNumber: (userId: string, counterpartId: string) => [...messagesKeys.safetyNumbers(userId), counterpartId] as const,
  notes: (userId: string, sessionId: string) => [...messagesKeys.user(userId), 'notes', sessionId] as const,
};
