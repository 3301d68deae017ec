// What every spec shares: a `page` that fails its test on any console error or uncaught
// exception, and small helpers around the page's `window.steplab` API.
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export { expect };

export const test = base.extend({
  // Patterns of console errors a spec provokes on purpose (a blocked inline script under a CSP,
  // say): `test.use({ allowedConsoleErrors: /Content Security Policy/ })` — one RegExp, alternatives with `|`.
  allowedConsoleErrors: [[], { option: true }],

  page: async ({ page, allowedConsoleErrors }, use) => {
    const problems = [];
    // `test.use` reads an array as [value, options], so a spec passes one RegExp (alternatives with |).
    const patterns = [].concat(allowedConsoleErrors);
    const allowed = (text) => patterns.some((pattern) => pattern.test(text));
    page.on('console', (message) => {
      if (message.type() !== 'error' || allowed(message.text())) return;
      const { url, lineNumber } = message.location();
      problems.push(`console error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
    });
    page.on('pageerror', (error) => {
      if (!allowed(error.message)) problems.push(`uncaught: ${error.stack ?? error.message}`);
    });
    page.on('crash', () => problems.push('the page crashed'));
    await use(page);
    expect(problems, 'the page reported errors').toEqual([]);
  },
});

/** Opens the page and waits for its JS API; an exception on the way fails at once with its message. */
export async function openStepLab(page, path = '/') {
  let onError;
  const thrown = new Promise((_, reject) => {
    onError = (error) => reject(new Error(`the page threw before window.steplab appeared: ${error.message}`));
    page.on('pageerror', onError);
  });
  thrown.catch(() => {});
  try {
    await page.goto(path);
    const ready = page.waitForFunction(() => typeof window.steplab?.state === 'function', null, {
      timeout: 15_000,
    });
    await Promise.race([ready, thrown]);
  } finally {
    page.off('pageerror', onError);
  }
}

/** A snapshot of the page's model: `{ step, playing, loss, panels: [...] }`. */
export function readState(page) {
  return page.evaluate(() => window.steplab.state());
}

/** tests/screenshots/NAME.png (gitignored), for looking at what a run showed. */
export function screenshotPath(name) {
  return fileURLToPath(new URL(`../screenshots/${name}.png`, import.meta.url));
}
