import { TERMS_VERSION } from '@lm/domain';
import { DateTime } from 'luxon';
import { randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { lastEmailedToken } from '../factories/emails';
import { VALID_PROFILE } from '../factories/lawyers';
import { createSellableOffering, type SellableOffering } from '../factories/payments';
import { bearer, login, strongPassword, uniqueEmail } from '../factories/users';
import type { TestApp } from '../setup/test-app';

/** An account made through POST /api/auth/register, signed in. */
export interface Account {
  id: string;
  email: string;
  password: string;
  role: 'CLIENT' | 'LAWYER' | 'PARTNER';
  token: string;
  timeZone: string;
  displayName: string;
}

/**
 * Signs up through the real endpoint (with a partner's referral code when given, as the `?ref=`
 * link's page does), in `timeZone`, confirms the email with the emailed link's token (booking
 * needs a verified address), and signs in.
 */
export async function register(
  t: TestApp,
  role: Account['role'],
  opts: { referralCode?: string; timeZone?: string; displayName?: string } = {},
): Promise<Account> {
  const email = uniqueEmail(role.toLowerCase());
  const password = strongPassword();
  const timeZone = opts.timeZone ?? 'UTC';
  const displayName = opts.displayName ?? `Test ${role} ${email.slice(email.indexOf('.') + 1, email.indexOf('@'))}`;
  const res = await request(t.server)
    .post('/api/auth/register')
    .send({
      email,
      password,
      displayName,
      role,
      timeZone,
      acceptedTermsVersion: TERMS_VERSION,
      ...(opts.referralCode ? { referralCode: opts.referralCode } : {}),
    });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = await lastEmailedToken(t, email, 'email-verification');
  // From an address of its own: the endpoint allows 20 confirmations a minute per address, and a property run signs up more.
  const verified = await t.app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
      remoteAddress: `198.51.100.${randomInt(1, 255)}`,
    });
  if (verified.statusCode !== 204) throw new Error(`email verification failed: ${verified.statusCode} ${verified.body}`);
  const { accessToken } = await login(t, { email, password });
  // The zone as the account keeps it (the runtime may spell a zone by another IANA name, e.g. Asia/Kolkata as Asia/Calcutta).
  const me = await request(t.server).get('/api/auth/me').set(bearer(accessToken)).expect(200);
  return {
    id: res.body.id as string,
    email,
    password,
    role,
    token: accessToken,
    timeZone: me.body.timeZone as string,
    displayName,
  };
}

export async function referralCodeOf(t: TestApp, partner: Account): Promise<string> {
  return (await request(t.server).get('/api/partner/referral-link').set(bearer(partner.token)).expect(200)).body.code as string;
}

/** A signed-up lawyer made sellable the way an admin does it: profile filled in, verified by an admin, one offering. */
export async function sellableLawyer(
  t: TestApp,
  adminToken: string,
  lawyer: Account,
  offering: { priceMinor: number; currency: string },
): Promise<SellableOffering> {
  await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.token)).send(VALID_PROFILE).expect(200);
  await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(200);
  return createSellableOffering(t, { lawyer: { ...lawyer, displayName: lawyer.displayName }, ...offering });
}

// ——— independent recomputation of reports from the raw ledger ———

export type Granularity = 'day' | 'week' | 'month';

/** One raw entry of a party account with what its transaction was. */
export interface RawEntry {
  kind: 'PAYMENT' | 'REFUND' | 'PAYOUT' | 'PAYOUT_REVERSAL';
  currency: string;
  amountMinor: number;
  createdAt: Date;
  /** PAYMENT: the payment's amount; REFUND: the refund's amount (from payments / refunds, not the ledger). */
  grossMinor: number;
}

/** Every entry of one party's payable account, straight from ledger_entries ⨝ ledger_transactions (and payments / refunds for gross). */
export async function rawEntries(
  t: TestApp,
  partyId: string,
  account: 'partner_commission_payable' | 'lawyer_payable',
): Promise<RawEntry[]> {
  return t.app.get(DataSource).query(
    `SELECT t.kind, e.currency, e.amount_minor::float8 AS "amountMinor", e.created_at AS "createdAt",
            coalesce(CASE t.kind WHEN 'PAYMENT' THEN p.amount_minor WHEN 'REFUND' THEN r.amount_minor END, 0)::float8 AS "grossMinor"
       FROM ledger_entries e
       JOIN ledger_transactions t ON t.id = e.transaction_id
       LEFT JOIN payments p ON t.kind = 'PAYMENT' AND p.id = t.payment_id
       LEFT JOIN refunds r ON t.kind = 'REFUND' AND r.id = t.refund_id
      WHERE e.party_id = $1 AND e.account = $2
      ORDER BY e.id`,
    [partyId, account],
  );
}

