// A short soak in every run (the long one is `node tests/soak.mjs 100000`): playing at full speed and
// dragging again and again must not grow wasm memory, DOM nodes or event listeners, nor the JS heap
// beyond noise.
import { soak } from '../soak.mjs';
import { expect, test } from './fixtures.mjs';

test('playing and dragging for 1,500 frames leaves memory, nodes and listeners flat', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const client = await page.context().newCDPSession(page);
  const { before, after, frames, drags } = await soak(page, client, baseURL, 1500);
  console.log(`soak: ${frames} frames, ${drags} drags`, JSON.stringify({ before, after }));
  expect(frames).toBeGreaterThanOrEqual(1500);
  expect(before.wasm).toBeGreaterThan(0);
  expect(after.wasm, 'wasm memory did not grow').toBe(before.wasm);
  expect(after.attached, 'nodes in the document').toBe(before.attached);
  expect(after.nodes, 'DOM nodes, detached ones included').toBe(before.nodes);
  expect(after.listeners, 'event listeners').toBe(before.listeners);
  expect(after.heap, 'JS heap after GC').toBeLessThan(before.heap * 1.25 + 2e6);
});
