/**
 * Messaging scenarios of `npm run bench` (BENCH_ONLY=messaging): sending an end-to-end encrypted
 * message and reading a page of history through the API, against the baseline's hand-written SQL
 * (baseline-messaging.ts).
 *
 * Seeded fresh per run (tagged): one client and two lawyers, each pair with a paid session and
 * the conversation its payment opens (the row ConversationsRepository.open writes). All three
 * sign in through the app and set up their keys with @lm/e2ee against it (MemoryKeyStore, Node's
 * fetch), exactly as a browser does. Then:
 * - send: the client sends one message through the library (creating epoch 1, and claiming the
 *   lawyer's one "new message" email, which stays claimed: the lawyer never reads), then the
 *   library seals BENCH_MESSAGING_MESSAGES further messages per server (each its own id; real
 *   AES-256-GCM + Ed25519 records) without sending them; each server's stream posts its own, once.
 *   Every send takes the conversation's row lock, so the load measures that path under contention,
 *   as a busy conversation has it.
 * - history: BENCH_MESSAGING_HISTORY messages (default 500) sealed by the library and posted
 *   through the app into the second conversation; the client reads its newest page of 50.
 * The report decrypts stored rows of both servers as the recipient (the lawyer's E2eeClient), so
 * the load was real ciphertext, and counts what was sent and stored.
 */
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createHttpTransport, E2eeClient, MemoryKeyStore, type PostMessageRequest, type WireMessage } from '@lm/e2ee';
import type { GeneratedRequest } from './video-scenarios';

