import { ApiError, unwrap, type components } from '@lm/api-client';
import { queryOptions } from '@tanstack/react-query';
import { accessToken } from '../../lib/access-token';
import { api, refreshAccessToken } from '../../lib/api';

export type UserResponse = components['schemas']['UserResponse'];

export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

/**
 * `GET /api/auth/me`, or null when nobody is signed in. On a fresh page load there is no
 * access token yet, so the refresh cookie is exchanged for one first.
 */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<UserResponse | null> {
  if (!accessToken.get() && !(await refreshAccessToken())) return null;
  try {
    return await unwrap(api.GET('/api/auth/me', { signal }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      accessToken.set(null);
      return null;
    }
    throw error;
  }
}

export const currentUserQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => fetchCurrentUser(signal),
    staleTime: 5 * 60_000,
  });
