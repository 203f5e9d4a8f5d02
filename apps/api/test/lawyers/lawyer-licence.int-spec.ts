import request from 'supertest';
import { DataSource } from 'typeorm';
import { BlobStore } from '../../src/modules/storage/blob-store';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login } from '../factories/users';
import { sha256Hex, signUp, TINY_PNG, VALID_PROFILE } from '../factories/lawyers';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('lawyer licence document: content-sniffed upload, admin-only download, every download audited', () => {
  let t: TestApp;
  let ds: DataSource;
  let admin: { id: string; accessToken: string };

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    ds = t.app.get(DataSource);
    const user = await createUser(t, { role: 'ADMIN' });
    admin = { id: user.id, accessToken: (await login(t, user)).accessToken };
  });
  afterAll(async () => {
    await t?.close();
  });

  const upload = (token: string, body: Buffer | string, type: string) =>
    request(t.server).put('/api/lawyer/profile/licence').set(bearer(token)).set('content-type', type).send(body);
  const downloads = async (lawyerId: string) =>
    ds.query(`SELECT actor_id, payload FROM audit_events WHERE action = 'lawyer.licence_downloaded' AND subject_id = $1 ORDER BY seq`, [lawyerId]);

  it('stores a PDF in the BlobStore; the admin sees it in the profile and downloads the same bytes, audited each time', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const up = await upload(lawyer.accessToken, PDF, 'application/pdf').expect(200);
    expect(up.body.licenceUploadedAt).toEqual(expect.any(String));
    expect(JSON.stringify(up.body)).not.toContain('lawyer-licences/');

    const [row] = await ds.query('SELECT licence_key, licence_sha256, licence_content_type, licence_size FROM lawyer_profiles WHERE user_id = $1', [lawyer.id]);
    expect(row).toEqual({ licence_key: `lawyer-licences/${lawyer.id}/${sha256Hex(PDF)}`, licence_sha256: sha256Hex(PDF), licence_content_type: 'application/pdf', licence_size: PDF.length });
    expect(await t.app.get(BlobStore).head(row.licence_key)).toMatchObject({ size: PDF.length, sha256: sha256Hex(PDF) });
    const uploaded = await ds.query(`SELECT payload FROM audit_events WHERE action = 'lawyer.licence_uploaded' AND subject_id = $1`, [lawyer.id]);
    expect(uploaded).toEqual([{ payload: expect.objectContaining({ sha256: sha256Hex(PDF), size: PDF.length, contentType: 'application/pdf' }) }]);

    const detail = await request(t.server).get(`/api/admin/lawyers/${lawyer.id}`).set(bearer(admin.accessToken)).expect(200);
    expect(detail.body.licence).toEqual({
      contentType: 'application/pdf',
      size: PDF.length,
      sha256: sha256Hex(PDF),
      uploadedAt: expect.any(String),
      downloadUrl: `/api/admin/lawyers/${lawyer.id}/licence`,
    });
    expect(await downloads(lawyer.id)).toHaveLength(0); // looking at the profile is not a download

    for (let i = 1; i <= 2; i++) {
      const res = await request(t.server).get(`/api/admin/lawyers/${lawyer.id}/licence`).set(bearer(admin.accessToken)).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['cache-control']).toBe('private, no-store');
      expect(res.headers['content-disposition']).toBe(`inline; filename="licence-${lawyer.id}.pdf"`);
      expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
      expect(await downloads(lawyer.id)).toEqual(Array.from({ length: i }, () => ({ actor_id: admin.id, payload: { sha256: sha256Hex(PDF) } })));
    }
  });

  it('only admins download it: the lawyer, a client and an anonymous caller are refused and nothing is audited', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    await upload(lawyer.accessToken, TINY_PNG, 'image/png').expect(200);
    const client = await signUp(t, 'CLIENT');
    await request(t.server).get(`/api/admin/lawyers/${lawyer.id}/licence`).expect(401);
    for (const token of [lawyer.accessToken, client.accessToken]) {
      await request(t.server).get(`/api/admin/lawyers/${lawyer.id}/licence`).set(bearer(token)).expect(403);
      await request(t.server).get(`/api/admin/lawyers/${lawyer.id}`).set(bearer(token)).expect(403);
    }
    expect(await downloads(lawyer.id)).toHaveLength(0);
    // Without a document: 404 with a stable code, and no audit entry.
    const other = await signUp(t, 'LAWYER');
    const none = await request(t.server).get(`/api/admin/lawyers/${other.id}/licence`).set(bearer(admin.accessToken)).expect(404);
    expect(none.body.code).toBe('LAWYER_LICENCE_NOT_FOUND');
    expect(await downloads(other.id)).toHaveLength(0);
  });

  it('refuses other types by content (415), a lying Content-Type (415), an empty body and more than 5 MB (413); nothing is stored', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    for (const [body, type, status, code] of [
      [Buffer.from('just some text, not a document'), 'application/octet-stream', 415, 'LICENCE_TYPE_UNSUPPORTED'],
      [webp, 'application/octet-stream', 415, 'LICENCE_TYPE_UNSUPPORTED'],
      [TINY_PNG, 'application/pdf', 415, 'LICENCE_TYPE_UNSUPPORTED'],
      [PDF, 'image/webp', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [Buffer.alloc(0), 'application/pdf', 415, 'LICENCE_TYPE_UNSUPPORTED'],
      [Buffer.concat([PDF, Buffer.alloc(5 * 1024 * 1024)]), 'application/pdf', 413, 'PAYLOAD_TOO_LARGE'],
    ] as const) {
      const res = await upload(lawyer.accessToken, body, type);
      expect({ type, status: res.status, code: res.body.code }).toEqual({ type, status, code });
    }
    const [row] = await ds.query('SELECT licence_key FROM lawyer_profiles WHERE user_id = $1', [lawyer.id]);
    expect(row.licence_key).toBeNull();
    // The photo route keeps its own limits: a PDF is not a photo.
    const photo = await request(t.server).put('/api/lawyer/profile/photo').set(bearer(lawyer.accessToken)).set('content-type', 'application/pdf').send(PDF);
    expect(photo.status).toBe(415);
  });

  it('a new document sends a VERIFIED lawyer back to the queue; the old blob is removed', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.accessToken)).send(VALID_PROFILE).expect(200);
    await upload(lawyer.accessToken, PDF, 'application/pdf').expect(200);
    await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(admin.accessToken)).expect(200);
    const same = await upload(lawyer.accessToken, PDF, 'application/octet-stream').expect(200);
    expect(same.body.status).toBe('VERIFIED'); // the same bytes again change nothing that needs a new look
    const again = await upload(lawyer.accessToken, TINY_PNG, 'image/png').expect(200);
    expect(again.body.status).toBe('PENDING_VERIFICATION');
    expect(await t.app.get(BlobStore).head(`lawyer-licences/${lawyer.id}/${sha256Hex(PDF)}`)).toBeNull();
  });
});
