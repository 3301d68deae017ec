// The page on a desktop as a student meets it: every number readable, plots in line, a surface with its
// true proportions, menus that get out of the way, legends that say what the lines are, and links, notices
// and the API that say what the page shows.
import { expect, openStepLab, paintedRect, readState, test } from './fixtures.mjs';

for (const width of [1280, 1920]) {
  test(`${width} px: every number of a 2-D readout is readable, none cut off`, async ({ browser }) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await openStepLab(page, '/?preset=rosenbrock&t=40');
    await expect(page.locator('[data-panel="0"] .readout dd').first()).toHaveText('40');
    const cut = await page.locator('.panel .readout dd').evaluateAll((all) =>
      all.filter((dd) => dd.scrollWidth > dd.clientWidth + 1).map((dd) => dd.textContent),
    );
    expect(cut).toEqual([]);
    await page.close();
  });
}

test('one surface, three paths keeps the window square, names the paths and leaves the transport in view', async ({ page }) => {
  await openStepLab(page, '/?preset=himmelblau&overlay=1&t=30');
  const canvas = page.locator('#overlay-canvas');
  await expect.poll(async () => (await canvas.boundingBox()).height).toBeGreaterThan(200);
  // [−5, 5]² is painted square, as large as the figure's height allows.
  const painted = await paintedRect(page, '#overlay-figure');
  const aspect = painted.height / painted.width;
  expect(aspect).toBeGreaterThan(0.98);
  expect(aspect).toBeLessThan(1.02);
  expect(painted.height).toBeGreaterThan((await canvas.boundingBox()).height - 30);
  const legend = page.locator('#overlay-legend');
  await expect(legend.locator('.legend-title')).toHaveText(['Gradient descent', 'Momentum', 'Adam']);
  await expect(legend.locator('.legend-status').first()).not.toBeEmpty();
  const transport = await page.locator('.transport').boundingBox();
  expect(transport.y + transport.height).toBeLessThanOrEqual(800);
});

test('the three plots line up whatever their captions and titles', async ({ page }) => {
  const long = 'W'.repeat(40);
  await openStepLab(page, `/?t=0&ta=${long}&b=adagrad:lr=0.5,eps=0.1,eps_in_sqrt=1,acc0=2,lr_decay=0.3`);
  const tops = await page.locator('.panel canvas[role=img]').evaluateAll((all) => all.map((c) => c.getBoundingClientRect().top));
  expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(1);
  // A 40-character title without spaces stays inside its panel (cut with an ellipsis, whole as a tooltip).
  const title = page.locator('.panel .title').first();
  const inside = await title.evaluate((t) => {
    const [own, panel] = [t.getBoundingClientRect(), t.closest('.panel').getBoundingClientRect()];
    return own.right <= panel.right && getComputedStyle(t).textOverflow === 'ellipsis';
  });
  expect(inside).toBe(true);
  await expect(title).toHaveAttribute('title', long);
});

test('the scenario bar has the same shape for a curve and a surface', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const curve = await page.locator('.scenario-bar').boundingBox();
  await page.locator('#loss').selectOption('beale');
  await expect(page.locator('#overlay-toggle')).toBeVisible();
  const surface = await page.locator('.scenario-bar').boundingBox();
  expect(Math.abs(surface.height - curve.height)).toBeLessThanOrEqual(2);
});

test('a focused plot has its focus ring inside the plot, clear of the title and status', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const canvas = page.locator('[data-panel="1"] canvas[role=img]');
  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  expect(await canvas.evaluate((c) => getComputedStyle(c).outlineOffset)).toBe('-3px');
});

test('menus close on Escape, on a click elsewhere and on a choice, and give the focus back', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const presets = page.locator('details.menu').first();
  await presets.locator('summary').click();
  await expect(presets).toHaveAttribute('open', '');
  await page.keyboard.press('Escape');
  await expect(presets).not.toHaveAttribute('open', '');
  await expect(presets.locator('summary')).toBeFocused();
  await presets.locator('summary').click();
  await page.locator('#why').click();
  await expect(presets).not.toHaveAttribute('open', '');
  await presets.locator('summary').click();
  await page.locator('#preset-menu a[data-preset="bounce"]').click();
  await expect(presets).not.toHaveAttribute('open', '');
  await expect(presets.locator('summary')).toBeFocused();
  expect((await readState(page)).loss).toBe('quadratic');
});

test('the charts have a legend, and in 2-D it explains the dashed line', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const legend = page.locator('#chart-legend');
  await expect(legend.locator('.legend-title')).toHaveText(['Too fast!', 'Too slow!', 'Spot on!']);
  await expect(legend.locator('.dashed-note')).toBeHidden();
  await page.evaluate(() => window.steplab.load('preset=ellipse'));
  await expect(legend.locator('.dashed-note')).toBeVisible();
});

test('zooming stops where the picture still means something', async ({ page }) => {
  await openStepLab(page, '/?preset=ellipse&t=0');
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 400);
  const out = (await readState(page)).view;
  expect(out.x[1] - out.x[0]).toBeLessThanOrEqual(12 * 100 * 1.0001);
  for (let i = 0; i < 80; i++) await page.mouse.wheel(0, -400);
  const inside = (await readState(page)).view;
  expect(inside.x[1] - inside.x[0]).toBeGreaterThanOrEqual(12 * 1e-3 * 0.9999);
});

test('the Share dialog says whether the link holds a step', async ({ page }) => {
  await openStepLab(page, '/');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('#share-what')).toContainText('playing from step 0; pause first');
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.steplab.step(5));
  const step = (await readState(page)).step;
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.locator('#share-what')).toContainText(`paused at step ${step}`);
  expect(await page.locator('#share-url').inputValue()).toContain(`t=${step}`);
});

test('embed mode shows the panels and transport but no loss bar; hiding settings hides only settings', async ({ page }) => {
  await openStepLab(page, '/?preset=seed&embed=1&hide=controls');
  await expect(page.locator('.scenario-bar')).toBeHidden();
  await expect(page.locator('.panel .settings').first()).toBeHidden();
  await expect(page.locator('.transport')).toBeVisible();
  await openStepLab(page, '/?preset=seed&hide=controls');
  await expect(page.locator('.scenario-bar')).toBeVisible();
  await expect(page.locator('.panel .settings').first()).toBeHidden();
});

test('a start with the wrong number of coordinates is said, not silently mended', async ({ page }) => {
  await openStepLab(page, '/?loss=quadratic&x0=1,2');
  await expect(page.locator('#notice-list')).toContainText('the second, 2, was ignored');
  expect((await readState(page)).start).toEqual([1]);
  await openStepLab(page, '/?loss=ellipse&x0=1');
  await expect(page.locator('#notice-list')).toContainText('x₂ kept -2');
  await openStepLab(page, '/?loss=quadratic&overlay=1');
  await expect(page.locator('#notice-list')).toContainText('only a surface');
});

test('after a link with mistakes the address bar holds the link of what is shown', async ({ page }) => {
  await openStepLab(page, '/?x0=NaN&a=sgd:lr=Infinity');
  await expect(page.locator('#notice-list')).toContainText('2.5 (this panel\'s default) was used');
  await expect.poll(() => page.url()).not.toContain('NaN');
  expect(new URL(page.url()).searchParams.get('a')).toBe('sgd:lr=2.5');
});

test('setStart keeps the start inside the window, as x0 does', async ({ page }) => {
  await openStepLab(page, '/?loss=quartic&t=0');
  await page.evaluate(() => window.steplab.setStart(1e9));
  expect((await readState(page)).start).toEqual([2]);
});
