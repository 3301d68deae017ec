// Before the wasm arrives (a slow link, a cheap phone), the static page already shows the link's three
// panels at step 0: pictures drawn at build time by core's figure code (www/first.js picks them), with the
// titles, captions and statuses the live page will show. The live plots then replace them where they are.
import { expect, openStepLab, test } from './fixtures.mjs';

const wide = { width: 1280, height: 800 };
const phone = { width: 360, height: 640 };

/** Opens `path` with the wasm never arriving, and waits for the static page and its pictures to load. */
async function openWithoutWasm(browser, path, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.route('**/*.wasm', (route) => route.abort());
  await page.goto(path, { waitUntil: 'load' });
  return { context, page };
}

/** What each panel of the page shows: texts, and its first picture if any (loaded, in view, its size). */
function panelsShown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('#panels .panel')].map((panel) => {
      const picture = panel.querySelector('.plot > img.first-picture');
      const plot = panel.querySelector('.plot').getBoundingClientRect();
      const box = picture?.getBoundingClientRect();
      return {
        title: panel.querySelector('.title').textContent,
        caption: panel.querySelector('.caption').textContent,
        status: panel.querySelector('.badge').textContent,
        picture: picture && {
          src: picture.getAttribute('src'),
          loaded: picture.complete && picture.naturalWidth > 0,
          // A curve's picture fills its plot box; a surface's sits inside the plot's margins (8 and 10 px).
          fillsPlot: picture.classList.contains('surface')
            ? Math.abs(box.width - (plot.width - 16)) < 1 && Math.abs(box.height - (plot.height - 20)) < 1
            : Math.abs(box.width - plot.width) < 1 && Math.abs(box.height - plot.height) < 1,
          inView: box.bottom <= innerHeight && box.height > 50,
        },
      };
    }),
  );
}

/** The loss menu's choice and the formula beside it. */
function lossShown(page) {
  return page.evaluate(() => ({
    loss: document.getElementById('loss').value,
    formula: document.getElementById('formula').textContent,
  }));
}

/** The texts the live page shows at step 0 of the same link. */
async function liveTexts(browser, path, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await openStepLab(page, path);
  await page.evaluate(() => {
    window.steplab.pause();
    window.steplab.reset();
  });
  await page.waitForFunction(() => window.steplab.state().step === 0);
  // A frame later the texts are written.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const loss = await lossShown(page);
  const texts = await page.evaluate(() =>
    [...document.querySelectorAll('#panels .panel')].map((panel) => ({
      title: panel.querySelector('.title').textContent,
      caption: panel.querySelector('.caption').textContent,
      status: panel.querySelector('.badge').textContent,
      picture: panel.querySelector('.first-picture') !== null,
    })),
  );
  await context.close();
  return { texts, loss };
}

for (const [name, path, file, viewport] of [
  ['the default link', '/', 'default', wide],
  ['a preset with its own titles', '/?preset=bounce', 'bounce', wide],
  ['a 2-D preset', '/?preset=ellipse', 'ellipse', wide],
  ['an embedded preset on a phone', '/?preset=seed&embed=1', 'seed', phone],
  ['a 2-D preset on a phone', '/?preset=himmelblau', 'himmelblau', phone],
]) {
  test(`the first picture is there before the wasm: ${name}`, async ({ browser }) => {
    const { context, page } = await openWithoutWasm(browser, path, viewport);
    const shown = await panelsShown(page);
    const loss = await lossShown(page);
    // The default link's pictures are in the page (no request); a preset's come from first/.
    const sources = shown.map((panel) => panel.picture?.src);
    if (file === 'default') expect(sources.every((src) => src.startsWith('data:image/svg+xml,%3Csvg'))).toBe(true);
    else expect(sources).toEqual(['a', 'b', 'c'].map((l) => `first/${file}.svg#${l}`));
    for (const panel of shown) {
      expect(panel.picture).toMatchObject({ loaded: true, fillsPlot: true, inView: true });
    }
    await context.close();
    // What the reader saw first is what the live page says at step 0, and the pictures are gone.
    const live = await liveTexts(browser, path, viewport);
    expect(shown.map(({ title, caption, status }) => ({ title, caption, status, picture: false }))).toEqual(live.texts);
    expect(live.texts.every((panel) => panel.title.length > 0)).toBe(true);
    expect(loss).toEqual(live.loss);
  });
}

