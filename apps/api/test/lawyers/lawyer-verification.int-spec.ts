import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login } from '../factories/users';
import { signUp, VALID_PROFILE } from '../factories/lawyers';
import { rawClient } from '../audit/audit-test-support';

describe('lawyer profiles: only verified lawyers are visible', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    adminToken = (await login(t, await createUser(t, { role: 'ADMIN' }))).accessToken;
  });
  afterAll(async () => {
    await t?.close();
  });

  const auditOf = (subjectId: string) =>
    t.app
      .get(DataSource)
      .query(
        `SELECT action, actor_id AS "actorId", payload FROM audit_events WHERE subject_type = 'lawyer' AND subject_id = $1 ORDER BY seq`,
        [subjectId],
      ) as Promise<{ action: string; actorId: string; payload: Record<string, unknown> }[]>;

  it('sign-up creates a pending profile in the same transaction; the lawyer sees it, nobody else does', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const rows = await t.app.get(DataSource).query('SELECT status FROM lawyer_profiles WHERE user_id = $1', [lawyer.id]);
    expect(rows).toEqual([{ status: 'PENDING_VERIFICATION' }]);

    const own = await request(t.server).get('/api/lawyer/profile').set(bearer(lawyer.accessToken)).expect(200);
    expect(own.body).toMatchObject({
      userId: lawyer.id,
      status: 'PENDING_VERIFICATION',
      rejectionReason: null,
      verifiedAt: null,
    });

    const client = await signUp(t, 'CLIENT');
    for (const headers of [{}, bearer(client.accessToken)]) {
      const res = await request(t.server).get(`/api/lawyers/${lawyer.id}`).set(headers).expect(404);
      expect(res.body.code).toBe('LAWYER_NOT_FOUND');
    }
    // Same answer as for an id that does not exist at all.
    const none = await request(t.server).get('/api/lawyers/00000000-0000-4000-8000-000000000000').expect(404);
    expect(none.body.code).toBe('LAWYER_NOT_FOUND');
  });

  it('lawyer edits → admin sees it in the queue → verifies (audited) → publicly visible', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const put = await request(t.server)
      .put('/api/lawyer/profile')
      .set(bearer(lawyer.accessToken))
      .send(VALID_PROFILE)
      .expect(200);
    expect(put.body).toMatchObject({ ...VALID_PROFILE, status: 'PENDING_VERIFICATION' });

    const queue = await request(t.server)
      .get('/api/admin/lawyers?status=PENDING_VERIFICATION&pageSize=100')
      .set(bearer(adminToken))
      .expect(200);
    expect(queue.body.total).toBeGreaterThanOrEqual(1);
    expect(queue.body.items.map((i: { userId: string }) => i.userId)).toContain(lawyer.id);
    expect(queue.body.items.every((i: { status: string }) => i.status === 'PENDING_VERIFICATION')).toBe(true);
    expect(queue.body.items.find((i: { userId: string }) => i.userId === lawyer.id)).toMatchObject({
      email: lawyer.email,
      accountStatus: 'ACTIVE',
    });

    const verified = await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(200);
    expect(verified.body).toMatchObject({ status: 'VERIFIED', rejectionReason: null });
    expect(verified.body.verifiedAt).toEqual(expect.any(String));

    const pub = await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200);
    expect(pub.body).toMatchObject({
      id: lawyer.id,
      displayName: 'Test LAWYER',
      practiceAreas: ['family', 'immigration'],
      languages: ['es', 'en'],
      photoUrl: null,
    });
    expect(pub.body).not.toHaveProperty('email');
    expect(pub.body).not.toHaveProperty('status');

    const audit = await auditOf(lawyer.id);
    expect(audit.map((a) => a.action)).toEqual(['lawyer.profile_updated', 'lawyer.verified']);
    expect(audit[1]!.payload).toEqual({ from: 'PENDING_VERIFICATION', to: 'VERIFIED' });

    // Verifying again is not a legal transition.
    const again = await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(409);
    expect(again.body.code).toBe('LAWYER_STATUS_CONFLICT');

    // A suspended lawyer disappears even though verified.
    await request(t.server).post(`/api/admin/users/${lawyer.id}/suspend`).set(bearer(adminToken)).expect(200);
    await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(404);
  });

  it('the queue lists the oldest sign-up first; the verified list the latest decision first', async () => {
    const first = await signUp(t, 'LAWYER');
    const second = await signUp(t, 'LAWYER');
    for (const l of [first, second])
      await request(t.server).put('/api/lawyer/profile').set(bearer(l.accessToken)).send(VALID_PROFILE).expect(200);
    const ids = (body: { items: { userId: string }[] }) =>
      body.items.map((i) => i.userId).filter((id) => id === first.id || id === second.id);
    const queue = await request(t.server)
      .get('/api/admin/lawyers?status=PENDING_VERIFICATION&pageSize=100')
      .set(bearer(adminToken))
      .expect(200);
    expect(ids(queue.body)).toEqual([first.id, second.id]);
    await request(t.server).post(`/api/admin/lawyers/${second.id}/verify`).set(bearer(adminToken)).expect(200);
    await request(t.server).post(`/api/admin/lawyers/${first.id}/verify`).set(bearer(adminToken)).expect(200);
    const verified = await request(t.server)
      .get('/api/admin/lawyers?status=VERIFIED&pageSize=100')
      .set(bearer(adminToken))
      .expect(200);
    expect(ids(verified.body)).toEqual([first.id, second.id]);
    expect(verified.body.items[0].userId).toBe(first.id);
  });

  it('reject with a reason → still invisible; editing moves it back to pending; rejected cannot be verified directly', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const blank = await request(t.server)
      .post(`/api/admin/lawyers/${lawyer.id}/reject`)
      .set(bearer(adminToken))
      .send({ reason: '  ' })
      .expect(400);
    expect(blank.body.code).toBe('VALIDATION_FAILED');

    const rejected = await request(t.server)
      .post(`/api/admin/lawyers/${lawyer.id}/reject`)
      .set(bearer(adminToken))
      .send({ reason: 'Bar number not found in the register' })
      .expect(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'Bar number not found in the register' });
    await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(404);

    const own = await request(t.server).get('/api/lawyer/profile').set(bearer(lawyer.accessToken)).expect(200);
    expect(own.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'Bar number not found in the register' });

    const direct = await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(409);
    expect(direct.body.code).toBe('LAWYER_STATUS_CONFLICT');

    const edited = await request(t.server)
      .put('/api/lawyer/profile')
      .set(bearer(lawyer.accessToken))
      .send({ ...VALID_PROFILE, barNumber: 'ICAM-84214' })
      .expect(200);
    expect(edited.body).toMatchObject({ status: 'PENDING_VERIFICATION', rejectionReason: null, barNumber: 'ICAM-84214' });
    await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(404);

    const audit = await auditOf(lawyer.id);
    expect(audit.map((a) => a.action)).toEqual(['lawyer.rejected', 'lawyer.profile_updated']);
    expect(audit[0]).toMatchObject({
      payload: { from: 'PENDING_VERIFICATION', to: 'REJECTED', reason: 'Bar number not found in the register' },
    });
    expect(audit[1]!.payload).toEqual({ from: 'REJECTED', to: 'PENDING_VERIFICATION' });

    await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(200);
    await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200);
  });

  it('a verified lawyer who changes the bar number goes back to pending; other edits keep them verified', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.accessToken)).send(VALID_PROFILE).expect(200);
    await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(200);
    const bio = await request(t.server)
      .put('/api/lawyer/profile')
      .set(bearer(lawyer.accessToken))
      .send({ ...VALID_PROFILE, bio: 'Updated bio' })
      .expect(200);
    expect(bio.body.status).toBe('VERIFIED');
    const bar = await request(t.server)
      .put('/api/lawyer/profile')
      .set(bearer(lawyer.accessToken))
      .send({ ...VALID_PROFILE, barNumber: 'NEW-1' })
      .expect(200);
    expect(bar.body).toMatchObject({ status: 'PENDING_VERIFICATION', verifiedAt: null });
    await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(404);
  });

  it('refuses practice areas outside the curated list, bad language codes and an over-long bio', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    for (const [field, value] of [
      ['practiceAreas', ['maritime']],
      ['languages', ['spanish']],
      ['bio', 'x'.repeat(4001)],
    ] as const) {
      const res = await request(t.server)
        .put('/api/lawyer/profile')
        .set(bearer(lawyer.accessToken))
        .send({ ...VALID_PROFILE, [field]: value })
        .expect(400);
      expect(res.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    // The database refuses them too, whoever writes.
    const sql = await rawClient(t);
    try {
      await expect(
        sql.query(`UPDATE lawyer_profiles SET practice_areas = '{maritime}' WHERE user_id = $1`, [lawyer.id]),
      ).rejects.toThrow(/ck_lawyer_profiles_practice_areas/);
      await expect(sql.query(`UPDATE lawyer_profiles SET languages = '{EN}' WHERE user_id = $1`, [lawyer.id])).rejects.toThrow(
        /ck_lawyer_profiles_languages/,
      );
    } finally {
      await sql.end();
    }
  });

  it('only admins decide: lawyers, clients and partners get 403, and nothing changes', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    for (const role of ['CLIENT', 'LAWYER', 'PARTNER'] as const) {
      const caller = role === 'LAWYER' ? lawyer : await signUp(t, role);
      const res = await request(t.server)
        .post(`/api/admin/lawyers/${lawyer.id}/verify`)
        .set(bearer(caller.accessToken))
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await request(t.server)
        .post(`/api/admin/lawyers/${lawyer.id}/reject`)
        .set(bearer(caller.accessToken))
        .send({ reason: 'x' })
        .expect(403);
      await request(t.server).get('/api/admin/lawyers').set(bearer(caller.accessToken)).expect(403);
    }
    await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).expect(401);
    expect((await request(t.server).get('/api/lawyer/profile').set(bearer(lawyer.accessToken))).body.status).toBe(
      'PENDING_VERIFICATION',
    );
    expect(await auditOf(lawyer.id)).toEqual([]);
  });

  it('an admin decision about a non-lawyer is a 404; accounts created without sign-up get a profile on first use', async () => {
    const client = await signUp(t, 'CLIENT');
    const res = await request(t.server).post(`/api/admin/lawyers/${client.id}/verify`).set(bearer(adminToken)).expect(404);
    expect(res.body.code).toBe('LAWYER_NOT_FOUND');

    const direct = await createUser(t, { role: 'LAWYER' });
    const token = (await login(t, direct)).accessToken;
    const own = await request(t.server).get('/api/lawyer/profile').set(bearer(token)).expect(200);
    expect(own.body).toMatchObject({ userId: direct.id, status: 'PENDING_VERIFICATION', barNumber: null, practiceAreas: [] });
  });
});
