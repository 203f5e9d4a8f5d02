import request from 'supertest';
import { DataSource } from 'typeorm';
import { createPaidSession, createSellableOffering, type SellableOffering } from '../factories/payments';
import { signUp, type SignedUpAccount } from '../factories/lawyers';
import { bearer, createUser, login, type TestUser } from '../factories/users';
import type { TestApp } from '../setup/test-app';

/** Sets business time to `iso` (forward or back): statements are cut on calendar months, so specs pin the date. */
export function setClock(t: TestApp, iso: string): void {
  t.clock.advance(Date.parse(iso) - t.clock.now().getTime());
}

export interface Payees {
  admin: TestUser & { accessToken: string };
  partner: SignedUpAccount;
  client: SignedUpAccount;
  lawyer: TestUser & { displayName: string; accessToken: string };
  offering: SellableOffering;
}

/**
 * A partner (Tokyo) who referred a client, and a lawyer (Warsaw) the client pays, through the
 * real paths: sign-up with the partner's referral code, and paid sessions through the payments
 * module's verified-event path, which posts the payment, the lawyer's payable and the partner's
 * commission to the ledger at the clock's now.
 */
export async function payeesWithMoney(
  t: TestApp,
  opts: { lawyerName?: string; partnerName?: string; payments?: number; priceMinor?: number; currency?: string } = {},
): Promise<Payees> {
  const sql = t.app.get(DataSource);
  const adminUser = await createUser(t, { role: 'ADMIN' });
  const admin = { ...adminUser, accessToken: (await login(t, adminUser)).accessToken };
  const partner = await signUp(t, 'PARTNER');
  const { code } = (await request(t.server).get('/api/partner/referral-link').set(bearer(partner.accessToken)).expect(200))
    .body as { code: string };
  const client = await signUp(t, 'CLIENT', { referralCode: code });
  const offering = await createSellableOffering(t, {
    displayName: opts.lawyerName ?? 'Łukasz Żółć',
    priceMinor: opts.priceMinor ?? 10_000,
    currency: opts.currency ?? 'EUR',
  });
  await sql.query(`UPDATE users SET display_name = $2, time_zone = 'Asia/Tokyo' WHERE id = $1`, [
    partner.id,
    opts.partnerName ?? '山田太郎',
  ]);
  await sql.query(`UPDATE users SET time_zone = 'Europe/Warsaw' WHERE id = $1`, [offering.lawyer.id]);
  for (let i = 0; i < (opts.payments ?? 2); i++) {
    await createPaidSession(t, {
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
  }
  const lawyer = { ...offering.lawyer, accessToken: (await login(t, offering.lawyer)).accessToken };
  return { admin, partner, client, lawyer, offering };
}

/** One more paid session of the same client with the same lawyer, at the clock's now. */
export async function payAgain(t: TestApp, p: Payees): Promise<void> {
  const o = p.offering;
  await createPaidSession(t, {
    clientId: p.client.id,
    lawyerId: o.lawyer.id,
    offering: {
      id: o.offeringId,
      title: o.title,
      durationMinutes: o.durationMinutes,
      priceMinor: o.priceMinor,
      currency: o.currency,
    },
  });
}

export interface StatementRowView {
  id: string;
  number: string;
  payeeId: string;
  payeeRole: string;
  account: string;
  currency: string;
  periodStart: string;
  periodEnd: string;
  zone: string;
  openingMinor: number;
  closingMinor: number;
  lineCount: number;
  csvSha256: string;
  pdfSha256: string;
  supersedesId: string | null;
}

/** The payee's statements as stored, oldest period first. */
export function statementsOf(t: TestApp, payeeId: string): Promise<StatementRowView[]> {
  return t.app.get(DataSource).query(
    `SELECT id, number, payee_id AS "payeeId", payee_role AS "payeeRole", account, currency,
            to_char(period_start, 'YYYY-MM-DD') AS "periodStart", to_char(period_end, 'YYYY-MM-DD') AS "periodEnd", zone,
            opening_minor::float8 AS "openingMinor", closing_minor::float8 AS "closingMinor", line_count AS "lineCount",
            csv_sha256 AS "csvSha256", pdf_sha256 AS "pdfSha256", supersedes_id AS "supersedesId"
       FROM statements WHERE payee_id = $1 ORDER BY period_start, issued_at`,
    [payeeId],
  );
}

/** What the ledger says the payee was owed at the end of `day` (independent of the statements module). */
export async function owedThrough(t: TestApp, payeeId: string, account: string, currency: string, day: string): Promise<number> {
  const rows: { owed: number }[] = await t.app.get(DataSource).query(
    `SELECT coalesce(-sum(amount_minor), 0)::float8 AS owed FROM ledger_entries
      WHERE party_id = $1 AND account = $2 AND currency = $3 AND local_day <= $4::date`,
    [payeeId, account, currency, day],
  );
  return rows[0]!.owed;
}

/** GET a file as raw bytes (supertest buffers text by default). */
export function download(t: TestApp, token: string, id: string, format?: 'csv' | 'pdf') {
  return request(t.server)
    .get(`/api/statements/${id}/file`)
    .query(format ? { format } : {})
    .set(bearer(token))
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
}
