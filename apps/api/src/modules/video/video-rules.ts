import type { SessionStatus } from '@lm/domain';
import type { DomainError } from '../../common/errors/domain-error';
import { SessionNotScheduled } from '../consultations-core';
import { VideoJoinClosed, VideoJoinTooEarly } from './video.errors';

const MINUTE = 60_000;

/** When a session's call may be joined: from `early` minutes before its start to `grace` minutes after its end. */
export interface JoinWindow {
  opensAt: Date;
  closesAt: Date;
}

export function joinWindow(s: { startAt: Date; endAt: Date }, minutes: { early: number; grace: number }): JoinWindow {
  return {
    opensAt: new Date(s.startAt.getTime() - minutes.early * MINUTE),
    closesAt: new Date(s.endAt.getTime() + minutes.grace * MINUTE),
  };
}

/**
 * Why a participant may not join now, or null. Pure, so the room state shown to the SPA and the
 * join endpoint never disagree. A session that is not booked yet has no call (409
 * SESSION_NOT_SCHEDULED); one that is over (completed, cancelled, no-show) or past its window is
 * closed (409 VIDEO_JOIN_CLOSED); before the window, 409 VIDEO_JOIN_TOO_EARLY.
 */
export function joinRefusal(
  s: { status: SessionStatus; startAt: Date | null; endAt: Date | null },
  now: Date,
  minutes: { early: number; grace: number },
): DomainError | null {
  if (s.status === 'PENDING_PAYMENT' || s.status === 'PAID' || s.status === 'EXPIRED' || !s.startAt || !s.endAt) {
    return s.status === 'EXPIRED' ? new VideoJoinClosed() : new SessionNotScheduled();
  }
  if (s.status !== 'SCHEDULED' && s.status !== 'IN_PROGRESS') return new VideoJoinClosed();
  const w = joinWindow({ startAt: s.startAt, endAt: s.endAt }, minutes);
  if (now.getTime() < w.opensAt.getTime()) {
    return new VideoJoinTooEarly(`The call opens at ${w.opensAt.toISOString()}, ${minutes.early} minutes before the session starts`);
  }
  if (now.getTime() > w.closesAt.getTime()) return new VideoJoinClosed();
  return null;
}