/** Where the Too-fast panel's ball is, as a fraction of its plot box, in the first picture or on the live canvas. */
function ballCentre(page, source) {
  return page.evaluate(async (source) => {
    const panel = document.querySelector('#panels .panel');
    const plot = panel.querySelector('.plot');
    const { width, height } = plot.getBoundingClientRect();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width);
    canvas.height = Math.round(height);
    const context = canvas.getContext('2d');
    if (source === 'picture') {
      // Where the page placed the picture inside the box (a surface's sits inside the plot's margins).
      const picture = plot.querySelector('.first-picture');
      await picture.decode();
      const box = plot.getBoundingClientRect();
      const at = picture.getBoundingClientRect();
      // The picture is fitted and centred in its element as the browser does (a curve's is stretched).
      const natural = picture.naturalWidth / picture.naturalHeight;
      let [w, h] = [at.width, at.height];
      if (picture.classList.contains('surface')) {
        if (w / h > natural) w = h * natural;
        else h = w / natural;
      }
      const [x, y] = [at.left - box.left + (at.width - w) / 2, at.top - box.top + (at.height - h) / 2];
      context.drawImage(picture, x, y, w, h);
    } else {
      const live = plot.querySelector('canvas:not(.back)');
      context.drawImage(live, 0, 0, canvas.width, canvas.height);
    }
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    // The ball: opaque vermillion (#D55E00, light theme); the step arrow is drawn translucent.
    const [xs, ys] = [[], []];
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a > 250 && Math.abs(r - 213) < 30 && Math.abs(g - 94) < 30 && b < 40) {
        const p = i / 4;
        xs.push(p % canvas.width);
        ys.push(Math.floor(p / canvas.width));
      }
    }
    // The median, not the mean: a few pixels of the arrow's edge may pass the colour test too.
    const middle = (values) => values.sort((a, b) => a - b)[values.length >> 1];
    return { x: middle(xs) / canvas.width, y: middle(ys) / canvas.height, n: xs.length };
  }, source);
}

for (const [name, path, viewport] of [
  ['a curve, wide', '/', wide],
  // A surface is letterboxed in its box: its picture must be fitted the same way, not with margins that
  // scale with it.
  ['a surface, on a phone', '/?preset=ellipse', phone],
  ['a surface, wide', '/?preset=ellipse', wide],
]) {
  test(`the picture shows the ball where the live page draws it: ${name}`, async ({ browser }) => {
    const blocked = await openWithoutWasm(browser, path, viewport);
    const before = await ballCentre(blocked.page, 'picture');
    await blocked.context.close();
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await openStepLab(page, `${path}${path.includes('?') ? '&' : '?'}t=0`);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const after = await ballCentre(page, 'live');
    await context.close();
    // A surface's picture is scaled down on a phone: its ball covers fewer pixels than the live one.
    expect(before.n).toBeGreaterThan(8);
    expect(after.n).toBeGreaterThan(8);
    // Within 2 % of the plot box's width and height: the picture does not jump when the live plot
    // replaces it.
    expect(Math.abs(before.x - after.x)).toBeLessThan(0.02);
    expect(Math.abs(before.y - after.y)).toBeLessThan(0.02);
  });
}

