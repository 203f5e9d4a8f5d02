import { createApiClient } from '@lm/api-client';

type Handler = (url: URL, request: Request) => Response | Promise<Response>;

/**
 * Stand-in for src/lib/api in component tests, used as
 * `vi.mock('<relative>/lib/api', () => import('<relative>/test/fake-api'))`: the real generated
 * client and its error handling over a fake network, so a test sees the exact requests a
 * screen sends and answers them as the API would.
 */
let handlers: Record<string, Handler> = {};
export const api = createApiClient({
  baseUrl: 'http://lexmarket.test',
  fetch: async (request) => {
    const url = new URL(request.url);
    const handler = handlers[`${request.method} ${url.pathname}`];
    if (handler) return handler(url, request);
    return Response.json({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found', requestId: 'req-404' }, { status: 404 });
  },
});

/** Nobody is signed in: there is no session to refresh. */
export const refreshAccessToken = () => Promise.resolve(null);

/**
 * Answers `METHOD /path` with `handler`; returns the query strings asked for, in order.
 * Replaces every earlier route.
 */
export function serve(routes: Record<string, Handler>): Record<string, URLSearchParams[]> {
  const asked: Record<string, URLSearchParams[]> = {};
  handlers = Object.fromEntries(
    Object.entries(routes).map(([key, handler]) => {
      asked[key] = [];
      return [key, (url: URL, request: Request) => (asked[key]!.push(url.searchParams), handler(url, request))];
    }),
  );
  return asked;
}

/** An error body as the API's error filter writes it. */
export function apiError(status: number, code: string, message: string, requestId = 'req-test'): Response {
  return Response.json({ statusCode: status, code, message, requestId }, { status });
}
