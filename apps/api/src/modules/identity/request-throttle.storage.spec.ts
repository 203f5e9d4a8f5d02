import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import type { JobsService } from '../jobs';
import { RequestThrottleStorage } from './request-throttle.storage';

/** A storage whose own pool's every query fails with `error` (the pool never connects). */
const failingWith = (error: unknown) => {
  jest.spyOn(Pool.prototype, 'query').mockImplementation(() => Promise.reject(error));
  return new RequestThrottleStorage({ options: { url: 'postgres://nobody@127.0.0.1:1/none' } } as unknown as DataSource, {} as JobsService);
};
afterEach(() => jest.restoreAllMocks());
const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('RequestThrottleStorage when the database fails', () => {
  it.each([
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a server shutting down', new QueryFailedError('SELECT', [], pgError('57P01'))],
  ])('%s (the database is down): lets the hit through uncounted, so the health check can say so', async (_name, error) => {
    await expect(failingWith(error).increment('k', 60_000, 5, 60_000)).resolves.toMatchObject({
      totalHits: 0,
      isBlocked: false,
    });
  });

  it.each([
    ['too many connections (53300)', new QueryFailedError('SELECT', [], pgError('53300', 'sorry, too many clients already'))],
    ['no pooled connection in time', new Error('timeout exceeded when trying to connect')],
  ])('%s (load, not an outage): rethrows (503) instead of lifting the limit', async (_name, error) => {
    await expect(failingWith(error).increment('k', 60_000, 5, 60_000)).rejects.toBe(error);
  });
});
