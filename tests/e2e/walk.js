// The walkthrough as steps a new user takes (not a test file itself: walkthrough.test.js
// and reload.test.js run it). Each step has a `mouse` and a `terminal` way of doing it and one
// shared `check` of what the pages must show afterwards; the context carries the language
// ('en' | 'zh'), the mode ('mouse' | 'terminal') and what the world should now hold.
//
//   activate the service → create an instance with a data disk → write A–D (R-INC-3) → S1 →
//   write B1, C1 → S2 → write B2 → S3 → preview deleting S2 (R-DEL-3, R-DEL-4) → delete it →
//   stop the instance → roll the disk back to S1 (R-RB-1, R-RB-2)
//
// The world is a new user's: the default seed and block size (1 MiB blocks), so every block
// version counts 1 MiB of capacity.
'use strict';

const assert = require('node:assert/strict');
const { shot } = require('./harness');

const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-h'; // the first zone of the region: the dialogs' default
const IMAGE = 'centos_7_9_x64_20G_alibase_20230815.vhd';
const MIB = 1 << 20;

/** What a person reads on the screen, per language. */
const TEXT = {
  en: {
    nav: 'Console navigation', instances: 'Instances', disks: 'Disks', snapshots: 'Snapshots', images: 'Images',
    activate: ['Activate the snapshot service', 'Activate now', 'Not now'],
    clock: 'Simulated clock', pause: 'Pause', next: 'Next event',
    terminal: 'Terminal', terminalOutput: 'Terminal output', showTerminal: 'Show terminal', hideTerminal: 'Hide terminal',
    createInstance: 'Create Instance', image: 'Image', instanceName: 'Instance name (optional)', addData: 'Add data disk',
    category1: 'Category 1', size1: 'Size (GiB) 1', noInstances: 'No instances in this region yet.',
    instanceViews: 'Instance views', overview: 'Instance Details', disksTab: 'Disks', snapshotsTab: 'Snapshots',
    noInstanceSnapshots: "This instance's disks have no snapshots yet.",
    region: 'Region', zone: 'Zone', type: 'Instance Type', os: 'Operating system',
    status: { Running: 'Running', Stopped: 'Stopped', In_use: 'In use', accomplished: 'Completed', progressing: 'In progress' },
    essd: 'ESSD', dataDisk: 'Data disk', systemDisk: 'System disk', no: 'No',
    createSnapshot: 'Create Snapshot', snapshotDialog: 'Create snapshot', snapshotName: 'Snapshot name', ok: 'OK',
    snapshotTabs: 'Snapshot views', chainsTab: 'Snapshot Chains', capacityTab: 'Snapshot Capacity',
    snapshotList: 'Snapshots', standard: 'Standard snapshot', user: 'User snapshot', forever: 'Until deleted',
    chains: 'Snapshot chains', chainSnapshots: 'Snapshots in this chain', chart: 'Chart', table: 'Table',
    delete: 'Delete', deleteDialog: 'Delete Snapshot', deleteConfirm: 'Delete', preview: 'Deletion preview',
    saving: 'saving', ownedFrom: 'block(s) owned', referencedFrom: 'block(s) referenced from',
    capacityByRegion: 'Snapshot capacity by region', capacityChains: 'Chains in this region',
    stop: 'Stop', stopDialog: 'Stop instance',
    rollback: 'Roll Back Disk', rollbackDialog: 'Roll Back Disk',
    publicImages: 'Public Images', customImages: 'Custom Images', noCustom: 'No custom images in this region yet.',
    equivalent: 'console action — equivalent command line',
    exportWorld: 'Export world',
  },
  zh: {
    nav: '控制台导航', instances: '实例', disks: '云盘', snapshots: '快照', images: '镜像',
    activate: ['开通快照服务', '立即开通', '暂不开通'],
    clock: '模拟时钟', pause: '暂停', next: '下一事件',
    terminal: '终端', terminalOutput: '终端输出', showTerminal: '显示终端', hideTerminal: '隐藏终端',
    createInstance: '创建实例', image: '镜像', instanceName: '实例名称（可选）', addData: '增加一块数据盘',
    category1: '云盘类型 1', size1: '容量（GiB） 1', noInstances: '当前地域还没有实例。',
    instanceViews: '实例视图', overview: '实例详情', disksTab: '云盘', snapshotsTab: '快照',
    noInstanceSnapshots: '该实例的云盘还没有快照。',
    region: '地域', zone: '可用区', type: '实例规格', os: '操作系统',
    status: { Running: '运行中', Stopped: '已停止', In_use: '使用中', accomplished: '完成', progressing: '进行中' },
    essd: 'ESSD云盘', dataDisk: '数据盘', systemDisk: '系统盘', no: '否',
    createSnapshot: '创建快照', snapshotDialog: '创建快照', snapshotName: '快照名称', ok: '确定',
    snapshotTabs: '快照视图', chainsTab: '快照链', capacityTab: '快照容量',
    snapshotList: '快照列表', standard: '普通快照', user: '用户快照', forever: '持续保留',
    chains: '快照链列表', chainSnapshots: '快照链中的快照', chart: '图形', table: '表格',
    delete: '删除', deleteDialog: '删除快照', deleteConfirm: '确定删除', preview: '删除预览',
    saving: '节省', ownedFrom: '个独占数据块', referencedFrom: '个数据块引用自',
    capacityByRegion: '各地域快照容量', capacityChains: '本地域的快照链',
    stop: '停止', stopDialog: '停止实例',
    rollback: '回滚云盘', rollbackDialog: '回滚云盘',
    publicImages: '公共镜像', customImages: '自定义镜像', noCustom: '当前地域还没有自定义镜像。',
    equivalent: '控制台操作 — 等效命令行',
    exportWorld: '导出世界',
  },
};

