import type { E2eeClient, MessagingEvent } from '@lm/e2ee';
import { queryOptions, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { e2eeServicesFor, type E2eeServices } from './e2ee-client';
import { messagesKeys } from './messages.keys';

/** A live event, or `reconnected`: the stream was down for a while, so something may have been missed. */
export type LiveEvent = MessagingEvent | { type: 'reconnected' };
type Listener = (event: LiveEvent) => void;

interface E2eeContextValue extends E2eeServices {
  userId: string;
  /** Listens to the live events while this device is ready; returns the unsubscribe function. */
  subscribe: (listener: Listener) => () => void;
}

const E2eeContext = createContext<E2eeContextValue | null>(null);

export const e2eeStatusQueryOptions = (userId: string, client: E2eeClient) =>
  queryOptions({
    queryKey: messagesKeys.status(userId),
    queryFn: () => client.status(),
    // Another tab or device may set up, restore or revoke; check again when the user comes back.
    staleTime: 10_000,
  });

/** What a live event changes in the cache (the open thread also listens, to decrypt new messages). */
function invalidateFor(queryClient: QueryClient, userId: string, event: LiveEvent): void {
  const invalidate = (queryKey: readonly unknown[]) => void queryClient.invalidateQueries({ queryKey });
  switch (event.type) {
    case 'message':
    case 'read':
    case 'epoch':
    case 'reconnected':
      invalidate(messagesKeys.conversations(userId));
      break;
    case 'keys':
      if (event.userId === userId) {
        invalidate(messagesKeys.status(userId));
        invalidate(messagesKeys.devices(userId));
      } else {
        invalidate(messagesKeys.safetyNumber(userId, event.userId));
      }
      invalidate(messagesKeys.conversations(userId));
      break;
    case 'note':
      invalidate(messagesKeys.notes(userId, event.sessionId));
      break;
  }
}

/**
 * The signed-in user's E2EE client for the screens below it (Messages, a session's notes),
 * and, once this device is ready, the live event stream: it keeps the cached lists fresh and
 * hands every event to the screens that subscribe (the open thread decrypts new messages).
 * `services` replaces the real client in tests.
 */
export function E2eeProvider({
  userId,
  services: injected,
  children,
}: {
  userId: string;
  services?: E2eeServices;
  children: ReactNode;
}) {
  const services = useMemo(() => injected ?? e2eeServicesFor(userId), [injected, userId]);
  const { client } = services;
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const status = useQuery(e2eeStatusQueryOptions(userId, client));
  const ready = status.data === 'ready';

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    const subscribers = listeners.current;
    const emit = (event: LiveEvent) => {
      invalidateFor(queryClient, userId, event);
      for (const listener of subscribers) listener(event);
    };
    let opened = false;
    // The library reconnects with backoff until aborted. After a reconnection the screens catch
    // up on what they may have missed while the stream was down.
    client
      .events(emit, controller.signal, {
        onOpen: () => {
          if (opened) emit({ type: 'reconnected' });
          opened = true;
        },
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [client, queryClient, ready, userId]);

  const value = useMemo<E2eeContextValue>(
    () => ({
      ...services,
      userId,
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => {
          listeners.current.delete(listener);
        };
      },
    }),
    [services, userId],
  );
  return <E2eeContext.Provider value={value}>{children}</E2eeContext.Provider>;
}

export function useE2ee(): E2eeContextValue {
  const value = useContext(E2eeContext);
  if (!value) throw new Error('useE2ee needs an <E2eeProvider> above it');
  return value;
}

/** This device's E2EE status (ready, needs set-up, needs restore). */
export function useE2eeStatus() {
  const { userId, client } = useE2ee();
  return useQuery(e2eeStatusQueryOptions(userId, client));
}

/** Calls `onEvent` for every live event while mounted (the latest `onEvent`, without resubscribing). */
export function useE2eeEvents(onEvent: Listener): void {
  const { subscribe } = useE2ee();
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
