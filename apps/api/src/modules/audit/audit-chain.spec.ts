import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/json/canonical-json';
import { chainHash, GENESIS_HASH, REDACTED, sanitizePayload } from './audit-chain';
import { checkpointMessage } from './audit-checkpoint-message';

const fields = {
  seq: 1,
  occurredAt: '2025-11-26T09:15:02.123456Z',
  actorId: '0a1b2c3d-0000-4000-8000-00000000abcd',
  actorRole: 'ADMIN',
  action: 'user.suspended',
  subjectType: 'user',
  subjectId: 'u-1',
  payload: { b: 1, a: { d: [1, 'x', null], c: true } },
  requestId: 'req-1',
};

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth, keeps array order, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
  });

  it('sorts by UTF-16 code units and escapes like JSON.stringify', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, '\u2028': 'line' })).toBe('{"A":3,"z":2,"é":1,"\u2028":"line"}');
    expect(canonicalJson('quote " and \\ and \n')).toBe('"quote \\" and \\\\ and \\n"');
  });

  it('serialises numbers as ECMAScript does and refuses non-JSON values', () => {
    expect(canonicalJson([1.5, -0, 1e21, 1e-7, 100])).toBe('[1.5,0,1e+21,1e-7,100]');
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe('chainHash', () => {
  it('is SHA-256 over the previous hash bytes and the canonical entry (pinned: changing it breaks stored chains)', () => {
    const canonical =
      '{"action":"user.suspended","actorId":"0a1b2c3d-0000-4000-8000-00000000abcd","actorRole":"ADMIN",' +
      '"occurredAt":"2025-11-26T09:15:02.123456Z","payload":{"a":{"c":true,"d":[1,"x",null]},"b":1},' +
      '"requestId":"req-1","seq":1,"subjectId":"u-1","subjectType":"user","v":1}';
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(canonical).digest('hex');
    expect(expected).toBe('f285e382cddf013fa2d4f49513ccd02ec9a03a38986b237a4564afc88fbcee08');
    expect(chainHash(GENESIS_HASH, fields)).toBe(expected);
  });

  it('changes when any field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, fields);
    const variants = [
      { seq: 2 },
      { occurredAt: '2025-11-26T09:15:02.123457Z' },
      { actorId: null },
      { actorRole: null },
      { action: 'user.unsuspended' },
      { subjectType: 'lawyer' },
      { subjectId: null },
      { payload: { b: 2, a: { d: [1, 'x', null], c: true } } },
      { requestId: null },
    ];
    for (const change of variants) expect(chainHash(GENESIS_HASH, { ...fields, ...change })).not.toBe(base);
    expect(chainHash('1'.repeat(64), fields)).not.toBe(base);
  });

  it('refuses a malformed previous hash', () => {
    expect(() => chainHash('ABC', fields)).toThrow(TypeError);
  });
});

describe('sanitizePayload', () => {
  it('stores the JSON form and redacts secret-looking keys at any depth', () => {
    expect(
      sanitizePayload({
        when: new Date('2025-01-01T00:00:00Z'),
        gone: undefined,
        password: 'x',
        deep: [{ accessToken: 't', id: 1 }],
      }),
    ).toEqual({ when: '2025-01-01T00:00:00.000Z', password: REDACTED, deep: [{ accessToken: REDACTED, id: 1 }] });
  });

  it('refuses oversized payloads', () => {
    expect(() => sanitizePayload({ blob: 'x'.repeat(20_000) })).toThrow(RangeError);
  });
});

describe('checkpointMessage', () => {
  it('is the canonical JSON of the statement with its type', () => {
    const message = checkpointMessage({
      headSeq: 3,
      headHash: 'ab'.repeat(32),
      signedAt: '2025-11-26T09:15:00.000Z',
      keyId: '0123456789abcdef',
    });
    expect(message.toString('utf8')).toBe(
      `{"headHash":"${'ab'.repeat(32)}","headSeq":3,"keyId":"0123456789abcdef","signedAt":"2025-11-26T09:15:00.000Z","type":"lexmarket.audit.checkpoint.v1"}`,
    );
  });
});
