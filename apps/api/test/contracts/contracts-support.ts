import request from 'supertest';
import { DataSource } from 'typeorm';
import { sha256Hex } from '../factories/lawyers';
import { asCaller, createBookableLawyer, createSession, signedIn, type BookableLawyer, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import type { TestApp } from '../setup/test-app';

export { sha256Hex };

/** The seeded platform templates, by the start of their name. */
export const ENGAGEMENT = 'Engagement letter';
export const NDA = 'Non-disclosure';
export const FEE_AGREEMENT = 'Fee agreement';

/** A lawyer (Warsaw, Polish name) and a client (Japanese name) with a paid session: the parties of a contract. */
export interface Parties {
  lawyer: Caller & { name: string };
  client: Caller & { name: string };
  bookable: BookableLawyer;
  sessionId: string;
}

export async function partiesWithPaidSession(
  t: TestApp,
  opts: { lawyerName?: string; clientName?: string; bookable?: BookableLawyer } = {},
): Promise<Parties> {
  const lawyerName = opts.lawyerName ?? 'Łukasz Żółć';
  const clientName = opts.clientName ?? '山田太郎';
  const bookable =
    opts.bookable ??
    (await createBookableLawyer(t, {
      displayName: lawyerName,
      timeZone: 'Europe/Warsaw',
      offering: { title: 'Tenancy dispute review', priceMinor: 25_000, currency: 'PLN' },
    }));
  await t.app.get(DataSource).query(`UPDATE users SET time_zone = 'Europe/Warsaw' WHERE id = $1`, [bookable.id]);
  const client = await signedIn(t, { displayName: clientName });
  const session = await createSession(t, { clientId: client.id, lawyer: bookable });
  return {
    lawyer: { ...asCaller(bookable), name: bookable.displayName },
    client: { ...client, name: clientName },
    bookable,
    sessionId: session.id,
  };
}

/** The id of the platform template whose name starts with `prefix`. */
export async function platformTemplate(
  t: TestApp,
  caller: Caller,
  prefix: string,
): Promise<{ id: string; variables: { name: string }[] }> {
  const res = await request(t.server).get('/api/contract-templates').set(bearer(caller.token)).expect(200);
  const found = (res.body.items as { id: string; name: string; owner: string; variables: { name: string }[] }[]).find(
    (i) => i.owner === 'PLATFORM' && i.name.startsWith(prefix),
  );
  if (!found) throw new Error(`no platform template ${prefix}`);
  return found;
}

/** The engagement letter's values: the prefill as the lawyer would accept it. */
export async function prefilled(t: TestApp, p: Parties, templateId: string): Promise<Record<string, string>> {
  const res = await request(t.server)
    .get('/api/contracts/prefill')
    .query({ sessionId: p.sessionId, templateId })
    .set(bearer(p.lawyer.token))
    .expect(200);
  const values: Record<string, string> = {};
  for (const v of res.body.variables as { name: string; value: string | null }[]) values[v.name] = v.value ?? `Typed ${v.name}`;
  return values;
}

export interface ContractView {
  templateId: string;
  id: string;
  number: string;
  status: string;
  currentVersion: {
    id: string;
    number: number;
    sha256: string;
    previousSha256: string | null;
    blocks: { type: string; text: string }[];
    variables: Record<string, string>;
  };
  versions: { id: string; number: number; sha256: string }[];
  parties: { role: string; userId: string; name: string; signedAt: string | null; declinedAt: string | null }[];
  events: {
    type: string;
    role: string;
    name: string;
    at: string;
    ip: string | null;
    userAgent: string | null;
    documentSha256: string;
  }[];
  executed: { sha256: string; size: number; sealedAt: string; auditSeq: number } | null;
  allowedActions: Record<string, boolean>;
  closeReason: string | null;
  expiresAt: string | null;
}

/** A DRAFT engagement letter for the parties' session (201), prefilled. */
export async function draftContract(t: TestApp, p: Parties, overrides: Record<string, string> = {}): Promise<ContractView> {
  const template = await platformTemplate(t, p.lawyer, ENGAGEMENT);
  const values = { ...(await prefilled(t, p, template.id)), ...overrides };
  const res = await request(t.server)
    .post('/api/contracts')
    .set(bearer(p.lawyer.token))
    .send({ sessionId: p.sessionId, templateId: template.id, values });
  if (res.status !== 201) throw new Error(`create contract: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ContractView;
}

export async function sendContract(t: TestApp, p: Parties, id: string): Promise<ContractView> {
  return (await request(t.server).post(`/api/contracts/${id}/send`).set(bearer(p.lawyer.token)).expect(200)).body as ContractView;
}

export async function view(t: TestApp, who: Caller, c: ContractView): Promise<ContractView> {
  return (
    await request(t.server)
      .post(`/api/contracts/${c.id}/viewed`)
      .set(bearer(who.token))
      .set('user-agent', 'ContractSpec/1.0')
      .send({ versionSha256: c.currentVersion.sha256 })
      .expect(200)
  ).body as ContractView;
}

export function signRequest(t: TestApp, who: Caller & { name: string }, c: ContractView, extra: Record<string, unknown> = {}) {
  return request(t.server)
    .post(`/api/contracts/${c.id}/sign`)
    .set(bearer(who.token))
    .set('user-agent', 'ContractSpec/1.0')
    .send({ versionSha256: c.currentVersion.sha256, consent: true, typedName: who.name, ...extra });
}

/** A SENT contract both parties have opened. */
export async function sentAndViewed(t: TestApp, p: Parties): Promise<ContractView> {
  const draft = await draftContract(t, p);
  const sent = await sendContract(t, p, draft.id);
  await view(t, p.lawyer, sent);
  await view(t, p.client, sent);
  return sent;
}

/** An EXECUTED contract: sent, opened and signed by both (the client draws, too). */
export async function executedContract(t: TestApp, p: Parties): Promise<ContractView> {
  const sent = await sentAndViewed(t, p);
  await signRequest(t, p.client, sent, {
    drawing: {
      width: 300,
      height: 100,
      strokes: [
        [
          [10, 80],
          [60, 20],
          [120, 90],
          [200, 30],
        ],
      ],
    },
  }).expect(200);
  const res = await signRequest(t, p.lawyer, sent).expect(200);
  return res.body as ContractView;
}

export async function download(t: TestApp, who: Caller, path: string): Promise<Buffer> {
  const res = await request(t.server)
    .get(path)
    .set(bearer(who.token))
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => callback(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return res.body as Buffer;
}

/** Audit entries of a contract, in order. */
export function auditOf(
  t: TestApp,
  contractId: string,
): Promise<{ seq: number; action: string; actorId: string | null; payload: Record<string, unknown> }[]> {
  return t.app
    .get(DataSource)
    .query(
      `SELECT seq::int AS seq, action, actor_id AS "actorId", payload FROM audit_events WHERE subject_type = 'contract' AND subject_id = $1 ORDER BY seq`,
      [contractId],
    );
}
