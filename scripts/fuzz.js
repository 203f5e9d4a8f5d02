#!/usr/bin/env node
/**
 * `npm run fuzz -- [--runs N] [--seed S] [--only REGEX] [--strict-time] [--parallel P]`: the
 * OpenAPI fuzz suite (apps/api/test/fuzz) alone, with more cases than `npm test` runs (30 per
 * operation per caller). The seed of every run is printed; passing it back replays the run
 * exactly. `--parallel P` splits the operations over P processes (each with its own database),
 * all with the same seed; a case's outcome does not depend on how the operations are split.
 */
const { spawn } = require('node:child_process');
const { randomInt } = require('node:crypto');

const args = process.argv.slice(2);
const env = { ...process.env };
let parallel = 1;
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=');
  const value = () => inline ?? args[++i];
  if (flag === '--runs') env.FUZZ_RUNS = value();
  else if (flag === '--seed') env.FUZZ_SEED = value();
  else if (flag === '--only') env.FUZZ_ONLY = value();
  else if (flag === '--strict-time') env.FUZZ_STRICT_TIME = '1';
  else if (flag === '--parallel') parallel = Number(value());
  else {
    process.stderr.write(`unknown option ${args[i]}\nusage: npm run fuzz -- [--runs N] [--seed S] [--only REGEX] [--strict-time] [--parallel P]\n`);
    process.exit(64);
  }
}
if (!Number.isInteger(parallel) || parallel < 1 || parallel > 16) {
  process.stderr.write('--parallel must be an integer from 1 to 16\n');
  process.exit(64);
}
env.FUZZ_SEED ??= String(randomInt(1, 2 ** 31 - 1));

const jest = require.resolve('jest/bin/jest');
const started = Date.now();
const shards = Array.from({ length: parallel }, (_, index) => {
  const shardEnv = parallel > 1 ? { ...env, FUZZ_SHARD: `${index}/${parallel}` } : env;
  const child = spawn(
    process.execPath,
    [jest, '--ci', '--selectProjects', 'integration', '--testTimeout', '14400000', 'apps/api/test/fuzz/openapi-fuzz.int-spec.ts'],
    { stdio: 'inherit', env: shardEnv },
  );
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
});
Promise.all(shards).then((codes) => {
  const failed = codes.filter((c) => c !== 0).length;
  process.stdout.write(`\nfuzz: seed ${env.FUZZ_SEED}, ${parallel} process(es), ${((Date.now() - started) / 1000).toFixed(0)} s wall, ${failed === 0 ? 'passed' : `${failed} failed`}\n`);
  process.exit(failed === 0 ? 0 : 1);
});
