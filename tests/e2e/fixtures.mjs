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

/**
 * Where a surface's heatmap is painted inside its plot, in CSS px from the canvas's corner, read from the
 * plot's backdrop layer: the rows and columns that are mostly opaque. (The canvas keeps the box the page
 * gives it; the window is drawn letterboxed inside, with its own proportions.)
 */
export function paintedRect(page, plot) {
  return page.locator(`${plot} canvas.back`).evaluate((canvas) => {
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const opaque = (x, y) => data[(y * width + x) * 4 + 3] === 255;
    const rows = [];
    const cols = [];
    for (let y = 0; y < height; y++) {
      let n = 0;
      for (let x = 0; x < width; x++) n += opaque(x, y);
      if (n > width / 4) rows.push(y);
    }
    for (let x = 0; x < width; x++) {
      let n = 0;
      for (let y = 0; y < height; y++) n += opaque(x, y);
      if (n > height / 4) cols.push(x);
    }
    const scale = width / canvas.getBoundingClientRect().width;
    const [left, right, top, bottom] = [cols[0], cols.at(-1) + 1, rows[0], rows.at(-1) + 1].map((v) => v / scale);
    return { left, top, width: right - left, height: bottom - top };
  });
}

/** The world point under CSS pixel (px, py) of a surface whose window `view` is painted in `rect`. */
export function worldAt(view, rect, px, py) {
  return [
    view.x[0] + ((px - rect.left) / rect.width) * (view.x[1] - view.x[0]),
    view.y[1] - ((py - rect.top) / rect.height) * (view.y[1] - view.y[0]),
  ];
}
