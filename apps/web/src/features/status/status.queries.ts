import { ApiError, settle, type components } from '@lm/api-client';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../lib/api';

export type HealthResponse = components['schemas']['HealthResponse'];

export const HEALTH_POLL_INTERVAL_MS = 15_000;

export const statusKeys = {
  all: ['status'] as const,
  health: () => [...statusKeys.all, 'health'] as const,
};

function isHealthResponse(body: unknown): body is HealthResponse {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Partial<Record<keyof HealthResponse, unknown>>;
  return typeof candidate.status === 'string' && typeof candidate.details === 'object' && candidate.details !== null;
}

/**
 * `GET /api/health`. A 503 still carries a HealthResponse (the API answers but a
 * dependency is down), so it is returned as data, to be shown as "Degraded"; anything
 * else that is not a 2xx is thrown as an ApiError.
 */
export async function fetchHealth(signal?: AbortSignal): Promise<HealthResponse> {
  const { data, error, response } = await settle(api.GET('/api/health', { signal }));
  if (data) return data;
  if (response.status === 503 && isHealthResponse(error)) return error;
  throw ApiError.fromResponse(error, response);
}

export const healthQueryOptions = () =>
  queryOptions({
    queryKey: statusKeys.health(),
    queryFn: ({ signal }) => fetchHealth(signal),
    refetchInterval: HEALTH_POLL_INTERVAL_MS,
    staleTime: 0,
  });
