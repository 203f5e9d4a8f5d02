import { isStaleTestDatabase, STALE_TEST_DATABASE_MS, testDatabaseName } from './test-database';

/**
 * Several jest runs may share one PostgreSQL server (engineers, CI jobs). Each run's global
 * setup drops leftovers of interrupted runs; it must never drop a database another run has
 * just created and not connected to yet (that failed whole spec files with "database … does
 * not exist").
 */
describe('which idle spec databases another run may drop', () => {
  const now = Date.UTC(2026, 10, 30, 5, 0, 0);

  it('a database made by a run still going on is kept, however idle', () => {
    expect(isStaleTestDatabase(testDatabaseName(now), now)).toBe(false);
    expect(isStaleTestDatabase(testDatabaseName(now - STALE_TEST_DATABASE_MS + 60_000), now)).toBe(false);
  });

  it('a database older than any run is a leftover', () => {
    expect(isStaleTestDatabase(testDatabaseName(now - STALE_TEST_DATABASE_MS - 1), now)).toBe(true);
  });

  it('old-style names (no time in them) are leftovers; anything else is not ours', () => {
    expect(isStaleTestDatabase('lm_t_d9b5a2d967ae', now)).toBe(true);
    for (const name of ['lm_tpl_0123456789ab', 'postgres', 'lm_t_', 'lm_t_zz_nothex00', 'lexmarket']) {
      expect(isStaleTestDatabase(name, now)).toBe(false);
    }
  });

  it('names are valid, unquoted-safe PostgreSQL identifiers', () => {
    const name = testDatabaseName(now);
    expect(name).toMatch(/^[a-z0-9_]{1,63}$/);
    expect(testDatabaseName(now)).not.toBe(name);
  });
});
