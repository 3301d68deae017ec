// What the page tells a learner must be true of the runs it shows: statuses, numbers that are not defined,
// formulas, equations near the limits of floating point, paths into regions where a typed function is not
// defined, and the sentences under the charts.
import { expect, openStepLab, readState, test } from './fixtures.mjs';

async function at(page, query) {
  await openStepLab(page, query);
  await expect.poll(async () => (await readState(page)).playing).toBe(false);
}

test('a run that multiplies its distance every step says it is blowing up, not crawling', async ({ page }) => {
  await at(page, '/?loss=quadratic&x0=1&t=3');
  const state = await readState(page);
  expect(state.panels[0].x[0]).toBe(-64);
  expect(state.panels[0].status.kind).toBe('blowing-up');
  const badge = page.locator('.panel .badge').first();
  await expect(badge).toHaveText('blowing up: the distance to the minimum grows ×4 per step');
  await expect(badge).toHaveAttribute('data-status', 'blowing-up');
  await at(page, '/?preset=scale&t=3');
  await expect(page.locator('.panel .badge').first()).toHaveText('blowing up: the distance to the minimum grows ×9 per step');
});

test('a start where the function is undefined shows dashes, says why, and draws nothing false', async ({ page }) => {
  await at(page, '/?loss=expr:log(x)&x0=-2&t=5');
  const panel = (await readState(page)).panels[0];
  expect(panel.status.kind).toBe('undefined');
  expect(panel.n).toBe(0);
  expect([panel.loss, panel.gradient, panel.effective_lr, panel.step]).toEqual([null, [null], [null], [null]]);
  await expect(page.locator('.panel .badge').first()).toHaveText('cannot start: the loss is not defined at x = -2');
  const readout = page.locator('[data-panel="0"] .readout');
  await expect(readout.locator('dd').nth(2)).toHaveText('—');
  await expect(readout).toContainText('No step: the update is not defined here.');
  await expect(readout).not.toContainText('NaN');
  expect((await page.evaluate(() => window.steplab.stats())).non_finite_draws).toBe(0);
  // sqrt at 0: the loss is 0, only its slope is missing, and the text names the slope.
  await at(page, '/?loss=expr:sqrt(x)&x0=0&t=1');
  const sqrt = (await readState(page)).panels[0];
  expect([sqrt.loss, sqrt.gradient]).toEqual([0, [null]]);
  expect(sqrt.status.text).toBe('cannot start: the gradient is not defined at x = 0 (the loss is 0 there)');
});

test('a path into a region where the function is undefined ends at its edge, not at the top', async ({ page }) => {
  // log(x) from 0.5 at rate 1: the first step lands at −1.5, where log has no value.
  await at(page, '/?loss=expr:log(x)&x0=0.5&a=sgd:lr=1&t=3');
  expect((await readState(page)).panels[0].status.text).toBe('diverged at step 1: the loss is not defined at x = -1.5');
  const orangeAtTop = await page.locator('[data-panel="0"] canvas[role=img]').evaluate((canvas) => {
    const { data, width } = canvas.getContext('2d').getImageData(0, 0, canvas.width, Math.round(24 * devicePixelRatio));
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] > 150 && data[i + 2] < 80) count++;
    return { count, width };
  });
  expect(orangeAtTop.count, 'nothing of the run is drawn along the top edge').toBe(0);
  expect((await page.evaluate(() => window.steplab.stats())).non_finite_draws).toBe(0);
});

test('the formula shows the scale, and the loss chart says what it measures from', async ({ page }) => {
  await at(page, '/?preset=scale&t=0');
  await expect(page.locator('#formula')).toHaveText('f(x) = 100·x²');
  await expect(page.locator('#chart-loss-title')).toHaveText('Loss above its minimum, per step');
  await at(page, '/?preset=double-well&t=300');
  await expect(page.locator('#chart-loss-title')).toHaveText('Loss above its lowest minimum, per step');
  const badge = page.locator('.panel .badge').first();
  await expect(badge).toHaveText(/^converged to a local minimum in \d+ steps, 2\.4 above the lowest one$/);
  await at(page, '/?loss=expr:exp(x)&t=60');
  await expect(page.locator('#chart-loss-title')).toHaveText('Loss above the lowest value the runs reached, per step');
});

test('"converged" means a minimum: a slope flattening on its way down is still descending', async ({ page }) => {
  await at(page, '/?loss=expr:exp(x)&t=60');
  const state = await readState(page);
  expect(state.panels.map((p) => p.status.kind)).not.toContain('converged');
  await expect(page.locator('.panel .badge').first()).toHaveText(/^still descending/);
});

test('an update too small to show says so instead of printing sums that do not add up', async ({ page }) => {
  await at(page, '/?t=1000');
  const readout = page.locator('[data-panel="2"] .readout');
  await expect(readout).toContainText('is too small to show)');
  await expect(readout).not.toContainText('0.8918·4.941e−324');
  await at(page, '/?t=2');
  await expect(page.locator('[data-panel="2"] .readout')).not.toContainText('too small to show');
});

test('the live sentence shows enough digits to see a change, and both coordinates in 2-D', async ({ page }) => {
  await at(page, '/?a=adam&b=adam&c=adam&t=30');
  await expect(page.locator('#explain-live')).toContainText('has risen from 0.0010308 to 0.0010310');
  await at(page, '/?preset=ellipse&t=5');
  await expect(page.locator('#explain-live')).toContainText('effective rates (x₁, x₂) went from (');
});
