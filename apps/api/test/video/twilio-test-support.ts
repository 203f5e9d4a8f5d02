import request from 'supertest';
import { DataSource } from 'typeorm';
import { createBookableLawyer, createSession, scheduleDirectly, signedIn, asCaller, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import type { TestApp } from '../setup/test-app';
import type { TwilioFake } from './twilio-fake-server';

export interface VideoSession {
  sessionId: string;
  client: Caller;
  lawyer: Caller;
  startAt: Date;
  endAt: Date;
}

/** A paid session of a new client and lawyer, scheduled to start in `startsInMinutes` (its call is open now). */
export async function videoSession(t: TestApp, startsInMinutes = 5): Promise<VideoSession> {
  const client = await signedIn(t);
  const lawyer = await createBookableLawyer(t);
  const session = await createSession(t, { clientId: client.id, lawyer });
  const scheduled = await scheduleDirectly(t, session.id, new Date(t.clock.nowMs() + startsInMinutes * 60_000));
  return { sessionId: session.id, client, lawyer: asCaller(lawyer), startAt: scheduled.startAt!, endAt: scheduled.endAt! };
}

export const join = (t: TestApp, who: Caller, sessionId: string, recordingConsent: boolean) =>
  request(t.server).post(`/api/sessions/${sessionId}/video/join`).set(bearer(who.token)).send({ recordingConsent });

export const consent = (t: TestApp, who: Caller, sessionId: string, recordingConsent: boolean) =>
  request(t.server).put(`/api/sessions/${sessionId}/video/consent`).set(bearer(who.token)).send({ recordingConsent });

export const endCall = (t: TestApp, who: Caller, sessionId: string) =>
  request(t.server).post(`/api/sessions/${sessionId}/video/end`).set(bearer(who.token)).send({});

/** The path of a callback endpoint in this app. */
export const callbackPath = (kind: 'rooms' | 'compositions') => `/api/webhooks/twilio/${kind}`;

/**
 * POSTs a Twilio callback to the app as Twilio would: the form, and X-Twilio-Signature over
 * `signedUrl` (by default PUBLIC_URL + the path, which is what Twilio was told to call).
 * `signature: null` sends none; `body` replaces the form actually sent (after signing).
 */
export function deliver(
  t: TestApp,
  fake: TwilioFake,
  kind: 'rooms' | 'compositions',
  params: Record<string, string>,
  opts: { signedUrl?: string; signature?: string | null; body?: string; host?: string; query?: string } = {},
) {
  const path = callbackPath(kind) + (opts.query ? `?${opts.query}` : '');
  const signedUrl = opts.signedUrl ?? `${t.config.PUBLIC_URL.replace(/\/+$/, '')}${path}`;
  const signature = opts.signature === undefined ? fake.sign(signedUrl, params) : opts.signature;
  let req = request(t.server).post(path).set('content-type', 'application/x-www-form-urlencoded');
  if (signature !== null) req = req.set('x-twilio-signature', signature);
  if (opts.host) req = req.set('host', opts.host);
  return req.send(opts.body ?? new URLSearchParams(params).toString());
}

/** Row counts of what a callback may write. */
export async function writtenCounts(t: TestApp): Promise<Record<string, number>> {
  const [row] = await t.app.get(DataSource).query(
    `SELECT (SELECT count(*)::int FROM video_callbacks) AS callbacks,
            (SELECT count(*)::int FROM video_attendance) AS attendance,
            (SELECT count(*)::int FROM audit_events) AS audit,
            (SELECT count(*)::int FROM recordings) AS recordings,
            (SELECT count(*)::int FROM session_events) AS "sessionEvents",
            (SELECT count(*)::int FROM pgboss.job WHERE name = 'video.composition-ingest') AS jobs`,
  );
  return row as Record<string, number>;
}

export function twilioEnv(fake: TwilioFake, publicUrl = 'https://api.example.test'): Record<string, string> {
  return { ...fake.env(), PUBLIC_URL: publicUrl, THROTTLE_LIMIT: '100000' };
}
