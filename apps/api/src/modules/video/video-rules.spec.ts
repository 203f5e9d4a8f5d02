import { joinRefusal, joinWindow } from './video-rules';

const start = new Date('2026-12-01T10:00:00Z');
const end = new Date('2026-12-01T11:00:00Z');
const minutes = { early: 10, grace: 15 };
const at = (iso: string) => new Date(iso);
const code = (e: { code: string } | null) => e?.code ?? null;

describe('video join window', () => {
  it('opens 10 minutes before the start and closes 15 minutes after the end', () => {
    expect(joinWindow({ startAt: start, endAt: end }, minutes)).toEqual({
      opensAt: at('2026-12-01T09:50:00Z'),
      closesAt: at('2026-12-01T11:15:00Z'),
    });
  });

  it.each([
    ['2026-12-01T09:49:59Z', 'SCHEDULED', 'VIDEO_JOIN_TOO_EARLY'],
    ['2026-12-01T09:50:00Z', 'SCHEDULED', null],
    ['2026-12-01T10:30:00Z', 'IN_PROGRESS', null],
    ['2026-12-01T11:15:00Z', 'IN_PROGRESS', null],
    ['2026-12-01T11:15:01Z', 'IN_PROGRESS', 'VIDEO_JOIN_CLOSED'],
    ['2026-12-01T10:30:00Z', 'COMPLETED', 'VIDEO_JOIN_CLOSED'],
    ['2026-12-01T10:30:00Z', 'CANCELLED', 'VIDEO_JOIN_CLOSED'],
    ['2026-12-01T10:30:00Z', 'NO_SHOW_CLIENT', 'VIDEO_JOIN_CLOSED'],
  ] as const)('at %s a %s session → %s', (now, status, expected) => {
    expect(code(joinRefusal({ status, startAt: start, endAt: end }, at(now), minutes))).toBe(expected);
  });

  it('a paid session without a booked time has no call yet', () => {
    expect(code(joinRefusal({ status: 'PAID', startAt: null, endAt: null }, start, minutes))).toBe('SESSION_NOT_SCHEDULED');
  });

  it('names the opening time when it is too early', () => {
    const e = joinRefusal({ status: 'SCHEDULED', startAt: start, endAt: end }, at('2026-12-01T09:00:00Z'), minutes);
    expect(e?.message).toBe('The call opens at 2026-12-01T09:50:00.000Z, 10 minutes before the session starts');
  });
});
