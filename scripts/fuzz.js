#!/usr/bin/env node
/**
 * `npm run fuzz -- [--runs N] [--seed S] [--only REGEX] [--strict-time]`: the OpenAPI fuzz
 * suite (apps/api/test/fuzz) alone, with more cases than `npm test` runs (30 per operation per
 * caller). The seed of every run is printed; passing it back replays the run exactly.
 */
const { spawnSync } = require('node:child_process');

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=');
  const value = () => inline ?? args[++i];
  if (flag === '--runs') env.FUZZ_RUNS = value();
  else if (flag === '--seed') env.FUZZ_SEED = value();
  else if (flag === '--only') env.FUZZ_ONLY = value();
  else if (flag === '--strict-time') env.FUZZ_STRICT_TIME = '1';
  else {
    process.stderr.write(`unknown option ${args[i]}\nusage: npm run fuzz -- [--runs N] [--seed S] [--only REGEX] [--strict-time]\n`);
    process.exit(64);
  }
}
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--ci', '--selectProjects', 'integration', '--testTimeout', '3600000', 'apps/api/test/fuzz/openapi-fuzz.int-spec.ts'],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
