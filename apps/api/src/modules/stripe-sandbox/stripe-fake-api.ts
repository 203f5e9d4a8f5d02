import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IdempotencyRecord, SandboxStore, StoredObject } from './sandbox-store';
import { parseStripeForm, type FormValue } from './stripe-form';
import { canonicalJson } from '../../common/json/canonical-json';

/**
 * A stand-in for the part of Stripe's HTTP API this app uses, speaking Stripe's wire format:
 * form-encoded requests with bracket notation, JSON objects shaped like Stripe's, Stripe's error
 * JSON, `Authorization: Bearer <secret key>`, and idempotency (`Idempotency-Key`: the first
 * result is saved and replayed with `Idempotent-Replayed: true`; reusing a key with other
 * parameters is a 400 `idempotency_error`). Framework-free: the app's local sandbox serves it
 * through Nest controllers (state in PostgreSQL) and tests serve it from a recording HTTP server
 * (state in memory), so the real `stripe` SDK talks to the same code in both.
 *
 * Supported: customers (create, retrieve), checkout sessions (create, retrieve, list with
 * `created`/`status`/`payment_intent`/`customer` filters and cursor pagination, expire),
 * refunds (create, retrieve, list), events (retrieve). Objects change only under one lock, so
 * concurrent requests see each other's effects in order. Stripe's own behaviour that has no
 * endpoint (a customer paying on the hosted page, a checkout lapsing at `expires_at`) is
 * exposed as methods (`completeCheckout`, …) and applied lazily on read.
 */

export interface FakeRequest {
  method: string;
  /** Path from `/v1/…`, without the query string. */
  path: string;
  /** Raw query string (without `?`). */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw request body (form-encoded for POST). */
  body: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type StripeEventObject = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  livemode: boolean;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
};

export interface StripeFakeOptions {
  store: SandboxStore;
  /** The secret key callers must present. */
  apiKey: string;
  /** Hosted checkout page URL of a session: `${checkoutUrlBase}/${id}`. */
  checkoutUrlBase: string;
  /** API version stamped on objects and events when a request names none. */
  apiVersion: string;
  /** Called (not awaited by API requests) with the events each change produced. */
  onEvents?: (events: StripeEventObject[]) => void | Promise<void>;
  /** Unix seconds; tests move it forward to let checkouts lapse. */
  now?: () => number;
}

/** An error Stripe would answer with. `saved`: the request had started executing, so its idempotency key keeps the result. */
export class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: { type: string; message: string; code?: string; param?: string },
    readonly saved = true,
  ) {
    super(body.message);
  }
}

const invalidParam = (param: string, message: string, code = 'parameter_invalid') =>
  new FakeStripeError(400, { type: 'invalid_request_error', code, param, message }, false);
const missing = (kind: string, id: string, param = 'id') =>
  new FakeStripeError(
    404,
    { type: 'invalid_request_error', code: 'resource_missing', param, message: `No such ${kind}: '${id}'` },
    false,
  );

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += BASE62[b % 62];
  return `${prefix}${s}`;
}

export interface LineItem {
  name: string;
  description: string | null;
  unitAmount: number;
  quantity: number;
  currency: string;
}

interface Outcome {
  status: number;
  body: unknown;
  events: StripeEventObject[];
}

type Params = Record<string, FormValue>;
type Json = Record<string, unknown>;

export class StripeFakeApi {
  private readonly store: SandboxStore;
  private readonly now: () => number;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: StripeFakeOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  // ------------------------------------------------------------------ HTTP entry point

