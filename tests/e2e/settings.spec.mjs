// A panel's settings as a reader uses them: the learning-rate field shows the value in use and says why,
// steps on the log scale, keeps the rate across optimizers, titles follow what the panel runs unless
// someone chose them, and every label reads as words.
import { expect, openStepLab, readState, test } from './fixtures.mjs';

async function settingsOf(page, panel) {
  const root = page.locator(`[data-panel="${panel}"]`);
  await root.getByText('Optimizer and settings').click();
  return root;
}

test('the learning-rate field shows the value in use and explains a clamp next to itself', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const panel = await settingsOf(page, 0);
  const field = panel.getByLabel('learning rate', { exact: true });
  const note = panel.locator('.setting-note');
  await field.fill('0');
  await expect(note).toHaveText('lr lies in [0.000001, 100]: 0.000001 is in use.');
  expect((await readState(page)).panels[0].hyper.lr).toBe(1e-6);
  await field.press('Enter');
  await expect(field).toHaveValue('0.000001');
  await field.fill('500');
  await field.press('Tab');
  await expect(field).toHaveValue('100');
  await expect(note).toHaveText('lr lies in [0.000001, 100]: 100 is in use.');
  // An empty field, once left, shows the rate still in use again.
  await field.fill('');
  await field.press('Tab');
  await expect(field).toHaveValue('100');
  await expect(note).toHaveText('lr is not a number: 100 is still in use.');
  await field.fill('0.5');
  await field.press('Enter');
  await expect(note).toBeHidden();
});

test('arrow keys step a learning rate on the log scale, as the slider does', async ({ page }) => {
  await openStepLab(page, '/?t=0&a=sgd:lr=0.05');
  const panel = await settingsOf(page, 0);
  const field = panel.getByLabel('learning rate', { exact: true });
  await field.focus();
  await page.keyboard.press('ArrowUp');
  await expect(field).toHaveValue('0.063');
  await page.keyboard.press('ArrowUp');
  await expect(field).toHaveValue('0.079');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(field).toHaveValue('0.0079');
  expect((await readState(page)).panels[0].hyper.lr).toBe(0.0079);
});

test('switching optimizer keeps the learning rate, except for Adadelta, which says why', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const panel = await settingsOf(page, 0);
  const menu = panel.getByLabel('Optimizer');
  await menu.selectOption('adam');
  await expect.poll(async () => (await readState(page)).panels[0].hyper.lr).toBe(2.5);
  await menu.selectOption('adadelta');
  await expect.poll(async () => (await readState(page)).panels[0].hyper.lr).toBe(1);
  await expect(panel.locator('.controls .note')).toContainText('its lr only multiplies them');
  await menu.selectOption('sgd');
  await expect.poll(async () => (await readState(page)).panels[0].hyper.lr).toBe(2.5);
});

test('settings read as words, with the link name as a hint, and open with a visible marker', async ({ page }) => {
  await openStepLab(page, '/?t=0&c=adagrad:lr=1.5,eps=0');
  const summary = page.locator('[data-panel="2"] .settings summary');
  const marker = await summary.evaluate((s) => getComputedStyle(s, '::before').content);
  expect(marker).toBe('"▸"');
  const panel = await settingsOf(page, 2);
  await expect(panel.locator('.controls')).toContainText('ε inside the root eps_in_sqrt');
  await expect(panel.locator('.controls')).toContainText('initial sum Σg² acc0');
  await expect(panel.locator('.controls')).toContainText('lr decay lr_decay');
});

test('a title that described the panel gives way to the optimizer and rate; a chosen one stays', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const panel = await settingsOf(page, 0);
  await panel.getByLabel('learning rate', { exact: true }).fill('0.5');
  await expect(panel.locator('.title')).toHaveText('Gradient descent, lr 0.5');
  // After a new loss, the preset's own titles go neutral too.
  await openStepLab(page, '/?preset=ellipse');
  await page.locator('#loss').selectOption('himmelblau');
  await expect(page.locator('.panel .title').first()).toHaveText('Gradient descent, lr 0.4');
  // A title set by the link stays through every change.
  await openStepLab(page, '/?ta=Mine&t=0');
  await page.locator('#loss').selectOption('quartic');
  await expect(page.locator('.panel .title').first()).toHaveText('Mine');
  // A teacher types a title: it shows, goes into the link, and stays.
  const second = await settingsOf(page, 1);
  await second.locator('.title-field').fill('Slow but sure');
  await expect(second.locator('.title')).toHaveText('Slow but sure');
  await expect.poll(() => new URL(page.url()).searchParams.get('tb')).toBe('Slow but sure');
  await second.getByLabel('learning rate', { exact: true }).fill('0.2');
  await expect(second.locator('.title')).toHaveText('Slow but sure');
});

test('typed functions: ** is a power, x1 and x2 name the coordinates, errors count columns from 1', async ({ page }) => {
  await openStepLab(page, '/?t=0');
  const field = page.locator('#expr');
  await field.fill('x**2 + 1');
  await expect.poll(async () => (await readState(page)).loss).toBe('expr:x^2+1');
  await field.fill('x1^2 + 3*x2^2');
  await expect.poll(async () => (await readState(page)).dim).toBe(2);
  await field.fill('x + z');
  await expect(page.locator('#expr-status')).toContainText("unknown name 'z' at column 5");
});
