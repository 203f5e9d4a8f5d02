import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../setup/test-app';
import { createBookableLawyer, createSession, signedIn, type Caller } from '../factories/sessions';

/** Admin payments (issue 11 #12): filters, per-currency totals of the filtered set, CSV export. */
describe('admin payments: filters, totals, CSV', () => {
  let t: TestApp;
  let admin: Caller;
  const tag = randomBytes(3).toString('hex');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000', JOBS_ENABLED: 'false' });
    admin = await signedIn(t, { role: 'ADMIN' });
    // A client and a lawyer whose names hold a comma and a quote; a title that looks like a formula.
    const client = await signedIn(t, { displayName: `López, "Ana" ${tag}` });
    const eurLawyer = await createBookableLawyer(t, { displayName: `Eur Lawyer ${tag}`, offering: { title: `=HYPERLINK("x"), advice ${tag}`, priceMinor: 9000, currency: 'EUR' } });
    const usdLawyer = await createBookableLawyer(t, { displayName: `Usd Lawyer ${tag}`, offering: { title: `Contracts ${tag}`, priceMinor: 12050, currency: 'USD' } });
    const sql = t.app.get(DataSource);
    for (const [key, lawyer, refunded] of [
      ['eurPaid', eurLawyer, 0],
      ['eurPartial', eurLawyer, 4000],
      ['eurRefunded', eurLawyer, 9000],
      ['usdPaid', usdLawyer, 0],
    ] as const) {
      const session = await createSession(t, { clientId: client.id, lawyer });
      const [payment] = await sql.query('SELECT id FROM payments WHERE session_id = $1', [session.id]);
      ids[key] = payment.id;
      // Refund bookkeeping is the refunds flow's business; here only the stored totals matter.
      if (refunded > 0) await sql.query('UPDATE payments SET refunded_minor = $2 WHERE id = $1', [payment.id, refunded]);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: Record<string, string | number>) =>
    (await request(t.server).get('/api/admin/payments').query(query).set('authorization', `Bearer ${admin.token}`).expect(200)).body;

  it('totals the whole filtered set per currency, never across currencies; filters by status, currency, party and dates', async () => {
    const all = await list({ q: tag, pageSize: 2 });
    expect(all.total).toBe(4);
    expect(all.items).toHaveLength(2); // totals cover every page, not just this one
    expect(all.totals).toEqual([
      { currency: 'EUR', count: 3, grossMinor: 27000, refundedMinor: 13000, netMinor: 14000 },
      { currency: 'USD', count: 1, grossMinor: 12050, refundedMinor: 0, netMinor: 12050 },
    ]);

    const idsOf = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();
    expect(idsOf(await list({ q: tag, status: 'PAID' }))).toEqual([ids.eurPaid, ids.usdPaid].sort());
    expect(idsOf(await list({ q: tag, status: 'PARTIALLY_REFUNDED' }))).toEqual([ids.eurPartial]);
    const refunded = await list({ q: tag, status: 'REFUNDED' });
    expect(idsOf(refunded)).toEqual([ids.eurRefunded]);
    expect(refunded.items[0]).toMatchObject({ status: 'REFUNDED', clientName: `López, "Ana" ${tag}`, clientEmail: expect.stringContaining('@') });
    const usd = await list({ q: tag, currency: 'USD' });
    expect(idsOf(usd)).toEqual([ids.usdPaid]);
    expect(usd.totals).toEqual([{ currency: 'USD', count: 1, grossMinor: 12050, refundedMinor: 0, netMinor: 12050 }]);
    // Party search: the lawyer's name, case-insensitive; LIKE wildcards are literal.
    expect(idsOf(await list({ q: `usd lawyer ${tag.toUpperCase()}` }))).toEqual([ids.usdPaid]);
    expect((await list({ q: `%${tag}` })).total).toBe(0);
    // Dates: created in the past minute; nothing from tomorrow on.
    const now = Date.now();
    expect((await list({ q: tag, from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() })).total).toBe(4);
    const later = await list({ q: tag, from: new Date(now + 86_400_000).toISOString() });
    expect(later).toMatchObject({ total: 0, totals: [] });
  });

  it('refuses bad filters with 400 VALIDATION_FAILED naming the field', async () => {
    for (const [query, field] of [
      [{ status: 'SETTLED' }, 'status'],
      [{ currency: 'eur' }, 'currency'],
      [{ from: 'yesterday' }, 'from'],
      [{ q: 'x'.repeat(101) }, 'q'],
    ] as const) {
      for (const path of ['/api/admin/payments', '/api/admin/payments/export.csv']) {
        const res = await request(t.server).get(path).query(query).set('authorization', `Bearer ${admin.token}`).expect(400);
        expect({ path, code: res.body.code, fields: res.body.fields.map((f: { field: string }) => f.field) }).toEqual({ path, code: 'VALIDATION_FAILED', fields: [field] });
      }
    }
  });

  it('exports the filtered set as CSV: commas and quotes survive a real parser, formulas are defused, admins only', async () => {
    const res = await request(t.server).get('/api/admin/payments/export.csv').query({ q: tag, currency: 'EUR' }).set('authorization', `Bearer ${admin.token}`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="payments-\d{4}-\d\d-\d\d\.csv"$/);
    expect(res.text).toContain(`"López, ""Ana"" ${tag}"`); // RFC 4180 quoting, as written
    const rows: Record<string, string>[] = parse(res.text, { columns: true });
    expect(rows.map((r) => r.payment_id).sort()).toEqual([ids.eurPaid, ids.eurPartial, ids.eurRefunded].sort());
    const partial = rows.find((r) => r.payment_id === ids.eurPartial)!;
    expect(partial).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      currency: 'EUR',
      amount: '90.00',
      refunded: '40.00',
      net: '50.00',
      client: `López, "Ana" ${tag}`,
      lawyer: `Eur Lawyer ${tag}`,
      consultation: `'=HYPERLINK("x"), advice ${tag}`,
    });

    for (const token of [undefined, (await signedIn(t)).token]) {
      const req = request(t.server).get('/api/admin/payments/export.csv');
      await (token ? req.set('authorization', `Bearer ${token}`) : req).expect(token ? 403 : 401);
    }
  });
});
