import type { AppConfig } from '../../config/app-config';
import type { TimeRange } from './availability/slots';

const DAY = 86_400_000;

/** The latest start a booking may have: BOOKING_HORIZON_DAYS after `now`. */
export function bookingHorizonEnd(config: Pick<AppConfig, 'BOOKING_HORIZON_DAYS'>, now: Date): Date {
  return new Date(now.getTime() + config.BOOKING_HORIZON_DAYS * DAY);
}

/** Slots that start within the booking horizon: a list never offers a time that booking would refuse. */
export function withinHorizon(slots: TimeRange[], config: Pick<AppConfig, 'BOOKING_HORIZON_DAYS'>, now: Date): TimeRange[] {
  const end = bookingHorizonEnd(config, now).getTime();
  return slots.filter((s) => s.start.getTime() <= end);
}
