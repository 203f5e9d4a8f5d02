import { Clock } from '../../src/common/time/clock';

/**
 * The business clock of a test app: real time plus an offset the test moves, so time-based
 * rules (token expiry, checkout deadlines, cancellation windows) are tested by moving time, not
 * by rewriting rows. Until moved it reads like the system clock.
 */
export class TestClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves business time forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}
