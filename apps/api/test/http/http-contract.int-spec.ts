import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ProbeModule } from '../support/probe.module';
import { createTestApp, TestApp } from '../setup/test-app';

/** What every client of the API can rely on: error shape, request ids, headers. */
describe('HTTP contract', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, [ProbeModule]);
  });
  afterAll(async () => {
    await t?.close();
  });

  const expectErrorShape = (body: Record<string, unknown>, statusCode: number, code: string) => {
    expect(body).toEqual(
      expect.objectContaining({ statusCode, code, message: expect.any(String), requestId: expect.any(String) }),
    );
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(ts|js):\d+/); // no stack frames
  };

  it('GET /api/health reports database, storage and jobs up', async () => {
    const res = await request(t.server).get('/api/health');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(res.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, storage: { status: 'up' }, jobs: { status: 'up' } },
      version: expect.any(String),
    });
  });

  it('puts a request id on every response and keeps a well-formed incoming one', async () => {
    const fresh = await request(t.server).get('/api/health');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await request(t.server).get('/api/health').set('x-request-id', 'lb-trace-12345678');
    expect(kept.headers['x-request-id']).toBe('lb-trace-12345678');
    const rejected = await request(t.server).get('/api/health').set('x-request-id', 'bad id <script>');
    expect(rejected.headers['x-request-id']).not.toBe('bad id <script>');
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await request(t.server).get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('unknown route → 404 ROUTE_NOT_FOUND without echoing the query string', async () => {
    const res = await request(t.server).get('/api/nope?token=sekret').expect(404);
    expectErrorShape(res.body, 404, 'ROUTE_NOT_FOUND');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
    expect(JSON.stringify(res.body)).not.toContain('sekret');
  });

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const res = await request(t.server).post('/api/test-probe').set('content-type', 'application/json').send('{"email": ').expect(400);
    expectErrorShape(res.body, 400, 'MALFORMED_JSON');
  });

  it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await request(t.server).post('/api/test-probe').set('content-type', 'application/xml').send('<a/>').expect(415);
    expectErrorShape(res.body, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('empty JSON body → 400 with a code', async () => {
    const res = await request(t.server).post('/api/test-probe').set('content-type', 'application/json').send('').expect(400);
    expect(res.body.code).toMatch(/EMPTY_JSON_BODY|VALIDATION_FAILED/);
  });

  it('unknown body field → 400 VALIDATION_FAILED naming the field, valid body → 200', async () => {
    const ok = { email: 'a@example.com', secret: 'correct horse battery', count: 3 };
    await request(t.server).post('/api/test-probe').send(ok).expect(200, { email: 'a@example.com', count: 3 });
    const res = await request(t.server)
      .post('/api/test-probe')
      .send({ ...ok, isAdmin: true })
      .expect(400);
    expectErrorShape(res.body, 400, 'VALIDATION_FAILED');
    expect(res.body.fields).toEqual([{ field: 'isAdmin', messages: [expect.stringContaining('should not exist')] }]);
  });

  it('invalid fields are listed without echoing submitted values', async () => {
    const res = await request(t.server)
      .post('/api/test-probe')
      .send({ email: 'not-an-email', secret: 'tiny-s3cr', count: 99 })
      .expect(400);
    expectErrorShape(res.body, 400, 'VALIDATION_FAILED');
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['count', 'email', 'secret']);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('tiny-s3cr');
    expect(text).not.toContain('not-an-email');
  });

  it('coded domain errors keep their status and code', async () => {
    const res = await request(t.server).get('/api/test-probe/conflict').expect(409);
    expectErrorShape(res.body, 409, 'PROBE_CONFLICT');
  });

  it('unexpected errors → generic 500 that leaks nothing', async () => {
    const res = await request(t.server).get('/api/test-probe/crash').expect(500);
    expectErrorShape(res.body, 500, 'INTERNAL_ERROR');
    expect(res.body.message).toBe('Internal server error');
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });

  it('serves the OpenAPI document with operation ids, tags and error responses', async () => {
    const res = await request(t.server).get('/api/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, item] of Object.entries<Record<string, { operationId?: string; tags?: string[]; summary?: string; responses: Record<string, unknown> }>>(res.body.paths)) {
      for (const op of Object.values(item)) {
        expect({ path, operationId: op.operationId }).toEqual({ path, operationId: expect.any(String) });
        expect(op.responses['400']).toBeDefined();
        expect(op.responses['500']).toBeDefined();
      }
    }
    await request(t.server).get('/api/docs').expect(200);
  });
});

describe('HTTP contract: CORS and rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com', THROTTLE_LIMIT: '3' }, [ProbeModule]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('allows only configured origins', async () => {
    const allowed = await request(t.server).options('/api/test-probe').set('origin', 'https://app.example.com').set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const denied = await request(t.server).options('/api/test-probe').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 429 RATE_LIMITED with Retry-After past the limit', async () => {
    let last: request.Response | undefined;
    for (let i = 0; i < 5; i++) last = await request(t.server).get('/api/test-probe/conflict');
    expect(last?.status).toBe(429);
    expect(last?.body.code).toBe('RATE_LIMITED');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('HTTP contract: the served OpenAPI document is usable by code generators', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://api.lexmarket.example/base/' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names PUBLIC_URL as its server (paths already carry /api) and has contact and license', async () => {
    const doc = (await request(t.server).get('/api/openapi.json').expect(200)).body;
    expect(doc.servers).toEqual([{ url: 'https://api.lexmarket.example/base', description: 'This LexMarket deployment (PUBLIC_URL)' }]);
    expect(Object.keys(doc.paths).every((path) => path.startsWith('/api/'))).toBe(true);
    expect(doc.info.contact).toEqual({ name: 'LexMarket API support', url: 'https://api.lexmarket.example/base/' });
    expect(doc.info.license).toEqual({ name: expect.stringMatching(/^Proprietary/) });
  });

  it('the committed document names the serving origin, so it does not depend on who generated it', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'));
    expect(committed.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(committed.info.contact).toEqual({ name: 'LexMarket API support' });
  });
});
