// The triptych page as a student meets it: three panels, one clock, dragging the start, the settings,
// the keyboard, and the readouts of what each optimizer sees.
import { readFileSync } from 'node:fs';
import { expect, openStepLab, readState, screenshotPath, test } from './fixtures.mjs';

/** Pauses and waits until the page has drawn the paused state. */
async function pause(page) {
  await page.evaluate(() => window.steplab.pause());
  await expect.poll(async () => (await readState(page)).playing).toBe(false);
}

/** The world x a CSS pixel inside a 1-D panel's canvas maps to (the page's Frame: 8 px side margins). */
function worldX(view, width, px) {
  return view[0] + ((px - 8) / (width - 16)) * (view[1] - view[0]);
}

async function canvasPixels(page, panel) {
  return page.locator(`[data-panel="${panel}"] canvas[role=img]`).screenshot();
}

test('three panels, each with a title, a caption and a status in words', async ({ page }) => {
  await openStepLab(page);
  await expect(page.locator('.panel')).toHaveCount(3);
  await expect(page.locator('.panel .title')).toHaveText(['Too fast!', 'Too slow!', 'Spot on!']);
  await pause(page);
  await page.evaluate(() => window.steplab.reset());
  await page.evaluate(() => window.steplab.step(40));
  const state = await readState(page);
  expect(state.step).toBe(40);
  expect(state.panels.map((p) => p.status.kind)).toEqual(['bouncing', 'running', 'converged']);
  // The seed's stable cycle: the rate too large keeps landing on ±0.75.
  expect(Math.abs(state.panels[0].x[0])).toBeCloseTo(0.75, 6);
  const badges = page.locator('.panel .badge');
  await expect(badges.nth(0)).toHaveText('bouncing back and forth, never settling');
  await expect(badges.nth(1)).toHaveText(/^crawling — \d+% of the way after 40 steps$/);
  await expect(badges.nth(2)).toHaveText(/^converged in \d+ steps?$/);
  await expect(page.locator('.panel .caption').nth(0)).toHaveText('Gradient descent · lr 2.5');
  await expect(page.locator('.panel .caption').nth(2)).toHaveText('Adagrad · lr 1.5 · eps 0');
});

test('one clock: play, pause, step forward and back, scrub and reset', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  const paused = (await readState(page)).step;
  await page.waitForTimeout(400);
  expect((await readState(page)).step, 'a paused clock stays put').toBe(paused);

  await page.getByRole('button', { name: 'Step forward' }).click();
  expect((await readState(page)).step).toBe(paused + 1);
  await page.getByRole('button', { name: 'Step back' }).click();
  await page.getByRole('button', { name: 'Step back' }).click();
  expect((await readState(page)).step).toBe(Math.max(paused - 1, 0));

  await page.locator('#scrub').fill('30');
  let state = await readState(page);
  expect(state.step).toBe(30);
  expect(state.panels.every((p) => p.n === 30)).toBe(true);
  await expect(page.locator('#step-label')).toHaveText('30');

  await page.getByRole('button', { name: 'Reset to step 0' }).click();
  expect((await readState(page)).step).toBe(0);

  await page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => (await readState(page)).step).toBeGreaterThan(2);
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
});

test('the speed slider sets steps per second from 0.5 to 60', async ({ page }) => {
  await openStepLab(page);
  expect((await readState(page)).speed).toBe(8);
  await page.locator('#speed').fill('100');
  expect((await readState(page)).speed).toBe(60);
  await expect(page.locator('#speed-label')).toHaveText('60/s');
  await page.locator('#speed').fill('0');
  expect((await readState(page)).speed).toBe(0.5);
});

test('a mouse drag in one panel moves the start of all three, with a preview while dragging', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  const canvas = page.locator('[data-panel="1"] canvas[role=img]');
  const box = await canvas.boundingBox();
  const before = await Promise.all([0, 1, 2].map((p) => canvasPixels(page, p)));

  const y = box.y + box.height * 0.5;
  await page.mouse.move(box.x + box.width * 0.8, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, y, { steps: 8 });
  const target = box.width * 0.2;
  await page.mouse.move(box.x + target, y, { steps: 4 });
  const whileDragging = await canvasPixels(page, 0);
  await page.mouse.up();

  const state = await readState(page);
  const expected = worldX([-5, 5], box.width, target);
  expect(state.start[0]).toBeCloseTo(expected, 1);
  expect(state.step).toBe(0);
  for (const panel of state.panels) {
    expect(panel.n).toBe(0);
    expect(panel.x[0]).toBeCloseTo(state.start[0], 12);
  }
  const after = await Promise.all([0, 1, 2].map((p) => canvasPixels(page, p)));
  for (const p of [0, 1, 2]) expect(after[p].equals(before[p]), `panel ${p} redrew`).toBe(false);
  expect(whileDragging.equals(after[0]), 'the faint preview shows only while dragging').toBe(false);
});

