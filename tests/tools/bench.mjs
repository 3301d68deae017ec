// The page half of `cargo xtask bench`: measures the built page in headless Chromium, reads the
// criterion results of the core, prints every figure against its budget and writes them into
// docs/PERFORMANCE.md between the `bench:begin` and `bench:end` markers (the prose around them is kept).
//
//   node tools/bench.mjs <dist folder> <criterion folder> <markdown file>
//
// Timings are noisy on a shared machine: this reports, it never fails on a slow figure.
import { readFileSync, readdirSync, statSync, writeFileSync, existsSync, mkdtempSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';
import { chromium } from '@playwright/test';
import { listen, staticServer } from '../serve.mjs';

const [dist, criterionDir, markdown] = process.argv.slice(2);
if (!dist || !criterionDir || !markdown) {
  console.error('usage: node tools/bench.mjs <dist folder> <criterion folder> <markdown file>');
  process.exit(2);
}

const COLD_LOADS = 10;

/** CPU time (all CPUs, in jiffies) the host's hypervisor took from this machine, and the total: Linux only. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}
const cpuAtStart = cpuTimes();
const PLAY_SECONDS = 10;
const FRAME_WINDOWS = 3;
// Of the finite values (a load where a figure could not be taken gives NaN).
const median = (values) => {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  return xs.length ? xs[Math.floor((xs.length - 1) / 2)] : NaN;
};
const ms = (x, digits = 2) => `${x.toFixed(digits)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Rows of the budget table: [what, measured text, target text, met]. */
const budgets = [];
const budget = (what, value, limit, text, targetText) => budgets.push([what, text, targetText, value <= limit]);
const sections = [];

// 1. Sizes: every file of dist/ the default link loads, gzipped at level 9 (what a static host's gzip
// sends, or a bit less). The TypeScript declaration (for course authors) is shipped beside the page but
// never loaded, and so are the presets' first pictures (first/): the default link's are in index.html.
// The export module (export-…) is loaded on the first export only: its size is reported on its own.
const files = readdirSync(dist)
  .filter((name) => statSync(join(dist, name)).isFile() && !name.endsWith('.d.ts') && !name.startsWith('export-'))
  .sort()
  .map((name) => {
    const raw = readFileSync(join(dist, name));
    return { name, raw: raw.length, gz: gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length };
  });
const totalGz = files.reduce((sum, f) => sum + f.gz, 0);
const totalRaw = files.reduce((sum, f) => sum + f.raw, 0);
budget('whole page, gzipped', totalGz, 64 * 1024, kb(totalGz), '≤ 64 KB');
budget('whole page, gzipped (the long-term goal)', totalGz, 40 * 1024, kb(totalGz), '≤ 40 KB');
sections.push(
  '### Files of dist/',
  '',
  '| file | bytes | gzipped |',
  '|---|---:|---:|',
  ...files.map((f) => `| ${f.name.replace(/-[0-9a-f]{16}/, '-…')} | ${f.raw} | ${f.gz} (${kb(f.gz)}) |`),
  `| **total** | ${totalRaw} | **${totalGz} (${kb(totalGz)})** |`,
  '',
);

// 2. The page in Chromium.
const server = staticServer({ root: dist });
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: process.env.STEPLAB_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const chromiumVersion = browser.version();

// A blank page, the yardstick for the load times: one line of text, served the same way.
const blankDir = mkdtempSync(join(tmpdir(), 'steplab-blank-'));
writeFileSync(join(blankDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>blank</title><p>A blank page.</p>');
const blankServer = staticServer({ root: blankDir });
const blankBase = await listen(blankServer, 0);

/**
 * One cold load (a fresh context, an empty cache) of Step Lab's default link, or of the blank page: from
 * navigation start to the first contentful paint, to the first picture of the three panels (the render
 * time of the last of the `elementtiming="first-picture"` images, www/first.js) and to the app's
 * `steplab:first-frame` mark (the page is ready: live plots drawn, input handled).
 */
async function coldLoad(throttle, blank = false) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const client = await context.newCDPSession(page);
  if (throttle > 1) await client.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  // Before the page's own scripts: collect the element timings of the pictures (they are not buffered).
  await page.addInitScript(() => {
    window.benchPictures = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.identifier === 'first-picture') window.benchPictures.push(entry);
    }).observe({ type: 'element', buffered: true });
  });
  await page.goto(blank ? blankBase : base);
  const done = blank
    ? () => performance.getEntriesByName('first-contentful-paint').length
    : () => performance.getEntriesByName('steplab:first-frame').length;
  await page.waitForFunction(done, null, { timeout: 30_000 });
  const times = await page.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    const pictures = window.benchPictures.map((entry) => entry.renderTime || entry.loadTime);
    return {
      painted: at('first-contentful-paint'),
      picture: pictures.length === 3 ? Math.max(...pictures) : NaN,
      loaded: wasm?.responseEnd ?? NaN,
      started: at('steplab:started'),
      drawn: at('steplab:first-frame'),
    };
  });
  await context.close();
  return times;
}

