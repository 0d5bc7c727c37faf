// The Snapshots pages with the R-INC-3 / R-DEL-4 worked example, set up through the terminal:
// the snapshot list's columns, the chain tab, the block-reference view (owned and referenced
// cells per row), the deletion-merge preview, the merge itself, and a rollback with its warnings.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, openConsole, answerActivation, shot, R_INC_3 } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const { DISK, INSTANCE, S1, S2, S3 } = R_INC_3;


/** Folds the terminal away (it floats over the page's lower part). */
async function hideTerminal(page) {
  const hide = page.getByRole('button', { name: /^(Hide terminal|隐藏终端)$/ });
  if (await hide.count()) await hide.click();
}

/** Types one line into the terminal and waits for its entry in the terminal's log. */
async function term(page, line) {
  const show = page.getByRole('button', { name: /^(Show terminal|显示终端)$/ });
  if (await show.count()) await show.click();
  const out = page.getByRole('log', { name: /Terminal output|终端输出/ });
  const entries = out.locator('.entry');
  const before = await entries.count();
  const input = page.getByRole('textbox', { name: /^(Terminal|终端)$/ });
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(
    ([n]) => document.querySelectorAll('.terminal-out .entry').length > n, [before]);
  const last = entries.last();
  assert.ok(!(await last.getAttribute('class')).includes('error'), `${line}\n${await last.innerText()}`);
  return last.innerText();
}

/** The R-INC-3 example: S1 stores A–D, S2 stores B1 and C1, S3 stores B2. */
async function setUpInc3(page) {
  await openConsole(page, env.url);
  await answerActivation(page);
  for (const line of R_INC_3.LINES) await term(page, line);
}

/** The cells of one block-view row in table mode: their `data-state`s in LBA order. */
async function rowStates(page, id) {
  return page.locator(`.bv-table tr[data-id="${id}"] td`).evaluateAll((tds) => tds.map((td) => td.dataset.state));
}

function count(states, s) {
  return states.filter((x) => x === s).length;
}

