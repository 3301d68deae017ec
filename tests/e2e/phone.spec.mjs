// The comparison on a phone, as the student who opened a shared link meets it: all three runs in the first
// screen, a one-row header, details one tap away, touch that moves the start without fighting the page's
// scrolling, and the course column an embed usually gets.
import { expect, openStepLab, paintedRect, readState, screenshotPath, test, worldAt } from './fixtures.mjs';

const phone = { viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
const larger = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

/** Every plot and status of `root` (a page or a frame) is inside the first `height` px and clear of the transport. */
async function allThreeInView(root, height) {
  const transport = await root.locator('.transport').boundingBox();
  for (let panel = 0; panel < 3; panel++) {
    const at = root.locator(`[data-panel="${panel}"]`);
    await expect(at.locator('.badge')).not.toBeEmpty();
    await expect(at.locator('.title')).not.toBeEmpty();
    for (const part of ['.title', '.plot', '.badge']) {
      const box = await at.locator(part).boundingBox();
      expect(box, `panel ${panel} ${part}`).not.toBeNull();
      expect(box.y, `panel ${panel} ${part}`).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, `panel ${panel} ${part} inside the screen`).toBeLessThanOrEqual(height);
      if (transport.y > box.y) {
        expect(box.y + box.height, `panel ${panel} ${part} above the transport`).toBeLessThanOrEqual(transport.y + 0.5);
      }
    }
    const plot = await at.locator('.plot').boundingBox();
    expect(plot.height, 'a plot large enough to read').toBeGreaterThanOrEqual(96);
  }
  // The transport itself is on the screen, within a thumb's reach.
  expect(transport.y + transport.height).toBeLessThanOrEqual(height + 0.5);
}

for (const [name, path] of [
  ['the default link', '/'],
  ['the bounce preset', '/?preset=bounce'],
  ['a 2-D preset', '/?preset=ellipse'],
]) {
  for (const colorScheme of ['light', 'dark']) {
    test(`360×640 ${colorScheme}, ${name}: the three plots and their statuses are in the first screen`, async ({ browser }) => {
      const context = await browser.newContext({ ...phone, colorScheme });
      const page = await context.newPage();
      await openStepLab(page, path);
      await allThreeInView(page, 640);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const slug = name.replaceAll(' ', '-');
      await page.screenshot({ path: screenshotPath(`phone-360-${slug}-${colorScheme}`) });
      await page.setViewportSize(larger.viewport);
      await allThreeInView(page, 844);
      await page.screenshot({ path: screenshotPath(`phone-390-${slug}-${colorScheme}`) });
      await context.close();
    });
  }
}

test('at 360 and 320 px the transport shows every control and the step number, none under another', async ({ browser }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await openStepLab(page, '/?preset=seed&t=16');
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 640 });
    await expect(page.locator('#step-label')).toHaveText('16');
    const parts = ['#reset', '#step-back', '#play', '#step-forward', '#scrub', '#step-label', '#speed-step'];
    const boxes = [];
    for (const part of parts) {
      const box = await page.locator(part).boundingBox();
      expect(box, `${part} at ${width} px`).not.toBeNull();
      expect(box.x, `${part} at ${width} px`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${part} inside the screen at ${width} px`).toBeLessThanOrEqual(width + 0.5);
      boxes.push([part, box]);
    }
    // In a row, left to right, each clear of the next: the step number is not hidden under the speed button.
    for (let i = 1; i < boxes.length; i++) {
      const [before, a] = boxes[i - 1];
      const [after, b] = boxes[i];
      expect(a.x + a.width, `${before} clear of ${after} at ${width} px`).toBeLessThanOrEqual(b.x + 0.5);
    }
    // At 360 px the step slider is wide enough to drag (at 320 px a row has room for the buttons and the
    // number, and the slider shrinks).
    if (width === 360) expect(boxes[4][1].width, 'the step slider at 360 px').toBeGreaterThanOrEqual(44);
  }
  await page.screenshot({ path: screenshotPath('phone-320-transport') });
  await context.close();
});

test('on a phone the charts’ legend wraps as prose: no word is cut over two lines', async ({ browser }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  // The noise preset shows every kind of key: the three panels' and the shaded band's ("shaded: 20 noise seeds…").
  await openStepLab(page, '/?preset=noise&t=20');
  await expect(page.locator('.band-note')).toBeVisible();
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 640 });
    const cut = await page.evaluate(() => {
      const words = [];
      for (const key of document.querySelectorAll('.chart-legend .key:not([hidden])')) {
        const walker = document.createTreeWalker(key, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.data.matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            if (range.getClientRects().length > 1) words.push(match[0]);
          }
        }
      }
      return words;
    });
    expect(cut, `words cut at ${width} px`).toEqual([]);
  }
  await context.close();
});

test('a phone held sideways (640×360) keeps the transport to one row, clear of the three statuses', async ({ browser }) => {
  const context = await browser.newContext({ ...phone, viewport: { width: 640, height: 360 } });
  const page = await context.newPage();
  await openStepLab(page, '/?preset=seed&t=16');
  await page.locator('#panels').evaluate((panels) => panels.scrollIntoView());
  const transport = await page.locator('.transport').boundingBox();
  // One row: the play button and the speed control side by side, the bar no taller than a control and its padding.
  const play = await page.locator('#play').boundingBox();
  const speed = await page.locator('#speed-step').boundingBox();
  await expect(page.locator('#speed-step')).toBeVisible();
  expect(Math.abs(play.y - speed.y), 'the speed control on the play button’s row').toBeLessThanOrEqual(2);
  expect(transport.height).toBeLessThanOrEqual(70);
  await expect(page.locator('#step-label')).toHaveText('16');
  for (let panel = 0; panel < 3; panel++) {
    const badge = await page.locator(`[data-panel="${panel}"] .badge`).boundingBox();
    expect(badge.y + badge.height, `panel ${panel}'s status above the transport`).toBeLessThanOrEqual(transport.y + 0.5);
  }
  await page.screenshot({ path: screenshotPath('phone-sideways-640') });
  await context.close();
});

