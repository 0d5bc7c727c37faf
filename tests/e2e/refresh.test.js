// When the pages read the world again. A clock tick that only moves the time re-reads nothing
// (only the clock control follows it); a tick while something is in progress, or a waiter
// typed in the terminal, refreshes the pages (R-CRT-4: Progress follows the simulated clock).
// The console's `data-world-version` counts the world changes the pages re-read on.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const RUN = 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName box --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 --DataDisk.1.DiskName data1';

const version = (page) => page.locator('.console').getAttribute('data-world-version').then(Number);
const now = (page) => page.locator('time.clock-now').getAttribute('datetime');

/** Waits for `n` ticks of the running clock (the shown time changes n times). */
async function ticks(page, n) {
  for (let i = 0; i < n; i += 1) {
    const t = await now(page);
    await page.waitForFunction((was) => document.querySelector('time.clock-now').getAttribute('datetime') !== was, t);
  }
}

async function setUp(page) {
  await openConsole(page, env.url);
  await answerActivation(page, { activate: true });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const out = JSON.parse(await typeLine(page, RUN).then((o) => o.slice(o.indexOf('{'))));
  return out.InstanceIdSets.InstanceIdSet[0];
}

test('a waiter typed in the terminal moves the clock and the open pages follow it (SPEC §18)', async () => {
  await step(env, 'refresh waiter', async (page) => {
    const id = await setUp(page);
    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: id });
    await row.locator('[data-status="Pending"], [data-status="Starting"]').waitFor();
    const v = await version(page);
    await typeLine(page, `aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '["${id}"]' --waiter expr='Instances.Instance[0].Status' to=Running --output cols=Status rows=Instances.Instance[]`);
    // The row follows without any other command; the clock control shows the new time.
    await row.locator('[data-status="Running"]').waitFor();
    assert.ok((await version(page)) > v);
    assert.notEqual(await now(page), '2026-01-01T00:00:00Z');
    // A waiter that finds its value at once moves nothing and refreshes nothing.
    const v2 = await version(page);
    await typeLine(page, `aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '["${id}"]' --waiter expr='Instances.Instance[0].Status' to=Running`);
    await typeLine(page, 'snaplab clock show');
    assert.equal(await version(page), v2);
  });
});

test('idle clock ticks move only the time; ticks while a snapshot is in progress refresh the pages (R-CRT-4)', async () => {
  await step(env, 'refresh ticks', async (page) => {
    await setUp(page);
    await typeLine(page, 'snaplab clock run-until-idle');
    const disks = await typeLine(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskName data1 --output cols=DiskId rows=Disks.Disk[]');
    const disk = disks.match(/d-bp1\w+/)[0];
    await typeLine(page, `snaplab guest fill --DiskId ${disk} --FromBlock 0 --Blocks 8`);

    // Idle: the clock runs at ×3600, the time moves, the pages are not read again.
    const v = await version(page);
    await page.getByRole('button', { name: '×3600', exact: true }).click();
    await ticks(page, 2);
    assert.equal(await version(page), v, 'an idle tick does not change the world version');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();

    // A snapshot in progress: every tick refreshes the list until it completes, by itself.
    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Snapshots', exact: true }).click();
    const out = await typeLine(page, `aliyun ecs CreateSnapshot --DiskId ${disk} --SnapshotName S1`);
    const id = out.match(/s-bp1\w+/)[0];
    const row = (status) => page.getByRole('table', { name: 'Snapshots' }).locator(`tr[data-id="${id}"][data-status="${status}"]`);
    await row('progressing').waitFor();
    const busy = await version(page);
    await page.getByRole('button', { name: '×1', exact: true }).click();
    await ticks(page, 1);
    await row('accomplished').waitFor();
    assert.ok((await version(page)) > busy, 'the ticks while in progress changed the world version');

    // Done: idle again.
    await page.getByRole('button', { name: '×3600', exact: true }).click();
    await ticks(page, 1);
    const done = await version(page);
    await ticks(page, 2);
    assert.equal(await version(page), done);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
  });
});