// ----- the expected world: a tiny reference model of the chain (R-INC-2, R-DEL-3) -----

/**
 * What the world should hold, kept by the steps: the instance, the disks, the snapshots of the
 * data disk (oldest first), and for the disk and each snapshot the block version at LBA 0–3
 * (a write makes a new version even with the same text, R-INC-4).
 */
function newWorld() {
  return {
    instanceId: null, instanceStatus: null, dataDisk: null, systemDisk: null,
    writes: 0,
    disk: [null, null, null, null], // { v: version, text } per LBA
    snaps: [], // { name, id, status, blocks: [{ v, text }…] }
  };
}

/** The snapshot that owns the version `snap.blocks[lba]`: the earliest that holds it. */
function owner(w, lba, version) {
  return w.snaps.find((s) => s.blocks[lba] && s.blocks[lba].v === version);
}

/** Chain capacity in blocks: every distinct block version some snapshot holds (R-CHN-1). */
function capacityBlocks(w) {
  const versions = new Set();
  for (const s of w.snaps) for (const b of s.blocks) if (b) versions.add(b.v);
  return versions.size;
}

/** The block view's rows as the model says: [id, [state per LBA], [label per LBA], [owner per LBA]]. */
function expectedRows(w) {
  const rows = w.snaps.map((s) => [
    s.id,
    s.blocks.map((b, lba) => (!b ? 'empty' : owner(w, lba, b.v) === s ? 'owned' : 'referenced')),
    s.blocks.map((b) => (b ? b.text : '')),
    s.blocks.map((b, lba) => (b && owner(w, lba, b.v) !== s ? owner(w, lba, b.v).name : null)),
  ]);
  rows.push([
    w.dataDisk,
    w.disk.map((b, lba) => (!b ? 'empty' : owner(w, lba, b.v) ? 'referenced' : 'owned')),
    w.disk.map((b) => (b ? b.text : '')),
    w.disk.map((b, lba) => (b && owner(w, lba, b.v) ? owner(w, lba, b.v).name : null)),
  ]);
  return rows;
}

function fmtMiB(blocks) {
  return `${blocks} MiB`;
}

// ----- helpers -----

function slug(ctx, what) {
  return `walk-${ctx.lang}-${ctx.mode}-${what}`;
}


/** Types one line into the terminal ("Terminal" / "终端") and returns what it printed. */
async function term(ctx, line, { ok = true } = {}) {
  const { page, t } = ctx;
  const show = page.getByRole('button', { name: t.showTerminal, exact: true });
  if (await show.count()) await show.click();
  const entries = page.getByRole('log', { name: t.terminalOutput }).locator('.entry');
  const before = await entries.count();
  const input = page.getByRole('textbox', { name: t.terminal, exact: true });
  await input.fill(line);
  await input.press('Enter');
  const entry = entries.nth(before);
  await entry.waitFor();
  const out = entry.locator('.entry-output');
  const text = (await out.count()) ? await out.innerText() : '';
  if (ok) assert.ok(!(await entry.getAttribute('class')).includes('error'), `${line}\n${text}`);
  return text;
}

/** A terminal line whose reply is JSON. */
async function termJson(ctx, line) {
  return JSON.parse(await term(ctx, line));
}

/** Folds the terminal away (it covers the page's lower part in screenshots). */
async function hideTerminal(ctx) {
  const hide = ctx.page.getByRole('button', { name: ctx.t.hideTerminal, exact: true });
  if (await hide.count()) await hide.click();
}

async function nav(ctx, name) {
  await ctx.page.getByRole('navigation', { name: ctx.t.nav }).getByRole('link', { name, exact: true }).click();
}

async function snapshotTab(ctx, name) {
  await nav(ctx, ctx.t.snapshots);
  await ctx.page.getByRole('navigation', { name: ctx.t.snapshotTabs }).getByRole('link', { name, exact: true }).click();
}

async function instanceTab(ctx, name) {
  const { page, t, w } = ctx;
  if (!page.url().includes(`/instances/${w.instanceId}`)) {
    await nav(ctx, t.instances);
    await page.getByRole('table', { name: t.instances }).getByRole('link', { name: new RegExp(w.instanceId) }).click();
  }
  await page.getByRole('navigation', { name: t.instanceViews }).getByRole('link', { name, exact: true }).click();
}

