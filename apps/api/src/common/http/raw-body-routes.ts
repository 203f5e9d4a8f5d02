import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';

/** A route that takes its body as raw bytes instead of JSON. */
export interface RawBodyRoute {
  /** The route's URL pattern as Fastify registers it, prefix included (`/api/sessions/:id/...`). */
  url: string;
  /** Content types (lower case, no parameters) the route takes raw; any other stays a 415. */
  types: readonly string[];
  /** Largest accepted body in bytes; beyond it → 413 PAYLOAD_TOO_LARGE. */
  limit: number;
  /**
   * 'buffer': the handler gets a Buffer (small uploads: photos, documents).
   * 'stream': the handler gets a Readable of the request body, never held whole in memory;
   * the limit is enforced while it streams (the stream fails with a 413 error past it).
   */
  mode: 'buffer' | 'stream';
  /** The error for a body over `limit` (default: Fastify's, answered 413 PAYLOAD_TOO_LARGE); a route may name its own 413 code. */
  tooLarge?: () => Error;
}

/** Per Fastify instance (one per app; tests create several): its raw routes by URL pattern. */
const registries = new WeakMap<FastifyInstance, Map<string, RawBodyRoute>>();

type ParserError = Error & { statusCode: number; code: string };

function fastifyError(statusCode: number, code: string, message: string): ParserError {
  return Object.assign(new Error(message), { statusCode, code });
}

export const unsupportedMediaType = (): ParserError => fastifyError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Content-Type');
export const bodyTooLarge = (): ParserError => fastifyError(413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'Request body is too large');

/**
 * The one place raw (non-JSON) request bodies are allowed. Fastify keeps one parser per
 * content type for the whole app, so modules declare their raw routes here instead of adding
 * parsers of their own: for each declared type a single parser is installed, which looks the
 * request's route up and refuses (415) the type on every route that did not declare it — a JSON
 * route sent application/octet-stream stays a 415, as before. Registering is idempotent per
 * app; call it from a provider's constructor (providers are built before Nest adds routes).
 */
export function registerRawBodyRoutes(fastify: FastifyInstance, routes: readonly RawBodyRoute[]): void {
  let registry = registries.get(fastify);
  if (!registry) {
    registry = new Map();
    registries.set(fastify, registry);
  }
  for (const route of routes) {
    registry.set(route.url, route);
    for (const type of route.types) {
      if (fastify.hasContentTypeParser(type)) continue;
      const routesOf = registry;
      fastify.addContentTypeParser(type, (request: FastifyRequest, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) => {
        const raw = routesOf.get(request.routeOptions.url ?? '');
        const declared = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!raw || !raw.types.includes(declared)) {
          done(unsupportedMediaType());
          return;
        }
        const length = Number(request.headers['content-length']);
        const tooLarge = raw.tooLarge ?? bodyTooLarge;
        if (length > raw.limit) {
          done(tooLarge());
          return;
        }
        if (raw.mode === 'stream') done(null, limitedStream(payload, raw.limit, tooLarge));
        else readWhole(payload, raw.limit, Number.isNaN(length) ? null : length, done, tooLarge);
      });
    }
  }
}

/** The body as a Buffer, refusing more than `limit` bytes (as Fastify's own buffer parser does). */
function readWhole(
  payload: IncomingMessage,
  limit: number,
  contentLength: number | null,
  done: (err: Error | null, body?: unknown) => void,
  tooLarge: () => Error,
): void {
  const parts: Buffer[] = [];
  let received = 0;
  const cleanup = (): void => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
  };
  function onData(chunk: Buffer): void {
    received += chunk.length;
    if (received > limit) {
      cleanup();
      payload.resume(); // drain what the client still sends; the 413 goes out
      done(tooLarge());
      return;
    }
    parts.push(chunk);
  }
  function onEnd(): void {
    cleanup();
    if (contentLength !== null && received !== contentLength) {
      done(fastifyError(400, 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'Content-Length does not match the body'));
      return;
    }
    done(null, Buffer.concat(parts));
  }
  function onError(e: Error): void {
    cleanup();
    done(Object.assign(e, { statusCode: 400 }));
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
  payload.resume();
}

/**
 * The request body as a stream that fails with a 413 error once more than `limit` bytes went
 * through. The rest of an over-long body is drained (not buffered) so the 413 reaches the client.
 */
function limitedStream(payload: IncomingMessage, limit: number, tooLarge: () => Error): Transform {
  let received = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      received += chunk.length;
      if (received > limit) {
        payload.unpipe(limiter);
        payload.resume();
        callback(tooLarge());
        return;
      }
      callback(null, chunk);
    },
  });
  payload.on('error', (e) => limiter.destroy(e));
  payload.on('aborted', () => limiter.destroy(fastifyError(400, 'REQUEST_ABORTED', 'The client aborted the request')));
  payload.pipe(limiter);
  return limiter;
}
