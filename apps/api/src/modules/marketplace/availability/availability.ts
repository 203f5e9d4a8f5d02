import type { LocalWindow, WeeklyRule } from './slots';

/** A lawyer's availability settings (`lawyer_availability`), as the lawyer edits them. */
export interface AvailabilitySettings {
  /** IANA zone the weekly rules and overrides are written in. */
  timeZone: string;
  weekly: WeeklyRule[];
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  minimumNoticeMinutes: number;
  maxSessionsPerDay: number | null;
}

export interface Availability extends AvailabilitySettings {
  lawyerId: string;
  /** Start of the earliest free slot of any active offering in the next 60 days (maintained by a job). */
  nextAvailableAt: Date | null;
  updatedAt: Date;
}

export interface AvailabilityOverride {
  /** 'YYYY-MM-DD' in the lawyer's zone. */
  date: string;
  windows: LocalWindow[];
}

export interface AvailabilityBlackout {
  id: string;
  startAt: Date;
  endAt: Date;
  reason: string;
}
