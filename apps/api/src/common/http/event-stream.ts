import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/** A stream a service has opened for a caller, to attach to the response once it is taken over. */
export interface OpenedEventStream {
  attach(raw: ServerResponse): void;
  abandon(): void;
}

/**
 * Takes the response over from Fastify and answers it as a Server-Sent Events stream for
 * `opened`. Every refusal must be thrown before this call, so it still gets the usual error
 * body; from here Fastify (its serialisers, hooks and error handler) stays out.
 */
export function takeOverAsEventStream(reply: FastifyReply, opened: OpenedEventStream): void {
  try {
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string | string[]>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    reply.raw.flushHeaders();
    opened.attach(reply.raw);
  } catch (e) {
    opened.abandon();
    reply.raw.destroy();
    throw e;
  }
}