const DOMAIN = 'bench.lexmarket.example';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
/**
 * Pre-encrypted messages per server: enough for the check, the 2-second warm-up and the measured
 * seconds at 3,000 sends/s (well above what either server does on a small machine). A stream that
 * runs out does not replay: it sends invalid requests (errors) and the report fails.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGING_MESSAGES ?? Math.ceil((DURATION + 3) * 3000));
const HISTORY = Number(process.env.BENCH_MESSAGING_HISTORY ?? 500);
export const HISTORY_LIMIT = 50;

interface BenchUser {
  id: string;
  email: string;
  token: string;
  e2ee: E2eeClient;
}

export interface MessagingSeed {
  tag: string;
  client: BenchUser;
  lawyer: BenchUser;
  sendConversationId: string;
  historyConversationId: string;
  sealed: { app: PostMessageRequest[]; baseline: PostMessageRequest[] };
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

let seeded: Promise<MessagingSeed> | undefined;

export function seedMessaging(appUrl: string, databaseUrl: string): Promise<MessagingSeed> {
  seeded ??= seed(appUrl, databaseUrl);
  return seeded;
}

async function seed(appUrl: string, databaseUrl: string): Promise<MessagingSeed> {
  const tag = hex(4);
  const password = `bench messaging ${hex(6)}`;
  const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const emails = {
    client: `msg-client-${tag}@${DOMAIN}`,
    lawyer: `msg-lawyer-${tag}@${DOMAIN}`,
    lawyer2: `msg-lawyer2-${tag}@${DOMAIN}`,
  };
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let ids: { client: string; lawyer: string; lawyer2: string };
  const conversations: string[] = [];
  try {
    await db.query('BEGIN');
    const { rows: users } = await db.query<{ id: string; email: string }>(
      `INSERT INTO users (email, password_hash, role, display_name, email_verified_at)
       VALUES ($1, $4, 'CLIENT', 'Bench messaging client', now()), ($2, $4, 'LAWYER', 'Bench messaging lawyer', now()),
              ($3, $4, 'LAWYER', 'Bench history lawyer', now())
       RETURNING id, email::text AS email`,
      [emails.client, emails.lawyer, emails.lawyer2, hash],
    );
    const idOf = (email: string) => users.find((u) => u.email === email)!.id;
    ids = { client: idOf(emails.client), lawyer: idOf(emails.lawyer), lawyer2: idOf(emails.lawyer2) };
    for (const lawyerId of [ids.lawyer, ids.lawyer2]) {
      // Not verified: kept out of the directory the other scenarios read.
      await db.query(
        `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status)
         VALUES ($1, 'BAR-MSG', 'Madrid, Spain', '{ES}', '{family}', '{en}', 'Bench messaging lawyer', 'PENDING_VERIFICATION')`,
        [lawyerId],
      );
      const { rows: offerings } = await db.query<{ id: string }>(
        `INSERT INTO offerings (lawyer_id, title, duration_minutes, price_minor, currency) VALUES ($1, 'Bench consultation', 60, 9000, 'EUR') RETURNING id`,
        [lawyerId],
      );
      const { rows: sessions } = await db.query<{ id: string; paidAt: Date }>(
        `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency, status,
                                     start_at, end_at, checkout_expires_at, paid_at)
         VALUES ($1, $2, $3, 'Bench consultation', 60, 9000, 'EUR', 'SCHEDULED', now() + interval '2 days',
                 now() + interval '2 days 1 hour', now(), now()) RETURNING id, paid_at AS "paidAt"`,
        [ids.client, lawyerId, offerings[0]!.id],
      );
      // What the payment's ConversationOpener writes (ConversationsRepository.open): opened at paid_at.
      const { rows: opened } = await db.query<{ id: string }>(
        `INSERT INTO conversations (client_id, lawyer_id, opened_session_id, created_at, activity_at) VALUES ($1, $2, $3, $4, $4) RETURNING id`,
        [ids.client, lawyerId, sessions[0]!.id, sessions[0]!.paidAt],
      );
      conversations.push(opened[0]!.id);
    }
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  } finally {
    await db.end();
  }
  const [client, lawyer, lawyer2] = await Promise.all([
    signIn(appUrl, ids.client, emails.client, password),
    signIn(appUrl, ids.lawyer, emails.lawyer, password),
    signIn(appUrl, ids.lawyer2, emails.lawyer2, password),
  ]);
  const [sendConversationId, historyConversationId] = conversations as [string, string];

  // Epoch 1 of the send conversation, through the library's own send(); it also claims the lawyer's email.
  const started = Date.now();
  const sending = await client.e2ee.conversation(sendConversationId);
  await sending.send({ text: `bench ${tag}: hello` });
  const texts = (server: string) => Array.from({ length: MESSAGES }, (_, i) => `bench ${tag} ${server} message ${i}`);
  const sealed = { app: await sending.sealMessages(texts('app')), baseline: await sending.sealMessages(texts('baseline')) };
  console.log(
    `messaging: ${(2 * MESSAGES).toLocaleString('en-US')} messages sealed with @lm/e2ee in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${MESSAGES.toLocaleString('en-US')} per server)`,
  );

  // The history conversation: HISTORY messages, sealed by the library and posted through the app.
  const history = await client.e2ee.conversation(historyConversationId);
  const filled = await history.sealMessages(Array.from({ length: HISTORY }, (_, i) => `bench ${tag} history message ${i}`));
  for (let i = 0; i < filled.length; i += 10) {
    await Promise.all(filled.slice(i, i + 10).map((m) => postMessage(appUrl, client.token, historyConversationId, m)));
  }
  console.log(`messaging: ${HISTORY} messages posted through the app into the history conversation (tag ${tag})\n`);
  // lawyer2 only had to exist with keys (the epoch is sealed to its device); the report decrypts as `lawyer`.
  void lawyer2;
  return { tag, client, lawyer, sendConversationId, historyConversationId, sealed };
}

/** Signs in through the app and sets up the user's E2EE identity and device with @lm/e2ee. */
async function signIn(appUrl: string, id: string, email: string, password: string): Promise<BenchUser> {
  const res = await fetch(`${appUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`messaging bench: login answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  const token = ((await res.json()) as { accessToken: string }).accessToken;
  const e2ee = new E2eeClient({
    userId: id,
    store: new MemoryKeyStore(),
    // The server's floor for the backup's Argon2id memory, one pass: set-up cost is not what is measured.
    argon2: { memoryKiB: 19456, iterations: 1 },
    transport: createHttpTransport({ baseUrl: appUrl, getAccessToken: () => token }),
  });
  await e2ee.setUp('Bench device');
  return { id, email, token, e2ee };
}

async function postMessage(appUrl: string, token: string, conversationId: string, m: PostMessageRequest): Promise<void> {
  const res = await fetch(`${appUrl}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(m),
  });
  if (res.status !== 201)
    throw new Error(`messaging bench: a history message answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
}

/** What the bench keeps of a send stream: how many sealed messages it handed out, and whether it ran out. */
export interface SendStream {
  next: () => GeneratedRequest;
  used: () => { sent: number; exhausted: number };
}

/** Each pre-sealed message once, by the client; past the end, an invalid body (a 400, counted as an error), never a replay. */
export function sendRequests(seed: MessagingSeed, server: 'app' | 'baseline'): SendStream {
  const messages = seed.sealed[server];
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${seed.client.token}` };
  const path = `/api/conversations/${seed.sendConversationId}/messages`;
  let k = 0;
  return {
    next: () => {
      const m = messages[k++];
      return { method: 'POST', path, headers, body: m ? JSON.stringify(m) : '{"exhausted":true}' };
    },
    used: () => ({ sent: Math.min(k, messages.length), exhausted: Math.max(0, k - messages.length) }),
  };
}

export function historyRequests(seed: MessagingSeed): { next: () => GeneratedRequest } {
  const request: GeneratedRequest = {
    method: 'GET',
    path: `/api/conversations/${seed.historyConversationId}/messages?limit=${HISTORY_LIMIT}`,
    headers: { authorization: `Bearer ${seed.client.token}` },
  };
  return { next: () => request };
}

/** A message as the answer shows it, without what differs between two sends (its id and time). */
export function canonicalMessage(body: unknown): unknown {
  const { id, createdAt, nonce, ciphertext, signature, ...rest } = body as WireMessage;
  return {
    ...rest,
    id: typeof id,
    createdAt: typeof createdAt,
    nonce: nonce.length,
    ciphertext: ciphertext.length,
    signature: signature.length,
  };
}

/**
 * After the run: each server's share of the sealed messages, the rows stored under them, a few of
 * each decrypted and verified by the recipient's E2eeClient (the lawyer), and the lawyer's
 * "new message" notifications (one, claimed before the load).
 */
export async function messagingReport(
  databaseUrl: string,
  seed: MessagingSeed,
  streams: { app: SendStream; baseline: SendStream },
): Promise<string[]> {
  const lines: string[] = [];
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const session = await seed.lawyer.e2ee.conversation(seed.sendConversationId);
    for (const server of ['app', 'baseline'] as const) {
      const { sent, exhausted } = streams[server].used();
      const ids = seed.sealed[server].slice(0, sent).map((m) => m.id);
      const { rows } = await db.query<WireMessage & { nonce: Buffer; ciphertext: Buffer; signature: Buffer; createdAt: Date }>(
        `SELECT id, conversation_id AS "conversationId", sender_user_id AS "senderUserId", sender_device_id AS "senderDeviceId", epoch,
                nonce, ciphertext, signature, attachment_ids::text[] AS "attachmentIds", created_at AS "createdAt"
           FROM conversation_messages WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`,
        [ids],
      );
      // A few spread over the run: the first, the last and some between.
      const sample = [...new Set([0, Math.floor(rows.length / 3), Math.floor((2 * rows.length) / 3), rows.length - 1])]
        .map((i) => rows[i])
        .filter((r) => r !== undefined);
      let readable = 0;
      for (const r of sample) {
        const wire: WireMessage = {
          ...r,
          nonce: r.nonce.toString('base64url'),
          ciphertext: r.ciphertext.toString('base64url'),
          signature: r.signature.toString('base64url'),
          createdAt: r.createdAt.toISOString(),
        };
        const message = await session.receive(wire);
        if (message?.text.startsWith(`bench ${seed.tag} ${server} message `)) readable++;
      }
      lines.push(
        `messaging send, ${server}: ${sent.toLocaleString('en-US')} of ${seed.sealed[server].length.toLocaleString('en-US')} pre-sealed messages sent, ` +
          `${rows.length.toLocaleString('en-US')} stored; ${readable} of ${sample.length} sampled rows verified and decrypted by the recipient`,
      );
      if (exhausted > 0)
        lines.push(
          `FAIL messaging send, ${server}: ran out of sealed messages (${exhausted.toLocaleString('en-US')} requests without one; raise BENCH_MESSAGING_MESSAGES)`,
        );
      if (readable !== sample.length || sample.length === 0)
        lines.push(`FAIL messaging send, ${server}: stored messages do not decrypt`);
    }
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND kind = 'message.received'`,
      [seed.lawyer.id],
    );
    lines.push(`messaging send: the recipient got ${rows[0]!.n} "new message" notification(s) (one until they read)`);
  } finally {
    await db.end();
  }
  return lines;
}
