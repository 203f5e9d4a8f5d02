import { Controller, Get, Module } from '@nestjs/common';
import request from 'supertest';
import { createOpenApiDocument } from '../../src/app.setup';
import { Public } from '../../src/common/auth/auth.decorators';
import { createTestApp, TestApp } from '../setup/test-app';

/** An internal route that forgot @ApiExcludeController: the document must still leave it out. */
@Public()
@Controller('sandbox/docs-probe')
class InternalProbeController {
  @Get()
  probe(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [InternalProbeController] })
class InternalProbeModule {}

/** Issue 10, finding 8: the API docs are public by default, behind a documented switch, and never list internal routes. */
describe('API documentation exposure', () => {
  describe('default (API_DOCS_PUBLIC unset)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({}, [InternalProbeModule]);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('serves Swagger UI and the OpenAPI document to anonymous callers', async () => {
      await request(t.server).get('/api/docs').expect(200);
      const res = await request(t.server).get('/api/openapi.json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
    });

    it('never lists the Stripe sandbox or any other /api/sandbox route, even one without @ApiExcludeController', async () => {
      await request(t.server).get('/api/sandbox/docs-probe').expect(200);
      const served = (await request(t.server).get('/api/openapi.json').expect(200)).body as { paths: Record<string, unknown> };
      for (const doc of [served, createOpenApiDocument(t.app)]) {
        expect(Object.keys(doc.paths).filter((p) => p.includes('/sandbox'))).toEqual([]);
      }
    });
  });

  describe('API_DOCS_PUBLIC=false', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ API_DOCS_PUBLIC: 'false' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('serves neither the UI nor the document', async () => {
      for (const path of ['/api/docs', '/api/openapi.json', '/api/openapi.yaml']) {
        const res = await request(t.server).get(path);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 404, code: 'ROUTE_NOT_FOUND' });
      }
    });
  });
});
