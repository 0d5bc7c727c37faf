// The console's main flow with the mouse (and the terminal for guest writes), in English and
// in Chinese: activate the service, create an instance with a data disk, write blocks,
// snapshot the disk from the Disks page, reload and find everything again.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const L = {
  en: {
    nav: 'Console navigation', instances: 'Instances', disks: 'Disks',
    create: 'Create Instance', image: 'Image', addData: 'Add data disk', category1: 'Category 1', size1: 'Size (GiB) 1',
    running: 'Running', next: 'Next event', terminal: 'Terminal', dataDisk: 'Data disk',
    createSnapshot: 'Create Snapshot', snapshotName: 'Snapshot name', ok: 'OK', snapshotsTab: 'Snapshots',
    disksTab: 'Disks', completed: 'Completed', pause: 'Pause', checking: 'Checking with the service…',
  },
  zh: {
    nav: '控制台导航', instances: '实例', disks: '云盘',
    create: '创建实例', image: '镜像', addData: '增加一块数据盘', category1: '云盘类型 1', size1: '容量（GiB） 1',
    running: '运行中', next: '下一事件', terminal: '终端', dataDisk: '数据盘',
    createSnapshot: '创建快照', snapshotName: '快照名称', ok: '确定', snapshotsTab: '快照',
    disksTab: '云盘', completed: '完成', pause: '暂停', checking: '正在校验…',
  },
};

/** Types a line into the terminal and waits for its reply to be printed. */
async function terminal(page, t, line) {
  const input = page.getByRole('textbox', { name: t.terminal, exact: true });
  const log = page.getByRole('log');
  const before = await log.locator('.entry').count();
  await input.fill(line);
  await input.press('Enter');
  await log.locator('.entry').nth(before).waitFor();
  return log.locator('.entry').nth(before).innerText();
}

/** Clicks the clock's "Next event" until `target` (a locator) shows up. */
async function nextEventUntil(page, t, target) {
  const next = page.getByRole('group', { name: /Simulated clock|模拟时钟/ }).getByRole('button', { name: t.next });
  for (let i = 0; i < 20; i += 1) {
    try {
      await target.waitFor({ timeout: 1000 });
      return;
    } catch {
      if (await next.isEnabled()) await next.click();
    }
  }
  await target.waitFor({ timeout: 1000 });
}

