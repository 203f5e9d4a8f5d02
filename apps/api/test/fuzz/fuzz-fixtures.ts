import request from 'supertest';
import { SCOPES_BY_ROLE } from '@lm/domain';
import type { TestApp } from '../setup/test-app';
import { signUp } from '../factories/lawyers';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, scheduledViaApi, signedIn, slotAfter, DAY } from '../factories/sessions';
import { bearer, createUser, login, type TestUser } from '../factories/users';
import type { ValuePool } from './arbitraries';
import type { FuzzCaller } from './fuzz-runner';
import { completedViaApi, submitReview } from '../factories/reviews';
import { messageBody, noteBody, rekey, setUpKeys } from '../messaging/messaging-support';
import type { Caller } from '../factories/sessions';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Where the callers sign in again from (never used by generated cases, which use random addresses). */
const RENEW_ADDRESS = '203.0.113.77';

async function renewer(t: TestApp, user: { email: string; password: string }): Promise<() => Promise<string>> {
  const renew = async () => {
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: '/api/auth/login', payload: { email: user.email, password: user.password }, remoteAddress: RENEW_ADDRESS });
    if (res.statusCode !== 200) throw new Error(`fuzz caller ${user.email} could not sign in again: ${res.statusCode} ${res.body}`);
    return (JSON.parse(res.body) as { accessToken: string }).accessToken;
  };
  await renew(); // remembered as a known address for the account
  return renew;
}

/**
 * The suite's callers (anonymous, one per role, and an admin's API key) and the ids their data
 * owns: a verified lawyer with hours and an offering, paid sessions (one scheduled), a blackout,
 * contracts (a draft and a sent one) and their template, a throwaway account and API key. Caller accounts are never in the pool, so a generated
 * "suspend" or "revoke" cannot lock the suite out of itself.
 */
