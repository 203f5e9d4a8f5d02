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
/** Undoes RFC 5545 TEXT escaping of commas. */
const unescape = (ics: string) => ics.replace(/\\,/g, ',');

describe('session calendar file', () => {
  it('has the session in UTC with a stable UID, its version as SEQUENCE, the counterpart and a link', () => {
    const ics = unfold(sessionCalendar(session, { counterpartName: 'Ana López', publicUrl: 'https://lexmarket.example/', timeZone: 'UTC' }));
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain('DTSTART:20260329T003000Z\r\n');
    expect(ics).toContain('DTEND:20260329T011500Z\r\n');
    expect(ics).toContain(`UID:session-${session.id}@lexmarket.example\r\n`);
    expect(ics).toContain('SEQUENCE:4\r\n');
    expect(ics).toContain('SUMMARY:Initial consultation with Ana López\r\n');
    expect(ics).toContain(`URL:https://lexmarket.example/sessions/${session.id}\r\n`);
    expect(ics).not.toContain('TZID');
  });

  it('states the time in the downloader’s zone, naming it, and has the session page as LOCATION', () => {
    const madrid = unescape(unfold(sessionCalendar(session, { counterpartName: 'Ana', publicUrl: 'https://lexmarket.example', timeZone: 'Europe/Madrid' })));
    // 00:30 UTC on the night clocks spring forward in Madrid (02:00 CET → 03:00 CEST): 01:30 CET.
    expect(madrid).toContain('Sunday, 29 March 2026, 01:30–03:15 (Europe/Madrid, UTC+01:00)');
    expect(madrid).toContain(`LOCATION:https://lexmarket.example/sessions/${session.id}\r\n`);
    const tokyo = unescape(unfold(sessionCalendar(session, { counterpartName: 'Ana', publicUrl: 'https://lexmarket.example', timeZone: 'Asia/Tokyo' })));
    expect(tokyo).toContain('Sunday, 29 March 2026, 09:30–10:15 (Asia/Tokyo, UTC+09:00)');
    expect(tokyo).toContain('DTSTART:20260329T003000Z\r\n');
  });

  it('keeps the UID when the session moves, and raises SEQUENCE', () => {
    const before = unfold(sessionCalendar(session, { counterpartName: 'Ana', publicUrl: 'http://localhost:3000', timeZone: 'UTC' }));
    const moved = unfold(
      sessionCalendar(
        { ...session, startAt: new Date('2026-04-01T09:00:00Z'), endAt: new Date('2026-04-01T09:45:00Z'), version: 5 },
        { counterpartName: 'Ana', publicUrl: 'http://localhost:3000', timeZone: 'UTC' },
      ),
    );
    const uid = (ics: string) => /UID:(.+)\r\n/.exec(ics)?.[1];
    expect(uid(moved)).toBe(uid(before));
    expect(moved).toContain('SEQUENCE:5\r\n');
    expect(moved).toContain('DTSTART:20260401T090000Z\r\n');
  });
});
