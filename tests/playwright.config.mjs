// End-to-end tests of the built page in Debian's Chromium (Playwright downloads no browser here).
// `cargo xtask test` builds the page into target/e2e-dist and runs this; STEPLAB_DIST overrides.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { defaultDist, defaultPort } from './serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.STEPLAB_PORT ?? defaultPort);
const dist = resolve(process.env.STEPLAB_DIST ?? defaultDist);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  forbidOnly: Boolean(process.env.CI),
  // A test that passes only on a second try is a bug to look at, not to hide.
  retries: 0,
  workers: 2,
  reporter: [
    ['list'],
    ['json', { outputFile: process.env.STEPLAB_REPORT_JSON ?? resolve(here, 'playwright-report/results.json') }],
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    headless: true,
    launchOptions: {
      executablePath: process.env.STEPLAB_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
        // For the soak test: window.gc() and exact heap sizes.
        '--js-flags=--expose-gc',
        '--enable-precise-memory-info',
      ],
    },
  },
  webServer: {
    command: 'node serve.mjs',
    cwd: here,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 15_000,
    env: { STEPLAB_DIST: dist, STEPLAB_PORT: String(port) },
  },
});
