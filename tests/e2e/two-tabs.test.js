// One world, one tab: a second tab (or page) opening the same world is told where it is open
// (a second session would give the same storage slots to different blocks); once the first tab
// is closed, the second opens the world.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

test('a second tab on the same world says it is open elsewhere; closing the first frees it', async () => {
  await step(env, 'two-tabs', async (page) => {
    const first = await page.context().newPage();
    await openConsole(first, env.url);
    await answerActivation(first, { activate: true });
    await page.goto(env.url);
    const banner = page.getByRole('alert').filter({ hasText: 'open in another tab' });
    await banner.waitFor();
    await snap(page, 'two-tabs-second');
    assert.equal(await page.locator('.console').getAttribute('data-engine'), 'loading');
    await first.close();
    await openConsole(page, env.url);
    assert.equal(await page.getByRole('alert').filter({ hasText: 'open in another tab' }).count(), 0);
  });
});