test('embedded in a 360-px frame, the three runs are in its first screen', async ({ browser, baseURL }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.setContent(
    `<body style="margin:0"><iframe src="${baseURL}?preset=seed&embed=1" style="width:360px;height:640px;border:0"></iframe></body>`,
  );
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.panel')).toHaveCount(3);
  await expect(frame.locator('[data-panel="2"] .badge')).not.toBeEmpty();
  await allThreeInView(frame, 640);
  await page.screenshot({ path: screenshotPath('phone-embed-360') });
  await context.close();
});

test('a course column of 760 px keeps the three runs side by side in a frame at most 1.2× as tall as wide', async ({ browser, baseURL }) => {
  const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
  await page.setContent(`<body style="margin:0">
    <iframe class="steplab" src="${baseURL}?preset=seed&embed=1&hide=controls,readouts,charts,explanation"
      style="width:760px;height:300px;border:0"></iframe>
    <script>
      window.heights = [];
      addEventListener('message', (e) => {
        if (e.data?.type !== 'steplab:height') return;
        window.heights.push(e.data.height);
        document.querySelector('iframe').style.height = e.data.height + 'px';
      });
    </script></body>`);
  await expect.poll(() => page.evaluate(() => window.heights.length)).toBeGreaterThan(0);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('[data-panel="2"] .badge')).not.toBeEmpty();
  const height = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  expect(height).toBeGreaterThan(200);
  expect(height).toBeLessThanOrEqual(1.2 * 760);
  const panels = await frame.locator('.panel').evaluateAll((all) => all.map((p) => p.getBoundingClientRect().toJSON()));
  expect(Math.max(...panels.map((p) => p.top)) - Math.min(...panels.map((p) => p.top))).toBeLessThanOrEqual(1);
  expect(panels[0].right).toBeLessThan(panels[1].left);
  expect(panels[1].right).toBeLessThan(panels[2].left);
  // The panels fill the row as the transport does, neither narrower nor wider.
  const transport = await frame.locator('.transport').evaluate((t) => t.getBoundingClientRect().toJSON());
  expect(Math.abs(panels[2].right - transport.right)).toBeLessThanOrEqual(1);
  expect(Math.abs(panels[0].left - transport.left)).toBeLessThanOrEqual(1);
  await page.screenshot({ path: screenshotPath('course-column-760') });
  await page.close();
});

