// Samples the main thread from navigation to the app's first frame (CDP Profiler, cold loads in fresh
// contexts) and prints where the time goes: self time per function, and inclusive time (a function and
// what it called). Not a test; run: node tools/startup-profile.mjs <dist> [query] [runs]
// For Rust names, give it a dist whose wasm kept its names (docs/PERFORMANCE.md, "Reproduce").
import { chromium } from '@playwright/test';
import { listen, staticServer } from '../serve.mjs';
const [dist, query = '', runs = '5'] = process.argv.slice(2);
const server = staticServer({ root: dist });
const base = await listen(server, 0);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const self = new Map(), incl = new Map(); let total = 0;
for (let r = 0; r < +runs; r++) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  // A page of the same origin first (a missing file: nothing of the app loads or is cached), so that the
  // profiler is attached before the navigation.
  await page.goto(`${base}no-such-file`);
  const client = await ctx.newCDPSession(page);
  await client.send('Profiler.enable');
  await client.send('Profiler.setSamplingInterval', { interval: 50 });
  await client.send('Profiler.start');
  await page.goto(base + query);
  await page.waitForFunction(() => performance.getEntriesByName('steplab:first-frame').length > 0);
  const { profile } = await client.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = profile.timeDeltas;
  profile.samples.forEach((id, i) => {
    const w = (dt[i + 1] ?? 50) / 1000; // µs → ms
    const node = byId.get(id);
    const name = `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}`;
    if (name.startsWith('(idle)') || name.startsWith('(program)')) return;
    self.set(name, (self.get(name) ?? 0) + w / +runs); total += w / +runs;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur); const nm = n.callFrame.functionName || '(anon)';
      if (seen.has(nm)) continue; seen.add(nm);
      incl.set(nm, (incl.get(nm) ?? 0) + w / +runs);
    }
  });
  await ctx.close();
}
console.log('total sampled ms per run', total.toFixed(1));
console.log('--- self'); for (const [n, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(ms.toFixed(2).padStart(7), n.slice(0, 120));
console.log('--- inclusive'); for (const [n, ms] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(ms.toFixed(2).padStart(7), n.slice(0, 120));
await browser.close(); server.close();
