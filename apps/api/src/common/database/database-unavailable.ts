import { Client } from 'pg';
import { QueryFailedError, TypeORMError } from 'typeorm';

/**
 * SQLSTATEs that say the server is down or went away: connection exceptions (class 08, checked
 * by prefix), the server shutting down or the session being terminated (57P01 admin_shutdown,
 * 57P02 crash_shutdown, 57P03 cannot_connect_now, 57P05 idle session timeout).
 */
const DOWN_STATES = new Set(['57P01', '57P02', '57P03', '57P05']);
/** The server is up but refuses more connections: load, not an outage. */
const OVERLOADED_STATES = new Set(['53300']);
/**
 * Node's socket errors when the server is not there (stopped, restarting, unreachable). Any
 * network client raises these (S3, an SMS provider, …), so they count only for an error that
 * came from the database driver: wrapped by TypeORM, or marked by {@link DatabaseClient}.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Messages of node-postgres for a connection that died. */
const DOWN_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
];
/** The pool found no free connection within its acquire timeout: load, not an outage. */
const OVERLOADED_MESSAGES = [/^timeout exceeded when trying to connect/];

/** Marks an error raised while a database connection was being opened (see DatabaseClient). */
const FROM_DATABASE = Symbol('fromDatabase');

/** Marks `e` as coming from the database driver, so its socket error code counts. */
export function markDatabaseError<T>(e: T): T {
  if (typeof e === 'object' && e !== null) Object.defineProperty(e, FROM_DATABASE, { value: true });
  return e;
}

/**
 * The pg client of every pool of ours (`Client` option of pg's Pool): a failed connect (the
 * server refused or was unreachable) surfaces as Node's bare socket error, not wrapped by
 * TypeORM; this marks it as the database's, so it reads as DATABASE_UNAVAILABLE while the same
 * code from another network client does not.
 */
export class DatabaseClient extends Client {
  override connect(): Promise<Client>;
  override connect(callback: ((err: Error) => void) | ((err: null, c: Client) => void)): void;
  override connect(callback?: ((err: Error) => void) | ((err: null, c: Client) => void)): Promise<Client> | void {
    if (callback) {
      const done = callback as (err: Error | null, c?: Client) => void;
      return super.connect((err: Error | null, c?: Client) => done(err ? markDatabaseError(err) : null, c));
    }
    return super.connect().catch((e: unknown) => {
      throw markDatabaseError(e);
    });
  }
}

type Failure = 'down' | 'overloaded';

function classify(e: unknown, fromDatabase: boolean, depth: number): Failure | null {
  if (typeof e !== 'object' || e === null || depth > 3) return null;
  const err = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const trusted = fromDatabase || e instanceof TypeORMError || (e as { [FROM_DATABASE]?: boolean })[FROM_DATABASE] === true;
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && OVERLOADED_STATES.has(code)) return 'overloaded';
  if (code && (code.startsWith('08') || DOWN_STATES.has(code) || (trusted && SOCKET_CODES.has(code)))) return 'down';
  const message = typeof err.message === 'string' ? err.message : '';
  if (OVERLOADED_MESSAGES.some((m) => m.test(message))) return 'overloaded';
  if (DOWN_MESSAGES.some((m) => m.test(message))) return 'down';
  if (e instanceof QueryFailedError) {
    const inner = classify(err.driverError, true, depth + 1);
    if (inner) return inner;
  }
  // AggregateError (a connection attempt to every address of a host failed) and wrapped causes.
  if (Array.isArray(err.errors))
    for (const x of err.errors) {
      const inner = classify(x, trusted, depth + 1);
      if (inner) return inner;
    }
  return err.cause !== undefined ? classify(err.cause, trusted, depth + 1) : null;
}

/**
 * Whether `e` says the database is down or gone: unreachable, shutting down, or the connection
 * dropped mid-request. Not the database being busy ({@link isDatabaseOverloaded}).
 */
export function isDatabaseDown(e: unknown): boolean {
  return classify(e, false, 0) === 'down';
}

/** Whether `e` says the database is up but has no connection for us now (too many connections, pool acquire timeout). */
export function isDatabaseOverloaded(e: unknown): boolean {
  return classify(e, false, 0) === 'overloaded';
}

/**
 * Whether `e` says the database could not be reached, dropped the connection mid-request or had
 * no connection to give, rather than refusing what we asked (503 DATABASE_UNAVAILABLE). Whether
 * the request's work committed is not known: the connection may have died during COMMIT.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  return classify(e, false, 0) !== null;
}
