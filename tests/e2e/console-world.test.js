// World actions: reset with confirmation, export as a JSON file, import it back; a malformed
// or hostile file is refused with the engine's message and changes nothing.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start, step, snap, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const type = (page, line) => typeLine(page, line);

/** Chooses `file` for "Import world", then confirms or returns the dialog. */
async function chooseImport(page, file) {
  await page.getByLabel('Import world file').setInputFiles(file);
  const dialog = page.getByRole('dialog', { name: 'Import a world' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Import world', exact: true }).click();
  return dialog;
}

test('reset, export and import the world; hostile files are refused', async () => {
  await step(env, 'world', async (page) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snaplab-world-'));
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await type(page, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName keeper --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 --DataDisk.1.DiskName data1');
    await type(page, 'snaplab clock run-until-idle');
    const disks = await type(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskName data1 --output cols=DiskId rows=Disks.Disk[]');
    const diskId = disks.match(/d-bp1\w+/)[0];
    await type(page, `snaplab guest write --DiskId ${diskId} --Block 0 --Text A`);
    await type(page, `aliyun ecs CreateSnapshot --DiskId ${diskId} --SnapshotName S1`);
    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: 'keeper' });
    await row.waitFor();

    // Export: a downloaded JSON file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export world' }).click(),
    ]);
    const exported = path.join(dir, 'world.json');
    await download.saveAs(exported);
    const world = JSON.parse(fs.readFileSync(exported, 'utf8'));
    assert.equal(world.Format, 'snaplab-world');
    assert.ok(Object.keys(world.Blocks).length > 0, 'the written block is in the file');
    await page.getByRole('log').getByText('snaplab world export').waitFor();

    // Malformed and hostile files are refused with the engine's message; nothing changes.
    const malformed = path.join(dir, 'malformed.json');
    fs.writeFileSync(malformed, '{"Format": "snaplab-world", ');
    const hostile = path.join(dir, 'hostile.json');
    const tampered = JSON.parse(JSON.stringify(world));
    const key = Object.keys(tampered.Blocks)[0];
    tampered.Blocks[key] = Buffer.from('not the bytes that were hashed').toString('base64');
    fs.writeFileSync(hostile, JSON.stringify(tampered));
    for (const [file, why] of [[malformed, /not a Snaplab world export/], [hostile, /does not match its hash/]]) {
      const dialog = await chooseImport(page, file);
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.innerText(), /InvalidParameter/);
      assert.match(await alert.innerText(), why);
      await snap(page, `world-refused-${path.basename(file, '.json')}`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await row.waitFor();
    }
    const read = await type(page, `snaplab guest read --DiskId ${diskId} --Block 0`);
    assert.match(read, /"Text": "A"/);

    // Reset, after a warning: the world is new (and asks for activation again).
    await page.getByRole('button', { name: 'Reset world' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the world' });
    assert.match(await reset.getByRole('note').innerText(), /cannot be undone/);
    await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
    await reset.getByRole('button', { name: 'Reset world', exact: true }).click();
    await reset.waitFor({ state: 'detached' });
    await answerActivation(page);
    await page.getByRole('status').filter({ hasText: 'No instances in this region yet.' }).waitFor();
    assert.equal(await row.count(), 0);

    // Import the exported file: everything is back, bytes included.
    const dialog = await chooseImport(page, exported);
    await dialog.waitFor({ state: 'detached' });
    await row.waitFor();
    const back = await type(page, `snaplab guest read --DiskId ${diskId} --Block 0`);
    assert.match(back, /"Text": "A"/);
    await page.getByRole('log').getByText('snaplab world import --Json "$(cat world.json)"').waitFor();
    await page.reload();
    await page.locator('.console[data-engine="ready"]').waitFor();
    await row.waitFor();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
