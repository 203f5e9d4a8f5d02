import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemorySandboxStore } from '../../src/modules/stripe-sandbox/sandbox-store';
import { StripeFakeApi, type StripeEventObject } from '../../src/modules/stripe-sandbox/stripe-fake-api';
import { parseStripeForm, type FormValue } from '../../src/modules/stripe-sandbox/stripe-form';
import { STRIPE_API_VERSION } from '../../src/modules/payments/stripe/stripe-gateway';

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body (POST) or query (GET) decoded from Stripe's bracket notation. */
  params: Record<string, FormValue>;
  status: number;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  /** 'before': Stripe never saw the request. 'after': Stripe executed it, then the answer was lost. */
  when: 'before' | 'after';
  remaining: number;
}

/**
 * A local fake of Stripe's HTTP API for tests: the same StripeFakeApi the app's sandbox serves,
 * on its own HTTP server with an in-memory store, recording every request exactly as the real
 * `stripe` SDK sent it (method, path, headers including Idempotency-Key, decoded form body).
 * Failures can be injected per path, before or after execution. Events the fake emits are kept
 * in `events`; tests choose whether and when to deliver them to the app's webhook.
 */
export class StripeFake {
  readonly requests: RecordedRequest[] = [];
  readonly events: StripeEventObject[] = [];
  readonly api: StripeFakeApi;
  readonly store = new MemorySandboxStore();
  /** Seconds added to the fake's clock (lets checkouts lapse without waiting). */
  clockOffsetSeconds = 0;
  private readonly failures: Failure[] = [];
  private server!: Server;
  url = '';

  constructor(readonly apiKey = 'sk_test_fake_stripe_recorder') {
    this.api = new StripeFakeApi({
      store: this.store,
      apiKey,
      checkoutUrlBase: 'https://checkout.stripe.test/c/pay',
      apiVersion: STRIPE_API_VERSION,
      onEvents: (events) => void this.events.push(...events),
      now: () => Math.floor(Date.now() / 1000) + this.clockOffsetSeconds,
    });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.serve(req).then(({ status, headers, body }) => {
        res.writeHead(status, { ...headers, 'content-type': 'application/json' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` requests matching method + path answer `status` (before or after Stripe executed them). */
  fail(method: string, path: RegExp, opts: { status?: number; times?: number; when?: 'before' | 'after' } = {}): void {
    this.failures.push({ method, path, status: opts.status ?? 500, when: opts.when ?? 'before', remaining: opts.times ?? 1 });
  }

  /** Recorded requests to `path` (exact, e.g. '/v1/checkout/sessions'), optionally of one method. */
  sent(path: string | RegExp, method?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => (typeof path === 'string' ? r.path === path : path.test(r.path)) && (!method || r.method === method),
    );
  }

  /** Objects of one kind the fake holds (e.g. 'customer', 'checkout.session', 'refund'), newest first. */
  async objects(kind: string): Promise<Record<string, unknown>[]> {
    return (await this.store.list(kind)).map((o) => o.data);
  }

  private async serve(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path,
      query,
      headers: req.headers,
      body,
      params: parseStripeForm(method === 'GET' ? query : body),
      status: 0,
    };
    this.requests.push(record);
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === method && f.path.test(path));
    if (failure) failure.remaining--;
    if (failure?.when === 'before') return this.answerFailure(record, failure.status);
    const response = await this.api.handle({ method, path, query, headers: req.headers, body });
    if (failure?.when === 'after') return this.answerFailure(record, failure.status);
    record.status = response.status;
    return { status: response.status, headers: response.headers, body: JSON.stringify(response.body) };
  }

  private answerFailure(record: RecordedRequest, status: number) {
    record.status = status;
    return {
      status,
      headers: { 'request-id': 'req_injected_failure' },
      body: JSON.stringify({
        error: { type: status >= 500 ? 'api_error' : 'invalid_request_error', message: `Injected failure (${status})` },
      }),
    };
  }
}

export async function startStripeFake(): Promise<StripeFake> {
  return new StripeFake().start();
}
