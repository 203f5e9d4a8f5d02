import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTED = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Fastify `genReqId`: keeps a well-formed incoming `x-request-id` (set by a load balancer
 * or the caller) so traces join up, otherwise a new UUID. The id is also put on the raw
 * request so the pino-http logger (which only sees the raw request) logs the same id.
 */
export function genRequestId(raw: IncomingMessage): string {
  const incoming = raw.headers['x-request-id'];
  const id = typeof incoming === 'string' && ACCEPTED.test(incoming) ? incoming : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}