const firstFrames = {};
const phases = {};
const blanks = {};
for (const throttle of [1, 4]) {
  // Interleaved, so that a busy stretch of the host slows both alike.
  const loads = [];
  const blankLoads = [];
  for (let i = 0; i < COLD_LOADS; i++) {
    loads.push(await coldLoad(throttle));
    blankLoads.push(await coldLoad(throttle, true));
  }
  firstFrames[throttle] = loads.map((l) => l.drawn);
  blanks[throttle] = median(blankLoads.map((l) => l.painted));
  phases[throttle] = {
    painted: median(loads.map((l) => l.painted)),
    picture: median(loads.map((l) => l.picture)),
    pictured: loads.filter((l) => Number.isFinite(l.picture)).length,
    loaded: median(loads.map((l) => l.loaded)),
    started: median(loads.map((l) => l.started)),
    drawn: median(loads.map((l) => l.drawn)),
  };
  const label = throttle > 1 ? ` at ${throttle}× CPU throttling` : '';
  console.log(`blank page painted${label}: ${blankLoads.map((l) => l.painted.toFixed(0)).join(', ')} ms`);
  console.log(`first picture${label}: ${loads.map((l) => l.picture.toFixed(0)).join(', ')} ms`);
  console.log(`first frame${label}: ${firstFrames[throttle].map((t) => t.toFixed(0)).join(', ')} ms`);
}
blankServer.close();
const ratio = (x, of) => `${ms(x, 0)} = ${(x / of).toFixed(2)}× blank`;
for (const t of [1, 4]) {
  const label = t > 1 ? ` at ${t}× CPU throttling` : '';
  budget(`first picture of the three panels${label}`, phases[t].picture / blanks[t], 1.5, ratio(phases[t].picture, blanks[t]), '≤ 1.5× blank');
  budget(`app ready (first frame)${label}`, phases[t].drawn / blanks[t], 2, ratio(phases[t].drawn, blanks[t]), '≤ 2× blank');
}
budget('first frame (median of 10 cold loads)', median(firstFrames[1]), 150, ms(median(firstFrames[1]), 0), '≤ 150 ms');
budget('first frame at 4× CPU throttling', median(firstFrames[4]), 400, ms(median(firstFrames[4]), 0), '≤ 400 ms');
sections.push(
  '### Loading: the first picture and the first drawn frame',
  '',
  `From navigation start, medians of ${COLD_LOADS} loads each in a fresh browser context (cold cache), 1280×800, the default link; each load of Step Lab is followed by one of a blank page (one line of text) on the same server, whose first contentful paint is the yardstick. The first picture is the render time of the last of the three panels' pictures (element timing); the first frame is the \`steplab:first-frame\` mark, when the live plots are drawn and the page takes input.`,
  '',
  '| CPU | blank page painted | first paint | first picture | wasm file received | wasm started (`steplab:started`) | first frame (median) | min | max |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...[1, 4].map((t) => `| ${t === 1 ? 'unthrottled' : `${t}× throttled`} | ${ms(blanks[t], 0)} | ${ms(phases[t].painted, 0)} | ${ms(phases[t].picture, 0)} | ${ms(phases[t].loaded, 0)} | ${ms(phases[t].started, 0)} | ${ms(median(firstFrames[t]), 0)} | ${ms(Math.min(...firstFrames[t]), 0)} | ${ms(Math.max(...firstFrames[t]), 0)} |`),
  '',
  'Between the first picture and the first frame: fetching the wasm, compiling and instantiating it, building the page and drawing the live plots.',
  `The three pictures were painted before the live plots replaced them in ${phases[1].pictured} of ${COLD_LOADS} loads unthrottled and ${phases[4].pictured} of ${COLD_LOADS} at 4× throttling (the median is over those).`,
  '',
);

