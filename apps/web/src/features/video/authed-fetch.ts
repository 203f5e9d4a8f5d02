import { ApiError } from '@lm/api-client';
import { accessToken } from '../../lib/access-token';
import { refreshAccessToken } from '../../lib/api';

/**
 * `fetch` with the signed-in user's Bearer token, refreshed once on a 401, for the calls the
 * generated client cannot make: a streamed response read as it arrives (the signalling
 * stream), raw bytes up (recording chunks) and down (media). Everything else goes through
 * `lib/api`.
 */
export async function authedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const send = (token: string | null) => {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    return fetch(url, { ...init, headers, credentials: 'include' });
  };
  const sent = accessToken.get();
  let response: Response;
  try {
    response = await send(sent);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw ApiError.network(error);
  }
  if (response.status !== 401) return response;
  const latest = accessToken.get();
  const token = latest && latest !== sent ? latest : await refreshAccessToken();
  if (!token) return response;
  try {
    return await send(token);
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw ApiError.network(error);
  }
}

/** The JSON body of a 2xx response, or the API's error as an ApiError. */
export async function readJson<T>(response: Response): Promise<T> {
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.fromResponse(body, response);
  return body as T;
}

/** Throws the API's error for a non-2xx response. */
export async function ensureOk(response: Response): Promise<Response> {
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => undefined);
  throw ApiError.fromResponse(body, response);
}
