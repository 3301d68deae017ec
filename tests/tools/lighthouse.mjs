// Lighthouse (mobile: simulated slow 4G and a 4× slower CPU) on the built page, as a tool: prints
// performance, accessibility, cumulative layout shift, largest contentful paint, total blocking time and
// the passive-listener audit for each link. Not a test: its timings are noisy.
//   node tools/lighthouse.mjs [dist] [query …]   (default dist: ../target/e2e-dist; default queries: the
//   default link and ?preset=ellipse)
// Needs npm's lighthouse, pinned at 12.2.3 for Node 20: `npm i --no-save -E lighthouse@12.2.3` in tests/
// (or set STEPLAB_LIGHTHOUSE to a folder holding node_modules/lighthouse).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultDist, listen, staticServer } from '../serve.mjs';

const where = process.env.STEPLAB_LIGHTHOUSE ? resolve(process.env.STEPLAB_LIGHTHOUSE, 'package.json') : import.meta.url;
const require = createRequire(where);
const lighthouse = (await import(pathToFileURL(require.resolve('lighthouse')).href)).default;
const chromeLauncher = await import(pathToFileURL(require.resolve('chrome-launcher')).href);

const [dist = defaultDist, ...queries] = process.argv.slice(2);
const links = queries.length ? queries : ['', '?preset=ellipse'];
const server = staticServer({ root: resolve(dist) });
const base = await listen(server, 0);
const chrome = await chromeLauncher.launch({
  chromePath: '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const results = [];
try {
  for (const query of links) {
    const { lhr } = await lighthouse(base + query, { port: chrome.port, output: 'json', logLevel: 'error' });
    const audit = (id) => lhr.audits[id];
    const row = {
      link: query || '(default)',
      performance: Math.round(lhr.categories.performance.score * 100),
      accessibility: Math.round(lhr.categories.accessibility.score * 100),
      cls: audit('cumulative-layout-shift').numericValue,
      lcp_ms: Math.round(audit('largest-contentful-paint').numericValue),
      tbt_ms: Math.round(audit('total-blocking-time').numericValue),
      tti_ms: Math.round(audit('interactive').numericValue),
      passive_listeners:
        audit('uses-passive-event-listeners').score === 1
          ? 'ok'
          : (audit('uses-passive-event-listeners').details?.items ?? []).map((item) => JSON.stringify(item)),
      failed_accessibility: lhr.categories.accessibility.auditRefs
        .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score === 0)
        .map((ref) => ref.id),
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  await chrome.kill();
  server.close();
}
