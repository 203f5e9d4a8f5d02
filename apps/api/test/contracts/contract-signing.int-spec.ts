import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/modules/audit';
import { ContractDocuments } from '../../src/modules/contracts/contract-documents.service';
import { ContractSealer } from '../../src/modules/contracts/render/pdf-seal';
import { ContractExpiry } from '../../src/modules/contracts';
import { asCaller, createBookableLawyer, signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import {
  auditOf,
  draftContract,
  ENGAGEMENT,
  partiesWithPaidSession,
  platformTemplate,
  sendContract,
  sentAndViewed,
  signRequest,
  view,
  type ContractView,
  type Parties,
} from './contracts-support';

/**
 * Issue 15, Done when 3: a signature binds the current version's SHA-256 (a stale hash is a
 * 409), a party signs once (409), a non-party gets 404, and of 10 concurrent final signatures
 * exactly one executes the contract: one EXECUTED transition, one executed (sealed) PDF, one
 * `contract.executed` audit entry. Also the lifecycle around it: versions chained by hash,
 * sending, viewing before signing, consent, declining, voiding, expiry and the messages.
 */
describe('contract signing: bound to the version hash, once per party, one execution', () => {
  let t: TestApp;
  let p: Parties;
  let stranger: Caller & { name: string };
  let otherLawyer: Caller & { name: string };

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    p = await partiesWithPaidSession(t);
    stranger = { ...(await signedIn(t, { displayName: 'Eve Stranger' })), name: 'Eve Stranger' };
    const other = await createBookableLawyer(t, { displayName: 'Other Lawyer' });
    otherLawyer = { ...asCaller(other), name: 'Other Lawyer' };
  });
  afterAll(async () => {
    await t?.close();
  });

  const sql = () => t.app.get(DataSource);
  const get = (who: Caller, id: string) => request(t.server).get(`/api/contracts/${id}`).set(bearer(who.token));

  it('each draft save is a new version chained to the previous one by hash; the client sees nothing until it is sent', async () => {
    const draft = await draftContract(t, p);
    expect(draft).toMatchObject({ status: 'DRAFT', currentVersion: { number: 1, previousSha256: null } });
    expect(draft.number).toMatch(/^C-\d{4}-\d{6}$/);
    // The template it was made from, for the draft editor's live preview.
    expect(draft.templateId).toBe((await platformTemplate(t, p.lawyer, ENGAGEMENT)).id);
    expect(draft.parties.map((x) => [x.role, x.name])).toEqual([
      ['LAWYER', p.lawyer.name],
      ['CLIENT', p.client.name],
    ]);
    const v2 = await request(t.server)
      .put(`/api/contracts/${draft.id}/draft`)
      .set(bearer(p.lawyer.token))
      .send({
        title: 'Engagement — tenancy',
        values: { ...draft.currentVersion.variables, scope: 'Tenancy dispute and deposit' },
      })
      .expect(200);
    expect(v2.body.currentVersion).toMatchObject({ number: 2, previousSha256: draft.currentVersion.sha256 });
    expect(v2.body.currentVersion.sha256).not.toBe(draft.currentVersion.sha256);
    expect(v2.body.versions.map((v: { number: number }) => v.number)).toEqual([1, 2]);
    expect(v2.body.title).toBe('Engagement — tenancy');

    await get(p.client, draft.id).expect(404);
    const clientList = await request(t.server).get('/api/contracts').set(bearer(p.client.token)).expect(200);
    expect(clientList.body.items.map((c: { id: string }) => c.id)).not.toContain(draft.id);
    // A draft cannot be viewed or signed.
    const notSignable = await request(t.server)
      .post(`/api/contracts/${draft.id}/viewed`)
      .set(bearer(p.lawyer.token))
      .send({ versionSha256: v2.body.currentVersion.sha256 })
      .expect(409);
    expect(notSignable.body.code).toBe('CONTRACT_NOT_SIGNABLE');

    const sent = await sendContract(t, p, draft.id);
    expect(sent).toMatchObject({ status: 'SENT' });
    expect(Date.parse(sent.expiresAt!) - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    const seen = await get(p.client, draft.id).expect(200);
    expect(seen.body.allowedActions).toMatchObject({
      view: true,
      sign: true,
      decline: true,
      edit: false,
      send: false,
      void: false,
    });
    // Sent: the version is frozen.
    const frozen = await request(t.server)
      .put(`/api/contracts/${draft.id}/draft`)
      .set(bearer(p.lawyer.token))
      .send({ values: draft.currentVersion.variables })
      .expect(409);
    expect(frozen.body.code).toBe('CONTRACT_NOT_DRAFT');
    const notifications = await sql().query(
      `SELECT kind, params FROM notifications WHERE user_id = $1 AND kind = 'contract.sign_requested'`,
      [p.client.id],
    );
    expect(notifications).toEqual([
      {
        kind: 'contract.sign_requested',
        params: expect.objectContaining({ contractId: draft.id, counterpartName: p.lawyer.name }),
      },
    ]);
  });

  it('signing a stale version is 409 CONTRACT_VERSION_STALE; signing before viewing 409 CONTRACT_NOT_VIEWED; consent is required', async () => {
    const draft = await draftContract(t, p);
    const v2 = (
      await request(t.server)
        .put(`/api/contracts/${draft.id}/draft`)
        .set(bearer(p.lawyer.token))
        .send({ values: { ...draft.currentVersion.variables, fee: '260.00 PLN' } })
        .expect(200)
    ).body as ContractView;
    await sendContract(t, p, draft.id);
    // The client read version 1 (e.g. an old tab): its hash is not the current version's.
    const staleView = await request(t.server)
      .post(`/api/contracts/${draft.id}/viewed`)
      .set(bearer(p.client.token))
      .send({ versionSha256: draft.currentVersion.sha256 })
      .expect(409);
    expect(staleView.body.code).toBe('CONTRACT_VERSION_STALE');
    const notViewed = await signRequest(t, p.client, v2).expect(409);
    expect(notViewed.body.code).toBe('CONTRACT_NOT_VIEWED');
    await view(t, p.client, v2);
    const stale = await signRequest(t, p.client, draft).expect(409);
    expect(stale.body.code).toBe('CONTRACT_VERSION_STALE');
    const noConsent = await signRequest(t, p.client, v2, { consent: false }).expect(400);
    expect(noConsent.body.code).toBe('CONTRACT_CONSENT_REQUIRED');
    const blankName = await signRequest(t, p.client, v2, { typedName: '   ' }).expect(400);
    expect(blankName.body.code).toBe('CONTRACT_SIGNATURE_INVALID');
    const badDrawing = await signRequest(t, p.client, v2, {
      drawing: {
        width: 100,
        height: 50,
        strokes: [
          [
            [10, 10],
            [500, 10],
          ],
        ],
      },
    }).expect(400);
    expect(badDrawing.body.code).toBe('CONTRACT_SIGNATURE_INVALID');
    expect(
      (await get(p.client, draft.id).expect(200)).body.parties.every((x: { signedAt: string | null }) => x.signedAt === null),
    ).toBe(true);
  });

  it('a non-party gets 404 on every route of a contract; signing twice is 409 CONTRACT_ALREADY_SIGNED', async () => {
    const sent = await sentAndViewed(t, p);
    for (const who of [stranger, otherLawyer]) {
      await get(who, sent.id).expect(404);
      await request(t.server)
        .post(`/api/contracts/${sent.id}/viewed`)
        .set(bearer(who.token))
        .send({ versionSha256: sent.currentVersion.sha256 })
        .expect(404);
      const res = await signRequest(t, who, sent).expect(404);
      expect(res.body.code).toBe('CONTRACT_NOT_FOUND');
      await request(t.server).post(`/api/contracts/${sent.id}/decline`).set(bearer(who.token)).send({ reason: 'no' }).expect(404);
      await request(t.server)
        .get(`/api/contracts/${sent.id}/versions/${sent.currentVersion.id}/pdf`)
        .set(bearer(who.token))
        .expect(404);
      await request(t.server).get(`/api/contracts/${sent.id}/executed.pdf`).set(bearer(who.token)).expect(404);
    }
    for (const path of ['send', 'void']) {
      await request(t.server)
        .post(`/api/contracts/${sent.id}/${path}`)
        .set(bearer(otherLawyer.token))
        .send({ reason: 'x' })
        .expect(404);
    }
    await request(t.server)
      .put(`/api/contracts/${sent.id}/draft`)
      .set(bearer(otherLawyer.token))
      .send({ values: {} })
      .expect(404);

    const first = await signRequest(t, p.lawyer, sent).expect(200);
    expect(first.body.status).toBe('PARTIALLY_SIGNED');
    const twice = await signRequest(t, p.lawyer, sent).expect(409);
    expect(twice.body.code).toBe('CONTRACT_ALREADY_SIGNED');
    expect(first.body.allowedActions).toMatchObject({ sign: false, decline: false, void: true });
    const told = await sql().query(`SELECT params FROM notifications WHERE user_id = $1 AND kind = 'contract.signed'`, [
      p.client.id,
    ]);
    expect(told.map((n: { params: { contractId: string } }) => n.params.contractId)).toContain(sent.id);
    const signatures = await sql().query(
      `SELECT role, typed_name AS "typedName", document_sha256 AS sha FROM contract_signatures WHERE contract_id = $1`,
      [sent.id],
    );
    expect(signatures).toEqual([{ role: 'LAWYER', typedName: p.lawyer.name, sha: sent.currentVersion.sha256 }]);
  });

  it('10 concurrent final signatures: one EXECUTED transition, one sealed PDF, one contract.executed audit entry', async () => {
    const sent = await sentAndViewed(t, p);
    await signRequest(t, p.lawyer, sent).expect(200);
    const seal = jest.spyOn(t.app.get(ContractSealer), 'seal');
    try {
      const results = await Promise.all(Array.from({ length: 10 }, () => signRequest(t, p.client, sent)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, ...Array(9).fill(409)]);
      for (const r of results.filter((x) => x.status === 409))
        expect(['CONTRACT_EXECUTED', 'CONTRACT_ALREADY_SIGNED']).toContain(r.body.code);
      expect(seal).toHaveBeenCalledTimes(1);
    } finally {
      seal.mockRestore();
    }
    const executions = await sql().query(
      `SELECT sha256, audit_seq::int AS "auditSeq" FROM contract_executions WHERE contract_id = $1`,
      [sent.id],
    );
    expect(executions).toHaveLength(1);
    const audit = await auditOf(t, sent.id);
    const executed = audit.filter((e) => e.action === 'contract.executed');
    expect(executed).toHaveLength(1);
    expect(executed[0]!.seq).toBe(executions[0].auditSeq);
    expect(executed[0]!.payload).toMatchObject({ sha256: executions[0].sha256, versionSha256: sent.currentVersion.sha256 });
    expect(audit.filter((e) => e.action === 'contract.signed')).toHaveLength(2);
    expect((await sql().query(`SELECT count(*)::int AS n FROM contract_signatures WHERE contract_id = $1`, [sent.id]))[0].n).toBe(
      2,
    );
    const signedEvents = await sql().query(
      `SELECT role FROM contract_signer_events WHERE contract_id = $1 AND type = 'SIGNED' ORDER BY id`,
      [sent.id],
    );
    expect(signedEvents.map((e: { role: string }) => e.role)).toEqual(['LAWYER', 'CLIENT']);
    const detail = (await get(p.client, sent.id).expect(200)).body as ContractView;
    expect(detail.status).toBe('EXECUTED');
    expect(detail.executed).toMatchObject({ sha256: executions[0].sha256, auditSeq: executions[0].auditSeq });
    expect(detail.allowedActions).toEqual({
      edit: false,
      send: false,
      void: false,
      view: false,
      sign: false,
      decline: false,
      downloadExecuted: true,
    });
    // The signer events (with IP, user agent and the version hash) are in the detail, in order.
    expect(detail.events.map((e) => `${e.role}:${e.type}`)).toEqual([
      'LAWYER:VIEWED',
      'CLIENT:VIEWED',
      'LAWYER:CONSENTED',
      'LAWYER:SIGNED',
      'CLIENT:CONSENTED',
      'CLIENT:SIGNED',
    ]);
    for (const e of detail.events)
      expect(e).toMatchObject({
        documentSha256: sent.currentVersion.sha256,
        userAgent: 'ContractSpec/1.0',
        ip: expect.any(String),
      });
    const executedNotices = await sql().query(
      `SELECT user_id AS "userId" FROM notifications WHERE kind = 'contract.executed' AND params->>'contractId' = $1`,
      [sent.id],
    );
    expect(executedNotices.map((n: { userId: string }) => n.userId).sort()).toEqual([p.lawyer.id, p.client.id].sort());
  });

  it('the final signature renders, seals and stores the executed PDF before its first audit write (the audit lock is not held meanwhile)', async () => {
    const sent = await sentAndViewed(t, p);
    await signRequest(t, p.client, sent).expect(200);
    const calls: string[] = [];
    const audit = t.app.get(AuditService);
    const docs = t.app.get(ContractDocuments);
    const record = audit.record.bind(audit);
    const store = docs.storeExecutedPdf.bind(docs);
    const recordSpy = jest.spyOn(audit, 'record').mockImplementation((m, entry) => {
      calls.push(`audit ${entry.action}`);
      return record(m, entry);
    });
    const storeSpy = jest.spyOn(docs, 'storeExecutedPdf').mockImplementation((...args) => {
      calls.push('store executed PDF');
      return store(...args);
    });
    try {
      await signRequest(t, p.lawyer, sent).expect(200);
    } finally {
      recordSpy.mockRestore();
      storeSpy.mockRestore();
    }
    expect(calls).toEqual(['store executed PDF', 'audit contract.signed', 'audit contract.executed']);
    expect((await get(p.lawyer, sent.id).expect(200)).body.status).toBe('EXECUTED');
  });

  it('10 concurrent signatures of both parties at once: both sign once, the contract executes once', async () => {
    const sent = await sentAndViewed(t, p);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => signRequest(t, i % 2 ? p.client : p.lawyer, sent)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409)).toHaveLength(8);
    expect((await sql().query(`SELECT count(*)::int AS n FROM contract_executions WHERE contract_id = $1`, [sent.id]))[0].n).toBe(
      1,
    );
    expect((await auditOf(t, sent.id)).filter((e) => e.action === 'contract.executed')).toHaveLength(1);
  });

  it('a party declines with a reason, the lawyer voids: both close the contract for everyone', async () => {
    const declined = await sentAndViewed(t, p);
    const res = await request(t.server)
      .post(`/api/contracts/${declined.id}/decline`)
      .set(bearer(p.client.token))
      .send({ reason: 'The fee is too high' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'DECLINED', closeReason: 'The fee is too high' });
    expect(res.body.parties.find((x: { role: string }) => x.role === 'CLIENT').declinedAt).toEqual(expect.any(String));
    const closed = await signRequest(t, p.lawyer, declined).expect(409);
    expect(closed.body.code).toBe('CONTRACT_CLOSED');

    const voided = await sentAndViewed(t, p);
    await signRequest(t, p.client, voided).expect(200);
    const v = await request(t.server)
      .post(`/api/contracts/${voided.id}/void`)
      .set(bearer(p.lawyer.token))
      .send({ reason: 'Wrong template' })
      .expect(200);
    expect(v.body).toMatchObject({ status: 'VOIDED', closeReason: 'Wrong template' });
    expect((await signRequest(t, p.lawyer, voided).expect(409)).body.code).toBe('CONTRACT_CLOSED');
    expect(
      (
        await request(t.server)
          .post(`/api/contracts/${voided.id}/void`)
          .set(bearer(p.lawyer.token))
          .send({ reason: 'again' })
          .expect(409)
      ).body.code,
    ).toBe('CONTRACT_CLOSED');
    // A client cannot void (lawyer's route).
    await request(t.server)
      .post(`/api/contracts/${declined.id}/void`)
      .set(bearer(p.client.token))
      .send({ reason: 'x' })
      .expect(403);
    expect((await auditOf(t, declined.id)).map((e) => e.action)).toEqual([
      'contract.created',
      'contract.sent',
      'contract.viewed',
      'contract.viewed',
      'contract.declined',
    ]);
    // Messages: the lawyer learns the client declined; the client that the sent contract was voided.
    const kinds = async (userId: string, contractId: string) =>
      (
        await sql().query(
          `SELECT kind, params FROM notifications WHERE user_id = $1 AND params->>'contractId' = $2
             AND kind IN ('contract.declined', 'contract.voided', 'contract.expired') ORDER BY created_at`,
          [userId, contractId],
        )
      ).map((n: { kind: string; params: Record<string, unknown> }) => [n.kind, n.params.counterpartName, n.params.reason]);
    expect(await kinds(p.lawyer.id, declined.id)).toEqual([['contract.declined', p.client.name, 'The fee is too high']]);
    expect(await kinds(p.client.id, declined.id)).toEqual([]);
    expect(await kinds(p.client.id, voided.id)).toEqual([['contract.voided', p.lawyer.name, 'Wrong template']]);
    expect(await kinds(p.lawyer.id, voided.id)).toEqual([]);
    // A draft the client never saw: voided without telling them.
    const draft = await draftContract(t, p);
    await request(t.server).post(`/api/contracts/${draft.id}/void`).set(bearer(p.lawyer.token)).send({ reason: 'x' }).expect(200);
    expect(await kinds(p.client.id, draft.id)).toEqual([]);
  });

  it('expires SENT and PARTIALLY_SIGNED contracts after CONTRACT_SIGNING_DAYS by the business clock, not before', async () => {
    const a = await sentAndViewed(t, p);
    const b = await sentAndViewed(t, p);
    await signRequest(t, p.lawyer, b).expect(200);
    const expiry = t.app.get(ContractExpiry);
    await expiry.expireDue();
    expect((await get(p.client, a.id).expect(200)).body.status).toBe('SENT');
    t.clock.advance(14 * 86_400_000 + 60_000);
    try {
      // Past the deadline the contract cannot be signed, nor voided, even before the job has run.
      expect((await signRequest(t, p.client, a).expect(409)).body.code).toBe('CONTRACT_CLOSED');
      const voided = await request(t.server)
        .post(`/api/contracts/${a.id}/void`)
        .set(bearer(p.lawyer.token))
        .send({ reason: 'Too late' })
        .expect(409);
      expect(voided.body.code).toBe('CONTRACT_CLOSED');
      expect((await get(p.lawyer, b.id).expect(200)).body.allowedActions.void).toBe(false);
      expect(await expiry.expireDue()).toBeGreaterThanOrEqual(2);
      for (const c of [a, b]) {
        const detail = (await get(p.client, c.id).expect(200)).body;
        expect(detail.status).toBe('EXPIRED');
        expect(detail.closeReason).toMatch(/signing period/);
        expect((await auditOf(t, c.id)).at(-1)!.action).toBe('contract.expired');
      }
      expect(await expiry.expireDue()).toBe(0);
      // Both parties are told.
      for (const who of [p.lawyer, p.client]) {
        const rows = await sql().query(
          `SELECT params FROM notifications WHERE user_id = $1 AND kind = 'contract.expired' AND params->>'contractId' = $2`,
          [who.id, a.id],
        );
        expect(rows).toHaveLength(1);
      }
    } finally {
      t.clock.advance(-(14 * 86_400_000 + 60_000));
    }
  });
});
