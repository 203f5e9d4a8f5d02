import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource, EntityManager } from 'typeorm';
import { LedgerReporting1764730000000 } from '../../src/database/migrations/1764730000000-LedgerReporting';
import { LEDGER_RECONCILE_QUEUE, LedgerReconciliationService } from '../../src/modules/ledger/ledger-reconciliation.service';
import { LedgerService } from '../../src/modules/ledger/ledger.service';
import { createPaidSession, createSellableOffering } from '../factories/payments';
import { bearer, createUser, login, type TestUser } from '../factories/users';
import { ledgerRollupDifferences } from '../setup/ledger-rollups-check';
import { createTestApp, type TestApp } from '../setup/test-app';

const FEE_BPS = 1500;
const COMMISSION_BPS = 2000;
const DAY_MS = 86_400_000;

interface RollupRow {
  partyId: string;
  account: string;
  currency: string;
  day: string;
  paymentsCount: number;
  grossMinor: number;
  accruedMinor: number;
  refundsCount: number;
  refundedGrossMinor: number;
  reversedMinor: number;
  paidOutMinor: number;
  payoutsReversedMinor: number;
  netMinor: number;
  entryCount: number;
}

/** Shared helpers over one app: direct reads of the ledger's tables and views, and postings in a transaction. */
function helpers(t: TestApp) {
  const sql = t.app.get(DataSource);
  const ledger = t.app.get(LedgerService);
  return {
    sql,
    ledger,
    tx: <T>(work: (m: EntityManager) => Promise<T>) => sql.transaction(work),
    setZone: (userId: string, zone: string) => sql.query('UPDATE users SET time_zone = $2 WHERE id = $1', [userId, zone]),
    refer: (partner: TestUser, user: TestUser) =>
      sql.query(`INSERT INTO referrals (partner_id, referred_user_id, role, code) VALUES ($1, $2, $3, 'ABCDEFGH')`, [
        partner.id,
        user.id,
        user.role,
      ]),
    rollups: (partyId: string): Promise<RollupRow[]> =>
      sql.query(
        `SELECT party_id AS "partyId", account, currency, day::text AS day, payments_count AS "paymentsCount",
                gross_minor::float8 AS "grossMinor", accrued_minor::float8 AS "accruedMinor", refunds_count AS "refundsCount",
                refunded_gross_minor::float8 AS "refundedGrossMinor", reversed_minor::float8 AS "reversedMinor",
                paid_out_minor::float8 AS "paidOutMinor", payouts_reversed_minor::float8 AS "payoutsReversedMinor",
                net_minor::float8 AS "netMinor", entry_count AS "entryCount"
           FROM party_ledger_daily WHERE party_id = $1 ORDER BY account, currency, day`,
        [partyId],
      ),
    balance: async (payeeId: string, account = 'lawyer_payable', currency = 'EUR') =>
      (
        (await sql.query(
          `SELECT owed_minor::float8 AS "owedMinor", accrued_minor::float8 AS "accruedMinor", reversed_minor::float8 AS "reversedMinor",
                  paid_out_minor::float8 AS "paidOutMinor", first_day::text AS "firstDay", last_day::text AS "lastDay"
             FROM payee_balances WHERE payee_id = $1 AND account = $2 AND currency = $3`,
          [payeeId, account, currency],
        )) as {
          owedMinor: number;
          accruedMinor: number;
          reversedMinor: number;
          paidOutMinor: number;
          firstDay: string;
          lastDay: string;
        }[]
      )[0],
    /** −sum of the party's raw entries: what is owed, straight from the ledger. */
    ledgerOwed: async (partyId: string, account = 'lawyer_payable', currency = 'EUR') =>
      (
        await sql.query(
          `SELECT coalesce(-sum(amount_minor), 0)::float8 AS owed FROM ledger_entries WHERE party_id = $1 AND account = $2 AND currency = $3`,
          [partyId, account, currency],
        )
      )[0].owed as number,
    payment: (lawyerId: string, clientId: string, amountMinor: number, currency = 'EUR') => {
      const p = { paymentId: randomUUID(), sessionId: randomUUID(), clientId, lawyerId, amountMinor, currency };
      return sql.transaction((m) => ledger.postPayment(m, p)).then((posted) => ({ ...p, ...posted }));
    },
  };
}

