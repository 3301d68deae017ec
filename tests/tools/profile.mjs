// Samples the main thread while the page plays (CDP Profiler) and prints where the time goes, by
// self time per function. Not a test; run: node tools/profile.mjs <dist> [query] [seconds]
// For Rust names in the table, give it a dist whose wasm kept its names (wasm-opt -g).
import { chromium } from '@playwright/test';
import { listen, staticServer } from '../serve.mjs';

const [dist, query = '?preset=seed&speed=60', seconds = '6'] = process.argv.slice(2);
const server = staticServer({ root: dist });
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(base + query);
await page.waitForFunction(() => window.steplab?.stats);
await page.waitForTimeout(1500);
const client = await page.context().newCDPSession(page);
await client.send('Profiler.enable');
await client.send('Profiler.setSamplingInterval', { interval: 100 });
await client.send('Profiler.start');
await page.waitForTimeout(Number(seconds) * 1000);
const { profile } = await client.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
let total = 0;
for (const [id, n] of counts) {
  const node = byId.get(id);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').pop()}`;
  self.set(name, (self.get(name) ?? 0) + n);
  total += n;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [name, n] of rows) console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${name.slice(0, 110)}`);
console.log('stats', JSON.stringify(await page.evaluate(() => window.steplab.stats())));
await browser.close();
server.close();
