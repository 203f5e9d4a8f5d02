import { ApiError, createApiClient, NETWORK_ERROR, UNEXPECTED_RESPONSE, unwrap } from './index';

type FakeFetch = jest.Mock<Promise<Response>, [Request]>;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

const healthy = {
  status: 'ok',
  details: { database: { status: 'up' } },
  version: '1.2.3',
  uptimeSeconds: 5,
};

function clientWith(fetch: FakeFetch, options: Parameters<typeof createApiClient>[0] = {}) {
  return createApiClient({ baseUrl: 'http://api.test', fetch, ...options });
}

describe('createApiClient', () => {
  it('sends the bearer token when one exists, and cookies always', async () => {
    const fetch: FakeFetch = jest.fn().mockResolvedValue(json(200, healthy));
    const api = clientWith(fetch, { getAccessToken: () => 'tok-123' });

    await unwrap(api.GET('/api/health'));

    const request = fetch.mock.calls[0][0];
    expect(request.url).toBe('http://api.test/api/health');
    expect(request.headers.get('Authorization')).toBe('Bearer tok-123');
    expect(request.credentials).toBe('include');
  });

  it('sends no Authorization header without a token', async () => {
    const fetch: FakeFetch = jest.fn().mockResolvedValue(json(200, healthy));
    const api = clientWith(fetch, { getAccessToken: () => null });

    await unwrap(api.GET('/api/health'));

    expect(fetch.mock.calls[0][0].headers.has('Authorization')).toBe(false);
  });

  it('calls onUnauthorized on a 401 answer only', async () => {
    const onUnauthorized = jest.fn();
    const fetch: FakeFetch = jest
      .fn()
      .mockResolvedValueOnce(json(200, healthy))
      .mockResolvedValueOnce(
        json(401, {
          statusCode: 401,
          code: 'UNAUTHENTICATED',
          message: 'Sign in',
          requestId: 'r1',
        }),
      );
    const api = clientWith(fetch, { onUnauthorized });

    await unwrap(api.GET('/api/health'));
    expect(onUnauthorized).not.toHaveBeenCalled();

    await expect(unwrap(api.GET('/api/health'))).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});

describe('unwrap', () => {
  it('returns the typed data of a 2xx answer', async () => {
    const api = clientWith(jest.fn().mockResolvedValue(json(200, healthy)));

    const health = await unwrap(api.GET('/api/health'));

    expect(health.version).toBe('1.2.3');
    expect(health.details.database.status).toBe('up');
  });

  it('throws an ApiError carrying the body code, message, request id and fields', async () => {
    const body = {
      statusCode: 422,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid.',
      requestId: 'req-42',
      fields: [{ field: 'email', messages: ['must be an email'] }],
    };
    const api = clientWith(jest.fn().mockResolvedValue(json(422, body)));

    const error: unknown = await unwrap(api.GET('/api/health')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: 'ApiError',
      status: 422,
      code: 'VALIDATION_FAILED',
      message: 'Some fields are invalid.',
      requestId: 'req-42',
      fields: body.fields,
    });
  });

  it('maps a non-JSON error page to NETWORK_ERROR, keeping status and the x-request-id header', async () => {
    const api = clientWith(
      jest.fn().mockResolvedValue(
        new Response('<html>Bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html', 'x-request-id': 'edge-7' },
        }),
      ),
    );

    await expect(unwrap(api.GET('/api/health'))).rejects.toMatchObject({
      status: 502,
      code: NETWORK_ERROR,
      requestId: 'edge-7',
    });
  });

  it('maps a JSON body that is not an ErrorResponse to UNEXPECTED_RESPONSE', async () => {
    const api = clientWith(jest.fn().mockResolvedValue(json(503, { ...healthy, status: 'error' })));

    await expect(unwrap(api.GET('/api/health'))).rejects.toMatchObject({
      status: 503,
      code: UNEXPECTED_RESPONSE,
    });
  });

  it('maps a network failure to NETWORK_ERROR with status 0', async () => {
    const cause = new TypeError('fetch failed');
    const api = clientWith(jest.fn().mockRejectedValue(cause));

    const error: unknown = await unwrap(api.GET('/api/health')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: NETWORK_ERROR, requestId: undefined, cause });
  });

  it('maps a 2xx answer that is not JSON (e.g. an HTML fallback page) to NETWORK_ERROR', async () => {
    const api = clientWith(
      jest.fn().mockResolvedValue(
        new Response('<!doctype html><html></html>', {
          status: 200,
          headers: { 'Content-Type': 'text/html' },
        }),
      ),
    );

    await expect(unwrap(api.GET('/api/health'))).rejects.toMatchObject({ code: NETWORK_ERROR });
  });

  it('rethrows aborts unchanged so query cancellation stays a cancellation', async () => {
    const abort = new DOMException('The operation was aborted.', 'AbortError');
    const api = clientWith(jest.fn().mockRejectedValue(abort));

    await expect(unwrap(api.GET('/api/health'))).rejects.toBe(abort);
  });
});
