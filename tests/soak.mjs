// The soak: plays at full speed and drags the start again and again for FRAMES animation frames, then
// reports whether wasm memory, the JS heap after garbage collection, DOM nodes and event listeners stayed
// flat. `node soak.mjs 100000` is the long run (about half an hour at 60 Hz); the Playwright suite runs a
// short one through `soak()`.
import { chromium } from '@playwright/test';
import { defaultDist, listen, staticServer } from './serve.mjs';

/** Counters of a page: wasm linear memory, JS heap after GC, DOM nodes and event listeners. */
async function counters(page, client) {
  // Measure in one fixed state: readouts hold a few more nodes for negative numbers (parentheses), so
  // only the same state gives comparable counts.
  await page.evaluate(() => window.steplab.load('preset=seed&t=0'));
  await page.waitForTimeout(200);
  await page.evaluate(() => window.gc?.());
  const { nodes, jsEventListeners } = await client.send('Memory.getDOMCounters');
  const memory = await page.evaluate(() => ({
    wasm: window.__steplabMemory?.buffer.byteLength ?? -1,
    heap: performance.memory?.usedJSHeapSize ?? -1,
  }));
  return { ...memory, nodes, listeners: jsEventListeners };
}

/** Runs the soak in `page` for `frames` frames and returns the counters before (after warm-up) and after. */
export async function soak(page, client, base, frames, log = () => {}) {
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => {
      window.__steplabMemory = e.detail.wasm.memory;
    });
  });
  await page.goto(`${base}?preset=seed&speed=60`);
  await page.waitForFunction(() => typeof window.steplab?.state === 'function');
  const box = await page.locator('[data-panel="0"] canvas').boundingBox();
  const drag = async (i) => {
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * (0.2 + 0.6 * ((i * 37) % 100) / 100), y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
    await page.mouse.up();
  };
  const frameCount = () => page.evaluate(() => window.steplab.stats().frames_total);
  // Warm up: every code path once, so that one-time allocations are behind us.
  await drag(0);
  await page.evaluate(() => window.steplab.play());
  await page.waitForTimeout(1500);
  const before = await counters(page, client);
  const start = await frameCount();
  let round = 0;
  while ((await frameCount()) - start < frames) {
    await drag(++round);
    await page.evaluate(() => window.steplab.play());
    await page.waitForTimeout(400);
    if (round % 200 === 0) log(`${(await frameCount()) - start} frames`);
  }
  const after = await counters(page, client);
  return { before, after, frames: (await frameCount()) - start, drags: round };
}

async function main() {
  const frames = Number(process.argv[2] ?? 100000);
  const server = staticServer({ root: process.env.STEPLAB_DIST ?? defaultDist });
  const base = await listen(server, 0);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
  const page = await browser.newPage();
  const client = await page.context().newCDPSession(page);
  const result = await soak(page, client, base, frames, (line) => console.log(line));
  console.log(JSON.stringify(result, null, 2));
  await browser.close();
  server.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
