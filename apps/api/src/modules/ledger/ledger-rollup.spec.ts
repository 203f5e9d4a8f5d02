import { paymentLines, refundReversal, sharesOf, splitPayment, type LedgerLine } from './ledger-math';
import { balanceDeltas, localDay, rollupDeltas } from './ledger-rollup';

const LAWYER = 'lawyer-1';
const PARTNER = 'partner-1';
const day = () => '2025-03-01';

describe('localDay', () => {
  it('is the calendar date in the zone, across midnight', () => {
    const at = new Date('2025-03-01T15:30:00Z'); // 00:30 on 2 March in Tokyo
    expect(localDay(at, 'Asia/Tokyo')).toBe('2025-03-02');
    expect(localDay(at, 'UTC')).toBe('2025-03-01');
    expect(localDay(new Date('2025-03-01T02:00:00Z'), 'America/Los_Angeles')).toBe('2025-02-28');
  });

  it('falls back to UTC for no zone, an unknown zone or an offset', () => {
    const at = new Date('2025-12-31T23:30:00Z');
    expect(localDay(at, null)).toBe('2025-12-31');
    expect(localDay(at, 'Mars/Olympus_Mons')).toBe('2025-12-31');
    expect(localDay(at, '+09:00')).toBe('2025-12-31');
  });
});

describe('rollupDeltas', () => {
  const split = splitPayment(10_000, 1500, 2000, [PARTNER]);
  const payment = paymentLines(split, LAWYER);

  it('counts a payment once per party entry, with the gross and what accrued', () => {
    const deltas = rollupDeltas('PAYMENT', 'EUR', payment, day);
    expect(deltas).toHaveLength(2);
    const lawyer = deltas.find((d) => d.partyId === LAWYER)!;
    expect(lawyer).toMatchObject({ account: 'lawyer_payable', currency: 'EUR', day: '2025-03-01' });
    expect(lawyer.values).toMatchObject({
      payments_count: 1,
      gross_minor: 10_000,
      accrued_minor: 8500,
      net_minor: -8500,
      entry_count: 1,
    });
    const partner = deltas.find((d) => d.partyId === PARTNER)!;
    expect(partner.values).toMatchObject({ payments_count: 1, gross_minor: 10_000, accrued_minor: 300, net_minor: -300 });
  });

  it('counts a refund with the refunded gross and the reversed share', () => {
    const refund = refundReversal(10_000, sharesOf(payment), 0, 2500);
    const lawyer = rollupDeltas('REFUND', 'EUR', refund, day).find((d) => d.partyId === LAWYER)!;
    expect(lawyer.values).toMatchObject({ refunds_count: 1, refunded_gross_minor: 2500, reversed_minor: 2125, net_minor: 2125 });
    expect(lawyer.values.payments_count).toBe(0);
  });

  it('counts payouts and their reversals, and never the platform accounts', () => {
    const payout: LedgerLine[] = [
      { account: 'lawyer_payable', partyId: LAWYER, amountMinor: 5000, rateBps: null },
      { account: 'payout_clearing', partyId: null, amountMinor: -5000, rateBps: null },
    ];
    const [out] = rollupDeltas('PAYOUT', 'EUR', payout, day);
    expect(out!.values).toMatchObject({ paid_out_minor: 5000, net_minor: 5000, entry_count: 1 });
    const reversal = payout.map((l) => ({ ...l, amountMinor: -l.amountMinor }));
    const [back] = rollupDeltas('PAYOUT_REVERSAL', 'EUR', reversal, day);
    expect(back!.values).toMatchObject({ paid_out_minor: 0, payouts_reversed_minor: 5000, net_minor: -5000 });
  });

  it('keys each party on its own day and sorts the deltas by key', () => {
    const days: Record<string, string> = { [LAWYER]: '2025-03-02', [PARTNER]: '2025-03-01' };
    const deltas = rollupDeltas('PAYMENT', 'EUR', payment, (l) => days[l.partyId!]!);
    expect(deltas.map((d) => [d.partyId, d.day])).toEqual([
      [LAWYER, '2025-03-02'],
      [PARTNER, '2025-03-01'],
    ]);
  });
});

describe('balanceDeltas', () => {
  const split = splitPayment(10_000, 1500, 2000, [PARTNER]);
  const payment = paymentLines(split, LAWYER);

  it('is one delta per party account with the sums of its days, sorted by key', () => {
    const days: Record<string, string> = { [LAWYER]: '2025-03-02', [PARTNER]: '2025-03-01' };
    const deltas = rollupDeltas('PAYMENT', 'EUR', payment, (l) => days[l.partyId!]!);
    expect(balanceDeltas(deltas)).toEqual(
      deltas.map((d) => ({
        partyId: d.partyId,
        account: d.account,
        currency: d.currency,
        firstDay: d.day,
        lastDay: d.day,
        values: d.values,
      })),
    );
  });

  it('sums the deltas of one party account over several days and keeps the first and last day', () => {
    const base = rollupDeltas('PAYMENT', 'EUR', payment, day).find((d) => d.partyId === LAWYER)!;
    const [balance, ...rest] = balanceDeltas([
      { ...base, day: '2025-03-03' },
      { ...base, day: '2025-02-27', values: { ...base.values, net_minor: 100, entry_count: 2 } },
    ]);
    expect(rest).toEqual([]);
    expect(balance).toMatchObject({ partyId: LAWYER, firstDay: '2025-02-27', lastDay: '2025-03-03' });
    expect(balance!.values).toMatchObject({ payments_count: 2, gross_minor: 20_000, net_minor: -8400, entry_count: 3 });
  });
});