/** Waits until the dialog's confirm button is enabled (the engine's dry run passed), clicks it. */
async function confirm(ctx, dialog, name) {
  const button = dialog.getByRole('button', { name, exact: true, disabled: false });
  await button.waitFor();
  await button.click();
  await dialog.waitFor({ state: 'detached' });
}

/** Clicks the clock's "Next event" until `target` shows (the clock stays paused otherwise). */
async function nextEventUntil(ctx, target) {
  const { page, t } = ctx;
  const clock = page.getByRole('group', { name: t.clock });
  const next = clock.getByRole('button', { name: t.next, exact: true });
  for (let i = 0; i < 10; i += 1) {
    if (await target.count()) return;
    if (await next.isEnabled()) await next.click();
    // The pages read the world again after the clock moved.
    await target.waitFor({ timeout: 2000 }).catch(() => {});
  }
  await target.waitFor({ timeout: 2000 });
}

/** The mouse action's equivalent command line shows in the terminal's log. */
async function logged(ctx, line) {
  const show = ctx.page.getByRole('button', { name: ctx.t.showTerminal, exact: true });
  if (await show.count()) await show.click();
  const log = ctx.page.getByRole('log', { name: ctx.t.terminalOutput });
  await log.locator('.entry.from-console .entry-line', { hasText: line }).last().waitFor();
}

// ----- the checks of every page -----

async function checkInstances(ctx) {
  const { page, t, w } = ctx;
  await nav(ctx, t.instances);
  const table = page.getByRole('table', { name: t.instances });
  if (!w.instanceId) {
    await page.getByRole('status').filter({ hasText: t.noInstances }).waitFor();
    return;
  }
  const row = table.getByRole('row').filter({ hasText: w.instanceId });
  await row.locator(`[data-status="${w.instanceStatus}"]`).waitFor();
  const text = await row.innerText();
  for (const want of [w.instanceId, 'walk', ZONE, t.status[w.instanceStatus], 'ecs.g7.large', IMAGE]) {
    assert.ok(text.includes(want), `the instance row shows ${want}: ${text}`);
  }
  assert.equal(await table.locator('tbody tr').count(), 1);
}

async function checkInstanceDetail(ctx) {
  const { page, t, w } = ctx;
  await instanceTab(ctx, t.overview);
  await page.waitForURL((u) => u.pathname === `/instances/${w.instanceId}`);
  await page.getByRole('heading', { name: `walk (${w.instanceId})` }).waitFor();
  await page.locator('.page-actions').locator(`[data-status="${w.instanceStatus}"]`).waitFor();
  const dd = async (label) => page.locator('dl.detail-head div').filter({ has: page.getByText(label, { exact: true }) }).locator('dd').innerText();
  assert.equal(await dd(t.region), REGION);
  assert.equal(await dd(t.zone), ZONE);
  assert.equal(await dd(t.type), 'ecs.g7.large');
  assert.equal(await dd(t.image), IMAGE);
  assert.match(await dd(t.os), /CentOS/);

  // The Disks tab: the system disk and the data disk, both in use.
  await instanceTab(ctx, t.disksTab);
  await page.waitForURL((u) => u.pathname === `/instances/${w.instanceId}/disks`);
  const disks = page.getByRole('table', { name: t.disks });
  const data = disks.getByRole('row').filter({ hasText: t.dataDisk });
  const system = disks.getByRole('row').filter({ hasText: t.systemDisk });
  await data.locator('[data-status="In_use"]').waitFor();
  await system.locator('[data-status="In_use"]').waitFor();
  const dataText = await data.innerText();
  for (const want of [t.essd, '20 GiB', t.status.In_use, w.instanceId, ZONE, t.no]) assert.ok(dataText.includes(want), `${want} in ${dataText}`);
  assert.ok((await system.innerText()).includes('40 GiB'));
  if (w.dataDisk) {
    assert.ok(dataText.includes(w.dataDisk));
  } else {
    w.dataDisk = (await data.locator('.mono').first().innerText()).trim();
    w.systemDisk = (await system.locator('.mono').first().innerText()).trim();
  }
  assert.match(w.dataDisk, /^d-bp1/);

  // The Snapshots tab: the data disk's snapshots.
  await instanceTab(ctx, t.snapshotsTab);
  await page.waitForURL((u) => u.pathname === `/instances/${w.instanceId}/snapshots`);
  const list = page.getByRole('table', { name: t.snapshotsTab });
  if (!w.snaps.length) {
    await page.getByRole('status').filter({ hasText: t.noInstanceSnapshots }).waitFor();
  } else {
    for (const s of w.snaps) {
      const row = list.getByRole('row').filter({ hasText: s.id });
      await row.locator(`[data-status="${s.status}"]`).waitFor();
      assert.ok((await row.innerText()).includes(s.name));
    }
    await page.waitForFunction(([n]) => document.querySelectorAll('table.data tbody tr').length === n, [w.snaps.length]);
  }
}

