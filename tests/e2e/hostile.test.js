// Issue 12 item 5: nothing from the page can run script or reach the network. Hostile strings
// go into every field a user controls — instance, disk, snapshot and image names and
// descriptions, tags, guest text shown in the block view, terminal lines, an imported world
// file and its name — with the mouse and the terminal; every page that shows them is visited.
// Every request, console message, page error, dialog and CSP violation is recorded: no request
// leaves the origin, no script runs (the payloads set window.__pwned), no violation is even
// attempted, and the strings read back as text. Names the engine refuses (the ECS naming rule)
// are refused with an ECS error instead.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { policyOf, start, step, snap, openConsole, answerActivation, typeLine, ROOT } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

// The payloads: each would set window.__pwned (or open a dialog) if it ever ran.
const P = {
  img: '<img src=x onerror="window.__pwned=1;alert(1)">',
  script: '"><script>window.__pwned=2</script>',
  js: 'javascript:window.__pwned=3',
  textarea: '</textarea><svg onload="window.__pwned=4">',
  bidi: 'abc\u202Egnp.exe\u202C',
  tmpl: '{{constructor.constructor(\'window.__pwned=5\')()}}',
};
/** One description holding every payload (ECS descriptions: 2–256 characters, anything). */
const DESC = `d ${Object.values(P).join(' ')}`;
/** A name that the ECS naming rule accepts but a careless href would run. */
const JS_NAME = 'javascript:pwned';
/** 10,000 characters. */
const LONG = `${P.img}${'x'.repeat(10000 - P.img.length)}`;

/** Quotes a word for the terminal as a POSIX shell does (engine cli::quote). */
const q = (w) => `'${w.replace(/'/g, "'\\''")}'`;

/** Records what the page does: requests, console, page errors, dialogs; CSP violations. */
async function watch(page) {
  const seen = { requests: [], console: [], errors: [], dialogs: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => seen.console.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
    });
  });
  return seen;
}

/** Nothing ran, nothing left the origin, nothing was even refused by the policy. */
async function assertClean(page, seen, where) {
  const origin = new URL(env.url).origin;
  const away = seen.requests.filter((u) => new URL(u).origin !== origin);
  assert.deepEqual(away, [], `${where}: requests left the origin`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined, `${where}: a payload ran`);
  assert.deepEqual(seen.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `${where}: CSP violations`);
  assert.deepEqual(seen.console.filter((m) => /Content.Security.Policy|Refused to/i.test(m)), [], where);
  // No element a payload would have made: no <img>, no inline <script>, no handler attributes.
  const made = await page.evaluate(() => [
    ...document.querySelectorAll('img, iframe, object, embed, script:not([src]), a[href^="javascript:" i]'),
    ...[...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))),
  ].map((e) => e.outerHTML.slice(0, 120)));
  assert.deepEqual(made, [], `${where}: elements a payload would make`);
}

/** The page's main area as a person reads it. */
const mainText = (page) => page.locator('main').innerText();

/** A line whose output is an ECS error: returns the output. */
async function refused(page, line) {
  const out = await typeLine(page, line, { ok: false });
  assert.match(out, /ERROR/, `${line.slice(0, 80)}… was refused`);
  return out;
}

/** Runs `line`: accepted (returns the output) or refused with an ECS error (returns null). */
async function acceptedOrRefused(page, line) {
  const out = await typeLine(page, line, { ok: false });
  if (/ERROR/.test(out)) {
    assert.match(out, /Invalid\w*|MissingParameter/, 'a refusal names an ECS code');
    return null;
  }
  return out;
}

async function nav(page, name) {
  await page.getByRole('navigation', { name: 'Console navigation' }).getByRole('link', { name, exact: true }).click();
}

async function snapshotTab(page, name) {
  await nav(page, 'Snapshots');
  await page.getByRole('navigation', { name: 'Snapshot views' }).getByRole('link', { name, exact: true }).click();
}

