/**
 * The journeys' `test` and `expect`: every spec imports them from here (not from
 * '@playwright/test'), so checks that apply to every page a journey visits live in one place.
 */
export { expect, test } from '@playwright/test';
