import { QueryFailedError } from 'typeorm';

/**
 * SQLSTATE classes and codes that say the server (not the statement) failed: connection
 * exceptions (class 08), the server shutting down or the session being terminated
 * (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05 idle session
 * timeout) and too many connections (53300).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);
/** Node's socket errors when the server is not there (stopped, restarting, unreachable). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Messages of node-postgres and its pool for a connection that died or never came. */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];

/**
 * Whether `e` says the database could not be reached or dropped the connection mid-request,
 * rather than refusing what we asked. The transaction (if any) did not commit: PostgreSQL
 * rolls back a transaction whose connection is gone, so the same request can be sent again.
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (typeof e !== 'object' || e === null || depth > 3) return false;
  const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || SOCKET_CODES.has(code))) return true;
  if (typeof err.message === 'string' && CONNECTION_MESSAGES.some((m) => m.test(err.message as string))) return true;
  if (e instanceof QueryFailedError && isDatabaseUnavailable(err.driverError, depth + 1)) return true;
  // AggregateError (a connection attempt to every address of a host failed) and wrapped causes.
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return err.cause !== undefined && isDatabaseUnavailable(err.cause, depth + 1);
}