// A preset's three pictures are one file whose views show one panel each. A surface's view is letterboxed
// into its box; the bands beside (or above and below) the picture must show the card, not a neighbour.
for (const [name, viewport] of [
  ['wide', wide],
  ['a phone held sideways', { width: 640, height: 360 }],
  ['a phone', phone],
]) {
  test(`a surface's picture shows its own panel only, with empty bands around it: ${name}`, async ({ browser }) => {
    const { context, page } = await openWithoutWasm(browser, '/?preset=ellipse', viewport);
    await page.evaluate(() => document.querySelector('#panels').scrollIntoView());
    // Where each picture is drawn inside its element, and the bands of the element around it.
    const boxes = await page.evaluate(() =>
      [...document.querySelectorAll('#panels .first-picture')].map((picture) => {
        const at = picture.getBoundingClientRect();
        const natural = picture.naturalWidth / picture.naturalHeight;
        const [w, h] = at.width / at.height > natural ? [at.height * natural, at.height] : [at.width, at.width / natural];
        return { x: at.left, y: at.top, width: at.width, height: at.height, w, h, src: picture.getAttribute('src') };
      }),
    );
    expect(boxes.map((box) => box.src)).toEqual(['a', 'b', 'c'].map((l) => `first/ellipse.svg#${l}`));
    let band = 0;
    for (const box of boxes) {
      const shot = await page.screenshot({ clip: { x: box.x, y: box.y, width: box.width, height: box.height } });
      // The pixels of the bands (2 px off the picture's edge): all of one colour, the card's.
      const colours = await page.evaluate(
        async ({ png, box }) => {
          const image = new Image();
          image.src = `data:image/png;base64,${png}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          [canvas.width, canvas.height] = [image.width, image.height];
          const context = canvas.getContext('2d');
          context.drawImage(image, 0, 0);
          const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
          const scale = canvas.width / box.width;
          const [gx, gy] = [((box.width - box.w) / 2 - 2) * scale, ((box.height - box.h) / 2 - 2) * scale];
          const seen = new Set();
          let count = 0;
          for (let y = 0; y < canvas.height; y++) {
            for (let x = 0; x < canvas.width; x++) {
              if (!(x < gx || x >= canvas.width - gx || y < gy || y >= canvas.height - gy)) continue;
              const i = 4 * (y * canvas.width + x);
              seen.add(`${data[i] >> 3},${data[i + 1] >> 3},${data[i + 2] >> 3}`);
              count++;
            }
          }
          return { colours: [...seen], count };
        },
        { png: shot.toString('base64'), box },
      );
      expect(colours.colours.length).toBeLessThanOrEqual(1);
      band += colours.count;
    }
    // Each viewport letterboxes the pictures: there are bands to look at.
    expect(band).toBeGreaterThan(1000);
    await context.close();
  });
}

for (const [name, path, titles] of [
  // The start moved: no picture of it, but the preset's titles still hold.
  ['a preset with another start', '/?preset=bounce&x0=2', ['Rate 1: for ever', 'Rate 0.9: damped', 'Adagrad']],
  // Other optimizers: the titles are not known before the wasm, except the ones the link names.
  ['a link with its own optimizers', '/?a=adam&ta=My%20Adam', ['My Adam', '', '']],
  ['an unknown preset', '/?preset=nonesuch', ['', '', '']],
  // The sparse lab's presets: their titles (their plots at step 0 are empty axes: no pictures).
  ['a sparse-lab preset', '/?preset=sparse', ['Safe rate: the rare weight crawls', 'Fast rate: the common weights jitter', 'Adagrad: a rate per feature']],
  // Not the triptych's "Too fast!" either: the titles follow optimizers the page has not read yet.
  ['a sparse-lab link of its own', '/?lab=sparse&features=4', ['', '', '']],
]) {
  test(`a link without a picture keeps the empty frames, with the titles it is sure of: ${name}`, async ({ browser }) => {
    const { context, page } = await openWithoutWasm(browser, path, wide);
    const shown = await panelsShown(page);
    expect(shown.map((panel) => panel.picture)).toEqual([null, null, null]);
    expect(shown.map((panel) => panel.title)).toEqual(titles);
    // The frames keep their size: the plots are there, empty.
    const heights = await page.evaluate(() =>
      [...document.querySelectorAll('#panels .plot')].map((plot) => plot.getBoundingClientRect().height),
    );
    expect(heights.every((h) => h > 100)).toBe(true);
    await context.close();
  });
}

test('the wasm and its glue are asked for only after the three pictures are painted', async ({ browser }) => {
  // On a slow link neither the wasm's download nor its JavaScript glue's (26 KB) may share the bandwidth
  // with the first paint (the boot script waits for it: crates/xtask/src/loader.rs).
  const context = await browser.newContext({ viewport: phone });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.paintedPictures = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.identifier === 'first-picture') window.paintedPictures.push(entry);
    }).observe({ type: 'element', buffered: true });
  });
  await openStepLab(page, '/?preset=ellipse');
  const { painted, asked } = await page.evaluate(() => ({
    painted: window.paintedPictures.map((entry) => entry.renderTime || entry.loadTime),
    asked: performance
      .getEntriesByType('resource')
      .filter((r) => /\/steplab-web-[0-9a-f]+(_bg\.wasm|\.js)$/.test(r.name))
      .map((r) => r.startTime),
  }));
  await context.close();
  expect(painted).toHaveLength(3);
  expect(asked).toHaveLength(2);
  expect(Math.min(...asked)).toBeGreaterThan(Math.max(...painted));
});

test('a picture out of view does not hold the app back (a phone held sideways)', async ({ browser }) => {
  // At 640×360 the three panels are below the fold. The loader waits for the pictures' paint: Chromium
  // reports it for pictures out of view too (with an empty intersection), and a loader that waited for
  // something only visible pictures get would hold the wasm until its one-second limit. The page's
  // timers are frozen here, so that limit cannot come to the rescue.
  const context = await browser.newContext({ viewport: { width: 640, height: 360 } });
  const page = await context.newPage();
  await page.clock.install({ time: new Date('2026-01-01T00:00:00Z') });
  await page.clock.pauseAt(new Date('2026-01-01T00:00:01Z'));
  await page.goto('/?preset=ellipse');
  const below = await page.evaluate(() =>
    [...document.querySelectorAll('#panels .first-picture')].filter((p) => p.getBoundingClientRect().top >= innerHeight).length,
  );
  expect(below).toBeGreaterThan(0);
  await page.waitForFunction(() => typeof window.steplab?.state === 'function', null, { timeout: 15_000 });
  await context.close();
});

test('a picture that never arrives does not hold the app back', async ({ browser }) => {
  const context = await browser.newContext({ viewport: phone });
  const page = await context.newPage();
  // The preset's pictures are asked for and never answered (a stalled request on a bad link).
  await page.route('**/first/**', () => {});
  await page.goto('/?preset=ellipse', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => typeof window.steplab?.state === 'function', null, { timeout: 15_000 });
  const state = await page.evaluate(() => window.steplab.state());
  expect(state.panels.map((panel) => panel.title)).toEqual(['SGD 0.4: crawls', 'SGD 0.49: zig-zags', 'Adagrad: per coordinate']);
  // The live plots took the pictures' place.
  await expect(page.locator('#panels .first-picture')).toHaveCount(0);
  await context.close();
});
