import { Injectable, Module, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryModule, DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { ApiScope, Role } from '@lm/domain';
import { PUBLIC_KEY, ROLES_KEY, SCOPES_KEY } from '../../src/common/auth/auth.decorators';
import { API_PREFIX } from '../../src/app.setup';

/** Records every route Fastify registers, however it was added (Nest, a plugin, by hand). */
@Injectable()
export class FastifyRouteRecorder {
  readonly routes: { method: string; url: string }[] = [];

  constructor(adapterHost: HttpAdapterHost) {
    // Providers are built before Nest registers its routes and before setupApp registers
    // plugins (Swagger, static files), so the hook sees all of them.
    const fastify = adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) this.routes.push({ method: String(method).toUpperCase(), url: route.url });
    });
  }
}

@Module({ imports: [DiscoveryModule], providers: [FastifyRouteRecorder] })
export class RouteInventoryModule {}

export interface NestRoute {
  method: string;
  /** Full path as Fastify knows it, e.g. /api/api-keys/:id */
  path: string;
  controller: string;
  handler: string;
  access: { public: true } | { public: false; roles: Role[] } | undefined;
  /** The scopes an API key needs (@Scopes); undefined = session only (or public). */
  scopes: ApiScope[] | undefined;
}

/** Every controller route of the Nest application, with its declared access. */
export function nestRoutes(app: INestApplication): NestRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const routes: NestRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
    if (!instance || !type) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    const controllerPaths = [Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined].flat();
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const methodPath = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (methodPath === undefined || requestMethod === undefined) continue;
      const targets = [handler, type];
      const isPublic = reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets);
      const roles = reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
      const access = isPublic ? ({ public: true } as const) : roles ? ({ public: false, roles } as const) : undefined;
      const scopes = reflector.getAllAndOverride<ApiScope[] | undefined>(SCOPES_KEY, targets);
      for (const c of controllerPaths) {
        for (const m of [methodPath].flat()) {
          routes.push({ method: RequestMethod[requestMethod], path: joinPath(API_PREFIX, c ?? '', m), controller: type.name, handler: name, access, scopes });
        }
      }
    }
  }
  return routes;
}

function joinPath(...parts: string[]): string {
  const joined = '/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
  return joined;
}

/**
 * Routes that are not Nest controllers and are public by design: the API documentation
 * SwaggerModule serves. Anything else registered outside Nest is a finding.
 */
export function isDocumentationRoute(route: { method: string; url: string }): boolean {
  return (
    ['GET', 'HEAD'].includes(route.method) &&
    (route.url === `/${API_PREFIX}/openapi.json` || route.url === `/${API_PREFIX}/openapi.yaml` || route.url === `/${API_PREFIX}/docs` || route.url.startsWith(`/${API_PREFIX}/docs/`))
  );
}

/** Fastify routes that no Nest controller declares and that are not documentation. */
export function routesOutsideNest(recorded: { method: string; url: string }[], declared: NestRoute[]): string[] {
  const known = new Set(declared.map((r) => `${r.method} ${r.path}`));
  const getPaths = new Set(declared.filter((r) => r.method === 'GET').map((r) => r.path));
  return recorded
    .filter((r) => !isDocumentationRoute(r))
    .filter((r) => !(r.method === 'HEAD' && getPaths.has(r.url))) // Fastify's automatic HEAD for GET
    .filter((r) => r.method !== 'OPTIONS' || !r.url.includes('*')) // CORS preflight catch-all
    .map((r) => `${r.method} ${r.url}`)
    .filter((key) => !known.has(key));
}
