// What each part of the static page costs before the first paint, and what the wait for that paint costs
// the app: cold loads of the built page and of pages cut down from it, each against a blank page (one
// line of text) in the same rounds. A diagnostic for issue 16's localhost targets, not a test (timings
// are noisy); docs/PERFORMANCE.md has its figures. Run: node tools/floor.mjs [dist] [rounds]
//
// The variants are made from the dist's own files in a temporary folder:
//   page           the built page as it is
//   wasm at once   the boot script asks for the glue and the wasm at once instead of after the pictures' paint
//   panels         the HTML cut after the three panels (and first.js); no boot script, so no app
//   panels, no scripts  the same without early.js and first.js; the default pictures set in the markup
//   panels, plain  the same without the stylesheet either
//   panels, bare   the same without form controls, canvases and pictures
//   stylesheet     the head's stylesheet and one line of text
//   text           the whole body's text in one paragraph, no stylesheet
import { chromium } from '@playwright/test';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDist, listen, staticServer } from '../serve.mjs';

const dist = process.argv[2] ?? process.env.STEPLAB_DIST ?? defaultDist;
const rounds = Number(process.argv[3] ?? 10);
const root = mkdtempSync(join(tmpdir(), 'steplab-floor-'));
const html = readFileSync(join(dist, 'index.html'), 'utf8');

/** A copy of the dist whose index.html is `page` (and whose files `edit` may change). */
function variant(name, page, edit = () => true) {
  const dir = join(root, name.replace(/\W+/g, '-'));
  cpSync(dist, dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), page);
  return edit(dir) ? dir : null;
}

const head = html.slice(0, html.indexOf('</head>'));
const noScripts = (text) => text.replace(/<script(?! type="application\/json")[^>]*>[\s\S]*?<\/script>/g, '');
const firstScript = html.search(/<script src="[^"]*first-[^"]*"/);
const panels = `${html.slice(0, html.indexOf('</script>', firstScript) + 9)}</section></main></body></html>`;
const panelsNoApp = panels.replace(/<script type="module"[^>]*>[\s\S]*?<\/script>/g, '');
const scriptless = noScripts(panelsNoApp).replaceAll(' data-src="', ' src="');
const plain = scriptless.replace(/<link rel="stylesheet"[^>]*>/g, '');
const bare = plain
  .replace(/<select[\s\S]*?<\/select>/g, '')
  .replace(/<input[^>]*>/g, '')
  .replace(/<canvas[\s\S]*?<\/canvas>/g, '')
  .replace(/<img[^>]*>/g, '');
const body = noScripts(html.slice(html.indexOf('<body')));
const text = body.replace(/<[^>]+>/g, ' ').split(/\s+/).join(' ');

const variants = [
  ['page', variant('page', html)],
  [
    'wasm at once',
    variant('wasm at once', html, (dir) => {
      // The boot script waits in one `await new Promise(…)` started by the visibility test, then fetches.
      const boot = readdirSync(dir).find((f) => /^boot-.*\.js$/.test(f));
      const source = readFileSync(join(dir, boot), 'utf8');
      const from = source.indexOf('document.visibilityState');
      const to = source.indexOf('fetch(', from);
      const statement = source.lastIndexOf('const ', to);
      if (from < 0 || to < 0 || statement < from) return false;
      writeFileSync(join(dir, boot), `${source.slice(0, from)}0;${source.slice(statement)}`);
      return true;
    }),
  ],
  ['panels', variant('panels', panelsNoApp)],
  ['panels, no scripts', variant('panels, no scripts', scriptless)],
  ['panels, plain', variant('panels, plain', plain)],
  ['panels, bare', variant('panels, bare', bare)],
  ['stylesheet', variant('stylesheet', `${noScripts(head)}</head><body><p>A blank page.</p></body></html>`)],
  ['text', variant('text', `<!doctype html><meta charset="utf-8"><title>text</title><p>${text}</p>`)],
].filter(([name, dir]) => dir || console.log(`${name}: the boot script has changed shape; skipped`));
const blank = join(root, 'blank');
mkdirSync(blank);
writeFileSync(join(blank, 'index.html'), '<!doctype html><meta charset="utf-8"><title>blank</title><p>A blank page.</p>');
variants.unshift(['blank', blank]);

const servers = [];
for (const entry of variants) {
  const server = staticServer({ root: entry[1] });
  servers.push(server);
  entry.push(await listen(server, 0));
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

/** One cold load: first contentful paint, the last first picture's paint, the app's first frame. */
async function load(base, app) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.floorPictures = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.identifier === 'first-picture') window.floorPictures.push(e);
    }).observe({ type: 'element', buffered: true });
  });
  await page.goto(base);
  const done = app
    ? () => performance.getEntriesByName('steplab:first-frame').length
    : () => performance.getEntriesByName('first-contentful-paint').length;
  await page.waitForFunction(done, null, { timeout: 30_000 });
  // Pictures may paint a frame after the first contentful paint.
  await page.waitForTimeout(100);
  const times = await page.evaluate(() => ({
    painted: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    picture: window.floorPictures.length === 3
      ? Math.max(...window.floorPictures.map((e) => e.renderTime || e.loadTime))
      : NaN,
    ready: performance.getEntriesByName('steplab:first-frame')[0]?.startTime ?? NaN,
  }));
  await context.close();
  return times;
}

const runs = new Map(variants.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, , base] of variants) runs.get(name).push(await load(base, name === 'page' || name === 'wasm at once'));
}
await browser.close();
for (const server of servers) server.close();
rmSync(root, { recursive: true, force: true });

const median = (xs) => {
  const known = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)] : NaN;
};
const yardstick = median(runs.get('blank').map((t) => t.painted));
const cell = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} ms (${(x / yardstick).toFixed(2)}×)`);
console.log(`medians of ${rounds} cold loads each, localhost, 1280×800; ratios to the blank page's first paint`);
console.log('| variant | first contentful paint | first picture | app ready |');
console.log('|---|---:|---:|---:|');
for (const [name, times] of runs) {
  const m = (key) => median(times.map((t) => t[key]));
  console.log(`| ${name} | ${cell(m('painted'))} | ${cell(m('picture'))} | ${cell(m('ready'))} |`);
}
