// The Snapshot capacity tab's history chart (R-CAP-1): the region's snapshot capacity over
// simulated time, from DescribeSnapshotMonitorData and DescribeSnapshotsUsage. It steps up
// after a snapshot and down after a deletion (R-DEL-3), with axis labels in both languages.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, openConsole, answerActivation, typeLine, shot, showTerminal } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const MiB = 1 << 20;
const type = (page, line) => typeLine(page, line);



/** The chart's figures: the capacity now, the highest, and the marked steps (bytes). */
async function figures(chart) {
  const fig = chart.locator('figure.cap-history');
  return {
    latest: Number(await fig.getAttribute('data-latest')),
    highest: Number(await fig.getAttribute('data-highest')),
    // The marks sit where the capacity changes, and on the last point ("now").
    steps: (await fig.locator('circle.cap-mark').evaluateAll((cs) => cs.map((c) => Number(c.dataset.bytes))))
      .filter((b, i, all) => i === 0 || all[i - 1] !== b),
  };
}

/** Waits until the chart says the capacity now is `bytes`. */
async function latestIs(chart, bytes) {
  await chart.locator(`figure.cap-history[data-latest="${bytes}"]`).waitFor();
}

test('the capacity history grows after a snapshot and shrinks after a deletion (R-CAP-1)', async () => {
  await step(env, 'capacity history', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    // A world with 1 MiB blocks (the default), an instance with an ESSD data disk.
    await type(page, 'snaplab world show');
    await type(page, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 --DataDisk.1.DiskName data1');
    await type(page, 'snaplab clock run-until-idle');
    const disk = (await type(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskName data1 --output cols=DiskId rows=Disks.Disk[]')).match(/d-\w+/)[0];
    for (const [block, text] of [[0, 'A'], [1, 'B'], [2, 'C'], [3, 'D']]) {
      await type(page, `snaplab guest write --DiskId ${disk} --Block ${block} --Text ${text}`);
    }
    await type(page, 'snaplab clock advance --Seconds 300');

    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Snapshots' }).click();
    await page.getByRole('link', { name: 'Snapshot Capacity' }).click();
    const chart = page.getByRole('region', { name: 'Capacity history' });
    await chart.getByRole('img', { name: /^Snapshot capacity over time in China \(Hangzhou\): now 0 B/ }).waitFor();
    await chart.getByRole('group', { name: 'Time range' }).getByRole('button', { name: 'Last hour', pressed: true }).waitFor();
    for (const label of ['Simulated time (UTC)', 'Snapshot capacity']) {
      await chart.locator('svg text.cap-axis', { hasText: label }).waitFor();
    }

    // A snapshot of 4 blocks: the line steps up to 4 MiB.
    const s1 = (await type(page, `aliyun ecs CreateSnapshot --DiskId ${disk} --SnapshotName S1`)).match(/s-\w+/)[0];
    await type(page, 'snaplab clock run-until-idle');
    await type(page, 'snaplab clock advance --Seconds 300');
    await latestIs(chart, 4 * MiB);
    let f = await figures(chart);
    assert.deepEqual(f.steps, [0, 4 * MiB], 'from nothing to the first snapshot');

    // Two blocks change, a second snapshot: 6 MiB.
    await type(page, `snaplab guest write --DiskId ${disk} --Block 1 --Text B1`);
    await type(page, `snaplab guest write --DiskId ${disk} --Block 2 --Text C1`);
    await type(page, `aliyun ecs CreateSnapshot --DiskId ${disk} --SnapshotName S2`);
    await type(page, 'snaplab clock run-until-idle');
    await type(page, 'snaplab clock advance --Seconds 300');
    await latestIs(chart, 6 * MiB);
    f = await figures(chart);
    assert.deepEqual(f.steps, [0, 4 * MiB, 6 * MiB]);
    await showTerminal(page, false);
    await shot(chart, 'capacity-history-grown');
    await showTerminal(page, true);

    // Deleting S1 frees B and C; A and D move to S2 (R-DEL-3): 4 MiB, the peak stays on the chart.
    await type(page, `aliyun ecs DeleteSnapshot --SnapshotId ${s1}`);
    await latestIs(chart, 4 * MiB);
    f = await figures(chart);
    assert.equal(f.highest, 6 * MiB);
    assert.deepEqual(f.steps.slice(0, 3), [0, 4 * MiB, 6 * MiB]);
    assert.equal(f.steps.at(-1), 4 * MiB, 'the line ends lower than its peak');
    await chart.getByRole('img', { name: /now 4 MiB · highest 6 MiB · lowest 0 B$/ }).waitFor();
    await showTerminal(page, false);
    await shot(chart, 'capacity-history-after-delete');
    await showTerminal(page, true);
    // The line is drawn lower at its end than at its peak.
    const ys = await chart.locator('circle.cap-mark').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
    assert.ok(ys.at(-1) > Math.min(...ys), 'the last mark is below the highest one');

    // The 15-day range: the same steps, dates on the time axis.
    await chart.getByRole('button', { name: 'Last 15 days' }).click();
    await chart.getByRole('button', { name: 'Last 15 days', pressed: true }).waitFor();
    await chart.locator('.cap-xtick text', { hasText: /^\d\d-\d\d \d\d:\d\d$/ }).first().waitFor();
    await latestIs(chart, 4 * MiB);
    await showTerminal(page, false);
    await shot(chart, 'capacity-history-15-days');
  });
});

test('the capacity history speaks Chinese', async () => {
  await step(env, 'capacity history zh', async (page) => {
    await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
    await openConsole(page, `${env.url}/snapshots/capacity`);
    await answerActivation(page, { lang: 'zh' });
    const chart = page.getByRole('region', { name: '容量历史' });
    await chart.getByRole('img', { name: /^华东1（杭州）的快照容量随时间的变化：当前 0 B/ }).waitFor();
    await chart.getByRole('group', { name: '时间范围' }).getByRole('button', { name: '近 1 小时', pressed: true }).waitFor();
    for (const label of ['模拟时间（UTC）', '快照容量']) {
      await chart.locator('svg text.cap-axis', { hasText: label }).waitFor();
    }
    await showTerminal(page, false);
    await shot(chart, 'capacity-history-zh');
  });
});
