// The honest comparison: the learning-rate sweep strip (three curves, three dots, set a rate by pressing,
// dragging or tapping it), and noisy gradients that replay identically (after a reload, and in the CLI).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, openStepLab, readState, screenshotPath, test } from './fixtures.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The strip's plot margins (crates/web/src/strip.rs: LEFT and RIGHT). */
const [LEFT, RIGHT] = [44, 12];
const COLOURS = [
  [213, 94, 0],
  [0, 114, 178],
  [0, 158, 115],
];

/** The CSS-pixel x of a rate on the strip of `width` over 1e-4…100. */
function xOf(lr, width) {
  return LEFT + ((Math.log10(lr) + 4) / 6) * (width - LEFT - RIGHT);
}

/** For each panel colour: how many pixels of the strip have it, and the longest vertical run of it in
 * the columns around `columns[i]` (a dot is 12 px across; a curve is at most 3 px thick). */
async function stripPixels(page, columns) {
  return page.locator('#sweep-canvas').evaluate(
    (canvas, { colours, columns }) => {
      const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const scale = width / canvas.getBoundingClientRect().width;
      const near = (i, [r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30;
      return colours.map((colour, panel) => {
        let count = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && near(i, colour)) count++;
        let longest = 0;
        for (let dx = -2; dx <= 2; dx++) {
          const x = Math.round(columns[panel] * scale) + dx;
          let run = 0;
          for (let y = 0; y < height; y++) {
            run = near((y * width + x) * 4, colour) ? run + 1 : 0;
            longest = Math.max(longest, run);
          }
        }
        return { count, longest: longest / scale };
      });
    },
    { colours: COLOURS, columns },
  );
}

test('the strip draws three curves and each panel’s rate as a dot on it', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const state = await readState(page);
  expect(state.sweep).toEqual({ horizon: 100, from: 0.0001, to: 100 });
  const box = await page.locator('#sweep-canvas').boundingBox();
  const rates = state.panels.map((p) => p.sweep.lr);
  expect(rates).toEqual([2.5, 0.05, 1.5]);
  const pixels = await stripPixels(page, rates.map((lr) => xOf(lr, box.width)));
  for (const [panel, { count, longest }] of pixels.entries()) {
    expect(count, `panel ${panel}'s curve`).toBeGreaterThan(150);
    expect(longest, `panel ${panel}'s dot`).toBeGreaterThanOrEqual(8);
  }
  // The sentence under it says how wide each band is, from the same numbers as state().
  const summary = await page.locator('#sweep-summary').textContent();
  const decades = (n) => n.toFixed(1).replace(/\.0$/, '');
  expect(summary).toContain(`Too fast! works over ${decades(state.panels[0].sweep.band_decades)} decades`);
  expect(summary).toContain(`Spot on! works over ${decades(state.panels[2].sweep.band_decades)} decades`);
  await page.locator('#sweep').screenshot({ path: screenshotPath('sweep-strip-wide') });
});

test('pressing and dragging on the strip sets the nearest panel’s rate, and the link follows', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  await page.locator('#sweep').scrollIntoViewIfNeeded();
  const box = await page.locator('#sweep-canvas').boundingBox();
  const computed = (await page.evaluate(() => window.steplab.stats())).sweep_recomputes;
  // Panel b's dot is at 0.05: press it and drag it to 0.2.
  const state = await readState(page);
  const dot = state.panels[1].sweep;
  const plotTop = 4 + 16;
  const plotBottom = box.height - 18 - 3 * 7 - 4;
  const yOf = (share) => plotTop + ((1 - Math.log10(Math.max(share, 1e-16))) / 17) * (plotBottom - plotTop);
  await page.mouse.move(box.x + xOf(dot.lr, box.width), box.y + yOf(dot.share));
  await page.mouse.down();
  await page.mouse.move(box.x + xOf(0.2, box.width), box.y + yOf(dot.share), { steps: 5 });
  await page.mouse.up();
  const after = await readState(page);
  expect(after.panels[1].hyper.lr).toBe(0.2);
  expect(after.panels[1].sweep.lr).toBe(0.2);
  expect(after.panels[0].hyper.lr).toBe(2.5);
  await expect.poll(() => page.url()).toContain('b=sgd:lr=0.2');
  // Only the dots moved: no sweep was computed again for another rate.
  expect((await page.evaluate(() => window.steplab.stats())).sweep_recomputes).toBe(computed);
  // The keys: 3 chooses panel c, → raises its rate by a tenth of a decade.
  await page.locator('#sweep-canvas').focus();
  await page.keyboard.press('3');
  await page.keyboard.press('ArrowRight');
  expect((await readState(page)).panels[2].hyper.lr).toBe(1.9);
  expect((await readState(page)).step, 'the strip keeps its arrows from the clock').toBe(0);
});