/** What is owed to the party per currency, summed in the test from the raw entries. */
export function owedFromRaw(entries: RawEntry[]): Map<string, number> {
  const owed = new Map<string, number>();
  for (const e of entries) owed.set(e.currency, (owed.get(e.currency) ?? 0) - e.amountMinor);
  return owed;
}

/** The referrals of a partner with, independently of the partners module, when each converted: the first PAYMENT of a session the user took part in. */
export async function rawReferrals(
  t: TestApp,
  partnerId: string,
): Promise<{ role: string; signedUpAt: Date; convertedAt: Date | null }[]> {
  return t.app.get(DataSource).query(
    `SELECT r.role, r.created_at AS "signedUpAt",
            (SELECT min(t.created_at) FROM ledger_transactions t JOIN legal_sessions s ON s.id = t.session_id
              WHERE t.kind = 'PAYMENT' AND r.referred_user_id IN (s.client_id, s.lawyer_id)) AS "convertedAt"
       FROM referrals r WHERE r.partner_id = $1`,
    [partnerId],
  );
}

/** The periods of [from, to] in the luxon way: ISO weeks (Monday), calendar months, clipped. */
export function periodsOf(from: string, to: string, g: Granularity): { periodStart: string; periodEnd: string }[] {
  const out: { periodStart: string; periodEnd: string }[] = [];
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  let start = DateTime.fromISO(from, { zone: 'UTC' }).startOf(g === 'week' ? 'week' : g);
  while (start <= end) {
    const next = start.plus(g === 'day' ? { days: 1 } : g === 'week' ? { weeks: 1 } : { months: 1 });
    const clippedStart = start < DateTime.fromISO(from, { zone: 'UTC' }) ? from : start.toISODate()!;
    const lastDay = next.minus({ days: 1 });
    out.push({ periodStart: clippedStart, periodEnd: lastDay > end ? to : lastDay.toISODate()! });
    start = next;
  }
  return out;
}

const localDay = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toISODate()!;
const periodIndex = (periods: { periodStart: string; periodEnd: string }[], day: string) =>
  periods.findIndex((p) => p.periodStart <= day && day <= p.periodEnd);

interface MoneyPeriod {
  periodStart: string;
  periodEnd: string;
  payments: number;
  gross: number;
  accrued: number;
  refunds: number;
  refundedGross: number;
  reversed: number;
  paidOut: number;
  pending: number;
}

/** The money series of one party account in `zone`, per currency with activity up to `to`, recomputed in JS from raw entries. */
export function expectedMoney(
  entries: RawEntry[],
  zone: string,
  from: string,
  to: string,
  g: Granularity,
): Map<string, { opening: number; series: MoneyPeriod[] }> {
  const periods = periodsOf(from, to, g);
  const out = new Map<string, { opening: number; series: MoneyPeriod[] }>();
  const currencies = [...new Set(entries.filter((e) => localDay(e.createdAt, zone) <= to).map((e) => e.currency))].sort();
  for (const currency of currencies) {
    const mine = entries.filter((e) => e.currency === currency);
    const opening = 0 - mine.filter((e) => localDay(e.createdAt, zone) < from).reduce((s, e) => s + e.amountMinor, 0);
    const series: MoneyPeriod[] = periods.map((p) => ({
      ...p,
      payments: 0,
      gross: 0,
      accrued: 0,
      refunds: 0,
      refundedGross: 0,
      reversed: 0,
      paidOut: 0,
      pending: 0,
    }));
    for (const e of mine) {
      const i = periodIndex(periods, localDay(e.createdAt, zone));
      if (i < 0) continue;
      const p = series[i]!;
      if (e.kind === 'PAYMENT') {
        p.payments += 1;
        p.gross += e.grossMinor;
        p.accrued += -e.amountMinor;
      } else if (e.kind === 'REFUND') {
        p.refunds += 1;
        p.refundedGross += e.grossMinor;
        p.reversed += e.amountMinor;
      } else if (e.kind === 'PAYOUT') {
        p.paidOut += e.amountMinor;
      } else {
        p.paidOut += e.amountMinor; // a payout reversal credits the payable: negative, taking the payout back
      }
    }
    for (const p of series)
      p.pending = 0 - mine.filter((e) => localDay(e.createdAt, zone) <= p.periodEnd).reduce((s, e) => s + e.amountMinor, 0);
    out.set(currency, { opening, series });
  }
  return out;
}

