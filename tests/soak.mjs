// The soak: plays at full speed and drags the start again and again for FRAMES animation frames, then
// reports whether wasm memory, the JS heap after garbage collection, DOM nodes and event listeners stayed
// flat. `node soak.mjs 100000` is the long run (about half an hour at 60 Hz); the Playwright suite runs a
// short one through `soak()`.
import { chromium } from '@playwright/test';
import { defaultDist, listen, staticServer } from './serve.mjs';

/** Counters of a page: wasm linear memory, JS heap after GC, nodes in the document, all DOM nodes (detached ones included) and event listeners. */
async function counters(page, client) {
  // Measure in one fixed state: readouts hold a few more nodes for negative numbers (parentheses), so
  // only the same state gives comparable counts. On a busy machine a fixed wait is not enough for the
  // page to draw that state, so wait for two frames drawn after the load, then collect garbage until two
  // readings agree (Blink frees detached nodes lazily).
  await page.evaluate(() => window.steplab.load('preset=seed&t=0'));
  await page.waitForFunction(() => {
    const s = window.steplab.state();
    return s.step === 0 && !s.playing;
  });
  const drawn = await page.evaluate(() => window.steplab.stats().frames_total);
  await page.waitForFunction((n) => window.steplab.stats().frames_total >= n + 2, drawn);
  const read = async () => {
    // A full collection of both heaps (V8's and Blink's); window.gc() alone may leave detached nodes.
    await client.send('HeapProfiler.collectGarbage');
    const { nodes, jsEventListeners } = await client.send('Memory.getDOMCounters');
    const memory = await page.evaluate(() => ({
      wasm: window.__steplabMemory?.buffer.byteLength ?? -1,
      heap: performance.memory?.usedJSHeapSize ?? -1,
      attached: (() => {
        let n = 0;
        const walk = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
        while (walk.nextNode()) n++;
        return n;
      })(),
    }));
    return { ...memory, nodes, listeners: jsEventListeners };
  };
  let last = await read();
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(100);
    const next = await read();
    if (next.nodes === last.nodes && next.listeners === last.listeners) return next;
    last = next;
  }
  return last;
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
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
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