test('a phone has one header row; the rest is behind one control, and your own function shows its field', async ({ browser }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await openStepLab(page, '/?preset=ellipse');
  const more = page.getByRole('button', { name: /^More/ });
  const row = await Promise.all([page.locator('#loss'), page.locator('#presets summary'), more].map((l) => l.boundingBox()));
  for (const box of row) expect(Math.abs(box.y + box.height / 2 - (row[0].y + row[0].height / 2))).toBeLessThanOrEqual(2);
  await expect(page.locator('#expr')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Reset view' })).toBeHidden();
  await expect(more).toHaveAttribute('aria-expanded', 'false');
  await more.tap();
  await expect(more).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('#expr')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset view' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Share', exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath('phone-more-open') });
  await more.tap();
  await expect(page.locator('#expr')).toBeHidden();
  // Choosing your own function shows the field to type it in, with the focus there.
  await page.locator('#loss').selectOption('custom');
  await expect(page.locator('#expr')).toBeVisible();
  await expect(page.locator('#expr')).toBeFocused();
  await context.close();
});

test('a panel’s numbers and settings are one tap away, and the speed button steps through the speeds', async ({ browser }) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await openStepLab(page, '/?t=5');
  const panel = page.locator('[data-panel="1"]');
  await expect(panel.locator('.readout')).toBeHidden();
  const toggle = panel.getByRole('button', { name: 'Details' });
  await toggle.tap();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.locator('.readout')).toBeVisible();
  await expect(panel.locator('.readout dd').first()).toHaveText('5');
  await expect(panel.locator('.settings summary')).toBeVisible();
  await expect(page.locator('[data-panel="0"] .readout')).toBeHidden();
  await page.screenshot({ path: screenshotPath('phone-details-open') });
  await toggle.tap();
  await expect(panel.locator('.readout')).toBeHidden();
  await expect(page.locator('#speed')).toBeHidden();
  const speed = page.locator('#speed-step');
  await expect(speed).toHaveText('8/s');
  await speed.tap();
  await expect(speed).toHaveText('16/s');
  expect((await readState(page)).speed).toBe(16);
  await context.close();
});

test('on a touch screen every control is at least 44 px both ways, or sits in a hit area that large', async ({ browser }) => {
  const context = await browser.newContext(larger);
  const page = await context.newPage();
  await openStepLab(page, '/?preset=ellipse');
  await page.getByRole('button', { name: /^More/ }).tap();
  for (const panel of [0, 1, 2]) {
    await page.locator(`[data-panel="${panel}"]`).getByRole('button', { name: 'Details' }).tap();
    await page.locator(`[data-panel="${panel}"] .settings summary`).tap();
  }
  const small = await page.evaluate(() => {
    const controls = document.querySelectorAll('#steplab button, #steplab input, #steplab select, #steplab summary');
    const big = (r) => r.width >= 44 - 0.5 && r.height >= 44 - 0.5;
    return [...controls]
      .filter((c) => c.getClientRects().length > 0 && getComputedStyle(c).visibility !== 'hidden')
      .filter((c) => !big(c.getBoundingClientRect()) && !(c.closest('label') && big(c.closest('label').getBoundingClientRect())))
      .map((c) => `${c.outerHTML.slice(0, 80)} ${Math.round(c.getBoundingClientRect().width)}×${Math.round(c.getBoundingClientRect().height)}`);
  });
  expect(small).toEqual([]);
  await context.close();
});

/** Sends one finger's (or two fingers') path through the browser's touch input. */
async function touch(client, frames) {
  const [first, ...rest] = frames;
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: first });
  for (const points of rest) await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points });
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

