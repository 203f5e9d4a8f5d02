import request from 'supertest';
import { BODY_LIMITS } from '../../src/common/http/json-limits';
import { createTestApp, TestApp } from '../setup/test-app';

const nested = (levels: number, open = '[', close = ']') => open.repeat(levels) + '1' + close.repeat(levels);

/**
 * Issue 10, finding 1: deeply nested JSON reached the recursive walk that strips prototype keys
 * before validation and overflowed its stack (500 on every JSON route, public ones included);
 * 1 MB of nesting kept the event loop busy. Bodies are now bounded at parse time.
 */
describe('request body structure limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a 4 KB body nested 2,000 levels gets 400 JSON_TOO_DEEP on public and signed-in routes, never a 500', async () => {
    for (const [path, body] of [
      ['/api/auth/login', nested(2_000)],
      ['/api/auth/register', nested(2_000, '{"a":', '}')],
      ['/api/auth/password-reset/request', nested(2_000)],
      ['/api/auth/me', nested(2_000)],
    ] as const) {
      const res = await request(t.server).post(path).set('content-type', 'application/json').send(body);
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'JSON_TOO_DEEP' });
      expect(Object.keys(res.body).sort()).toEqual(['code', 'message', 'requestId', 'statusCode']);
    }
  });

  it('nesting up to the limit is still parsed (and then judged by validation)', async () => {
    const res = await request(t.server).post('/api/auth/login').set('content-type', 'application/json').send(nested(BODY_LIMITS.maxDepth - 1, '{"a":', '}'));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('too many members → 400 JSON_TOO_MANY_MEMBERS (JSON and form bodies)', async () => {
    const json = `{${Array.from({ length: BODY_LIMITS.maxMembers + 1 }, (_, i) => `"k${i}":1`).join(',')}}`;
    const res = await request(t.server).post('/api/auth/login').set('content-type', 'application/json').send(json);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'JSON_TOO_MANY_MEMBERS' });
    const form = Array.from({ length: BODY_LIMITS.maxMembers + 1 }, (_, i) => `k${i}=1`).join('&');
    const resForm = await request(t.server).post('/api/auth/login').set('content-type', 'application/x-www-form-urlencoded').send(form);
    expect({ status: resForm.status, code: resForm.body.code }).toEqual({ status: 400, code: 'JSON_TOO_MANY_MEMBERS' });
  });

  it('twelve parallel 1 MB nested bodies are each refused with 400 while health keeps answering', async () => {
    const big = nested(512 * 1024 - 1);
    const started = performance.now();
    const [health, ...floods] = await Promise.all([
      request(t.server).get('/api/health'),
      ...Array.from({ length: 12 }, () => request(t.server).post('/api/auth/login').set('content-type', 'application/json').send(big)),
    ]);
    expect(floods.map((r) => `${r.status} ${r.body.code}`)).toEqual(Array(12).fill('400 JSON_TOO_DEEP'));
    expect(health.status).toBe(200);
    process.stdout.write(`12 × 1 MB nested bodies and a health check: ${Math.round(performance.now() - started)} ms\n`);
  });
});
