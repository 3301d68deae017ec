// 2-D surfaces: the heatmap, dragging the start in both coordinates, zoom and pan, the overlay, and what
// per-coordinate adaptation looks like in the readouts.
import { expect, openStepLab, paintedRect, readState, screenshotPath, test, worldAt } from './fixtures.mjs';

async function paused(page, path) {
  await openStepLab(page, path);
  await page.evaluate(() => {
    window.steplab.pause();
    window.steplab.reset();
  });
}

test('a 2-D preset opens on its surface with a heatmap behind the paths', async ({ page }) => {
  await paused(page, '/?preset=ellipse');
  const state = await readState(page);
  expect(state.dim).toBe(2);
  expect(state.loss).toBe('ellipse');
  expect(state.start).toEqual([-5, -2]);
  expect(state.view).toEqual({ x: [-6, 6], y: [-3, 3] });
  const stats = await page.evaluate(() => window.steplab.stats());
  expect(stats.heatmap_recomputes).toBeGreaterThan(0);
  // The plot's backdrop layer is painted across the plot (the heatmap), not just where the paths are, and
  // with the window's proportions: 12 wide, 6 tall.
  const box = await page.locator('[data-panel="1"] canvas.back').boundingBox();
  const painted = await paintedRect(page, '[data-panel="1"]');
  expect(painted.width).toBeGreaterThan(box.width * 0.8);
  expect(painted.width / painted.height).toBeCloseTo(2, 1);
  await expect(page.locator('#reset-view')).toBeVisible();
  await expect(page.locator('#overlay-toggle')).toBeVisible();
});

test('per-coordinate rates: Adagrad on the ellipse gives the flat coordinate the larger rate', async ({ page }) => {
  await paused(page, '/?preset=ellipse');
  await page.evaluate(() => window.steplab.step(3));
  const adagrad = (await readState(page)).panels[2];
  expect(adagrad.effective_lr).toHaveLength(2);
  expect(adagrad.effective_lr[0]).toBeGreaterThan(3 * adagrad.effective_lr[1]);
  const sgd = (await readState(page)).panels[0];
  expect(sgd.effective_lr[0]).toBe(sgd.effective_lr[1]);
  const readout = page.locator('[data-panel="2"] .readout');
  await expect(readout.locator('math')).toHaveCount(4);
  await expect(readout).toContainText('per coordinate');
  await expect(readout.locator('math').nth(2)).toContainText(adagrad.x[0].toPrecision(4).replace('-', '−'));
});

test('dragging on a surface moves the start in both coordinates', async ({ page }) => {
  await paused(page, '/?preset=himmelblau');
  const state = await readState(page);
  const canvas = page.locator('[data-panel="1"] canvas[role=img]');
  const box = await canvas.boundingBox();
  const rect = await paintedRect(page, '[data-panel="1"]');
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.7, { steps: 8 });
  await page.mouse.up();
  const moved = await readState(page);
  const expected = worldAt(state.view, rect, box.width * 0.25, box.height * 0.7);
  expect(moved.start[0]).toBeCloseTo(expected[0], 1);
  expect(moved.start[1]).toBeCloseTo(expected[1], 1);
  for (const panel of moved.panels) expect(panel.x).toEqual(moved.start);
  // Arrow keys on the focused surface move the start too: up is +x₂.
  await canvas.focus();
  await page.keyboard.press('ArrowUp');
  expect((await readState(page)).start[1]).toBeCloseTo(moved.start[1] + 0.02 * 10, 9);
});

