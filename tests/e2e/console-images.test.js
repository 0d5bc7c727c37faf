// Images and disks from snapshots with the mouse: a custom image from a system-disk snapshot
// plus a data-disk snapshot (SPEC §9, R-IMG-1), deleted again; a disk from a snapshot in
// another zone (R-DSK-1).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const type = (page, line) => typeLine(page, line);

async function confirmWhenEnabled(page, dialog, name) {
  await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
  await dialog.getByRole('button', { name, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

test('create a custom image from snapshots, delete it, and create a disk from a snapshot', async () => {
  await step(env, 'images', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await type(page, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 --DataDisk.1.DiskName data1');
    await type(page, 'snaplab clock run-until-idle');
    const out = await type(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --output cols=DiskId,Type rows=Disks.Disk[]');
    const sys = out.match(/(d-bp1\w+) \| system/)[1];
    const data = out.match(/(d-bp1\w+) \| data/)[1];
    await type(page, `aliyun ecs CreateSnapshot --DiskId ${sys} --SnapshotName sys1`);
    await type(page, `aliyun ecs CreateSnapshot --DiskId ${data} --SnapshotName data1`);
    await type(page, 'snaplab clock run-until-idle');
    const snaps = await type(page, 'aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --output cols=SnapshotId,SnapshotName rows=Snapshots.Snapshot[]');
    const sysSnap = snaps.match(/(s-bp1\w+) \| sys1/)[1];
    const dataSnap = snaps.match(/(s-bp1\w+) \| data1/)[1];

    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Images', exact: true }).click();
    await page.getByRole('button', { name: 'Create Custom Image' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Custom Image' });
    await dialog.getByRole('combobox', { name: 'System disk snapshot' }).selectOption(sysSnap);
    await dialog.getByRole('checkbox', { name: new RegExp(dataSnap) }).check();
    await dialog.getByRole('textbox', { name: 'Image name' }).fill('golden');
    await dialog.locator('code.cmdline', { hasText: `--DiskDeviceMapping.2.SnapshotId ${dataSnap}` }).waitFor();
    await snap(page, 'images-create');
    await confirmWhenEnabled(page, dialog, 'Create Custom Image');
    const row = page.getByRole('table', { name: 'Custom Images' }).getByRole('row').filter({ hasText: 'golden' });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(sysSnap));

    await row.getByRole('button', { name: 'Delete' }).click();
    const del = page.getByRole('dialog', { name: 'Delete image' });
    await confirmWhenEnabled(page, del, 'Delete');
    await row.waitFor({ state: 'detached' });

    // R-DSK-1: a disk from a snapshot, in another zone of the region.
    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Disks', exact: true }).click();
    await page.getByRole('button', { name: 'Create Disk' }).click();
    const create = page.getByRole('dialog', { name: 'Create Disk' });
    await create.getByRole('combobox', { name: 'Zone' }).selectOption('cn-hangzhou-j');
    await create.getByRole('combobox', { name: 'From snapshot' }).selectOption(dataSnap);
    await create.getByRole('textbox', { name: 'Name (optional)' }).fill('restored');
    await confirmWhenEnabled(page, create, 'Create Disk');
    const disk = page.getByRole('table', { name: 'Disks' }).getByRole('row').filter({ hasText: 'restored' });
    await disk.waitFor();
    assert.match(await disk.innerText(), /cn-hangzhou-j/);
  });
});
