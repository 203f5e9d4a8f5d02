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

describe('lawyer photo: stored with its SHA-256, served only when verified', () => {
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
    adminToken = (await login(t, await createUser(t, { role: 'ADMIN' }))).accessToken;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uploads raw PNG bytes → BlobStore + sha256 on the row; public only after verification', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const up = await request(t.server).put('/api/lawyer/profile/photo').set(bearer(lawyer.accessToken)).set('content-type', 'image/png').send(TINY_PNG).expect(200);
    expect(up.body.photoSha256).toBe(sha256Hex(TINY_PNG));

    const [row] = await t.app.get(DataSource).query('SELECT photo_key, photo_sha256, photo_content_type FROM lawyer_profiles WHERE user_id = $1', [lawyer.id]);
    expect(row).toEqual({ photo_key: `lawyer-photos/${lawyer.id}/${sha256Hex(TINY_PNG)}`, photo_sha256: sha256Hex(TINY_PNG), photo_content_type: 'image/png' });
    const head = await t.app.get(BlobStore).head(row.photo_key);
    expect(head).toMatchObject({ size: TINY_PNG.length, sha256: sha256Hex(TINY_PNG) });

    const hidden = await request(t.server).get(`/api/lawyers/${lawyer.id}/photo`).expect(404);
    expect(hidden.body.code).toBe('LAWYER_NOT_FOUND');

    await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.accessToken)).send(VALID_PROFILE).expect(200);
    await request(t.server).post(`/api/admin/lawyers/${lawyer.id}/verify`).set(bearer(adminToken)).expect(200);

    const pub = await request(t.server).get(`/api/lawyers/${lawyer.id}`).expect(200);
    expect(pub.body.photoUrl).toBe(`/api/lawyers/${lawyer.id}/photo`);
    const photo = await request(t.server).get(`/api/lawyers/${lawyer.id}/photo`).buffer(true).parse(binary).expect(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.headers.etag).toBe(`"${sha256Hex(TINY_PNG)}"`);
    expect(Buffer.compare(photo.body as Buffer, TINY_PNG)).toBe(0);

    const audit = await t.app.get(DataSource).query(`SELECT payload FROM audit_events WHERE action = 'lawyer.photo_updated' AND subject_id = $1`, [lawyer.id]);
    expect(audit).toEqual([{ payload: expect.objectContaining({ sha256: sha256Hex(TINY_PNG), size: TINY_PNG.length, contentType: 'image/png' }) }]);
  });

  it('a new photo replaces the old blob; application/octet-stream is accepted (type from the bytes)', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    await request(t.server).put('/api/lawyer/profile/photo').set(bearer(lawyer.accessToken)).set('content-type', 'image/png').send(TINY_PNG).expect(200);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('not really a full jpeg, but it starts like one')]);
    const up = await request(t.server).put('/api/lawyer/profile/photo').set(bearer(lawyer.accessToken)).set('content-type', 'application/octet-stream').send(jpeg).expect(200);
    expect(up.body.photoSha256).toBe(sha256Hex(jpeg));
    const store = t.app.get(BlobStore);
    expect(await store.head(`lawyer-photos/${lawyer.id}/${sha256Hex(TINY_PNG)}`)).toBeNull();
    expect(await store.head(`lawyer-photos/${lawyer.id}/${sha256Hex(jpeg)}`)).toMatchObject({ contentType: 'image/jpeg' });
  });

  it('refuses non-images, mismatched types, JSON, other routes, and more than 2 MB', async () => {
    const lawyer = await signUp(t, 'LAWYER');
    const put = () => request(t.server).put('/api/lawyer/profile/photo').set(bearer(lawyer.accessToken));
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    expect((await put().set('content-type', 'image/png').send(svg).expect(415)).body.code).toBe('PHOTO_TYPE_UNSUPPORTED');
    expect((await put().set('content-type', 'image/jpeg').send(TINY_PNG).expect(415)).body.code).toBe('PHOTO_TYPE_UNSUPPORTED');
    expect((await put().send({ photo: 'x' }).expect(415)).body.code).toBe('PHOTO_TYPE_UNSUPPORTED');
    expect((await put().set('content-type', 'image/gif').send(Buffer.from('GIF89a')).expect(415)).body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = Buffer.concat([TINY_PNG, Buffer.alloc(2 * 1024 * 1024)]);
    expect((await put().set('content-type', 'image/png').send(big).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');

    // The raw-bytes parser is scoped to the photo route.
    const other = await request(t.server).put('/api/lawyer/profile').set(bearer(lawyer.accessToken)).set('content-type', 'application/octet-stream').send(TINY_PNG).expect(415);
    expect(other.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const [row] = await t.app.get(DataSource).query('SELECT photo_key FROM lawyer_profiles WHERE user_id = $1', [lawyer.id]);
    expect(row.photo_key).toBeNull();
  });

  it('only the lawyer role uploads', async () => {
    const client = await signUp(t, 'CLIENT');
    await request(t.server).put('/api/lawyer/profile/photo').set(bearer(client.accessToken)).set('content-type', 'image/png').send(TINY_PNG).expect(403);
    await request(t.server).put('/api/lawyer/profile/photo').set('content-type', 'image/png').send(TINY_PNG).expect(401);
  });
});