async function checkDisks(ctx) {
  const { page, t, w } = ctx;
  await nav(ctx, t.disks);
  await page.waitForURL((u) => u.pathname === '/disks');
  const table = page.getByRole('table', { name: t.disks });
  const row = table.getByRole('row').filter({ hasText: w.dataDisk });
  await row.locator('[data-status="In_use"]').waitFor();
  const text = await row.innerText();
  for (const want of [t.essd, '20 GiB', t.dataDisk, t.status.In_use, w.instanceId]) assert.ok(text.includes(want), `${want} in ${text}`);
  await table.getByRole('row').filter({ hasText: w.systemDisk }).waitFor();
  assert.equal(await table.locator('tbody tr').count(), 2);
}

async function checkSnapshotList(ctx) {
  const { page, t, w } = ctx;
  await snapshotTab(ctx, t.snapshots);
  const list = page.getByRole('table', { name: t.snapshotList });
  for (const s of w.snaps) {
    const row = list.locator(`tr[data-id="${s.id}"][data-status="${s.status}"]`);
    await row.waitFor();
    if (s.status === 'accomplished') {
      const want = [s.name, t.standard, t.user, w.dataDisk, '20 GiB', t.dataDisk, t.no, t.forever, '100%', t.status.accomplished];
      const text = await row.innerText();
      let at = 0;
      for (const part of want) {
        const i = text.indexOf(part, at);
        assert.ok(i >= 0, `the row of ${s.name} shows ${part} (in the columns' order): ${text}`);
        at = i + part.length;
      }
    }
  }
  await page.waitForFunction(([n]) => document.querySelectorAll('.snapshot-list tbody tr').length === n, [w.snaps.length]);
}

/** The block view in its table mode, cell by cell, against the model; back to the chart. */
async function checkBlockView(ctx) {
  const { page, t, w } = ctx;
  const view = page.locator(`.blockview[data-disk="${w.dataDisk}"]`);
  const rows = expectedRows(w);
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(`${sel} .bv-row`).length === n,
    [`.blockview[data-disk="${w.dataDisk}"]`, rows.length]);
  assert.deepEqual(await view.locator('.bv-row').evaluateAll((gs) => gs.map((g) => g.dataset.id)), rows.map((r) => r[0]),
    'every snapshot a row, oldest first, the disk last');
  for (const [id, states] of rows) {
    const owned = states.filter((s) => s === 'owned').length;
    assert.equal(await view.locator(`.bv-row[data-id="${id}"]`).getAttribute('data-owned'), String(owned), `${id} owns ${owned}`);
  }
  await view.getByRole('button', { name: t.table, exact: true }).click();
  await page.locator('.bv-table').waitFor();
  for (const [id, states, labels, owners] of rows) {
    const cells = page.locator(`.bv-table tr[data-id="${id}"] td`);
    assert.deepEqual(await cells.evaluateAll((tds) => tds.map((td) => td.dataset.state)), states, `the cells of ${id}`);
    const texts = await cells.allInnerTexts();
    assert.deepEqual(texts.map((c) => c.split(':')[0]), labels, `the labels of ${id}`);
    owners.forEach((o, lba) => {
      if (o) assert.ok(texts[lba].includes(`${t.referencedFrom} ${o}`), `${id} LBA ${lba} references ${o}: ${texts[lba]}`);
    });
  }
  await view.getByRole('button', { name: t.chart, exact: true }).click();
  await view.locator('svg.bv-chart').waitFor();
}

async function checkChains(ctx) {
  const { page, t, w } = ctx;
  await snapshotTab(ctx, t.chainsTab);
  const chains = page.getByRole('table', { name: t.chains });
  if (!w.snaps.length) {
    await page.getByRole('status').filter({ hasText: /No snapshot chains|还没有快照链/ }).waitFor();
    return;
  }
  const row = chains.locator(`tr[data-disk="${w.dataDisk}"]`);
  await row.locator('[data-figure="count"]', { hasText: String(w.snaps.length) }).waitFor();
  assert.equal(await row.locator('[data-figure="capacity"]').innerText(), fmtMiB(capacityBlocks(w)));
  // The chain's own snapshot table (read by the chain's own queries).
  const ids = w.snaps.map((s) => s.id).join(' ');
  await page.waitForFunction((want) => [...document.querySelectorAll('.chain-detail table.data tbody tr')]
    .map((tr) => tr.dataset.id).join(' ') === want, ids);
  const inChain = page.getByRole('table', { name: t.chainSnapshots });
  assert.deepEqual(await inChain.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.id).join(' ')), ids);
  await checkBlockView(ctx);
}

async function checkCapacity(ctx) {
  const { page, t, w } = ctx;
  await snapshotTab(ctx, t.capacityTab);
  const region = page.getByRole('table', { name: t.capacityByRegion }).locator(`tr[data-region="${REGION}"]`);
  await region.locator('[data-figure="count"]', { hasText: new RegExp(`^${w.snaps.length}$`) }).waitFor();
  assert.equal(await region.locator('[data-figure="size"]').innerText(), w.snaps.length ? fmtMiB(capacityBlocks(w)) : '0 B');
  // R-BIL-1: the first 5 GB of a region are free.
  assert.equal(await region.locator('[data-figure="cost"]').innerText(), '$0.00');
  if (w.snaps.length) {
    const chain = page.getByRole('table', { name: t.capacityChains }).locator(`tr[data-disk="${w.dataDisk}"]`);
    await chain.waitFor();
    const cells = await chain.locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 3), [w.dataDisk, String(w.snaps.length), fmtMiB(capacityBlocks(w))]);
  }
}

