import { createApiClient, settle } from '@lm/api-client';
import { accessToken } from './access-token';

/** Calls that must never trigger a refresh-and-retry (they are the session machinery itself). */
const NO_RETRY_PATHS = ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/auth/register'];

function bearerOf(request: Request): string | null {
  const header = request.headers.get('Authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/**
 * On a 401 from an authenticated call: refresh the session once and replay the request once
 * with the new token. If another call already refreshed while this one was in flight, its
 * token is reused instead of refreshing again. Exported for the E2EE library's transport
 * (features/messages), which speaks the messaging API itself.
 */
export async function fetchWithRefresh(request: Request): Promise<Response> {
  const retryable = !NO_RETRY_PATHS.includes(new URL(request.url, window.location.origin).pathname);
  const replay = retryable ? request.clone() : null;
  const response = await fetch(request);
  if (response.status !== 401 || !replay) return response;

  const sent = bearerOf(request);
  const latest = accessToken.get();
  const token = latest && latest !== sent ? latest : await refreshAccessToken();
  if (!token) return response;
  replay.headers.set('Authorization', `Bearer ${token}`);
  return fetch(replay);
}

/**
 * The SPA's one API client. Same origin (`baseUrl: ''`): in production the API serves the
 * SPA, in development Vite proxies `/api`.
 */
export const api = createApiClient({
  baseUrl: '',
  getAccessToken: accessToken.get,
  fetch: fetchWithRefresh,
});

let refreshing: Promise<string | null> | null = null;

/**
 * Exchanges the HttpOnly refresh cookie for a new access token. Only ONE refresh is ever in
 * flight: the server rotates the refresh token and treats a second use of the old one as
 * theft (it revokes the whole sign-in), so concurrent callers share the same promise.
 * Resolves to null when there is no session (or it ended).
 */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= (async () => {
    try {
      const { data } = await settle(api.POST('/api/auth/refresh'));
      const token = data?.accessToken ?? null;
      accessToken.set(token);
      return token;
    } catch {
      // Offline: keep no token; the next call will try again.
      accessToken.set(null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}
