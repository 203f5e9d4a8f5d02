import { createHttpTransport, E2eeClient, IndexedDbKeyStore } from '@lm/e2ee';
import { accessToken } from '../../lib/access-token';
import { fetchWithRefresh } from '../../lib/api';

/**
 * The library's transport speaks the messaging API itself (raw ciphertext up and down, the
 * event stream). It goes through the SPA's fetch, so a 401 refreshes the session once and
 * replays the call, as every other request does.
 */
const refreshingFetch: typeof fetch = (input, init) => fetchWithRefresh(new Request(input, init));

const clients = new Map<string, E2eeClient>();

/**
 * One E2eeClient per signed-in user, for the page's lifetime: it holds the conversations'
 * replay guards and the device's key store (IndexedDB, keyed by user, so two accounts used in
 * one browser never share keys). Signing out and in as someone else gets that user's client.
 */
export function e2eeClientFor(userId: string): E2eeClient {
  let client = clients.get(userId);
  if (!client) {
    client = new E2eeClient({
      userId,
      transport: createHttpTransport({ baseUrl: '', getAccessToken: accessToken.get, fetch: refreshingFetch }),
      store: new IndexedDbKeyStore(),
    });
    clients.set(userId, client);
  }
  return client;
}

/** A name for this browser in the devices list ("Chrome on Linux"); the user never types one. */
export function deviceLabel(userAgent: string = navigator.userAgent): string {
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /OPR\//.test(userAgent) ? 'Opera'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : 'Browser';
  const os =
    /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
    : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
    : /CrOS/.test(userAgent) ? 'ChromeOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : 'an unknown system';
  return `${browser} on ${os}`;
}
