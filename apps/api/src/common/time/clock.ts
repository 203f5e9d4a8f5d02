import { Global, Module } from '@nestjs/common';

/**
 * Business "now". Services ask the injected clock instead of calling `new Date()` or
 * `Date.now()`, so every time-based rule (token expiries, checkout deadlines, cancellation
 * windows, join windows, review deadlines, statement periods) can be tested by moving the
 * clock rather than by rewriting rows. Production uses the system clock; tests pass their own
 * (see `AppModuleOptions.clock`).
 */
export abstract class Clock {
  abstract now(): Date;

  /** Milliseconds since the epoch, like `Date.now()`. */
  nowMs(): number {
    return this.now().getTime();
  }

  /** Whole seconds since the epoch (Stripe's and JWT's unit). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** `now + ms` as a Date. */
  fromNow(ms: number): Date {
    return new Date(this.nowMs() + ms);
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Provides the clock to every module (global: it is infrastructure, like the config). */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()) {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