export async function fuzzFixtures(t: TestApp): Promise<{ callers: FuzzCaller[]; pool: ValuePool }> {
  const withRenew = async (name: string, role: string, user: TestUser | { email: string; password: string }, token: string): Promise<FuzzCaller> => ({
    name,
    role,
    authorization: `Bearer ${token}`,
    renew: await renewer(t, user),
  });

  const clientUser = await createUser(t, { role: 'CLIENT' });
  const adminUser = await createUser(t, { role: 'ADMIN' });
  const client = { id: clientUser.id, token: (await login(t, clientUser)).accessToken };
  const admin = { id: adminUser.id, token: (await login(t, adminUser)).accessToken };
  const lawyer = await createBookableLawyer(t);
  const otherLawyer = await createBookableLawyer(t, { offering: { currency: 'JPY', priceMinor: 5000, durationMinutes: 30 } });
  const partner = await signUp(t, 'PARTNER');

  const paid = await createSession(t, { clientId: client.id, lawyer });
  const unpaid = await createSession(t, { clientId: client.id, lawyer: otherLawyer, paid: false });
  const scheduled = await scheduledViaApi(t, client, lawyer, slotAfter(3 * DAY));
  const blackout = await request(t.server)
    .post('/api/lawyer/availability/blackouts')
    .set(bearer(lawyer.accessToken))
    .send({ startAt: new Date(Date.now() + 20 * DAY).toISOString(), endAt: new Date(Date.now() + 21 * DAY).toISOString(), reason: 'Holiday' });
  if (blackout.status !== 201) throw new Error(`blackout: ${blackout.status} ${JSON.stringify(blackout.body)}`);
  const overrideDate = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
  await request(t.server)
    .put(`/api/lawyer/availability/overrides/${overrideDate}`)
    .set(bearer(lawyer.accessToken))
    .send({ windows: [{ start: '09:00', end: '12:00' }] })
    .expect(200);

  // Support tickets: a plain one, and a no-show report of a session that started half an hour ago.
  const openTicket = (body: object) => request(t.server).post('/api/support/tickets').set(bearer(client.token)).send(body).expect(201);
  const ticket = await openTicket({ category: 'BILLING', sessionId: paid.id, description: 'A question about my invoice.' });
  const started = await createSession(t, { clientId: client.id, lawyer: otherLawyer });
  await scheduleDirectly(t, started.id, new Date(Date.now() - 30 * 60_000));
  const noShow = await openTicket({ category: 'NO_SHOW_LAWYER', sessionId: started.id, description: 'The lawyer never joined the call.' });

  // Contracts of the paid session: a draft and one sent for signature, from the seeded engagement letter.
  const templates = await request(t.server).get('/api/contract-templates').set(bearer(lawyer.accessToken)).expect(200);
  const engagement = (templates.body.items as { id: string; name: string; variables: { name: string }[] }[]).find((i) => i.name.startsWith('Engagement'))!;
  const contractValues = Object.fromEntries(engagement.variables.map((v) => [v.name, `Fuzz ${v.name}`]));
  const newContract = () =>
    request(t.server).post('/api/contracts').set(bearer(lawyer.accessToken)).send({ sessionId: paid.id, templateId: engagement.id, values: contractValues }).expect(201);
  const draftContract = await newContract();
  const sentContract = await newContract();
  await request(t.server).post(`/api/contracts/${sentContract.body.id as string}/send`).set(bearer(lawyer.accessToken)).expect(200);

  // Messaging: the paid session opened the client–lawyer conversation; both set up keys, it has an
  // epoch, a message, an attachment carried by it and the session's agenda, so reads return data.
  const conversation = await messagingFixture(t, client, asCaller(lawyer), paid.id);

  // Webhooks: the lawyer's endpoint (a closed local port: its deliveries fail and wait for a retry)
  // and a test event's delivery, so the endpoint and delivery reads, edits and replays find data.
  const hook = await request(t.server)
    .post('/api/webhooks/endpoints')
    .set(bearer(lawyer.accessToken))
    .send({ url: 'http://127.0.0.1:9/fuzz-hook', eventTypes: ['session.paid', 'session.scheduled'], description: 'Fuzz receiver' })
    .expect(201);
  const hookId = hook.body.id as string;
  const testDelivery = await request(t.server).post(`/api/webhooks/endpoints/${hookId}/test`).set(bearer(lawyer.accessToken)).expect(202);

  // Reviews: a completed session of the client with the lawyer, reviewed by both sides (published).
  const completed = await completedViaApi(t, client, lawyer);
  const clientReview = await submitReview(t, client, completed, { rating: 4, comment: 'Clear and well prepared advice.' }).expect(201);
  await submitReview(t, asCaller(lawyer), completed, { rating: 5, comment: 'Punctual and organised client.' }).expect(201);

  const throwaway = await createUser(t, { role: 'CLIENT' });
  const throwawayKey = await request(t.server).post('/api/api-keys').set(bearer(client.token)).send({ name: 'throwaway', scopes: [...SCOPES_BY_ROLE.CLIENT] }).expect(201);
  const adminKey = await request(t.server).post('/api/api-keys').set(bearer(admin.token)).send({ name: 'fuzz integration', scopes: [...SCOPES_BY_ROLE.ADMIN] }).expect(201);
  const otherSigned = await signedIn(t);

  const callers: FuzzCaller[] = [
    { name: 'anonymous' },
    await withRenew('CLIENT', 'CLIENT', clientUser, client.token),
    await withRenew('LAWYER', 'LAWYER', lawyer, asCaller(lawyer).token),
    await withRenew('PARTNER', 'PARTNER', partner, partner.accessToken),
    await withRenew('ADMIN', 'ADMIN', adminUser, admin.token),
    { name: 'API key (ADMIN)', role: 'ADMIN', authorization: `Bearer ${adminKey.body.key as string}` },
  ];
  const pool: ValuePool = {
    uuids: [
      otherLawyer.id,
      lawyer.offering.id,
      otherLawyer.offering.id,
      paid.id,
      unpaid.id,
      scheduled,
      blackout.body.id as string,
      throwaway.id,
      otherSigned.id,
      throwawayKey.body.id as string,
      ticket.body.id as string,
      noShow.body.id as string,
      engagement.id,
      draftContract.body.id as string,
      draftContract.body.currentVersion.id as string,
      sentContract.body.id as string,
      sentContract.body.currentVersion.id as string,
      conversation.conversationId,
      conversation.messageId,
      conversation.attachmentId,
      hookId,
      completed,
      clientReview.body.id as string,
      testDelivery.body.deliveryId as string,
    ],
    dates: [overrideDate],
  };
  return { callers, pool };
}

async function messagingFixture(t: TestApp, client: Caller, lawyer: Caller, sessionId: string): Promise<{ conversationId: string; messageId: string; attachmentId: string }> {
  const rows: { id: string }[] = await t.app.get(DataSource).query(`SELECT id FROM conversations WHERE client_id = $1 AND lawyer_id = $2`, [client.id, lawyer.id]);
  const conversationId = rows[0]!.id;
  const clientKeys = await setUpKeys(t, client);
  await setUpKeys(t, lawyer);
  const epoch = await rekey(t, clientKeys, conversationId, [client.id, lawyer.id]);
  const attachmentId = randomUUID();
  await request(t.server)
    .post(`/api/conversations/${conversationId}/attachments/${attachmentId}`)
    .set(bearer(client.token))
    .set('content-type', 'application/octet-stream')
    .send(randomBytes(64))
    .expect(201);
  const message = messageBody(conversationId, epoch, clientKeys.device, { attachmentIds: [attachmentId] });
  await request(t.server).post(`/api/conversations/${conversationId}/messages`).set(bearer(client.token)).send(message).expect(201);
  await request(t.server)
    .put(`/api/sessions/${sessionId}/notes/agenda`)
    .set(bearer(client.token))
    .send(noteBody(sessionId, conversationId, 'AGENDA', 1, epoch, clientKeys.device))
    .expect(200);
  return { conversationId, messageId: message.id, attachmentId };
}