async function mainFlow(page, lang) {
  const t = L[lang];
  // A Chinese user's console opens in Chinese (the language switch is remembered).
  if (lang === 'zh') await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
  await openConsole(page, env.url);
  // R-SVC-1: a new world asks to activate the snapshot service.
  await answerActivation(page, { activate: true, lang });
  // The clock stays paused so the steps are deterministic.
  await page.getByRole('button', { name: t.pause, exact: true }).click();

  // Create an instance with an ESSD data disk.
  await page.getByRole('button', { name: t.create, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: t.create });
  await dialog.getByRole('combobox', { name: t.image, exact: true }).selectOption('centos_7_9_x64_20G_alibase_20230815.vhd');
  await dialog.getByRole('button', { name: t.addData }).click();
  await dialog.getByRole('combobox', { name: t.category1 }).selectOption('cloud_essd');
  await dialog.getByRole('spinbutton', { name: t.size1 }).fill('20');
  await dialog.locator('code.cmdline', { hasText: 'DataDisk.1.Size 20' }).waitFor();
  const confirm = dialog.getByRole('button', { name: t.create, exact: true });
  await page.waitForFunction(() => {
    const d = document.querySelector('[role=dialog] .modal-foot button');
    return d && !d.disabled;
  });
  await snap(page, `flow-${lang}-create-instance`);
  await confirm.click();
  await dialog.waitFor({ state: 'detached' });

  const table = page.getByRole('table', { name: t.instances });
  const row = table.getByRole('row').nth(1);
  await row.waitFor();
  const instanceId = (await row.locator('.mono').first().innerText()).trim();
  assert.match(instanceId, /^i-bp1/);
  await nextEventUntil(page, t, row.locator('[data-status="Running"]'));
  assert.equal(await row.locator('[data-status]').innerText(), t.running);

  // The instance's Disks tab (its own URL) lists the system and the data disk.
  await row.getByRole('link').first().click();
  await page.waitForURL((u) => u.pathname === `/instances/${instanceId}`);
  await page.getByRole('navigation', { name: /Instance views|实例视图/ }).getByRole('link', { name: t.disksTab, exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/instances/${instanceId}/disks`);
  const dataRow = page.getByRole('table', { name: t.disks }).getByRole('row').filter({ hasText: t.dataDisk });
  await dataRow.waitFor();
  const diskId = (await dataRow.locator('.mono').first().innerText()).trim();
  assert.match(diskId, /^d-bp1/);

  // R-INC-3: blocks A–D written through the terminal, the pages follow.
  for (const [block, text] of [[0, 'A'], [1, 'B'], [2, 'C'], [3, 'D']]) {
    const out = await terminal(page, t, `snaplab guest write --DiskId ${diskId} --Block ${block} --Text ${text}`);
    assert.doesNotMatch(out, /ERROR/);
  }

  // Create a snapshot from the Disks page.
  await page.getByRole('navigation', { name: t.nav }).getByRole('link', { name: t.disks, exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/disks');
  const diskRow = page.getByRole('table', { name: t.disks }).getByRole('row').filter({ hasText: diskId });
  await diskRow.getByRole('button', { name: t.createSnapshot }).click();
  const snapDialog = page.getByRole('dialog', { name: t.createSnapshot });
  await snapDialog.getByRole('textbox', { name: t.snapshotName }).fill('S1');
  await snapDialog.locator('code.cmdline', { hasText: '--SnapshotName S1' }).waitFor();
  const ok = snapDialog.getByRole('button', { name: t.ok, exact: true });
  await page.waitForFunction(() => {
    const d = document.querySelector('[role=dialog] .modal-foot button');
    return d && !d.disabled;
  });
  await snap(page, `flow-${lang}-create-snapshot`);
  await ok.click();
  await snapDialog.waitFor({ state: 'detached' });
  // The terminal shows the equivalent command line of the mouse action.
  await page.getByRole('log').getByText(`aliyun ecs CreateSnapshot --DiskId ${diskId} --SnapshotName S1`).waitFor();

  // The instance's Snapshots tab shows it; the clock completes it.
  await page.goto(`${env.url}/instances/${instanceId}/snapshots`);
  await page.locator('.console[data-engine="ready"]').waitFor();
  const snapRow = page.getByRole('table', { name: t.snapshotsTab }).getByRole('row').filter({ hasText: 'S1' });
  await snapRow.waitFor();
  await nextEventUntil(page, t, snapRow.locator('[data-status="accomplished"]'));

  // A reload leaves the world as it was (IndexedDB).
  await page.reload();
  await page.locator('.console[data-engine="ready"]').waitFor();
  await snapRow.waitFor();
  assert.equal(await snapRow.locator('[data-status]').innerText(), t.completed);
  assert.equal(await page.getByRole('dialog').count(), 0, 'no activation dialog after activation');
  await page.getByRole('navigation', { name: t.nav }).getByRole('link', { name: t.instances, exact: true }).click();
  await page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: instanceId }).waitFor();
  const out = await terminal(page, t, `snaplab guest read --DiskId ${diskId} --Block 3`);
  assert.match(out, /"Text": "D"/);
  await snap(page, `flow-${lang}-after-reload`);
}

test('main flow with the mouse, in English', async () => {
  await step(env, 'flow-en', (page) => mainFlow(page, 'en'));
});

test('main flow with the mouse, in Chinese', async () => {
  await step(env, 'flow-zh', (page) => mainFlow(page, 'zh'));
});

test('stop in economical mode, start, restart and release an instance with the mouse', async () => {
  await step(env, 'instance-actions', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await terminal(page, L.en, 'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId aliyun_3_x64_20G_alibase_20221102.vhd --InstanceType ecs.c7.large --InstanceName box');
    await terminal(page, L.en, 'snaplab clock run-until-idle');
    const row = page.getByRole('table', { name: 'Instances' }).getByRole('row').filter({ hasText: 'box' });
    await row.locator('[data-status="Running"]').waitFor();

    await row.getByRole('button', { name: 'Stop', exact: true }).click();
    const stop = page.getByRole('dialog', { name: 'Stop instance' });
    await stop.getByRole('radio', { name: /StopCharging/ }).check();
    await stop.locator('code.cmdline', { hasText: '--StoppedMode StopCharging' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
    await stop.getByRole('button', { name: 'Stop', exact: true }).click();
    await stop.waitFor({ state: 'detached' });
    await nextEventUntil(page, L.en, row.locator('[data-status="Stopped"]'));

    // Restarting a stopped instance is refused by the service, and the dialog says why.
    await row.getByRole('button', { name: 'Restart', exact: true }).click();
    const restart = page.getByRole('dialog', { name: 'Restart instance' });
    await restart.getByRole('alert').getByText('IncorrectInstanceStatus').waitFor();
    await restart.getByRole('button', { name: 'Cancel' }).click();

    await row.getByRole('button', { name: 'Start', exact: true }).click();
    const startDialog = page.getByRole('dialog', { name: 'Start instance' });
    await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
    await startDialog.getByRole('button', { name: 'Start', exact: true }).click();
    await nextEventUntil(page, L.en, row.locator('[data-status="Running"]'));

    // Releasing a running instance needs Force (offered, checked) after the warning.
    await row.getByRole('button', { name: 'Release', exact: true }).click();
    const release = page.getByRole('dialog', { name: 'Release instance' });
    assert.match(await release.getByRole('note').innerText(), /irreversible/);
    await release.locator('code.cmdline', { hasText: '--Force true' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('[role=dialog] .modal-foot button').disabled);
    await release.getByRole('button', { name: 'Release', exact: true }).click();
    await release.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
  });
});
