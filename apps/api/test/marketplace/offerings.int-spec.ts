import request from 'supertest';
import { DataSource } from 'typeorm';
import { createMarketLawyer, createOffering, insertHeldSession, utcAt } from '../factories/marketplace';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

describe('lawyer offerings', () => {
  let t: TestApp;
  let sql: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  const audits = (offeringId: string) =>
    sql.query(
      `SELECT action, actor_id AS "actorId", payload FROM audit_events WHERE subject_type = 'offering' AND subject_id = $1 ORDER BY seq`,
      [offeringId],
    );

  it('creates, lists and edits the caller’s offerings, audited', async () => {
    const lawyer = await createMarketLawyer(t);
    const created = await request(t.server)
      .post('/api/lawyer/offerings')
      .set(bearer(lawyer.accessToken))
      .send({
        title: '  Contract review  ',
        description: 'Up to 20 pages.',
        durationMinutes: 45,
        priceMinor: 12_500,
        currency: 'USD',
      })
      .expect(201);
    expect(created.body).toMatchObject({
      title: 'Contract review',
      description: 'Up to 20 pages.',
      durationMinutes: 45,
      priceMinor: 12_500,
      currency: 'USD',
      active: true,
    });

    const edited = await request(t.server)
      .patch(`/api/lawyer/offerings/${created.body.id}`)
      .set(bearer(lawyer.accessToken))
      .send({ priceMinor: 15_000, active: false })
      .expect(200);
    expect(edited.body).toMatchObject({ title: 'Contract review', priceMinor: 15_000, active: false });

    const list = await request(t.server).get('/api/lawyer/offerings').set(bearer(lawyer.accessToken)).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: created.body.id, priceMinor: 15_000, active: false })]);

    expect(await audits(created.body.id)).toEqual([
      {
        action: 'offering.created',
        actorId: lawyer.id,
        payload: { title: 'Contract review', durationMinutes: 45, priceMinor: 12_500, currency: 'USD', active: true },
      },
      {
        action: 'offering.updated',
        actorId: lawyer.id,
        payload: { changes: { priceMinor: { from: 12_500, to: 15_000 }, active: { from: true, to: false } } },
      },
    ]);
    // An edit that changes nothing writes nothing.
    await request(t.server)
      .patch(`/api/lawyer/offerings/${created.body.id}`)
      .set(bearer(lawyer.accessToken))
      .send({ priceMinor: 15_000 })
      .expect(200);
    expect(await audits(created.body.id)).toHaveLength(2);
  });

  it.each([
    ['a duration under 15 minutes', { durationMinutes: 10 }],
    ['a duration over 240 minutes', { durationMinutes: 300 }],
    ['a fractional price', { priceMinor: 12.5 }],
    ['a price as a string', { priceMinor: '9000' }],
    ['a zero price', { priceMinor: 0 }],
    ['a lower-case currency', { currency: 'usd' }],
    ['an unknown currency', { currency: 'XYZ' }],
    ['a blank title', { title: '   ' }],
    ['a title over 120 characters', { title: 'x'.repeat(121) }],
    ['an unknown field', { lawyerId: '00000000-0000-4000-8000-000000000000' }],
  ])('refuses %s (400 VALIDATION_FAILED), on create and on edit', async (_label, bad) => {
    const lawyer = await createMarketLawyer(t, { offerings: [{}] });
    const body = { title: 'Initial consultation', durationMinutes: 60, priceMinor: 9000, currency: 'EUR', ...bad };
    const create = await request(t.server).post('/api/lawyer/offerings').set(bearer(lawyer.accessToken)).send(body).expect(400);
    expect(create.body.code).toBe('VALIDATION_FAILED');
    const edit = await request(t.server)
      .patch(`/api/lawyer/offerings/${lawyer.offerings[0]!.id}`)
      .set(bearer(lawyer.accessToken))
      .send(bad)
      .expect(400);
    expect(edit.body.code).toBe('VALIDATION_FAILED');
    expect((await request(t.server).get('/api/lawyer/offerings').set(bearer(lawyer.accessToken)).expect(200)).body).toHaveLength(
      1,
    );
  });

  it('another lawyer’s offering is a 404 and never listed', async () => {
    const owner = await createMarketLawyer(t, { offerings: [{ title: 'Owner’s offering' }] });
    const other = await createMarketLawyer(t);
    const res = await request(t.server)
      .patch(`/api/lawyer/offerings/${owner.offerings[0]!.id}`)
      .set(bearer(other.accessToken))
      .send({ priceMinor: 1 })
      .expect(404);
    expect(res.body.code).toBe('OFFERING_NOT_FOUND');
    expect((await request(t.server).get('/api/lawyer/offerings').set(bearer(other.accessToken)).expect(200)).body).toEqual([]);
    const [row] = await sql.query('SELECT price_minor::int AS price FROM offerings WHERE id = $1', [owner.offerings[0]!.id]);
    expect(row.price).toBe(9000);
    await request(t.server).patch('/api/lawyer/offerings/not-a-uuid').set(bearer(owner.accessToken)).send({}).expect(400);
  });

  it('editing an offering never changes a session already sold', async () => {
    const lawyer = await createMarketLawyer(t, {
      offerings: [{ title: 'Initial consultation', durationMinutes: 60, priceMinor: 9000, currency: 'EUR' }],
    });
    const offering = lawyer.offerings[0]!;
    const sessionId = await insertHeldSession(t, { lawyerId: lawyer.id, offering, startAt: utcAt(5, '10:00') });
    const frozen = () =>
      sql.query(
        `SELECT offering_id, offering_title, duration_minutes, price_minor::int AS price_minor, currency, start_at, end_at, status, version, updated_at
           FROM legal_sessions WHERE id = $1`,
        [sessionId],
      );
    const before = await frozen();
    await request(t.server)
      .patch(`/api/lawyer/offerings/${offering.id}`)
      .set(bearer(lawyer.accessToken))
      .send({ title: 'Extended consultation', durationMinutes: 90, priceMinor: 20_000, currency: 'USD', active: false })
      .expect(200);
    expect(await frozen()).toEqual(before);
    expect(before[0]).toMatchObject({
      offering_title: 'Initial consultation',
      duration_minutes: 60,
      price_minor: 9000,
      currency: 'EUR',
    });
  });

  it('has no delete: an offering is deactivated, and then it is no longer for sale or shown', async () => {
    const lawyer = await createMarketLawyer(t, {
      offerings: [
        { title: 'Kept', priceMinor: 5000 },
        { title: 'Retired', priceMinor: 3000 },
      ],
    });
    const [kept, retired] = lawyer.offerings;
    await request(t.server).delete(`/api/lawyer/offerings/${retired!.id}`).set(bearer(lawyer.accessToken)).expect(404);
    const before = await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200);
    expect(before.body.offerings.map((o: { title: string }) => o.title)).toEqual(['Retired', 'Kept']); // cheapest first

    await request(t.server)
      .patch(`/api/lawyer/offerings/${retired!.id}`)
      .set(bearer(lawyer.accessToken))
      .send({ active: false })
      .expect(200);
    const after = await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200);
    expect(after.body.offerings).toEqual([
      { id: kept!.id, title: 'Kept', description: '', durationMinutes: 60, priceMinor: 5000, currency: 'EUR' },
    ]);
    expect((await sql.query('SELECT count(*)::int AS n FROM offerings WHERE lawyer_id = $1', [lawyer.id]))[0].n).toBe(2);
  });

  it('the public profile is the verified lawyer’s, with offerings; pending lawyers stay hidden', async () => {
    const listed = await createMarketLawyer(t, {
      displayName: 'Mina Park',
      practiceAreas: ['tax'],
      offerings: [{ title: 'Tax check', currency: 'USD', priceMinor: 7000 }],
    });
    const res = await request(t.server).get(`/api/lawyers/${listed.id}`).expect(200);
    expect(res.body).toMatchObject({
      id: listed.id,
      displayName: 'Mina Park',
      practiceAreas: ['tax'],
      photoUrl: null,
      timeZone: null,
      nextAvailableAt: null,
    });
    expect(res.body.offerings).toEqual([expect.objectContaining({ title: 'Tax check', priceMinor: 7000, currency: 'USD' })]);
    expect(res.body).not.toHaveProperty('email');

    const pending = await createMarketLawyer(t, { status: 'PENDING_VERIFICATION', offerings: [{}] });
    expect((await request(t.server).get(`/api/lawyers/${pending.id}`).expect(404)).body.code).toBe('LAWYER_NOT_FOUND');
  });

  it('a lawyer keeps at most 20 offerings (409 OFFERING_LIMIT_REACHED)', async () => {
    const lawyer = await createMarketLawyer(t);
    await Promise.all(Array.from({ length: 20 }, (_, i) => createOffering(t, lawyer, { title: `Offering ${i}` })));
    const res = await request(t.server)
      .post('/api/lawyer/offerings')
      .set(bearer(lawyer.accessToken))
      .send({ title: 'One too many', durationMinutes: 60, priceMinor: 9000, currency: 'EUR' })
      .expect(409);
    expect(res.body.code).toBe('OFFERING_LIMIT_REACHED');
  });

  it('a lawyer who has not completed a profile can still prepare offerings (created on first use)', async () => {
    const fresh = await createUser(t, { role: 'LAWYER' });
    const { accessToken } = await login(t, fresh);
    await request(t.server)
      .post('/api/lawyer/offerings')
      .set(bearer(accessToken))
      .send({ title: 'First offering', durationMinutes: 30, priceMinor: 4000, currency: 'GBP' })
      .expect(201);
    // Not listed: the profile is pending verification.
    expect((await request(t.server).get(`/api/lawyers/${fresh.id}`).expect(404)).body.code).toBe('LAWYER_NOT_FOUND');
  });
});