/** Moves the app's clock so that "now" is `target` (give or take the time the test itself takes). */
function setClock(t: TestApp, target: Date): void {
  t.clock.advance(target.getTime() - t.clock.nowMs());
}

describe('ledger reporting: rollups, payouts, conversions', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp({
      PLATFORM_FEE_BPS: String(FEE_BPS),
      PARTNER_COMMISSION_BPS: String(COMMISSION_BPS),
      THROTTLE_LIMIT: '100000',
    });
    h = helpers(t);
  });
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => t.clock.reset());

  it('a paid session (the production path) is rolled up for the lawyer and the referring partner, at business time, and converts the referrals once', async () => {
    const partner = await createUser(t, { role: 'PARTNER' });
    const client = await createUser(t, { role: 'CLIENT' });
    const offering = await createSellableOffering(t, { priceMinor: 12_000, currency: 'EUR' });
    await h.refer(partner, client);
    await h.refer(partner, offering.lawyer);
    const unreferred = await createUser(t, { role: 'CLIENT' });

    // Business time, not the database's clock, stamps the ledger (20 minutes: the checkout, made at
    // wall-clock time, is still open then).
    t.clock.advance(20 * 60_000);
    const before = t.clock.nowMs();
    const pay = (clientId: string) =>
      createPaidSession(t, {
        clientId,
        lawyerId: offering.lawyer.id,
        offering: { id: offering.offeringId, title: offering.title, durationMinutes: 60, priceMinor: 12_000, currency: 'EUR' },
      });
    const first = await pay(client.id);
    const [txn] = await h.sql.query(
      `SELECT t.id, t.payment_id AS "paymentId", t.created_at AS "createdAt", min(e.created_at) AS "entriesAt", min(e.local_day)::text AS day
         FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.kind = 'PAYMENT' AND t.session_id = $1 GROUP BY t.id`,
      [first.id],
    );
    expect(txn.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(txn.createdAt.getTime()).toBeLessThanOrEqual(t.clock.nowMs());
    expect(txn.entriesAt.getTime()).toBe(txn.createdAt.getTime());
    expect(txn.day).toBe(new Date(txn.createdAt).toISOString().slice(0, 10));

    const fee = 1800; // 15 % of 120.00
    const commission = 360; // 20 % of the fee, once although the partner referred both sides
    expect(await h.rollups(offering.lawyer.id)).toEqual([
      expect.objectContaining({
        account: 'lawyer_payable',
        paymentsCount: 1,
        grossMinor: 12_000,
        accruedMinor: 12_000 - fee,
        netMinor: -(12_000 - fee),
        entryCount: 1,
      }),
    ]);
    expect(await h.rollups(partner.id)).toEqual([
      expect.objectContaining({
        account: 'partner_commission_payable',
        paymentsCount: 1,
        grossMinor: 12_000,
        accruedMinor: commission,
        netMinor: -commission,
      }),
    ]);

    // Both referred users converted with this payment; later payments change nothing.
    await pay(client.id);
    await pay(unreferred.id);
    const conversions: { referredUserId: string; paymentId: string; convertedAt: Date }[] = await h.sql.query(
      `SELECT referred_user_id AS "referredUserId", payment_id AS "paymentId", converted_at AS "convertedAt"
         FROM referral_conversions WHERE partner_id = $1 ORDER BY role`,
      [partner.id],
    );
    expect(conversions).toEqual([
      { referredUserId: client.id, paymentId: txn.paymentId, convertedAt: txn.createdAt },
      { referredUserId: offering.lawyer.id, paymentId: txn.paymentId, convertedAt: txn.createdAt },
    ]);
    const funnel: { referredUserId: string; convertedAt: Date | null }[] = await h.sql.query(
      `SELECT referred_user_id AS "referredUserId", converted_at AS "convertedAt" FROM referral_funnel WHERE partner_id = $1`,
      [partner.id],
    );
    expect(funnel).toHaveLength(2);
    expect(funnel.every((f) => f.convertedAt?.getTime() === txn.createdAt.getTime())).toBe(true);
    expect(await h.rollups(offering.lawyer.id)).toEqual([expect.objectContaining({ paymentsCount: 3, grossMinor: 36_000 })]);
  });

  it('a replayed payment posts nothing twice: same transaction, same rollup, one conversion', async () => {
    const partner = await createUser(t, { role: 'PARTNER' });
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    await h.refer(partner, client);
    const p = await h.payment(lawyer.id, client.id, 5000);
    const again = await h.tx((m) => h.ledger.postPayment(m, p));
    expect(again.transactionId).toBe(p.transactionId);
    expect(await h.rollups(lawyer.id)).toEqual([
      expect.objectContaining({ paymentsCount: 1, accruedMinor: 4250, entryCount: 1 }),
    ]);
    expect(
      (await h.sql.query('SELECT count(*)::int AS n FROM referral_conversions WHERE partner_id = $1', [partner.id]))[0].n,
    ).toBe(1);
  });

  it('partial and full refunds roll up the refunded gross and the reversed shares; each refund posts once', async () => {
    const partner = await createUser(t, { role: 'PARTNER' });
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    await h.refer(partner, lawyer);
    const p = await h.payment(lawyer.id, client.id, 10_001);
    const refund = (refundId: string, amountMinor: number) =>
      h.tx((m) => h.ledger.postRefund(m, { refundId, paymentId: p.paymentId, amountMinor }));

    const r1 = randomUUID();
    const first = await refund(r1, 3333);
    expect(await refund(r1, 3333)).toBe(first); // idempotent per refund
    const [afterPartial] = await h.rollups(lawyer.id);
    expect(afterPartial).toMatchObject({ paymentsCount: 1, refundsCount: 1, refundedGrossMinor: 3333, entryCount: 2 });
    expect(afterPartial!.reversedMinor).toBeGreaterThan(0);
    expect(afterPartial!.netMinor).toBe(-(await h.ledgerOwed(lawyer.id)));

    await refund(randomUUID(), 10_001 - 3333);
    const [lawyerRow] = await h.rollups(lawyer.id);
    expect(lawyerRow).toMatchObject({ refundsCount: 2, refundedGrossMinor: 10_001, netMinor: 0 });
    expect(lawyerRow!.reversedMinor).toBe(lawyerRow!.accruedMinor);
    const [partnerRow] = await h.rollups(partner.id);
    expect(partnerRow).toMatchObject({
      account: 'partner_commission_payable',
      refundsCount: 2,
      refundedGrossMinor: 10_001,
      netMinor: 0,
    });
    expect(await h.balance(lawyer.id)).toMatchObject({ owedMinor: 0, paidOutMinor: 0 });
  });

  it('payouts and their reversals: owed balances, one posting per payout and per reversal, payee_balances agrees with the ledger', async () => {
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    await h.payment(lawyer.id, client.id, 20_000);
    await h.payment(lawyer.id, client.id, 1000, 'USD');
    const owed = 17_000;
    expect(await h.tx((m) => h.ledger.lockPayable(m, lawyer.id, 'lawyer_payable', 'EUR'))).toEqual({
      owedMinor: owed,
      hasPayable: true,
    });
    expect(await h.tx((m) => h.ledger.lockPayable(m, lawyer.id, 'lawyer_payable', 'GBP'))).toEqual({
      owedMinor: 0,
      hasPayable: false,
    });
    expect(await h.tx((m) => h.ledger.lockPayable(m, lawyer.id, 'partner_commission_payable', 'EUR'))).toEqual({
      owedMinor: 0,
      hasPayable: false,
    });

    const payoutId = randomUUID();
    const payout = {
      payoutId,
      payeeId: lawyer.id,
      account: 'lawyer_payable' as const,
      currency: 'EUR',
      amountMinor: 12_000,
      description: 'Bank transfer',
    };
    const txnId = await h.tx((m) => h.ledger.postPayout(m, payout));
    expect(await h.tx((m) => h.ledger.postPayout(m, payout))).toBe(txnId); // idempotent per payout id
    expect(await h.tx((m) => h.ledger.postPayout(m, { ...payout, amountMinor: 1 }))).toBe(txnId);
    const entries: { account: string; partyId: string | null; amountMinor: number }[] = await h.sql.query(
      `SELECT account, party_id AS "partyId", amount_minor::float8 AS "amountMinor" FROM ledger_entries WHERE transaction_id = $1 ORDER BY id`,
      [txnId],
    );
    expect(entries).toEqual([
      { account: 'lawyer_payable', partyId: lawyer.id, amountMinor: 12_000 },
      { account: 'payout_clearing', partyId: null, amountMinor: -12_000 },
    ]);
    expect(await h.tx((m) => h.ledger.owedBalances(m, lawyer.id))).toEqual([
      { account: 'lawyer_payable', currency: 'EUR', owedMinor: owed - 12_000 },
      { account: 'lawyer_payable', currency: 'USD', owedMinor: 850 },
    ]);
    expect(await h.balance(lawyer.id)).toMatchObject({ owedMinor: owed - 12_000, accruedMinor: owed, paidOutMinor: 12_000 });
    expect(await h.ledgerOwed(lawyer.id)).toBe(owed - 12_000);

    const reversal = await h.tx((m) => h.ledger.postPayoutReversal(m, { payoutId, description: 'Entered twice by mistake' }));
    expect(await h.tx((m) => h.ledger.postPayoutReversal(m, { payoutId, description: 'again' }))).toBe(reversal);
    const [rev] = await h.sql.query(
      `SELECT kind, reverses_id AS "reversesId", payout_id AS "payoutId" FROM ledger_transactions WHERE id = $1`,
      [reversal],
    );
    expect(rev).toEqual({ kind: 'PAYOUT_REVERSAL', reversesId: txnId, payoutId });
    const [row] = await h.rollups(lawyer.id);
    expect(row).toMatchObject({ paidOutMinor: 12_000, payoutsReversedMinor: 12_000, netMinor: -owed, entryCount: 3 });
    expect(await h.balance(lawyer.id)).toMatchObject({ owedMinor: owed, paidOutMinor: 0 });
    expect(await h.ledgerOwed(lawyer.id)).toBe(owed);

    await expect(h.tx((m) => h.ledger.postPayoutReversal(m, { payoutId: randomUUID(), description: 'x' }))).rejects.toThrow(
      /no PAYOUT/,
    );
    await expect(h.tx((m) => h.ledger.postPayout(m, { ...payout, payoutId: randomUUID(), amountMinor: 0 }))).rejects.toThrow(
      RangeError,
    );
    await expect(h.tx((m) => h.ledger.postPayout(m, { ...payout, payoutId: randomUUID(), amountMinor: -5 }))).rejects.toThrow(
      RangeError,
    );
  });

  it("local_day is the party's calendar day: a Tokyo lawyer's 00:10 is the next day, a New York partner's is still the UTC day, platform accounts UTC", async () => {
    const partner = await createUser(t, { role: 'PARTNER' });
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    await h.refer(partner, client);
    await h.setZone(lawyer.id, 'Asia/Tokyo');
    await h.setZone(partner.id, 'America/New_York');
    // 15:10 UTC three days ahead: 00:10 the next day in Tokyo, 10:10/11:10 the same day in New York.
    const utcDay = new Date(Date.now() + 3 * DAY_MS).toISOString().slice(0, 10);
    setClock(t, new Date(`${utcDay}T15:10:00Z`));
    const tokyoDay = new Date(Date.parse(`${utcDay}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

    const p = await h.payment(lawyer.id, client.id, 9000);
    const days: { account: string; day: string }[] = await h.sql.query(
      `SELECT account, local_day::text AS day FROM ledger_entries WHERE transaction_id = $1 ORDER BY id`,
      [p.transactionId],
    );
    expect(days).toEqual([
      { account: 'stripe_clearing', day: utcDay },
      { account: 'lawyer_payable', day: tokyoDay },
      { account: 'platform_revenue', day: utcDay },
      { account: 'platform_revenue', day: utcDay },
      { account: 'partner_commission_payable', day: utcDay },
    ]);
    expect((await h.rollups(lawyer.id)).map((r) => r.day)).toEqual([tokyoDay]);

    // 23:50 UTC: still the same day in New York, already the day after in Tokyo.
    setClock(t, new Date(`${utcDay}T23:50:00Z`));
    await h.tx((m) => h.ledger.postRefund(m, { refundId: randomUUID(), paymentId: p.paymentId, amountMinor: 1000 }));
    expect((await h.rollups(lawyer.id)).map((r) => [r.day, r.paymentsCount, r.refundsCount])).toEqual([[tokyoDay, 1, 1]]);
    expect((await h.rollups(partner.id)).map((r) => [r.day, r.paymentsCount, r.refundsCount])).toEqual([[utcDay, 1, 1]]);
    // The party_ledger_lines view carries each line's local day and transaction.
    const lines: { kind: string; localDay: string; paymentId: string }[] = await h.sql.query(
      `SELECT kind, local_day::text AS "localDay", payment_id AS "paymentId" FROM party_ledger_lines WHERE party_id = $1 ORDER BY entry_id`,
      [lawyer.id],
    );
    expect(lines).toEqual([
      { kind: 'PAYMENT', localDay: tokyoDay, paymentId: p.paymentId },
      { kind: 'REFUND', localDay: tokyoDay, paymentId: p.paymentId },
    ]);
  });

  it('lockPayable serialises payouts of one payable: the second waits for the first to commit, then sees what is left', async () => {
    const lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    await h.payment(lawyer.id, client.id, 10_000);
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let signalLocked!: () => void;
    const firstLocked = new Promise<void>((resolve) => (signalLocked = resolve));

    const first = h.tx(async (m) => {
      const { owedMinor } = await h.ledger.lockPayable(m, lawyer.id, 'lawyer_payable', 'EUR');
      signalLocked();
      await held;
      await h.ledger.postPayout(m, {
        payoutId: randomUUID(),
        payeeId: lawyer.id,
        account: 'lawyer_payable',
        currency: 'EUR',
        amountMinor: owedMinor,
        description: 'all',
      });
      events.push(`first paid ${owedMinor}`);
    });
    await firstLocked;
    const second = h.tx(async (m) => {
      const seen = await h.ledger.lockPayable(m, lawyer.id, 'lawyer_payable', 'EUR');
      events.push(`second saw ${seen.owedMinor}`);
      return seen;
    });
    // Another payable of another payee is not blocked meanwhile.
    const other = await createUser(t, { role: 'LAWYER' });
    await h.tx((m) => h.ledger.lockPayable(m, other.id, 'lawyer_payable', 'EUR'));
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual([]);
    release();
    await first;
    expect(await second).toEqual({ owedMinor: 0, hasPayable: true });
    expect(events).toEqual(['first paid 8500', 'second saw 0']);
  });
});

describe('ledger reporting: reconciliation of the rollups with the raw ledger', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;
  let adminToken: string;
  let lawyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({
      PLATFORM_FEE_BPS: String(FEE_BPS),
      PARTNER_COMMISSION_BPS: String(COMMISSION_BPS),
      THROTTLE_LIMIT: '100000',
    });
    h = helpers(t);
    adminToken = (await login(t, await createUser(t, { role: 'ADMIN' }))).accessToken;
    lawyer = await createUser(t, { role: 'LAWYER' });
    const client = await createUser(t, { role: 'CLIENT' });
    const partner = await createUser(t, { role: 'PARTNER' });
    await h.refer(partner, client);
    const p = await h.payment(lawyer.id, client.id, 7000);
    await h.tx((m) => h.ledger.postRefund(m, { refundId: randomUUID(), paymentId: p.paymentId, amountMinor: 700 }));
    await h.tx((m) =>
      h.ledger.postPayout(m, {
        payoutId: randomUUID(),
        payeeId: lawyer.id,
        account: 'lawyer_payable',
        currency: 'EUR',
        amountMinor: 1000,
        description: 'x',
      }),
    );
  });
  afterAll(async () => {
    await t?.close();
  });

  const reconciliation = () => request(t.server).get('/api/admin/ledger/reconciliation').set(bearer(adminToken));
  const audits = (action: string): Promise<{ payload: Record<string, unknown> }[]> =>
    h.sql.query(`SELECT payload FROM audit_events WHERE action = $1 ORDER BY seq`, [action]);

  /**
   * Changes one rollup field by `delta` for the duration of `check`, then puts it back, so the
   * after-each rollup check (apps/api/test/setup/ledger-rollups-check.ts) sees a clean table again.
   */
  async function withInjectedDifference(delta: number, check: (day: string) => Promise<void>): Promise<void> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [[{ day }]]: [{ day: string }[], number] = await h.sql.query(
      `UPDATE ledger_party_daily SET net_minor = net_minor + $2 WHERE party_id = $1 AND account = 'lawyer_payable' RETURNING day::text AS day`,
      [lawyer.id, delta],
    );
    try {
      await check(day);
    } finally {
      await h.sql.query(
        `UPDATE ledger_party_daily SET net_minor = net_minor - $2 WHERE party_id = $1 AND account = 'lawyer_payable'`,
        [lawyer.id, delta],
      );
    }
  }

  it('is ADMIN only', async () => {
    await request(t.server).get('/api/admin/ledger/reconciliation').expect(401);
    const lawyerToken = (await login(t, lawyer)).accessToken;
    await request(t.server).get('/api/admin/ledger/reconciliation').set(bearer(lawyerToken)).expect(403);
  });

  it('finds nothing to report on an untouched ledger', async () => {
    const res = await reconciliation().expect(200);
    expect(res.body).toMatchObject({ ok: true, differenceCount: 0, differences: [] });
    expect(res.body.rollupRows).toBe(2); // the lawyer's and the partner's day
    expect(res.body.ledgerGroups).toBe(2);
    expect(res.body).toMatchObject({ balanceRows: 2, balanceGroups: 2, balanceDifferences: [] }); // their two accounts
    expect(Date.parse(res.body.checkedAt)).not.toBeNaN();
  });

  it('reports an injected difference through the endpoint, the daily job (audited) and the after-each check', async () => {
    const failedBefore = (await audits('ledger.reconciliation_failed')).length;
    await withInjectedDifference(7, async (day) => {
      const res = await reconciliation().expect(200);
      const owedNet = -(await h.ledgerOwed(lawyer.id));
      expect(res.body).toMatchObject({ ok: false, differenceCount: 1 });
      expect(res.body.differences).toEqual([
        {
          partyId: lawyer.id,
          account: 'lawyer_payable',
          currency: 'EUR',
          day,
          field: 'net_minor',
          rollupValue: owedNet + 7,
          ledgerValue: owedNet,
        },
      ]);

      const result = await t.app.get(LedgerReconciliationService).runScheduled();
      expect(result.differenceCount).toBe(1);
      const failed = await audits('ledger.reconciliation_failed');
      expect(failed).toHaveLength(failedBefore + 1);
      expect(failed.at(-1)!.payload).toMatchObject({
        differenceCount: 1,
        differences: [{ partyId: lawyer.id, field: 'net_minor', day, rollupValue: owedNet + 7, ledgerValue: owedNet }],
      });

      // What the global after-each check runs: it sees the same row from both sides.
      const rows = await ledgerRollupDifferences(t.db.url);
      expect(rows.map((r) => [r.side, r.party_id, r.day, Number(r.net_minor)])).toEqual([
        ['in ledger_party_daily', lawyer.id, day, owedNet + 7],
        ['recomputed from the ledger', lawyer.id, day, owedNet],
      ]);
    });
    // Repaired: a scheduled run audits success, without a list of differences.
    const ok = await t.app.get(LedgerReconciliationService).runScheduled();
    expect(ok.differenceCount).toBe(0);
    const reconciled = await audits('ledger.reconciled');
    expect(reconciled.at(-1)!.payload).toMatchObject({ differenceCount: 0, rollupRows: 2, ledgerGroups: 2 });
    expect(reconciled.at(-1)!.payload).not.toHaveProperty('differences');
    expect(await ledgerRollupDifferences(t.db.url)).toEqual([]);
  });

  it('reports a running balance that differs from the ledger (endpoint, audited job, after-each check)', async () => {
    const yyyymmdd = (day: string) => Number(day.replace(/-/g, ''));
    const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
    const [[before]]: [{ net: number; lastDay: string }[], number] = await h.sql.query(
      `UPDATE ledger_party_balances SET net_minor = net_minor + 11, last_day = last_day + 1
        WHERE party_id = $1 AND account = 'lawyer_payable'
        RETURNING (net_minor - 11)::float8 AS net, (last_day - 1)::text AS "lastDay"`,
      [lawyer.id],
    );
    try {
      const res = await reconciliation().expect(200);
      expect(res.body).toMatchObject({ ok: false, differenceCount: 2, differences: [] });
      expect(res.body.balanceDifferences).toEqual([
        {
          partyId: lawyer.id,
          account: 'lawyer_payable',
          currency: 'EUR',
          field: 'last_day',
          balanceValue: yyyymmdd(nextDay(before!.lastDay)),
          ledgerValue: yyyymmdd(before!.lastDay),
        },
        {
          partyId: lawyer.id,
          account: 'lawyer_payable',
          currency: 'EUR',
          field: 'net_minor',
          balanceValue: before!.net + 11,
          ledgerValue: before!.net,
        },
      ]);
      // The balance is what payouts check against: the ledger's owed figure there is off too.
      expect(-before!.net).toBe(await h.ledgerOwed(lawyer.id));

      const failedBefore = (await audits('ledger.reconciliation_failed')).length;
      const result = await t.app.get(LedgerReconciliationService).runScheduled();
      expect(result.differenceCount).toBe(2);
      const failed = await audits('ledger.reconciliation_failed');
      expect(failed).toHaveLength(failedBefore + 1);
      expect(failed.at(-1)!.payload).toMatchObject({
        differenceCount: 2,
        differences: [],
        balanceDifferences: [
          { field: 'last_day' },
          { field: 'net_minor', balanceValue: before!.net + 11, ledgerValue: before!.net },
        ],
      });

      // The global after-each check sees the balance row from both sides.
      const rows = await ledgerRollupDifferences(t.db.url);
      expect(rows.map((r) => [r.side, r.party_id, r.day, r.last_day, Number(r.net_minor)])).toEqual([
        ['balance recomputed from the ledger', lawyer.id, null, before!.lastDay, before!.net],
        ['in ledger_party_balances', lawyer.id, null, nextDay(before!.lastDay), before!.net + 11],
      ]);
    } finally {
      await h.sql.query(
        `UPDATE ledger_party_balances SET net_minor = net_minor - 11, last_day = last_day - 1 WHERE party_id = $1 AND account = 'lawyer_payable'`,
        [lawyer.id],
      );
    }
    expect((await reconciliation().expect(200)).body).toMatchObject({ ok: true, differenceCount: 0, balanceDifferences: [] });
    expect(await ledgerRollupDifferences(t.db.url)).toEqual([]);
  });

  it('reports a missing rollup row and a row the ledger does not have', async () => {
    const [row] = await h.sql.query(`SELECT * FROM ledger_party_daily WHERE party_id = $1`, [lawyer.id]);
    await h.sql.query(`DELETE FROM ledger_party_daily WHERE party_id = $1`, [lawyer.id]);
    const ghost = randomUUID();
    await h.sql.query(
      `INSERT INTO ledger_party_daily (party_id, account, currency, day, net_minor, entry_count) VALUES ($1, 'lawyer_payable', 'EUR', '2020-01-01', -5, 1)`,
      [ghost],
    );
    try {
      const res = await reconciliation().expect(200);
      expect(res.body.ok).toBe(false);
      const fields = (partyId: string) =>
        (res.body.differences as { partyId: string; field: string }[]).filter((d) => d.partyId === partyId).map((d) => d.field);
      expect(fields(ghost)).toEqual(['entry_count', 'net_minor']);
      expect(fields(lawyer.id)).toEqual(
        expect.arrayContaining(['accrued_minor', 'entry_count', 'net_minor', 'paid_out_minor', 'payments_count']),
      );
    } finally {
      await h.sql.query(`DELETE FROM ledger_party_daily WHERE party_id = $1`, [ghost]);
      const columns = Object.keys(row);
      await h.sql.query(
        `INSERT INTO ledger_party_daily (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        columns.map((c) => row[c]),
      );
    }
    expect((await reconciliation().expect(200)).body.ok).toBe(true);
  });

  it('registers the daily reconciliation job', async () => {
    const rows = await h.sql.query('SELECT name FROM pgboss.queue WHERE name = $1', [LEDGER_RECONCILE_QUEUE]);
    expect(rows).toHaveLength(1);
  });
});