test('a vertical swipe on a curve scrolls the page and leaves the start where it was', async ({ browser }) => {
  const context = await browser.newContext(larger);
  const page = await context.newPage();
  await openStepLab(page, '/?t=0');
  const before = await readState(page);
  const box = await page.locator('[data-panel="1"] canvas[role=img]').boundingBox();
  const client = await context.newCDPSession(page);
  const x = box.x + box.width * 0.3;
  const path = [0, 30, 80, 140, 200, 260].map((dy) => [{ x, y: box.y + box.height * 0.9 - dy, id: 1 }]);
  await touch(client, path);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(100);
  const after = await readState(page);
  expect(after.start).toEqual(before.start);
  expect(after.step).toBe(before.step);
  // A sideways drag on a curve does move the start, to under the finger (once the fling has stopped).
  let last = -1;
  await expect
    .poll(async () => {
      const [was, now] = [last, await page.evaluate(() => window.scrollY)];
      last = now;
      return now === was;
    }, { intervals: [200] })
    .toBe(true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  const again = await page.locator('[data-panel="1"] canvas[role=img]').boundingBox();
  const y = again.y + again.height / 2;
  await touch(client, [0.7, 0.6, 0.5, 0.4, 0.3].map((f) => [{ x: again.x + again.width * f, y, id: 2 }]));
  const dragged = await readState(page);
  expect(dragged.start[0]).toBeLessThan(before.start[0] - 2);
  await context.close();
});

test('two fingers on a surface zoom, and put back a start the first finger moved', async ({ browser }) => {
  const context = await browser.newContext(larger);
  const page = await context.newPage();
  await openStepLab(page, '/?preset=himmelblau&t=0');
  const before = await readState(page);
  const canvas = page.locator('[data-panel="0"] canvas[role=img]');
  const box = await canvas.boundingBox();
  const rect = await paintedRect(page, '[data-panel="0"]');
  const client = await context.newCDPSession(page);
  // The first finger lands on the start ring and drags it (as a finger does before the second one lands),
  // then the second lands and both spread apart.
  const ring = {
    x: box.x + rect.left + ((before.start[0] - before.view.x[0]) / (before.view.x[1] - before.view.x[0])) * rect.width,
    y: box.y + rect.top + ((before.view.y[1] - before.start[1]) / (before.view.y[1] - before.view.y[0])) * rect.height,
  };
  const first = (dx) => ({ x: ring.x + dx, y: ring.y, id: 1 });
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first(0)] });
  await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [first(-10)] });
  await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [first(-25)] });
  expect((await readState(page)).start, 'the first finger alone moves the start').not.toEqual(before.start);
  const second = (dx) => ({ x: ring.x + 30 + dx, y: ring.y + 10, id: 2 });
  await client.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [first(-25), second(0)] });
  for (const d of [10, 25, 45]) {
    await client.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [first(-25 - d), second(d)] });
  }
  await client.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  const after = await readState(page);
  expect(after.view.x[1] - after.view.x[0]).toBeLessThan(before.view.x[1] - before.view.x[0]);
  expect(after.start, 'the second finger put the start back').toEqual(before.start);
  expect(after.panels.every((p) => p.x[0] === before.start[0] && p.x[1] === before.start[1])).toBe(true);
  await context.close();
});

test('one finger drags the ball on a surface; elsewhere a swipe leaves it and a tap moves it there', async ({ browser }) => {
  const context = await browser.newContext(larger);
  const page = await context.newPage();
  await openStepLab(page, '/?preset=himmelblau&t=0');
  const before = await readState(page);
  const box = await page.locator('[data-panel="2"] canvas[role=img]').boundingBox();
  const rect = await paintedRect(page, '[data-panel="2"]');
  const view = before.view;
  const toPx = ([x, y]) => ({
    x: rect.left + ((x - view.x[0]) / (view.x[1] - view.x[0])) * rect.width,
    y: rect.top + ((view.y[1] - y) / (view.y[1] - view.y[0])) * rect.height,
  });
  const ring = toPx(before.start);
  const client = await context.newCDPSession(page);
  const target = { x: ring.x + 70, y: ring.y - 50 };
  const path = [0, 0.25, 0.5, 0.75, 1].map((f) => [
    { x: box.x + ring.x + f * (target.x - ring.x), y: box.y + ring.y + f * (target.y - ring.y), id: 1 },
  ]);
  await touch(client, path);
  const moved = await readState(page);
  const expected = worldAt(view, rect, target.x, target.y);
  const pixel = (view.x[1] - view.x[0]) / rect.width;
  expect(Math.abs(moved.start[0] - expected[0])).toBeLessThan(2 * pixel);
  expect(Math.abs(moved.start[1] - expected[1])).toBeLessThan(2 * pixel);
  expect(await page.evaluate(() => window.scrollY), 'the drag did not scroll the page').toBe(0);

  // A sideways swipe away from the ball leaves the start alone.
  const away = toPx([moved.start[0] - 3, moved.start[1] - 3]);
  await touch(client, [0, 20, 40, 60].map((dx) => [{ x: box.x + away.x + dx, y: box.y + away.y, id: 2 }]));
  expect((await readState(page)).start).toEqual(moved.start);
  // A tap there moves it there.
  await touch(client, [[{ x: box.x + away.x, y: box.y + away.y, id: 3 }]]);
  const tapped = await readState(page);
  const spot = worldAt(view, rect, away.x, away.y);
  expect(Math.abs(tapped.start[0] - spot[0])).toBeLessThan(2 * pixel);
  expect(Math.abs(tapped.start[1] - spot[1])).toBeLessThan(2 * pixel);
  await context.close();
});
