import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { ReportsDb } from '../../src/modules/finance/reports-db';
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
} from './finance-support';

/**
 * REPORTS_DATABASE_URL: reports read through a pool of their own (here pointed at the test
 * database itself, as a replica would mirror it) and stay correct; without it they read the
 * main database.
 */
describe('reports on REPORTS_DATABASE_URL', () => {
  let t: TestApp;
  let replicaApp: NestFastifyApplication;
  let replicaServer: import('node:http').Server;
  let dataDir: string;

  beforeAll(async () => {
    // One JWT secret for both processes, so a sign-in on one is valid on the other.
    const env = { THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false', JWT_SECRET: 'finance-reports-replica-spec-secret-0123456789' };
    t = await createTestApp(env);
    // A second API process on the same database whose reports read through REPORTS_DATABASE_URL.
    dataDir = mkdtempSync(join(tmpdir(), 'lm-test-reports-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SERVE_WEB: 'false',
      DATA_DIR: dataDir,
      DB_MIGRATIONS_RUN: 'false',
      REPORTS_DATABASE_URL: t.db.url,
      ...env,
    });
    replicaApp = await createApp(config, t.db.url, { clock: t.clock });
    await replicaApp.init();
    await replicaApp.getHttpAdapter().getInstance().ready();
    replicaServer = replicaApp.getHttpServer();
  });
  afterAll(async () => {
    await replicaApp?.close();
    await t?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads reports through the lm-reports pool, with the same figures as the main database and the raw ledger', async () => {
    expect(replicaApp.get(ReportsDb).separatePool).toBe(true);
    expect(t.app.get(ReportsDb).separatePool).toBe(false);

    const partner = await register(t, 'PARTNER', { timeZone: 'Australia/Adelaide' });
    const client = await register(t, 'CLIENT', { referralCode: await referralCodeOf(t, partner) });
    const offering = await createSellableOffering(t, { priceMinor: 25_000, currency: 'USD' });
    const forSale = {
      id: offering.offeringId,
      title: offering.title,
      durationMinutes: offering.durationMinutes,
      priceMinor: offering.priceMinor,
      currency: offering.currency,
    };
    await createPaidSession(t, { clientId: client.id, lawyerId: offering.lawyer.id, offering: forSale });
    await createPaidSession(t, { clientId: client.id, lawyerId: offering.lawyer.id, offering: forSale });

    const admin = await createUser(t, { role: 'ADMIN' });
    const adminToken = (await login(t, admin)).accessToken;
    await request(replicaServer)
      .post('/api/admin/payouts')
      .set(bearer(adminToken))
      .set('idempotency-key', randomUUID())
      .send({
        payeeId: partner.id,
        currency: 'USD',
        amountMinor: 100,
        method: 'PAYPAL',
        reference: 'PP-1',
        paidAt: t.clock.now().toISOString(),
      })
      .expect(201);

    const to = todayIn(t, partner.timeZone);
    const from = '2026-01-01' < to ? '2026-01-01' : to;
    const entries = await rawEntries(t, partner.id, 'partner_commission_payable');
    const referrals = await rawReferrals(t, partner.id);
    for (const granularity of ['day', 'week', 'month'] as const) {
      const query = { from, to, granularity };
      const viaPool = (
        await request(replicaServer).get('/api/partner/reports').query(query).set(bearer(partner.token)).expect(200)
      ).body;
      const viaMain = (await request(t.server).get('/api/partner/reports').query(query).set(bearer(partner.token)).expect(200))
        .body;
      expect(viaPool).toEqual(viaMain);
      expect(viaPool).toEqual(expectedPartnerReport(entries, referrals, partner.timeZone, from, to, granularity));
    }
    const totals = (
      await request(replicaServer).get('/api/partner/reports').query({ from: to, to }).set(bearer(partner.token)).expect(200)
    ).body.currencies[0].totals;
    expect(totals).toMatchObject({ paidSessions: 2, paidOutMinor: 100 });

    const lawyerToken = (await login(t, offering.lawyer)).accessToken;
    const earnings = (
      await request(replicaServer)
        .get('/api/lawyer/earnings')
        .query({ from, to: todayIn(t, 'UTC') })
        .set(bearer(lawyerToken))
        .expect(200)
    ).body;
    expect(earnings).toEqual(
      expectedLawyerEarnings(await rawEntries(t, offering.lawyer.id, 'lawyer_payable'), 'UTC', from, todayIn(t, 'UTC'), 'month'),
    );

    const pending = (
      await request(replicaServer)
        .get('/api/admin/payouts/pending')
        .query({ minimumMinor: 1 })
        .set(bearer(adminToken))
        .expect(200)
    ).body;
    expect(pending.items.find((i: { payeeId: string }) => i.payeeId === partner.id)?.owedMinor).toBe(totals.pendingMinor);

    // The reads went through the reports pool: its connections are on this database, under their own name.
    const [{ n }] = await t.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'lm-reports'`, [
        t.db.name,
      ]);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(4);
    // ... and they are read-only.
    await expect(replicaApp.get(ReportsDb).query({ text: 'DELETE FROM payouts', values: [] })).rejects.toThrow(/read-only/);
  });

  it('refuses a REPORTS_DATABASE_URL that is not a postgres URL', () => {
    expect(() => loadConfig({ REPORTS_DATABASE_URL: 'mysql://x' })).toThrow(/REPORTS_DATABASE_URL/);
    expect(loadConfig({}).REPORTS_DATABASE_URL).toBeUndefined();
    expect(loadConfig({}).PAYOUT_MINIMUM_MINOR).toBe(1000);
    expect(() => loadConfig({ PAYOUT_MINIMUM_MINOR: '-1' })).toThrow(/PAYOUT_MINIMUM_MINOR/);
  });
});
