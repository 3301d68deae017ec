// Scenarios you can share: presets, links that reproduce a state, history, bad links, embedding in a
// course page, exports, and hosting under a sub-path.
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultDist, listen, staticServer } from '../serve.mjs';
import { expect, openStepLab, readState, test } from './fixtures.mjs';

/** What a link decides: everything but the clock. */
function scenarioOf(state) {
  return {
    loss: state.loss,
    start: state.start,
    panels: state.panels.map((p) => ({ title: p.title, optimizer: p.optimizer, hyper: p.hyper })),
  };
}

async function pause(page) {
  await page.evaluate(() => window.steplab.pause());
}

test('every preset opens by id and by its gallery link with the same state and no notice', async ({ page }) => {
  // Two loads per preset: more than the default 30 s on a busy machine.
  test.setTimeout(120_000);
  await openStepLab(page);
  const presets = await page
    .locator('#gallery-cards a[data-preset]')
    .evaluateAll((links) => links.map((a) => ({ id: a.dataset.preset, href: a.getAttribute('href') })));
  expect(presets.length).toBeGreaterThanOrEqual(6);
  const titles = await page.locator('#gallery-cards h3').allTextContents();
  expect(new Set(titles).size).toBe(presets.length);
  // Each card's link is named after its preset, for a reader who lists the page's links.
  for (const title of titles) {
    await expect(page.getByRole('link', { name: `Open this preset (${title})`, exact: true })).toHaveCount(1);
  }
  for (const { id, href } of presets) {
    await openStepLab(page, `/?preset=${id}`);
    const byId = scenarioOf(await readState(page));
    await expect(page.locator('#notices')).toBeHidden();
    await openStepLab(page, `/${href}`);
    expect(scenarioOf(await readState(page)), id).toEqual(byId);
    await expect(page.locator('#notices')).toBeHidden();
  }
  // Two presets pinned by number, so a change to the grammar or a preset cannot pass unnoticed.
  await openStepLab(page, '/?preset=scale');
  let state = await readState(page);
  expect(state.loss).toBe('quadratic');
  expect(state.panels.map((p) => p.hyper.lr)).toEqual([0.05, 0.0005, 1.5]);
  await openStepLab(page, '/?preset=double-well&b=sgd:lr=0.01');
  state = await readState(page);
  expect(state.loss).toBe('double-well');
  expect(state.panels[1].optimizer).toBe('sgd');
  expect(state.panels[1].hyper.lr).toBe(0.01);
  expect(state.panels[2].optimizer).toBe('adam');
});

test('clicking a preset loads it in place and the address bar follows', async ({ page }) => {
  await openStepLab(page);
  await page.getByText('Presets', { exact: true }).click();
  await page.locator('#preset-menu a[data-preset="vanishing"]').click();
  const state = await readState(page);
  expect(state.loss).toBe('quartic');
  expect(state.panels.map((p) => p.title)).toEqual(['Adagrad', 'RMSProp', 'Adadelta']);
  expect(page.url()).toContain('loss=quartic');
  await expect(page.locator('.panel .title').nth(1)).toHaveText('RMSProp');
});

test('copy link, open it in a new page: the same state, paused at the same step', async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  await openStepLab(page, '/?preset=vanishing');
  await pause(page);
  const panel = page.locator('[data-panel="1"]');
  await panel.getByText('Optimizer and settings').click();
  const field = panel.getByLabel('learning rate', { exact: true });
  await field.fill('0.07');
  await field.press('Enter');
  await page.evaluate(() => window.steplab.step(7));
  const before = await readState(page);
  expect(before.panels[1].hyper.lr).toBe(0.07);

  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('#share-status')).toHaveText('Copied to the clipboard.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await page.locator('#share-url').inputValue());
  expect(copied).toContain('t=7');

  const other = await context.newPage();
  await openStepLab(other, copied);
  const after = await readState(other);
  expect(scenarioOf(after)).toEqual(scenarioOf(before));
  expect(after.step).toBe(7);
  expect(after.playing).toBe(false);
  expect(after.panels.map((p) => p.x)).toEqual(before.panels.map((p) => p.x));
  await context.close();
});

