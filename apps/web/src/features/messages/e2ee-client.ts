import { createHttpTransport, E2eeClient, IndexedDbKeyStore, type DeviceKeyStore, type E2eeTransport } from '@lm/e2ee';
import { accessToken } from '../../lib/access-token';
import { fetchWithRefresh } from '../../lib/api';

/**
 * The library's transport speaks the messaging API itself (raw ciphertext up and down, the
 * event stream). It goes through the SPA's fetch, so a 401 refreshes the session once and
 * replays the call, as every other request does.
 */
const refreshingFetch: typeof fetch = (input, init) => fetchWithRefresh(new Request(input, init));

/**
 * What the screens use: the client, and the parts of the messaging API that carry no
 * ciphertext (the conversation list and detail, a session's conversation) plus the newest wire
 * messages for live delivery (each handed to ConversationSession.receive). The library's
 * transport speaks the whole messaging API, typed by its wire types, so the SPA uses one client
 * for it rather than two.
 */
export type MessagingTransport = Pick<E2eeTransport, 'listConversations' | 'getConversation' | 'listMessages' | 'getNotes'>;

export interface E2eeServices {
  client: E2eeClient;
  transport: MessagingTransport;
  /** This browser's device id (null before set-up or restore), to tell it apart in the devices list. */
  thisDeviceId: () => Promise<string | null>;
}

const services = new Map<string, E2eeServices>();

/**
 * One E2eeClient per signed-in user, for the page's lifetime: it holds the conversations'
 * replay guards and the device's key store (IndexedDB, keyed by user, so two accounts used in
 * one browser never share keys). Signing out and in as someone else gets that user's client.
 */
export function e2eeServicesFor(userId: string): E2eeServices {
  let found = services.get(userId);
  if (!found) {
    const transport = createHttpTransport({ baseUrl: '', getAccessToken: accessToken.get, fetch: refreshingFetch });
    const store: DeviceKeyStore = new IndexedDbKeyStore();
    found = {
      client: new E2eeClient({ userId, transport, store }),
      transport,
      thisDeviceId: () => store.load(userId).then((device) => device?.deviceId ?? null),
    };
    services.set(userId, found);
  }
  return found;
}

/** A name for this browser in the devices list ("Chrome on Linux"); the user never types one. */
export function deviceLabel(userAgent: string = navigator.userAgent): string {
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /OPR\//.test(userAgent)
      ? 'Opera'
      : /Firefox\//.test(userAgent)
        ? 'Firefox'
        : /Chrom(e|ium)\//.test(userAgent)
          ? 'Chrome'
          : /Safari\//.test(userAgent)
            ? 'Safari'
            : 'Browser';
  const os = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent)
      ? 'iOS'
      : /Windows/.test(userAgent)
        ? 'Windows'
        : /CrOS/.test(userAgent)
          ? 'ChromeOS'
          : /Mac OS X|Macintosh/.test(userAgent)
            ? 'macOS'
            : /Linux/.test(userAgent)
              ? 'Linux'
              : 'an unknown system';
  return `${browser} on ${os}`;
}
