// The in-page terminal (SPEC §18): aliyun/snaplab lines, --output tables, errors printed like
// the CLI, history with up/down that survives a reload, and pages that follow typed commands.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const type = (page, line, name = 'Terminal') => typeLine(page, line, { name, ok: false });

test('the terminal prints replies, tables and CLI errors, and keeps its history', async () => {
  await step(env, 'terminal', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();

    // --output prints the CLI's table.
    const table = await type(page, 'aliyun ecs DescribeRegions --output cols=RegionId rows=Regions.Region[]');
    assert.match(table, /RegionId\n-+\ncn-hangzhou\n/);

    // R-SVC-1: before activation a snapshot is refused; errors print as the CLI prints them.
    const err = await type(page, 'aliyun ecs CreateSnapshot --DiskId d-bp1nothere');
    assert.match(err, /ERROR: SDK\.ServerError\nErrorCode: InvalidAccountStatus\.SnapshotServiceUnavailable\nRecommend: .*\nRequestId: [0-9A-F-]{36}\nMessage: /);
    // A line that does not parse is an error too, and changes nothing.
    const bad = await type(page, "aliyun ecs DescribeDisks --RegionId 'cn-hangzhou");
    assert.match(bad, /ERROR: SDK\.ServerError\nErrorCode: \S+/);

    // Typed commands update the pages live.
    await type(page, 'snaplab service activate');
    await type(page, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId ubuntu_22_04_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName web-1');
    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: 'web-1' });
    await row.waitFor();
    await type(page, 'snaplab clock run-until-idle');
    await row.locator('[data-status="Running"]').waitFor();
    await snap(page, 'terminal-live');

    // History: up walks back, down walks forward to an empty line.
    const input = page.getByRole('textbox', { name: 'Terminal', exact: true });
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'snaplab clock run-until-idle');
    await input.press('ArrowUp');
    assert.match(await input.inputValue(), /^aliyun ecs RunInstances /);
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), 'snaplab clock run-until-idle');
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), '');

    // The history and the world survive a reload.
    await page.reload();
    await page.locator('.console[data-engine="ready"]').waitFor();
    await row.locator('[data-status="Running"]').waitFor();
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'snaplab clock run-until-idle');
  });
});

test('the terminal is labelled 终端 in Chinese and prints errors the same way', async () => {
  await step(env, 'terminal-zh', async (page) => {
    await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
    await openConsole(page, env.url);
    await answerActivation(page, { lang: 'zh' });
    const out = await type(page, 'aliyun ecs DeleteSnapshot --SnapshotId', '终端');
    assert.match(out, /^ERROR: SDK\.ServerError$/m);
    assert.match(out, /^ErrorCode: \S+$/m);
  });
});

test('a refused action explains itself in its dialog before it is confirmed', async () => {
  await step(env, 'dialog-refusal', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    // A data disk that was never attached cannot be snapshotted (R-CRT-1).
    await type(page, 'aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-i --DiskCategory cloud_essd --Size 20 --DiskName lonely');
    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Disks', exact: true }).click();
    const row = page.getByRole('table', { name: 'Disks' }).getByRole('row').filter({ hasText: 'lonely' });
    await row.getByRole('button', { name: 'Create Snapshot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create snapshot' });
    await dialog.getByRole('textbox', { name: 'Snapshot name' }).fill('S1');
    const alert = dialog.getByRole('alert');
    await alert.getByText('IncorrectDiskStatus.NeverAttached').waitFor();
    const ok = dialog.getByRole('button', { name: 'OK', exact: true });
    assert.equal(await ok.isDisabled(), true);
    assert.match(await ok.getAttribute('title'), /^IncorrectDiskStatus\.NeverAttached: /);
    // A bad name is explained too (R-CRT-2).
    await dialog.getByRole('textbox', { name: 'Snapshot name' }).fill('auto-1');
    await alert.getByText('InvalidSnapshotName.Malformed').waitFor();
    await snap(page, 'dialog-refusal');
    // Escape closes the dialog and gives the focus back.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