async function checkImages(ctx) {
  const { page, t } = ctx;
  await nav(ctx, t.images);
  await page.getByRole('table', { name: t.publicImages }).getByRole('row').filter({ hasText: IMAGE }).waitFor();
  await page.getByRole('status').filter({ hasText: t.noCustom }).waitFor();
}

/** Every page, against what the world should hold. */
async function tour(ctx) {
  await checkInstances(ctx);
  if (ctx.w.instanceId) {
    await checkInstanceDetail(ctx);
    await checkDisks(ctx);
  }
  await checkSnapshotList(ctx);
  await checkChains(ctx);
  await checkCapacity(ctx);
  await checkImages(ctx);
}

/** Reads the guest's blocks through the terminal (read-only) against the model. */
async function checkGuestBlocks(ctx) {
  for (let lba = 0; lba < 4; lba += 1) {
    const b = ctx.w.disk[lba];
    const out = await termJson(ctx, `snaplab guest read --DiskId ${ctx.w.dataDisk} --Block ${lba}`);
    if (b) assert.equal(out.Text, b.text, `LBA ${lba}`);
  }
}

// ----- the steps -----

/** Writes labelled blocks as the guest. The console has no guest (there is no mouse way to
 * write into a disk): both modes type `snaplab guest write` (SPEC §18) in the terminal. */
function writeStep(name, blocks) {
  const write = async (ctx) => {
    for (const [lba, text] of blocks) {
      await term(ctx, `snaplab guest write --DiskId ${ctx.w.dataDisk} --Block ${lba} --Text ${text}`);
      ctx.w.writes += 1;
      ctx.w.disk[lba] = { v: ctx.w.writes, text };
    }
  };
  return { name, mouse: write, terminal: write, check: checkGuestBlocks };
}

/** Takes snapshot `name` of the data disk: the Disks page's "Create Snapshot", or CreateSnapshot
 * typed while the Snapshots list is open (the new row shows up live). */
function snapshotSteps(name) {
  const take = (ctx, id) => {
    ctx.w.snaps.push({ name, id, status: 'progressing', blocks: ctx.w.disk.map((b) => b && { ...b }) });
  };
  const create = {
    name: `create snapshot ${name}`,
    async mouse(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.disks);
      const row = page.getByRole('table', { name: t.disks }).getByRole('row').filter({ hasText: w.dataDisk });
      await row.getByRole('button', { name: t.createSnapshot, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t.snapshotDialog });
      await dialog.getByRole('textbox', { name: t.snapshotName }).fill(name);
      await dialog.locator('code.cmdline', { hasText: `--SnapshotName ${name}` }).waitFor();
      await confirm(ctx, dialog, t.ok);
      await logged(ctx, `aliyun ecs CreateSnapshot --DiskId ${w.dataDisk} --SnapshotName ${name}`);
      await snapshotTab(ctx, t.snapshots);
      const listed = page.getByRole('table', { name: t.snapshotList }).locator('tbody tr').filter({ hasText: name });
      await listed.waitFor();
      take(ctx, await listed.getAttribute('data-id'));
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await snapshotTab(ctx, t.snapshots);
      const { SnapshotId } = await termJson(ctx, `aliyun ecs CreateSnapshot --DiskId ${w.dataDisk} --SnapshotName ${name}`);
      take(ctx, SnapshotId);
      // The list follows the typed command.
      await page.getByRole('table', { name: t.snapshotList }).locator(`tr[data-id="${SnapshotId}"]`).waitFor();
    },
    async check(ctx) {
      const { page, t } = ctx;
      const s = ctx.w.snaps[ctx.w.snaps.length - 1];
      assert.match(s.id, /^s-bp1/);
      await snapshotTab(ctx, t.snapshots);
      const row = page.getByRole('table', { name: t.snapshotList }).locator(`tr[data-id="${s.id}"][data-status="progressing"]`);
      await row.waitFor();
      // R-CRT-4: in progress while the clock stands still.
      assert.ok((await row.innerText()).includes(t.status.progressing));
    },
  };
  const done = {
    name: `snapshot ${name} completes`,
    async mouse(ctx) {
      const { page, t } = ctx;
      const s = ctx.w.snaps[ctx.w.snaps.length - 1];
      await snapshotTab(ctx, t.snapshots);
      await nextEventUntil(ctx, page.getByRole('table', { name: t.snapshotList }).locator(`tr[data-id="${s.id}"][data-status="accomplished"]`));
    },
    async terminal(ctx) {
      const { page, t } = ctx;
      const s = ctx.w.snaps[ctx.w.snaps.length - 1];
      await snapshotTab(ctx, t.snapshots);
      // The waiter advances the simulated clock (SPEC §18); the open list follows it.
      const out = await term(ctx, `aliyun ecs DescribeSnapshots --RegionId ${REGION} --SnapshotIds '["${s.id}"]' --waiter expr='Snapshots.Snapshot[0].Status' to=accomplished --output cols=SnapshotId,Status,Progress rows=Snapshots.Snapshot[]`);
      assert.match(out, new RegExp(`${s.id}\\s*\\|\\s*accomplished\\s*\\|\\s*100%`));
      await page.getByRole('table', { name: t.snapshotList }).locator(`tr[data-id="${s.id}"][data-status="accomplished"]`).waitFor();
    },
    async check(ctx) {
      ctx.w.snaps[ctx.w.snaps.length - 1].status = 'accomplished';
      await checkSnapshotList(ctx);
    },
  };
  return [create, done];
}

