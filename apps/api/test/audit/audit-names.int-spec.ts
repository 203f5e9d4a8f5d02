import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { createTestApp, TestApp } from '../setup/test-app';
import { createBookableLawyer, createSession, signedIn, type Caller } from '../factories/sessions';

/** GET /api/admin/audit names actors and subjects (issue 11 #12) and filters by actor name and date. */
describe('audit list: names for actors and subjects, filters', () => {
  let t: TestApp;
  let admin: Caller;
  const tag = randomBytes(3).toString('hex');

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '10000', JOBS_ENABLED: 'false' });
    admin = await signedIn(t, { role: 'ADMIN', displayName: `Admin ${tag}` });
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query: Record<string, string | number>) =>
    (await request(t.server).get('/api/admin/audit').query(query).set('authorization', `Bearer ${admin.token}`).expect(200)).body;

  it('resolves the actor, a user/lawyer subject and a session subject (title and parties) to names', async () => {
    const client = await signedIn(t, { displayName: `Ana ${tag}` });
    const lawyer = await createBookableLawyer(t, { displayName: `Lawyer ${tag}`, offering: { title: `Divorce, "quick" ${tag}` } });
    const session = await createSession(t, { clientId: client.id, lawyer });
    await request(t.server).post(`/api/admin/users/${client.id}/suspend`).set('authorization', `Bearer ${admin.token}`).expect(200);

    const suspended = (await list({ action: 'user.suspended', subjectId: client.id })).items;
    expect(suspended).toHaveLength(1);
    expect(suspended[0]).toMatchObject({
      actorId: admin.id,
      actorName: `Admin ${tag}`,
      actorEmail: expect.stringContaining('@'),
      subjectType: 'user',
      subjectName: `Ana ${tag}`,
      subjectSession: null,
    });

    const paid = (await list({ subjectType: 'session', subjectId: session.id })).items;
    expect(paid.length).toBeGreaterThan(0);
    for (const entry of paid) {
      expect(entry.subjectName).toBe(`Divorce, "quick" ${tag}`);
      expect(entry.subjectSession).toEqual({ title: `Divorce, "quick" ${tag}`, clientName: `Ana ${tag}`, lawyerName: `Lawyer ${tag}` });
    }
  });

  it('filters by part of the actor’s name or email (case-insensitive, LIKE characters taken literally) and by date range', async () => {
    const actor = await signedIn(t, { displayName: `Zed_${tag}% Actor` });
    await request(t.server).patch('/api/auth/me').set('authorization', `Bearer ${actor.token}`).send({ displayName: `Zed_${tag}% Actor` }).expect(200);
    const byName = await list({ actor: `zed_${tag.toUpperCase()}%` });
    expect(byName.total).toBeGreaterThan(0);
    expect(byName.items.every((i: { actorId: string; actorName: string }) => i.actorId === actor.id && i.actorName === `Zed_${tag}% Actor`)).toBe(true);
    // `_` and `%` are not wildcards: "zed?tag" does not match.
    expect((await list({ actor: `zed-${tag}` })).total).toBe(0);
    expect((await list({ actor: `zed_${tag}` })).total).toBe(byName.total);

    const entry = byName.items[0];
    const at = new Date(entry.occurredAt);
    const inRange = await list({ actor: `zed_${tag}`, from: new Date(at.getTime() - 1000).toISOString(), to: new Date(at.getTime() + 1000).toISOString() });
    expect(inRange.items.map((i: { seq: number }) => i.seq)).toContain(entry.seq);
    const after = await list({ actor: `zed_${tag}`, from: new Date(at.getTime() + 60_000).toISOString() });
    expect(after.total).toBe(0);
  });
});
