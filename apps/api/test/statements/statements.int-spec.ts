import { parse } from 'csv-parse/sync';
import { createHash, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { rawClient } from '../audit/audit-test-support';
import { bearer, createUser, login } from '../factories/users';
import { createTestApp, TestApp } from '../setup/test-app';
import { pdfText } from '../support/pdf-text';
import { LedgerService } from '../../src/modules/ledger';
import { StatementsService } from '../../src/modules/statements';
import { download, owedThrough, payAgain, payeesWithMoney, setClock, statementsOf } from './statements-support';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const squash = (s: string) => s.replace(/\s+/g, '');

/**
 * Monthly statements end to end: payees earn through real paid sessions (ledger postings at the
 * test clock's time), the clock moves past the month's end, the issuing job runs. Every test
 * pins its own months and makes its own payees, so none depends on another.
 */
describe('statements', () => {
  let t: TestApp;
  let sql: DataSource;
  const runJob = () => t.app.get(StatementsService).issueDue(null);

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000', JOBS_ENABLED: 'false' });
    sql = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the job issues one statement per payee and closed month, however often and concurrently it runs; lines run from opening to closing', async () => {
    setClock(t, '2027-03-10T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 3 });
    setClock(t, '2027-03-20T09:00:00Z');
    await payAgain(t, p);

    // March has not closed anywhere yet.
    setClock(t, '2027-03-31T12:00:00Z');
    await runJob();
    expect(await statementsOf(t, p.lawyer.id)).toEqual([]);

    setClock(t, '2027-04-01T12:00:00Z'); // April in Warsaw and Tokyo
    const runs = await Promise.all([runJob(), runJob(), runJob()]);
    await runJob();
    expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);

    for (const [payee, role, account, zone] of [
      [p.lawyer.id, 'LAWYER', 'lawyer_payable', 'Europe/Warsaw'],
      [p.partner.id, 'PARTNER', 'partner_commission_payable', 'Asia/Tokyo'],
    ] as const) {
      const statements = await statementsOf(t, payee);
      expect(statements).toHaveLength(1);
      const s = statements[0]!;
      expect(s).toMatchObject({
        payeeRole: role,
        account,
        currency: 'EUR',
        periodStart: '2027-03-01',
        periodEnd: '2027-03-31',
        zone,
        openingMinor: 0,
        lineCount: 4,
      });
      expect(s.number).toMatch(/^ST-202703-\d{6}$/);
      // The closing balance is what the raw ledger says was owed at the end of March.
      expect(s.closingMinor).toBe(await owedThrough(t, payee, account, 'EUR', '2027-03-31'));
      expect(s.closingMinor).toBeGreaterThan(0);
      const lines: { lineNo: number; amount: number; balance: number; kind: string }[] = await sql.query(
        `SELECT line_no AS "lineNo", amount_minor::float8 AS amount, balance_minor::float8 AS balance, kind
           FROM statement_lines WHERE statement_id = $1 ORDER BY line_no`,
        [s.id],
      );
      expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4]);
      expect(lines.every((l) => l.kind === 'PAYMENT' && l.amount > 0)).toBe(true);
      let running = s.openingMinor;
      for (const l of lines) {
        running += l.amount;
        expect(l.balance).toBe(running);
      }
      expect(running).toBe(s.closingMinor);
    }
    // Numbers are unique and the payees were told.
    const numbers = [...(await statementsOf(t, p.lawyer.id)), ...(await statementsOf(t, p.partner.id))].map((s) => s.number);
    expect(new Set(numbers).size).toBe(2);
    const notes: { kind: string; params: { number: string } }[] = await sql.query(
      `SELECT kind, params FROM notifications WHERE user_id = ANY($1::uuid[]) AND kind = 'statement.issued'`,
      [[p.lawyer.id, p.partner.id]],
    );
    expect(notes.map((n) => n.params.number).sort()).toEqual([...numbers].sort());

    // A quiet month while money is still owed gets a statement with no lines; the next run adds nothing.
    setClock(t, '2027-05-02T12:00:00Z');
    await Promise.all([runJob(), runJob()]);
    const april = (await statementsOf(t, p.lawyer.id)).filter((s) => s.periodStart === '2027-04-01');
    expect(april).toHaveLength(1);
    const march = (await statementsOf(t, p.lawyer.id)).find((s) => s.periodStart === '2027-03-01')!;
    expect(april[0]).toMatchObject({ lineCount: 0, openingMinor: march.closingMinor, closingMinor: march.closingMinor });
    const before = (await statementsOf(t, p.lawyer.id)).length;
    await runJob();
    expect(await statementsOf(t, p.lawyer.id)).toHaveLength(before);
  });

  it('a month closes at midnight in the payee’s own zone', async () => {
    setClock(t, '2027-07-15T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 1 });
    // 2027-07-31T20:00Z: already August 1st in Tokyo (05:00), still July 31st in Warsaw (22:00).
    setClock(t, '2027-07-31T20:00:00Z');
    await runJob();
    expect((await statementsOf(t, p.partner.id)).map((s) => s.periodStart)).toEqual(['2027-07-01']);
    expect(await statementsOf(t, p.lawyer.id)).toEqual([]);
    setClock(t, '2027-07-31T22:30:00Z'); // 00:30 in Warsaw
    await runJob();
    expect((await statementsOf(t, p.lawyer.id)).map((s) => s.periodStart)).toEqual(['2027-07-01']);
  });

  it('issued statements and their lines cannot be changed or deleted in the database', async () => {
    setClock(t, '2027-09-10T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 1 });
    setClock(t, '2027-10-01T12:00:00Z');
    await runJob();
    const [s] = await statementsOf(t, p.lawyer.id);
    expect(s).toBeDefined();
    const client = await rawClient(t);
    try {
      for (const statement of [
        `UPDATE statements SET closing_minor = 0 WHERE id = '${s!.id}'`,
        `DELETE FROM statements WHERE id = '${s!.id}'`,
        `UPDATE statement_lines SET amount_minor = 1 WHERE statement_id = '${s!.id}'`,
        `DELETE FROM statement_lines WHERE statement_id = '${s!.id}'`,
        'TRUNCATE statement_lines',
        'TRUNCATE statements CASCADE',
      ]) {
        await expect(client.query(statement)).rejects.toThrow(/append-only|not allowed|immutable|reject/i);
      }
      // A statement whose lines do not add up is refused at commit.
      await expect(
        client.query(`
          BEGIN;
          INSERT INTO statements (id, number, payee_id, payee_role, account, currency, period_start, period_end, zone, opening_minor,
                                  closing_minor, line_count, csv_key, csv_sha256, csv_bytes, pdf_key, pdf_sha256, pdf_bytes, issued_at)
          VALUES (gen_random_uuid(), 'ST-202709-999999', '${p.lawyer.id}', 'LAWYER', 'lawyer_payable', 'USD', '2027-09-01', '2027-09-30',
                  'UTC', 0, 500, 0, 'k', '${'a'.repeat(64)}', 1, 'k', '${'b'.repeat(64)}', 1, now());
          COMMIT;`),
      ).rejects.toThrow(/do not run from opening/);
      await client.query('ROLLBACK').catch(() => undefined);
    } finally {
      await client.end();
    }
    expect(await statementsOf(t, p.lawyer.id)).toEqual([s]);
  });

  it('the PDF embeds the payees’ names ("Łukasz Żółć", "山田太郎") and its SHA-256 is the audit entry’s; the CSV defuses a formula name', async () => {
    setClock(t, '2027-11-10T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 2 });
    const evil = await payeesWithMoney(t, {
      payments: 1,
      lawyerName: '=HYPERLINK("http://evil.example","Click")',
      partnerName: '@SUM(A1:A2)',
    });
    setClock(t, '2027-12-01T12:00:00Z');
    await runJob();

    for (const [payee, token, name] of [
      [p.lawyer.id, p.lawyer.accessToken, 'Łukasz Żółć'],
      [p.partner.id, p.partner.accessToken, '山田太郎'],
    ] as const) {
      const [s] = await statementsOf(t, payee);
      const res = await download(t, token, s!.id, 'pdf').expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${s!.number}.pdf"`);
      expect(res.headers.etag).toBe(`"${s!.pdfSha256}"`);
      const pdf = res.body as Buffer;
      expect(sha256(pdf)).toBe(s!.pdfSha256);
      const [audit] = await sql.query(
        `SELECT action, actor_id AS "actorId", payload FROM audit_events WHERE subject_type = 'statement' AND subject_id = $1`,
        [s!.id],
      );
      expect(audit).toMatchObject({
        action: 'statement.issued',
        actorId: null,
        payload: { number: s!.number, payeeId: payee, periodStart: '2027-11-01' },
      });
      expect(audit.payload.pdfSha256).toBe(sha256(pdf));
      expect(audit.payload).toMatchObject({
        openingMinor: s!.openingMinor,
        closingMinor: s!.closingMinor,
        csvSha256: s!.csvSha256,
      });

      const { pages } = await pdfText(pdf);
      const text = pages.join('\n');
      expect(text).toContain(name);
      expect(text).toContain(s!.number);
      expect(squash(text)).toContain('November2027');
      expect(squash(text)).toContain(squash(`€${(s!.closingMinor / 100).toFixed(2)}`));
      expect(squash(text)).toContain('Page1of1');

      const csv = await download(t, token, s!.id, 'csv').expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(sha256(csv.body as Buffer)).toBe(s!.csvSha256);
      const rows = parse(csv.body as Buffer, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows[0]).toMatchObject({ type: 'OPENING', payee: name, balance: '0.00' });
      expect(rows[rows.length - 1]).toMatchObject({ type: 'CLOSING', balance: (s!.closingMinor / 100).toFixed(2) });
      expect(rows).toHaveLength(s!.lineCount + 2);
    }

    // Formula-looking names reach the CSV with a leading apostrophe; the PDF shows them as they are.
    for (const [payee, token, name] of [
      [evil.lawyer.id, evil.lawyer.accessToken, '=HYPERLINK("http://evil.example","Click")'],
      [evil.partner.id, evil.partner.accessToken, '@SUM(A1:A2)'],
    ] as const) {
      const [s] = await statementsOf(t, payee);
      const csv = await download(t, token, s!.id, 'csv').expect(200);
      const rows = parse(csv.body as Buffer, { bom: true, columns: true }) as Record<string, string>[];
      expect(new Set(rows.map((r) => r.payee))).toEqual(new Set([`'${name}`]));
      const { pages } = await pdfText((await download(t, token, s!.id).expect(200)).body as Buffer);
      expect(squash(pages.join(''))).toContain(squash(name));
    }
  });

  it('payouts and their reversals are lines that lower and restore the balance; descriptions starting with + or @ are defused in the CSV', async () => {
    setClock(t, '2028-07-05T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 2 });
    const ledger = t.app.get(LedgerService);
    const owed = await owedThrough(t, p.lawyer.id, 'lawyer_payable', 'EUR', '2028-07-31');
    const payoutId = randomUUID();
    setClock(t, '2028-07-20T12:00:00Z');
    await sql.transaction((m) =>
      ledger.postPayout(m, {
        payoutId,
        payeeId: p.lawyer.id,
        account: 'lawyer_payable',
        currency: 'EUR',
        amountMinor: owed - 100,
        description: '+48 bank transfer ref 7',
      }),
    );
    setClock(t, '2028-07-25T12:00:00Z');
    await sql.transaction((m) => ledger.postPayoutReversal(m, { payoutId, description: '@wrong account, reversed' }));
    setClock(t, '2028-08-01T12:00:00Z');
    await runJob();

    const [s] = await statementsOf(t, p.lawyer.id);
    expect(s).toMatchObject({ periodStart: '2028-07-01', openingMinor: 0, lineCount: 4, closingMinor: owed });
    const csv = await download(t, p.lawyer.accessToken, s!.id, 'csv').expect(200);
    const rows = parse(csv.body as Buffer, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.type, r.description, r.amount])).toEqual([
      ['OPENING', 'Opening balance', ''],
      ['PAYMENT', expect.any(String), expect.stringMatching(/^\d+\.\d{2}$/)],
      ['PAYMENT', expect.any(String), expect.stringMatching(/^\d+\.\d{2}$/)],
      ['PAYOUT', "'+48 bank transfer ref 7", ((100 - owed) / 100).toFixed(2)], // a negative amount stays a number
      ['PAYOUT_REVERSAL', "'@wrong account, reversed", ((owed - 100) / 100).toFixed(2)],
      ['CLOSING', 'Closing balance', ''],
    ]);
    expect(rows.map((r) => r.balance)).toEqual([
      '0.00',
      rows[1]!.amount,
      (owed / 100).toFixed(2),
      '1.00',
      (owed / 100).toFixed(2),
      (owed / 100).toFixed(2),
    ]);
    const { pages } = await pdfText((await download(t, p.lawyer.accessToken, s!.id).expect(200)).body as Buffer);
    expect(squash(pages.join(''))).toContain(squash('Payout reversal'));
  });

  it('an admin re-issues a statement once: a new number supersedes it, the old one stays; the second time is 409', async () => {
    setClock(t, '2028-01-10T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 1 });
    setClock(t, '2028-02-01T12:00:00Z');
    await runJob();
    const [original] = await statementsOf(t, p.lawyer.id);

    const res = await request(t.server)
      .post(`/api/admin/statements/${original!.id}/reissue`)
      .set(bearer(p.admin.accessToken))
      .send({ reason: '  Refund of 12 January was missing  ' })
      .expect(201);
    expect(res.body).toMatchObject({
      payeeId: p.lawyer.id,
      payeeName: 'Łukasz Żółć',
      periodStart: '2028-01-01',
      supersedesId: original!.id,
      reissueReason: 'Refund of 12 January was missing',
      issuedBy: p.admin.id,
      superseded: false,
      openingMinor: original!.openingMinor,
      closingMinor: original!.closingMinor,
    });
    expect(res.body.number).toMatch(/^ST-202801-\d{6}$/);
    expect(res.body.number).not.toBe(original!.number);
    const [audit] = await sql.query(
      `SELECT actor_id AS "actorId", payload FROM audit_events WHERE action = 'statement.reissued' AND subject_id = $1`,
      [res.body.id],
    );
    expect(audit).toMatchObject({
      actorId: p.admin.id,
      payload: {
        supersedesId: original!.id,
        supersedesNumber: original!.number,
        reason: 'Refund of 12 January was missing',
        pdfSha256: res.body.pdfSha256,
      },
    });
    const { pages } = await pdfText((await download(t, p.lawyer.accessToken, res.body.id).expect(200)).body as Buffer);
    expect(squash(pages.join(''))).toContain(squash(`Supersedes ${original!.number}. Reason: Refund of 12 January was missing`));

    // Twice at once or once more: 409, and nothing more is written.
    const again = await Promise.all(
      [1, 2].map(() =>
        request(t.server)
          .post(`/api/admin/statements/${original!.id}/reissue`)
          .set(bearer(p.admin.accessToken))
          .send({ reason: 'again' }),
      ),
    );
    expect(again.map((r) => r.status)).toEqual([409, 409]);
    expect(again[0]!.body.code).toBe('STATEMENT_ALREADY_SUPERSEDED');
    expect(await statementsOf(t, p.lawyer.id)).toHaveLength(2);

    // The payee's list shows both, the old one marked superseded by the new.
    const list = (await request(t.server).get('/api/statements').set(bearer(p.lawyer.accessToken)).expect(200)).body;
    expect(list.total).toBe(2);
    expect(
      list.items.map((s: { id: string; superseded: boolean; supersededById: string | null }) => [
        s.id,
        s.superseded,
        s.supersededById,
      ]),
    ).toEqual([
      [res.body.id, false, null],
      [original!.id, true, res.body.id],
    ]);
    // The job does not issue the month again, and the corrected statement can itself be corrected.
    await runJob();
    expect(await statementsOf(t, p.lawyer.id)).toHaveLength(2);
    await request(t.server)
      .post(`/api/admin/statements/${res.body.id}/reissue`)
      .set(bearer(p.admin.accessToken))
      .send({ reason: 'Second fix' })
      .expect(201);

    // Validation and unknown ids.
    await request(t.server)
      .post(`/api/admin/statements/${res.body.id}/reissue`)
      .set(bearer(p.admin.accessToken))
      .send({ reason: '   ' })
      .expect(400);
    await request(t.server)
      .post(`/api/admin/statements/${res.body.id}/reissue`)
      .set(bearer(p.admin.accessToken))
      .send({})
      .expect(400);
    const missing = await request(t.server)
      .post('/api/admin/statements/00000000-0000-4000-8000-000000000000/reissue')
      .set(bearer(p.admin.accessToken))
      .send({ reason: 'x' })
      .expect(404);
    expect(missing.body.code).toBe('STATEMENT_NOT_FOUND');
  });

  it('who may see what: own statements only, admins any; others 404 or 403; anonymous 401', async () => {
    setClock(t, '2028-04-10T12:00:00Z');
    const p = await payeesWithMoney(t, { payments: 1 });
    const other = await payeesWithMoney(t, { payments: 1, lawyerName: 'Other Lawyer', partnerName: 'Other Partner' });
    setClock(t, '2028-05-01T12:00:00Z');
    const run = await request(t.server).post('/api/admin/statements/run').set(bearer(p.admin.accessToken)).expect(200);
    expect(run.body.issued).toBeGreaterThanOrEqual(4);
    const [lawyerStatement] = await statementsOf(t, p.lawyer.id);
    const [partnerStatement] = await statementsOf(t, p.partner.id);
    const [otherStatement] = await statementsOf(t, other.lawyer.id);

    // Own list only.
    const mine = (await request(t.server).get('/api/statements').set(bearer(p.partner.accessToken)).expect(200)).body;
    expect(mine.items.map((s: { id: string }) => s.id)).toEqual([partnerStatement!.id]);
    expect(mine.items[0]).toMatchObject({
      payeeRole: 'PARTNER',
      account: 'partner_commission_payable',
      payeeName: '山田太郎',
      zone: 'Asia/Tokyo',
    });
    const lawyerList = (await request(t.server).get('/api/statements').set(bearer(p.lawyer.accessToken)).expect(200)).body;
    expect(lawyerList.items.map((s: { id: string }) => s.id)).toEqual([lawyerStatement!.id]);

    // Files: the payee's own and any for an admin; someone else's statement is a 404.
    await download(t, p.lawyer.accessToken, lawyerStatement!.id).expect(200);
    await download(t, p.admin.accessToken, otherStatement!.id, 'csv').expect(200);
    const foreign = await download(t, p.lawyer.accessToken, otherStatement!.id).expect(404);
    expect(JSON.parse(foreign.body.toString()).code).toBe('STATEMENT_NOT_FOUND');
    await download(t, p.partner.accessToken, lawyerStatement!.id).expect(404);
    await download(t, p.client.accessToken, lawyerStatement!.id).expect(403);
    await request(t.server).get(`/api/statements/${lawyerStatement!.id}/file`).expect(401);
    await request(t.server)
      .get(`/api/statements/${lawyerStatement!.id}/file?format=xls`)
      .set(bearer(p.lawyer.accessToken))
      .expect(400);
    await request(t.server).get('/api/statements/not-a-uuid/file').set(bearer(p.lawyer.accessToken)).expect(400);

    // Lists: payees only; admins through the admin list (filterable by payee).
    await request(t.server).get('/api/statements').set(bearer(p.client.accessToken)).expect(403);
    await request(t.server).get('/api/statements').set(bearer(p.admin.accessToken)).expect(403);
    await request(t.server).get('/api/statements').expect(401);
    const adminList = (
      await request(t.server)
        .get('/api/admin/statements')
        .query({ payeeId: other.lawyer.id })
        .set(bearer(p.admin.accessToken))
        .expect(200)
    ).body;
    expect(adminList.items.map((s: { id: string }) => s.id)).toEqual([otherStatement!.id]);
    expect(adminList.items[0]).toMatchObject({
      payeeName: 'Other Lawyer',
      csvSha256: otherStatement!.csvSha256,
      pdfSha256: otherStatement!.pdfSha256,
    });
    await request(t.server).get('/api/admin/statements').query({ payeeId: 'nope' }).set(bearer(p.admin.accessToken)).expect(400);
    for (const token of [p.lawyer.accessToken, p.partner.accessToken, p.client.accessToken]) {
      await request(t.server).get('/api/admin/statements').set(bearer(token)).expect(403);
      await request(t.server).post('/api/admin/statements/run').set(bearer(token)).expect(403);
      await request(t.server)
        .post(`/api/admin/statements/${lawyerStatement!.id}/reissue`)
        .set(bearer(token))
        .send({ reason: 'x' })
        .expect(403);
    }
    await request(t.server).post('/api/admin/statements/run').expect(401);

    // The run through the endpoint is audited under the admin who asked.
    const [audit] = await sql.query(
      `SELECT actor_id AS "actorId" FROM audit_events WHERE action = 'statement.issued' AND subject_id = $1`,
      [lawyerStatement!.id],
    );
    expect(audit.actorId).toBe(p.admin.id);
  });

  it('the issuing job is a pg-boss queue (hourly cron when jobs run)', async () => {
    const queues: { name: string }[] = await sql.query(`SELECT name FROM pgboss.queue WHERE name = 'statements.issue'`);
    expect(queues).toHaveLength(1);
    // Signing in still works after all that clock travel (tokens are real-time JWTs).
    const user = await createUser(t, { role: 'PARTNER' });
    await request(t.server)
      .get('/api/statements')
      .set(bearer((await login(t, user)).accessToken))
      .expect(200);
  });
});
