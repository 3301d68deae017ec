// Faults are shown, not fatal; and the page keeps to itself: no request beyond its own files, no cookies,
// no storage.
import { expect, openStepLab, readState, test } from './fixtures.mjs';

test.describe('a Rust panic', () => {
  test.use({ allowedConsoleErrors: /a test asked Step Lab to fail|unreachable|RuntimeError/i });
  // The hook that panics on purpose exists only when the harness asks for it before the page loads.
  test.beforeEach(({ page }) => page.addInitScript(() => { window.steplabTestHooks = true; }));

  test('shows a banner with the message and a link that reloads the scenario', async ({ page }) => {
    await openStepLab(page, '/?preset=bounce&t=5');
    await expect(page.locator('#fault')).toBeHidden();
    await page.evaluate(() => {
      try {
        window.steplab._panicForTest();
      } catch {
        // The panic surfaces in JS as a trap; the banner is what the reader sees.
      }
    });
    await expect(page.locator('#fault')).toBeVisible();
    await expect(page.locator('#fault-message')).toContainText('a test asked Step Lab to fail');
    const reload = page.locator('#fault-reload');
    // The address bar always holds the current scenario; the link reloads exactly that.
    expect(await reload.getAttribute('href')).toBe(page.url());
    await reload.click();
    await page.waitForFunction(() => typeof window.steplab?.state === 'function');
    expect((await readState(page)).loss).toBe('quadratic');
    await expect(page.locator('#fault')).toBeHidden();
  });
});

test.describe('a page whose WebAssembly cannot load', () => {
  test.use({ allowedConsoleErrors: /wasm|WebAssembly|Failed to fetch|ERR_FAILED|TypeError/i });

  test('says so in plain words instead of staying blank', async ({ page }) => {
    await page.route('**/*.wasm', (route) => route.abort());
    await page.goto('/');
    const message = page.locator('#boot-failed');
    await expect(message).toHaveCSS('opacity', '1', { timeout: 8000 });
    await expect(message).toContainText('needs a browser with WebAssembly');
  });
});

test('the page users get has no test hooks', async ({ page }) => {
  await openStepLab(page);
  const hooks = await page.evaluate(() => Object.keys(window.steplab).filter((name) => name.startsWith('_')));
  expect(hooks).toEqual([]);
  expect(await page.evaluate(() => Object.keys(window.steplab).sort())).toEqual(
    ['load', 'pause', 'play', 'reset', 'setSpeed', 'setStart', 'state', 'stats', 'step'],
  );
});

test('the boot message goes away when the app starts', async ({ page }) => {
  await openStepLab(page);
  await expect(page.locator('#boot-failed')).toHaveCount(0);
});

test('the page asks for nothing beyond its own files, sets no cookies and stores nothing', async ({ page, baseURL }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await openStepLab(page, '/?preset=ellipse');
  // Use it the way a student would: play, drag, type, share, export.
  await page.waitForTimeout(500);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await page.locator('#expr').fill('x^2 + 3*y^2');
  await page.getByRole('button', { name: 'Share' }).click();
  await page.keyboard.press('Escape');
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="json"]').click()]);
  await download.path();
  await page.waitForTimeout(500);
  const origin = new URL(baseURL).origin;
  const foreign = requests.filter((url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:'));
  expect(foreign).toEqual([]);
  expect(await page.context().cookies()).toEqual([]);
  expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
});

test('no NaN or infinity reaches a drawing call, whatever the runs do', async ({ page }) => {
  // Six scenarios, each loaded, played, dragged and zoomed: more than the default 30 s on a busy machine.
  test.setTimeout(120_000);
  const scenarios = [
    '/?loss=quartic&x0=2&a=sgd:lr=100&b=adam:lr=100&c=momentum:lr=100,beta=0.9999',
    '/?loss=expr:1/x&x0=0.3&a=sgd:lr=1&b=adagrad:lr=5,eps=0&c=rmsprop:lr=10',
    '/?loss=expr:log(x)&x0=0.5&a=sgd:lr=1',
    '/?loss=expr:exp(x*y)&x0=3,3&a=sgd:lr=1',
    '/?loss=saddle&x0=0,0.000001&a=sgd:lr=100&b=adagrad:lr=100,eps=0&c=adam:lr=100',
    '/?loss=rosenbrock&scale=1000&a=sgd:lr=100',
  ];
  for (const path of scenarios) {
    await openStepLab(page, path);
    await page.evaluate(() => window.steplab.setSpeed(60));
    await page.evaluate(() => window.steplab.step(300));
    await page.evaluate(() => window.steplab.step(-150));
    // Drag the start to the window's far corner, then zoom a long way out and in.
    const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
    await page.mouse.click(box.x + 2, box.y + 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    for (let i = 0; i < 12; i++) await page.mouse.wheel(0, 400);
    for (let i = 0; i < 24; i++) await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await page.evaluate(() => window.steplab.play());
    await page.waitForTimeout(300);
    const stats = await page.evaluate(() => window.steplab.stats());
    expect(stats.non_finite_draws, path).toBe(0);
    const state = await readState(page);
    for (const panel of state.panels) {
      // A number, or null where it is not defined (a start moved to where log(x) has no value): never NaN
      // or an infinity.
      expect(panel.x.every(Number.isFinite), `${path}: ${panel.id}`).toBe(true);
      for (const v of [panel.loss, ...panel.gradient, ...panel.effective_lr, ...panel.step]) {
        expect(v === null || Number.isFinite(v), `${path}: ${panel.id}: ${v}`).toBe(true);
      }
    }
  }
});
