// Measures, in headless Chromium, what the page reports through window.steplab.stats(): main-thread time
// per frame while playing at full speed, and the heatmap recompute time at the panels' real size.
// Not a test (timings are noisy); run: node tools/measure.mjs [seconds]
import { chromium } from '@playwright/test';
import { defaultDist, listen, staticServer } from '../serve.mjs';

const seconds = Number(process.argv[2] ?? 10);
const server = staticServer({ root: process.env.STEPLAB_DIST ?? defaultDist });
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const [name, query] of (process.env.QUERIES ? JSON.parse(process.env.QUERIES) : [['1-D seed', '?preset=seed&speed=60'], ['2-D ellipse', '?preset=ellipse&speed=60']])) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => { window.steplabTestHooks = true; });
  await page.goto(base + query);
  await page.waitForFunction(() => window.steplab?.stats);
  await page.evaluate(() => window.steplab.reset());
  await page.waitForTimeout(1000);
  await page.evaluate(() => window.steplab._clearStats());
  await page.waitForTimeout(seconds * 1000);
  const stats = await page.evaluate(() => window.steplab.stats());
  console.log(`${name}, playing at 60 steps/s for ${seconds} s: ${stats.frames} frames, ` +
    `median ${stats.frame_median_ms.toFixed(3)} ms, p95 ${stats.frame_p95_ms.toFixed(3)} ms, max ${stats.frame_max_ms.toFixed(3)} ms`);
  if (name.startsWith('2-D') && !query.includes('overlay=1')) {
    const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
    const times = [];
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, i % 2 ? 120 : -120);
      await page.waitForTimeout(60);
      times.push((await page.evaluate(() => window.steplab.stats())).heatmap_ms);
    }
    console.log(`heatmap recompute at ${Math.round(box.width - 16)}×${Math.round(box.height - 20)} CSS px: ` +
      `median ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms over ${times.length}`);
  }
  await page.close();
}
await browser.close();
server.close();
