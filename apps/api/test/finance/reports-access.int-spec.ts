import { DateTime } from 'luxon';
import request from 'supertest';
import { createPaidSession, createSellableOffering } from '../factories/payments';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import {
  expectedLawyerEarnings,
  expectedPartnerReport,
  rawEntries,
  rawReferrals,
  referralCodeOf,
  register,
  todayIn,
  type Account,
} from './finance-support';

/**
 * Issue 14, done-when 1 (access and ranges): a partner sees only their own figures, other roles
 * are refused, anonymous callers too, and bad ranges are 400s; defaults and empty periods.
 */
describe('partner reports and lawyer earnings: access and ranges', () => {
  let t: TestApp;
  let partnerA: Account;
  let partnerB: Account;
  let lawyerToken: string;
  let lawyerId: string;
  const tokens: Record<'CLIENT' | 'ADMIN', string> = { CLIENT: '', ADMIN: '' };

  beforeAll(async () => {
    t = await createTestApp({
      THROTTLE_LIMIT: '100000',
      JOBS_ENABLED: 'false',
      PLATFORM_FEE_BPS: '1500',
      PARTNER_COMMISSION_BPS: '2000',
    });
    partnerA = await register(t, 'PARTNER', { timeZone: 'Europe/Warsaw' });
    partnerB = await register(t, 'PARTNER', { timeZone: 'America/Los_Angeles' });
    const clientA = await register(t, 'CLIENT', { referralCode: await referralCodeOf(t, partnerA) });
    const clientB = await register(t, 'CLIENT', { referralCode: await referralCodeOf(t, partnerB) });
    const offering = await createSellableOffering(t, { priceMinor: 10_000, currency: 'EUR' });
    lawyerId = offering.lawyer.id;
    lawyerToken = (await login(t, offering.lawyer)).accessToken;
    const forSale = {
      id: offering.offeringId,
      title: offering.title,
      durationMinutes: offering.durationMinutes,
      priceMinor: offering.priceMinor,
      currency: offering.currency,
    };
    await createPaidSession(t, { clientId: clientA.id, lawyerId, offering: forSale });
    for (let i = 0; i < 2; i++) await createPaidSession(t, { clientId: clientB.id, lawyerId, offering: forSale });
    for (const role of ['CLIENT', 'ADMIN'] as const) tokens[role] = (await login(t, await createUser(t, { role }))).accessToken;
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = (token: string | null, query: Record<string, string> = {}) => {
    const req = request(t.server).get('/api/partner/reports').query(query);
    return token ? req.set(bearer(token)) : req;
  };

  it('a partner sees exactly their own referrals and commissions (equal to the raw ledger), never another partner’s', async () => {
    const today = todayIn(t, partnerA.timeZone);
    const a = (await report(partnerA.token, { from: today, to: today, granularity: 'day' }).expect(200)).body;
    expect(a).toEqual(
      expectedPartnerReport(
        await rawEntries(t, partnerA.id, 'partner_commission_payable'),
        await rawReferrals(t, partnerA.id),
        partnerA.timeZone,
        today,
        today,
        'day',
      ),
    );
    expect(a.referrals.totals).toEqual({ clientsSignedUp: 1, lawyersSignedUp: 0, clientsConverted: 1, lawyersConverted: 0 });
    expect(a.currencies).toHaveLength(1);
    // 100.00 EUR, fee 15 % = 15.00, commission 20 % of the fee = 3.00.
    expect(a.currencies[0].totals).toMatchObject({
      paidSessions: 1,
      grossVolumeMinor: 10_000,
      commissionAccruedMinor: 300,
      pendingMinor: 300,
    });

    const todayB = todayIn(t, partnerB.timeZone);
    const b = (await report(partnerB.token, { from: todayB, to: todayB, granularity: 'day' }).expect(200)).body;
    expect(b.currencies[0].totals).toMatchObject({
      paidSessions: 2,
      grossVolumeMinor: 20_000,
      commissionAccruedMinor: 600,
      pendingMinor: 600,
    });
    expect(b.zone).toBe('America/Los_Angeles');
    // Nothing in the query selects another partner: unknown parameters are refused, not ignored.
    const other = await report(partnerA.token, { partnerId: partnerB.id }).expect(400);
    expect(other.body.code).toBe('VALIDATION_FAILED');
  });

  it('defaults: a year of months up to today in the partner’s zone, empty months as zeros', async () => {
    const body = (await report(partnerA.token).expect(200)).body;
    expect(body.granularity).toBe('month');
    expect(body.to).toBe(todayIn(t, partnerA.timeZone));
    expect(body.from).toBe(DateTime.fromISO(body.to).startOf('month').minus({ months: 11 }).toISODate());
    expect(body.referrals.series).toHaveLength(12);
    expect(body.currencies[0].series).toHaveLength(12);
    const [last, ...earlier] = [...body.currencies[0].series].reverse();
    expect(last).toMatchObject({ paidSessions: 1, commissionAccruedMinor: 300, pendingMinor: 300 });
    for (const p of earlier)
      expect(p).toMatchObject({
        paidSessions: 0,
        grossVolumeMinor: 0,
        commissionAccruedMinor: 0,
        paidOutMinor: 0,
        pendingMinor: 0,
      });
  });

  it('a lawyer sees their own earnings (equal to the raw ledger)', async () => {
    const today = todayIn(t, 'UTC');
    const body = (
      await request(t.server)
        .get('/api/lawyer/earnings')
        .query({ from: today, to: today, granularity: 'week' })
        .set(bearer(lawyerToken))
        .expect(200)
    ).body;
    expect(body).toEqual(expectedLawyerEarnings(await rawEntries(t, lawyerId, 'lawyer_payable'), 'UTC', today, today, 'week'));
    expect(body.currencies[0].totals).toMatchObject({
      paidSessions: 3,
      grossVolumeMinor: 30_000,
      platformFeesMinor: 4500,
      payableAccruedMinor: 25_500,
      pendingMinor: 25_500,
    });
  });

  it('other roles 403, anonymous 401', async () => {
    for (const token of [tokens.CLIENT, tokens.ADMIN, lawyerToken]) {
      const res = await report(token).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect((await report(null).expect(401)).body.code).toBe('UNAUTHENTICATED');
    for (const token of [tokens.CLIENT, tokens.ADMIN, partnerA.token]) {
      expect((await request(t.server).get('/api/lawyer/earnings').set(bearer(token)).expect(403)).body.code).toBe('FORBIDDEN');
    }
    expect((await request(t.server).get('/api/lawyer/earnings').expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('bad ranges are 400s with stable codes', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ from: '2026-03-02', to: '2026-03-01' }, 'REPORT_RANGE_INVERTED'],
      [{ from: '2024-01-01', to: '2026-01-02' }, 'REPORT_RANGE_TOO_LONG'],
      [{ from: '2024-01-01', to: '2026-01-01', granularity: 'day' }, ''], // exactly two years: fine
      [{ granularity: 'year' }, 'VALIDATION_FAILED'],
      [{ granularity: 'DAY' }, 'VALIDATION_FAILED'],
      [{ from: '2026-02-30' }, 'VALIDATION_FAILED'],
      [{ to: '2026-1-5' }, 'VALIDATION_FAILED'],
      [{ from: '0000-01-01' }, 'VALIDATION_FAILED'],
      [{ from: '2026-01-01T00:00:00Z' }, 'VALIDATION_FAILED'],
      [{ to: '99999-01-01' }, 'VALIDATION_FAILED'],
    ];
    for (const [query, code] of cases) {
      for (const [path, token] of [
        ['/api/partner/reports', partnerA.token],
        ['/api/lawyer/earnings', lawyerToken],
      ] as const) {
        const res = await request(t.server).get(path).query(query).set(bearer(token));
        expect({ path, query, status: res.status, code: res.body.code ?? '' }).toEqual({
          path,
          query,
          status: code ? 400 : 200,
          code,
        });
      }
    }
    const twoYears = (await report(partnerA.token, { from: '2024-01-01', to: '2026-01-01', granularity: 'day' }).expect(200))
      .body;
    expect(twoYears.referrals.series).toHaveLength(732);
    expect(twoYears.referrals.series[0]).toEqual({
      periodStart: '2024-01-01',
      periodEnd: '2024-01-01',
      clientsSignedUp: 0,
      lawyersSignedUp: 0,
      clientsConverted: 0,
      lawyersConverted: 0,
    });
  });

  it('weeks start on Monday and periods are clipped to the range', async () => {
    // 2026-01-01 is a Thursday.
    const body = (await report(partnerA.token, { from: '2026-01-01', to: '2026-01-20', granularity: 'week' }).expect(200)).body;
    expect(body.referrals.series.map((p: { periodStart: string; periodEnd: string }) => [p.periodStart, p.periodEnd])).toEqual([
      ['2026-01-01', '2026-01-04'],
      ['2026-01-05', '2026-01-11'],
      ['2026-01-12', '2026-01-18'],
      ['2026-01-19', '2026-01-20'],
    ]);
    const month = (await report(partnerA.token, { from: '2026-01-15', to: '2026-03-03', granularity: 'month' }).expect(200)).body;
    expect(month.referrals.series.map((p: { periodStart: string; periodEnd: string }) => [p.periodStart, p.periodEnd])).toEqual([
      ['2026-01-15', '2026-01-31'],
      ['2026-02-01', '2026-02-28'],
      ['2026-03-01', '2026-03-03'],
    ]);
  });
});
