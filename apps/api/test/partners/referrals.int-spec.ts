import { TERMS_VERSION } from '@lm/domain';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { rawClient } from '../audit/audit-test-support';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login, strongPassword, uniqueEmail } from '../factories/users';
import { signUp } from '../factories/lawyers';

describe('partners: referral links and first-touch attribution', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', PUBLIC_URL: 'https://lex.example/' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const linkOf = async (token: string) => (await request(t.server).get('/api/partner/referral-link').set(bearer(token)).expect(200)).body as { code: string; url: string };
  const referralsOf = async (token: string) =>
    (await request(t.server).get('/api/partner/referrals').set(bearer(token)).expect(200)).body as {
      items: { id: string; maskedEmail: string; role: string; createdAt: string }[];
      total: number;
    };
  const referralRows = (userId: string) =>
    t.app.get(DataSource).query('SELECT partner_id AS "partnerId", role, code FROM referrals WHERE referred_user_id = $1', [userId]) as Promise<
      { partnerId: string; role: string; code: string }[]
    >;

  it('a partner gets a stable 8-character code at sign-up and a sign-up link under PUBLIC_URL', async () => {
    const partner = await signUp(t, 'PARTNER');
    const [row] = await t.app.get(DataSource).query('SELECT code FROM partner_referral_codes WHERE partner_id = $1', [partner.id]);
    expect(row.code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    const link = await linkOf(partner.accessToken);
    expect(link).toEqual({ code: row.code, url: `https://lex.example/sign-up?ref=${row.code}` });
    expect(await linkOf(partner.accessToken)).toEqual(link);

    // Partners created otherwise (admin, CLI) get theirs on first request.
    const direct = await createUser(t, { role: 'PARTNER' });
    const directLink = await linkOf((await login(t, direct)).accessToken);
    expect(directLink.code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
    expect(directLink.code).not.toBe(link.code);
  });

  it("a sign-up through a partner's code shows up in that partner's list (masked), not in another partner's; audited", async () => {
    const partnerA = await signUp(t, 'PARTNER');
    const partnerB = await signUp(t, 'PARTNER');
    const { code } = await linkOf(partnerA.accessToken);
    const client = await signUp(t, 'CLIENT', { referralCode: code.toLowerCase(), email: uniqueEmail('jane') });
    const lawyer = await signUp(t, 'LAWYER', { referralCode: code });

    const listA = await referralsOf(partnerA.accessToken);
    expect(listA.total).toBe(2);
    expect(listA.items.map((i) => [i.maskedEmail, i.role])).toEqual([
      [`${lawyer.email[0]}***@example.com`, 'LAWYER'],
      ['j***@example.com', 'CLIENT'],
    ]);
    expect(JSON.stringify(listA)).not.toContain(client.email);
    expect((await referralsOf(partnerB.accessToken)).total).toBe(0);

    expect(await referralRows(client.id)).toEqual([{ partnerId: partnerA.id, role: 'CLIENT', code }]);
    const audit = await t.app
      .get(DataSource)
      .query(`SELECT actor_id AS "actorId", payload FROM audit_events WHERE action = 'referral.attributed' AND payload->>'referredUserId' = $1`, [client.id]);
    expect(audit).toEqual([{ actorId: client.id, payload: { partnerId: partnerA.id, referredUserId: client.id, role: 'CLIENT', code } }]);
  });

  it('an unknown or malformed code does not block sign-up and records nothing', async () => {
    const partner = await signUp(t, 'PARTNER');
    const unknown = await signUp(t, 'CLIENT', { referralCode: 'ZZZZZZZZ' });
    const malformed = await signUp(t, 'CLIENT', { referralCode: 'ACME-LAW-2026' });
    expect(await referralRows(unknown.id)).toEqual([]);
    expect(await referralRows(malformed.id)).toEqual([]);
    expect((await referralsOf(partner.accessToken)).total).toBe(0);
  });

  it('a suspended partner’s code attributes nothing', async () => {
    const partner = await signUp(t, 'PARTNER');
    const { code } = await linkOf(partner.accessToken);
    await t.app.get(DataSource).query(`UPDATE users SET status = 'SUSPENDED' WHERE id = $1`, [partner.id]);
    const client = await signUp(t, 'CLIENT', { referralCode: code });
    expect(await referralRows(client.id)).toEqual([]);
  });

  it('no API call moves a referral: re-registering with another code, profile edits, other partners', async () => {
    const partnerA = await signUp(t, 'PARTNER');
    const partnerB = await signUp(t, 'PARTNER');
    const codeA = (await linkOf(partnerA.accessToken)).code;
    const codeB = (await linkOf(partnerB.accessToken)).code;
    const client = await signUp(t, 'CLIENT', { referralCode: codeA });

    const again = await request(t.server)
      .post('/api/auth/register')
      .send({ email: client.email.toUpperCase(), password: strongPassword(), displayName: 'Again', role: 'CLIENT', referralCode: codeB, acceptedTermsVersion: TERMS_VERSION })
      .expect(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
    await request(t.server).patch('/api/auth/me').set(bearer(client.accessToken)).send({ displayName: 'Renamed' }).expect(200);
    for (const method of ['put', 'patch', 'post', 'delete'] as const) {
      const res = await request(t.server)[method]('/api/partner/referrals').set(bearer(partnerB.accessToken)).send({ referredUserId: client.id });
      expect(res.status).toBe(404);
    }

    expect(await referralRows(client.id)).toEqual([{ partnerId: partnerA.id, role: 'CLIENT', code: codeA }]);
    expect((await referralsOf(partnerA.accessToken)).total).toBe(1);
    expect((await referralsOf(partnerB.accessToken)).total).toBe(0);
  });

  it('only partners see referral links and lists', async () => {
    const client = await signUp(t, 'CLIENT');
    await request(t.server).get('/api/partner/referrals').set(bearer(client.accessToken)).expect(403);
    await request(t.server).get('/api/partner/referral-link').expect(401);
  });
});

/** Done-when 3: the database itself refuses to change a referral, whoever connects. */
describe('referrals are append-only at the database level (raw SQL connection)', () => {
  let t: TestApp;
  let sql: Client;
  let referredUserId: string;
  let otherPartnerId: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    sql = await rawClient(t);
    const partner = await signUp(t, 'PARTNER');
    const other = await signUp(t, 'PARTNER');
    const { code } = (await request(t.server).get('/api/partner/referral-link').set(bearer(partner.accessToken)).expect(200)).body as { code: string };
    referredUserId = (await signUp(t, 'CLIENT', { referralCode: code })).id;
    otherPartnerId = other.id;
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  it.each([
    ['UPDATE (re-attribute)', () => `UPDATE referrals SET partner_id = '${otherPartnerId}' WHERE referred_user_id = '${referredUserId}'`],
    ['UPDATE matching no row', () => 'UPDATE referrals SET role = role WHERE false'],
    ['DELETE', () => 'DELETE FROM referrals'],
    ['TRUNCATE', () => 'TRUNCATE referrals'],
    ['TRUNCATE … CASCADE', () => 'TRUNCATE referrals CASCADE'],
  ])('%s is refused', async (_name, statement) => {
    const error = await sql.query(statement()).then(
      () => undefined,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe('23001');
    expect(error!.message).toMatch(/on table "referrals" is not allowed: it is append-only/);
    const rows = await sql.query('SELECT partner_id FROM referrals WHERE referred_user_id = $1', [referredUserId]);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].partner_id).not.toBe(otherPartnerId);
  });

  it('a second referral for the same user and self-referral are refused by constraints', async () => {
    const { rows } = await sql.query('SELECT partner_id, code FROM referrals WHERE referred_user_id = $1', [referredUserId]);
    await expect(
      sql.query(`INSERT INTO referrals (partner_id, referred_user_id, role, code) VALUES ($1, $2, 'CLIENT', $3)`, [otherPartnerId, referredUserId, rows[0].code]),
    ).rejects.toThrow(/uq_referrals_referred_user/);
    await expect(
      sql.query(`INSERT INTO referrals (partner_id, referred_user_id, role, code) VALUES ($1, $1, 'PARTNER', $2)`, [otherPartnerId, rows[0].code]),
    ).rejects.toThrow(/ck_referrals_not_self/);
  });
});
