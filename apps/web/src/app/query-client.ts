import { ApiError } from '@lm/api-client';
import { notifications } from '@mantine/notifications';
import { MutationCache, QueryClient } from '@tanstack/react-query';
import { describeError } from '../lib/errors';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Set to false when the mutation shows its own error (e.g. inline form errors). */
      errorToast?: boolean;
    };
  }
}

/** A 4xx will answer the same way next time: retrying only delays the message. */
function retryUnlessClientError(failureCount: number, error: Error): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: retryUnlessClientError,
        staleTime: 30_000,
      },
      // Mutations change money, bookings and records: never repeat them behind the user's back.
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      onError(error, _variables, _onMutateResult, mutation) {
        if (mutation.meta?.errorToast === false) return;
        const { title, message, requestId } = describeError(error);
        notifications.show({
          color: 'red',
          title,
          message: requestId ? `${message} (reference ${requestId})` : message,
        });
      },
    }),
  });
}
