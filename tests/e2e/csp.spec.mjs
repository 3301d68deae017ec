// The built page works under the strict Content-Security-Policy a course site may serve it with:
// no inline script or style, no eval, nothing from elsewhere.
import { defaultDist, listen, staticServer } from '../serve.mjs';
import { expect, openStepLab, readState, test } from './fixtures.mjs';

const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; frame-ancestors *";

test('the page runs under a strict Content-Security-Policy without a single violation', async ({ page }) => {
  const server = staticServer({
    root: process.env.STEPLAB_DIST ?? defaultDist,
    headers: { 'Content-Security-Policy': POLICY },
  });
  const base = await listen(server, 0);
  try {
    await page.addInitScript(() => {
      window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.violations.push(`${e.violatedDirective}: ${e.blockedURI}`),
      );
    });
    const response = await page.goto(`${base}?preset=ellipse`);
    expect(response.headers()['content-security-policy']).toBe(POLICY);
    await openStepLab(page, `${base}?preset=ellipse`);
    // Exercise what builds markup, draws, writes the address bar and opens dialogs.
    await page.evaluate(() => window.steplab.step(10));
    await page.locator('#expr').fill('x^2 + 3*y^2');
    await page.getByRole('button', { name: 'Embed' }).click();
    await page.keyboard.press('Escape');
    await page.getByText('Presets', { exact: true }).click();
    await page.locator('#preset-menu a[data-preset="seed"]').click();
    await page.evaluate(() => window.steplab.play());
    await expect.poll(async () => (await readState(page)).step).toBeGreaterThan(2);
    await page.getByText('Export', { exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="png"]').click()]);
    await download.path();
    // The SVG comes from the export module, a second wasm imported on the first export: allowed too.
    await page.getByText('Export', { exact: true }).click();
    const [figure] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="svg"]').click()]);
    expect(figure.suggestedFilename()).toMatch(/\.svg$/);
    await figure.path();
    expect(await page.evaluate(() => window.violations)).toEqual([]);
    // The sparse lab's table: its bars get their widths (through the CSSOM, which the policy allows; a
    // style attribute in markup would be refused and leave every bar empty).
    await openStepLab(page, `${base}?preset=sparse&t=300`);
    const widths = await page.evaluate(() =>
      [...document.querySelectorAll('.panel[data-panel="2"] table.features .bar')].map((bar) => bar.style.width),
    );
    expect(widths.length).toBeGreaterThan(0);
    expect(widths.every((width) => /^[1-9][0-9]*%$/.test(width)), widths.join(' ')).toBe(true);
    await page.evaluate(() => window.steplab.step(5));
    expect(await page.evaluate(() => window.violations)).toEqual([]);
  } finally {
    server.close();
  }
});
