import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signedIn, type Caller } from '../factories/sessions';
import { bearer } from '../factories/users';
import { createTestApp, type TestApp } from '../setup/test-app';
import { joinedCall, sha256Hex, uploadRecording, type CallFixture } from './recording-fixtures';

/** Supertest collects a binary body as a Buffer with this parser. */
function binary(res: request.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => callback(null, Buffer.concat(parts)));
}

describe('Recordings: list, ranged downloads, media links, audit, public verification (issue 12, Done when 3 and 6)', () => {
  let t: TestApp;
  let sql: DataSource;
  let call: CallFixture;
  let admin: Caller;
  let outsider: Caller;
  let file: Buffer;
  let recording: { id: string; sha256: string; auditSeq: number; sizeBytes: number };

  beforeAll(async () => {
    t = await createTestApp();
    sql = t.app.get(DataSource);
    call = await joinedCall(t);
    [admin, outsider] = await Promise.all([signedIn(t, { role: 'ADMIN' }), signedIn(t)]);
    file = randomBytes(700_001);
    recording = await uploadRecording(t, call, call.lawyer, file, 100_000);
  });
  afterAll(async () => {
    await t?.close();
  });

  const media = (who: Caller, recordingId = recording.id, sessionId = call.sessionId): request.Test =>
    request(t.server).get(`/api/sessions/${sessionId}/recordings/${recordingId}/media`).set(bearer(who.token)).buffer(true).parse(binary);
  const accesses = async (): Promise<{ actor_id: string; payload: { recordingId: string; range: string | null; via: string } }[]> =>
    sql.query(`SELECT actor_id, payload FROM audit_events WHERE action = 'recording.accessed' AND subject_id = $1 ORDER BY seq`, [recording.id]);

  it('lists a session’s recordings to both participants and to an admin; anyone else gets 404', async () => {
    for (const who of [call.client, call.lawyer, admin]) {
      const res = await request(t.server).get(`/api/sessions/${call.sessionId}/recordings`).set(bearer(who.token)).expect(200);
      expect(res.body.items).toEqual([
        {
          id: recording.id,
          provider: 'p2p',
          kind: 'participant',
          role: 'LAWYER',
          status: 'available',
          startedAt: expect.any(String),
          endedAt: expect.any(String),
          durationSeconds: expect.any(Number),
          sizeBytes: file.length,
          sha256: sha256Hex(file),
          contentType: 'video/webm',
          auditSeq: recording.auditSeq,
        },
      ]);
    }
    const other = await joinedCall(t);
    for (const who of [outsider, other.client, other.lawyer]) {
      expect((await request(t.server).get(`/api/sessions/${call.sessionId}/recordings`).set(bearer(who.token)).expect(404)).body.code).toBe('SESSION_NOT_FOUND');
    }
  });

  it('downloads the whole file (200) with its headers, and byte ranges (206) with the right bytes; every access is audited first', async () => {
    const before = (await accesses()).length;

    const whole = await media(call.client).expect(200);
    expect(whole.headers).toMatchObject({
      'accept-ranges': 'bytes',
      'content-length': String(file.length),
      'content-type': 'video/webm',
      etag: `"${sha256Hex(file)}"`,
      'content-disposition': `attachment; filename="recording-${recording.id}.webm"`,
    });
    expect(sha256Hex(whole.body as Buffer)).toBe(sha256Hex(file));

    for (const [header, start, end] of [
      ['bytes=0-0', 0, 0],
      ['bytes=1000-200999', 1000, 200_999],
      ['bytes=700000-', 700_000, 700_000],
      ['bytes=-1000', 699_001, 700_000],
      ['bytes=699990-9999999', 699_990, 700_000],
    ] as const) {
      const part = await media(admin).set('range', header).expect(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${file.length}`);
      expect(part.headers['content-length']).toBe(String(end - start + 1));
      expect((part.body as Buffer).equals(file.subarray(start, end + 1))).toBe(true);
    }

    const after = await accesses();
    expect(after.slice(before)).toEqual([
      { actor_id: call.client.id, payload: expect.objectContaining({ recordingId: recording.id, range: null, via: 'session' }) },
      ...['bytes=0-0', 'bytes=1000-200999', 'bytes=700000-700000', 'bytes=699001-700000', 'bytes=699990-700000'].map((range) => ({
        actor_id: admin.id,
        payload: expect.objectContaining({ recordingId: recording.id, range, via: 'session' }),
      })),
    ]);
  });

  it('answers 416 RANGE_NOT_SATISFIABLE for ranges it cannot serve, without an audit entry', async () => {
    const before = (await accesses()).length;
    for (const header of ['bytes=700001-', 'bytes=5-1', 'bytes=0-1,5-9', 'pages=1-2']) {
      const res = await request(t.server).get(`/api/sessions/${call.sessionId}/recordings/${recording.id}/media`).set(bearer(call.lawyer.token)).set('range', header);
      expect([res.status, res.body.code]).toEqual([416, 'RANGE_NOT_SATISFIABLE']);
    }
    expect(await accesses()).toHaveLength(before);
  });

  it('a non-participant gets 404 for the media (also under their own session), as for an unknown recording', async () => {
    const other = await joinedCall(t);
    const before = (await accesses()).length;
    for (const [who, sessionId] of [
      [outsider, call.sessionId],
      [other.client, call.sessionId],
      [other.client, other.sessionId],
    ] as const) {
      const res = await request(t.server).get(`/api/sessions/${sessionId}/recordings/${recording.id}/media`).set(bearer(who.token));
      expect(res.status).toBe(404);
    }
    const unknown = await request(t.server).get(`/api/sessions/${call.sessionId}/recordings/${other.sessionId}/media`).set(bearer(call.client.token)).expect(404);
    expect(unknown.body.code).toBe('RECORDING_NOT_FOUND');
    expect(await accesses()).toHaveLength(before);
  });

  it('a media link plays without a Bearer header for 5 minutes, with ranges, audited under the user it was issued to', async () => {
    const link = await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/${recording.id}/media-link`).set(bearer(call.client.token)).expect(200);
    expect(link.body.url).toMatch(/^\/api\/recordings\/media\/[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{22}$/);
    expect(new Date(link.body.expiresAt).getTime() - t.clock.now().getTime()).toBeLessThanOrEqual(5 * 60_000);
    const before = (await accesses()).length;

    const whole = await request(t.server).get(link.body.url).buffer(true).parse(binary).expect(200);
    expect(sha256Hex(whole.body as Buffer)).toBe(sha256Hex(file));
    const part = await request(t.server).get(link.body.url).set('range', 'bytes=10-19').buffer(true).parse(binary).expect(206);
    expect((part.body as Buffer).equals(file.subarray(10, 20))).toBe(true);
    expect((await accesses()).slice(before)).toEqual([
      { actor_id: call.client.id, payload: expect.objectContaining({ range: null, via: 'link' }) },
      { actor_id: call.client.id, payload: expect.objectContaining({ range: 'bytes=10-19', via: 'link' }) },
    ]);

    // Tampered → 404; an outsider cannot get one; after 5 minutes → 403 MEDIA_LINK_EXPIRED.
    const tampered = link.body.url.replace(/\.(.)/, (_: string, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    expect((await request(t.server).get(tampered).expect(404)).body.code).toBe('MEDIA_LINK_INVALID');
    expect((await request(t.server).get('/api/recordings/media/not-a-token').expect(404)).body.code).toBe('MEDIA_LINK_INVALID');
    await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/${recording.id}/media-link`).set(bearer(outsider.token)).expect(404);
    t.clock.advance(5 * 60_000 + 1000);
    try {
      expect((await request(t.server).get(link.body.url).expect(403)).body.code).toBe('MEDIA_LINK_EXPIRED');
    } finally {
      t.clock.advance(-(5 * 60_000 + 1000));
    }
  });

  it('every download is in the audit chain (whole, ranged, by link), and the chain still verifies', async () => {
    const before = (await accesses()).length;
    await media(call.lawyer).expect(200);
    await media(call.client).set('range', 'bytes=5-9').expect(206);
    const link = await request(t.server).post(`/api/sessions/${call.sessionId}/recordings/${recording.id}/media-link`).set(bearer(admin.token)).expect(200);
    await request(t.server).get(link.body.url).set('range', 'bytes=0-99').buffer(true).parse(binary).expect(206);

    const entries: { seq: string; actor_id: string; prev_hash: string }[] = await sql.query(
      `SELECT seq, actor_id, prev_hash FROM audit_events WHERE action = 'recording.accessed' AND subject_id = $1 ORDER BY seq`,
      [recording.id],
    );
    expect(entries.slice(before).map((e) => e.actor_id)).toEqual([call.lawyer.id, call.client.id, admin.id]);
    const res = await request(t.server).get('/api/admin/audit/verify').set(bearer(admin.token)).expect(200);
    expect(res.body).toMatchObject({ ok: true });
    expect(Number(res.body.headSeq)).toBeGreaterThanOrEqual(Number(entries.at(-1)!.seq));
  });

  it('GET /api/verify/{sha256} (no account) finds the recording by its hash, revealing no one', async () => {
    const found = await request(t.server).get(`/api/verify/${sha256Hex(file).toUpperCase()}`).expect(200);
    expect(found.body).toEqual({
      sha256: sha256Hex(file),
      found: true,
      matches: [{ kind: 'recording', recordedAt: expect.any(String), durationSeconds: expect.any(Number), auditSeq: recording.auditSeq }],
    });
    const text = JSON.stringify(found.body);
    for (const secret of [call.sessionId, call.client.id, call.lawyer.id, recording.id]) expect(text).not.toContain(secret);

    const changed = Buffer.from(file);
    changed[12_345] = changed[12_345]! ^ 1;
    expect((await request(t.server).get(`/api/verify/${sha256Hex(changed)}`).expect(200)).body).toEqual({ sha256: sha256Hex(changed), found: false, matches: [] });

    for (const bad of ['abc', 'g'.repeat(64), 'a'.repeat(65), `${'a'.repeat(63)}%20`]) {
      const res = await request(t.server).get(`/api/verify/${bad}`).expect(400);
      expect(res.body.code).toBe('VERIFY_HASH_INVALID');
    }
  });
});
