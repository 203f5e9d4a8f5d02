import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { rawClient } from '../audit/audit-test-support';
import { outbox } from '../factories/emails';
import { createPaidSession, createSellableOffering, type SellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { owedFromRaw, rawEntries, referralCodeOf, register, type Account } from './finance-support';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Issue 14, done-when 2: manual payouts. One payout per Idempotency-Key however many identical
 * requests race; never more than owed, whatever keys race for it; balances after payouts equal
 * the ledger; and every refusal is a 4xx with a stable code that writes nothing.
 */
describe('manual payouts', () => {
  let t: TestApp;
  let sql: DataSource;
  let admin: { id: string; token: string };
  let partner: Account;
  let client: Account;
  let offering: SellableOffering;

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      PLATFORM_FEE_BPS: '1500',
      PARTNER_COMMISSION_BPS: '2000',
    });
    sql = t.app.get(DataSource);
    const adminUser = await createUser(t, { role: 'ADMIN', displayName: 'Finance Admin' });
    admin = { id: adminUser.id, token: (await login(t, adminUser)).accessToken };
    partner = await register(t, 'PARTNER', { timeZone: 'Asia/Tokyo', displayName: '=HYPERLINK("http://evil.example")' });
    client = await register(t, 'CLIENT', { referralCode: await referralCodeOf(t, partner) });
    offering = await createSellableOffering(t, { priceMinor: 100_000, currency: 'EUR' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A paid session of the referred client: 1000.00 EUR → fee 150.00 → the partner's commission 30.00, the lawyer's 850.00. */
  const pay = () =>
    createPaidSession(t, {
      clientId: client.id,
      lawyerId: offering.lawyer.id,
      offering: {
        id: offering.offeringId,
        title: offering.title,
        durationMinutes: offering.durationMinutes,
        priceMinor: offering.priceMinor,
        currency: offering.currency,
      },
    });

  const body = (over: Record<string, unknown> = {}) => ({
    payeeId: partner.id,
    currency: 'EUR',
    amountMinor: 1000,
    method: 'BANK_TRANSFER',
    reference: 'SEPA ref 1',
    paidAt: new Date(t.clock.nowMs() - 60_000).toISOString(),
    ...over,
  });
  const post = (key: string | null, payload: object, token = admin.token) => {
    const req = request(t.server).post('/api/admin/payouts').set(bearer(token));
    return (key === null ? req : req.set('idempotency-key', key)).send(payload);
  };
  const owedNow = async (
    payeeId: string,
    currency = 'EUR',
    account: 'partner_commission_payable' | 'lawyer_payable' = 'partner_commission_payable',
  ) => owedFromRaw(await rawEntries(t, payeeId, account)).get(currency) ?? 0;
  const counts = async () => {
    const [row] = await sql.query(
      `SELECT (SELECT count(*)::int FROM payouts) AS payouts, (SELECT count(*)::int FROM payout_reversals) AS reversals,
              (SELECT count(*)::int FROM ledger_transactions WHERE kind IN ('PAYOUT', 'PAYOUT_REVERSAL')) AS postings,
              (SELECT count(*)::int FROM audit_events WHERE action LIKE 'payout.%') AS audits,
              (SELECT count(*)::int FROM email_outbox WHERE template LIKE 'payout.%') AS emails`,
    );
    return row as Record<string, number>;
  };

  it('10 concurrent identical requests with one Idempotency-Key: one payout, one ledger transaction, one email', async () => {
    await pay();
    const before = await owedNow(partner.id);
    expect(before).toBeGreaterThanOrEqual(3000);
    const key = `payout-${randomUUID()}`;
    const payload = body({ amountMinor: 1200 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(key, payload)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    for (const r of responses) expect(r.headers['idempotent-replayed']).toBe(r.status === 200 ? 'true' : undefined);
    const created = responses.find((r) => r.status === 201)!.body;
    expect(created).toMatchObject({
      payeeId: partner.id,
      role: 'PARTNER',
      currency: 'EUR',
      amountMinor: 1200,
      method: 'BANK_TRANSFER',
      reference: 'SEPA ref 1',
      paidAt: payload.paidAt,
      recordedBy: admin.id,
      recordedByName: 'Finance Admin',
      reversal: null,
    });
    const [rows] = await sql.query(
      `SELECT (SELECT count(*)::int FROM payouts WHERE idempotency_key = $1) AS payouts,
              (SELECT count(*)::int FROM ledger_transactions WHERE kind = 'PAYOUT' AND payout_id = $2::uuid) AS postings,
              (SELECT count(*)::int FROM audit_events WHERE action = 'payout.recorded' AND subject_id = $3::text) AS audits`,
      [key, created.id, created.id],
    );
    expect(rows).toEqual({ payouts: 1, postings: 1, audits: 1 });
    expect(await owedNow(partner.id)).toBe(before - 1200);
    const mails = await outbox(t, partner.email, 'payout.recorded');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Payout of €12.00 sent');
    expect(mails[0]!.bodyText).toContain('Reference: SEPA ref 1');
  });

  it('different keys racing for more than owed: the excess is refused with 409 PAYOUT_EXCEEDS_OWED; balances equal the ledger', async () => {
    await pay();
    const owed = await owedNow(partner.id);
    const amount = Math.floor(owed / 3) + 1; // two fit, a third never does
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(`race-${randomUUID()}-${i}`, body({ amountMinor: amount }))),
    );
    const ok = responses.filter((r) => r.status === 201);
    const refused = responses.filter((r) => r.status !== 201);
    expect(ok).toHaveLength(2);
    for (const r of refused)
      expect({ status: r.status, code: r.body.code, owed: r.body.details?.owedMinor }).toEqual({
        status: 409,
        code: 'PAYOUT_EXCEEDS_OWED',
        owed: owed - 2 * amount,
      });
    expect(await owedNow(partner.id)).toBe(owed - 2 * amount);

    // Balances after payouts: the pending list, the ledger view and the admin's ledger balances all equal the raw entries.
    const raw = await owedNow(partner.id);
    const pending = (
      await request(t.server)
        .get('/api/admin/payouts/pending')
        .query({ minimumMinor: 0, role: 'PARTNER' })
        .set(bearer(admin.token))
        .expect(200)
    ).body;
    expect(pending.items.find((i: { payeeId: string }) => i.payeeId === partner.id)?.owedMinor ?? 0).toBe(raw);
    const balances = (await request(t.server).get('/api/admin/ledger/balances').set(bearer(admin.token)).expect(200)).body.items;
    expect(
      balances.find(
        (b: { partyId: string; account: string }) => b.partyId === partner.id && b.account === 'partner_commission_payable',
      ).balanceMinor,
    ).toBe(-raw);
    const [{ viewOwed }] = await sql.query(
      `SELECT owed_minor::float8 AS "viewOwed" FROM payee_balances WHERE payee_id = $1 AND account = 'partner_commission_payable' AND currency = 'EUR'`,
      [partner.id],
    );
    expect(viewOwed).toBe(raw);
    // What was paid out is in payout_clearing, one posting per payout.
    const [{ paid }] = await sql.query(
      `SELECT coalesce(sum(p.amount_minor), 0)::float8 AS paid FROM payouts p WHERE p.payee_id = $1 AND NOT EXISTS (SELECT 1 FROM payout_reversals r WHERE r.payout_id = p.id)`,
      [partner.id],
    );
    const payoutEntries: { amountMinor: number }[] = (await rawEntries(t, partner.id, 'partner_commission_payable')).filter(
      (e) => e.kind === 'PAYOUT' || e.kind === 'PAYOUT_REVERSAL',
    );
    expect(payoutEntries.reduce((s, e) => s + e.amountMinor, 0)).toBe(paid);
  });

  it('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED and records nothing', async () => {
    const key = `reuse-${randomUUID()}`;
    await post(key, body({ amountMinor: 10 })).expect(201);
    const before = await counts();
    for (const other of [
      body({ amountMinor: 11 }),
      body({ amountMinor: 10, reference: 'another' }),
      body({ amountMinor: 10, method: 'WISE' }),
    ]) {
      const res = await post(key, other).expect(422);
      expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
    // The same body (with its values spelled otherwise: surrounding spaces, another offset) is a replay.
    const first = (await sql.query(`SELECT paid_at AS "paidAt" FROM payouts WHERE idempotency_key = $1`, [key]))[0]
      .paidAt as Date;
    const replay = await post(
      key,
      body({ amountMinor: 10, reference: '  SEPA ref 1 ', paidAt: first.toISOString().replace('Z', '+00:00') }),
    ).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await counts()).toEqual(before);
  });

  it('a currency the payee is not owed in is 409 PAYOUT_CURRENCY_MISMATCH; unknown payees and non-payees 404', async () => {
    const before = await counts();
    const mismatch = await post(randomUUID(), body({ currency: 'USD' })).expect(409);
    expect(mismatch.body.code).toBe('PAYOUT_CURRENCY_MISMATCH');
    for (const payeeId of [randomUUID(), client.id, admin.id]) {
      const res = await post(randomUUID(), body({ payeeId })).expect(404);
      expect(res.body.code).toBe('PAYEE_NOT_FOUND');
    }
    // A partner with nothing at all is owed in no currency.
    const idle = await register(t, 'PARTNER');
    expect((await post(randomUUID(), body({ payeeId: idle.id })).expect(409)).body.code).toBe('PAYOUT_CURRENCY_MISMATCH');
    expect(await counts()).toEqual(before);
  });

  it('bad input is a 400 that records nothing: amounts 0, negative, fractional or unsafe, paidAt in the future, keys', async () => {
    const before = await counts();
    const cases: [string | null, object, string][] = [
      [randomUUID(), body({ amountMinor: 0 }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ amountMinor: -500 }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ amountMinor: 10.5 }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ amountMinor: '100' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ amountMinor: 2 ** 53 }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ amountMinor: 1e300 }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ currency: 'eur' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ method: 'CASH' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ reference: '   ' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ reference: 'x'.repeat(141) }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ paidAt: '2026-01-01' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ payeeId: 'not-a-uuid' }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ extra: true }), 'VALIDATION_FAILED'],
      [randomUUID(), body({ paidAt: new Date(t.clock.nowMs() + DAY).toISOString() }), 'PAYOUT_PAID_AT_IN_FUTURE'],
      [null, body(), 'IDEMPOTENCY_KEY_REQUIRED'],
      ['', body(), 'IDEMPOTENCY_KEY_REQUIRED'],
      ['has space', body(), 'IDEMPOTENCY_KEY_REQUIRED'],
      ['k'.repeat(256), body(), 'IDEMPOTENCY_KEY_REQUIRED'],
      ['clé-ümlaut', body(), 'IDEMPOTENCY_KEY_REQUIRED'],
    ];
    for (const [key, payload, code] of cases) {
      const res = await post(key, payload);
      expect({ payload, status: res.status, code: res.body.code }).toEqual({ payload, status: 400, code });
    }
    expect((await post('k'.repeat(255), body({ amountMinor: 1 }))).status).toBe(201);
    expect((await counts()).payouts).toBe(before.payouts + 1);
  });

  it('a reversal restores what is owed, tells the payee, and happens once', async () => {
    const owed = await owedNow(partner.id);
    const created = (await post(randomUUID(), body({ amountMinor: 700, reference: 'wrong IBAN' })).expect(201)).body;
    expect(await owedNow(partner.id)).toBe(owed - 700);
    const reversed = await request(t.server)
      .post(`/api/admin/payouts/${created.id}/reversal`)
      .set(bearer(admin.token))
      .send({ reason: 'Returned by the bank: wrong IBAN' })
      .expect(200);
    expect(reversed.body).toMatchObject({
      id: created.id,
      reversal: { reason: 'Returned by the bank: wrong IBAN', reversedAt: expect.any(String) },
    });
    expect(await owedNow(partner.id)).toBe(owed);
    const [{ n }] = await sql.query(
      `SELECT count(*)::int AS n FROM ledger_transactions r JOIN ledger_transactions p ON p.id = r.reverses_id
        WHERE r.kind = 'PAYOUT_REVERSAL' AND r.payout_id = $1 AND p.kind = 'PAYOUT' AND p.payout_id = $1`,
      [created.id],
    );
    expect(n).toBe(1);
    const again = await request(t.server)
      .post(`/api/admin/payouts/${created.id}/reversal`)
      .set(bearer(admin.token))
      .send({ reason: 'again' })
      .expect(409);
    expect(again.body.code).toBe('PAYOUT_ALREADY_REVERSED');
    const none = await request(t.server)
      .post(`/api/admin/payouts/${randomUUID()}/reversal`)
      .set(bearer(admin.token))
      .send({ reason: 'x' })
      .expect(404);
    expect(none.body.code).toBe('PAYOUT_NOT_FOUND');
    await request(t.server)
      .post(`/api/admin/payouts/${created.id}/reversal`)
      .set(bearer(admin.token))
      .send({ reason: ' ' })
      .expect(400);
    const mails = await outbox(t, partner.email, 'payout.reversed');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.bodyText).toContain('Returned by the bank: wrong IBAN');

    // The payee sees their payouts (with the correction), not who recorded them; nobody else's.
    const mine = (await request(t.server).get('/api/payouts').query({ pageSize: 100 }).set(bearer(partner.token)).expect(200))
      .body;
    expect(
      mine.items.every((p: { payeeId: string; recordedBy: string | null }) => p.payeeId === partner.id && p.recordedBy === null),
    ).toBe(true);
    expect(mine.items.find((p: { id: string }) => p.id === created.id).reversal.reason).toBe('Returned by the bank: wrong IBAN');
    const otherPartner = await register(t, 'PARTNER');
    expect((await request(t.server).get('/api/payouts').set(bearer(otherPartner.token)).expect(200)).body.total).toBe(0);
    const history = (
      await request(t.server)
        .get('/api/admin/payouts')
        .query({ payeeId: partner.id, pageSize: 100 })
        .set(bearer(admin.token))
        .expect(200)
    ).body;
    expect(history.total).toBe(mine.total);
  });

  it('payouts are append-only in the database', async () => {
    const db = await rawClient(t);
    try {
      for (const statement of [
        'UPDATE payouts SET reference = reference',
        'DELETE FROM payouts',
        'TRUNCATE payouts CASCADE',
        'UPDATE payout_reversals SET reason = reason',
        'DELETE FROM payout_reversals',
      ]) {
        await expect(db.query(statement)).rejects.toThrow(/append-only/);
      }
    } finally {
      await db.end();
    }
  });

  it('lawyers are paid the same way; the pending list has a threshold, filters, pages and a CSV for the bank run', async () => {
    const lawyer = offering.lawyer;
    const lawyerOwed = await owedNow(lawyer.id, 'EUR', 'lawyer_payable');
    expect(lawyerOwed).toBeGreaterThan(0);
    await post(randomUUID(), body({ payeeId: lawyer.id, amountMinor: lawyerOwed - 500 })).expect(201);
    expect(await owedNow(lawyer.id, 'EUR', 'lawyer_payable')).toBe(500);

    const list = async (query: Record<string, string | number>) =>
      (await request(t.server).get('/api/admin/payouts/pending').query(query).set(bearer(admin.token)).expect(200)).body;
    // Default threshold 10.00: the lawyer's 5.00 waits for the next run.
    const defaults = await list({});
    expect(defaults.minimumMinor).toBe(1000);
    expect(defaults.items.some((i: { payeeId: string }) => i.payeeId === lawyer.id)).toBe(false);
    const all = await list({ minimumMinor: 1, pageSize: 100 });
    expect(all.items.find((i: { payeeId: string }) => i.payeeId === lawyer.id)).toEqual({
      payeeId: lawyer.id,
      payeeName: lawyer.displayName,
      payeeEmail: lawyer.email,
      role: 'LAWYER',
      currency: 'EUR',
      owedMinor: 500,
      lastActivityDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const owed = all.items.map((i: { owedMinor: number }) => i.owedMinor);
    expect(owed).toEqual([...owed].sort((a, b) => b - a));
    expect(all.items.every((i: { owedMinor: number }) => i.owedMinor > 0)).toBe(true);
    expect((await list({ minimumMinor: 0, role: 'LAWYER' })).items.every((i: { role: string }) => i.role === 'LAWYER')).toBe(
      true,
    );
    expect((await list({ minimumMinor: 0, currency: 'USD' })).total).toBe(0);
    const page2 = await list({ minimumMinor: 0, page: 2, pageSize: 1 });
    expect(page2).toMatchObject({ total: all.total, page: 2, pageSize: 1 });
    expect(page2.items).toEqual([all.items[1]]);
    expect((await list({ minimumMinor: 0, page: 50 })).items).toEqual([]);
    for (const bad of [
      { minimumMinor: -1 },
      { minimumMinor: 1.5 },
      { role: 'CLIENT' },
      { currency: 'euro' },
      { pageSize: 101 },
    ]) {
      expect(
        (await request(t.server).get('/api/admin/payouts/pending').query(bad).set(bearer(admin.token)).expect(400)).body.code,
      ).toBe('VALIDATION_FAILED');
    }

    const csv = await request(t.server)
      .get('/api/admin/payouts/pending/export')
      .query({ minimumMinor: 1 })
      .set(bearer(admin.token))
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="pending-payouts-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows: string[][] = parse(csv.text);
    expect(rows[0]).toEqual([
      'payee_id',
      'payee_name',
      'payee_email',
      'role',
      'currency',
      'owed',
      'owed_minor',
      'last_activity_day',
    ]);
    expect(rows.slice(1).map((r) => [r[0], Number(r[6])])).toEqual(
      all.items.map((i: { payeeId: string; owedMinor: number }) => [i.payeeId, i.owedMinor]),
    );
    const partnerRow = rows.find((r) => r[0] === partner.id)!;
    expect(partnerRow[1]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(partnerRow[5]).toBe((Number(partnerRow[6]) / 100).toFixed(2));

    for (const token of [partner.token, client.token]) {
      await request(t.server).get('/api/admin/payouts/pending').set(bearer(token)).expect(403);
      await post(randomUUID(), body(), token).expect(403);
    }
    await request(t.server).get('/api/admin/payouts/pending/export').expect(401);
  });
});
