import { Client } from 'pg';
import request from 'supertest';
import { createBookableLawyer, signedIn, asCaller, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import {
  auditOf,
  draftContract,
  ENGAGEMENT,
  FEE_AGREEMENT,
  NDA,
  partiesWithPaidSession,
  platformTemplate,
  prefilled,
  type Parties,
} from './contracts-support';

/**
 * Issue 15, Done when 1: templates are strict (an unknown or missing variable is a 400 that
 * lists the names, never an empty gap) and values are never markup (`<script>`, `{{x}}` appear
 * literally, in the preview, the stored version and the contract's blocks). Also who sees and
 * manages which templates, and that template versions never change.
 */
describe('contract templates: strict variables, literal values, versions, access', () => {
  let t: TestApp;
  let p: Parties;
  let admin: Caller;
  let otherLawyer: Caller;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    p = await partiesWithPaidSession(t);
    admin = await signedIn(t, { role: 'ADMIN' });
    otherLawyer = asCaller(await createBookableLawyer(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (who: Caller, path: string, body: object) => request(t.server).post(path).set(bearer(who.token)).send(body);

  it('seeds three platform templates every lawyer and admin sees: an engagement letter, an NDA and a fee agreement', async () => {
    for (const who of [p.lawyer, admin]) {
      const res = await request(t.server).get('/api/contract-templates').set(bearer(who.token)).expect(200);
      const platform = (res.body.items as { name: string; owner: string }[])
        .filter((i) => i.owner === 'PLATFORM')
        .map((i) => i.name);
      expect(platform).toEqual(
        expect.arrayContaining([
          expect.stringMatching(ENGAGEMENT),
          expect.stringMatching(NDA),
          expect.stringMatching(FEE_AGREEMENT),
        ]),
      );
    }
    const engagement = await platformTemplate(t, p.lawyer, ENGAGEMENT);
    const detail = await request(t.server)
      .get(`/api/contract-templates/${engagement.id}`)
      .set(bearer(p.lawyer.token))
      .expect(200);
    expect(detail.body).toMatchObject({ owner: 'PLATFORM', archived: false, version: { number: 1 } });
    expect(detail.body.version.body).toContain('{{client_name}}');
    expect(detail.body.version.variables.map((v: { name: string }) => v.name)).toEqual(
      expect.arrayContaining(['client_name', 'lawyer_name', 'fee', 'scope', 'jurisdiction', 'session_date', 'effective_date']),
    );
    // Clients and partners have no template routes at all.
    await request(t.server).get('/api/contract-templates').set(bearer(p.client.token)).expect(403);
  });

  it('refuses a body using undeclared variables with 400 TEMPLATE_VARIABLES_UNDECLARED listing them', async () => {
    const res = await post(p.lawyer, '/api/contract-templates', {
      name: 'Mine',
      body: 'Hello {{client_name}}, your matter {{matter_ref}} is handled by {{assistant}}.',
      variables: [{ name: 'client_name', label: 'Client' }],
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'TEMPLATE_VARIABLES_UNDECLARED', details: { names: ['matter_ref', 'assistant'] } });
  });

  it.each([
    ['a section', 'Hi {{#vip}}dear{{/vip}} {{client_name}}'],
    ['a partial', 'Hi {{> footer}}'],
    ['an unescaped tag', 'Hi {{{client_name}}}'],
    ['a delimiter change', '{{=<% %>=}}Hi <%client_name%>'],
    ['an unclosed tag', 'Hi {{client_name'],
    ['a dotted name', 'Hi {{client.name}}'],
  ])('refuses %s with 400 TEMPLATE_SYNTAX_INVALID', async (_what, body) => {
    const res = await post(p.lawyer, '/api/contract-templates', {
      name: 'Bad',
      body,
      variables: [{ name: 'client_name', label: 'Client' }],
    }).expect(400);
    expect(res.body.code).toBe('TEMPLATE_SYNTAX_INVALID');
    expect(typeof res.body.details.message).toBe('string');
  });

  it('preview: missing and unknown variables are 400s listing the names; blank is missing', async () => {
    const body = '# Letter\n\nDear {{client_name}}, the fee is {{fee}} for {{scope}}.';
    const variables = [
      { name: 'client_name', label: 'Client' },
      { name: 'fee', label: 'Fee' },
      { name: 'scope', label: 'Scope' },
    ];
    const missing = await post(p.lawyer, '/api/contract-templates/preview', {
      body,
      variables,
      values: { client_name: 'Ann', fee: '   ' },
    }).expect(400);
    expect(missing.body).toMatchObject({ code: 'CONTRACT_VARIABLES_MISSING', details: { names: ['fee', 'scope'] } });
    const unknown = await post(p.lawyer, '/api/contract-templates/preview', {
      body,
      variables,
      values: { client_name: 'Ann', fee: '1', scope: 'x', discount: '5%', court: 'X' },
    }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'CONTRACT_VARIABLES_UNKNOWN', details: { names: ['court', 'discount'] } });
    const ok = await post(admin, '/api/contract-templates/preview', {
      body,
      variables,
      values: { client_name: 'Ann', fee: '1 EUR', scope: 'a will' },
    }).expect(200);
    expect(ok.body.blocks).toEqual([
      { type: 'heading', text: 'Letter' },
      { type: 'paragraph', text: 'Dear Ann, the fee is 1 EUR for a will.' },
    ]);
  });

  it('preview and contracts show values literally: <script>, {{x}} and markup are never interpreted', async () => {
    const hostile = '<script>alert(1)</script> {{lawyer_name}} {{{x}}} # heading';
    const preview = await post(p.lawyer, '/api/contract-templates/preview', {
      body: '{{a}}\n\n- {{a}}',
      variables: [{ name: 'a', label: 'A' }],
      values: { a: hostile },
    }).expect(200);
    expect(preview.body.blocks).toEqual([
      { type: 'paragraph', text: hostile },
      { type: 'bullet', text: hostile },
    ]);

    const contract = await draftContract(t, p, { scope: hostile, client_name: '{{client_name}}' });
    const texts = contract.currentVersion.blocks.map((b) => b.text).join('\n');
    expect(texts).toContain(`consultation: ${hostile}.`);
    expect(texts).toContain('between {{client_name}} (');
    expect(contract.currentVersion.variables.scope).toBe(hostile);
    // No value turned into a block of its own (the "# heading" inside stays in its paragraph).
    expect(contract.currentVersion.blocks.filter((b) => b.type === 'heading')).toHaveLength(1);
  });

  it('creating a contract with missing or unknown values is a 400 listing them, and nothing is stored', async () => {
    const template = await platformTemplate(t, p.lawyer, ENGAGEMENT);
    const values = await prefilled(t, p, template.id);
    const { fee: _fee, scope: _scope, ...withoutTwo } = values;
    const missing = await post(p.lawyer, '/api/contracts', {
      sessionId: p.sessionId,
      templateId: template.id,
      values: withoutTwo,
    }).expect(400);
    expect(missing.body).toMatchObject({ code: 'CONTRACT_VARIABLES_MISSING', details: { names: ['scope', 'fee'] } });
    const unknown = await post(p.lawyer, '/api/contracts', {
      sessionId: p.sessionId,
      templateId: template.id,
      values: { ...values, retainer: '1000 EUR' },
    }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'CONTRACT_VARIABLES_UNKNOWN', details: { names: ['retainer'] } });
    const list = await request(t.server)
      .get('/api/contracts')
      .query({ sessionId: p.sessionId })
      .set(bearer(p.lawyer.token))
      .expect(200);
    expect(list.body.items.every((c: { id: string }) => typeof c.id === 'string')).toBe(true);
    const before = list.body.total as number;
    await post(p.lawyer, '/api/contracts', { sessionId: p.sessionId, templateId: template.id, values: withoutTwo }).expect(400);
    expect(
      (await request(t.server).get('/api/contracts').query({ sessionId: p.sessionId }).set(bearer(p.lawyer.token)).expect(200))
        .body.total,
    ).toBe(before);
  });

  it('a lawyer’s own template: versioned on every save, invisible to other lawyers, archived for new contracts; all audited', async () => {
    const created = await post(p.lawyer, '/api/contract-templates', {
      name: 'Retainer — Żółć & partners',
      description: 'For follow-up work',
      body: '# Retainer\n\nBetween {{client_name}} and {{lawyer_name}}.',
      variables: [
        { name: 'client_name', label: 'Client', hint: 'Full name' },
        { name: 'lawyer_name', label: 'Lawyer' },
      ],
    }).expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ owner: 'OWN', archived: false, version: { number: 1 } });

    await request(t.server).get(`/api/contract-templates/${id}`).set(bearer(otherLawyer.token)).expect(404);
    await request(t.server).get(`/api/contract-templates/${id}`).set(bearer(admin.token)).expect(404);
    await post(otherLawyer, `/api/contract-templates/${id}/versions`, { name: 'x', body: 'x', variables: [] }).expect(404);
    const otherList = await request(t.server).get('/api/contract-templates').set(bearer(otherLawyer.token)).expect(200);
    expect(otherList.body.items.map((i: { id: string }) => i.id)).not.toContain(id);

    const v2 = await post(p.lawyer, `/api/contract-templates/${id}/versions`, {
      name: 'Retainer',
      body: '# Retainer\n\nBetween {{client_name}} and {{lawyer_name}}, effective {{effective_date}}.',
      variables: [
        { name: 'client_name', label: 'Client' },
        { name: 'lawyer_name', label: 'Lawyer' },
        { name: 'effective_date', label: 'Date' },
      ],
    }).expect(201);
    // A version saved without a description keeps the template's description.
    expect(v2.body).toMatchObject({ name: 'Retainer', description: 'For follow-up work', version: { number: 2 } });
    expect(v2.body.version.id).not.toBe(created.body.version.id);

    // A lawyer cannot change a platform template (visible, not theirs): 403.
    const engagement = await platformTemplate(t, p.lawyer, ENGAGEMENT);
    await post(p.lawyer, `/api/contract-templates/${engagement.id}/versions`, { name: 'x', body: 'x', variables: [] }).expect(
      403,
    );
    await post(p.lawyer, `/api/contract-templates/${engagement.id}/archive`, {}).expect(403);

    await post(p.lawyer, `/api/contract-templates/${id}/archive`, {}).expect(200);
    const archived = await post(p.lawyer, `/api/contract-templates/${id}/archive`, {}).expect(200);
    expect(archived.body.archived).toBe(true);
    await post(p.lawyer, `/api/contract-templates/${id}/versions`, { name: 'x', body: 'x', variables: [] }).expect(409);
    const refused = await post(p.lawyer, '/api/contracts', {
      sessionId: p.sessionId,
      templateId: id,
      values: { client_name: 'A', lawyer_name: 'B', effective_date: 'today' },
    }).expect(409);
    expect(refused.body.code).toBe('TEMPLATE_ARCHIVED');
    const visible = await request(t.server).get('/api/contract-templates').set(bearer(p.lawyer.token)).expect(200);
    expect(visible.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
    const all = await request(t.server)
      .get('/api/contract-templates')
      .query({ includeArchived: 'true' })
      .set(bearer(p.lawyer.token))
      .expect(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toContain(id);

    const sql = new Client({ connectionString: t.db.url });
    await sql.connect();
    try {
      const actions = await sql.query(
        `SELECT action FROM audit_events WHERE subject_type = 'contract_template' AND subject_id = $1 ORDER BY seq`,
        [id],
      );
      expect(actions.rows.map((r) => r.action)).toEqual([
        'contract_template.created',
        'contract_template.versioned',
        'contract_template.archived',
      ]);
      // Template versions never change in the database.
      for (const statement of [
        `UPDATE contract_template_versions SET body = 'changed' WHERE template_id = $1`,
        `DELETE FROM contract_template_versions WHERE template_id = $1`,
      ]) {
        await expect(sql.query(statement, [id])).rejects.toMatchObject({ code: '23001' });
      }
      await expect(sql.query('TRUNCATE contract_template_versions CASCADE')).rejects.toMatchObject({ code: '23001' });
      expect(
        (await sql.query(`SELECT count(*)::int AS n FROM contract_template_versions WHERE template_id = $1`, [id])).rows[0].n,
      ).toBe(2);
    } finally {
      await sql.end();
    }
  });

  it('an admin manages platform templates; lawyers see them', async () => {
    const created = await post(admin, '/api/contract-templates', {
      name: 'Platform power of attorney',
      body: '# Power of attorney\n\n{{client_name}} authorises {{lawyer_name}}.',
      variables: [
        { name: 'client_name', label: 'Client' },
        { name: 'lawyer_name', label: 'Lawyer' },
      ],
    }).expect(201);
    expect(created.body.owner).toBe('PLATFORM');
    const seen = await request(t.server)
      .get(`/api/contract-templates/${created.body.id}`)
      .set(bearer(p.lawyer.token))
      .expect(200);
    expect(seen.body.owner).toBe('PLATFORM');
    const contract = await post(p.lawyer, '/api/contracts', {
      sessionId: p.sessionId,
      templateId: created.body.id,
      values: { client_name: p.client.name, lawyer_name: p.lawyer.name },
    }).expect(201);
    expect(contract.body.currentVersion.blocks[1].text).toBe(`${p.client.name} authorises ${p.lawyer.name}.`);
    expect((await auditOf(t, contract.body.id)).map((e) => e.action)).toEqual(['contract.created']);
  });
});