test('back and forward restore earlier states', async ({ page }) => {
  await openStepLab(page);
  await page.evaluate(() => window.steplab.load('preset=bounce'));
  await page.evaluate(() => window.steplab.load('preset=double-well'));
  expect((await readState(page)).loss).toBe('double-well');
  await page.goBack();
  await expect.poll(async () => (await readState(page)).loss).toBe('quadratic');
  await page.goBack();
  await expect.poll(async () => (await readState(page)).loss).toBe('smooth-abs');
  await page.goForward();
  await expect.poll(async () => (await readState(page)).loss).toBe('quadratic');
  // A drag changes the address bar without piling up history entries.
  await pause(page);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 10 });
  await page.mouse.up();
  const start = (await readState(page)).start[0];
  await expect.poll(() => new URL(page.url()).searchParams.get('x0')).toBe(String(start));
  await page.goBack();
  await expect.poll(async () => (await readState(page)).loss).toBe('smooth-abs');
});

test('load() takes a link as its query or as an object of its keys', async ({ page }) => {
  await openStepLab(page);
  await page.evaluate(() => window.steplab.load('preset=bounce&x0=2&ta=Slow%20%26%20steady'));
  const byQuery = scenarioOf(await readState(page));
  const notices = await page.evaluate(() => window.steplab.load({ preset: 'bounce', x0: 2, ta: 'Slow & steady' }));
  expect(notices).toEqual([]);
  expect(scenarioOf(await readState(page))).toEqual(byQuery);
  expect(byQuery.panels[0].title).toBe('Slow & steady');
  // Two coordinates as a list, flags as booleans; what cannot be used is said, as for a link.
  await page.evaluate(() => window.steplab.load({ loss: 'ellipse', x0: [1, -2], overlay: true, t: 5 }));
  const state = await readState(page);
  expect([state.start, state.overlay, state.step]).toEqual([[1, -2], true, 5]);
  expect(await page.evaluate(() => window.steplab.load({ a: 'sgd:lr=1e9' }))).toEqual([
    'a.lr: 1000000000 is outside the allowed range, so 100 was used.',
  ]);
  const refused = await page.evaluate(() => window.steplab.load({ x0: { x: 1 } }));
  expect(refused).toHaveLength(1);
  expect(refused[0]).toContain('x0');
});

test('a start set by dragging goes into the link as a readable number', async ({ page }) => {
  await openStepLab(page);
  await pause(page);
  const box = await page.locator('[data-panel="0"] canvas[role=img]').boundingBox();
  await page.mouse.move(box.x + box.width * 0.61, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.737, box.y + box.height / 2, { steps: 7 });
  await page.mouse.up();
  const { start } = await readState(page);
  // A CSS pixel is about 0.03 wide here: two decimals say all the pointer can.
  expect(String(start[0])).toMatch(/^-?\d+(\.\d{1,2})?$/);
  await expect.poll(() => new URL(page.url()).searchParams.get('x0')).toBe(String(start[0]));
  // The arrow keys too.
  await page.locator('[data-panel="0"] canvas[role=img]').focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
  await expect.poll(() => new URL(page.url()).searchParams.get('x0')).toMatch(/^-?\d+(\.\d{1,2})?$/);
});

const badLinks = [
  '?x0=NaN',
  '?a=sgd:lr=1e999&b=adam:lr=-3',
  '?loss=nope&ta=%3Cscript%3Ewindow.hacked%3D1%3C%2Fscript%3E',
  '?t=-1&speed=1e9&scale=0',
  '?%E0%A4%A=1',
  `?ta=${'x'.repeat(10000)}`,
  '?preset=nope&hide=everything&embed=maybe',
  '?loss=quadratic&loss=quartic&a=rocket:lr=1',
];

