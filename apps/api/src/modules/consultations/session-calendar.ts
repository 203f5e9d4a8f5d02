import { createEvent } from 'ics';
import { DateTime } from 'luxon';

export interface CalendarSession {
  id: string;
  offeringTitle: string;
  startAt: Date;
  endAt: Date;
  /** Bumped by every change; calendars replace an event when SEQUENCE grows (RFC 5545 §3.8.7.4). */
  version: number;
  updatedAt: Date;
  createdAt: Date;
}

export interface CalendarView {
  /** The other participant's display name. */
  counterpartName: string;
  /** Public origin of the app (PUBLIC_URL). */
  publicUrl: string;
  /** The downloader's own IANA zone: the description states the time in it. */
  timeZone: string;
}

/** Path of a session's page in the SPA (the calendar event links to it). */
export function sessionPagePath(sessionId: string): string {
  return `/sessions/${sessionId}`;
}

/** "Wednesday, 4 March 2026, 10:00–10:45 (Europe/Madrid, UTC+01:00)": the session's time in `zone`, zone named. */
export function describeInZone(startAt: Date, endAt: Date, zone: string): string {
  const valid = DateTime.fromJSDate(startAt).setZone(zone).isValid ? zone : 'UTC';
  const start = DateTime.fromJSDate(startAt).setZone(valid).setLocale('en-GB');
  const end = DateTime.fromJSDate(endAt).setZone(valid).setLocale('en-GB');
  const day = start.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  return `${day}, ${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')} (${valid}, UTC${start.toFormat('ZZ')})`;
}

/**
 * The session as an iCalendar (RFC 5545) file with one event. Times are UTC (`…Z`), which every
 * calendar converts to its own zone, so no VTIMEZONE is needed; the description also states the
 * time in the downloader's own zone, naming it, and LOCATION/URL are the session's page (where
 * the consultation is joined, rescheduled or cancelled). The UID is stable per session, so a re-downloaded file after a
 * reschedule updates the event the calendar already has (higher SEQUENCE) instead of adding one.
 */
export function sessionCalendar(session: CalendarSession, view: CalendarView): string {
  const origin = view.publicUrl.replace(/\/+$/, '');
  const host = new URL(origin).hostname;
  const url = `${origin}${sessionPagePath(session.id)}`;
  const { error, value } = createEvent({
    productId: '-//LexMarket//Consultations//EN',
    method: 'PUBLISH',
    uid: `session-${session.id}@${host}`,
    sequence: session.version,
    title: `${session.offeringTitle} with ${view.counterpartName}`,
    description:
      `Online legal consultation: ${session.offeringTitle} with ${view.counterpartName}.\n` +
      `When: ${describeInZone(session.startAt, session.endAt, view.timeZone)}.\n` +
      `Details, rescheduling and cancellation: ${url}`,
    location: url,
    url,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    start: session.startAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: session.endAt.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    created: session.createdAt.getTime(),
    lastModified: session.updatedAt.getTime(),
  });
  if (error || !value) throw error ?? new Error('ics produced no calendar');
  return value;
}
