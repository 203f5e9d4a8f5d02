/**
 * Typed client for the marketplace REST API.
 *
 * `schema.ts` is generated from apps/api/openapi.json by `npm run openapi` (never edit it by
 * hand); this file is the small wrapper every caller uses:
 *
 *   const api = createApiClient({ getAccessToken: () => session.accessToken });
 *   const health = await unwrap(api.GET('/api/health'));
 *
 * Nothing here names a specific path, so regenerating the schema never breaks the wrapper;
 * the compiler points at the callers whose paths or payloads changed instead.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths };

/** The stable error body every non-2xx API response carries. */
export type ApiErrorBody = components['schemas']['ErrorResponse'];
export type ApiFieldError = NonNullable<ApiErrorBody['fields']>[number];

export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Origin (and optional prefix) of the API; '' means same origin as the page. */
  baseUrl?: string;
  /** Returns the current access token, if any; sent as `Authorization: Bearer <token>`. */
  getAccessToken?: () => string | null | undefined;
  /** Called whenever the API answers 401 (e.g. to refresh the session or sign out). */
  onUnauthorized?: () => void;
  /** Custom fetch (tests); defaults to the global fetch. */
  fetch?: (input: Request) => Promise<Response>;
}

/** Code of the ApiError raised when no usable API response arrived. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
/** Code of the ApiError raised for a JSON error body that is not an ErrorResponse. */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { baseUrl = '', getAccessToken, onUnauthorized, fetch } = options;
  const client = createClient<paths>({
    baseUrl,
    // Refresh tokens live in an httpOnly cookie, so cookies must travel with every call.
    credentials: 'include',
    ...(fetch ? { fetch } : {}),
  });

  const auth: Middleware = {
    onRequest({ request }) {
      const token = getAccessToken?.();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized?.();
      return undefined;
    },
  };
  client.use(auth);
  return client;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  requestId?: string;
  fields?: ApiFieldError[];
}

/**
 * A failed API call. `status` is the HTTP status (0 when no response arrived), `code` the
 * machine-readable error code to switch on, `requestId` the id to quote to support.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly fields: ApiFieldError[] | undefined;

  constructor(init: ApiErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.fields = init.fields;
  }

  /** Builds an ApiError from an openapi-fetch `error` body and its response. */
  static fromResponse(body: unknown, response: Response): ApiError {
    const headerRequestId = response.headers.get('x-request-id') ?? undefined;
    if (isApiErrorBody(body)) {
      return new ApiError({
        status: response.status,
        code: body.code,
        message: body.message,
        requestId: body.requestId || headerRequestId,
        fields: body.fields,
      });
    }
    const isJsonObject = typeof body === 'object' && body !== null;
    return new ApiError({
      status: response.status,
      // A text/HTML body (proxy or gateway page) or none at all means we never reached the API proper.
      code: isJsonObject ? UNEXPECTED_RESPONSE : NETWORK_ERROR,
      message: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
      requestId: headerRequestId,
    });
  }

  /** Wraps a failure that produced no usable response (offline, DNS, CORS, invalid JSON). */
  static network(cause: unknown): ApiError {
    return new ApiError({ status: 0, code: NETWORK_ERROR, message: 'The server could not be reached.' }, { cause });
  }
}

export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string' && typeof candidate.statusCode === 'number';
}

/** What every openapi-fetch call resolves to. */
export interface ApiResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type DataOf<R> = R extends { data: infer D } ? D : never;

function isAbort(error: unknown): boolean {
  // Checked by name: a DOMException from another realm (worker, test sandbox) is not `instanceof Error`.
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * Awaits an openapi-fetch call and turns a thrown network failure into an ApiError with
 * code NETWORK_ERROR, leaving `{ data, error, response }` for callers that want to inspect
 * non-2xx answers themselves. Aborts (e.g. React Query cancelling) are rethrown unchanged.
 */
export async function settle<R extends ApiResult>(pending: R | Promise<R>): Promise<R> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ApiError || isAbort(error)) throw error;
    throw ApiError.network(error);
  }
}

/**
 * Returns the `data` of a successful call or throws an ApiError. Pass the promise itself
 * (`unwrap(api.GET(...))`) so network failures are converted too.
 */
export async function unwrap<R extends ApiResult>(pending: R | Promise<R>): Promise<DataOf<R>> {
  const result = await settle(pending);
  if (result.response.ok && result.error === undefined) return result.data as DataOf<R>;
  throw ApiError.fromResponse(result.error, result.response);
}

export { verifyWebhookSignature } from './webhook-signature';
export type { VerifyWebhookSignatureInput } from './webhook-signature';
