import { randomInt } from 'node:crypto';

/**
 * Run settings from the environment (`npm run fuzz -- --runs N --seed S --only REGEX` sets them):
 * FUZZ_RUNS cases per operation per caller (default 30), FUZZ_SEED (default random, printed),
 * FUZZ_ONLY a regular expression over `METHOD /path`, FUZZ_STRICT_TIME=1 to fail on slow responses,
 * FUZZ_SHARD=i/n to take only every n-th operation from the i-th (0-based; `--parallel n` runs n shards).
 */
export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): { runs: number; seed: number; only?: RegExp; strictTime: boolean; slowMs: number; shard?: { index: number; count: number } } {
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : 30;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${env.FUZZ_RUNS}`);
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : randomInt(1, 2 ** 31 - 1);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${env.FUZZ_SEED}`);
  let shard: { index: number; count: number } | undefined;
  if (env.FUZZ_SHARD) {
    const m = /^(\d+)\/(\d+)$/.exec(env.FUZZ_SHARD);
    if (!m || Number(m[1]) >= Number(m[2])) throw new Error(`FUZZ_SHARD must be i/n with 0 <= i < n, got ${env.FUZZ_SHARD}`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  return {
    shard,
    runs,
    seed,
    only: env.FUZZ_ONLY ? new RegExp(env.FUZZ_ONLY) : undefined,
    strictTime: env.FUZZ_STRICT_TIME === '1',
    slowMs: env.FUZZ_SLOW_MS ? Number(env.FUZZ_SLOW_MS) : 2_000,
  };
}
