import type { FastifyInstance } from 'fastify';

/**
 * A `fetch` that answers from this process's own HTTP pipeline (Fastify's in-process inject:
 * routing, guards, validation, error filter, all as for a real request) without a socket, so a
 * client library made for the browser can drive the public API from inside the app, whether or
 * not it listens yet. Only what the demo seeder sends: a method, headers and a string or byte
 * body; no streaming answers.
 */
export function inProcessFetch(fastify: FastifyInstance): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // A Request carries its own method, headers and body, which this fetch does not read: refuse it.
    if (input instanceof Request) throw new TypeError('inProcessFetch takes a URL and init, not a Request');
    const url = new URL(String(input));
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array))
      throw new TypeError('inProcessFetch sends string or byte bodies only');
    const res = await fastify.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers,
      ...(body !== undefined && body !== null ? { payload: typeof body === 'string' ? body : Buffer.from(body) } : {}),
    });
    const answer = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) answer.append(name, String(v));
    }
    // A 204 or 304 answer has no body, and Response refuses one.
    const empty = res.statusCode === 204 || res.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers: answer });
  }) as typeof fetch;
}

/** Any origin: the in-process fetch uses only the path. */
export const DEMO_API_ORIGIN = 'http://demo.invalid';

/** Signs a demo account in through the API, as the SPA does: its access token, and how to end that sign-in. */
export async function demoSignIn(
  fetch: typeof globalThis.fetch,
  account: { email: string; password: string },
): Promise<{ accessToken: string; signOut(): Promise<void> }> {
  const res = await fetch(`${DEMO_API_ORIGIN}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`signing in ${account.email} answered ${res.status}`);
  const { accessToken } = (await res.json()) as { accessToken: string };
  return {
    accessToken,
    signOut: async () => {
      await fetch(`${DEMO_API_ORIGIN}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
    },
  };
}
