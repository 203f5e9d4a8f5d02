import { createEvent } from 'ics';

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
}

/** Path of a session's page in the SPA (the calendar event links to it). */
export function sessionPagePath(sessionId: string): string {
  return `/sessions/${sessionId}`;
}

/**
 * The session as an iCalendar (RFC 5545) file with one event. Times are UTC (`…Z`) so no
 * VTIMEZONE is needed; the UID is stable per session, so a re-downloaded file after a
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
    description: `Online legal consultation: ${session.offeringTitle} with ${view.counterpartName}.\nDetails, rescheduling and cancellation: ${url}`,
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
