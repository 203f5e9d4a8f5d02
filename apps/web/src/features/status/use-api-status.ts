import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { healthSummary, type HealthSummary } from './health-summary';
import { healthQueryOptions } from './status.queries';

export type ApiStatus =
  | { state: 'loading' }
  | { state: 'error'; error: Error | null; retrying: boolean }
  | { state: 'ready'; summary: HealthSummary; checkedAt: number };

/** Live API status, polled every 15 s, reduced to what the status card shows. */
export function useApiStatus(): ApiStatus & { retry: () => void } {
  const query = useQuery({ ...healthQueryOptions(), select: healthSummary });
  const retry = () => void query.refetch();

  // React Query puts a query without data back to "pending" while it refetches, which would
  // flash the skeleton on every poll after a failure; so keep the last error until a check
  // succeeds. A failure after a success also wins over the stale data: a green card for an
  // API that stopped answering would lie.
  const [lastError, setLastError] = useState<Error | null>(null);
  if (query.error && query.error !== lastError) setLastError(query.error);

  if (query.errorUpdatedAt > query.dataUpdatedAt) {
    return { state: 'error', error: query.error ?? lastError, retrying: query.isFetching, retry };
  }
  if (query.data) {
    return { state: 'ready', summary: query.data, checkedAt: query.dataUpdatedAt, retry };
  }
  return { state: 'loading', retry };
}
