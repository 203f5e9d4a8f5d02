import type {
  ConversationDetail,
  ConversationSession,
  ConversationSummary,
  DecryptedNote,
  E2eeClient,
  HistoryItem,
  Note,
  WireMessage,
} from '@lm/e2ee';
import type { ReactNode } from 'react';
import { vi } from 'vitest';
import type { E2eeServices } from './e2ee-client';
import { E2eeProvider, type LiveEvent } from './e2ee-context';

export const ME = '00000000-0000-4000-8000-00000000000a';
export const ANA = '00000000-0000-4000-8000-00000000000b';
export const CONVERSATION = '00000000-0000-4000-8000-0000000000c1';

/** A stand-in E2eeClient: every method a vi.fn the test can script; `emit` plays a live event. */
export function fakeServices(over: Partial<Record<keyof E2eeClient, unknown>> = {}) {
  let onEvent: ((event: LiveEvent) => void) | null = null;
  const client = {
    userId: ME,
    status: vi.fn(() => Promise.resolve('ready')),
    setUp: vi.fn(() => Promise.resolve({ recoveryCode: '7K3M-9QXA-T2BD-H8VW-C4NE-P6RZ' })),
    restore: vi.fn(() => Promise.resolve()),
    resetIdentity: vi.fn(() => Promise.resolve({ recoveryCode: 'NEW1-NEW2-NEW3-NEW4-NEW5-NEW6' })),
    listDevices: vi.fn(() => Promise.resolve([])),
    revokeDevice: vi.fn(() => Promise.resolve()),
    conversation: vi.fn(),
    safetyNumber: vi.fn(() =>
      Promise.resolve({ digits: '0'.repeat(60), groups: Array(12).fill('00000'), identityChanged: false }),
    ),
    acceptIdentityChange: vi.fn(() => Promise.resolve()),
    events: vi.fn((listener: (event: LiveEvent) => void, signal: AbortSignal) => {
      onEvent = listener;
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
    }),
  };
  for (const [name, value] of Object.entries(over)) {
    (client as Record<string, unknown>)[name] =
      typeof value === 'function' && !vi.isMockFunction(value) ? vi.fn(value as () => unknown) : value;
  }
  const transport = {
    listConversations: vi.fn(() => Promise.resolve({ items: [] as ConversationSummary[], nextCursor: null as string | null })),
    getConversation: vi.fn(() => Promise.resolve(conversationDetail())),
    listMessages: vi.fn(() => Promise.resolve({ items: [] as WireMessage[], nextCursor: null as string | null })),
    getNotes: vi.fn(() =>
      Promise.resolve({ conversationId: CONVERSATION, agenda: null as Note | null, private: null as Note | null }),
    ),
  };
  const services = {
    client: client as unknown as E2eeClient,
    transport,
    thisDeviceId: vi.fn(() => Promise.resolve('device-here')),
  } satisfies E2eeServices;
  return {
    client,
    transport,
    services,
    /** Delivers a live event as the stream would (once the provider listens). */
    emit: (event: LiveEvent) => {
      if (!onEvent) throw new Error('nobody listens to the events yet');
      onEvent(event);
    },
  };
}

export function withE2ee(services: E2eeServices, ui: ReactNode) {
  return (
    <E2eeProvider userId={ME} services={services}>
      {ui}
    </E2eeProvider>
  );
}

/** A stand-in ConversationSession. */
export function fakeSession(over: Partial<Record<keyof ConversationSession, unknown>> = {}) {
  const session = {
    conversationId: CONVERSATION,
    participants: [ME, ANA],
    counterpartUserId: ANA,
    send: vi.fn(),
    history: vi.fn(() => Promise.resolve({ items: [] as HistoryItem[], nextCursor: null as string | null })),
    receive: vi.fn(),
    downloadAttachment: vi.fn(),
    markRead: vi.fn(() => Promise.resolve()),
    readNotes: vi.fn(() => Promise.resolve({ agenda: null as DecryptedNote | null, private: null as DecryptedNote | null })),
    saveNote: vi.fn(() => Promise.resolve()),
  };
  for (const [name, value] of Object.entries(over)) {
    (session as Record<string, unknown>)[name] =
      typeof value === 'function' && !vi.isMockFunction(value) ? vi.fn(value as () => unknown) : value;
  }
  return session;
}

export function conversationDetail(over: Partial<ConversationDetail> = {}): ConversationDetail {
  const ana = { userId: ANA, displayName: 'Ana López', role: 'LAWYER' as const };
  return {
    id: CONVERSATION,
    counterpart: ana,
    createdAt: '2030-03-01T09:00:00.000Z',
    lastMessageAt: null,
    unreadCount: 0,
    currentEpoch: 1,
    needsRekey: false,
    participants: [{ userId: ME, displayName: 'Me', role: 'CLIENT' }, ana],
    myReadUpTo: null,
    counterpartReadUpTo: null,
    ...over,
  };
}
