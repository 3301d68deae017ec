// Your own loss: typing an expression replaces the curve (exact gradients), a bad one shows where it is
// wrong and keeps the last good curve, and typed functions travel in links.
import { expect, openStepLab, readState, test } from './fixtures.mjs';

async function paused(page, path = '/') {
  await openStepLab(page, path);
  await page.evaluate(() => {
    window.steplab.pause();
    window.steplab.reset();
  });
}

test('typing an expression updates the curve, the runs and the link', async ({ page }) => {
  await paused(page);
  const before = await page.locator('[data-panel="1"] canvas[role=img]').screenshot();
  await page.locator('#expr').fill('x^2/2 - cos(3*x)');
  const state = await readState(page);
  expect(state.loss).toBe('expr:x^2/2-cos(3*x)');
  expect(state.dim).toBe(1);
  await expect(page.locator('#formula')).toHaveText('f(x) = x^2/2-cos(3*x)');
  await expect(page.locator('#expr-status')).toContainText('OK');
  const after = await page.locator('[data-panel="1"] canvas[role=img]').screenshot();
  expect(after.equals(before), 'the curve changed').toBe(false);
  // The gradient is exact: g = x + 3·sin(3x) at the start.
  const x = state.panels[0].x[0];
  expect(state.panels[0].gradient[0]).toBeCloseTo(x + 3 * Math.sin(3 * x), 12);
  await page.evaluate(() => window.steplab.step(5));
  expect((await readState(page)).panels.every((p) => p.n === 5)).toBe(true);
  await expect.poll(() => new URL(page.url()).searchParams.get('loss')).toBe('expr:x^2/2-cos(3*x)');
});

// A reader who picks "Your own" types straight away: the field has the focus, the example is selected so
// typing replaces it, and what they type stays exactly as typed (spaces included) while the curve follows.
test('choosing "Your own" and typing at once keeps every character typed', async ({ page }) => {
  await paused(page);
  await page.locator('#loss').selectOption('custom');
  await expect(page.locator('#expr')).toBeFocused();
  await page.keyboard.type('x^2 + 2*x + 1', { delay: 30 });
  await expect(page.locator('#expr')).toHaveValue('x^2 + 2*x + 1');
  await expect.poll(async () => (await readState(page)).loss).toBe('expr:x^2+2*x+1');
  // Still the reader's text a few frames later, and after the field loses the focus.
  await page.waitForTimeout(200);
  await expect(page.locator('#expr')).toHaveValue('x^2 + 2*x + 1');
  await page.locator('h1').click();
  await page.waitForTimeout(200);
  await expect(page.locator('#expr')).toHaveValue('x^2 + 2*x + 1');
});

test('a bad expression shows where it is wrong and keeps the last good curve', async ({ page }) => {
  await paused(page);
  const field = page.locator('#expr');
  await field.fill('x^4 - 3*x^2 + x');
  const good = (await readState(page)).loss;
  await field.fill('sin(x))');
  await expect(page.locator('#expr-status')).toContainText("unexpected ')' at column 7");
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  expect((await readState(page)).loss).toBe(good);
  await field.fill('2x');
  await expect(page.locator('#expr-status')).toContainText('write 2*x');
  await field.fill('(((((((((((((((((((((((((((((((((((x)))))))))))))))))))))))))))))))))))');
  await expect(page.locator('#expr-status')).toContainText('nesting');
  expect((await readState(page)).loss).toBe(good);
});

test('an expression in y makes a surface, and a typed function travels in a link', async ({ page }) => {
  await paused(page);
  await page.locator('#expr').fill('(x-1)^2 + 3*y^2');
  let state = await readState(page);
  expect(state.dim).toBe(2);
  expect(state.loss).toBe('expr:(x-1)^2+3*y^2');
  await page.locator('#expr').press('Enter');
  const link = page.url();
  await openStepLab(page, link);
  state = await readState(page);
  expect(state.loss).toBe('expr:(x-1)^2+3*y^2');
  await expect(page.locator('#expr')).toHaveValue('(x-1)^2+3*y^2');
  await expect(page.locator('#loss')).toHaveValue('custom');
});

test('where a typed function is not defined, a run that steps there diverges with a reason', async ({ page }) => {
  await paused(page, '/?loss=expr:log(x)&x0=0.5&a=sgd:lr=1');
  await page.evaluate(() => window.steplab.step(3));
  const panel = (await readState(page)).panels[0];
  expect(panel.status.kind).toBe('diverged');
  expect(panel.status.text).toBe('diverged at step 1: the loss is not defined at x = -1.5');
  expect(panel.x).toEqual([0.5]);
  await expect(page.locator('#notices')).toBeHidden();
});

test('a hand-edited link with a broken expression opens the default loss with a notice', async ({ page }) => {
  await openStepLab(page, '/?loss=expr:sin(x))&a=sgd:lr=0.3');
  await expect(page.locator('#notices')).toBeVisible();
  await expect(page.locator('#notice-list')).toContainText("unexpected ')' at column 7");
  const state = await readState(page);
  expect(state.loss).toBe('smooth-abs');
  expect(state.panels[0].hyper.lr).toBe(0.3);
});

test("a typed curve's window can be zoomed (Ctrl+wheel, keys) and travels in the link", async ({ page }) => {
  await paused(page, '/?loss=expr:x^4-3*x^2&x0=2');
  const before = (await readState(page)).view;
  expect(before.x).toEqual([-5, 5]);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -200);
  expect((await readState(page)).view, 'a plain wheel scrolls the page, not the curve').toEqual(before);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -200);
  await page.keyboard.up('Control');
  const zoomed = (await readState(page)).view;
  expect(zoomed.x[1] - zoomed.x[0]).toBeLessThan(10);
  await expect.poll(() => new URL(page.url()).searchParams.get('view')).not.toBeNull();
  const shared = page.url();
  await openStepLab(page, shared);
  expect((await readState(page)).view).toEqual(zoomed);
  await page.getByRole('button', { name: 'Reset view' }).click();
  expect((await readState(page)).view).toEqual(before);
});