  async handle(req: FakeRequest): Promise<FakeResponse> {
    const requestId = stripeId('req_', 14);
    const method = req.method.toUpperCase();
    const version = header(req.headers, 'stripe-version') ?? this.options.apiVersion;
    const baseHeaders: Record<string, string> = { 'request-id': requestId, 'stripe-version': version };
    const idempotencyKey = method === 'POST' ? header(req.headers, 'idempotency-key') : undefined;
    if (idempotencyKey) baseHeaders['idempotency-key'] = idempotencyKey;

    if (!this.authorized(req.headers)) {
      return errorResponse(401, baseHeaders, {
        type: 'invalid_request_error',
        message: 'Invalid API Key provided. The sandbox only accepts its own secret key.',
      });
    }
    const route = this.route(method, req.path);
    if (!route) {
      return errorResponse(404, baseHeaders, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${method}: ${req.path}). The local Stripe sandbox implements customers, checkout sessions, refunds and events.`,
      });
    }
    const params = parseStripeForm(method === 'GET' ? req.query : req.body);
    const fingerprint = createHash('sha256')
      .update(`${method} ${req.path} ${canonicalJson(params)}`)
      .digest('hex');
    const ctx = { requestId, idempotencyKey: idempotencyKey ?? null, version };

    let events: StripeEventObject[] = [];
    const response = await this.exclusive(async (): Promise<FakeResponse> => {
      if (idempotencyKey) {
        const saved = await this.store.getIdempotency(idempotencyKey);
        if (saved && saved.fingerprint !== fingerprint) {
          return errorResponse(400, baseHeaders, {
            type: 'idempotency_error',
            message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
          });
        }
        if (saved) {
          return {
            status: saved.status,
            headers: { ...baseHeaders, 'idempotent-replayed': 'true', 'original-request': saved.requestId },
            body: saved.body,
          };
        }
      }
      let outcome: Outcome;
      try {
        outcome = await route(params, ctx);
      } catch (e) {
        if (!(e instanceof FakeStripeError)) throw e;
        if (!e.saved || !idempotencyKey) return errorResponse(e.status, baseHeaders, e.body);
        outcome = { status: e.status, body: { error: e.body }, events: [] };
      }
      if (idempotencyKey) {
        const record: IdempotencyRecord = {
          key: idempotencyKey,
          fingerprint,
          status: outcome.status,
          body: outcome.body,
          requestId,
        };
        await this.store.putIdempotency(record);
      }
      events = outcome.events;
      return { status: outcome.status, headers: baseHeaders, body: outcome.body };
    });
    if (events.length > 0) this.emit(events);
    return response;
  }

  // ------------------------------------------------------------------ what happens on Stripe's side (no endpoint)

  /** The customer pays on the hosted page: `paid` (card) or `unpaid` (an async method still processing). */
  async completeCheckout(
    id: string,
    paymentStatus: 'paid' | 'unpaid' = 'paid',
  ): Promise<{ session: Json; events: StripeEventObject[] }> {
    const result = await this.exclusive(async () => {
      const cs = await this.loadCheckout(id, { requestId: null, idempotencyKey: null, version: this.options.apiVersion });
      if (cs.events.length > 0) return { session: cs.data, events: cs.events, error: 'expired' as const };
      const session = cs.data;
      if (session.status !== 'open') return { session, events: [], error: session.status as string };
      const now = this.now();
      const amount = session.amount_total as number;
      const currency = session.currency as string;
      const customer = (session.customer as string | null) ?? null;
      const piId = stripeId('pi_');
      const chId = stripeId('ch_');
      const customerObject = customer ? await this.store.get(customer) : null;
      await this.save('payment_intent', {
        id: piId,
        object: 'payment_intent',
        amount,
        amount_received: paymentStatus === 'paid' ? amount : 0,
        currency,
        customer,
        created: now,
        latest_charge: chId,
        livemode: false,
        metadata: {},
        payment_method_types: session.payment_method_types,
        status: paymentStatus === 'paid' ? 'succeeded' : 'processing',
      });
      await this.save('charge', {
        id: chId,
        object: 'charge',
        amount,
        amount_captured: paymentStatus === 'paid' ? amount : 0,
        amount_refunded: 0,
        balance_transaction: stripeId('txn_'),
        captured: paymentStatus === 'paid',
        created: now,
        currency,
        customer,
        description: null,
        livemode: false,
        metadata: {},
        paid: paymentStatus === 'paid',
        payment_intent: piId,
        refunded: false,
        status: paymentStatus === 'paid' ? 'succeeded' : 'pending',
      });
      Object.assign(session, {
        status: 'complete',
        payment_status: paymentStatus,
        payment_intent: piId,
        url: null,
        customer_details: {
          address: null,
          email: (customerObject?.data.email as string | null) ?? (session.customer_email as string | null) ?? null,
          name: (customerObject?.data.name as string | null) ?? null,
          phone: null,
          tax_exempt: 'none',
          tax_ids: [],
        },
      });
      await this.save('checkout.session', session);
      const events = [
        await this.event('checkout.session.completed', session, {
          requestId: null,
          idempotencyKey: null,
          version: this.options.apiVersion,
        }),
      ];
      return { session, events, error: null };
    });
    if (result.events.length > 0) this.emit(result.events);
    if (result.error)
      throw new FakeStripeError(
        400,
        { type: 'invalid_request_error', message: `This Checkout Session is ${result.error}` },
        false,
      );
    return { session: publicView(result.session), events: result.events };
  }

  /** The sandbox's view of a checkout (for the hosted page), lapsing it first when past `expires_at`. */
  async checkoutPage(id: string): Promise<{ session: Json; lineItems: LineItem[] } | null> {
    const { found, events } = await this.exclusive(async () => {
      const stored = await this.store.get(id);
      if (!stored || stored.object !== 'checkout.session') return { found: null, events: [] as StripeEventObject[] };
      const cs = await this.loadCheckout(id, { requestId: null, idempotencyKey: null, version: this.options.apiVersion });
      return {
        found: { session: publicView(cs.data), lineItems: (cs.data._sandbox as { lineItems: LineItem[] }).lineItems },
        events: cs.events,
      };
    });
    if (events.length > 0) this.emit(events);
    return found;
  }

  // ------------------------------------------------------------------ routing

  private route(method: string, path: string): ((params: Params, ctx: Ctx) => Promise<Outcome>) | null {
    const p = path.replace(/\/+$/, '');
    const id = (re: RegExp) => re.exec(p)?.[1];
    if (method === 'POST' && p === '/v1/customers') return (params, ctx) => this.createCustomer(params, ctx);
    if (method === 'GET' && id(/^\/v1\/customers\/([^/]+)$/))
      return () => this.retrieve('customer', id(/^\/v1\/customers\/([^/]+)$/)!);
    if (method === 'POST' && p === '/v1/checkout/sessions') return (params, ctx) => this.createCheckout(params, ctx);
    if (method === 'GET' && p === '/v1/checkout/sessions') return (params, ctx) => this.listCheckouts(params, ctx);
    const csExpire = id(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/);
    if (method === 'POST' && csExpire) return (_params, ctx) => this.expireCheckout(csExpire, ctx);
    const cs = id(/^\/v1\/checkout\/sessions\/([^/]+)$/);
    if (method === 'GET' && cs)
      return async (_params, ctx) => {
        const loaded = await this.loadCheckout(cs, ctx);
        return { status: 200, body: publicView(loaded.data), events: loaded.events };
      };
    if (method === 'POST' && p === '/v1/refunds') return (params, ctx) => this.createRefund(params, ctx);
    if (method === 'GET' && p === '/v1/refunds') return (params) => this.listRefunds(params);
    const refund = id(/^\/v1\/refunds\/([^/]+)$/);
    if (method === 'GET' && refund) return () => this.retrieve('refund', refund);
    const event = id(/^\/v1\/events\/([^/]+)$/);
    if (method === 'GET' && event) return () => this.retrieve('event', event);
    return null;
  }

  // ------------------------------------------------------------------ customers

  private async createCustomer(params: Params, _ctx: Ctx): Promise<Outcome> {
    const metadata = readMetadata(params);
    const customer = {
      id: stripeId('cus_', 14),
      object: 'customer',
      address: null,
      balance: 0,
      created: this.now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: optionalString(params, 'description'),
      email: optionalString(params, 'email'),
      invoice_prefix: randomBytes(4).toString('hex').toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata,
      name: optionalString(params, 'name'),
      phone: optionalString(params, 'phone'),
      preferred_locales: [],
      shipping: null,
      tax_exempt: 'none',
      test_clock: null,
    };
    await this.save('customer', customer);
    return { status: 200, body: customer, events: [] };
  }

  // ------------------------------------------------------------------ checkout sessions

  private async createCheckout(params: Params, ctx: Ctx): Promise<Outcome> {
    const mode = optionalString(params, 'mode');
    if (mode !== 'payment') throw invalidParam('mode', 'The local sandbox supports mode=payment only.');
    const rawItems = params.line_items;
    if (!Array.isArray(rawItems) || rawItems.length === 0)
      throw invalidParam('line_items', 'line_items is required in payment mode.', 'parameter_missing');
    const lineItems = rawItems.map((raw, i) => readLineItem(raw, i));
    const currency = lineItems[0]!.currency;
    if (lineItems.some((l) => l.currency !== currency))
      throw invalidParam('line_items', 'All line items must use the same currency.');
    const amount = lineItems.reduce((s, l) => s + l.unitAmount * l.quantity, 0);
    const now = this.now();
    const expiresAt = params.expires_at === undefined ? now + 24 * 3600 : readInteger(params, 'expires_at');
    if (expiresAt < now + 30 * 60 || expiresAt > now + 24 * 3600) {
      throw invalidParam(
        'expires_at',
        'The `expires_at` timestamp must be between 30 minutes and 24 hours after the Checkout Session is created.',
      );
    }
    const customer = optionalString(params, 'customer');
    if (customer) {
      const found = await this.store.get(customer);
      if (!found || found.object !== 'customer') throw missing('customer', customer, 'customer');
    }
    const clientReferenceId = optionalString(params, 'client_reference_id');
    if (clientReferenceId && clientReferenceId.length > 200)
      throw invalidParam('client_reference_id', 'client_reference_id must be at most 200 characters.');
    const id = stripeId('cs_test_a1', 48);
    const session: Json = {
      id,
      object: 'checkout.session',
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: amount,
      amount_total: amount,
      automatic_tax: { enabled: false, liability: null, status: null },
      billing_address_collection: null,
      cancel_url: optionalString(params, 'cancel_url'),
      client_reference_id: clientReferenceId,
      client_secret: null,
      consent: null,
      consent_collection: null,
      created: now,
      currency,
      custom_fields: [],
      custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
      customer,
      customer_creation: customer ? null : 'if_required',
      customer_details: null,
      customer_email: optionalString(params, 'customer_email'),
      expires_at: expiresAt,
      invoice: null,
      invoice_creation: null,
      livemode: false,
      locale: optionalString(params, 'locale'),
      metadata: readMetadata(params),
      mode,
      payment_intent: null,
      payment_link: null,
      payment_method_collection: 'if_required',
      payment_method_options: {},
      payment_method_types: readStringArray(params, 'payment_method_types') ?? ['card'],
      payment_status: 'unpaid',
      phone_number_collection: { enabled: false },
      recovered_from: null,
      setup_intent: null,
      shipping_address_collection: null,
      shipping_cost: null,
      shipping_options: [],
      status: 'open',
      submit_type: optionalString(params, 'submit_type'),
      subscription: null,
      success_url: optionalString(params, 'success_url'),
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: 'hosted',
      url: `${this.options.checkoutUrlBase.replace(/\/+$/, '')}/${id}`,
      _sandbox: { lineItems, version: ctx.version },
    };
    await this.save('checkout.session', session);
    return { status: 200, body: publicView(session), events: [] };
  }

  private async listCheckouts(params: Params, ctx: Ctx): Promise<Outcome> {
    const limit = params.limit === undefined ? 10 : readInteger(params, 'limit');
    if (limit < 1 || limit > 100) throw invalidParam('limit', 'limit must be between 1 and 100.');
    const created = readRange(params, 'created');
    const status = optionalString(params, 'status');
    const paymentIntent = optionalString(params, 'payment_intent');
    const customer = optionalString(params, 'customer');
    const stored = await this.store.list('checkout.session', created.gte ?? (created.gt !== undefined ? created.gt + 1 : 0));
    const events: StripeEventObject[] = [];
    const sessions: Json[] = [];
    for (const s of stored) {
      const lapsed = await this.lapseIfDue(s.data, ctx);
      events.push(...lapsed);
      sessions.push(s.data);
    }
    const matching = sessions.filter(
      (s) =>
        inRange(s.created as number, created) &&
        (!status || s.status === status) &&
        (!paymentIntent || s.payment_intent === paymentIntent) &&
        (!customer || s.customer === customer),
    );
    return { status: 200, body: this.page(matching, params, limit, '/v1/checkout/sessions'), events };
  }

  private async expireCheckout(id: string, ctx: Ctx): Promise<Outcome> {
    const loaded = await this.loadCheckout(id, ctx);
    const session = loaded.data;
    // It lapsed at expires_at just now: the outcome the caller asked for.
    if (loaded.events.length > 0) return { status: 200, body: publicView(session), events: loaded.events };
    if (session.status !== 'open') {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
      });
    }
    Object.assign(session, { status: 'expired', url: null });
    await this.save('checkout.session', session);
    return { status: 200, body: publicView(session), events: [await this.event('checkout.session.expired', session, ctx)] };
  }

  /** Loads a checkout session, lapsing it (status expired + event) when past `expires_at` and still open. */
  private async loadCheckout(id: string, ctx: Ctx): Promise<{ data: Json; events: StripeEventObject[] }> {
    const stored = await this.store.get(id);
    if (!stored || stored.object !== 'checkout.session') throw missing('checkout.session', id, 'session');
    const events = await this.lapseIfDue(stored.data, ctx);
    return { data: stored.data, events };
  }

  private async lapseIfDue(session: Json, ctx: Ctx): Promise<StripeEventObject[]> {
    if (session.status !== 'open' || (session.expires_at as number) > this.now()) return [];
    Object.assign(session, { status: 'expired', url: null });
    await this.save('checkout.session', session);
    return [await this.event('checkout.session.expired', session, { ...ctx, requestId: null, idempotencyKey: null })];
  }

  // ------------------------------------------------------------------ refunds

  private async createRefund(params: Params, ctx: Ctx): Promise<Outcome> {
    const paymentIntentId = optionalString(params, 'payment_intent');
    const chargeParam = optionalString(params, 'charge');
    if (!paymentIntentId && !chargeParam)
      throw invalidParam('payment_intent', 'One of `charge` or `payment_intent` is required.', 'parameter_missing');
    let chargeId = chargeParam;
    if (paymentIntentId) {
      const pi = await this.store.get(paymentIntentId);
      if (!pi || pi.object !== 'payment_intent') throw missing('payment_intent', paymentIntentId, 'payment_intent');
      chargeId = pi.data.latest_charge as string;
    }
    const storedCharge = chargeId ? await this.store.get(chargeId) : null;
    if (!storedCharge || storedCharge.object !== 'charge') throw missing('charge', chargeId ?? '', 'charge');
    const charge = storedCharge.data;
    const reason = optionalString(params, 'reason');
    if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason))
      throw invalidParam('reason', 'Invalid reason.');
    const requested = params.amount === undefined ? null : readInteger(params, 'amount');
    if (requested !== null && requested <= 0) throw invalidParam('amount', 'Refund amount must be positive.');
    const metadata = readMetadata(params);
    // From here the request executes: its outcome is kept under the idempotency key.
    if (!charge.paid)
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_not_refundable',
        message: `Charge ${chargeId} has not succeeded yet.`,
      });
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    if (remaining === 0) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge ${chargeId} has already been refunded.`,
      });
    }
    const amount = requested ?? remaining;
    if (amount > remaining) {
      throw new FakeStripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      });
    }
    const refund = {
      id: stripeId('re_'),
      object: 'refund',
      amount,
      balance_transaction: stripeId('txn_'),
      charge: chargeId,
      created: this.now(),
      currency: charge.currency,
      destination_details: {
        card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
        type: 'card',
      },
      metadata,
      payment_intent: charge.payment_intent,
      reason: reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    await this.save('refund', refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    await this.save('charge', charge);
    const events = [await this.event('refund.created', refund, ctx), await this.event('charge.refunded', charge, ctx, previous)];
    return { status: 200, body: refund, events };
  }

  private async listRefunds(params: Params): Promise<Outcome> {
    const limit = params.limit === undefined ? 10 : readInteger(params, 'limit');
    if (limit < 1 || limit > 100) throw invalidParam('limit', 'limit must be between 1 and 100.');
    const paymentIntent = optionalString(params, 'payment_intent');
    const charge = optionalString(params, 'charge');
    const refunds = (await this.store.list('refund'))
      .map((r) => r.data)
      .filter((r) => (!paymentIntent || r.payment_intent === paymentIntent) && (!charge || r.charge === charge));
    return { status: 200, body: this.page(refunds, params, limit, '/v1/refunds'), events: [] };
  }

  private async retrieve(kind: string, id: string): Promise<Outcome> {
    const stored = await this.store.get(id);
    if (!stored || stored.object !== kind) throw missing(kind, id);
    return { status: 200, body: publicView(stored.data), events: [] };
  }

  // ------------------------------------------------------------------ helpers

  private page(items: Json[], params: Params, limit: number, url: string): Json {
    let list = items;
    const after = optionalString(params, 'starting_after');
    const before = optionalString(params, 'ending_before');
    if (after) {
      const i = list.findIndex((x) => x.id === after);
      if (i === -1) throw missing('object', after, 'starting_after');
      list = list.slice(i + 1);
    } else if (before) {
      const i = list.findIndex((x) => x.id === before);
      if (i === -1) throw missing('object', before, 'ending_before');
      list = list.slice(Math.max(0, i - limit), i);
    }
    return { object: 'list', data: list.slice(0, limit).map(publicView), has_more: list.length > limit, url };
  }

  private async save(object: string, data: Json): Promise<void> {
    const stored: StoredObject = { id: data.id as string, object, created: data.created as number, data };
    await this.store.put(stored);
  }

  private async event(type: string, object: Json, ctx: Ctx, previousAttributes?: Json): Promise<StripeEventObject> {
    const event: StripeEventObject = {
      id: stripeId('evt_'),
      object: 'event',
      api_version: ctx.version,
      created: this.now(),
      data: { object: publicView(object), ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: ctx.requestId, idempotency_key: ctx.idempotencyKey },
      type,
    };
    await this.save('event', event as unknown as Json);
    return event;
  }

  private emit(events: StripeEventObject[]): void {
    if (!this.options.onEvents) return;
    // Like Stripe, events are delivered after the request that caused them, not within it.
    void Promise.resolve()
      .then(() => this.options.onEvents!(events))
      .catch(() => undefined);
  }

  private authorized(headers: FakeRequest['headers']): boolean {
    const auth = header(headers, 'authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const basic = /^Basic\s+(\S+)$/i.exec(auth)?.[1];
    const key = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined);
    return key !== undefined && safeEqual(key, this.options.apiKey);
  }

  /** Runs `fn` after every earlier call finished: the sandbox changes one thing at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

type Ctx = { requestId: string | null; idempotencyKey: string | null; version: string };

function errorResponse(status: number, headers: Record<string, string>, error: FakeStripeError['body']): FakeResponse {
  return {
    status,
    headers: { ...headers, 'stripe-should-retry': status >= 500 ? 'true' : 'false' },
    body: {
      error: {
        ...error,
        doc_url: error.code ? `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}` : undefined,
      },
    },
  };
}

/** The object as Stripe shows it: without the sandbox's private notes. */
function publicView(data: Json): Json {
  const { _sandbox: _ignored, ...rest } = data;
  return rest;
}

function header(headers: FakeRequest['headers'], name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function optionalString(params: Params, key: string): string | null {
  const v = params[key];
  if (v === undefined || v === '') return null;
  if (typeof v !== 'string') throw invalidParam(key, `Invalid ${key}: must be a string.`);
  return v;
}

function readInteger(params: Params, key: string): number {
  const v = params[key];
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw invalidParam(key, `Invalid integer: ${key}`);
  return Number(v);
}

function readStringArray(params: Params, key: string): string[] | null {
  const v = params[key];
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidParam(key, `Invalid array: ${key}`);
  return v as string[];
}

function readMetadata(params: Params): Record<string, string> {
  const v = params.metadata;
  if (v === undefined || v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidParam('metadata', 'Invalid metadata: must be a hash.');
  const entries = Object.entries(v);
  if (entries.length > 50) throw invalidParam('metadata', 'Metadata can have at most 50 keys.');
  for (const [k, value] of entries) {
    if (typeof value !== 'string') throw invalidParam(`metadata[${k}]`, 'Metadata values must be strings.');
    if (k.length > 40) throw invalidParam(`metadata[${k}]`, 'Metadata keys can be at most 40 characters.');
    if (value.length > 500) throw invalidParam(`metadata[${k}]`, 'Metadata values can be at most 500 characters.');
  }
  return Object.fromEntries(entries.filter(([, value]) => value !== '')) as Record<string, string>;
}

function readLineItem(raw: FormValue, i: number): LineItem {
  const param = `line_items[${i}]`;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParam(param, 'Invalid line item.');
  const priceData = raw.price_data;
  if (typeof priceData !== 'object' || Array.isArray(priceData)) {
    throw invalidParam(
      `${param}[price_data]`,
      'The local sandbox supports line items with price_data only.',
      'parameter_missing',
    );
  }
  const product = priceData.product_data;
  if (typeof product !== 'object' || Array.isArray(product) || typeof product.name !== 'string' || product.name === '') {
    throw invalidParam(`${param}[price_data][product_data][name]`, 'A product name is required.', 'parameter_missing');
  }
  const currency = priceData.currency;
  if (typeof currency !== 'string' || !/^[a-z]{3}$/.test(currency))
    throw invalidParam(`${param}[price_data][currency]`, 'Invalid currency: use a lowercase ISO code.');
  const unit = priceData.unit_amount;
  if (typeof unit !== 'string' || !/^\d+$/.test(unit) || Number(unit) < 1)
    throw invalidParam(`${param}[price_data][unit_amount]`, 'Invalid unit_amount.');
  const quantity = raw.quantity === undefined ? '1' : raw.quantity;
  if (typeof quantity !== 'string' || !/^\d+$/.test(quantity) || Number(quantity) < 1)
    throw invalidParam(`${param}[quantity]`, 'Invalid quantity.');
  return {
    name: product.name,
    description: typeof product.description === 'string' && product.description !== '' ? product.description : null,
    unitAmount: Number(unit),
    quantity: Number(quantity),
    currency,
  };
}

type Range = { gt?: number; gte?: number; lt?: number; lte?: number };

function readRange(params: Params, key: string): Range {
  const v = params[key];
  if (v === undefined || v === '') return {};
  if (typeof v === 'string') {
    if (!/^\d+$/.test(v)) throw invalidParam(key, `Invalid ${key}`);
    return { gte: Number(v), lte: Number(v) };
  }
  if (Array.isArray(v)) throw invalidParam(key, `Invalid ${key}`);
  const range: Range = {};
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const x = v[op];
    if (x === undefined) continue;
    if (typeof x !== 'string' || !/^\d+$/.test(x)) throw invalidParam(`${key}[${op}]`, `Invalid ${key}[${op}]`);
    range[op] = Number(x);
  }
  return range;
}

function inRange(value: number, r: Range): boolean {
  return (
    (r.gt === undefined || value > r.gt) &&
    (r.gte === undefined || value >= r.gte) &&
    (r.lt === undefined || value < r.lt) &&
    (r.lte === undefined || value <= r.lte)
  );
}

function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