describe('ledger reporting: the migration backfills what the ledger maintains', () => {
  let t: TestApp;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await createTestApp({
      PLATFORM_FEE_BPS: String(FEE_BPS),
      PARTNER_COMMISSION_BPS: String(COMMISSION_BPS),
      THROTTLE_LIMIT: '100000',
    });
    h = helpers(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('re-running 1764730000000-LedgerReporting over existing postings rebuilds the same local days, rollups, balances and conversions', async () => {
    const partner = await createUser(t, { role: 'PARTNER' });
    const client = await createUser(t, { role: 'CLIENT' });
    const offering = await createSellableOffering(t, { priceMinor: 8000 });
    await h.refer(partner, client);
    await h.setZone(offering.lawyer.id, 'Asia/Tokyo');
    await h.setZone(partner.id, 'America/Los_Angeles');
    const session = await createPaidSession(t, {
      clientId: client.id,
      lawyerId: offering.lawyer.id,
      offering: { id: offering.offeringId, title: offering.title, durationMinutes: 60, priceMinor: 8000, currency: 'EUR' },
    });
    const [{ paymentId }] = await h.sql.query(
      `SELECT payment_id AS "paymentId" FROM ledger_transactions WHERE kind = 'PAYMENT' AND session_id = $1`,
      [session.id],
    );
    // Postings on either side of midnight in Tokyo and Los Angeles.
    const utcDay = new Date(Date.now() + 2 * DAY_MS).toISOString().slice(0, 10);
    setClock(t, new Date(`${utcDay}T15:30:00Z`));
    await h.tx((m) => h.ledger.postRefund(m, { refundId: randomUUID(), paymentId, amountMinor: 2500 }));
    await h.payment(offering.lawyer.id, client.id, 3000, 'USD');
    setClock(t, new Date(`${utcDay}T07:30:00Z`));
    await h.payment(offering.lawyer.id, client.id, 4000);
    const snapshot = async () => ({
      days: await h.sql.query('SELECT id, local_day::text AS day FROM ledger_entries ORDER BY id'),
      rollups: await h.sql.query('SELECT * FROM ledger_party_daily ORDER BY party_id, account, currency, day'),
      balances: await h.sql.query('SELECT * FROM ledger_party_balances ORDER BY party_id, account, currency'),
      conversions: await h.sql.query('SELECT * FROM referral_conversions ORDER BY referral_id'),
    });
    const maintained = await snapshot();
    expect(maintained.conversions).toHaveLength(1);
    expect(maintained.balances.length).toBeGreaterThan(0);

    const runner = h.sql.createQueryRunner();
    try {
      await runner.startTransaction();
      const migration = new LedgerReporting1764730000000();
      await migration.down(runner);
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await snapshot()).toEqual(maintained);
  });
});
