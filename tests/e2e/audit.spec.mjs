// What the outside auditors a reader may run would say: axe-core finds no accessibility violations, and
// nothing on the page moves when the wasm brings it to life (cumulative layout shift).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { expect, openStepLab, test } from './fixtures.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const wide = { width: 1280, height: 800 };
const phone = { width: 360, height: 640 };

for (const [name, path, viewport, colorScheme] of [
  ['the default page, wide, light', '/', wide, 'light'],
  ['the default page, wide, dark', '/', wide, 'dark'],
  ['the default page, phone, light', '/', phone, 'light'],
  ['the default page, phone, dark', '/', phone, 'dark'],
  ['a 2-D preset, light', '/?preset=ellipse', wide, 'light'],
  ['a 2-D preset on a phone, dark', '/?preset=rosenbrock', phone, 'dark'],
  ['embed mode', '/?preset=seed&embed=1', { width: 760, height: 800 }, 'light'],
  ['embed mode on a phone, dark', '/?preset=seed&embed=1', phone, 'dark'],
  // Every colour a status takes: bouncing, converged, diverging and undefined.
  ['statuses in colour, light', '/?loss=quadratic&a=sgd:lr=1&b=sgd:lr=1.2&c=sgd:lr=0.3&t=30', wide, 'light'],
  ['statuses in colour, dark', '/?loss=quadratic&a=sgd:lr=1&b=sgd:lr=1.2&c=sgd:lr=0.3&t=30', wide, 'dark'],
  ['an undefined start, dark', '/?loss=expr:sqrt(x)&x0=-1&t=3', phone, 'dark'],
  ['the sparse lab, light', '/?preset=sparse&t=200', wide, 'light'],
  ['the sparse lab on a phone, dark', '/?preset=rare-words&t=200', phone, 'dark'],
]) {
  test(`axe-core finds no violations: ${name}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, colorScheme, hasTouch: viewport === phone });
    const page = await context.newPage();
    await openStepLab(page, path);
    await page.evaluate(() => window.steplab.pause());
    // The phone's disclosures open too, so that what they show is audited.
    if (viewport === phone) {
      await page.evaluate(() => {
        for (const panel of document.querySelectorAll('.panel')) panel.classList.add('open');
      });
    }
    await page.evaluate(axeSource);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(found).toEqual([]);
    await context.close();
  });
}

// The third column: whether the static page shows the link's first picture (www/first.js) before the wasm
// replaces it with the live plots.
for (const [name, path, pictured, viewport] of [
  ['the default link', '/', true, wide],
  ['a 2-D link', '/?preset=ellipse', true, wide],
  ['the default link on a phone', '/', true, phone],
  ['a 2-D link on a phone', '/?preset=himmelblau', true, phone],
  ['an embed', '/?preset=seed&embed=1', true, { width: 760, height: 800 }],
  ['a link without a picture', '/?preset=bounce&x0=2', false, wide],
  ['the sparse lab', '/?preset=sparse', false, wide],
  ['the sparse lab on a phone', '/?lab=sparse', false, phone],
]) {
  test(`nothing moves as the page comes alive: ${name}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    // The static page paints first, as on a slow connection: the wasm arrives a little later.
    await page.route('**/*.wasm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue();
    });
    await openStepLab(page, path);
    // After the first frames and a few steps of the runs (statuses change, the step counter grows).
    await page.waitForFunction(() => window.steplab.state().step >= 6, null, { timeout: 15_000 });
    const shifts = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const list = [];
          new PerformanceObserver((entries) => {
            for (const entry of entries.getEntries()) {
              if (!entry.hadRecentInput) {
                list.push({
                  value: entry.value,
                  sources: entry.sources.map((s) => {
                    const node = s.node?.nodeType === 1 ? s.node : s.node?.parentElement;
                    return node ? `${node.nodeName}#${node.id}.${node.className}` : '?';
                  }),
                });
              }
            }
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(list), 300);
        }),
    );
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    expect(total, JSON.stringify(shifts)).toBeLessThanOrEqual(0.02);
    // The page did paint before the wasm came (or the test measured nothing).
    const painted = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Infinity);
    const frame = await page.evaluate(() => performance.getEntriesByName('steplab:first-frame')[0]?.startTime ?? 0);
    expect(painted).toBeLessThan(frame);
    // The pictures were painted before the live plots, and are gone now.
    const pictures = await page.evaluate(
      () =>
        new Promise((resolve) => {
          new PerformanceObserver((list) => {
            resolve(list.getEntries().filter((e) => e.identifier === 'first-picture').map((e) => e.renderTime));
          }).observe({ type: 'element', buffered: true });
          setTimeout(() => resolve([]), 300);
        }),
    );
    expect(pictures.length).toBe(pictured ? 3 : 0);
    for (const time of pictures) expect(time).toBeLessThan(frame);
    expect(await page.locator('.first-picture').count()).toBe(0);
    await context.close();
  });
}
