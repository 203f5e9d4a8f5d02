import { Controller, Get, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ROLES, SCOPES_BY_ROLE, type ApiScope, type Role } from '@lm/domain';
import request from 'supertest';
import { createTestApp, TestApp } from '../setup/test-app';
import { bearer, createUser, login } from '../factories/users';
import { FastifyRouteRecorder, nestRoutes, NestRoute, routesOutsideNest, RouteInventoryModule } from '../support/route-inventory';

type Caller = 'anonymous' | Role;
const CALLERS: Caller[] = ['anonymous', ...ROLES];
const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';
const GUARD_CODES = ['UNAUTHENTICATED', 'INVALID_CREDENTIALS', 'FORBIDDEN', 'ACCESS_UNDECLARED'];
const SCOPE_CODES = ['INSUFFICIENT_SCOPE', 'API_KEY_NOT_ALLOWED'];

/**
 * Operations an API key may never call (no @Scopes), written out: each is a deliberate decision
 * (credentials, key set-up, a person's own signature, consent or presence in a call, and the
 * admin actions that move money: payouts, their reversal, a no-show decision that refunds).
 */
const SESSION_ONLY = [
  'POST /api/api-keys',
  'GET /api/api-keys',
  'DELETE /api/api-keys/:id',
  'POST /api/auth/password',
  'POST /api/auth/verify-email/resend',
  'POST /api/e2ee/identity',
  'GET /api/e2ee/backup',
  'POST /api/e2ee/devices',
  'DELETE /api/e2ee/devices/:deviceId',
  'POST /api/contracts/:id/viewed',
  'POST /api/contracts/:id/sign',
  'GET /api/sessions/:id/video/signals',
  'POST /api/sessions/:id/video/signals',
  'POST /api/sessions/:id/video/join',
  'PUT /api/sessions/:id/video/consent',
  'POST /api/sessions/:id/video/leave',
  'POST /api/sessions/:id/video/end',
  'POST /api/sessions/:id/recordings/uploads',
  'GET /api/sessions/:id/recordings/uploads/:uploadId',
  'PUT /api/sessions/:id/recordings/uploads/:uploadId/chunks/:index',
  'POST /api/sessions/:id/recordings/uploads/:uploadId/complete',
  'POST /api/admin/payouts',
  'POST /api/admin/payouts/:id/reversal',
  'POST /api/admin/support/tickets/:id/no-show-resolution',
].sort();

/** The scopes a key of `role` needs for a route: the route's own, or `admin` when an ADMIN acts with admin power. */
function scopesFor(role: Role, required: ApiScope[]): ApiScope[] | undefined {
  if (required.every((scope) => SCOPES_BY_ROLE[role].includes(scope))) return required;
  return role === 'ADMIN' ? ['admin'] : undefined;
}

/**
 * The access policy of the identity routes, written out: a change to any @Public/@Roles here
 * must be deliberate. Routes of other modules only need an explicit decision (checked below)
 * and get the same generated matrix.
 */
const IDENTITY_POLICY: Record<string, 'public' | Role[]> = {
  'POST /api/auth/register': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': [...ROLES],
  'PATCH /api/auth/me': [...ROLES],
  'POST /api/auth/password': [...ROLES],
  'POST /api/auth/password-reset/request': 'public',
  'POST /api/auth/password-reset/confirm': 'public',
  'POST /api/auth/verify-email': 'public',
  'POST /api/auth/verify-email/resend': [...ROLES],
  'POST /api/api-keys': [...ROLES],
  'GET /api/api-keys': [...ROLES],
  'DELETE /api/api-keys/:id': [...ROLES],
  'GET /api/admin/users': ['ADMIN'],
  'POST /api/admin/users': ['ADMIN'],
  'POST /api/admin/users/:id/suspend': ['ADMIN'],
  'POST /api/admin/users/:id/reactivate': ['ADMIN'],
  // lawyers and partners (issue 3): own profile, public verified profiles, admin verification, referrals
  'GET /api/lawyer/profile': ['LAWYER'],
  'PUT /api/lawyer/profile': ['LAWYER'],
  'PUT /api/lawyer/profile/photo': ['LAWYER'],
  'GET /api/lawyers/:id': 'public',
  'GET /api/lawyers/:id/photo': 'public',
  'GET /api/admin/lawyers': ['ADMIN'],
  'POST /api/admin/lawyers/:id/verify': ['ADMIN'],
  'POST /api/admin/lawyers/:id/reject': ['ADMIN'],
  'GET /api/partner/referral-link': ['PARTNER'],
  'GET /api/partner/referrals': ['PARTNER'],
};

const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;

