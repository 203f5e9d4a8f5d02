import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from './common/time/clock';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppFastifyAdapter } from './common/http/app-fastify-adapter';
import { AppModule, ModuleImport } from './app.module';
import { setupApp } from './app.setup';
import { AppConfig } from './config/app-config';
import { genRequestId } from './common/http/request-id';
import { sendError } from './common/http/all-exceptions.filter';

/** Creates the fully set-up application (not yet listening). Used by main.ts and tests. */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  opts: { documentOnly?: boolean; extraModules?: ModuleImport[]; clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ config, databaseUrl, documentOnly: opts.documentOnly, extraModules: opts.extraModules, clock: opts.clock }),
    createAdapter(config),
    { rawBody: true, bufferLogs: true, abortOnError: false },
  );
  return setupApp(app, config);
}

/** The Fastify adapter with our request ids, body limit and error handler. */
export function createAdapter(config: AppConfig): AppFastifyAdapter {
  return new AppFastifyAdapter({
    genReqId: genRequestId,
    requestIdHeader: false,
    trustProxy: config.isProduction ? 'loopback, linklocal, uniquelocal' : false,
    bodyLimit: 1024 * 1024,
    // Our pino logger (nestjs-pino) logs requests; Fastify's own logger stays off.
    logger: false,
    // Errors the router raises before any hook runs (a malformed URL, an over-long path
    // parameter) get the same stable body as every other error, not Fastify's own shape.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
      sendError(error, request, reply, new Logger('HttpError'));
    },
  }).enableRouteBodyLimits();
}