test('a noisy link replays identically after a reload, and the readout shows both gradients', async ({ page }) => {
  await openStepLab(page, '/?preset=noise&t=50');
  const first = await readState(page);
  expect(first.noise).toEqual({ sigma: 1, seed: 1, runs: 20 });
  const a = first.panels[0];
  expect(a.used_gradient[0]).not.toBe(a.gradient[0]);
  await expect(page.locator('[data-panel="0"] .readout')).toContainText('noisy, used');
  await page.reload();
  await page.waitForFunction(() => typeof window.steplab?.state === 'function');
  const again = await readState(page);
  for (const [i, panel] of again.panels.entries()) {
    expect(panel.x).toEqual(first.panels[i].x);
    expect(panel.used_gradient).toEqual(first.panels[i].used_gradient);
  }
  // Another seed is another run; noise 0 is the noiseless run exactly.
  await openStepLab(page, '/?preset=noise&seed=2&t=50');
  expect((await readState(page)).panels[0].x).not.toEqual(first.panels[0].x);
  await openStepLab(page, '/?preset=noise&noise=0&t=50');
  const quiet = await readState(page);
  await openStepLab(page, '/?loss=quadratic&x0=4&a=sgd:lr=0.1&b=sgd:lr=0.01&c=adagrad:lr=1,eps=0&t=50');
  const plain = await readState(page);
  expect(quiet.panels.map((p) => p.x)).toEqual(plain.panels.map((p) => p.x));
});

test('the noise field applies noise, and the loss chart shows the ensemble’s band', async ({ page }) => {
  await openStepLab(page, '/?loss=quadratic&t=0');
  await expect(page.locator('.band-note')).toBeHidden();
  await page.locator('#noise').fill('0.5');
  await page.locator('#noise').press('Enter');
  await expect.poll(async () => (await readState(page)).noise.sigma).toBe(0.5);
  await expect.poll(() => page.url()).toContain('noise=0.5&seed=1');
  await expect(page.locator('.band-note')).toBeVisible();
  await page.evaluate(() => window.steplab.step(60));
  await page.locator('.charts').screenshot({ path: screenshotPath('noise-charts') });
});

test('the page’s CSV of a noisy link is the CLI’s, byte for byte', async ({ page }) => {
  test.setTimeout(120_000);
  const query = 'loss=quadratic&x0=4&a=sgd:lr=0.1&b=sgd:lr=0.01&c=adagrad:lr=1,eps=0&noise=1&seed=7';
  await openStepLab(page, `/?${query}&t=100`);
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
  const fromPage = readFileSync(await download.path(), 'utf8');
  const fromCli = execFileSync('cargo', ['run', '-q', '--offline', '-p', 'steplab-cli', '--', 'trace', `?${query}`, '--steps', '100'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(fromPage.split('\n').length).toBeGreaterThan(300);
  expect(fromPage).toBe(fromCli);
});

test('on a phone the strip takes taps and sideways drags, and vertical swipes scroll the page', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await openStepLab(page, '/?t=0');
  await page.locator('#sweep').scrollIntoViewIfNeeded();
  const box = await page.locator('#sweep-canvas').boundingBox();
  expect(box.width).toBeGreaterThan(300);
  const client = await context.newCDPSession(page);
  const touch = async (points) => {
    await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [points[0]] });
    for (const p of points.slice(1)) await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [p] });
    await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const before = await readState(page);
  const scrolled = await page.evaluate(() => window.scrollY);
  // A vertical swipe: the page scrolls, no rate changes.
  const x = box.x + xOf(0.3, box.width);
  await touch([0, 30, 70, 120].map((dy) => ({ x, y: box.y + box.height - 30 - dy })));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled);
  expect((await readState(page)).panels.map((p) => p.hyper.lr)).toEqual(before.panels.map((p) => p.hyper.lr));
  // A tap on the strip sets a rate.
  await page.locator('#sweep').scrollIntoViewIfNeeded();
  await expect.poll(async () => {
    const b = await page.locator('#sweep-canvas').boundingBox();
    return b.y > 0 && b.y + b.height < 844;
  }).toBe(true);
  const again = await page.locator('#sweep-canvas').boundingBox();
  await touch([{ x: again.x + xOf(0.3, again.width), y: again.y + again.height * 0.9 }]);
  const after = await readState(page);
  expect(after.panels.map((p) => p.hyper.lr)).toContain(0.3);
  await page.locator('#sweep').screenshot({ path: screenshotPath('sweep-strip-phone') });
  await context.close();
});