/** One request to a route with placeholder ids and an empty body, as the given bearer (none: anonymous). */
async function call(
  t: TestApp,
  route: NestRoute,
  credential: string | undefined,
): Promise<{ status: number; body: { code?: string } }> {
  const url = route.path.replace(/:[A-Za-z_]+/g, PLACEHOLDER_ID);
  let req = request(t.server)[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete'](url);
  if (credential) req = req.set(bearer(credential));
  if (['POST', 'PATCH', 'PUT'].includes(route.method)) req = req.send({});
  // An event stream that opens never ends: its status and headers are the answer.
  req = req.buffer(true).parse((parsed, done) => {
    const response = parsed as unknown as IncomingMessage;
    if (String(response.headers['content-type']).startsWith('text/event-stream')) {
      response.destroy();
      done(null, {});
      return;
    }
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('end', () =>
      done(null, String(response.headers['content-type']).includes('json') && text ? JSON.parse(text) : text),
    );
  });
  return req;
}

describe('route access: every route × every caller', () => {
  let t: TestApp;
  let routes: NestRoute[];
  const tokens = {} as Record<Role, string>;
  const users = {} as Record<Role, { email: string; password: string }>;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_LIMIT: '100000' }, [RouteInventoryModule]);
    routes = nestRoutes(t.app);
    for (const role of ROLES) {
      users[role] = await createUser(t, { role });
      tokens[role] = (await login(t, users[role])).accessToken;
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds the routes (sanity: the inventory itself works)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(IDENTITY_POLICY).length + 1);
    expect(routes.map(key)).toEqual(expect.arrayContaining(Object.keys(IDENTITY_POLICY)));
  });

  it('every route declares @Public() or @Roles(...)', () => {
    const undeclared = routes.filter((r) => r.access === undefined).map((r) => `${key(r)} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('no route reaches Fastify except through a Nest controller (or the API docs)', () => {
    const recorded = t.app.get(FastifyRouteRecorder).routes;
    expect(recorded.length).toBeGreaterThan(routes.length);
    expect(routesOutsideNest(recorded, routes)).toEqual([]);
  });

  it('identity routes have exactly the intended access, and every /api/admin route is ADMIN-only', () => {
    const actual = Object.fromEntries(
      routes
        .filter((r) => key(r) in IDENTITY_POLICY)
        .map((r) => [key(r), r.access?.public ? 'public' : [...(r.access?.roles ?? [])].sort()]),
    );
    expect(actual).toEqual(
      Object.fromEntries(Object.entries(IDENTITY_POLICY).map(([k, v]) => [k, v === 'public' ? v : [...v].sort()])),
    );
    const adminRoutes = routes.filter((r) => r.path.startsWith('/api/admin/'));
    expect(adminRoutes.length).toBeGreaterThan(0);
    for (const r of adminRoutes)
      expect({ route: key(r), access: r.access }).toEqual({ route: key(r), access: { public: false, roles: ['ADMIN'] } });
  });

  it('the guard answers every cell as declared, with real tokens', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      for (const caller of CALLERS) {
        const res = await call(t, route, caller === 'anonymous' ? undefined : tokens[caller]);
        // Logout ends the sign-in of the Bearer token it is called with (issue 10 #7): sign in again for the next cells.
        if (key(route) === 'POST /api/auth/logout' && caller !== 'anonymous')
          tokens[caller] = (await login(t, users[caller])).accessToken;
        const code: string | undefined = res.body?.code;
        const cell = `${key(route)} as ${caller}: ${res.status} ${code ?? ''}`;
        const access = route.access;
        if (!access) {
          failures.push(`${cell} (no access decision)`);
        } else if (access.public) {
          if (GUARD_CODES.includes(code ?? '') || res.status >= 500) failures.push(`${cell} (public route refused by the guard)`);
        } else if (caller === 'anonymous') {
          if (res.status !== 401 || code !== 'UNAUTHENTICATED') failures.push(`${cell} (expected 401 UNAUTHENTICATED)`);
        } else if (!access.roles.includes(caller)) {
          if (res.status !== 403 || code !== 'FORBIDDEN') failures.push(`${cell} (expected 403 FORBIDDEN)`);
        } else if (res.status === 401 || code === 'FORBIDDEN' || res.status >= 500) {
          failures.push(`${cell} (allowed role refused or failed)`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 240_000); // every route × every caller, one after the other: ~600 requests, minutes on a loaded 2-core CI machine

  it('every route with @Roles declares @Scopes an allowed role can hold, or is deliberately session only', () => {
    const guarded = routes.filter((r) => r.access && !r.access.public);
    expect(
      guarded
        .filter((r) => !r.scopes?.length)
        .map(key)
        .sort(),
    ).toEqual(SESSION_ONLY);
    const problems: string[] = [];
    for (const r of guarded) {
      if (!r.scopes?.length || !r.access || r.access.public) continue;
      if (r.path.startsWith('/api/admin/') && JSON.stringify(r.scopes) !== '["admin"]')
        problems.push(`${key(r)}: admin route without the admin scope`);
      // Every role the route admits can hold its scope (an ADMIN through `admin`), else keys of that role could never call it.
      for (const role of r.access.roles)
        if (!scopesFor(role, r.scopes)) problems.push(`${key(r)}: ${role} cannot hold ${r.scopes.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('the guard answers every route × allowed role × scope as declared, with real API keys', async () => {
    const keys = new Map<string, string>();
    /** A key of `role` with exactly `scopes` (created once, from the role's fresh sign-in). */
    const keyWith = async (role: Role, scopes: ApiScope[]): Promise<string> => {
      const id = `${role} ${[...scopes].sort().join(' ')}`;
      if (!keys.has(id)) {
        const res = await request(t.server)
          .post('/api/api-keys')
          .set(bearer(tokens[role]))
          .send({ name: 'scope matrix', scopes })
          .expect(201);
        keys.set(id, res.body.key as string);
      }
      return keys.get(id)!;
    };
    const failures: string[] = [];
    for (const route of routes) {
      if (!route.access || route.access.public) continue;
      for (const role of route.access.roles) {
        const required = route.scopes;
        if (!required?.length) {
          // Session only: even a key with every scope of the role is refused.
          const res = await call(t, route, await keyWith(role, [...SCOPES_BY_ROLE[role]]));
          if (res.status !== 403 || res.body.code !== 'API_KEY_NOT_ALLOWED')
            failures.push(`${key(route)} as ${role} key: ${res.status} ${res.body.code} (expected 403 API_KEY_NOT_ALLOWED)`);
          continue;
        }
        const needed = scopesFor(role, required);
        if (!needed) continue; // reported by the declaration test above
        // Everything the role may hold except what the route needs (and except admin, which satisfies anything).
        const others = SCOPES_BY_ROLE[role].filter((s) => s !== 'admin' && !needed.includes(s));
        if (others.length) {
          const res = await call(t, route, await keyWith(role, others));
          if (res.status !== 403 || res.body.code !== 'INSUFFICIENT_SCOPE')
            failures.push(
              `${key(route)} as ${role} key without ${needed.join(',')}: ${res.status} ${res.body.code} (expected 403 INSUFFICIENT_SCOPE)`,
            );
        }
        const res = await call(t, route, await keyWith(role, needed));
        const code = res.body.code ?? '';
        if (res.status === 401 || res.status >= 500 || GUARD_CODES.includes(code) || SCOPE_CODES.includes(code))
          failures.push(
            `${key(route)} as ${role} key with ${needed.join(',')}: ${res.status} ${code} (allowed key refused or failed)`,
          );
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);

  it('own vs foreign object: only the owner can revoke an API key; everyone else gets 404', async () => {
    const created = await request(t.server)
      .post('/api/api-keys')
      .set(bearer(tokens.CLIENT))
      .send({ name: 'matrix', scopes: ['profile:read'] })
      .expect(201);
    for (const role of ['LAWYER', 'PARTNER', 'ADMIN'] as const) {
      const res = await request(t.server).delete(`/api/api-keys/${created.body.id}`).set(bearer(tokens[role]));
      expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 404, code: 'API_KEY_NOT_FOUND' });
    }
    await request(t.server).get('/api/auth/me').set(bearer(created.body.key)).expect(200);
    await request(t.server).delete(`/api/api-keys/${created.body.id}`).set(bearer(tokens.CLIENT)).expect(204);
    await request(t.server).get('/api/auth/me').set(bearer(created.body.key)).expect(401);
  });
});

/** Proves the checks above can fail: an app with an unannotated route and a route added behind Nest's back. */
@Controller('undeclared-probe')
class UndeclaredController {
  @Get()
  open(): { ok: true } {
    return { ok: true };
  }
}

@Injectable()
class SneakyRoute implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}
  onModuleInit(): void {
    this.adapterHost.httpAdapter.getInstance<FastifyInstance>().get('/api/sneaky', async () => ({ ok: true }));
  }
}

@Module({ controllers: [UndeclaredController], providers: [SneakyRoute] })
class UndeclaredProbeModule {}

describe('route access: the inventory catches what it must', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, [RouteInventoryModule, UndeclaredProbeModule]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('reports an unannotated route, which the guard refuses (default deny)', async () => {
    const undeclared = nestRoutes(t.app)
      .filter((r) => r.access === undefined)
      .map(key);
    expect(undeclared).toEqual(['GET /api/undeclared-probe']);
    const res = await request(t.server).get('/api/undeclared-probe').expect(500);
    expect(res.body.code).toBe('ACCESS_UNDECLARED');
  });

  it('reports a route registered directly on Fastify', () => {
    expect(routesOutsideNest(t.app.get(FastifyRouteRecorder).routes, nestRoutes(t.app))).toEqual([
      'GET /api/sneaky',
      'HEAD /api/sneaky',
    ]);
  });
});
