import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end journeys in real Chromium against the real API serving the built SPA.
 * `npm run test:e2e` (repo root) builds everything first, then starts
 * `node apps/api/dist/main.js` on port 3100 with its own data directory.
 *
 * E2E_BASE_URL      test an already running deployment instead (no server is started)
 * E2E_DATABASE_URL  PostgreSQL for the e2e API; without it the API starts its embedded server
 * CHROMIUM_PATH     Chromium binary (default /usr/bin/chromium; Playwright's downloads are not used)
 */
// E2E_PORT / E2E_EMBEDDED_PG_PORT let two checkouts run their journeys side by side.
const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
const externalBaseUrl = process.env.E2E_BASE_URL;
const baseURL = externalBaseUrl ?? `http://127.0.0.1:${E2E_PORT}`;

// Playwright merges process.env into the server's environment; an `undefined` entry removes
// the variable, so a developer's own DATABASE_URL never leaks into the e2e run.
const serverEnv: Record<string, string | undefined> = {
  PORT: String(E2E_PORT),
  HOST: '127.0.0.1',
  PUBLIC_URL: `http://127.0.0.1:${E2E_PORT}`,
  DATA_DIR: '.data/e2e',
  EMBEDDED_PG_PORT: process.env.E2E_EMBEDDED_PG_PORT ?? '54339', // not the dev default (54329), so a running dev server does not clash
  NODE_ENV: 'production',
  // The journeys pay through the built-in Stripe sandbox, which production runs only on purpose.
  STRIPE_SANDBOX: 'true',
  LOG_LEVEL: 'warn',
  // The video journey books a session and joins its call straight away through the real rules
  // (no clock moved, no backdoor): calls open 2 h before the start (the config's maximum) and a
  // first booking may be 1 h ahead, so the soonest slot's call is already open.
  VIDEO_JOIN_EARLY_MINUTES: '120',
  BOOKING_MIN_NOTICE_HOURS: '1',
  // The developers journey's webhook receiver listens on 127.0.0.1, which the SSRF guard refuses
  // in production; this lets deliveries reach loopback for the journeys only.
  WEBHOOKS_ALLOW_PRIVATE_URLS: 'true',
  // ... and that receiver speaks plain http, which production otherwise refuses (https only).
  WEBHOOKS_REQUIRE_HTTPS: 'false',
  DATABASE_URL: process.env.E2E_DATABASE_URL,
};

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Every page a journey visits is also scanned by axe-core (support/test.ts), a few seconds each.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    headless: true,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            // A fake camera and microphone, allowed without a prompt (the video journey).
            '--use-fake-ui-for-media-stream',
            '--use-fake-device-for-media-stream',
            '--autoplay-policy=no-user-gesture-required',
          ],
        },
      },
    },
  ],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: 'node apps/api/dist/main.js',
        cwd: '../..', // repo root (relative to this file)
        url: `http://127.0.0.1:${E2E_PORT}/api/health`,
        reuseExistingServer: !process.env.CI,
        timeout: 120_000,
        stdout: 'pipe',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
        env: serverEnv as Record<string, string>,
      },
});
