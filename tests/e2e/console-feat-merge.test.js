// Several snapshots of one chain deleted at once (multi-select delete): the preview shows their
// combined effect as the engine computes it (`snaplab snapshot delete-preview --SnapshotIds`),
// and the block view animates the combined merge (R-DEL-3, R-DEL-5, R-BIL-1).
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, openConsole, answerActivation, shot, showTerminal, R_INC_3 } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

const { DISK, S1, S2, S3 } = R_INC_3;



/** Types one line into the terminal and returns its output. */
async function term(page, line) {
  await showTerminal(page, true);
  const input = page.getByRole('textbox', { name: /^(Terminal|终端)$/ });
  const before = await page.locator('.terminal-out .entry').count();
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(([n]) => document.querySelectorAll('.terminal-out .entry').length > n, [before]);
  const last = page.locator('.terminal-out .entry').last();
  assert.ok(!(await last.getAttribute('class')).includes('error'), `${line}\n${await last.innerText()}`);
  return last.innerText();
}

/** The R-INC-3 example: S1 stores A–D, S2 stores B1 and C1, S3 stores B2. */
async function setUpInc3(page) {
  for (const line of R_INC_3.LINES) await term(page, line);
}

test('deleting S1 and S2 together previews and animates their combined merge (R-DEL-3)', async () => {
  await step(env, 'multi delete merge', async (page) => {
    await openConsole(page, `${env.url}/snapshots/chains`);
    await answerActivation(page);
    await setUpInc3(page);
    // What the engine says of deleting both (a read: it changes nothing).
    const engine = JSON.parse((await term(page, `snaplab snapshot delete-preview --SnapshotIds '["${S1}","${S2}"]'`))
      .split('\n').slice(1).join('\n'));
    assert.equal(engine.FreedBlocks, 3);
    assert.equal(engine.MovedBlocks, 3);
    assert.equal(engine.CapacityAfterBytes, 16384);
    await showTerminal(page, false);
    const view = page.locator(`.blockview[data-disk="${DISK}"]`);
    await view.locator(`.bv-row[data-id="${S3}"]`).waitFor();
    const snaps = page.getByRole('table', { name: 'Snapshots in this chain' });

    // Select S1 and S2; the bulk button names how many.
    const bulk = page.getByRole('button', { name: 'Delete selected' });
    assert.equal(await bulk.isDisabled(), true, 'nothing selected yet');
    await snaps.getByRole('checkbox', { name: 'Select snapshot S1' }).check();
    await snaps.getByRole('checkbox', { name: 'Select snapshot S2' }).check();
    await page.getByText('2 selected').waitFor();
    await bulk.click();

    // The combined preview: B, C (S1's) and B1 (S2's) are freed; A and D (S1's) and C1 (S2's)
    // end up in S3; the chain goes from 7 to 4 block versions.
    const dialog = page.getByRole('dialog', { name: 'Delete Snapshot' });
    const preview = dialog.getByRole('region', { name: 'Deletion preview' });
    await preview.getByRole('heading', { name: 'Deleting together: S1, S2' }).waitFor();
    const figure = (k) => preview.locator(`[data-figure="${k}"] dd`).innerText();
    assert.equal(await figure('freed'), '3 · S1: LBA 1–2; S2: LBA 1');
    assert.equal(await figure('moved'), '3 · S1 → S3 (LBA 0, LBA 3); S2 → S3 (LBA 2)');
    assert.equal(await figure('capacity'), '28 KiB → 16 KiB');
    assert.equal(await figure('region'), '28 KiB → 16 KiB');
    assert.match(await figure('cost'), /^\$0\.00 → \$0\.00 · saving \$0\.00$/, 'the first 5 GB are free (R-BIL-1)');
    // The figures are the engine's (the terminal printed the same).
    assert.match(await figure('freed'), new RegExp(`^${engine.FreedBlocks} `));
    assert.match(await figure('moved'), new RegExp(`^${engine.MovedBlocks} `));
    assert.deepEqual(await dialog.locator('.equivalent code').allInnerTexts(), [
      `aliyun ecs DeleteSnapshot --SnapshotId ${S1}`,
      `aliyun ecs DeleteSnapshot --SnapshotId ${S2}`,
    ]);
    await shot(dialog, 'multi-merge-preview');
    const confirm = dialog.getByRole('button', { name: 'Delete', exact: true });
    await page.waitForFunction((b) => !b.disabled, await confirm.elementHandle());
    await confirm.click();

    // The animation: S1's and S2's rows leave, their kept blocks slide into S3, the rest fades.
    await view.locator('.bv-merge .merge-move').first().waitFor();
    // Read in one go: the animation lasts under a second.
    const [moving, status, hidden] = await page.evaluate(() => [
      [...document.querySelectorAll('.bv-merge > g')].map((g) =>
        [g.dataset.state, g.dataset.from, g.dataset.to || '', g.querySelector('text')?.textContent || '']),
      [...document.querySelectorAll('[role=status]')].map((e) => e.textContent).join('|'),
      [...document.querySelectorAll('.bv-row.merging')].map((g) => g.dataset.id),
    ]);
    await shot(view, 'multi-merge-animating');
    assert.match(status, /Merging the deleted snapshots' blocks into the snapshots that remain/);
    assert.deepEqual(hidden, [S1, S2], 'the deleted rows leave');
    assert.deepEqual(moving.filter((m) => m[0] === 'merge-free').map((m) => [m[1], m[3]]),
      [[S1, 'B'], [S1, 'C'], [S2, 'B1']]);
    assert.deepEqual(moving.filter((m) => m[0] === 'merge-move').map((m) => [m[1], m[2], m[3]]),
      [[S1, S3, 'A'], [S1, S3, 'D'], [S2, S3, 'C1']]);

    // After it: S3 owns A, B2, C1 and D; the chain holds 4 versions (R-DEL-3), S3 restores the
    // same blocks (R-DEL-5).
    await page.locator('.blockview[data-phase="idle"]').waitFor();
    await view.locator(`.bv-row[data-id="${S1}"]`).waitFor({ state: 'detached' });
    assert.deepEqual(await view.locator('.bv-row').evaluateAll((gs) => gs.map((g) => g.dataset.id)), [S3, DISK]);
    await view.locator(`.bv-row[data-id="${S3}"][data-owned="4"]`).waitFor();
    await page.locator('[data-figure="chain-capacity"]', { hasText: '16 KiB (4 blocks)' }).waitFor();
    await shot(view, 'multi-merge-after');
    await view.getByRole('button', { name: 'Table' }).click();
    const cells = await page.locator(`.bv-table tr[data-id="${S3}"] td`).allInnerTexts();
    assert.deepEqual(cells.map((c) => c.split(':')[0]), ['A', 'B2', 'C1', 'D']);
    assert.deepEqual(await page.locator(`.bv-table tr[data-id="${S3}"] td`).evaluateAll((tds) => tds.map((td) => td.dataset.state)),
      ['owned', 'owned', 'owned', 'owned']);
  });
});

test('the snapshot list previews a multi-select delete as one, in Chinese', async () => {
  await step(env, 'multi delete merge zh', async (page) => {
    await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
    await openConsole(page, `${env.url}/snapshots`);
    await answerActivation(page, { lang: 'zh' });
    await setUpInc3(page);
    await showTerminal(page, false);
    const list = page.getByRole('table', { name: '快照列表' });
    await list.getByRole('checkbox', { name: '选择快照 S2' }).check();
    await list.getByRole('checkbox', { name: '选择快照 S3' }).check();
    await page.locator('.bulk').getByRole('button', { name: '删除', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '删除快照' });
    const preview = dialog.getByRole('region', { name: '删除预览' });
    await preview.getByRole('heading', { name: '同时删除：S2、S3' }).waitFor();
    // S2 and S3 go: B1 and B2 are freed, C1 has no later snapshot to move to — it is freed too;
    // S1 keeps its own blocks.
    assert.match(await preview.locator('[data-figure="freed"] dt').innerText(), /^释放的数据块版本$/);
    assert.match(await preview.locator('[data-figure="moved"] dt').innerText(), /^合并到保留快照的数据块版本$/);
    assert.equal(await preview.locator('[data-figure="freed"] dd').innerText(), '3 · S2: LBA 1–2；S3: LBA 1');
    assert.equal(await preview.locator('[data-figure="moved"] .mp-value').innerText(), '0');
    assert.equal(await preview.locator('[data-figure="capacity"] dd').innerText(), '28 KiB → 16 KiB');
    await shot(dialog, 'multi-merge-preview-zh');
    await dialog.getByRole('button', { name: '取消' }).click();
  });
});