/** Plays `query` at full speed for PLAY_SECONDS and returns the page's frame stats. */
async function playing(query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // The page's measuring hooks (_clearStats, _timePreviews) are there only when asked for before it loads.
  await page.addInitScript(() => { window.steplabTestHooks = true; });
  await page.goto(base + query);
  await page.waitForFunction(() => window.steplab?.stats);
  // Three windows, each from a restart: a second of warm-up (the first frames lay the page out and draw
  // the backdrops), then ten seconds. The window with the median p95 is reported (a shared machine
  // sometimes steals the CPU for a whole window), with the three p95s beside it.
  const windows = [];
  for (let round = 0; round < FRAME_WINDOWS; round++) {
    await page.evaluate(() => window.steplab.reset());
    await page.evaluate(() => window.steplab.play());
    await page.waitForTimeout(1000);
    await page.evaluate(() => window.steplab._clearStats());
    await page.waitForTimeout(PLAY_SECONDS * 1000);
    windows.push(await page.evaluate(() => window.steplab.stats()));
  }
  windows.sort((a, b) => a.frame_p95_ms - b.frame_p95_ms);
  const stats = { ...windows[Math.floor(windows.length / 2)], p95s: windows.map((w) => w.frame_p95_ms) };
  return { page, stats };
}

const frameRows = [];
let heatmap;
let drag;
let previews;
let sweep;
for (const [name, query] of [
  ['1-D triptych (seed)', '?preset=seed&speed=60'],
  ['2-D surfaces (ellipse)', '?preset=ellipse&speed=60'],
  ['2-D overlay (ellipse)', '?preset=ellipse&speed=60&overlay=1'],
  ['sparse-feature lab', '?preset=sparse&speed=60'],
]) {
  const { page, stats } = await playing(query);
  frameRows.push([name, stats]);
  console.log(`${name}: ${stats.frames} frames, median ${ms(stats.frame_median_ms, 3)}, p95 ${ms(stats.frame_p95_ms, 3)}, max ${ms(stats.frame_max_ms, 3)} (p95 of the three windows: ${stats.p95s.map((x) => x.toFixed(1)).join(', ')} ms)`);
  if (name.startsWith('1-D')) {
    // Drag the start across the first panel: every pointer move restarts the runs and re-simulates
    // the three previews.
    await page.evaluate(() => window.steplab.pause());
    const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, y, { steps: 120 });
    await page.mouse.up();
    drag = await page.evaluate(() => window.steplab.stats());
    previews = await page.evaluate(() => window.steplab._timePreviews(1000, 200));
    sweep = await page.evaluate(() => window.steplab._timeSweep(30));
    console.log(`sweep 3 × 61 × 100 steps: median ${ms(median(sweep), 3)}, max ${ms(Math.max(...sweep), 3)}`);
    console.log(`drag: ${drag.drag_moves} pointer moves, median ${ms(drag.drag_median_ms, 3)}, max ${ms(drag.drag_max_ms, 3)}`);
    console.log(`previews 3 × 1000 steps: median ${ms(median(previews), 3)}, max ${ms(Math.max(...previews), 3)}`);
  }
  if (name.startsWith('2-D surfaces')) {
    await page.evaluate(() => window.steplab.pause());
    const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const times = [];
    for (let i = 0; i < 21; i++) {
      await page.mouse.wheel(0, i % 2 ? 120 : -120);
      await page.waitForTimeout(80);
      times.push((await page.evaluate(() => window.steplab.stats())).heatmap_ms);
    }
    const size = await page.evaluate(() => {
      const canvas = document.querySelector('[data-panel="0"] canvas[role=img]');
      return [canvas.width, canvas.height, devicePixelRatio];
    });
    heatmap = { times, size };
    console.log(`heatmap at ${size[0]}×${size[1]} px: median ${ms(median(times))}, max ${ms(Math.max(...times))}`);
  }
  await page.close();
}
await browser.close();
server.close();

