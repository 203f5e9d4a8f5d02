import {
  applyBps,
  mulDivRoundHalfUp,
  paymentLines,
  refundReversal,
  sharesOf,
  splitPayment,
  type LedgerLine,
} from './ledger-math';

const LAWYER = 'lawyer-1';
const P1 = 'partner-1';
const P2 = 'partner-2';
const sum = (lines: LedgerLine[]) => lines.reduce((s, l) => s + l.amountMinor, 0);
const balanceOf = (lines: LedgerLine[], account: string, partyId: string | null = null) =>
  lines.filter((l) => l.account === account && l.partyId === partyId).reduce((s, l) => s + l.amountMinor, 0);

/** Small deterministic PRNG (mulberry32) so a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('rounding: half up on integers', () => {
  it('rounds x.5 up and everything else to the nearest unit', () => {
    expect(applyBps(10_000, 1500)).toBe(1500); // exact
    expect(applyBps(333, 1500)).toBe(50); // 49.95 → 50
    expect(applyBps(3, 1500)).toBe(0); // 0.45 → 0
    expect(applyBps(1, 5000)).toBe(1); // 0.5 → 1 (half up)
    expect(applyBps(3, 5000)).toBe(2); // 1.5 → 2
    expect(applyBps(5, 1000)).toBe(1); // 0.5 → 1
    expect(applyBps(4, 1000)).toBe(0); // 0.4 → 0
    expect(applyBps(1999, 0)).toBe(0);
    expect(applyBps(1999, 10_000)).toBe(1999);
  });

  it('is exact beyond 2^53 intermediate products', () => {
    // 99_999_999 × 99_999_999 ≈ 1e16 > 2^53: a float product would lose the last digits.
    expect(mulDivRoundHalfUp(99_999_999, 99_999_999, 99_999_999)).toBe(99_999_999);
    expect(mulDivRoundHalfUp(99_999_999, 99_999_997, 100_000_000)).toBe(99_999_996);
  });

  it('refuses what is not money', () => {
    expect(() => applyBps(1.5, 100)).toThrow(RangeError);
    expect(() => applyBps(-1, 100)).toThrow(RangeError);
    expect(() => applyBps(100, 10_001)).toThrow(RangeError);
  });
});

describe('payment split: fee, lawyer share, partner commissions', () => {
  it('takes the fee from the amount and the commission from the fee, never from the lawyer', () => {
    const split = splitPayment(10_000, 1500, 2000, [P1]);
    expect(split).toEqual({
      amountMinor: 10_000,
      feeBps: 1500,
      feeMinor: 1500,
      lawyerMinor: 8500,
      commissions: [{ partnerId: P1, amountMinor: 300, rateBps: 2000 }],
      platformNetMinor: 1200,
    });
    const lines = paymentLines(split, LAWYER);
    expect(sum(lines)).toBe(0);
    expect(balanceOf(lines, 'stripe_clearing')).toBe(10_000);
    expect(balanceOf(lines, 'lawyer_payable', LAWYER)).toBe(-8500);
    expect(balanceOf(lines, 'platform_revenue')).toBe(-1200);
    expect(balanceOf(lines, 'partner_commission_payable', P1)).toBe(-300);
    // The commission is visible as its own move out of platform revenue.
    expect(lines).toContainEqual({ account: 'platform_revenue', partyId: null, amountMinor: 300, rateBps: 2000 });
    expect(lines).toContainEqual({ account: 'platform_revenue', partyId: null, amountMinor: -1500, rateBps: 1500 });
  });

  it('pays each distinct referring partner once, and never more than the fee', () => {
    expect(splitPayment(10_000, 1500, 2000, [P1, P2]).commissions.map((c) => c.amountMinor)).toEqual([300, 300]);
    expect(splitPayment(10_000, 1500, 2000, [P1, P1]).commissions).toHaveLength(1);
    const greedy = splitPayment(10_000, 1500, 8000, [P1, P2]);
    expect(greedy.commissions.map((c) => c.amountMinor)).toEqual([1200, 300]);
    expect(greedy.platformNetMinor).toBe(0);
    expect(sum(paymentLines(greedy, LAWYER))).toBe(0);
  });

  it('rounds the fee and the commission half up', () => {
    const split = splitPayment(333, 1500, 2000, [P1]); // fee 49.95 → 50, commission 10
    expect([split.feeMinor, split.lawyerMinor, split.commissions[0]!.amountMinor]).toEqual([50, 283, 10]);
    const odd = splitPayment(1, 5000, 5000, [P1]); // fee 0.5 → 1, commission 0.5 → 1
    expect([odd.feeMinor, odd.lawyerMinor, odd.commissions[0]!.amountMinor, odd.platformNetMinor]).toEqual([1, 0, 1, 0]);
    expect(paymentLines(odd, LAWYER).every((l) => l.amountMinor !== 0)).toBe(true);
  });

  it('leaves out zero entries (no fee, no lawyer share)', () => {
    const noFee = paymentLines(splitPayment(500, 0, 2000, [P1]), LAWYER);
    expect(noFee).toEqual([
      { account: 'stripe_clearing', partyId: null, amountMinor: 500, rateBps: null },
      { account: 'lawyer_payable', partyId: LAWYER, amountMinor: -500, rateBps: 0 },
    ]);
  });
});

describe('refund reversal', () => {
  const split = splitPayment(10_001, 1500, 2000, [P1, P2]);
  const original = paymentLines(split, LAWYER);
  const shares = sharesOf(original);

  it('aggregates the shares with their frozen rates', () => {
    expect(shares).toEqual(
      expect.arrayContaining([
        { account: 'lawyer_payable', partyId: LAWYER, amountMinor: split.lawyerMinor, rateBps: 1500 },
        { account: 'platform_revenue', partyId: null, amountMinor: split.platformNetMinor, rateBps: 1500 },
        { account: 'partner_commission_payable', partyId: P1, amountMinor: 300, rateBps: 2000 },
      ]),
    );
  });

  it('reverses a full refund exactly', () => {
    const reversal = refundReversal(10_001, shares, 0, 10_001);
    expect(sum(reversal)).toBe(0);
    const after = [...original, ...reversal];
    for (const l of original) expect(balanceOf(after, l.account, l.partyId)).toBe(0);
  });

  it('splits a partial refund in proportion, the platform taking the rounding residual', () => {
    const reversal = refundReversal(10_001, shares, 0, 3333);
    expect(sum(reversal)).toBe(0);
    expect(balanceOf(reversal, 'stripe_clearing')).toBe(-3333);
    expect(balanceOf(reversal, 'lawyer_payable', LAWYER)).toBe(Math.round((split.lawyerMinor * 3333) / 10_001));
    expect(balanceOf(reversal, 'partner_commission_payable', P1)).toBe(Math.round((300 * 3333) / 10_001));
  });

  it('never over- or under-reverses across any sequence of partial refunds (seeded)', () => {
    const seed = Number(process.env.LEDGER_SEED ?? 20240611);
    const random = prng(seed);
    for (let round = 0; round < 300; round++) {
      const amount = 1 + Math.floor(random() * 200_000);
      const partners = [P1, P2].filter(() => random() < 0.5);
      const s = splitPayment(amount, Math.floor(random() * 3000), Math.floor(random() * 10_001), partners);
      const lines = paymentLines(s, LAWYER);
      const sh = sharesOf(lines);
      let refunded = 0;
      const all = [...lines];
      while (refunded < amount) {
        const r = random() < 0.3 ? amount - refunded : 1 + Math.floor(random() * (amount - refunded));
        const rev = refundReversal(amount, sh, refunded, r);
        expect({ seed, round, sum: sum(rev) }).toEqual({ seed, round, sum: 0 });
        // Reversals move each non-platform share towards zero, never past it.
        for (const x of rev.filter((l) => l.account !== 'stripe_clearing' && l.account !== 'platform_revenue')) {
          expect(x.amountMinor).toBeGreaterThan(0);
        }
        refunded += r;
        all.push(...rev);
        for (const share of sh.filter((x) => x.account !== 'platform_revenue')) {
          const remaining = -balanceOf(all, share.account, share.partyId);
          expect(remaining).toBeGreaterThanOrEqual(0);
          expect(remaining).toBeLessThanOrEqual(share.amountMinor);
        }
      }
      for (const l of lines)
        expect({ seed, round, account: l.account, balance: balanceOf(all, l.account, l.partyId) }).toEqual({
          seed,
          round,
          account: l.account,
          balance: 0,
        });
    }
  });

  it('refuses to reverse more than was paid', () => {
    expect(() => refundReversal(1000, shares, 600, 401)).toThrow(RangeError);
    expect(() => refundReversal(1000, shares, 0, 0)).toThrow(RangeError);
  });
});
