import { Client } from 'pg';
import request from 'supertest';
import { signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { pdfText } from '../support/pdf-text';
import { byteRange, pdfsig } from './pdf-tools';
import {
  auditOf,
  download,
  draftContract,
  executedContract,
  partiesWithPaidSession,
  sentAndViewed,
  sha256Hex,
  signRequest,
  type ContractView,
  type Parties,
} from './contracts-support';

/**
 * Issue 15, Done when 2 and 5: versions, signatures, signer events and executions cannot be
 * changed in the database (triggers, whoever asks); an executed contract cannot change through
 * any route (409 CONTRACT_EXECUTED); the public verify endpoint finds the executed PDF by its
 * SHA-256, does not find a copy with one byte changed, and reveals no names and no content.
 */
describe('executed contracts: immutable, downloadable (audited), verifiable by hash', () => {
  let t: TestApp;
  let p: Parties;
  let admin: Caller;
  let executed: ContractView;
  let pdf: Buffer;
  /** A plain connection to the spec's database: statements reach PostgreSQL as written, past any app code. */
  let sql: Client;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    p = await partiesWithPaidSession(t);
    admin = await signedIn(t, { role: 'ADMIN' });
    executed = await executedContract(t, p);
    pdf = await download(t, p.client, `/api/contracts/${executed.id}/executed.pdf`);
    sql = new Client({ connectionString: t.db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  const refused = async (statement: string, params: unknown[] = []) => {
    const error = await sql.query(statement, params).then(
      () => undefined,
      (e: { code?: string; message: string }) => e,
    );
    expect(error).toBeDefined();
    expect(error!.code).toBe('23001');
    expect(error!.message).toMatch(/not allowed/);
  };

  describe('Done when 2: nothing changes in the database', () => {
    it.each([
      [
        'contract_versions',
        `UPDATE contract_versions SET content = '[]'::jsonb, pdf_sha256 = repeat('0', 64) WHERE contract_id = $1`,
        `DELETE FROM contract_versions WHERE contract_id = $1`,
      ],
      [
        'contract_signatures',
        `UPDATE contract_signatures SET typed_name = 'Someone else' WHERE contract_id = $1`,
        `DELETE FROM contract_signatures WHERE contract_id = $1`,
      ],
      [
        'contract_signer_events',
        `UPDATE contract_signer_events SET ip = '10.0.0.1', at = at - interval '1 day' WHERE contract_id = $1`,
        `DELETE FROM contract_signer_events WHERE contract_id = $1`,
      ],
      [
        'contract_executions',
        `UPDATE contract_executions SET sha256 = repeat('0', 64) WHERE contract_id = $1`,
        `DELETE FROM contract_executions WHERE contract_id = $1`,
      ],
      [
        'contracts',
        `UPDATE contracts SET status = 'VOIDED', closed_at = now(), close_reason = 'x', executed_at = NULL WHERE id = $1`,
        `DELETE FROM contracts WHERE id = $1`,
      ],
    ])('%s: UPDATE, DELETE and TRUNCATE fail, and the rows are unchanged', async (table, update, del) => {
      const key = table === 'contracts' ? 'id' : 'contract_id';
      const before = (await sql.query(`SELECT * FROM ${table} WHERE ${key} = $1 ORDER BY 1`, [executed.id])).rows;
      expect(before.length).toBeGreaterThan(0);
      await refused(update, [executed.id]);
      await refused(del, [executed.id]);
      await refused(`TRUNCATE ${table} CASCADE`);
      if (table !== 'contracts') await refused(`UPDATE ${table} SET ${key} = ${key} WHERE false`);
      // Even a change that changes nothing is refused on an executed contract.
      if (table === 'contracts') await refused(`UPDATE contracts SET updated_at = updated_at WHERE id = $1`, [executed.id]);
      expect((await sql.query(`SELECT * FROM ${table} WHERE ${key} = $1 ORDER BY 1`, [executed.id])).rows).toEqual(before);
    });

    it('a contract row moves only along the state machine, and its parties never change, even before it is final', async () => {
      const sent = await sentAndViewed(t, p);
      await refused(`UPDATE contracts SET status = 'DRAFT' WHERE id = $1`, [sent.id]);
      await refused(`UPDATE contracts SET client_id = lawyer_id WHERE id = $1`, [sent.id]);
      await refused(`UPDATE contracts SET current_version_id = NULL WHERE id = $1`, [sent.id]);
      await refused(`DELETE FROM contracts WHERE id = $1`, [sent.id]);
    });
  });

  describe('Done when 2: the database accepts new rows only where the state machine allows them', () => {
    /** Runs `statement` in a transaction that is rolled back: for inserts the database should accept. */
    const accepted = async (statement: string, params: unknown[]) => {
      await sql.query('BEGIN');
      try {
        expect((await sql.query(statement, params)).rowCount).toBe(1);
      } finally {
        await sql.query('ROLLBACK');
      }
    };
    /** A version after the contract's current one, chained to `previous` (SQL expression over v.*). */
    const nextVersion = (previous: string) => `
      INSERT INTO contract_versions (id, contract_id, number, title, parties, variables, content, pdf_blob_key, pdf_sha256,
                                     pdf_size, previous_sha256, created_at, created_by)
      SELECT gen_random_uuid(), v.contract_id, v.number + 1, v.title, v.parties, v.variables, v.content, 'contracts/x.pdf',
             repeat('a', 64), 1, ${previous}, now(), v.created_by
        FROM contracts c JOIN contract_versions v ON v.id = c.current_version_id WHERE c.id = $1`;
    const event = (type: string) => `
      INSERT INTO contract_signer_events (contract_id, version_id, user_id, role, type, at, ip, user_agent, document_sha256)
      SELECT c.id, c.current_version_id, c.client_id, 'CLIENT', '${type}', now(), NULL, NULL, v.pdf_sha256
        FROM contracts c JOIN contract_versions v ON v.id = c.current_version_id WHERE c.id = $1`;
    const signature = `
      INSERT INTO contract_signatures (contract_id, version_id, user_id, role, typed_name, drawing, document_sha256, signed_at)
      SELECT c.id, c.current_version_id, c.client_id, 'CLIENT', 'Someone', NULL, v.pdf_sha256, now()
        FROM contracts c JOIN contract_versions v ON v.id = c.current_version_id WHERE c.id = $1`;

    it("a new version only for a DRAFT, chained to the previous version's hash", async () => {
      const draft = await draftContract(t, p);
      await accepted(nextVersion('v.pdf_sha256'), [draft.id]);
      await refused(nextVersion(`repeat('0', 64)`), [draft.id]);
      const sent = await sentAndViewed(t, p);
      await refused(nextVersion('v.pdf_sha256'), [sent.id]);
      await refused(nextVersion('v.pdf_sha256'), [executed.id]);
    });

    it('signer events and signatures only while SENT or PARTIALLY_SIGNED, for the current version', async () => {
      const draft = await draftContract(t, p);
      const sent = await sentAndViewed(t, p);
      for (const statement of [event('VIEWED'), event('DECLINED'), signature]) {
        await refused(statement, [draft.id]);
        await refused(statement, [executed.id]);
      }
      await accepted(event('CONSENTED'), [sent.id]);
      await accepted(signature, [sent.id]);
      await signRequest(t, p.client, sent).expect(200); // PARTIALLY_SIGNED
      await accepted(event('DECLINED'), [sent.id]);
      // Not for another version than the current one.
      await refused(
        `INSERT INTO contract_signer_events (contract_id, version_id, user_id, role, type, at, document_sha256)
         SELECT $1, v.id, v.created_by, 'LAWYER', 'CONSENTED', now(), v.pdf_sha256 FROM contract_versions v WHERE v.contract_id = $2`,
        [sent.id, executed.id],
      );
    });

    it('a contract starts as a DRAFT and is EXECUTED only with its contract_executions row', async () => {
      const sent = await sentAndViewed(t, p);
      await signRequest(t, p.client, sent).expect(200);
      await refused(`UPDATE contracts SET status = 'EXECUTED', executed_at = now() WHERE id = $1`, [sent.id]);
      await refused(
        `INSERT INTO contracts (id, number, session_id, lawyer_id, client_id, template_version_id, title, status, created_at,
                                updated_at, sent_at, expires_at, executed_at)
         SELECT gen_random_uuid(), 'C-2099-999999', session_id, lawyer_id, client_id, template_version_id, title, 'EXECUTED',
                now(), now(), now(), now(), now()
           FROM contracts WHERE id = $1`,
        [executed.id],
      );
      expect((await sql.query(`SELECT status FROM contracts WHERE id = $1`, [sent.id])).rows[0].status).toBe('PARTIALLY_SIGNED');
    });
  });

  describe('Done when 2: every mutating route on an executed contract is 409 CONTRACT_EXECUTED', () => {
    it.each([
      ['PUT draft (lawyer)', 'lawyer', 'put', 'draft', () => ({ values: executed.currentVersion.variables })],
      ['send (lawyer)', 'lawyer', 'post', 'send', () => ({})],
      ['void (lawyer)', 'lawyer', 'post', 'void', () => ({ reason: 'Changed my mind' })],
      ['decline (lawyer)', 'lawyer', 'post', 'decline', () => ({ reason: 'No' })],
      ['decline (client)', 'client', 'post', 'decline', () => ({ reason: 'No' })],
      ['viewed (lawyer)', 'lawyer', 'post', 'viewed', () => ({ versionSha256: executed.currentVersion.sha256 })],
      ['viewed (client)', 'client', 'post', 'viewed', () => ({ versionSha256: executed.currentVersion.sha256 })],
      [
        'sign (lawyer)',
        'lawyer',
        'post',
        'sign',
        () => ({ versionSha256: executed.currentVersion.sha256, consent: true, typedName: p.lawyer.name }),
      ],
      [
        'sign (client)',
        'client',
        'post',
        'sign',
        () => ({ versionSha256: executed.currentVersion.sha256, consent: true, typedName: p.client.name }),
      ],
      // The state is checked before the body: an executed contract is 409, not a 400 about the signature.
      [
        'sign (client) without consent',
        'client',
        'post',
        'sign',
        () => ({ versionSha256: executed.currentVersion.sha256, consent: false, typedName: p.client.name }),
      ],
      [
        'sign (lawyer) with a blank typed name',
        'lawyer',
        'post',
        'sign',
        () => ({ versionSha256: executed.currentVersion.sha256, consent: true, typedName: '   ' }),
      ],
      [
        'sign (client) with a drawing outside its pad',
        'client',
        'post',
        'sign',
        () => ({
          versionSha256: executed.currentVersion.sha256,
          consent: true,
          typedName: p.client.name,
          drawing: { width: 10, height: 10, strokes: [[[50, 50]]] },
        }),
      ],
    ] as const)('%s', async (_name, who, method, action, body) => {
      const caller = who === 'lawyer' ? p.lawyer : p.client;
      const agent = request(t.server);
      const call =
        method === 'put'
          ? agent.put(`/api/contracts/${executed.id}/${action}`)
          : agent.post(`/api/contracts/${executed.id}/${action}`);
      const res = await call.set(bearer(caller.token)).send(body()).expect(409);
      expect(res.body.code).toBe('CONTRACT_EXECUTED');
      const after = (await request(t.server).get(`/api/contracts/${executed.id}`).set(bearer(caller.token)).expect(200))
        .body as ContractView;
      expect(after.status).toBe('EXECUTED');
      expect(after.currentVersion.sha256).toBe(executed.currentVersion.sha256);
      expect(after.executed).toEqual(executed.executed);
    });

    it('no PATCH or DELETE route exists on contracts or templates', async () => {
      for (const [method, path] of [
        ['delete', `/api/contracts/${executed.id}`],
        ['patch', `/api/contracts/${executed.id}`],
        ['delete', `/api/contracts/${executed.id}/versions/${executed.currentVersion.id}`],
      ] as const) {
        const res = await request(t.server)[method](path).set(bearer(p.lawyer.token));
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      }
    });
  });

  describe('the executed PDF', () => {
    it('is the sealed file whose SHA-256 is in the contract.executed audit entry; both parties and admins download it, each download audited', async () => {
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(sha256Hex(pdf)).toBe(executed.executed!.sha256);
      expect(pdf.length).toBe(executed.executed!.size);
      const lawyerCopy = await download(t, p.lawyer, `/api/contracts/${executed.id}/executed.pdf`);
      const adminCopy = await download(t, admin, `/api/contracts/${executed.id}/executed.pdf`);
      expect(lawyerCopy.equals(pdf) && adminCopy.equals(pdf)).toBe(true);
      const audit = await auditOf(t, executed.id);
      const entry = audit.find((e) => e.action === 'contract.executed')!;
      expect(entry).toMatchObject({
        seq: executed.executed!.auditSeq,
        actorId: null,
        payload: { sha256: sha256Hex(pdf), size: pdf.length },
      });
      const downloads = audit.filter((e) => e.action === 'contract.executed_downloaded');
      expect(downloads.map((d) => d.actorId).sort()).toEqual([p.client.id, p.lawyer.id, admin.id].sort());
      expect(downloads.every((d) => d.payload.sha256 === sha256Hex(pdf))).toBe(true);
      const head = await request(t.server)
        .get(`/api/contracts/${executed.id}/executed.pdf`)
        .set(bearer(p.lawyer.token))
        .expect(200);
      expect(head.headers['etag']).toBe(`"${sha256Hex(pdf)}"`);
      expect(head.headers['content-type']).toBe('application/pdf');
    });

    it('carries one seal that pdfsig (poppler, independent of the sealer) verifies over the whole file; one flipped byte breaks it', () => {
      const sig = pdfsig(pdf);
      expect(sig.output).toContain('Signature Validation: Signature is Valid.');
      expect(sig.output).toContain('Total document signed');
      expect(sig.output.match(/Signature #\d/g)).toHaveLength(1);
      const [, b] = byteRange(pdf);
      const tampered = Buffer.from(pdf);
      const offset = Math.floor(b / 2); // inside the first signed range: the document itself
      tampered[offset] = tampered[offset]! ^ 0x01;
      const broken = pdfsig(tampered);
      expect(broken.output).not.toContain('Signature is Valid.');
      expect(broken.output).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    });

    it('holds the signed document, both parties’ Unicode names, the signatures and the certificate page with the hashes', async () => {
      const { pages } = await pdfText(pdf);
      const text = pages.join('\n');
      const compact = text.replace(/\s+/g, '');
      for (const needle of [p.lawyer.name, p.client.name, executed.number, 'Signing certificate']) expect(text).toContain(needle);
      // Hashes may be wrapped across lines on the certificate page.
      expect(compact).toContain(executed.currentVersion.sha256);
      expect(compact).toContain(`${t.config.PUBLIC_URL.replace(/\/+$/, '')}/verify`.replace(/\s+/g, ''));
      expect(pages.at(-1)).toMatch(/Signing certificate/);
    });

    it('each version PDF is downloadable with the hash a signature binds; before execution the executed PDF is 409 CONTRACT_NOT_EXECUTED', async () => {
      const version = await download(t, p.client, `/api/contracts/${executed.id}/versions/${executed.currentVersion.id}/pdf`);
      expect(sha256Hex(version)).toBe(executed.currentVersion.sha256);
      const signatures = (
        await sql.query(`SELECT document_sha256 AS sha FROM contract_signatures WHERE contract_id = $1`, [executed.id])
      ).rows;
      expect(signatures.map((s) => s.sha)).toEqual([executed.currentVersion.sha256, executed.currentVersion.sha256]);
      const sent = await sentAndViewed(t, p);
      const res = await request(t.server).get(`/api/contracts/${sent.id}/executed.pdf`).set(bearer(p.client.token)).expect(409);
      expect(res.body.code).toBe('CONTRACT_NOT_EXECUTED');
      await signRequest(t, p.client, sent).expect(200);
    });

    it('an admin lists every contract and reads any, but signs nothing', async () => {
      const list = await request(t.server).get('/api/contracts').query({ view: 'executed' }).set(bearer(admin.token)).expect(200);
      expect(list.body.items.map((c: { id: string }) => c.id)).toContain(executed.id);
      expect(list.body.items.every((c: { status: string }) => c.status === 'EXECUTED')).toBe(true);
      const detail = await request(t.server).get(`/api/contracts/${executed.id}`).set(bearer(admin.token)).expect(200);
      expect(detail.body).toMatchObject({ yourRole: null, allowedActions: { downloadExecuted: true, sign: false } });
      await request(t.server).post(`/api/contracts/${executed.id}/sign`).set(bearer(admin.token)).send({}).expect(403);
    });
  });

  describe('Done when 5: public verification by hash', () => {
    it('finds the executed PDF by its SHA-256 (no account), with the execution time, parties and audit seq, and nothing else', async () => {
      const res = await request(t.server)
        .get(`/api/verify/${sha256Hex(pdf)}`)
        .expect(200);
      expect(res.body).toEqual({
        sha256: sha256Hex(pdf),
        found: true,
        matches: [{ kind: 'contract', executedAt: expect.any(String), parties: 2, auditSeq: executed.executed!.auditSeq }],
      });
      expect(Date.parse(res.body.matches[0].executedAt)).toBe(Date.parse(executed.executed!.sealedAt));
      const text = JSON.stringify(res.body);
      const secrets = [
        p.lawyer.name,
        p.client.name,
        'Łukasz',
        '山田',
        executed.id,
        executed.number,
        p.lawyer.id,
        p.client.id,
        p.sessionId,
        executed.currentVersion.sha256,
      ];
      for (const secret of secrets) expect(text).not.toContain(secret);
      for (const block of executed.currentVersion.blocks) expect(text).not.toContain(block.text);
      // Upper-case hex is the same hash.
      expect(
        (
          await request(t.server)
            .get(`/api/verify/${sha256Hex(pdf).toUpperCase()}`)
            .expect(200)
        ).body.found,
      ).toBe(true);
    });

    it('does not find a copy with one byte changed, nor the unsigned version PDF', async () => {
      for (const offset of [0, Math.floor(pdf.length / 2), pdf.length - 1]) {
        const changed = Buffer.from(pdf);
        changed[offset] = changed[offset]! ^ 0x01;
        const res = await request(t.server)
          .get(`/api/verify/${sha256Hex(changed)}`)
          .expect(200);
        expect(res.body).toEqual({ sha256: sha256Hex(changed), found: false, matches: [] });
      }
      const version = await request(t.server).get(`/api/verify/${executed.currentVersion.sha256}`).expect(200);
      expect(version.body.found).toBe(false);
    });
  });
});