async function openDeleteDialog(ctx) {
  const { page, t, w } = ctx;
  const dialog = page.getByRole('dialog', { name: t.deleteDialog });
  if (await dialog.count()) return dialog;
  if (!page.url().endsWith('/snapshots/chains')) await snapshotTab(ctx, t.chainsTab);
  await page.getByRole('table', { name: t.chainSnapshots }).locator(`tr[data-id="${w.snaps[1].id}"]`)
    .getByRole('button', { name: t.delete, exact: true }).click();
  await dialog.getByRole('region', { name: t.preview }).waitFor();
  return dialog;
}

const STEPS = [
  {
    name: 'open the console and activate the snapshot service',
    async mouse(ctx) {
      const { page, t } = ctx;
      // R-SVC-1: a new world asks to activate the service.
      const dialog = page.getByRole('dialog', { name: t.activate[0] });
      await dialog.getByRole('button', { name: t.activate[1], exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    },
    async terminal(ctx) {
      const { page, t } = ctx;
      const dialog = page.getByRole('dialog', { name: t.activate[0] });
      await dialog.getByRole('button', { name: t.activate[2], exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      const out = await termJson(ctx, 'snaplab service activate');
      assert.equal(out.ServiceActivated, true);
    },
    async check(ctx) {
      const { page, t } = ctx;
      // The clock stays paused: every step is deterministic (the clock moves with Next event
      // or with a waiter).
      await page.getByRole('group', { name: t.clock }).getByRole('button', { name: t.pause, exact: true }).click();
      assert.equal((await termJson(ctx, 'snaplab world show')).ServiceActivated, true);
      await checkInstances(ctx);
      assert.equal(await page.getByRole('dialog').count(), 0);
    },
  },
  {
    name: 'create an instance with a data disk',
    async mouse(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      await page.getByRole('button', { name: t.createInstance, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t.createInstance });
      await dialog.getByRole('combobox', { name: t.image, exact: true }).selectOption(IMAGE);
      await dialog.getByRole('textbox', { name: t.instanceName, exact: true }).fill('walk');
      await dialog.getByRole('button', { name: t.addData, exact: true }).click();
      await dialog.getByRole('combobox', { name: t.category1, exact: true }).selectOption('cloud_essd');
      await dialog.getByRole('spinbutton', { name: t.size1, exact: true }).fill('20');
      await dialog.locator('code.cmdline', { hasText: '--DataDisk.1.Size 20' }).waitFor();
      await confirm(ctx, dialog, t.createInstance);
      const row = page.getByRole('table', { name: t.instances }).locator('tbody tr').filter({ hasText: 'walk' });
      w.instanceId = (await row.locator('.mono').first().innerText()).trim();
      await logged(ctx, 'aliyun ecs RunInstances --RegionId cn-hangzhou');
      await nextEventUntil(ctx, row.locator('[data-status="Running"]'));
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      // The line the mouse's dialog runs.
      const out = await termJson(ctx, `aliyun ecs RunInstances --RegionId ${REGION} --ZoneId ${ZONE} --ImageId ${IMAGE} --InstanceType ecs.g7.large --InstanceName walk --SystemDisk.Category cloud_essd --SystemDisk.Size 40 --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20`);
      w.instanceId = out.InstanceIdSets.InstanceIdSet[0];
      const row = page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId });
      await row.waitFor();
      assert.notEqual(await row.locator('[data-status]').getAttribute('data-status'), 'Running');
      // The waiter moves the clock until the instance runs: the open page follows it (a read
      // that moved the clock refreshes the pages).
      await term(ctx, `aliyun ecs DescribeInstances --RegionId ${REGION} --InstanceIds '["${w.instanceId}"]' --waiter expr='Instances.Instance[0].Status' to=Running`);
      await row.locator('[data-status="Running"]').waitFor();
    },
    async check(ctx) {
      ctx.w.instanceStatus = 'Running';
      assert.match(ctx.w.instanceId, /^i-bp1/);
      await checkInstances(ctx);
      await checkInstanceDetail(ctx);
      await checkDisks(ctx);
    },
  },
  writeStep('write blocks A, B, C, D (R-INC-3)', [[0, 'A'], [1, 'B'], [2, 'C'], [3, 'D']]),
  ...snapshotSteps('S1'),
  writeStep('write B1 and C1', [[1, 'B1'], [2, 'C1']]),
  ...snapshotSteps('S2'),
  writeStep('write B2', [[1, 'B2']]),
  ...snapshotSteps('S3'),
  {
    name: 'every page shows the chain of three snapshots (R-INC-3)',
    async mouse() {},
    async terminal() {},
    async check(ctx) {
      await tour(ctx);
      // Restoring S3 yields A, B2, C1, D (R-INC-3): its cells say so.
      assert.deepEqual(expectedRows(ctx.w)[2][2], ['A', 'B2', 'C1', 'D']);
      await snapshotTab(ctx, ctx.t.chainsTab);
      await hideTerminal(ctx);
      await shot(ctx.page.locator(`.blockview[data-disk="${ctx.w.dataDisk}"]`), slug(ctx, 'blockview-before-merge'));
    },
  },
  {
    name: 'preview deleting S2 (R-DEL-3, R-DEL-4)',
    async mouse(ctx) {
      const { t, w } = ctx;
      const dialog = await openDeleteDialog(ctx);
      const preview = dialog.getByRole('region', { name: t.preview });
      const figure = (k) => preview.locator(`[data-figure="${k}"] dd`).innerText();
      // B1 is freed; C1, which S3 still references, moves to S3.
      assert.equal(await figure('freed'), '1 · LBA 1');
      assert.equal(await figure('moved'), '1 · → S3 (LBA 2)');
      assert.equal(await figure('capacity'), `${fmtMiB(capacityBlocks(w))} → ${fmtMiB(capacityBlocks(w) - 1)}`);
      assert.equal(await figure('region'), `${fmtMiB(capacityBlocks(w))} → ${fmtMiB(capacityBlocks(w) - 1)}`);
      assert.equal(await figure('cost'), `$0.00 → $0.00 · ${t.saving} $0.00`);
      await shot(dialog, slug(ctx, 'merge-preview'));
    },
    async terminal(ctx) {
      const { w } = ctx;
      const p = await termJson(ctx, `snaplab snapshot delete-preview --SnapshotId ${w.snaps[1].id}`);
      assert.equal(p.SuccessorId, w.snaps[2].id);
      assert.deepEqual([p.FreedBlocks, p.Freed], [1, [{ Lba: 1, Blocks: 1 }]]);
      assert.deepEqual([p.MovedBlocks, p.Moved], [1, [{ Lba: 2, Blocks: 1 }]]);
      assert.equal(p.CapacityBeforeBytes, capacityBlocks(w) * MIB);
      assert.equal(p.CapacityAfterBytes, (capacityBlocks(w) - 1) * MIB);
      assert.equal(p.MonthlySavingUsd, 0);
    },
    async check(ctx) {
      // A preview changes nothing (read behind the dialog, which stays open in the mouse's way).
      const { page, t, w } = ctx;
      if (!page.url().endsWith('/snapshots/chains')) await snapshotTab(ctx, t.chainsTab);
      const row = page.getByRole('table', { name: t.chains, includeHidden: true }).locator(`tr[data-disk="${w.dataDisk}"]`);
      assert.equal(await row.locator('[data-figure="count"]').innerText(), '3');
      assert.equal(await row.locator('[data-figure="capacity"]').innerText(), fmtMiB(capacityBlocks(w)));
      await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 4, `.blockview[data-disk="${w.dataDisk}"] .bv-row`);
    },
  },
  {
    name: 'delete S2: the merge',
    async mouse(ctx) {
      const { page, t, w } = ctx;
      const dialog = await openDeleteDialog(ctx);
      const view = page.locator(`.blockview[data-disk="${w.dataDisk}"]`);
      await hideTerminal(ctx);
      await confirm(ctx, dialog, t.deleteConfirm);
      // The merge is animated: S2's C1 slides into S3, B1 fades out.
      await view.locator('.bv-merge .merge-move').first().waitFor();
      await view.locator('.bv-merge .merge-free').first().waitFor();
      await shot(view, slug(ctx, 'blockview-merging'));
      await page.locator('.blockview[data-phase="idle"]').waitFor();
      await view.locator(`.bv-row[data-id="${w.snaps[1].id}"]`).waitFor({ state: 'detached' });
      await logged(ctx, `aliyun ecs DeleteSnapshot --SnapshotId ${w.snaps[1].id}`);
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await snapshotTab(ctx, t.chainsTab);
      const view = page.locator(`.blockview[data-disk="${w.dataDisk}"]`);
      await view.locator(`.bv-row[data-id="${w.snaps[1].id}"]`).waitFor();
      await term(ctx, `aliyun ecs DeleteSnapshot --SnapshotId ${w.snaps[1].id}`);
      // The open block view follows.
      await view.locator(`.bv-row[data-id="${w.snaps[1].id}"]`).waitFor({ state: 'detached' });
    },
    async check(ctx) {
      const { page, t, w } = ctx;
      w.snaps.splice(1, 1);
      await snapshotTab(ctx, t.chainsTab);
      await hideTerminal(ctx);
      const view = page.locator(`.blockview[data-disk="${w.dataDisk}"]`);
      await page.waitForFunction(([sel]) => document.querySelectorAll(`${sel} .bv-row`).length === 3,
        [`.blockview[data-disk="${w.dataDisk}"]`]);
      await shot(view, slug(ctx, 'blockview-after-merge'));
      // R-DEL-4: S3 now owns C1 and still restores A, B2, C1, D (R-DEL-5).
      assert.deepEqual(expectedRows(w)[1].slice(1, 3), [['referenced', 'owned', 'owned', 'referenced'], ['A', 'B2', 'C1', 'D']]);
      await checkChains(ctx);
      await checkSnapshotList(ctx);
      await checkCapacity(ctx);
    },
  },
  {
    name: 'stop the instance',
    async mouse(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      const row = page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId });
      await row.getByRole('button', { name: t.stop, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t.stopDialog });
      await dialog.locator('code.cmdline', { hasText: '--StoppedMode KeepCharging' }).waitFor();
      await confirm(ctx, dialog, t.stop);
      await logged(ctx, `aliyun ecs StopInstance --InstanceId ${w.instanceId}`);
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      await term(ctx, `aliyun ecs StopInstance --InstanceId ${w.instanceId} --StoppedMode KeepCharging`);
      const row = page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId });
      await row.locator('[data-status="Stopping"]').waitFor();
    },
    async check(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      const row = page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId });
      await row.locator('[data-status="Stopping"]').waitFor();
    },
  },
  {
    name: 'the instance stops',
    async mouse(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      const row = page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId });
      await nextEventUntil(ctx, row.locator('[data-status="Stopped"]'));
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await nav(ctx, t.instances);
      await term(ctx, `aliyun ecs DescribeInstances --RegionId ${REGION} --InstanceIds '["${w.instanceId}"]' --waiter expr='Instances.Instance[0].Status' to=Stopped`);
      await page.getByRole('table', { name: t.instances }).getByRole('row').filter({ hasText: w.instanceId })
        .locator('[data-status="Stopped"]').waitFor();
    },
    async check(ctx) {
      ctx.w.instanceStatus = 'Stopped';
      await checkInstances(ctx);
      await checkInstanceDetail(ctx);
    },
  },
  {
    name: 'roll the data disk back to S1 (R-RB-1, R-RB-2)',
    async mouse(ctx) {
      const { page, t, w } = ctx;
      await snapshotTab(ctx, t.snapshots);
      await page.getByRole('table', { name: t.snapshotList }).locator(`tr[data-id="${w.snaps[0].id}"]`)
        .getByRole('button', { name: t.rollback, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: t.rollbackDialog });
      // R-RB-2: the engine's irreversible-operation warning.
      await dialog.getByRole('note').getByText(new RegExp(`Rolling back is irreversible: data written to ${w.dataDisk} after`)).waitFor();
      assert.deepEqual(await dialog.locator('.equivalent code').allInnerTexts(), [`aliyun ecs ResetDisk --DiskId ${w.dataDisk} --SnapshotId ${w.snaps[0].id}`]);
      await confirm(ctx, dialog, t.ok);
      await logged(ctx, `aliyun ecs ResetDisk --DiskId ${w.dataDisk} --SnapshotId ${w.snaps[0].id}`);
    },
    async terminal(ctx) {
      const { page, t, w } = ctx;
      await snapshotTab(ctx, t.chainsTab);
      await term(ctx, `aliyun ecs ResetDisk --DiskId ${w.dataDisk} --SnapshotId ${w.snaps[0].id}`);
      // The open block view follows: the disk's block 1 is S1's B again.
      await page.locator(`.blockview[data-disk="${w.dataDisk}"] .bv-row[data-id="${w.dataDisk}"] .bv-label`, { hasText: /^B$/ }).waitFor();
    },
    async check(ctx) {
      const { w } = ctx;
      w.disk = w.snaps[0].blocks.map((b) => ({ ...b }));
      await checkGuestBlocks(ctx);
      await tour(ctx);
      await snapshotTab(ctx, ctx.t.chainsTab);
      await hideTerminal(ctx);
      await shot(ctx.page.locator(`.blockview[data-disk="${w.dataDisk}"]`), slug(ctx, 'blockview-after-rollback'));
    },
  },
];

/** A new context for `page`. */
function context(page, { lang, mode, url }) {
  return { page, lang, mode, url, t: TEXT[lang], w: newWorld() };
}

/** Opens the console of a new user (in Chinese: the language switch was set to 中文). */
async function open(ctx) {
  if (ctx.lang === 'zh') await ctx.page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
  await ctx.page.goto(ctx.url);
  await ctx.page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
}

/** Runs every step in the context's mode, each followed by its check and then `after`
 * (`before` runs first). */
async function walk(ctx, after = async () => {}, before = async () => {}) {
  await open(ctx);
  for (const step of STEPS) {
    await before(ctx, step);
    try {
      await step[ctx.mode](ctx);
      await step.check(ctx);
    } catch (err) {
      err.message = `step "${step.name}" (${ctx.lang}, ${ctx.mode}): ${err.message}`;
      throw err;
    }
    await after(ctx, step);
  }
}

module.exports = {
  STEPS, TEXT, walk, context, open, term, termJson, hideTerminal, shot, slug, nav, snapshotTab, instanceTab, confirm,
};