test('grabbing the start ring drags it without a jump', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  const box = await page.locator('[data-panel="2"] canvas[role=img]').boundingBox();
  const { start } = await readState(page);
  // Where the ring is drawn: x from the window [-5, 5], y from the loss window [-0.25, 4.3] (10 px margins).
  const ringX = 8 + ((start[0] + 5) / 10) * (box.width - 16);
  const loss = Math.sqrt(1 + start[0] * start[0]) - 1;
  const ringY = 10 + ((4.3 - loss) / 4.55) * (box.height - 20);
  await page.mouse.move(box.x + ringX + 6, box.y + ringY + 5);
  await page.mouse.down();
  await page.mouse.move(box.x + ringX + 6 - 40, box.y + ringY + 5, { steps: 5 });
  await page.mouse.up();
  const moved = (await readState(page)).start[0];
  // The ring moved by the drag (40 px), not to the pointer (which was 6 px to its right).
  expect(moved).toBeCloseTo(worldX([-5, 5], box.width, ringX - 40), 1);
  expect(Math.abs(moved - worldX([-5, 5], box.width, ringX - 34))).toBeGreaterThan(0.1);
});

test('a touch drag moves the start too', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await openStepLab(page);
  await pause(page);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  const client = await context.newCDPSession(page);
  const at = (fx) => [{ x: box.x + box.width * fx, y: box.y + box.height * 0.5 }];
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0.9) });
  for (const fx of [0.8, 0.6, 0.4, 0.25]) {
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(fx) });
  }
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const state = await readState(page);
  expect(state.start[0]).toBeCloseTo(worldX([-5, 5], box.width, box.width * 0.25), 1);
  expect(state.panels.every((p) => p.x[0] === state.start[0])).toBe(true);
  await context.close();
});

test('keyboard: space, arrows and r drive the clock; arrows on a focused panel move the start', async ({ page }) => {
  await openStepLab(page);
  await page.locator('h1').click();
  await page.keyboard.press('Space');
  await expect.poll(async () => (await readState(page)).playing).toBe(false);
  const at = (await readState(page)).step;
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect((await readState(page)).step).toBe(at + 2);
  await page.keyboard.press('ArrowLeft');
  expect((await readState(page)).step).toBe(at + 1);
  await page.keyboard.press('r');
  expect((await readState(page)).step).toBe(0);

  const start = (await readState(page)).start[0];
  await page.locator('[data-panel="2"] canvas[role=img]').focus();
  await page.keyboard.press('ArrowLeft');
  const moved = await readState(page);
  expect(moved.start[0]).toBeCloseTo(start - 0.2, 9);
  expect(moved.step, 'arrows on a panel move the start, not the clock').toBe(0);
  await page.keyboard.press('Shift+ArrowRight');
  expect((await readState(page)).start[0]).toBeCloseTo(start + 0.8, 9);
});

