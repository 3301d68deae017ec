// Screenshots of the built page for looking at (not a test): node tools/shoot.mjs OUTDIR [query]
// Serves STEPLAB_DIST (default ../target/e2e-dist) itself and saves wide/phone × light/dark.
import { chromium } from '@playwright/test';
import { defaultDist, listen, staticServer } from '../serve.mjs';

const out = process.argv[2] ?? '/tmp/shots';
const query = process.argv[3] ?? '';
const wait = Number(process.argv[4] ?? 2500);
const server = staticServer({ root: process.env.STEPLAB_DIST ?? defaultDist });
const base = await listen(server, 0);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
for (const [name, viewport, scale] of [['wide', { width: 1280, height: 800 }, 1], ['phone', { width: 390, height: 844 }, 2]]) {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport, deviceScaleFactor: scale, colorScheme: scheme });
    page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
    page.on('pageerror', (e) => console.log('page error:', e.message));
    await page.goto(base + query);
    await page.waitForTimeout(wait);
    await page.screenshot({ path: `${out}/${name}-${scheme}.png`, fullPage: true });
    await page.screenshot({ path: `${out}/${name}-${scheme}-top.png` });
    await page.close();
  }
}
await browser.close();
server.close();
