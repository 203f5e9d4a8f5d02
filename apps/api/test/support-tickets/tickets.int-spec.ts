import request from 'supertest';
import { DataSource } from 'typeorm';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DESCRIPTION = 'Nobody showed up in the call for twenty minutes.';

/**
 * Support tickets over HTTP (issue 13): who may open what (no-show reports: own session, the
 * other side, from the start until 48 h after the end, once per session and side), the thread
 * between reporter and admins with its emails, the admins' queue and its status rules.
 */
describe('support tickets', () => {
  let t: TestApp;
  let sql: DataSource;
  let admin: Caller;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
    admin = await signedIn(t, { role: 'ADMIN', displayName: 'Admin Alice' });
  });
  afterEach(() => t.clock.reset());
  afterAll(async () => {
    await t?.close();
  });

  const post = (c: Caller, path: string, body: object = {}) => request(t.server).post(path).set(bearer(c.token)).send(body);
  const get = (c: Caller, path: string) => request(t.server).get(path).set(bearer(c.token));
  const open = (c: Caller, body: object) => post(c, '/api/support/tickets', body);

  /** A paid session of a fresh client with a fresh lawyer, scheduled to start `startInMinutes` from now (negative: started). */
  async function session(startInMinutes = -30): Promise<{ client: Caller; lawyer: BookableLawyer; sessionId: string }> {
    const client = await signedIn(t, { displayName: 'Carla Client' });
    const lawyer = await createBookableLawyer(t, { displayName: 'Larry Lawyer' });
    const s = await createSession(t, { clientId: client.id, lawyer });
    await scheduleDirectly(t, s.id, new Date(t.clock.now().getTime() + startInMinutes * MINUTE));
    return { client, lawyer, sessionId: s.id };
  }

  const emailOf = async (userId: string): Promise<string> => (await sql.query('SELECT email::text AS email FROM users WHERE id = $1', [userId]))[0].email;
  const mails = async (userId: string, template: string): Promise<{ subject: string; bodyText: string; bodyHtml: string }[]> =>
    sql.query(`SELECT subject, body_text AS "bodyText", body_html AS "bodyHtml" FROM email_outbox WHERE user_id = $1 AND template = $2 ORDER BY created_at, id`, [
      userId,
      template,
    ]);
  const ticketCount = async () => Number((await sql.query('SELECT count(*)::int AS n FROM support_tickets'))[0].n);
  const audit = async (ticketId: string) =>
    (await sql.query(`SELECT action FROM audit_events WHERE subject_type = 'support_ticket' AND subject_id = $1 ORDER BY seq`, [ticketId])).map(
      (r: { action: string }) => r.action,
    );

  it('opens a ticket for anyone signed in, shows it to its reporter only, and puts it in the admins’ queue with the reporter’s name', async () => {
    const reporter = await signedIn(t, { displayName: 'Rita Reporter' });
    const res = await open(reporter, { category: 'BILLING', description: '  I was charged twice for one session.  ' }).expect(201);
    expect(res.body).toMatchObject({
      category: 'BILLING',
      sessionId: null,
      subject: 'Billing question',
      description: 'I was charged twice for one session.',
      status: 'OPEN',
      resolution: null,
      messages: [],
    });
    const id = res.body.id as string;
    expect((await get(reporter, `/api/support/tickets/${id}`).expect(200)).body).toMatchObject({ id, messages: [] });
    const mine = (await get(reporter, '/api/support/tickets').expect(200)).body;
    expect(mine).toMatchObject({ total: 1, page: 1, items: [{ id }] });

    const stranger = await signedIn(t);
    for (const attempt of [await get(stranger, `/api/support/tickets/${id}`), await post(stranger, `/api/support/tickets/${id}/messages`, { body: 'hello' })]) {
      expect([attempt.status, attempt.body.code]).toEqual([404, 'SUPPORT_TICKET_NOT_FOUND']);
    }
    // An admin reads it in the queue, not through the reporter's route.
    expect((await get(admin, `/api/support/tickets/${id}`)).status).toBe(404);
    const detail = (await get(admin, `/api/admin/support/tickets/${id}`).expect(200)).body;
    expect(detail).toMatchObject({ id, reporter: { id: reporter.id, displayName: 'Rita Reporter', role: 'CLIENT' }, assignee: null, session: null, attendance: [] });
    expect(detail.events).toEqual([expect.objectContaining({ action: 'opened', actorId: reporter.id, actorName: 'Rita Reporter' })]);
    expect(await audit(id)).toEqual(['support.ticket_opened']);

    // Admin routes are for admins only.
    await request(t.server).get('/api/admin/support/tickets').expect(401);
    expect((await get(reporter, '/api/admin/support/tickets')).body.code).toBe('FORBIDDEN');
    expect((await post(reporter, `/api/admin/support/tickets/${id}/assign`)).status).toBe(403);
    await request(t.server).post('/api/support/tickets').send({ category: 'OTHER', description: DESCRIPTION }).expect(401);
  });

  it('refuses invalid input with 400 and writes nothing', async () => {
    const { client, sessionId } = await session();
    const before = await ticketCount();
    const bad: object[] = [
      {},
      { description: DESCRIPTION },
      { category: 'REFUND_ME', description: DESCRIPTION },
      { category: 'OTHER', description: 'too short' },
      { category: 'OTHER', description: '          x          ' },
      { category: 'OTHER', description: 'x'.repeat(5001) },
      { category: 'OTHER', description: DESCRIPTION, subject: 's'.repeat(141) },
      { category: 'OTHER', description: DESCRIPTION, sessionId: 'not-a-uuid' },
      { category: 'OTHER', description: DESCRIPTION, extra: true },
      { category: 'NO_SHOW_LAWYER', description: DESCRIPTION },
      { category: 'NO_SHOW_LAWYER', description: DESCRIPTION, sessionId: null },
      { category: 'OTHER', description: 12345678901 },
    ];
    for (const body of bad) {
      const res = await open(client, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'VALIDATION_FAILED' });
    }
    const created = (await open(client, { category: 'OTHER', description: DESCRIPTION, sessionId })).body.id as string;
    for (const body of [{}, { body: '   ' }, { body: 'x'.repeat(5001) }, { body: 42 }]) {
      expect((await post(client, `/api/support/tickets/${created}/messages`, body)).status).toBe(400);
    }
    expect((await get(client, '/api/support/tickets/not-a-uuid')).status).toBe(400);
    for (const body of [{ status: 'OPEN' }, { status: 'DONE' }, { status: 'RESOLVED', note: 'n'.repeat(2001) }]) {
      expect((await post(admin, `/api/admin/support/tickets/${created}/status`, body)).status).toBe(400);
    }
    for (const body of [{}, { decision: 'REFUND' }, { decision: 'DISMISS', note: 'n'.repeat(2001) }]) {
      expect((await post(admin, `/api/admin/support/tickets/${created}/no-show-resolution`, body)).status).toBe(400);
    }
    for (const q of ['status=DONE', 'category=X', 'assignee=someone', 'pageSize=0']) {
      expect((await get(admin, `/api/admin/support/tickets?${q}`)).status).toBe(400);
    }
    expect(await ticketCount()).toBe(before + 1);
  });

  it('answers 404 for someone else’s session (no-show or not) and 400 NO_SHOW_WRONG_SIDE for a report of one’s own side', async () => {
    const { client, lawyer, sessionId } = await session();
    const stranger = await signedIn(t);
    const otherLawyer = asCaller(await createBookableLawyer(t));
    const before = await ticketCount();
    for (const [who, category] of [
      [stranger, 'NO_SHOW_LAWYER'],
      [stranger, 'BILLING'],
      [otherLawyer, 'NO_SHOW_CLIENT'],
      [admin, 'NO_SHOW_LAWYER'],
    ] as const) {
      const res = await open(who, { category, sessionId, description: DESCRIPTION });
      expect([res.status, res.body.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    }
    for (const [who, category] of [
      [client, 'NO_SHOW_CLIENT'],
      [asCaller(lawyer), 'NO_SHOW_LAWYER'],
    ] as const) {
      const res = await open(who, { category, sessionId, description: DESCRIPTION });
      expect([res.status, res.body.code]).toEqual([400, 'NO_SHOW_WRONG_SIDE']);
    }
    expect(await ticketCount()).toBe(before);
  });

  it('takes a no-show report from the start until 48 hours after the scheduled end, and only for a held session', async () => {
    const early = await session(10);
    const tooEarly = await open(early.client, { category: 'NO_SHOW_LAWYER', sessionId: early.sessionId, description: DESCRIPTION });
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'NO_SHOW_REPORT_NOT_ALLOWED']);
    t.clock.advance(10 * MINUTE);
    await open(early.client, { category: 'NO_SHOW_LAWYER', sessionId: early.sessionId, description: DESCRIPTION }).expect(201);

    // Starts 30 minutes ago and lasts an hour: the report window closes 48 h after its end (in 30 min + 48 h).
    const late = await session(-30);
    t.clock.advance(30 * MINUTE + 48 * HOUR + MINUTE);
    const tooLate = await open(asCaller(late.lawyer), { category: 'NO_SHOW_CLIENT', sessionId: late.sessionId, description: DESCRIPTION });
    expect([tooLate.status, tooLate.body.code]).toEqual([409, 'NO_SHOW_REPORT_NOT_ALLOWED']);
    expect(tooLate.body.message).toContain('48 hours');
    t.clock.advance(-2 * MINUTE);
    await open(asCaller(late.lawyer), { category: 'NO_SHOW_CLIENT', sessionId: late.sessionId, description: DESCRIPTION }).expect(201);
    t.clock.reset();

    // A paid session with no time booked has nothing to miss.
    const client = await signedIn(t);
    const unscheduled = await createSession(t, { clientId: client.id, lawyer: await createBookableLawyer(t) });
    const res = await open(client, { category: 'NO_SHOW_LAWYER', sessionId: unscheduled.id, description: DESCRIPTION });
    expect([res.status, res.body.code]).toEqual([409, 'NO_SHOW_REPORT_NOT_ALLOWED']);
    // Other categories may name it.
    await open(client, { category: 'BILLING', sessionId: unscheduled.id, description: DESCRIPTION }).expect(201);
  });

  it('takes one report per session and side: concurrent duplicates → one 201 and the rest 409; the other side may still report', async () => {
    const { client, lawyer, sessionId } = await session();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => open(client, { category: 'NO_SHOW_LAWYER', sessionId, description: DESCRIPTION })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('NO_SHOW_ALREADY_REPORTED');
    const again = await open(client, { category: 'NO_SHOW_LAWYER', sessionId, description: DESCRIPTION });
    expect([again.status, again.body.code]).toEqual([409, 'NO_SHOW_ALREADY_REPORTED']);
    const other = await open(asCaller(lawyer), { category: 'NO_SHOW_CLIENT', sessionId, description: DESCRIPTION }).expect(201);
    expect(other.body.subject).toBe('The client did not attend: Initial consultation');
    const rows = await sql.query('SELECT category FROM support_tickets WHERE session_id = $1 ORDER BY category', [sessionId]);
    expect(rows).toEqual([{ category: 'NO_SHOW_CLIENT' }, { category: 'NO_SHOW_LAWYER' }]);
  });

  it('keeps a thread between reporter and admins, emailing the other side without anyone’s address, signed by the support team', async () => {
    const reporter = await signedIn(t, { displayName: 'Rita Reporter' });
    const otherAdmin = await signedIn(t, { role: 'ADMIN', displayName: 'Admin Bob' });
    const [reporterEmail, adminEmail] = await Promise.all([emailOf(reporter.id), emailOf(admin.id)]);
    const id = (await open(reporter, { category: 'TECHNICAL', subject: 'Camera', description: 'My camera does not work in the call.' }).expect(201)).body.id;

    // Unassigned: every admin hears of the reporter's message.
    const first = await post(reporter, `/api/support/tickets/${id}/messages`, { body: '  It says "permission denied".  ' }).expect(201);
    expect(first.body).toMatchObject({ authorRole: 'CLIENT', authorName: 'Rita Reporter', body: 'It says "permission denied".' });
    for (const a of [admin, otherAdmin]) {
      const [mail] = await mails(a.id, 'support.message_from_reporter');
      expect(mail!.subject).toBe('New message on a support ticket: Camera');
      expect(mail!.bodyText).toContain('Rita Reporter wrote');
      expect(mail!.bodyText).toContain('It says "permission denied".');
      expect(mail!.bodyText).toContain(`/admin/support/${id}`);
      expect(mail!.bodyText).not.toContain(reporterEmail);
      expect(mail!.bodyHtml).not.toContain(reporterEmail);
    }

    // Assigned: only the assignee.
    const assigned = (await post(admin, `/api/admin/support/tickets/${id}/assign`).expect(200)).body;
    expect(assigned).toMatchObject({ status: 'IN_PROGRESS', assignee: { id: admin.id, displayName: 'Admin Alice' } });
    await post(reporter, `/api/support/tickets/${id}/messages`, { body: 'Any news?' }).expect(201);
    expect(await mails(admin.id, 'support.message_from_reporter')).toHaveLength(2);
    expect(await mails(otherAdmin.id, 'support.message_from_reporter')).toHaveLength(1);

    // The admin answers: the reporter is told, by the support team, never by the admin's name or address.
    const answer = await post(admin, `/api/admin/support/tickets/${id}/messages`, { body: 'Please allow camera access in the browser.' }).expect(201);
    expect(answer.body).toMatchObject({ authorRole: 'ADMIN', authorName: 'Admin Alice' });
    const [toReporter] = await mails(reporter.id, 'support.message_from_admin');
    expect(toReporter!.subject).toBe('Support replied: Camera');
    expect(toReporter!.bodyText).toContain('Please allow camera access in the browser.');
    expect(toReporter!.bodyText).toContain(`/support/tickets/${id}`);
    for (const hidden of [adminEmail, 'Admin Alice']) {
      expect(toReporter!.bodyText).not.toContain(hidden);
      expect(toReporter!.bodyHtml).not.toContain(hidden);
      expect(toReporter!.subject).not.toContain(hidden);
    }
    const inApp = await sql.query(`SELECT kind FROM notifications WHERE user_id = $1 ORDER BY created_at`, [reporter.id]);
    expect(inApp).toEqual([{ kind: 'support.message_from_admin' }]);

    const thread = (await get(reporter, `/api/support/tickets/${id}`).expect(200)).body.messages;
    expect(thread.map((m: { authorName: string; body: string }) => [m.authorName, m.body])).toEqual([
      ['Rita Reporter', 'It says "permission denied".'],
      ['Rita Reporter', 'Any news?'],
      ['LexMarket support', 'Please allow camera access in the browser.'],
    ]);
    const adminView = (await get(admin, `/api/admin/support/tickets/${id}`).expect(200)).body;
    expect(adminView.messages.map((m: { authorName: string }) => m.authorName)).toEqual(['Rita Reporter', 'Rita Reporter', 'Admin Alice']);
    expect(adminView.lastMessageAt).toEqual(answer.body.createdAt);
    expect(await audit(id)).toEqual(['support.ticket_opened', 'support.message_posted', 'support.ticket_assigned', 'support.message_posted', 'support.message_posted']);

    // The thread and the history are append-only in the database.
    for (const statement of ['UPDATE support_messages SET body = body', 'DELETE FROM support_messages', 'TRUNCATE support_messages', 'DELETE FROM support_ticket_events']) {
      await expect(sql.query(statement)).rejects.toThrow(/append-only/);
    }
  });

  it('moves tickets OPEN → IN_PROGRESS → RESOLVED/REJECTED, tells the reporter when closed, and keeps closed tickets closed', async () => {
    const reporter = await signedIn(t);
    const id = (await open(reporter, { category: 'BILLING', subject: 'Invoice', description: 'I need an invoice for my session.' }).expect(201)).body.id;

    const progressing = (await post(admin, `/api/admin/support/tickets/${id}/status`, { status: 'IN_PROGRESS' }).expect(200)).body;
    expect(progressing).toMatchObject({ status: 'IN_PROGRESS', assignee: null, resolvedAt: null });
    // The same status again changes nothing.
    await post(admin, `/api/admin/support/tickets/${id}/status`, { status: 'IN_PROGRESS' }).expect(200);
    const resolved = (await post(admin, `/api/admin/support/tickets/${id}/status`, { status: 'RESOLVED', note: 'Sent by email.' }).expect(200)).body;
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolution: null, resolutionNote: 'Sent by email.', resolvedAt: expect.any(String) });
    const [mail] = await mails(reporter.id, 'support.ticket_resolved');
    expect(mail!.subject).toBe('Resolved: Invoice');
    expect(mail!.bodyText).toContain('Note from the support team: Sent by email.');

    for (const [path, body] of [
      ['status', { status: 'IN_PROGRESS' }],
      ['status', { status: 'REJECTED' }],
      ['assign', {}],
    ] as const) {
      const res = await post(admin, `/api/admin/support/tickets/${id}/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 409, 'TICKET_CLOSED']);
    }
    const notNoShow = await post(admin, `/api/admin/support/tickets/${id}/no-show-resolution`, { decision: 'DISMISS' });
    expect([notNoShow.status, notNoShow.body.code]).toEqual([409, 'NOT_A_NO_SHOW_TICKET']);
    expect(resolved.events.map((e: { action: string; payload: { to?: string } }) => [e.action, e.payload.to])).toEqual([
      ['opened', undefined],
      ['status_changed', 'IN_PROGRESS'],
      ['status_changed', 'RESOLVED'],
    ]);
    expect(await audit(id)).toEqual(['support.ticket_opened', 'support.ticket_status_changed', 'support.ticket_status_changed']);

    // A no-show report closes only through a decision.
    const { client, sessionId } = await session();
    const report = (await open(client, { category: 'NO_SHOW_LAWYER', sessionId, description: DESCRIPTION }).expect(201)).body.id;
    await post(admin, `/api/admin/support/tickets/${report}/status`, { status: 'IN_PROGRESS' }).expect(200);
    for (const status of ['RESOLVED', 'REJECTED']) {
      const res = await post(admin, `/api/admin/support/tickets/${report}/status`, { status });
      expect([res.status, res.body.code]).toEqual([409, 'NO_SHOW_DECISION_REQUIRED']);
    }
    for (const [path, body] of [
      ['assign', {}],
      ['messages', { body: 'x' }],
      ['status', { status: 'IN_PROGRESS' }],
      ['no-show-resolution', { decision: 'DISMISS' }],
    ] as const) {
      const res = await post(admin, `/api/admin/support/tickets/00000000-0000-4000-8000-000000000000/${path}`, body);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'SUPPORT_TICKET_NOT_FOUND']);
    }
  });

  it('filters the queue by status, category and assignee, most recent activity first', async () => {
    const reporter = await signedIn(t);
    const tag = `${Date.now()}`;
    const openOne = async (category: string) =>
      (await open(reporter, { category, subject: `${category} ${tag}`, description: DESCRIPTION }).expect(201)).body.id as string;
    const abuse = await openOne('ABUSE');
    const other = await openOne('OTHER');
    const technical = await openOne('TECHNICAL');
    await post(admin, `/api/admin/support/tickets/${abuse}/assign`).expect(200);
    const ids = async (query: string) =>
      ((await get(admin, `/api/admin/support/tickets?pageSize=100&${query}`).expect(200)).body.items as { id: string }[])
        .map((i) => i.id)
        .filter((id) => [abuse, other, technical].includes(id));

    // Newest activity first: the assignment made ABUSE the most recent.
    expect(await ids('')).toEqual([abuse, technical, other]);
    await post(reporter, `/api/support/tickets/${other}/messages`, { body: 'Bumping this.' }).expect(201);
    expect(await ids('')).toEqual([other, abuse, technical]);
    expect(await ids('assignee=me')).toEqual([abuse]);
    expect(await ids('assignee=unassigned')).toEqual([other, technical]);
    expect(await ids('status=IN_PROGRESS')).toEqual([abuse]);
    expect(await ids('status=OPEN&category=TECHNICAL')).toEqual([technical]);
    expect(await ids('category=BILLING')).toEqual([]);
    const otherAdmin = await signedIn(t, { role: 'ADMIN' });
    expect((await get(otherAdmin, '/api/admin/support/tickets?assignee=me').expect(200)).body).toMatchObject({ items: [], total: 0 });

    const page = (await get(admin, '/api/admin/support/tickets?page=1&pageSize=2').expect(200)).body;
    expect(page).toMatchObject({ page: 1, pageSize: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.total).toBeGreaterThanOrEqual(3);
    // (Other specs' tickets share the queue, some stamped at a moved clock: compare the order, not the ids.)
    expect(Date.parse(page.items[0].updatedAt)).toBeGreaterThanOrEqual(Date.parse(page.items[1].updatedAt));
  });
});
