import { expect, openStepLab, readState, screenshotPath, test } from './fixtures.mjs';

test('the page opens, plays on its own and the first optimizer moves', async ({ page }) => {
  await openStepLab(page);
  const first = await readState(page);
  expect(first.playing, 'the page plays on load').toBe(true);
  expect(first.panels.length, 'at least one optimizer panel').toBeGreaterThan(0);
  const start = first.panels[0];

  await expect
    .poll(async () => (await readState(page)).panels[0].n, {
      message: `panel "${start.id}" takes steps without any input`,
    })
    .toBeGreaterThan(start.n);

  const later = (await readState(page)).panels[0];
  expect(later.x).toHaveLength(start.x.length);
  expect(later.x.every(Number.isFinite), `x stays finite: ${later.x}`).toBe(true);
  expect(later.x, 'the optimizer moved the point').not.toEqual(start.x);

  await page.screenshot({ path: screenshotPath('first-page') });
});