test('bad links open a working page and say what they ignored', async ({ page }) => {
  for (const link of badLinks) {
    await openStepLab(page, `/${link}`);
    await page.evaluate(() => {
      window.steplab.pause();
      window.steplab.reset();
    });
    await expect(page.locator('#notices'), link).toBeVisible();
    expect(await page.locator('#notice-list li').count(), link).toBeGreaterThan(0);
    const state = await readState(page);
    expect(state.panels).toHaveLength(3);
    expect(state.panels.every((p) => p.x.every(Number.isFinite))).toBe(true);
    await page.evaluate(() => window.steplab.step(20));
    expect((await readState(page)).step).toBe(20);
  }
  // Titles are text, never markup.
  await openStepLab(page, `/${badLinks[2]}`);
  await expect(page.locator('.panel .title').first()).toHaveText('<script>window.hacked=1</script>');
  expect(await page.evaluate(() => window.hacked)).toBeUndefined();
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('#notices')).toBeHidden();
});

test('the embed dialog builds a snippet with the chosen hide flags', async ({ page }) => {
  await openStepLab(page, '/?preset=bounce');
  await page.getByRole('button', { name: 'Embed' }).click();
  const code = page.locator('#embed-code');
  await expect(code).toHaveValue(/embed=1&amp;hide=explanation/);
  await expect(code).toHaveValue(/loss=quadratic/);
  await page.locator('#embed-dialog').getByLabel('charts').check();
  await expect(code).toHaveValue(/hide=charts,explanation/);
  await expect(code).toHaveValue(/steplab:height/);
});

test('embed mode shows only the panels and what is not hidden, and tells the parent its height', async ({
  page,
  baseURL,
}) => {
  // A course page on another origin (another port) embeds the preset with the documented snippet's listener.
  const course = mkdtempSync(join(tmpdir(), 'steplab-course-'));
  writeFileSync(
    join(course, 'index.html'),
    `<!doctype html><title>Course</title><link rel="icon" href="data:,"><p>Lesson 3</p>
     <iframe class="steplab" src="${baseURL}?preset=seed&amp;embed=1&amp;hide=charts" style="width:900px;height:400px;border:0"></iframe>
     <script>
       window.heights = [];
       addEventListener('message', (e) => {
         if (!e.data || e.data.type !== 'steplab:height') return;
         window.heights.push(e.data);
         for (const f of document.querySelectorAll('iframe.steplab'))
           if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
       });
     </script>`,
  );
  const server = staticServer({ root: course });
  const courseURL = await listen(server, 0);
  await page.goto(courseURL);
  await expect.poll(() => page.evaluate(() => window.heights.length)).toBeGreaterThan(0);
  const [first] = await page.evaluate(() => window.heights);
  expect(first.height).toBeGreaterThan(300);
  expect(first.link).toContain('embed=1');
  expect(Object.keys(first).sort()).toEqual(['height', 'link', 'type']);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('.panel')).toHaveCount(3);
  await expect(frame.locator('.panel').first()).toBeVisible();
  await expect(frame.locator('.top')).toBeHidden();
  await expect(frame.locator('#charts')).toBeHidden();
  await expect(frame.locator('#gallery')).toBeHidden();
  await expect(frame.locator('.readout').first()).toBeVisible();
  const full = frame.locator('#full-demo');
  await expect(full).toBeVisible();
  expect(await full.getAttribute('href')).not.toContain('embed');
  // The parent sized the iframe to the reported height.
  const height = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  expect(height).toBe((await page.evaluate(() => window.heights.at(-1))).height);
  server.close();
});