test("changing a panel's learning rate changes its title and its trajectory", async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  await page.evaluate(() => window.steplab.reset());
  await page.evaluate(() => window.steplab.step(3));
  const before = (await readState(page)).panels[0];

  const panel = page.locator('[data-panel="0"]');
  await panel.getByText('Optimizer and settings').click();
  await panel.getByLabel('learning rate', { exact: true }).fill('0.5');
  // "Too fast!" described the old rate: the panel now says what it runs, and the caption adds nothing.
  await expect(panel.locator('.title')).toHaveText('Gradient descent, lr 0.5');
  await expect(panel.locator('.caption')).toHaveText('');
  let state = await readState(page);
  expect(state.panels[0].hyper.lr).toBe(0.5);
  expect(state.step, 'a change restarts from the start').toBe(0);
  await page.evaluate(() => window.steplab.step(3));
  state = await readState(page);
  expect(state.panels[0].x[0]).not.toBeCloseTo(before.x[0], 3);
  // x₃ of x ↦ x − 0.5·x/√(1+x²) from 4, worked by hand in the test.
  let x = 4;
  for (let i = 0; i < 3; i++) x -= (0.5 * x) / Math.sqrt(1 + x * x);
  expect(state.panels[0].x[0]).toBeCloseTo(x, 12);

  // The log slider moves the number field with it.
  await panel.getByLabel('learning rate, log scale').fill('750');
  await expect(panel.getByLabel('learning rate', { exact: true })).toHaveValue('1');
  await expect(panel.locator('.title')).toHaveText('Gradient descent, lr 1');

  // Another optimizer keeps the rate and shows its own settings.
  await panel.getByLabel('Optimizer').selectOption('rmsprop');
  await expect(panel.locator('.title')).toHaveText('RMSProp, lr 1');
  state = await readState(page);
  expect(state.panels[0].optimizer).toBe('rmsprop');
  expect(Object.keys(state.panels[0].hyper)).toEqual(['lr', 'decay', 'eps', 'eps_in_sqrt']);
  await expect(panel.locator('[data-param="decay"]')).toHaveValue('0.99');
});

test('the readout and the equation show the numbers of the current step', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  await page.evaluate(() => window.steplab.reset());
  await page.evaluate(() => window.steplab.step(1));
  const spot = (await readState(page)).panels[2];
  // After one Adagrad step from 4 with lr 1.5: x₁ = 2.5 and Σg² = g₀² + g₁².
  expect(spot.x[0]).toBe(2.5);
  const readout = page.locator('[data-panel="2"] .readout');
  await expect(readout).toContainText('2.500');
  await expect(readout).toContainText('Σg²');
  await expect(readout.locator('math')).toHaveCount(3);
  const sum = spot.accumulators.sum_sq_grad[0];
  expect(sum).toBeCloseTo(16 / 17 + 6.25 / 7.25, 12);
  await expect(readout.locator('math').first()).toContainText(sum.toPrecision(4));
  await expect(readout.locator('math').nth(2)).toContainText('2'); // x₂ on the left
  await expect(page.locator('#explain-live')).toContainText('Σg² has grown to');
});

// Rebuilding the readouts' MathML every step cost a millisecond per frame at 60 steps/s: when only the
// numbers change (the bouncing panel flips sign every step), the same elements stay and get new text.
for (const [name, query] of [['1-D', '/?preset=seed'], ['2-D', '/?preset=ellipse']]) {
  test(`${name}: stepping rewrites the readout's numbers in place`, async ({ page }) => {
    await openStepLab(page, query);
    await pause(page);
    await page.evaluate(() => window.steplab.reset());
    await page.evaluate(() => window.steplab.step(3));
    await expect.poll(async () => (await readState(page)).step).toBe(3);
    const before = await page.evaluate(() => {
      window.__kept = [...document.querySelectorAll('.panel .readout dd, .panel .readout mn')];
      return window.__kept.map((e) => e.textContent);
    });
    for (let k = 0; k < 4; k++) {
      await page.evaluate(() => window.steplab.step(1));
      await expect.poll(async () => (await readState(page)).step).toBe(4 + k);
    }
    const after = await page.evaluate(() => ({
      connected: window.__kept.every((e) => e.isConnected),
      texts: window.__kept.map((e) => e.textContent),
    }));
    expect(after.connected, 'the same elements are still in the page').toBe(true);
    expect(after.texts).not.toEqual(before);
    // The text is the current step's, not a stale one.
    const state = await readState(page);
    await expect(page.locator('[data-panel="0"] .readout dd').first()).toHaveText(String(state.panels[0].n));
  });
}

test('the charts draw one line per panel', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  await page.evaluate(() => window.steplab.step(30));
  for (const id of ['#chart-loss', '#chart-lr']) {
    const colours = await page.locator(id).evaluate((canvas) => {
      const ctx = canvas.getContext('2d');
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 255) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
      }
      return [...seen];
    });
    for (const colour of ['213,94,0', '0,114,178', '0,158,115']) expect(colours, `${id} has ${colour}`).toContain(colour);
  }
});

