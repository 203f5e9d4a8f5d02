import { QueryFailedError } from 'typeorm';
import { toErrorResponse } from '../http/error-body';
import { isDatabaseUnavailable } from './database-unavailable';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
const ctx = { requestId: 'r1', method: 'POST', path: '/api/x' };

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a terminated session (57P01)', queryFailed(pgError('57P01', 'terminating connection due to administrator command'))],
    ['a server shutting down (57P02)', pgError('57P02')],
    ['a server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300')],
    ['a connection exception (08006)', pgError('08006')],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that found no connection in time', new Error('timeout exceeded when trying to connect')],
    ['a connection error wrapped in a query error', queryFailed(new Error('Connection terminated unexpectedly'))],
    ['every address refused', new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')])],
  ])('%s is the database being unavailable: 503 DATABASE_UNAVAILABLE', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(toErrorResponse(error, ctx).body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
  });

  it.each([
    ['a unique violation', queryFailed(pgError('23505'))],
    ['a syntax error (a bug of ours)', queryFailed(pgError('42601'))],
    ['a check violation', queryFailed(pgError('23514'))],
    ['a plain error', new Error('boom')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not: it stays a 500', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(toErrorResponse(error, ctx).body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });
});
