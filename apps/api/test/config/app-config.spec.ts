import { ConfigValidationError, loadConfig } from '../../src/config/app-config';

describe('loadConfig', () => {
  it('has working defaults for the embedded mode', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.BLOB_DRIVER).toBe('fs');
    expect(c.CORS_ORIGINS).toEqual([]);
  });

  it('parses numbers, booleans and lists', () => {
    const c = loadConfig({ PORT: '8080', DB_MIGRATIONS_RUN: 'false', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(c.PORT).toBe(8080);
    expect(c.DB_MIGRATIONS_RUN).toBe(false);
    expect(c.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ DB_MIGRATIONS_RUN: 'maybe' }, 'DB_MIGRATIONS_RUN'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ BLOB_DRIVER: 's3' }, 'S3_BUCKET'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigValidationError).problems.map((p) => p.variable)).toContain(variable);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('does not echo secret values in its message', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://user:topsecret@host/db' });
      throw new Error('expected a failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('topsecret');
    }
  });
});
