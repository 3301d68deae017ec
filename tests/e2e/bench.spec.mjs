// What `cargo xtask bench` (tools/bench.mjs) reads from the page: the performance marks, the frame and
// drag statistics, and the two hooks. The benchmark itself runs outside the suite (minutes, and its
// timings are noisy); this keeps its contract with the page from breaking unnoticed. No timing is asserted.
import { expect, openStepLab, readState, test } from './fixtures.mjs';

// The benchmark's hooks exist only when the harness asks for them before the page loads.
test.beforeEach(({ page }) => page.addInitScript(() => { window.steplabTestHooks = true; }));

test('the page marks its start and its first drawn frame, in that order', async ({ page }) => {
  await openStepLab(page);
  const marks = await page.evaluate(() =>
    ['steplab:started', 'steplab:first-frame'].map((name) => performance.getEntriesByName(name, 'mark').length
      ? performance.getEntriesByName(name, 'mark')[0].startTime
      : null),
  );
  expect(marks.every((t) => typeof t === 'number'), `both marks are set: ${marks}`).toBe(true);
  expect(marks[1]).toBeGreaterThanOrEqual(marks[0]);
});

test('stats count frames and drag moves; the hooks clear them and time the previews', async ({ page }) => {
  await openStepLab(page, '/?preset=seed');
  await expect.poll(async () => (await page.evaluate(() => window.steplab.stats())).frames).toBeGreaterThan(10);
  const clearedAt = await page.evaluate(() => {
    const total = window.steplab.stats().frames_total;
    window.steplab._clearStats();
    return total;
  });
  const cleared = await page.evaluate(() => window.steplab.stats());
  // Only the frames drawn since the clear are counted (however many the machine managed meanwhile).
  expect(cleared.frames).toBeLessThanOrEqual(cleared.frames_total - clearedAt);
  expect(cleared.drag_moves).toBe(0);

  // A drag across the first panel: every pointer move is one timed restart of the runs and previews.
  await page.evaluate(() => window.steplab.pause());
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 12 });
  await page.mouse.up();
  const dragged = await page.evaluate(() => window.steplab.stats());
  expect(dragged.drag_moves).toBeGreaterThanOrEqual(12);
  for (const key of ['drag_median_ms', 'drag_p95_ms', 'drag_max_ms', 'frame_median_ms', 'frame_p95_ms', 'frame_max_ms']) {
    expect(Number.isFinite(dragged[key]) && dragged[key] >= 0, `${key} = ${dragged[key]}`).toBe(true);
  }
  expect(dragged.drag_max_ms).toBeGreaterThanOrEqual(dragged.drag_median_ms);

  // The preview hook returns one time per round and leaves no preview drawn or state changed.
  const before = await readState(page);
  const times = await page.evaluate(() => window.steplab._timePreviews(1000, 7));
  expect(times).toHaveLength(7);
  expect(times.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
  const after = await readState(page);
  expect(after.start).toEqual(before.start);
  expect(after.step).toBe(before.step);
  // Out-of-range arguments are clamped, not trusted.
  expect(await page.evaluate(() => window.steplab._timePreviews(-5, 1e9).length)).toBe(1000);
});