// Notebook viewers and some course platforms frame pages with sandbox="allow-scripts" and no
// allow-same-origin: the framed page then has an opaque origin, and every file it loads is a cross-origin
// request. With the host's CORS header (as GitHub Pages sends it) Step Lab runs there in embed mode; without
// it the script cannot load, but the stylesheet still does and the page says what is missing.
for (const cors of [true, false]) {
  test.describe(cors ? 'a sandboxed embed on a host with CORS' : 'a sandboxed embed on a host without CORS', () => {
  // Without the header the browser refuses the module script and says so in the console.
  if (!cors) test.use({ allowedConsoleErrors: /CORS|Access-Control|Failed to load|ERR_FAILED|blocked|module script/i });
  test(`${cors ? 'runs, styled and in embed mode' : 'is styled and says why it did not start'}`, async ({ page }) => {
    test.setTimeout(45_000);
    const site = staticServer({
      root: process.env.STEPLAB_DIST ?? defaultDist,
      headers: cors ? { 'Access-Control-Allow-Origin': '*' } : {},
    });
    const siteURL = await listen(site, 0);
    const course = mkdtempSync(join(tmpdir(), 'steplab-sandbox-'));
    writeFileSync(
      join(course, 'index.html'),
      `<!doctype html><title>Notebook</title><link rel="icon" href="data:,">
       <iframe sandbox="allow-scripts" src="${siteURL}?preset=seed&amp;embed=1" style="width:900px;height:700px;border:0"></iframe>
       <script>
         window.heights = [];
         addEventListener('message', (e) => { if (e.data && e.data.type === 'steplab:height') window.heights.push(e.data.height); });
       </script>`,
    );
    const parent = staticServer({ root: course });
    const parentURL = await listen(parent, 0);
    try {
      await page.goto(parentURL);
      const frame = page.frameLocator('iframe');
      if (cors) {
        await expect(frame.locator('.panel')).toHaveCount(3);
        await expect.poll(() => page.evaluate(() => window.heights.length), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect(frame.locator('html')).toHaveClass(/embed/);
        await expect(frame.locator('.top')).toBeHidden();
        await expect(frame.locator('.panel .badge').first()).not.toBeEmpty();
        // Styled: the panels sit side by side in a grid, not stacked as bare HTML.
        const display = await frame.locator('#panels').evaluate((e) => getComputedStyle(e).display);
        expect(display).toBe('grid');
      } else {
        const message = frame.locator('#boot-failed');
        await expect(message).toHaveCSS('opacity', '1', { timeout: 10_000 });
        await expect(message).toContainText('Access-Control-Allow-Origin');
        // The stylesheet did load: the message has its border, the fault banner stays hidden.
        await expect(message).toHaveCSS('border-top-style', 'solid');
        await expect(frame.locator('#fault')).toBeHidden();
      }
    } finally {
      site.close();
      parent.close();
    }
  });
  });
}

test('exports: PNG, SVG, CSV and JSON files of the current state', async ({ page }) => {
  await openStepLab(page, '/?preset=bounce');
  await pause(page);
  await page.evaluate(() => window.steplab.step(10));
  const save = async (kind) => {
    await page.getByText('Export', { exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export="${kind}"]`).click()]);
    return { name: download.suggestedFilename(), body: readFileSync(await download.path()) };
  };
  const { step } = await readState(page);
  const png = await save('png');
  expect(png.name).toBe(`steplab-bounce-t${step}.png`);
  expect(png.body.subarray(1, 4).toString()).toBe('PNG');
  const svg = await save('svg');
  expect(svg.body.toString()).toContain('<svg');
  expect(svg.body.toString().replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '')).not.toMatch(/NaN|Infinity/);
  // The menu says how far the files go: at least a hundred steps, even when exported early.
  await page.getByText('Export', { exact: true }).click();
  await expect(page.locator('[data-export="csv"]')).toContainText('(steps 0–100)');
  await page.keyboard.press('Escape');
  const saved = await save('csv');
  expect(saved.name).toBe(`steplab-bounce-t${step}.csv`);
  const csv = saved.body.toString().trim().split('\n');
  expect(csv[0]).toBe('panel,n,x1,loss,eff_lr1,status');
  // Rate 1 on x² flips 4 to −4 and back: step 10 of panel a is at 4 again.
  expect(csv).toContain('a,10,4,16,1,bouncing');
  expect(csv.filter((row) => row.startsWith('a,'))).toHaveLength(101);
  const json = JSON.parse((await save('json')).body.toString());
  expect(json.panels).toHaveLength(3);
  expect(json.panels[2].steps[0].x).toEqual([4]);
  expect(json.panels[0].steps).toHaveLength(101);
});

test('the SVG, CSV and JSON come from a module loaded on the first export; when it cannot load, the page says so and the next try works', async ({ browser }) => {
  // Its own context: the failed request below is logged as an error, which the page fixture refuses.
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested = [];
  page.on('request', (request) => request.url().includes('/export-') && requested.push(request.url()));
  await openStepLab(page, '/?preset=bounce');
  await pause(page);
  // Not loaded with the page: only a reader who exports pays for it.
  expect(requested).toEqual([]);
  // A slow link that then drops as the reader asks for the figure: the button says it is working meanwhile.
  let drop;
  const dropped = new Promise((resolve) => (drop = resolve));
  await page.route('**/export-*_bg.wasm', async (route) => {
    await dropped;
    await route.abort();
  });
  await page.getByText('Export', { exact: true }).click();
  await page.locator('[data-export="svg"]').click();
  await expect(page.locator('#export-menu')).toHaveClass(/working/);
  await expect(page.locator('#export-menu')).toHaveAttribute('aria-busy', 'true');
  drop();
  await expect(page.locator('#export-menu')).not.toHaveClass(/working/);
  // Said where the reader chose, with the menu open again.
  await expect(page.locator('#export-status')).toHaveText(/The exporter could not be loaded/);
  await expect(page.locator('#export-status')).toBeVisible();
  // Back online: the same menu item now saves the figure, and the message goes.
  await page.unroute('**/export-*_bg.wasm');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="svg"]').click()]);
  const { step } = await readState(page);
  expect(download.suggestedFilename()).toBe(`steplab-bounce-t${step}.svg`);
  await expect(page.locator('#export-status')).toBeEmpty();
  // Done: the button no longer says it is working.
  await expect(page.locator('#export-menu')).not.toHaveClass(/working/);
  expect(readFileSync(await download.path()).toString()).toContain('<svg');
  expect(requested.some((url) => url.endsWith('.js')) && requested.some((url) => url.endsWith('.wasm'))).toBe(true);
  await context.close();
});

test('a PNG exported in the dark theme keeps its colours, its captions and its statuses visible', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', deviceScaleFactor: 1 });
  const page = await context.newPage();
  await openStepLab(page, '/?t=12');
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="png"]').click()]);
  expect(download.suggestedFilename()).toBe('steplab-seed-t12.png');
  const data = readFileSync(await download.path()).toString('base64');
  const seen = await page.evaluate(async (base64) => {
    const image = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    let light = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 200 && data[i + 1] > 200 && data[i + 2] > 200) light++;
    return { corner: [data[0], data[1], data[2]], light, height: image.height };
  }, data);
  // The page's dark background, with light ink on it (the curve and the text), not ink on white.
  expect(seen.corner).toEqual([18, 18, 20]);
  expect(seen.light).toBeGreaterThan(500);
  await context.close();
});

test('the SVG of a surface has its heatmap and contours, and every panel is clipped', async ({ page }) => {
  await openStepLab(page, '/?preset=ellipse&t=20');
  await page.getByText('Export', { exact: true }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="svg"]').click()]);
  expect(download.suggestedFilename()).toBe('steplab-ellipse-t20.svg');
  const svg = readFileSync(await download.path()).toString();
  expect(svg.match(/<image[^>]+href="data:image\/png;base64,/g)).toHaveLength(3);
  expect(svg.match(/<clipPath/g)).toHaveLength(3);
  // Not a NaN anywhere but in the embedded images' base64, which may spell it by chance.
  expect(svg.replace(/data:image\/png;base64,[A-Za-z0-9+/=]+/g, '')).not.toMatch(/NaN|Infinity/);
});

test('works when served under a sub-path', async ({ browser }) => {
  const root = mkdtempSync(join(tmpdir(), 'steplab-subpath-'));
  mkdirSync(join(root, 'course'));
  symlinkSync(resolve(process.env.STEPLAB_DIST ?? defaultDist), join(root, 'course', 'steplab'));
  const server = staticServer({ root });
  const base = await listen(server, 0);
  const page = await browser.newPage();
  const failed = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(r.url()));
  try {
    await openStepLab(page, `${base}course/steplab/?preset=bounce`);
    expect((await readState(page)).loss).toBe('quadratic');
    await page.evaluate(() => window.steplab.load('preset=seed'));
    expect(page.url()).toContain('/course/steplab/?');
    expect(failed).toEqual([]);
  } finally {
    await page.close();
    server.close();
  }
});
