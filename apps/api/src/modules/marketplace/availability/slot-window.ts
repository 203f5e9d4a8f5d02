import { InvalidTimeRange } from '../marketplace.errors';

export const DEFAULT_SLOT_WINDOW_DAYS = 14;
export const MAX_SLOT_WINDOW_DAYS = 62;
const DAY = 86_400_000;

/**
 * The [from, to) window a slots request asks for: from defaults to now, to to from + 14 days;
 * at most 62 days. 400 INVALID_TIME_RANGE for an empty, reversed or too long window.
 */
export function slotWindow(query: { from?: string; to?: string }, now: Date): { from: Date; to: Date } {
  const from = query.from ? new Date(query.from) : now;
  const to = query.to ? new Date(query.to) : new Date(from.getTime() + DEFAULT_SLOT_WINDOW_DAYS * DAY);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new InvalidTimeRange('from and to must be valid instants');
  if (to.getTime() <= from.getTime()) throw new InvalidTimeRange('to must be after from');
  if (to.getTime() - from.getTime() > MAX_SLOT_WINDOW_DAYS * DAY)
    throw new InvalidTimeRange(`The window is at most ${MAX_SLOT_WINDOW_DAYS} days`);
  return { from, to };
}