test('issue 12 item 5: the policy of the meta, the harness and tools/run.sh is one policy', () => {
  const dist = process.env.SNAPLAB_DIST || path.join(ROOT, 'dist');
  const header = policyOf(dist);
  const meta = header.replace(/; frame-ancestors 'self'$/, '');
  for (const d of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'",
    "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(meta.split('; ').includes(d), `the policy has ${d}`);
  }
  assert.doesNotMatch(meta, /'unsafe-inline'|'unsafe-eval'|\*|https?:|data:|blob:/, 'no inline script, no eval, no other origin');
  // tools/run.sh serves with `trunk serve`: Trunk.toml's [serve] header is the same policy.
  const trunk = fs.readFileSync(path.join(ROOT, 'Trunk.toml'), 'utf8');
  assert.match(trunk, /no_autoreload = true/);
  assert.equal(/"Content-Security-Policy" = "([^"]+)"/.exec(trunk)[1], header);
  // The JS API's pages carry the console's policy.
  for (const page of ['blank.html', 'bench.html']) {
    const html = fs.readFileSync(path.join(ROOT, 'engine', 'js', page), 'utf8');
    assert.ok(html.includes(`content="${meta}"`), `engine/js/${page} has the policy`);
  }
  // The built page has no inline script at all: Trunk's loader is web/boot.js.
  const built = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const inline = [...built.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]) || m[2].trim());
  assert.deepEqual(inline.map((m) => m[0]), [], 'no inline script in dist/index.html');
});

