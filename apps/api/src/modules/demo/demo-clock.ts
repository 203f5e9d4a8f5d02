import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
  private backInPresent: Promise<void> = Promise.resolve();

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
    let arrive = () => undefined as void;
    this.backInPresent = new Promise<void>((resolve) => (arrive = resolve));
    try {
      return await fn();
    } finally {
      this.offsetMs = 0;
      arrive();
    }
  }

  /** Resolves once business time is the present (at once when it is not set back). */
  untilPresent(): Promise<void> {
    return this.backInPresent;
  }

  /** Moves business time to `at` while travelling (forward only, never past the present). */
  jumpTo(at: Date): void {
    if (!this.travelling) throw new Error('DemoClock: not set back');
    const offset = at.getTime() - Date.now();
    if (offset >= 0 || offset < this.offsetMs) throw new Error('DemoClock: can only move forward, and not past the present');
    this.offsetMs = offset;
  }
}

/**
 * Paths the seeder's own past goes through while the clock is set back: the local Stripe
 * sandbox and the webhook it delivers to (the seeder pays the past consultations there).
 */
const SEEDER_PATHS = /^\/api\/(sandbox|webhooks)\//;

/**
 * Holds every other request until business time is the present again, so no user of a demo
 * server that is still writing its past (sign-in, booking, anything the clock stamps) is served
 * with business time set back — a refresh token that expired months ago, say. Registered
 * before the app listens.
 */
export function holdRequestsWhileTravelling(app: NestFastifyApplication, clock: DemoClock): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request) => {
      if (clock.travelling && !SEEDER_PATHS.test(request.url)) await clock.untilPresent();
    });
}