// Lighthouse's mobile audit (simulated slow 4G, 4× slower CPU) of the default link and two 2-D links (the
// ellipse, and himmelblau, whose first picture is the heaviest), by
// tools/lighthouse.mjs. npm's lighthouse 12.2.3 (the last that runs on Node 20) is not a dependency of the
// test suite: it is installed once into target/lighthouse (or STEPLAB_LIGHTHOUSE names a folder with it).
const lighthouseDir = resolve(process.env.STEPLAB_LIGHTHOUSE ?? fileURLToPath(new URL('../../target/lighthouse', import.meta.url)));
let audits = [];
try {
  if (!existsSync(join(lighthouseDir, 'node_modules', 'lighthouse'))) {
    console.log(`installing lighthouse@12.2.3 into ${lighthouseDir} (once)`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefix', lighthouseDir, '-E', 'lighthouse@12.2.3'], { stdio: 'inherit' });
  }
  const tool = fileURLToPath(new URL('./lighthouse.mjs', import.meta.url));
  const output = execFileSync('node', [tool, resolve(dist), '', '?preset=ellipse', '?preset=himmelblau'], {
    env: { ...process.env, STEPLAB_LIGHTHOUSE: lighthouseDir },
    encoding: 'utf8',
    timeout: 600_000,
  });
  audits = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
} catch (error) {
  console.log(`Lighthouse was not run: ${String(error.message).split('\n')[0]}`);
}
for (const audit of audits) {
  const link = audit.link === '(default)' ? 'the default link' : audit.link;
  console.log(`lighthouse ${link}: performance ${audit.performance}, LCP ${audit.lcp_ms} ms, TBT ${audit.tbt_ms} ms, CLS ${audit.cls.toFixed(3)}`);
  budget(`Lighthouse mobile performance, ${link}`, -audit.performance, -95, String(audit.performance), '≥ 95');
  budget(`Lighthouse largest contentful paint, ${link}`, audit.lcp_ms, 1500, ms(audit.lcp_ms, 0), '≤ 1500 ms');
}
if (audits.length) {
  sections.push(
    '### Lighthouse (mobile)',
    '',
    'Lighthouse 12.2.3, its mobile preset: simulated slow 4G and a 4× slower CPU, headless Chromium (`tests/tools/lighthouse.mjs`).',
    '',
    '| link | performance | accessibility | largest contentful paint | total blocking time | time to interactive | layout shift |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...audits.map((a) => `| ${a.link} | ${a.performance} | ${a.accessibility} | ${ms(a.lcp_ms, 0)} | ${ms(a.tbt_ms, 0)} | ${ms(a.tti_ms, 0)} | ${a.cls.toFixed(3)} |`),
    '',
  );
}

const seed = frameRows[0][1];
budget('frame p95 while playing (1-D, 60 steps/s)', seed.frame_p95_ms, 2, ms(seed.frame_p95_ms, 2), '≤ 2 ms');
budget('longest frame while playing (1-D)', seed.frame_max_ms, 8, ms(seed.frame_max_ms, 2), '≤ 8 ms');
for (const [name, stats] of frameRows.slice(1)) {
  budget(`frame p95 while playing (${name})`, stats.frame_p95_ms, 2, ms(stats.frame_p95_ms, 2), '≤ 2 ms');
  budget(`longest frame while playing (${name})`, stats.frame_max_ms, 8, ms(stats.frame_max_ms, 2), '≤ 8 ms');
}
sections.push(
  '### Main-thread time per frame while playing',
  '',
  `Measured inside the frame callback (clock, drawing, texts, address bar), all three panels playing at 60 steps/s for ${PLAY_SECONDS} s after a second of warm-up, 1280×800, device pixel ratio 1 (at most the last 600 frames are kept). ${FRAME_WINDOWS} such windows per scenario, each from a restart; the one with the median p95 is shown, the last column has all three p95s.`,
  '',
  '| scenario | frames | median | p95 | max | p95 of each window |',
  '|---|---:|---:|---:|---:|---|',
  ...frameRows.map(([name, s]) => `| ${name} | ${s.frames} | ${ms(s.frame_median_ms, 3)} | ${ms(s.frame_p95_ms, 3)} | ${ms(s.frame_max_ms, 3)} | ${s.p95s.map((x) => x.toFixed(1)).join(', ')} ms |`),
  '',
);

budget('path previews, 3 × 1000 steps (wasm)', median(previews), 1, ms(median(previews), 3), '≤ 1 ms');
budget('learning-rate sweep, 3 × 61 × 100 steps (wasm)', median(sweep), 8, ms(median(sweep), 3), '≤ 8 ms');
sections.push(
  '### Dragging the start',
  '',
  `One pointer move while dragging restarts the three runs and re-simulates their previews (${drag.drag_moves} moves across the first panel): median ${ms(drag.drag_median_ms, 3)}, p95 ${ms(drag.drag_p95_ms, 3)}, max ${ms(drag.drag_max_ms, 3)}.`,
  `The page shows 50-step previews; the budget's 3 × 1000 steps, timed in the page's wasm (\`steplab._timePreviews(1000, 200)\`): median ${ms(median(previews), 3)}, max ${ms(Math.max(...previews), 3)} over ${previews.length} rounds.`,
  '',
  '### The learning-rate sweep',
  '',
  `The strip's full recompute (3 optimizers × 61 rates × 100 steps, the seed's scenario), timed in the page's wasm (\`steplab._timeSweep(30)\`): median ${ms(median(sweep), 3)}, max ${ms(Math.max(...sweep), 3)} over ${sweep.length} rounds. It runs only when the loss, the start, the noise or a setting other than a rate changes, and at most every 0.2 s while the start is dragged.`,
  '',
);

budget('heatmap recompute (2-D panel)', median(heatmap.times), 10, ms(median(heatmap.times)), '≤ 10 ms');
sections.push(
  '### Heatmap',
  '',
  `One recompute of a 2-D panel's heatmap and contours at its real size (${heatmap.size[0]}×${heatmap.size[1]} canvas pixels), forced by ${heatmap.times.length} wheel zooms: median ${ms(median(heatmap.times))}, max ${ms(Math.max(...heatmap.times))}.`,
  '',
);

// 3. Criterion results of the core (native).
const results = [];
function collect(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    if (name === 'new' && existsSync(join(path, 'benchmark.json'))) {
      const info = JSON.parse(readFileSync(join(path, 'benchmark.json'), 'utf8'));
      const estimates = JSON.parse(readFileSync(join(path, 'estimates.json'), 'utf8'));
      results.push({ id: info.full_id, elements: info.throughput?.Elements ?? 1, ns: estimates.median.point_estimate });
    } else if (name !== 'report' && name !== 'base' && name !== 'change') {
      collect(path);
    }
  }
}
if (existsSync(criterionDir)) collect(criterionDir);
results.sort((a, b) => a.id.localeCompare(b.id));
const rate = (r) => (r.elements / (r.ns * 1e-9));
const human = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : `${(x / 1e3).toFixed(0)} k`);
const nativePreview = results.find((r) => r.id === 'preview/3x1000');
sections.push(
  '### Core throughput (criterion, native, opt-level 3)',
  '',
  'Steps per second through a whole `Run` (status tracking and history included), 1000 steps per iteration, lr 1e-3; and the three seed previews of 1000 steps each. Median of criterion\'s samples.',
  '',
  '| benchmark | time per iteration | steps per second |',
  '|---|---:|---:|',
  ...results.map((r) => `| ${r.id} | ${(r.ns / 1e3).toFixed(1)} µs | ${human(rate(r))} |`),
  '',
);
for (const r of results) console.log(`criterion ${r.id}: ${(r.ns / 1e3).toFixed(1)} µs, ${human(rate(r))} steps/s`);
if (nativePreview) console.log(`(native preview 3 × 1000: ${ms(nativePreview.ns / 1e6, 3)})`);

