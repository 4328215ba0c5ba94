// Browser tests of rihub in Debian's Chromium (never a downloaded browser).
// `cargo xtask test` sets RIHUB_SERVER_BIN and RIHUB_DIST; the server runs with an in-memory
// database and demo data, so every run starts from the same state.
import { defineConfig } from '@playwright/test';

const port = 3100;
const server = process.env.RIHUB_SERVER_BIN ?? '../target/debug/rihub-server';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    { name: 'phone', use: { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } },
  ],
  webServer: {
    command: `${server} serve --demo`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      RIHUB_DATABASE_URL: 'mem://',
      RIHUB_BIND: `127.0.0.1:${port}`,
      RIHUB_DIST: process.env.RIHUB_DIST ?? '../dist',
      RIHUB_LOG: 'warn',
      // Every test signs in afresh, many as the same demo accounts, on one server.
      RIHUB_MAX_SIGN_INS_PER_ACCOUNT: '100000',
    },
  },
});
