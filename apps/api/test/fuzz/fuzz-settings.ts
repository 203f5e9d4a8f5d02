import { randomInt } from 'node:crypto';

/**
 * Run settings from the environment (`npm run fuzz -- --runs N --seed S --only REGEX` sets them):
 * FUZZ_RUNS cases per operation per caller (default 30), FUZZ_SEED (default random, printed),
 * FUZZ_ONLY a regular expression over `METHOD /path`, FUZZ_STRICT_TIME=1 to fail on slow responses.
 */
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): { runs: number; seed: number; only?: RegExp; strictTime: boolean; slowMs: number } {
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : 30;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${env.FUZZ_RUNS}`);
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : randomInt(1, 2 ** 31 - 1);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${env.FUZZ_SEED}`);
  return {
    runs,
    seed,
    only: env.FUZZ_ONLY ? new RegExp(env.FUZZ_ONLY) : undefined,
    strictTime: env.FUZZ_STRICT_TIME === '1',
    slowMs: env.FUZZ_SLOW_MS ? Number(env.FUZZ_SLOW_MS) : 2_000,
  };
}
