import { assertFormWithinLimits, assertJsonWithinLimits, JsonTooDeep, JsonTooManyMembers } from './json-limits';

describe('assertJsonWithinLimits', () => {
  const limits = { maxDepth: 3, maxMembers: 5 };

  it('accepts bodies within the limits', () => {
    expect(() => assertJsonWithinLimits('{"a":[1,{"b":2}]}', limits)).not.toThrow();
    expect(() => assertJsonWithinLimits('"just a string"', limits)).not.toThrow();
  });

  it('counts only structure, not brackets or commas inside strings (escapes included)', () => {
    expect(() => assertJsonWithinLimits('{"a":"[[[[[[,,,,,,,,{{{{"}', limits)).not.toThrow();
    expect(() => assertJsonWithinLimits('{"a":"\\"[[[[[[[[\\\\"}', limits)).not.toThrow();
  });

  it('refuses nesting beyond maxDepth as soon as it is reached', () => {
    expect(() => assertJsonWithinLimits('[[[[1]]]]', limits)).toThrow(JsonTooDeep);
    expect(() => assertJsonWithinLimits('{"a":{"b":{"c":{"d":1}}}}', limits)).toThrow(JsonTooDeep);
    // Unbalanced (malformed) input is the parser's business, but must not loop or recurse.
    expect(() => assertJsonWithinLimits('['.repeat(1_000_000), { maxDepth: 32, maxMembers: 10 ** 9 })).toThrow(JsonTooDeep);
  });

  it('refuses more than maxMembers members and elements', () => {
    expect(() => assertJsonWithinLimits('[1,2,3,4,5,6]', limits)).toThrow(JsonTooManyMembers);
    expect(() => assertJsonWithinLimits(Buffer.from('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6}'), limits)).toThrow(JsonTooManyMembers);
  });

  it('bounds form bodies by their number of fields', () => {
    expect(() => assertFormWithinLimits('a=1&b=2', limits)).not.toThrow();
    expect(() => assertFormWithinLimits('a=1&b=2&c=3&d=4&e=5&f=6', limits)).toThrow(JsonTooManyMembers);
  });
});
