import { decideCancellationRefund, type CancellationCase } from './cancellation-policy';

const now = new Date('2026-03-01T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const base: CancellationCase = { status: 'SCHEDULED', startAt: hours(48), cancelledBy: 'CLIENT', refundableMinor: 9000, now };

describe('cancellation refund policy', () => {
  it.each([
    ['client, more than 24 h before the start', { startAt: hours(24.01) }, 'CLIENT_MORE_THAN_24H', 9000],
    ['client, exactly 24 h before the start', { startAt: hours(24) }, 'CLIENT_WITHIN_24H', 0],
    ['client, 2 h before the start', { startAt: hours(2) }, 'CLIENT_WITHIN_24H', 0],
    ['client, paid but not scheduled', { status: 'PAID', startAt: null }, 'CLIENT_BEFORE_SCHEDULING', 9000],
    ['client, checkout not paid', { status: 'PENDING_PAYMENT', startAt: null, refundableMinor: 0 }, 'NOTHING_PAID', 0],
    ['lawyer, 2 h before the start', { cancelledBy: 'LAWYER', startAt: hours(2) }, 'LAWYER_CANCELLED', 9000],
    ['lawyer, a week before the start', { cancelledBy: 'LAWYER', startAt: hours(168) }, 'LAWYER_CANCELLED', 9000],
    ['lawyer, paid but not scheduled', { cancelledBy: 'LAWYER', status: 'PAID', startAt: null }, 'LAWYER_CANCELLED', 9000],
  ] as const)('%s', (_name, change, policy, refundMinor) => {
    expect(decideCancellationRefund({ ...base, ...change })).toEqual({ policy, refundMinor });
  });

  it('refunds what is still refundable, never more, never negative', () => {
    expect(decideCancellationRefund({ ...base, refundableMinor: 2500 })).toEqual({ policy: 'CLIENT_MORE_THAN_24H', refundMinor: 2500 });
    expect(decideCancellationRefund({ ...base, cancelledBy: 'LAWYER', refundableMinor: -5 })).toEqual({ policy: 'LAWYER_CANCELLED', refundMinor: 0 });
  });

  it('gives nothing back for an unpaid checkout even when the lawyer were to cancel it', () => {
    expect(decideCancellationRefund({ ...base, status: 'PENDING_PAYMENT', startAt: null, cancelledBy: 'LAWYER', refundableMinor: 9000 })).toEqual({
      policy: 'NOTHING_PAID',
      refundMinor: 0,
    });
  });
});