/** The partner report's expected body (same shape as the endpoint's), from raw rows. */
export function expectedPartnerReport(
  entries: RawEntry[],
  referrals: { role: string; signedUpAt: Date; convertedAt: Date | null }[],
  zone: string,
  from: string,
  to: string,
  g: Granularity,
) {
  const periods = periodsOf(from, to, g);
  const counted = referrals.filter((r) => r.role === 'CLIENT' || r.role === 'LAWYER');
  const refSeries = periods.map((p) => ({
    ...p,
    clientsSignedUp: 0,
    lawyersSignedUp: 0,
    clientsConverted: 0,
    lawyersConverted: 0,
  }));
  for (const r of counted) {
    const s = periodIndex(periods, localDay(r.signedUpAt, zone));
    if (s >= 0) refSeries[s]![r.role === 'CLIENT' ? 'clientsSignedUp' : 'lawyersSignedUp'] += 1;
    if (r.convertedAt) {
      const c = periodIndex(periods, localDay(r.convertedAt, zone));
      if (c >= 0) refSeries[c]![r.role === 'CLIENT' ? 'clientsConverted' : 'lawyersConverted'] += 1;
    }
  }
  const total = (k: 'clientsSignedUp' | 'lawyersSignedUp' | 'clientsConverted' | 'lawyersConverted') =>
    refSeries.reduce((s, p) => s + p[k], 0);
  const cohort = counted.filter((r) => {
    const d = localDay(r.signedUpAt, zone);
    return from <= d && d <= to;
  });
  const convertedBy = (r: { convertedAt: Date | null }) => r.convertedAt !== null && localDay(r.convertedAt, zone) <= to;
  const step = (role: string) => ({
    signedUp: cohort.filter((r) => r.role === role).length,
    converted: cohort.filter((r) => r.role === role && convertedBy(r)).length,
  });
  const signedUp = cohort.length;
  const converted = cohort.filter(convertedBy).length;
  return {
    zone,
    from,
    to,
    granularity: g,
    referrals: {
      totals: {
        clientsSignedUp: total('clientsSignedUp'),
        lawyersSignedUp: total('lawyersSignedUp'),
        clientsConverted: total('clientsConverted'),
        lawyersConverted: total('lawyersConverted'),
      },
      series: refSeries,
    },
    funnel: {
      signedUp,
      converted,
      conversionRate: signedUp === 0 ? 0 : Math.round((converted / signedUp) * 10_000) / 10_000,
      byRole: { CLIENT: step('CLIENT'), LAWYER: step('LAWYER') },
    },
    currencies: [...expectedMoney(entries, zone, from, to, g)].map(([currency, { opening, series }]) => {
      const s = series.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        paidSessions: p.payments,
        grossVolumeMinor: p.gross,
        commissionAccruedMinor: p.accrued,
        commissionReversedMinor: p.reversed,
        paidOutMinor: p.paidOut,
        pendingMinor: p.pending,
      }));
      const sum = (k: keyof (typeof s)[number]) => s.reduce((acc, p) => acc + (p[k] as number), 0);
      return {
        currency,
        totals: {
          paidSessions: sum('paidSessions'),
          grossVolumeMinor: sum('grossVolumeMinor'),
          commissionAccruedMinor: sum('commissionAccruedMinor'),
          commissionReversedMinor: sum('commissionReversedMinor'),
          paidOutMinor: sum('paidOutMinor'),
          openingPendingMinor: opening,
          pendingMinor: s[s.length - 1]!.pendingMinor,
        },
        series: s,
      };
    }),
  };
}

/** The lawyer earnings' expected body, from raw rows. */
export function expectedLawyerEarnings(entries: RawEntry[], zone: string, from: string, to: string, g: Granularity) {
  return {
    zone,
    from,
    to,
    granularity: g,
    currencies: [...expectedMoney(entries, zone, from, to, g)].map(([currency, { opening, series }]) => {
      const s = series.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        paidSessions: p.payments,
        grossVolumeMinor: p.gross,
        platformFeesMinor: p.gross - p.accrued,
        refundsCount: p.refunds,
        refundedMinor: p.refundedGross,
        payableAccruedMinor: p.accrued,
        payableReversedMinor: p.reversed,
        paidOutMinor: p.paidOut,
        pendingMinor: p.pending,
      }));
      const sum = (k: keyof (typeof s)[number]) => s.reduce((acc, p) => acc + (p[k] as number), 0);
      return {
        currency,
        totals: {
          paidSessions: sum('paidSessions'),
          grossVolumeMinor: sum('grossVolumeMinor'),
          platformFeesMinor: sum('platformFeesMinor'),
          refundsCount: sum('refundsCount'),
          refundedMinor: sum('refundedMinor'),
          payableAccruedMinor: sum('payableAccruedMinor'),
          payableReversedMinor: sum('payableReversedMinor'),
          paidOutMinor: sum('paidOutMinor'),
          openingPendingMinor: opening,
          pendingMinor: s[s.length - 1]!.pendingMinor,
        },
        series: s,
      };
    }),
  };
}

/** Today in `zone` by the app's (moved) clock. */
export const todayIn = (t: TestApp, zone: string) => DateTime.fromJSDate(t.clock.now(), { zone }).toISODate()!;
