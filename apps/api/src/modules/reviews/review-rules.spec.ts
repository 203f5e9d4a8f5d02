import { aggregate, averageOf, bayesianScore, decodeCursor, encodeCursor, isPubliclyVisible, isVisibleToCounterpart, RATING_PRIOR_MEAN } from './review-rules';

describe('review rules', () => {
  it('scores a lawyer without reviews at the prior mean, and damps few reviews towards it', () => {
    expect(bayesianScore(0, 0)).toBe(RATING_PRIOR_MEAN);
    expect(bayesianScore(1, 5)).toBe(4.1667);
    expect(bayesianScore(40, 192)).toBe(4.7111);
    expect(bayesianScore(1, 5)).toBeLessThan(bayesianScore(40, 192));
  });

  it('averages to two decimals, null without reviews', () => {
    expect(averageOf(0, 0)).toBeNull();
    expect(averageOf(3, 13)).toBe(4.33);
    expect(aggregate([5, 4, 4, 1])).toEqual({ count: 4, sum: 14, distribution: [1, 0, 0, 2, 1] });
  });

  it('counts only published, unhidden client reviews publicly; the counterpart sees any published, unhidden one', () => {
    const at = new Date();
    expect(isPubliclyVisible({ authorSide: 'CLIENT', publishedAt: at, hidden: false })).toBe(true);
    expect(isPubliclyVisible({ authorSide: 'CLIENT', publishedAt: null, hidden: false })).toBe(false);
    expect(isPubliclyVisible({ authorSide: 'CLIENT', publishedAt: at, hidden: true })).toBe(false);
    expect(isPubliclyVisible({ authorSide: 'LAWYER', publishedAt: at, hidden: false })).toBe(false);
    expect(isVisibleToCounterpart({ authorSide: 'LAWYER', publishedAt: at, hidden: false })).toBe(true);
    expect(isVisibleToCounterpart({ authorSide: 'LAWYER', publishedAt: null, hidden: false })).toBe(false);
  });

  it('round-trips the cursor and refuses anything else', () => {
    const c = { publishedAt: new Date('2026-03-02T10:00:00.123Z'), id: '6f1c0a52-7d7e-4f5e-9a3b-1c2d3e4f5a6b' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'abc', '!!!', Buffer.from('2026-03-02|x').toString('base64url'), 'x'.repeat(300)]) expect(decodeCursor(bad)).toBeNull();
  });
});
