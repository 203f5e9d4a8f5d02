import { MemorySandboxStore } from './sandbox-store';
import { StripeFakeApi, type FakeRequest, type StripeEventObject } from './stripe-fake-api';

const KEY = 'sk_test_unit';

function setup() {
  let now = 1_800_000_000;
  const events: StripeEventObject[] = [];
  const api = new StripeFakeApi({
    store: new MemorySandboxStore(),
    apiKey: KEY,
    checkoutUrlBase: 'https://pay.example/checkout',
    apiVersion: '2026-10-28.endive',
    onEvents: (e) => void events.push(...e),
    now: () => now,
  });
  const call = (method: string, path: string, body = '', headers: FakeRequest['headers'] = {}) =>
    api.handle({
      method,
      path,
      query: method === 'GET' ? body : '',
      body: method === 'GET' ? '' : body,
      headers: { authorization: `Bearer ${KEY}`, ...headers },
    });
  const checkoutBody = (extra = '') =>
    `mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur&line_items[0][price_data][unit_amount]=9000` +
    `&line_items[0][price_data][product_data][name]=Consultation&metadata[sessionId]=s1&expires_at=${now + 3600}${extra}`;
  return {
    api,
    call,
    events,
    checkoutBody,
    advance: (s: number) => (now += s),
    flush: () => new Promise((r) => setImmediate(r)),
  };
}

describe('StripeFakeApi (the sandbox and test fake of Stripe’s API)', () => {
  it('answers only to its secret key, with Stripe’s error JSON', async () => {
    const { api } = setup();
    const res = await api.handle({
      method: 'POST',
      path: '/v1/customers',
      query: '',
      body: '',
      headers: { authorization: 'Bearer sk_test_other' },
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('replays an idempotent request and refuses the key with other parameters', async () => {
    const { call } = setup();
    const first = await call('POST', '/v1/customers', 'email=a%40example.com&metadata[userId]=u1', { 'idempotency-key': 'k1' });
    const replay = await call('POST', '/v1/customers', 'metadata[userId]=u1&email=a%40example.com', { 'idempotency-key': 'k1' });
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await call('POST', '/v1/customers', 'email=b%40example.com', { 'idempotency-key': 'k1' });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ error: { type: 'idempotency_error' } });
    const fresh = await call('POST', '/v1/customers', 'email=a%40example.com', { 'idempotency-key': 'k2' });
    expect((fresh.body as { id: string }).id).not.toBe((first.body as { id: string }).id);
  });

  it('validates checkout parameters like Stripe (not saved under the key, so a fixed retry works)', async () => {
    const { call, checkoutBody } = setup();
    const bad = await call('POST', '/v1/checkout/sessions', checkoutBody().replace(/expires_at=\d+/, 'expires_at=1'), {
      'idempotency-key': 'k',
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { param: 'expires_at' } });
    const good = await call('POST', '/v1/checkout/sessions', checkoutBody(), { 'idempotency-key': 'k2' });
    expect(good.body).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 9000,
      currency: 'eur',
      metadata: { sessionId: 's1' },
    });
    expect((good.body as { url: string }).url).toMatch(/^https:\/\/pay\.example\/checkout\/cs_test_/);
  });

  it('pages checkout sessions newest first with created filters and cursors', async () => {
    const { call, checkoutBody, advance } = setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(((await call('POST', '/v1/checkout/sessions', checkoutBody())).body as { id: string }).id);
      advance(10);
    }
    const page1 = (await call('GET', '/v1/checkout/sessions', 'limit=2')).body as { data: { id: string }[]; has_more: boolean };
    expect(page1.data.map((s) => s.id)).toEqual([ids[4], ids[3]]);
    expect(page1.has_more).toBe(true);
    const page2 = (await call('GET', '/v1/checkout/sessions', `limit=2&starting_after=${ids[3]}`)).body as {
      data: { id: string }[];
    };
    expect(page2.data.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const recent = (await call('GET', '/v1/checkout/sessions', `created[gte]=${1_800_000_000 + 25}`)).body as {
      data: { id: string }[];
    };
    expect(recent.data.map((s) => s.id)).toEqual([ids[4], ids[3]]);
  });

  it('completes, lapses and expires checkouts with the events Stripe sends', async () => {
    const { api, call, checkoutBody, events, advance, flush } = setup();
    const a = (await call('POST', '/v1/checkout/sessions', checkoutBody())).body as { id: string };
    const b = (await call('POST', '/v1/checkout/sessions', checkoutBody())).body as { id: string };
    const paid = await api.completeCheckout(a.id);
    expect(paid.session).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
      payment_intent: expect.stringMatching(/^pi_/),
      url: null,
    });
    expect(paid.events.map((e) => e.type)).toEqual(['checkout.session.completed']);
    const refuse = await call('POST', `/v1/checkout/sessions/${a.id}/expire`);
    expect(refuse.status).toBe(400);
    advance(3601); // b passes its expires_at
    const lapsed = await call('GET', `/v1/checkout/sessions/${b.id}`);
    expect(lapsed.body).toMatchObject({ status: 'expired' });
    await flush();
    expect(events.map((e) => e.type)).toContain('checkout.session.expired');
  });

  it('refunds at most what is left of a charge and emits refund.created and charge.refunded', async () => {
    const { api, call, checkoutBody, events, flush } = setup();
    const cs = (await call('POST', '/v1/checkout/sessions', checkoutBody())).body as { id: string };
    const { session } = await api.completeCheckout(cs.id);
    const pi = session.payment_intent as string;
    const r1 = await call('POST', '/v1/refunds', `payment_intent=${pi}&amount=4000&metadata[refundId]=r1`);
    expect(r1.body).toMatchObject({
      object: 'refund',
      amount: 4000,
      status: 'succeeded',
      payment_intent: pi,
      metadata: { refundId: 'r1' },
    });
    const tooMuch = await call('POST', '/v1/refunds', `payment_intent=${pi}&amount=5001`);
    expect(tooMuch.status).toBe(400);
    const rest = await call('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(rest.body).toMatchObject({ amount: 5000 });
    const none = await call('POST', '/v1/refunds', `payment_intent=${pi}`);
    expect(none.body).toMatchObject({ error: { code: 'charge_already_refunded' } });
    await flush();
    const charge = events.filter((e) => e.type === 'charge.refunded').at(-1)!.data.object;
    expect(charge).toMatchObject({ amount: 9000, amount_refunded: 9000, refunded: true });
    const listed = (await call('GET', '/v1/refunds', `payment_intent=${pi}`)).body as { data: unknown[] };
    expect(listed.data).toHaveLength(2);
  });
});
