import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import request from 'supertest';
import { createTestApp, TestApp } from '../setup/test-app';

describe('GET /api/health when a dependency is down', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A regular file where the blob root directory should be: the store cannot be used.
    const notADirectory = join(tmpdir(), `lm-not-a-dir-${process.pid}`);
    writeFileSync(notADirectory, 'x');
    t = await createTestApp({ BLOB_FS_ROOT: notADirectory });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 503, names the failing component, and reveals no internals', async () => {
    const res = await request(t.server).get('/api/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      details: { database: { status: 'up' }, storage: { status: 'down' }, jobs: { status: 'up' } },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/ENOTDIR|EEXIST|lm-not-a-dir|tmp/);
  });
});
