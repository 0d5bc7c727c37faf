// "A reload at any point leaves the world as it was" (issue 5, "Must show"): the walkthrough
// (walk.js) with a reload after every step. Before and after each reload the whole world is
// exported with the console's "Export world" (the session's world in memory, clock and block
// bytes included, as the engine exports it) and the two files must be equal; the page shown
// must read the same too (its text, and the block view's cells).
'use strict';

const fs = require('node:fs');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step } = require('./harness');
const { walk, context, STEPS } = require('./walk');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

/** The world as "Export world" saves it, without the RequestId counter (every read draws a
 * RequestId; reads are never committed, so the counter is not part of what a reload keeps). */
async function exportWorld(ctx) {
  const { page, t } = ctx;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: t.exportWorld, exact: true }).click(),
  ]);
  const world = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(world.Format, 'snaplab-world');
  delete world.World.ids.request_counter;
  return world;
}

const BUSY = /Loading…|加载中…|Checking with the service…|正在校验…|Opening the world…|正在打开世界…/;

/** What the page shows: the main area's text, the simulated time, the block view's cells. */
async function shown(page) {
  await page.waitForFunction((busy) => !new RegExp(busy).test(document.querySelector('main').innerText), BUSY.source);
  return page.evaluate(() => ({
    url: location.pathname,
    time: document.querySelector('time.clock-now').getAttribute('datetime'),
    main: document.querySelector('main').innerText,
    blocks: [...document.querySelectorAll('.bv-row')].map((g) => [g.dataset.id,
      [...g.querySelectorAll('.bv-span')].map((r) => `${r.dataset.col}:${r.dataset.state}:${r.dataset.blocks}:${r.textContent}`)]),
  }));
}

test('a reload after every step of the walkthrough leaves the world and the page as they were', async () => {
  await step(env, 'reload after every step', async (page) => {
    const ctx = context(page, { lang: 'en', mode: 'mouse', url: env.url });
    let reloads = 0;
    await walk(ctx, async (_, s) => {
      // A dialog left open is the page's, not the world's: a reload closes it.
      const dialog = page.getByRole('dialog');
      if (await dialog.count()) {
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
      }
      const world = await exportWorld(ctx);
      const page1 = await shown(page);
      await page.reload();
      await page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
      // The page reads the world again: wait until it shows what it showed, or fail with both.
      await page.waitForFunction((want) => document.querySelector('main').innerText === want, page1.main, { timeout: 15000 })
        .catch(() => {});
      assert.deepEqual(await shown(page), page1, `after "${s.name}", the page shows the same after a reload`);
      assert.deepEqual(await exportWorld(ctx), world, `after "${s.name}", the world is the same after a reload`);
      reloads += 1;
      if (process.env.SNAPLAB_DEBUG) console.log(s.name, page1.url, page1.main.length, JSON.stringify(world).length, page1.blocks.length);
    });
    assert.equal(reloads, STEPS.length);
  });
});
