// "Create Snapshot-Consistent Group" on an instance (SPEC §11, §16), before consistency groups
// exist. The dialog lists the instance's disks, shows the CreateSnapshotGroup line it will run
// (the instance, the disks left out, the name) and dry-runs it with the engine while the disks
// and the name change. Until issue 14 builds groups, the engine refuses CreateSnapshotGroup as an
// unknown action, so this test asserts exactly that refusal: the terminal's dry run of the same
// line prints `ErrorCode: InvalidAction`, the dialog shows InvalidAction and its message as an
// alert, and the button stays disabled with that reason. Any other verdict fails it.
// Issue 14 turns it into the success test: the group is created (and a bad name refused).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation, typeLine } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const type = (page, line, name = 'Terminal') => typeLine(page, line, { name, ok: false });

/** An instance "grp" with an ESSD system disk and an ESSD data disk; returns its ID and disks. */
async function setUp(page, name = 'Terminal') {
  await type(page, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName grp --SystemDisk.Category cloud_essd --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20', name);
  await type(page, 'snaplab clock run-until-idle', name);
  const out = await type(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --output cols=DiskId,Type,InstanceId rows=Disks.Disk[]', name);
  const rows = out.split('\n').filter((l) => /^d-/.test(l)).map((l) => l.split(' | ').map((c) => c.trim()));
  return {
    instance: rows[0][2],
    system: rows.find((r) => r[1] === 'system')[0],
    data: rows.find((r) => r[1] === 'data')[0],
  };
}

/** What the engine answers for CreateSnapshotGroup until issue 14 builds groups. */
const NOT_BUILT = { code: 'InvalidAction', message: 'Specified action is not valid.' };

/**
 * The dialog's verdict on its line is the engine's refusal of an action not built yet: the
 * terminal's dry run of the same line prints exactly that ErrorCode, and the dialog shows that
 * code and message as an alert and as the disabled button's reason (the dialog's own dry run was
 * queued before the terminal's, so it has its answer by then).
 */
async function refusedAsNotBuilt(page, dialog, confirm, name = 'Terminal') {
  const line = await dialog.locator('.equivalent code.cmdline').innerText();
  const dry = await type(page, `${line} --DryRun true`, name);
  assert.equal((dry.match(/^ErrorCode: (\S+)$/m) || [])[1], NOT_BUILT.code, dry);
  const button = dialog.getByRole('button', { name: confirm, exact: true });
  const reason = `${NOT_BUILT.code}: ${NOT_BUILT.message}`;
  await page
    .waitForFunction(([b, r]) => b.disabled && b.title === r, [await button.elementHandle(), reason], { timeout: 10000 })
    .catch(async () => {
      throw new Error(`the button should be disabled with "${reason}": disabled=${await button.isDisabled()}, title=${await button.getAttribute('title')}`);
    });
  const alert = dialog.getByRole('alert');
  assert.equal(await alert.count(), 1);
  assert.equal(await alert.locator('.error-code').innerText(), NOT_BUILT.code);
  assert.equal(await alert.locator('.error-message').innerText(), NOT_BUILT.message);
  assert.equal(await button.isDisabled(), true);
  assert.equal(await button.getAttribute('title'), reason);
}

test('an instance offers a snapshot-consistent group of its disks; the engine refuses it until groups exist', async () => {
  await step(env, 'consistency group', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const { instance, system, data } = await setUp(page);

    // From the instance list.
    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: 'grp' });
    await row.getByRole('button', { name: 'Create Snapshot-Consistent Group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create Snapshot-Consistent Group' });
    const disks = dialog.getByRole('group', { name: 'Disks in the group' });
    const sysBox = disks.getByRole('checkbox', { name: new RegExp(`^${system} · System disk`) });
    const dataBox = disks.getByRole('checkbox', { name: new RegExp(`^${data} · Data disk`) });
    assert.equal(await sysBox.isChecked(), true);
    assert.equal(await dataBox.isChecked(), true);
    const cmd = dialog.locator('.equivalent code.cmdline');
    await cmd.filter({ hasText: `aliyun ecs CreateSnapshotGroup --RegionId cn-hangzhou --InstanceId ${instance}` }).waitFor();
    assert.equal(await cmd.innerText(), `aliyun ecs CreateSnapshotGroup --RegionId cn-hangzhou --InstanceId ${instance}`);
    await refusedAsNotBuilt(page, dialog, 'Create Snapshot-Consistent Group');

    // Leaving a disk out and naming the group change the line; the engine checks it again.
    await dataBox.uncheck();
    await dialog.getByRole('textbox', { name: 'Group name (optional)' }).fill('nightly');
    await cmd.filter({ hasText: `--ExcludeDiskId.1 ${data} --Name nightly` }).waitFor();
    assert.equal(await cmd.innerText(), `aliyun ecs CreateSnapshotGroup --RegionId cn-hangzhou --InstanceId ${instance} --ExcludeDiskId.1 ${data} --Name nightly`);
    await refusedAsNotBuilt(page, dialog, 'Create Snapshot-Consistent Group');

    // A name the API does not take (it must start with a letter): the line carries it as typed;
    // the refusal is still the action's (issue 14 refuses the name itself).
    await dialog.getByRole('textbox', { name: 'Group name (optional)' }).fill('1nightly');
    await cmd.filter({ hasText: '--Name 1nightly' }).waitFor();
    await refusedAsNotBuilt(page, dialog, 'Create Snapshot-Consistent Group');
    await snap(page, 'consistency-group-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    // From the instance's detail page too.
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { name: new RegExp(`grp \\(${instance}\\)`) }).waitFor();
    await page.locator('.page-actions').getByRole('button', { name: 'Create Snapshot-Consistent Group' }).click();
    await dialog.waitFor();
    await disks.getByRole('checkbox').nth(1).waitFor();
    assert.equal(await disks.getByRole('checkbox').count(), 2);
    await refusedAsNotBuilt(page, dialog, 'Create Snapshot-Consistent Group');
  });
});

test('the consistency-group dialog speaks Chinese', async () => {
  await step(env, 'consistency group zh', async (page) => {
    await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true, lang: 'zh' });
    await page.getByRole('button', { name: '暂停', exact: true }).click();
    const { instance } = await setUp(page, '终端');
    const row = page.getByRole('table', { name: '实例' }).getByRole('row').filter({ hasText: 'grp' });
    await row.getByRole('button', { name: '创建快照一致性组' }).click();
    const dialog = page.getByRole('dialog', { name: '创建快照一致性组' });
    await dialog.getByRole('group', { name: '加入一致性组的云盘' }).getByRole('checkbox').nth(1).waitFor();
    await dialog.getByText('等效命令行').waitFor();
    await dialog.locator('.equivalent code.cmdline', { hasText: `--InstanceId ${instance}` }).waitFor();
    await refusedAsNotBuilt(page, dialog, '创建快照一致性组', '终端');
    await snap(page, 'consistency-group-zh');
  });
});
