import { defineConfig } from '@playwright/test';
import { E2E_DATABASE, E2E_PORT, E2E_TOKEN } from './e2e/support/e2e-settings.js';

// End-to-end tests of the dashboard: the real demo seed on a real PostgreSQL
// ($DATABASE_URL, else embedded in .rowtrail/demo), served by the real server
// with the built UI, driven in Debian's Chromium. Each run seeds its own
// database (E2E_DATABASE, default rowtrail_e2e_<pid>) and the demo drops it
// when it stops.
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  // Always, not just on CI: a stray test.only would otherwise run one test and report the whole suite green.
  forbidOnly: true,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    browserName: 'chromium',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    // Recording a trace of every test took a quarter of the suite's time on two cores, kept only for failures; a failed
    // test keeps its screenshot, and `pnpm test:e2e --trace retain-on-failure` records traces when one needs debugging.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `pnpm start -- --database ${E2E_DATABASE} --drop-database-on-exit --port ${E2E_PORT} --token ${E2E_TOKEN}`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: process.env.E2E_REUSE_SERVER === '1', // for local iteration against a running demo
    timeout: 240_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // SIGTERM, not SIGINT: it reaches an embedded PostgreSQL too (same process group), and SIGTERM's "smart" shutdown lets
    // the demo's open connections finish, so it can still drop this run's database before the server stops.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
