import { Clock } from '../../common/time/clock';

/**
 * The business clock of a demo server (`npm start` on an empty database): the system clock,
 * which the demo seeder may set back — and only it, only while it writes the demo's past at the
 * first start, before the demo accounts are printed — so that consultations paid, refunded and
 * paid out over the last months go through the production code paths with their real dates:
 * ledger postings, rollups, audit entries, emails and the monthly statements of months that have
 * closed. Outside `travel` it reads exactly like `SystemClock`. Never used without demo seeding.
 */
export class DemoClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Whether business time is set back right now (the seeder is writing the past). */
  get travelling(): boolean {
    return this.offsetMs !== 0;
  }

  /**
   * Runs `fn` with business time starting at `at` (in the past) and moving on with real time;
   * business time is the present again when `fn` settles, whether it succeeded or not.
   */
  async travel<T>(at: Date, fn: () => Promise<T>): Promise<T> {
    if (this.travelling) throw new Error('DemoClock: already set back');
    const offset = at.getTime() - Date.now();
    if (offset >= 0) throw new Error('DemoClock: can only go back in time');
    this.offsetMs = offset;
    try {
      return await fn();
    } finally {
      this.offsetMs = 0;
    }
  }

  /** Moves business time to `at` while travelling (forward only, never past the present). */
  jumpTo(at: Date): void {
    if (!this.travelling) throw new Error('DemoClock: not set back');
    const offset = at.getTime() - Date.now();
    if (offset >= 0 || offset < this.offsetMs) throw new Error('DemoClock: can only move forward, and not past the present');
    this.offsetMs = offset;
  }
}
