/**
 * Video scenarios of `npm run bench` (issue 12): Twilio join-token issuance and Twilio callback
 * intake. Both servers run the Twilio provider's configuration below (fake credentials in the
 * right format; no REST call to Twilio happens: the rooms are seeded as already created).
 */
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import twilio from 'twilio';

/** The Twilio configuration both bench servers get (the app through its env, the baseline too). */
export const BENCH_TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'be'.repeat(16)}`,
  TWILIO_API_KEY_SID: `SK${'ce'.repeat(16)}`,
  TWILIO_API_KEY_SECRET: 'bench-api-key-secret-0123456789',
  TWILIO_AUTH_TOKEN: 'bench-auth-token-0123456789abcdef',
  // Nothing may reach Twilio during the bench: a closed local port (the rooms are seeded).
  TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
  PUBLIC_URL: 'https://bench.lexmarket.example',
} as const;

export const CALLBACK_PATH = '/api/webhooks/twilio/rooms';
export const CALLBACK_URL = `${BENCH_TWILIO.PUBLIC_URL}${CALLBACK_PATH}`;
/** On average, how many times the bench sends each distinct callback (Twilio retries; proxies replay). */
export const CALLBACK_COPIES = 3;

const DOMAIN = 'bench.lexmarket.example';
const ROOMS = Number(process.env.BENCH_VIDEO_ROOMS ?? 20);

export interface BenchCall {
  sessionId: string;
  roomName: string;
  roomSid: string;
  clientIdentity: string;
  lawyerIdentity: string;
  clientEmail: string;
}

export interface VideoSeed {
  tag: string;
  password: string;
  calls: BenchCall[];
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

let seeded: Promise<VideoSeed> | undefined;

/**
 * Fresh per run (tagged): ROOMS running sessions (a client and a lawyer each, started 5 minutes
 * ago, 4 hours long), each with its Twilio room already created and both participants joined
 * once, so a join only issues a token and a callback only touches our database.
 */
export function seedVideo(databaseUrl: string): Promise<VideoSeed> {
  seeded ??= (async () => {
    const tag = hex(4);
    const password = `bench video ${hex(6)}`;
    const hash = await argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const calls: BenchCall[] = [];
    try {
      await db.query('BEGIN');
      for (let i = 0; i < ROOMS; i++) {
        const clientEmail = `video-client-${tag}-${i}@${DOMAIN}`;
        const { rows: users } = await db.query<{ id: string; role: string }>(
          `INSERT INTO users (email, password_hash, role, display_name, email_verified_at)
           VALUES ($1, $3, 'CLIENT', 'Bench video client', now()), ($2, $3, 'LAWYER', 'Bench video lawyer', now()) RETURNING id, role`,
          [clientEmail, `video-lawyer-${tag}-${i}@${DOMAIN}`, hash],
        );
        const clientId = users.find((u) => u.role === 'CLIENT')!.id;
        const lawyerId = users.find((u) => u.role === 'LAWYER')!.id;
        // Not verified: kept out of the directory the other scenarios read.
        await db.query(
          `INSERT INTO lawyer_profiles (user_id, bar_number, bar_jurisdiction, jurisdictions, practice_areas, languages, bio, status)
           VALUES ($1, 'BAR-VIDEO', 'Madrid, Spain', '{ES}', '{family}', '{en}', 'Bench video lawyer', 'PENDING_VERIFICATION')`,
          [lawyerId],
        );
        const { rows: offerings } = await db.query<{ id: string }>(
          `INSERT INTO offerings (lawyer_id, title, duration_minutes, price_minor, currency) VALUES ($1, 'Bench video call', 240, 9000, 'EUR') RETURNING id`,
          [lawyerId],
        );
        const { rows: sessions } = await db.query<{ id: string }>(
          `INSERT INTO legal_sessions (client_id, lawyer_id, offering_id, offering_title, duration_minutes, price_minor, currency, status,
                                       start_at, end_at, checkout_expires_at, paid_at)
           VALUES ($1, $2, $3, 'Bench video call', 240, 9000, 'EUR', 'IN_PROGRESS', now() - interval '5 minutes',
                   now() - interval '5 minutes' + interval '240 minutes', now(), now()) RETURNING id`,
          [clientId, lawyerId, offerings[0]!.id],
        );
        const call: BenchCall = {
          sessionId: sessions[0]!.id,
          roomName: `lm_${hex(16)}`,
          roomSid: `RM${hex(16)}`,
          clientIdentity: `p_${hex(16)}`,
          lawyerIdentity: `p_${hex(16)}`,
          clientEmail,
        };
        await db.query(
          `INSERT INTO video_rooms (session_id, provider, room_name, provider_room_sid, created_at, updated_at) VALUES ($1, 'twilio', $2, $3, now(), now())`,
          [call.sessionId, call.roomName, call.roomSid],
        );
        await db.query(
          `INSERT INTO video_participants (session_id, user_id, identity, role, created_at) VALUES ($1, $2, $3, 'CLIENT', now()), ($1, $4, $5, 'LAWYER', now())`,
          [call.sessionId, clientId, call.clientIdentity, lawyerId, call.lawyerIdentity],
        );
        calls.push(call);
      }
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    } finally {
      await db.end();
    }
    console.log(`video: ${ROOMS} running Twilio calls seeded (tag ${tag})\n`);
    return { tag, password, calls };
  })();
  return seeded;
}

/** Signs in each bench client through the app; their access tokens, in the order of `seed.calls`. */
export async function signInClients(appUrl: string, seed: VideoSeed): Promise<string[]> {
  const tokens: string[] = [];
  for (const call of seed.calls) {
    const res = await fetch(`${appUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: call.clientEmail, password: seed.password }),
    });
    if (res.status !== 200) throw new Error(`video bench: login answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    tokens.push(((await res.json()) as { accessToken: string }).accessToken);
  }
  return tokens;
}

export interface GeneratedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Join requests round-robin over the seeded calls, each by that call's client. */
export function joinRequests(seed: VideoSeed, tokens: string[]): () => GeneratedRequest {
  let k = 0;
  return () => {
    const i = k++ % seed.calls.length;
    return {
      method: 'POST',
      path: `/api/sessions/${seed.calls[i]!.sessionId}/video/join`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
      body: '{"recordingConsent":false}',
    };
  };
}

/** What the bench keeps of each server's callback stream, to check what was written afterwards. */
export interface CallbackStream {
  next: () => GeneratedRequest;
  sent: () => { requests: number; distinct: number };
}

/**
 * Signed participant-connected/-disconnected callbacks as Twilio sends them, for the seeded
 * rooms (each distinct event has its own ParticipantSid, tagged with the run and `server`).
 * One request in CALLBACK_COPIES is a new event; the others redeliver an event sent 60 to 300
 * requests earlier, the way Twilio retries a callback whose answer it did not get (seconds
 * later, not at the same instant; simultaneous copies are the integration tests' 50-at-once case).
 */
export function callbackRequests(seed: VideoSeed, server: string): CallbackStream {
  let k = 0;
  const sent: GeneratedRequest[] = [];
  const next = (): GeneratedRequest => {
    const i = k++;
    if (i % CALLBACK_COPIES !== 0 && sent.length > 0) {
      const back = 60 + ((i * 7919) % 240);
      return sent[Math.max(0, sent.length - 1 - Math.floor(back / CALLBACK_COPIES))]!;
    }
    const n = sent.length;
    // Events 2m and 2m+1: one participant connection (connected, then disconnected).
    const connection = Math.floor(n / 2);
    const call = seed.calls[connection % seed.calls.length]!;
    const participant = Math.floor(connection / seed.calls.length);
    const event = n % 2 === 0 ? 'participant-connected' : 'participant-disconnected';
    const params: Record<string, string> = {
      AccountSid: BENCH_TWILIO.TWILIO_ACCOUNT_SID,
      RoomName: call.roomName,
      RoomSid: call.roomSid,
      RoomStatus: 'in-progress',
      RoomType: 'group',
      StatusCallbackEvent: event,
      Timestamp: new Date().toISOString(),
      SequenceNumber: String(n),
      ParticipantSid: `PA${seed.tag}${server}${connection.toString(16).padStart(32 - seed.tag.length - server.length, '0')}`,
      ParticipantIdentity: participant % 2 === 0 ? call.clientIdentity : call.lawyerIdentity,
      ParticipantStatus: event === 'participant-connected' ? 'connected' : 'disconnected',
    };
    const request: GeneratedRequest = {
      method: 'POST',
      path: CALLBACK_PATH,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(BENCH_TWILIO.TWILIO_AUTH_TOKEN, CALLBACK_URL, params),
      },
      body: new URLSearchParams(params).toString(),
    };
    sent.push(request);
    return request;
  };
  return { next, sent: () => ({ requests: k, distinct: sent.length }) };
}

/**
 * What one server's callbacks wrote: stored callbacks and attendance rows of this run's events
 * (`provider` 'twilio' for the app, 'baseline' for the baseline), and how many rows repeat a
 * dedupe key (must be zero).
 */
export async function callbackRows(
  databaseUrl: string,
  seed: VideoSeed,
  server: 'a' | 'b',
): Promise<{ callbacks: number; attendance: number; duplicateCallbacks: number; duplicateAttendance: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const like = `%PA${seed.tag}${server}%`;
    const { rows } = await db.query<{ callbacks: number; attendance: number; dc: number; da: number }>(
      `SELECT (SELECT count(*)::int FROM video_callbacks WHERE dedupe_key LIKE $1) AS callbacks,
              (SELECT count(*)::int FROM video_attendance WHERE dedupe_key LIKE $1) AS attendance,
              (SELECT count(*)::int FROM video_callbacks WHERE dedupe_key LIKE $1) - (SELECT count(DISTINCT (provider, dedupe_key))::int FROM video_callbacks WHERE dedupe_key LIKE $1) AS dc,
              (SELECT count(*)::int FROM video_attendance WHERE dedupe_key LIKE $1) - (SELECT count(DISTINCT dedupe_key)::int FROM video_attendance WHERE dedupe_key LIKE $1) AS da`,
      [like],
    );
    const r = rows[0]!;
    return { callbacks: r.callbacks, attendance: r.attendance, duplicateCallbacks: r.dc, duplicateAttendance: r.da };
  } finally {
    await db.end();
  }
}