test('the wheel zooms around the cursor, Shift-drag pans, and Reset view restores the window', async ({ page }) => {
  await paused(page, '/?preset=rosenbrock');
  const before = (await readState(page)).view;
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  const rect = await paintedRect(page, '[data-panel="0"]');
  const at = [box.width * 0.5, box.height * 0.5];
  const anchor = worldAt(before, rect, ...at);
  await page.mouse.move(box.x + at[0], box.y + at[1]);
  await page.mouse.wheel(0, -300);
  const zoomed = (await readState(page)).view;
  expect(zoomed.x[1] - zoomed.x[0]).toBeLessThan(before.x[1] - before.x[0]);
  // The point under the cursor stays put (to the pixel the browser reports the wheel at).
  const again = worldAt(zoomed, rect, ...at);
  const pixel = (before.x[1] - before.x[0]) / rect.width;
  expect(Math.abs(again[0] - anchor[0])).toBeLessThan(pixel);
  expect(Math.abs(again[1] - anchor[1])).toBeLessThan(pixel);
  const start = (await readState(page)).start;
  expect(start, 'zooming does not move the start').toEqual([-1.2, 1]);

  await page.keyboard.down('Shift');
  await page.mouse.down();
  await page.mouse.move(box.x + at[0] + 60, box.y + at[1], { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const panned = (await readState(page)).view;
  expect(panned.x[0]).toBeLessThan(zoomed.x[0]);
  expect((await readState(page)).start, 'panning does not move the start').toEqual([-1.2, 1]);

  await page.getByRole('button', { name: 'Reset view' }).click();
  expect((await readState(page)).view).toEqual(before);
});

test('two fingers pinch to zoom without moving the start', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await paused(page, '/?preset=beale');
  const before = await readState(page);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  const client = await context.newCDPSession(page);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const touches = (d) => [
    { x: cx - d, y: cy, id: 1 },
    { x: cx + d, y: cy, id: 2 },
  ];
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touches(20) });
  for (const d of [40, 60, 80]) await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: touches(d) });
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const after = await readState(page);
  expect(after.view.x[1] - after.view.x[0]).toBeLessThan((before.view.x[1] - before.view.x[0]) / 2);
  await context.close();
});

test('one surface with three paths: the overlay toggle', async ({ page }) => {
  await paused(page, '/?preset=saddle');
  await page.getByLabel('One surface, three paths').check();
  await expect(page.locator('#overlay-canvas')).toBeVisible();
  await expect(page.locator('[data-panel="0"] canvas[role=img]')).toBeHidden();
  expect((await readState(page)).overlay).toBe(true);
  expect(page.url()).toContain('overlay=1');
  await page.evaluate(() => window.steplab.step(2));
  // All three panel colours are on the one surface.
  const colours = await page.locator('#overlay-canvas').evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    return [...seen];
  });
  for (const colour of ['213,94,0', '0,114,178', '0,158,115']) expect(colours).toContain(colour);
  // Dragging on the overlay moves the start.
  const box = await page.locator('#overlay-canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  const moved = await readState(page);
  expect(moved.start[1]).toBeGreaterThan(0.5);
});

test('the exported CSV of a 2-D run has both coordinates', async ({ page }) => {
  await paused(page, '/?preset=ellipse');
  await page.evaluate(() => window.steplab.step(20));
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
  const rows = (await (await import('node:fs')).promises.readFile(await download.path(), 'utf8')).trim().split('\n');
  expect(rows[0]).toBe('panel,n,x1,x2,loss,eff_lr1,eff_lr2,status');
  // d2l.ai's Adagrad lr 2 on the ellipse: (−0.002295, −0.000000) after 20 steps.
  const c20 = rows.find((r) => r.startsWith('c,20,')).split(',');
  expect(Number(c20[2])).toBeCloseTo(-0.002295, 6);
  expect(Number(c20[3])).toBeCloseTo(0, 6);
});

for (const [name, viewport] of [
  ['wide', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`surface ${name} ${colorScheme}: fits and looks right`, async ({ browser }) => {
      const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 2 });
      const page = await context.newPage();
      await paused(page, '/?preset=ellipse');
      await page.evaluate(() => window.steplab.step(8));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: screenshotPath(`surface-${name}-${colorScheme}`) });
      // On a phone the view's tools are behind the header's one extra control.
      if (name === 'phone') await page.getByRole('button', { name: /^More/ }).click();
      await page.getByLabel('One surface, three paths').check();
      await page.screenshot({ path: screenshotPath(`surface-overlay-${name}-${colorScheme}`) });
      await context.close();
    });
  }
}
