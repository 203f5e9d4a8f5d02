import { sessionCalendar } from './session-calendar';

const session = {
  id: '6f1c0d3e-8a4b-4c2d-9e1f-0a1b2c3d4e5f',
  offeringTitle: 'Initial consultation',
  startAt: new Date('2026-03-29T00:30:00Z'),
  endAt: new Date('2026-03-29T01:15:00Z'),
  version: 4,
  createdAt: new Date('2026-03-01T10:00:00Z'),
  updatedAt: new Date('2026-03-02T10:00:00Z'),
};

/** Unfolds RFC 5545 continuation lines. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

describe('session calendar file', () => {
  it('has the session in UTC with a stable UID, its version as SEQUENCE, the counterpart and a link', () => {
    const ics = unfold(sessionCalendar(session, { counterpartName: 'Ana López', publicUrl: 'https://lexmarket.example/' }));
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('DTSTART:20260329T003000Z\r\n');
    expect(ics).toContain('DTEND:20260329T011500Z\r\n');
    expect(ics).toContain(`UID:session-${session.id}@lexmarket.example\r\n`);
    expect(ics).toContain('SEQUENCE:4\r\n');
    expect(ics).toContain('SUMMARY:Initial consultation with Ana López\r\n');
    expect(ics).toContain(`URL:https://lexmarket.example/sessions/${session.id}\r\n`);
    expect(ics).not.toContain('TZID');
  });

  it('keeps the UID when the session moves, and raises SEQUENCE', () => {
    const before = unfold(sessionCalendar(session, { counterpartName: 'Ana', publicUrl: 'http://localhost:3000' }));
    const moved = unfold(
      sessionCalendar(
        { ...session, startAt: new Date('2026-04-01T09:00:00Z'), endAt: new Date('2026-04-01T09:45:00Z'), version: 5 },
        { counterpartName: 'Ana', publicUrl: 'http://localhost:3000' },
      ),
    );
    const uid = (ics: string) => /UID:(.+)\r\n/.exec(ics)?.[1];
    expect(uid(moved)).toBe(uid(before));
    expect(moved).toContain('SEQUENCE:5\r\n');
    expect(moved).toContain('DTSTART:20260401T090000Z\r\n');
  });
});