test('the snapshot list shows the columns of the console and the chain tab the blocks (R-INC-3, R-DEL-4)', async () => {
  await step(env, 'snapshots blocks and merge', async (page) => {
    await setUpInc3(page);

    // The Snapshots tab: SPEC §16's columns, one row per snapshot.
    await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name: 'Snapshots' }).click();
    const list = page.getByRole('table', { name: 'Snapshots' });
    for (const col of ['Snapshot ID/Name', 'Tags', 'Snapshot Type', 'Instant Access', 'Source', 'Source Disk ID',
      'Disk Capacity', 'Disk Attribute', 'Encrypted', 'Created At', 'Retention', 'Progress', 'Status', 'Actions']) {
      await list.getByRole('columnheader', { name: col, exact: true }).waitFor();
    }
    for (const [id, name] of [[S1, 'S1'], [S2, 'S2'], [S3, 'S3']]) {
      const row = list.locator(`tr[data-id="${id}"]`);
      await row.waitFor();
      assert.match(await row.innerText(), new RegExp(`${name}[\\s\\S]*Standard snapshot[\\s\\S]*User snapshot[\\s\\S]*${DISK}[\\s\\S]*20 GiB[\\s\\S]*Data disk[\\s\\S]*Until deleted[\\s\\S]*100%[\\s\\S]*Completed`));
    }
    // The filter by disk keeps the chain; by name one snapshot.
    await page.getByRole('textbox', { name: 'Snapshot name' }).fill('S2');
    await list.locator(`tr[data-id="${S1}"]`).waitFor({ state: 'detached' });
    assert.equal(await list.locator('tbody tr').count(), 1);
    await page.getByRole('textbox', { name: 'Snapshot name' }).fill('');
    await list.locator(`tr[data-id="${S1}"]`).waitFor();

    // The chain tab: one chain, 3 snapshots, 7 block versions = 28 KiB (R-CHN-1).
    await page.getByRole('link', { name: 'Snapshot Chains' }).click();
    const chains = page.getByRole('table', { name: 'Snapshot chains' });
    const chainRow = chains.locator(`tr[data-disk="${DISK}"]`);
    await chainRow.locator('[data-figure="count"]', { hasText: '3' }).waitFor();
    assert.equal(await chainRow.locator('[data-figure="capacity"]').innerText(), '28 KiB');

    // The block view: every snapshot a row, every block a cell, the disk last.
    const view = page.locator(`.blockview[data-disk="${DISK}"]`);
    await view.waitFor();
    const rows = await view.locator('.bv-row').evaluateAll((gs) => gs.map((g) => g.dataset.id));
    assert.deepEqual(rows, [S1, S2, S3, DISK]);
    // R-INC-3 in the chart: S2 owns B1, C1 and references A, D; S3 owns B2.
    const chartOwned = (id) => view.locator(`.bv-row[data-id="${id}"] .bv-span[data-state="owned"]`).count();
    assert.equal(await chartOwned(S1), 4);
    assert.equal(await chartOwned(S2), 2);
    assert.equal(await chartOwned(S3), 1);
    assert.match(await view.locator(`.bv-row[data-id="${S3}"] .bv-span[data-col="2"] title`).textContent(), /C1: 1 block\(s\) referenced from S2/);
    await hideTerminal(page);
    await shot(view, 'blockview-before-merge');

    // The same in the table mode, cell by cell.
    await view.getByRole('button', { name: 'Table' }).click();
    assert.deepEqual(await rowStates(page, S1), ['owned', 'owned', 'owned', 'owned']);
    assert.deepEqual(await rowStates(page, S2), ['referenced', 'owned', 'owned', 'referenced']);
    assert.deepEqual(await rowStates(page, S3), ['referenced', 'owned', 'referenced', 'referenced']);
    assert.deepEqual(await rowStates(page, DISK), ['referenced', 'referenced', 'referenced', 'referenced']);
    const s3cells = await page.locator(`.bv-table tr[data-id="${S3}"] td`).allInnerTexts();
    assert.deepEqual(s3cells.map((c) => c.split(':')[0]), ['A', 'B2', 'C1', 'D'], 'restoring S3 yields A, B2, C1, D');
    assert.match(s3cells[2], /referenced from S2/);
    await view.getByRole('button', { name: 'Chart' }).click();

    // R-DEL-3 / R-DEL-4: the preview of deleting S2 frees B1 and moves C1 to S3.
    await page.getByRole('table', { name: 'Snapshots in this chain' }).locator(`tr[data-id="${S2}"]`)
      .getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Snapshot' });
    const preview = dialog.getByRole('region', { name: 'Deletion preview' });
    await preview.waitFor();
    const figure = (k) => preview.locator(`[data-figure="${k}"] dd`).innerText();
    assert.match(await figure('freed'), /^1 · LBA 1$/);
    assert.match(await figure('moved'), /^1 · → S3 \(LBA 2\)$/);
    assert.equal(await figure('capacity'), '28 KiB → 24 KiB');
    assert.match(await figure('cost'), /^\$0\.00 → \$0\.00 · saving \$0\.00$/, 'the first 5 GB are free (R-BIL-1)');
    await shot(dialog, 'merge-preview');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    // The merge is animated, then the view shows the chain after it.
    await view.locator('.bv-merge .merge-move').first().waitFor();
    await shot(view, 'blockview-merging');
    await page.locator('.blockview[data-phase="idle"]').waitFor();
    await view.locator(`.bv-row[data-id="${S2}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(await view.locator('.bv-row').evaluateAll((gs) => gs.map((g) => g.dataset.id)), [S1, S3, DISK]);
    assert.equal(await chartOwned(S3), 2, 'S3 owns B2 and, now, C1');
    assert.equal(await view.locator(`.bv-row[data-id="${S3}"]`).getAttribute('data-referenced'), '2');
    await chainRow.locator('[data-figure="count"]', { hasText: '2' }).waitFor();
    assert.equal(await chainRow.locator('[data-figure="capacity"]').innerText(), '24 KiB');
    await shot(view, 'blockview-after-merge');
    await view.getByRole('button', { name: 'Table' }).click();
    assert.deepEqual(await rowStates(page, S3), ['referenced', 'owned', 'owned', 'referenced']);
    const after = await page.locator(`.bv-table tr[data-id="${S3}"] td`).allInnerTexts();
    assert.deepEqual(after.map((c) => c.split(':')[0]), ['A', 'B2', 'C1', 'D'], 'S3 still restores A, B2, C1, D (R-DEL-5)');
  });
});

test('rolling back warns, refuses a running instance, and can snapshot first and start after (R-RB-1, R-RB-2)', async () => {
  await step(env, 'snapshots rollback', async (page) => {
    await setUpInc3(page);
    await page.goto(`${env.url}/snapshots`);
    await page.locator('.console[data-engine="ready"]').waitFor();
    const list = page.getByRole('table', { name: 'Snapshots' });
    const open = async () => {
      await list.locator(`tr[data-id="${S1}"]`).getByRole('button', { name: 'Roll Back Disk' }).click();
      return page.getByRole('dialog', { name: 'Roll Back Disk' });
    };
    // The instance runs: the engine refuses, the confirm button says why.
    let dialog = await open();
    await dialog.getByRole('alert').filter({ hasText: 'IncorrectInstanceStatus' }).first().waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'OK' }).isDisabled(), true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await term(page, `aliyun ecs StopInstance --InstanceId ${INSTANCE}`);
    await term(page, 'snaplab clock run-until-idle');
    dialog = await open();
    const note = dialog.getByRole('note');
    // R-RB-2: the engine's irreversible-operation warning.
    await note.getByText(/Rolling back is irreversible: data written to d-bp1o28qspnegn49xilg1 after .* is lost/).waitFor();
    await dialog.getByRole('checkbox', { name: 'Create a snapshot first' }).check();
    await dialog.getByRole('textbox', { name: 'Name of that snapshot' }).fill('BeforeRollback');
    await dialog.getByRole('checkbox', { name: 'Start the instance after rollback' }).check();
    const steps = await dialog.locator('.equivalent code').allInnerTexts();
    assert.deepEqual(steps, [
      `aliyun ecs CreateSnapshot --DiskId ${DISK} --SnapshotName BeforeRollback`,
      `aliyun ecs ResetDisk --DiskId ${DISK} --SnapshotId ${S1}`,
      `aliyun ecs StartInstance --InstanceId ${INSTANCE}`,
    ]);
    const ok = dialog.getByRole('button', { name: 'OK' });
    await page.waitForFunction((b) => !b.disabled, await ok.elementHandle());
    await shot(dialog, 'rollback-dialog');
    await ok.click();
    await dialog.waitFor({ state: 'detached' });

    // The disk holds S1's blocks again, the snapshot taken first is listed, the instance runs.
    assert.match(await term(page, `snaplab guest read --DiskId ${DISK} --Block 1`), /"Text": "B"/);
    assert.match(await term(page, `snaplab guest read --DiskId ${DISK} --Block 2`), /"Text": "C"/);
    await list.locator('tbody tr', { hasText: 'BeforeRollback' }).waitFor();
    assert.match(await term(page, `aliyun ecs DescribeInstances --RegionId cn-hangzhou --output cols=Status rows=Instances.Instance[]`), /Starting|Running/);
  });
});

test('the chain tab and the block view speak Chinese', async () => {
  await step(env, 'snapshots blocks zh', async (page) => {
    await setUpInc3(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.goto(`${env.url}/snapshots/chains`);
    await page.locator('.console[data-engine="ready"]').waitFor();
    await page.getByRole('table', { name: '快照链列表' }).locator(`tr[data-disk="${DISK}"]`).waitFor();
    const view = page.locator(`.blockview[data-disk="${DISK}"]`);
    await view.getByRole('button', { name: '表格' }).click();
    const cells = await page.locator(`.bv-table tr[data-id="${S2}"] td`).allInnerTexts();
    assert.match(cells[0], /^A: 1 个数据块引用自 S1$/);
    assert.match(cells[1], /^B1: 1 个独占数据块$/);
    await page.getByRole('table', { name: '快照链中的快照' }).locator(`tr[data-id="${S2}"]`)
      .getByRole('button', { name: '删除' }).click();
    const preview = page.getByRole('dialog', { name: '删除快照' }).getByRole('region', { name: '删除预览' });
    await preview.getByText('释放的数据块版本').waitFor();
    await shot(page.getByRole('dialog', { name: '删除快照' }), 'merge-preview-zh');
  });
});
