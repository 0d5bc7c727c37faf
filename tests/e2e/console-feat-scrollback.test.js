// The terminal's printed output survives a reload (SPEC §18, issue 5 "everything persists"):
// typed lines with their replies, CLI tables and errors, and the console's own actions come
// back, above a divider, after the page is reloaded; "Reset world" clears them.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const type = (page, line, name = 'Terminal') => typeLine(page, line, { name, ok: false });

async function reload(page) {
  await page.reload();
  await page.locator('.console[data-engine="ready"]').waitFor();
}

test('the terminal output comes back after a reload and goes with a world reset', async () => {
  await step(env, 'terminal scrollback', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const log = page.getByRole('log', { name: 'Terminal output' });

    // The activation (a console action, with its command line), then a table, a CLI error and
    // a JSON reply typed in the terminal.
    await log.locator('.entry.from-console').filter({ hasText: 'snaplab service activate' }).waitFor();
    await type(page, 'aliyun ecs DescribeRegions --output cols=RegionId rows=Regions.Region[]');
    await type(page, 'aliyun ecs CreateSnapshot --DiskId d-bp1nothere');
    await type(page, 'snaplab clock show');
    const before = await log.locator('.entry').allInnerTexts();
    assert.equal(before.length, 4);
    assert.match(before[1], /RegionId\n-+\ncn-hangzhou\n/);
    assert.match(before[2], /ERROR: SDK\.ServerError\nErrorCode: InvalidDiskId\.NotFound/);

    await reload(page);
    // The same entries, in the same order, with the same text, then the divider.
    await log.getByRole('separator').filter({ hasText: 'output from before the page was reloaded' }).waitFor();
    assert.deepEqual(await log.locator('.entry').allInnerTexts(), before);
    assert.equal(await log.locator('.entry.error').count(), 1, 'the error is still printed as an error');

    // New lines go below; both survive the next reload.
    const now = await type(page, 'snaplab world show');
    assert.match(now, /"BlockSize"/);
    await reload(page);
    const twice = await log.locator('.entry').allInnerTexts();
    assert.deepEqual(twice.slice(0, 4), before);
    assert.match(twice[4], /snaplab world show/);
    assert.equal(twice.length, 5);
    await snap(page, 'terminal-scrollback-restored');

    // "Reset world" clears it: only the reset itself is left, after a reload too.
    await page.getByRole('button', { name: 'Reset world' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the world' });
    await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
    await reset.getByRole('button', { name: 'Reset world', exact: true }).click();
    await reset.waitFor({ state: 'detached' });
    await answerActivation(page);
    await log.getByText('DescribeRegions').waitFor({ state: 'detached' });
    assert.equal(await log.getByRole('separator').count(), 0);
    let left = await log.locator('.entry').allInnerTexts();
    assert.equal(left.length, 1);
    assert.match(left[0], /snaplab world reset/);
    await reload(page); // ("Not now" holds for the tab's session: no dialog)
    left = await log.locator('.entry').allInnerTexts();
    assert.equal(left.length, 1);
    assert.match(left[0], /snaplab world reset/);

    // A typed reset clears it too.
    await type(page, 'snaplab clock show');
    assert.match(await type(page, 'snaplab world reset --Seed 3'), /snaplab world reset --Seed 3/);
    assert.equal(await log.getByText('snaplab clock show').count(), 0);
    await reload(page);
    left = await log.locator('.entry').allInnerTexts();
    assert.deepEqual(left.map((t) => t.split('\n')[0]), ['$ snaplab world reset --Seed 3']);
  });
});

test('the kept output is announced in Chinese after a reload', async () => {
  await step(env, 'terminal scrollback zh', async (page) => {
    await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
    await openConsole(page, env.url);
    await answerActivation(page, { lang: 'zh' });
    const out = await type(page, 'aliyun ecs DeleteSnapshot --SnapshotId', '终端');
    assert.match(out, /^ErrorCode: \S+$/m);
    await reload(page);
    const log = page.getByRole('log', { name: '终端输出' });
    await log.getByRole('separator').filter({ hasText: '页面重新加载之前的输出' }).waitFor();
    assert.match(await log.locator('.entry.error').innerText(), /aliyun ecs DeleteSnapshot --SnapshotId[\s\S]*ErrorCode: /);
    await snap(page, 'terminal-scrollback-zh');
  });
});