// 4. The budget table, printed and written.
const width = Math.max(...budgets.map((b) => b[0].length));
console.log('\nbudgets:');
for (const [what, text, target, met] of budgets) {
  console.log(`  ${met ? 'met   ' : 'MISSED'} ${what.padEnd(width)}  ${text.padStart(10)}  (${target})`);
}
const met = budgets.filter((b) => b[3]).length;
console.log(`${met} of ${budgets.length} budgets met`);

const cpuAtEnd = cpuTimes();
const stolen = cpuAtStart && cpuAtEnd && cpuAtEnd.total > cpuAtStart.total
  ? (100 * (cpuAtEnd.steal - cpuAtStart.steal)) / (cpuAtEnd.total - cpuAtStart.total)
  : null;
if (stolen !== null) console.log(`CPU time taken by the host (steal) during the page measurements: ${stolen.toFixed(1)} %`);
const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, headless Chromium ${chromiumVersion} (software rendering, --disable-gpu), Node ${process.version}`;
const generated = [
  '<!-- bench:begin (written by `cargo xtask bench`; edits between the markers are overwritten) -->',
  `Measured ${when} UTC on ${machine}.` +
    (stolen === null ? '' : ` While the page was measured the host took ${stolen.toFixed(1)} % of the CPU time (steal in /proc/stat): above 1 % the timings are slower than the machine's own.`),
  '',
  '### Budgets',
  '',
  '| | measured | budget | |',
  '|---|---:|---:|---|',
  ...budgets.map(([what, text, target, ok]) => `| ${what} | ${text} | ${target} | ${ok ? 'met' : '**missed**'} |`),
  '',
  ...sections,
  '<!-- bench:end -->',
].join('\n');
let document = existsSync(markdown) ? readFileSync(markdown, 'utf8') : '# Performance\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
const begin = document.indexOf('<!-- bench:begin');
const end = document.indexOf('<!-- bench:end -->');
document = begin >= 0 && end > begin
  ? document.slice(0, begin) + generated + document.slice(end + '<!-- bench:end -->'.length)
  : `${document.trimEnd()}\n\n${generated}\n`;
writeFileSync(markdown, document);
console.log(`wrote ${markdown}`);