test('canvases are crisp on HiDPI screens and labelled for screen readers', async ({ browser }) => {
  const context = await browser.newContext({ deviceScaleFactor: 2 });
  const page = await context.newPage();
  await openStepLab(page);
  await pause(page);
  const sizes = await page.locator('.panel canvas[role=img]').evaluateAll((all) =>
    all.map((c) => {
      const box = c.getBoundingClientRect();
      return [c.width, Math.round(box.width * 2), c.height, Math.round(box.height * 2)];
    }),
  );
  for (const [w, deviceWidth, h, deviceHeight] of sizes) {
    expect(w).toBe(deviceWidth);
    expect(h).toBe(deviceHeight);
  }
  const label = await page.locator('[data-panel="0"] canvas[role=img]').getAttribute('aria-label');
  expect(label).toMatch(/^Too fast!: Gradient descent · lr 2\.5 on Smooth absolute value\. Step \d+: x = /);
  await context.close();
});

test('reduced motion: the page opens paused', async ({ browser }) => {
  const context = await browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await openStepLab(page);
  await page.waitForTimeout(300);
  const state = await readState(page);
  expect(state.playing).toBe(false);
  expect(state.step).toBe(0);
  await context.close();
});

test('a loss from the menu replaces the curve in all three panels', async ({ page }) => {
  await openStepLab(page);
  await page.locator('#loss').selectOption('double-well');
  const state = await readState(page);
  expect(state.loss).toBe('double-well');
  expect(state.start).toEqual([2]);
  await expect(page.locator('#formula')).toHaveText('f(x) = x⁴ − 3x² + x');
});

for (const [name, viewport] of [
  ['wide', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
  ['narrow', { width: 360, height: 740 }],
]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`${name} ${colorScheme}: fits the screen without sideways scrolling`, async ({ browser }) => {
      const context = await browser.newContext({ viewport, colorScheme, deviceScaleFactor: 2 });
      const page = await context.newPage();
      await openStepLab(page);
      await pause(page);
      await page.evaluate(() => window.steplab.reset());
      await page.evaluate(() => window.steplab.step(12));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(0);
      await page.screenshot({ path: screenshotPath(`triptych-${name}-${colorScheme}`) });
      await page.screenshot({ path: screenshotPath(`triptych-${name}-${colorScheme}-full`), fullPage: true });
      await context.close();
    });
  }
}

test('state() hands out plain objects with the fields the README lists, in its order, and null where nothing is defined', async ({ page }) => {
  // The square root has no slope at 0: the loss is defined there (0), the gradient and the step are not.
  await openStepLab(page, '/?loss=expr:sqrt(x)&x0=0');
  const shape = await page.evaluate(() => {
    const state = window.steplab.state();
    // `{ a, b: { c, d } }`, as the README writes it (one level deep).
    const outline = (object) =>
      `{ ${Object.entries(object)
        .map(([key, value]) =>
          value && typeof value === 'object' && !Array.isArray(value) && key !== 'hyper' && key !== 'accumulators'
            ? `${key}: { ${Object.keys(value).join(', ')} }`
            : key,
        )
        .join(', ')} }`;
    const panel = state.panels[0];
    return {
      plain: Object.getPrototypeOf(state) === Object.prototype && Object.getPrototypeOf(panel) === Object.prototype,
      outline: outline({ ...state, panels: 0 }),
      panelKeys: Object.keys(panel),
      arrays: [state.start, state.view.x, panel.x, panel.gradient, state.panels].every(Array.isArray),
      loss: panel.loss,
      gradient: panel.gradient,
      step: panel.step,
      sparse: state.sparse,
      status: panel.status.kind,
    };
  });
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const row = readme.split('\n').find((line) => line.startsWith('| `state()` |'));
  expect(shape.plain).toBe(true);
  expect(shape.arrays).toBe(true);
  expect(row).toContain(`a plain object: \`${shape.outline}\``);
  // Each panel's fields, in the README's order.
  const listed = row.slice(row.indexOf('each panel has')).match(/`[a-z_]+`/g).map((name) => name.slice(1, -1));
  expect(listed.filter((name) => shape.panelKeys.includes(name))).toEqual(shape.panelKeys);
  expect([shape.loss, shape.gradient, shape.step, shape.sparse, shape.status]).toEqual([0, [null], [null], null, 'undefined']);
});
