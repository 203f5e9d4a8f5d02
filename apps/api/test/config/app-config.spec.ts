import { ConfigValidationError, loadConfig, originKey, publicUrlMismatch, servedOrigin } from '../../src/config/app-config';

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
    [{ TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32) }, 'TWILIO_AUTH_TOKEN'],
    [{ TWILIO_ACCOUNT_SID: 'not-a-sid' }, 'TWILIO_ACCOUNT_SID'],
    [{ VIDEO_ICE_SERVERS: 'stun:stun.example.org' }, 'VIDEO_ICE_SERVERS'],
    [{ VIDEO_ICE_SERVERS: '[{"urls":"http://example.org"}]' }, 'VIDEO_ICE_SERVERS'],
    [{ VIDEO_JOIN_EARLY_MINUTES: '-1' }, 'VIDEO_JOIN_EARLY_MINUTES'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigValidationError).problems.map((p) => p.variable)).toContain(variable);
      expect((e as Error).message).toContain(variable);
    }
  });

  it('chooses the video provider: peer-to-peer unless all four TWILIO_* are set; ICE servers as JSON', () => {
    expect(loadConfig({}).videoProvider).toBe('p2p');
    expect(loadConfig({}).VIDEO_ICE_SERVERS).toEqual([]);
    const twilio = loadConfig({
      TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
      TWILIO_API_KEY_SID: 'SK' + 'b'.repeat(32),
      TWILIO_API_KEY_SECRET: 'secret-secret-secret',
      TWILIO_AUTH_TOKEN: 'token-token-token-token',
      VIDEO_ICE_SERVERS: '[{"urls":["stun:stun.example.org:3478"]},{"urls":"turn:turn.example.org","username":"u","credential":"p"}]',
    });
    expect(twilio.videoProvider).toBe('twilio');
    expect(twilio.VIDEO_ICE_SERVERS).toEqual([{ urls: ['stun:stun.example.org:3478'] }, { urls: 'turn:turn.example.org', username: 'u', credential: 'p' }]);
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

describe('PUBLIC_URL default', () => {
  it('is the served address when unset: localhost for a wildcard HOST, the host otherwise', () => {
    expect(loadConfig({ PORT: '4100' }).PUBLIC_URL).toBe('http://localhost:4100');
    expect(loadConfig({ PORT: '4100' }).publicUrlDerived).toBe(true);
    expect(loadConfig({ PORT: '4100', HOST: '127.0.0.1' }).PUBLIC_URL).toBe('http://127.0.0.1:4100');
    expect(loadConfig({ PORT: '4100', HOST: '::1' }).PUBLIC_URL).toBe('http://[::1]:4100');
    expect(loadConfig({ PORT: '4100', PUBLIC_URL: 'https://lex.example' }).PUBLIC_URL).toBe('https://lex.example');
    expect(servedOrigin('::', 80)).toBe('http://localhost:80');
  });

  it('names a configured loopback PUBLIC_URL on another port, and nothing else', () => {
    expect(publicUrlMismatch(loadConfig({ PORT: '4100', PUBLIC_URL: 'http://localhost:3000' }))).toMatch(/PUBLIC_URL is http:\/\/localhost:3000 but this process listens on port 4100/);
    expect(publicUrlMismatch(loadConfig({ PORT: '4100', PUBLIC_URL: 'http://127.0.0.1:4100' }))).toBeNull();
    expect(publicUrlMismatch(loadConfig({ PORT: '4100', PUBLIC_URL: 'https://lex.example' }))).toBeNull();
    expect(publicUrlMismatch(loadConfig({ PORT: '4100' }))).toBeNull();
  });

  it('compares origins with loopback names folded and default ports filled in', () => {
    expect(originKey('localhost:3000')).toBe(originKey('http://127.0.0.1:3000'));
    expect(originKey('https://lex.example')).toBe('lex.example:443');
    expect(originKey('lex.example')).toBe('lex.example:80');
  });
});
