import { createHash } from 'node:crypto';
import request from 'supertest';
import { asCaller, createBookableLawyer, createSession, scheduleDirectly, signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import type { TestApp } from '../setup/test-app';

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

export interface CallFixture {
  sessionId: string;
  client: Caller;
  lawyer: Caller;
}

/**
 * A paid session starting in 5 minutes (inside the join window) whose two participants have
 * joined the call through the API, each giving `consent` (both true by default).
 */
export async function joinedCall(t: TestApp, consent: { client: boolean; lawyer: boolean } = { client: true, lawyer: true }): Promise<CallFixture> {
  const bookable = await createBookableLawyer(t);
  const client = await signedIn(t);
  const session = await createSession(t, { clientId: client.id, lawyer: bookable });
  await scheduleDirectly(t, session.id, new Date(t.clock.now().getTime() + 5 * 60_000));
  const lawyer = asCaller(bookable);
  for (const [who, recordingConsent] of [
    [client, consent.client],
    [lawyer, consent.lawyer],
  ] as const) {
    await request(t.server).post(`/api/sessions/${session.id}/video/join`).set(bearer(who.token)).send({ recordingConsent }).expect(200);
  }
  return { sessionId: session.id, client, lawyer };
}

/** Starts an upload as `who`; its id. */
export async function startUpload(t: TestApp, call: CallFixture, who: Caller, contentType = 'video/webm'): Promise<string> {
  const res = await request(t.server)
    .post(`/api/sessions/${call.sessionId}/recordings/uploads`)
    .set(bearer(who.token))
    .send({ contentType, startedAt: new Date(t.clock.now().getTime() - 60_000).toISOString() })
    .expect(201);
  return (res.body as { uploadId: string }).uploadId;
}

export function putChunk(t: TestApp, call: CallFixture, who: Caller, uploadId: string, index: number, bytes: Buffer, sha256 = sha256Hex(bytes)): request.Test {
  return request(t.server)
    .put(`/api/sessions/${call.sessionId}/recordings/uploads/${uploadId}/chunks/${index}`)
    .set(bearer(who.token))
    .set('content-type', 'application/octet-stream')
    .set('x-chunk-sha256', sha256)
    .send(bytes);
}

export function complete(t: TestApp, call: CallFixture, who: Caller, uploadId: string, chunkCount: number): request.Test {
  return request(t.server)
    .post(`/api/sessions/${call.sessionId}/recordings/uploads/${uploadId}/complete`)
    .set(bearer(who.token))
    .send({ chunkCount, endedAt: t.clock.now().toISOString() });
}

/** Uploads `bytes` in chunks of `chunkBytes` and completes; the recording. */
export async function uploadRecording(t: TestApp, call: CallFixture, who: Caller, bytes: Buffer, chunkBytes = 64 * 1024): Promise<{ id: string; sha256: string; auditSeq: number; sizeBytes: number }> {
  const uploadId = await startUpload(t, call, who);
  const count = Math.ceil(bytes.length / chunkBytes);
  for (let i = 0; i < count; i++) await putChunk(t, call, who, uploadId, i, bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes)).expect(200);
  return (await complete(t, call, who, uploadId, count).expect(200)).body as { id: string; sha256: string; auditSeq: number; sizeBytes: number };
}
