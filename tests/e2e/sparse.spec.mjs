// The sparse-feature lab: opened from a link, driven by its fields (and the link follows), written from the
// run, the same data as the CLI's, and the three runs together on a phone.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, openStepLab, readState, screenshotPath, test } from './fixtures.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

test('the sparse lab opens from a link and says what happened, from the run', async ({ page }) => {
  await openStepLab(page, '/?preset=sparse&t=500');
  const state = await readState(page);
  expect(state.lab).toBe('sparse');
  expect(state.sparse.features).toBe(3);
  expect(state.sparse.rare).toBe(2);
  expect(state.sparse.shares).toEqual([0.9, 0.6, 0.03]);
  await expect(page.locator('html')).toHaveClass(/sparse-lab/);
  await expect(page.locator('#loss')).toBeHidden();
  await expect(page.locator('#sweep')).toBeHidden();
  // Each badge and the explanation quote the run's own numbers.
  const [safe, , adagrad] = state.sparse.panels;
  const seen = safe.seen[2];
  const percent = (p) => `${Math.round(p * 100)}%`;
  await expect(page.locator('[data-panel="0"] .badge')).toHaveText(
    `rare weight ${percent(safe.rare_progress)} of the way after 500 examples (seen ${seen} times)`,
  );
  await expect(page.locator('#sparse-live')).toContainText(`After 500 examples the rare feature x3 was seen ${seen} times`);
  await expect(page.locator('#sparse-live')).toContainText(`Adagrad ${percent(adagrad.rare_progress)}.`);
  // The claim of the preset, on this seed: Adagrad's rare weight is nearer its true value than the safe rate's.
  const error = (panel) => Math.abs(panel.w[2] - state.sparse.true_weights[2]);
  expect(error(adagrad)).toBeLessThan(error(safe));
  // The readout's table: a row per feature, the rare one marked, the accumulator for Adagrad.
  const table = page.locator('[data-panel="2"] table.features');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tr.rare th')).toHaveText('x3 rare');
  await expect(table.locator('thead')).toContainText('Σg²');
  await page.screenshot({ path: screenshotPath('sparse-wide'), fullPage: true });
});

test('the fields change the data, and the link follows', async ({ page }) => {
  await openStepLab(page, '/?preset=sparse&t=0');
  // The spread menu is a field like the others in its row: as tall, with the page's own font size.
  const field = await page.locator('#sparse-features').evaluate((e) => [e.getBoundingClientRect().height, getComputedStyle(e).fontSize]);
  const menu = await page.locator('#sparse-spread').evaluate((e) => [e.getBoundingClientRect().height, getComputedStyle(e).fontSize]);
  expect(Math.abs(menu[0] - field[0]), 'the spread menu as tall as the features field').toBeLessThanOrEqual(1);
  expect(menu[1]).toBe(field[1]);
  await page.locator('#sparse-features').fill('5');
  await page.locator('#sparse-features').press('Enter');
  await expect.poll(async () => (await readState(page)).sparse.features).toBe(5);
  await expect.poll(() => page.url()).toContain('features=5');
  await page.locator('#sparse-rare').fill('10');
  await page.locator('#sparse-rare').press('Enter');
  await expect.poll(async () => (await readState(page)).sparse.shares[4]).toBe(0.1);
  await expect.poll(() => page.url()).toContain('rare=10');
  await page.locator('#sparse-spread').selectOption('tail');
  await expect.poll(() => page.url()).toContain('spread=tail');
  await page.locator('#seed').fill('9');
  await page.locator('#seed').press('Enter');
  await expect.poll(() => page.url()).toContain('seed=9');
  const state = await readState(page);
  expect(state.sparse.shares[0]).toBe(0.9);
  await expect(page.locator('[data-panel="0"] table.features tbody tr')).toHaveCount(5);
  // The link reproduces it.
  const url = page.url();
  await page.evaluate(() => window.steplab.step(40));
  const before = await readState(page);
  await openStepLab(page, url.replace(/&t=\d+/, '') + '&t=40');
  expect((await readState(page)).sparse).toEqual(before.sparse);
});

test('the page’s CSV of the sparse lab is the CLI’s, byte for byte', async ({ page }) => {
  test.setTimeout(120_000);
  const query = 'lab=sparse&features=4&rare=2&label_noise=0.3&seed=3';
  await openStepLab(page, `/?${query}&t=100`);
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="csv"]').click()]);
  const fromPage = readFileSync(await download.path(), 'utf8');
  const fromCli = execFileSync('cargo', ['run', '-q', '--offline', '-p', 'steplab-cli', '--', 'trace', `?${query}`, '--steps', '100'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(fromPage.startsWith('panel,n,loss,w1,g1,acc1,eff_lr1,seen1,')).toBe(true);
  expect(fromPage).toBe(fromCli);
});

test('on a 360×640 phone the three sparse runs are in the first screen', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await openStepLab(page, '/?preset=sparse');
  const transport = await page.locator('.transport').boundingBox();
  for (let panel = 0; panel < 3; panel++) {
    for (const part of ['.title', '.plot', '.badge']) {
      const box = await page.locator(`[data-panel="${panel}"] ${part}`).boundingBox();
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height, `panel ${panel} ${part}`).toBeLessThanOrEqual(transport.y + 0.5);
    }
  }
  await expect(page.locator('[data-panel="2"] .badge')).toContainText('rare weight');
  await page.screenshot({ path: screenshotPath('sparse-phone') });
  await context.close();
});

test('presses on a sparse plot change nothing (it has no start to drag)', async ({ page }) => {
  await openStepLab(page, '/?preset=sparse&t=30');
  const before = await readState(page);
  const box = await page.locator('[data-panel="1"] canvas[role=img]').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const after = await readState(page);
  expect(after.step).toBe(before.step);
  expect(after.sparse).toEqual(before.sparse);
});
