import { createServer } from 'node:net';
import { Pool } from 'pg';
import { QueryFailedError } from 'typeorm';
import { toErrorResponse } from '../http/error-body';
import {
  DatabaseClient,
  isDatabaseDown,
  isDatabaseOverloaded,
  isDatabaseUnavailable,
  markDatabaseError,
} from './database-unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
/** A socket error as Node raises it (pg's connect gives it through unwrapped). */
const socketError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
const ctx = { requestId: 'r1', method: 'POST', path: '/api/x' };

/** A port nothing listens on (bound, then released). */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a terminated session (57P01)', queryFailed(pgError('57P01', 'terminating connection due to administrator command'))],
    ['a server shutting down (57P02)', pgError('57P02')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', pgError('08006')],
    ['a refused connection from the driver', markDatabaseError(socketError('ECONNREFUSED'))],
    ['a reset connection under a query', queryFailed(socketError('ECONNRESET'))],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a connection error wrapped in a query error', queryFailed(new Error('Connection terminated unexpectedly'))],
    ['every address refused', markDatabaseError(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]))],
  ])('%s is the database being down: 503 DATABASE_UNAVAILABLE', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseDown(error)).toBe(true);
    expect(isDatabaseOverloaded(error)).toBe(false);
    expect(toErrorResponse(error, ctx).body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it.each([
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['too many connections under a query', queryFailed(pgError('53300'))],
    ['a pool that found no connection in time', new Error('timeout exceeded when trying to connect')],
  ])('%s is load, not an outage: 503 DATABASE_UNAVAILABLE, but not "down"', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseOverloaded(error)).toBe(true);
    expect(isDatabaseDown(error)).toBe(false);
    expect(toErrorResponse(error, ctx).body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it('the 503 does not claim that nothing was saved (the connection may have died during COMMIT)', () => {
    const { message } = toErrorResponse(new Error('Connection terminated unexpectedly'), ctx).body as { message: string };
    expect(message).not.toMatch(/nothing was saved/);
    expect(message).toMatch(/may not have been completed/);
  });

  it.each([
    ['a unique violation', queryFailed(pgError('23505'))],
    ['a syntax error (a bug of ours)', queryFailed(pgError('42601'))],
    ['a check violation', queryFailed(pgError('23514'))],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
    // Other network clients raise the same socket codes: S3, an SMS provider (axios), fetch.
    ['a refused connection of another client', socketError('ECONNREFUSED')],
    ['an HTTP client’s timeout', Object.assign(new Error('timeout of 5000ms exceeded'), { code: 'ETIMEDOUT', isAxiosError: true })],
    ['fetch failing on a reset socket', new TypeError('fetch failed', { cause: socketError('ECONNRESET') })],
    ['another client failing on every address', new AggregateError([socketError('ECONNREFUSED')])],
  ])('%s is not: it stays a 500', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toErrorResponse(error, ctx).body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });

  it('a pool of DatabaseClients marks a refused connection as the database being down', async () => {
    const port = await closedPort();
    const pool = new Pool({ host: '127.0.0.1', port, user: 'x', database: 'x', Client: DatabaseClient });
    try {
      const error: unknown = await pool.query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isDatabaseDown(error)).toBe(true);
      // The same error from a plain pg client is not marked.
      const plain: unknown = await new Pool({ host: '127.0.0.1', port, user: 'x', database: 'x' }).query('SELECT 1').then(
        () => null,
        (e: unknown) => e,
      );
      expect(plain).toMatchObject({ code: 'ECONNREFUSED' });
      expect(isDatabaseUnavailable(plain)).toBe(false);
    } finally {
      await pool.end();
    }
  });
});