test('issue 12 item 5: hostile strings in every field are shown as text and never run', async () => {
  await step(env, 'hostile', async (page) => {
    const seen = await watch(page);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snaplab-hostile-'));
    await openConsole(page, env.url);
    await answerActivation(page, { activate: true });
    await page.getByRole('button', { name: 'Pause', exact: true }).click();

    // Instances: a hostile instance name is accepted (shown as text) or refused by the naming
    // rule; the instance itself is made with a valid name and a data disk named JS_NAME.
    const hostileInstance = await acceptedOrRefused(page, `aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName ${q(P.img)} --Description ${q(DESC)}`);
    await typeLine(page, `aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --InstanceName keeper --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 --DataDisk.1.DiskName ${JS_NAME} --DataDisk.1.Description ${q(DESC)}`);
    await typeLine(page, 'snaplab clock run-until-idle');
    const disks = await typeLine(page, `aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskName ${JS_NAME} --output cols=DiskId rows=Disks.Disk[]`);
    const disk = disks.match(/d-bp1\w+/)[0];
    // Disk names the rule refuses are refused.
    for (const bad of [P.img, P.script, P.bidi, P.tmpl, LONG]) {
      await refused(page, `aliyun ecs ModifyDiskAttribute --DiskId ${disk} --DiskName ${q(bad)}`);
    }

    // Guest text: the block view labels a block with its text when it has at most 8
    // characters (blocks/view.rs), so blocks 0–6 hold short markup; blocks 7 on hold every
    // payload and 10,000 characters (read back in the terminal).
    const texts = ['<b>B</b>', '</text>', '"><a>', '{{7*7}}', '\u202Eabc', '&amp;', '<script'];
    const payloads = [...texts, ...Object.values(P)];
    for (const [block, text] of payloads.entries()) {
      await typeLine(page, `snaplab guest write --DiskId ${disk} --Block ${block} --Text ${q(text)}`);
    }
    await acceptedOrRefused(page, `snaplab guest write --DiskId ${disk} --Block ${payloads.length} --Text ${q(LONG)}`);
    const read = await typeLine(page, `snaplab guest read --DiskId ${disk} --Block ${texts.length}`);
    assert.ok(read.includes(JSON.stringify(P.img).slice(1, -1)), 'guest text reads back');

    // Snapshots, with the mouse: the Create snapshot dialog refuses a hostile name (the
    // engine's dry run), then takes JS_NAME, the description and a hostile tag.
    await nav(page, 'Disks');
    const row = page.getByRole('table', { name: 'Disks' }).getByRole('row').filter({ hasText: disk });
    await row.getByRole('button', { name: 'Create Snapshot', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Create snapshot' });
    await dialog.getByRole('textbox', { name: 'Snapshot name' }).fill(P.script);
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /InvalidSnapshotName/);
    assert.ok((await alert.innerText()).length > 0);
    await snap(page, 'hostile-refused-name');
    await dialog.getByRole('textbox', { name: 'Snapshot name' }).fill(JS_NAME);
    await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill(DESC);
    await dialog.getByRole('button', { name: 'Add tag', exact: true }).click();
    await dialog.getByRole('textbox', { name: 'Tag key 1' }).fill(P.textarea);
    await dialog.getByRole('textbox', { name: 'Tag value 1' }).fill(P.img);
    // The equivalent command line shows the strings as typed.
    assert.ok((await dialog.locator('code.cmdline').innerText()).includes(P.textarea));
    const ok = dialog.getByRole('button', { name: 'OK', exact: true, disabled: false });
    await ok.waitFor();
    await ok.click();
    await dialog.waitFor({ state: 'detached' });
    await typeLine(page, 'snaplab clock run-until-idle');
    const snaps = await typeLine(page, `aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotName ${JS_NAME} --output cols=SnapshotId rows=Snapshots.Snapshot[]`);
    const snapshot = snaps.match(/s-bp1\w+/)[0];
    assert.match(await typeLine(page, `aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '["${snapshot}"]'`), /pwned=4/);

    // Snapshots, with the terminal: hostile names refused, tags and descriptions accepted.
    for (const bad of [P.img, P.js, P.bidi, LONG]) {
      await refused(page, `aliyun ecs CreateSnapshot --DiskId ${disk} --SnapshotName ${q(bad)}`);
    }
    await refused(page, `aliyun ecs CreateSnapshot --DiskId ${disk} --SnapshotName n1 --Description ${q(LONG)}`);
    await typeLine(page, `aliyun ecs TagResources --RegionId cn-hangzhou --ResourceType snapshot --ResourceId.1 ${snapshot} --Tag.1.Key ${q(P.script)} --Tag.1.Value ${q(P.tmpl)} --Tag.2.Key ${q(P.bidi)} --Tag.2.Value ${q(P.js)}`);
    await typeLine(page, `aliyun ecs ModifySnapshotAttribute --SnapshotId ${snapshot} --Description ${q(DESC)}`);

    // An image of the system disk: a hostile name refused, JS_NAME and the description taken.
    const system = (await typeLine(page, 'aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskType system --output cols=DiskId rows=Disks.Disk[]')).match(/d-bp1\w+/)[0];
    const sys = (await typeLine(page, `aliyun ecs CreateSnapshot --DiskId ${system} --SnapshotName sys:pwned --Description ${q(DESC)}`)).match(/s-bp1\w+/)[0];
    await typeLine(page, 'snaplab clock run-until-idle');
    await refused(page, `aliyun ecs CreateImage --RegionId cn-hangzhou --SnapshotId ${sys} --ImageName ${q(P.img)}`);
    await typeLine(page, `aliyun ecs CreateImage --RegionId cn-hangzhou --SnapshotId ${sys} --ImageName ${JS_NAME} --Description ${q(DESC)}`);
    await typeLine(page, 'snaplab clock run-until-idle');

    // The terminal: 10,000 characters of a line it cannot run, echoed as text.
    await refused(page, `snaplab ${LONG}`);
    await refused(page, `aliyun ecs ${P.script} --x ${q(P.img)}`);
    await assertClean(page, seen, 'after the input');

    // Every page that shows the strings shows them as text.
    await nav(page, 'Instances');
    const instances = page.getByRole('table', { name: 'Instances' });
    await instances.getByRole('row').filter({ hasText: 'keeper' }).waitFor();
    if (hostileInstance) await instances.getByRole('row').filter({ hasText: P.img }).waitFor();
    await snap(page, 'hostile-instances');
    await nav(page, 'Disks');
    await page.getByRole('table', { name: 'Disks' }).getByRole('row').filter({ hasText: JS_NAME }).waitFor();
    await snapshotTab(page, 'Snapshots');
    const listed = page.getByRole('table', { name: 'Snapshots' }).locator('tbody tr').filter({ hasText: JS_NAME });
    await listed.waitFor();
    const cells = await listed.innerText();
    for (const s of [`${P.textarea}: ${P.img}`, `${P.script}: ${P.tmpl}`, `${P.bidi}: ${P.js}`]) {
      assert.ok(cells.includes(s), `the tag ${JSON.stringify(s)} is shown as text`);
    }
    // Each tag's key and value are isolated: a bidi override cannot reorder the text around it.
    assert.equal(await listed.locator('.tag bdi').count(), 6);
    await snap(page, 'hostile-snapshots');
    // Edit Tags shows them too.
    await listed.getByRole('button', { name: 'Edit Tags', exact: true }).click();
    const tags = page.getByRole('dialog', { name: 'Edit Tags' });
    await tags.waitFor();
    assert.ok((await tags.innerText()).includes(P.script));
    await tags.locator('.modal-foot').getByRole('button', { name: 'Close' }).click();
    await tags.waitFor({ state: 'detached' });
    await assertClean(page, seen, 'the snapshot list');

    // The block view: the guest text is each block's label, in the chart and the table.
    await snapshotTab(page, 'Snapshot Chains');
    const view = page.locator('.blockview');
    await view.waitFor();
    await page.getByRole('button', { name: 'Hide terminal' }).click();
    const labels = await view.locator(`.bv-row[data-id="${disk}"] text.bv-label`).allTextContents();
    assert.deepEqual(labels, texts, 'the disk row labels its blocks with their text');
    assert.equal(await view.locator(`.bv-row[data-id="${snapshot}"] text.bv-label`).count(), texts.length);
    const svgText = await view.locator('svg').textContent();
    assert.ok(svgText.includes(JS_NAME), 'the snapshot name in the chart');
    await snap(page, 'hostile-blockview');
    await view.getByRole('button', { name: 'Table' }).click();
    const table = await page.locator('.bv-table').innerText();
    for (const text of texts) assert.ok(table.includes(text), `the table mode shows ${JSON.stringify(text)}`);
    await assertClean(page, seen, 'the block view');

    await snapshotTab(page, 'Snapshot Capacity');
    await page.locator('main').getByText(disk).first().waitFor();
    await nav(page, 'Images');
    await page.getByRole('table', { name: 'Custom Images' }).getByRole('row').filter({ hasText: JS_NAME }).waitFor();
    await snap(page, 'hostile-images');
    await assertClean(page, seen, 'the pages');

    // The terminal shows the lines and their errors as text.
    await page.getByRole('button', { name: 'Show terminal' }).click();
    const log = await page.getByRole('log').innerText();
    assert.ok(log.includes(P.img) && log.includes(P.script), 'the terminal shows the lines as text');

    // An imported world: a hostile description in the file, and a hostile file name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export world' }).click(),
    ]);
    const exported = path.join(dir, 'world.json');
    await download.saveAs(exported);
    const text = fs.readFileSync(exported, 'utf8');
    assert.ok(text.includes(JSON.stringify(DESC).slice(1, -1)), 'the export carries the strings as JSON text');
    const DESC2 = DESC.replace(/__pwned=/g, '__pwned=6');
    const file = path.join(dir, `${P.script.replace(/\//g, '_')}.json`);
    fs.writeFileSync(file, text.split(JSON.stringify(DESC).slice(1, -1)).join(JSON.stringify(DESC2).slice(1, -1)));
    await page.getByLabel('Import world file').setInputFiles(file);
    const importing = page.getByRole('dialog', { name: 'Import a world' });
    await importing.waitFor();
    assert.ok((await importing.innerText()).includes(path.basename(file)), 'the file name as text');
    await importing.getByRole('button', { name: 'Import world', exact: true }).click();
    await importing.waitFor({ state: 'detached' });
    assert.match(await typeLine(page, `aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '["${snapshot}"]'`), /pwned=64/);
    await snapshotTab(page, 'Snapshots');
    await page.getByRole('table', { name: 'Snapshots' }).locator('tbody tr').filter({ hasText: JS_NAME }).waitFor();
    await snap(page, 'hostile-imported');

    // After a reload the terminal's kept output (localStorage) is text too.
    await page.reload();
    await page.locator('.console[data-engine="ready"]').waitFor();
    await page.getByRole('log').getByText(P.script).first().waitFor();
    await assertClean(page, seen, 'after the reload');
    assert.deepEqual(seen.errors, []);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
