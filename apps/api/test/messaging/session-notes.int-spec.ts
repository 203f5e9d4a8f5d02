import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createSession, signedIn } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { newDevice, noteBody, readyPair, registration, setUpKeys } from './messaging-support';

describe('session notes: a shared agenda and private notes, encrypted with the conversation key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the agenda is shared and versioned; a stale version is 409 NOTE_VERSION_CONFLICT with the current one', async () => {
    const p = await readyPair(t);
    const url = `/api/sessions/${p.sessionId}/notes`;
    expect((await request(t.server).get(url).set(bearer(p.lawyer.token)).expect(200)).body).toEqual({
      conversationId: p.conversationId,
      agenda: null,
      private: null,
    });

    const v1 = noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.client.device);
    const saved = await request(t.server).put(`${url}/agenda`).set(bearer(p.client.token)).send(v1).expect(200);
    expect(saved.body).toEqual({
      sessionId: p.sessionId,
      conversationId: p.conversationId,
      kind: 'AGENDA',
      version: 1,
      authorUserId: p.client.id,
      epoch: p.epoch,
      senderDeviceId: p.client.device.deviceId,
      nonce: v1.nonce,
      ciphertext: v1.ciphertext,
      signature: v1.signature,
      updatedAt: expect.any(String),
    });
    expect((await request(t.server).get(url).set(bearer(p.lawyer.token)).expect(200)).body.agenda).toEqual(saved.body);

    const v2 = noteBody(p.sessionId, p.conversationId, 'AGENDA', 2, p.epoch, p.lawyer.device, 1024);
    await request(t.server).put(`${url}/agenda`).set(bearer(p.lawyer.token)).send(v2).expect(200);
    // The client saves on top of version 1 they loaded: refused, with the version to reload.
    const stale = await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 2, p.epoch, p.client.device));
    expect([stale.status, stale.body.code, stale.body.details]).toEqual([409, 'NOTE_VERSION_CONFLICT', { current: 2 }]);
    const skipped = await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 4, p.epoch, p.client.device));
    expect(skipped.body).toMatchObject({ code: 'NOTE_VERSION_CONFLICT', details: { current: 2 } });
    const agenda = (await request(t.server).get(url).set(bearer(p.client.token)).expect(200)).body.agenda;
    expect(agenda).toMatchObject({ version: 2, authorUserId: p.lawyer.id, ciphertext: v2.ciphertext });
  });

  it('a private note is returned to its author only, never to the other participant', async () => {
    const p = await readyPair(t);
    const url = `/api/sessions/${p.sessionId}/notes`;
    const clientNote = noteBody(p.sessionId, p.conversationId, 'PRIVATE', 1, p.epoch, p.client.device);
    await request(t.server).put(`${url}/private`).set(bearer(p.client.token)).send(clientNote).expect(200);
    const forLawyer = await request(t.server).get(url).set(bearer(p.lawyer.token)).expect(200);
    expect(forLawyer.body.private).toBeNull();
    expect(JSON.stringify(forLawyer.body)).not.toContain(clientNote.ciphertext);

    // The lawyer's own private note starts at version 1, independent of the client's.
    const lawyerNote = noteBody(p.sessionId, p.conversationId, 'PRIVATE', 1, p.epoch, p.lawyer.device);
    await request(t.server).put(`${url}/private`).set(bearer(p.lawyer.token)).send(lawyerNote).expect(200);
    const mine = await request(t.server).get(url).set(bearer(p.client.token)).expect(200);
    expect(mine.body.private).toMatchObject({ kind: 'PRIVATE', authorUserId: p.client.id, ciphertext: clientNote.ciphertext });
    expect(JSON.stringify(mine.body)).not.toContain(lawyerNote.ciphertext);
    const theirs = await request(t.server).get(url).set(bearer(p.lawyer.token)).expect(200);
    expect(theirs.body.private).toMatchObject({ authorUserId: p.lawyer.id, ciphertext: lawyerNote.ciphertext });
  });

  it('participants only, and only once the pair has a conversation: 404 SESSION_NOT_FOUND otherwise', async () => {
    const p = await readyPair(t);
    const stranger = await setUpKeys(t, await signedIn(t));
    const body = noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, stranger.device);
    for (const attempt of [
      request(t.server).get(`/api/sessions/${p.sessionId}/notes`),
      request(t.server).put(`/api/sessions/${p.sessionId}/notes/agenda`).send(body),
      request(t.server).put(`/api/sessions/${p.sessionId}/notes/private`).send(body),
      request(t.server).get(`/api/sessions/${randomUUID()}/notes`),
    ]) {
      const res = await attempt.set(bearer(stranger.token));
      expect([res.status, res.body.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    }
    // An unpaid session of a new pair: no conversation yet.
    const client = await signedIn(t);
    const unpaid = await createSession(t, { clientId: client.id, lawyer: p.lawyerProfile, paid: false });
    const res = await request(t.server).get(`/api/sessions/${unpaid.id}/notes`).set(bearer(client.token));
    expect([res.status, res.body.code]).toEqual([404, 'SESSION_NOT_FOUND']);
  });

  it('checks kind, padded sizes (at most 16400 bytes), device and epoch like messages', async () => {
    const p = await readyPair(t);
    const url = `/api/sessions/${p.sessionId}/notes`;
    const bad = await request(t.server)
      .put(`${url}/AGENDA`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.client.device));
    expect([bad.status, bad.body.code, bad.body.fields]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'kind', messages: ['kind must be agenda or private'] }],
    ]);
    const tooLong = await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.client.device, 65536));
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const notBucket = await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.client.device, 300));
    expect([notBucket.status, notBucket.body.code, notBucket.body.details]).toEqual([
      400,
      'E2EE_CIPHERTEXT_SIZE',
      { allowed: [272, 1040, 4112, 16400] },
    ]);
    await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 1, p.epoch, p.client.device, 16384))
      .expect(200);
    const wrongDevice = await request(t.server)
      .put(`${url}/private`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'PRIVATE', 1, p.epoch, p.lawyer.device));
    expect([wrongDevice.status, wrongDevice.body.code]).toEqual([400, 'E2EE_DEVICE_INVALID']);

    // A new device: the conversation must be rekeyed before anything more is saved in it.
    await request(t.server)
      .post('/api/e2ee/devices')
      .set(bearer(p.client.token))
      .send(registration(p.client.id, p.client.identity, newDevice()))
      .expect(201);
    const stale = await request(t.server)
      .put(`${url}/agenda`)
      .set(bearer(p.client.token))
      .send(noteBody(p.sessionId, p.conversationId, 'AGENDA', 2, p.epoch, p.client.device));
    expect([stale.status, stale.body.code, stale.body.details]).toEqual([
      409,
      'E2EE_EPOCH_STALE',
      { currentEpoch: 1, needsRekey: true },
    ]);
  });
});
