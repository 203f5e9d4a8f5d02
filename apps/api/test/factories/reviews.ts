import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionLifecycle } from '../../src/modules/consultations-core/session-lifecycle.service';
import type { TestApp } from '../setup/test-app';
import { asCaller, createSession, scheduleDirectly, type BookableLawyer, type Caller } from './sessions';
import { bearer } from './users';

let slot = 0;

/**
 * A distinct past start for each session of this process (a lawyer's sessions must not overlap:
 * the no-double-booking constraint), ending at least an hour before the clock's now.
 */
function pastStart(t: TestApp): Date {
  slot += 1;
  return new Date(t.clock.now().getTime() - (2 + 2 * slot) * 3_600_000);
}

/**
 * A paid session of `client` with `lawyer`, scheduled in the past and COMPLETED by the lawyer
 * over HTTP (POST /api/sessions/:id/complete), which opens its review window; its id.
 */
export async function completedViaApi(t: TestApp, client: Caller, lawyer: BookableLawyer): Promise<string> {
  const session = await createSession(t, { clientId: client.id, lawyer });
  await scheduleDirectly(t, session.id, pastStart(t));
  const res = await request(t.server).post(`/api/sessions/${session.id}/complete`).set(bearer(asCaller(lawyer).token));
  if (res.status !== 200) throw new Error(`complete failed: ${res.status} ${JSON.stringify(res.body)}`);
  return session.id;
}

/** Like completedViaApi, through SessionLifecycle directly (no sign-in needed: for many sessions). */
export async function completedDirectly(t: TestApp, clientId: string, lawyer: Pick<BookableLawyer, 'id' | 'offering'>): Promise<string> {
  const session = await createSession(t, { clientId, lawyer });
  await scheduleDirectly(t, session.id, pastStart(t));
  const lifecycle = t.app.get(SessionLifecycle);
  await t.app.get(DataSource).transaction(async (m) => {
    const locked = await lifecycle.lock(m, session.id);
    await lifecycle.transition(m, locked, 'complete', { id: lawyer.id, role: 'LAWYER' }, { completedAt: t.clock.now() });
  });
  return session.id;
}

export function submitReview(t: TestApp, caller: Caller, sessionId: string, body: object): request.Test {
  return request(t.server).post(`/api/sessions/${sessionId}/review`).set(bearer(caller.token)).send(body);
}

/** How many of `kind` notifications the user has. */
export async function notificationCount(t: TestApp, userId: string, kind: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND kind = $2`, [userId, kind]);
  return n;
}
