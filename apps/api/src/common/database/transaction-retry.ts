import { DataSource, EntityManager, QueryFailedError } from 'typeorm';

/**
 * SQLSTATEs after which re-running the whole transaction is safe and will succeed or see the
 * winner's rows: unique_violation (a concurrent writer got there first; the re-run finds its
 * row and treats ours as a duplicate), serialization_failure and deadlock_detected.
 */
const RETRYABLE = new Set(['23505', '40001', '40P01']);

function sqlState(e: unknown): string | undefined {
  return e instanceof QueryFailedError
    ? (e as QueryFailedError & { driverError?: { code?: string } }).driverError?.code
    : undefined;
}

export function isRetryableDbError(e: unknown): boolean {
  const code = sqlState(e);
  return code !== undefined && RETRYABLE.has(code);
}

/** A unique_violation (SQLSTATE 23505): a concurrent writer inserted the same key first. */
export function isUniqueViolation(e: unknown): boolean {
  return sqlState(e) === '23505';
}

/**
 * Runs `work` in a transaction, re-running it from scratch after a retryable conflict. Given an
 * EntityManager bound to a query runner, the transactions run on that runner's connection.
 */
export async function transactionWithRetry<T>(
  dataSource: DataSource | EntityManager,
  work: (manager: EntityManager) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (e) {
      if (attempt >= attempts || !isRetryableDbError(e)) throw e;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 20 * attempt)));
    }
  }
}
