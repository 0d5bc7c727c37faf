// A measurement, not a test (never asserted; not matched by `node --test tests/e2e/`): the block
// view of a 40 GiB disk with a 50-snapshot chain. Prints how long the Snapshot chains tab takes
// from the click on the tab to the drawn view (engine query, IndexedDB prefetch, parsing,
// aggregation, SVG), a zoom step, and the longest main-thread task meanwhile.
//   trunk build --release && node tests/e2e/bench-blockview.js
'use strict';

const { start, openConsole, answerActivation } = require('./harness');

const DISK = 'd-bp1o28qspnegn49xilg1';
const BLOCKS = 40 * 262144; // 40 GiB of 4 KiB blocks

/** A deterministic generator, so every run builds the same chain. */
function lcg(seed) {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

function lines() {
  const rnd = lcg(5);
  const out = [
    'snaplab world reset --Seed 7 --BlockSize 4096',
    'snaplab service activate',
    'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 40',
    'snaplab clock run-until-idle',
    `snaplab guest fill --DiskId ${DISK} --FromBlock 0 --Blocks ${BLOCKS} --Seed 1`,
  ];
  const sizes = [1, 8, 64, 4096, 65536];
  for (let i = 0; i < 50; i++) {
    for (let j = 0; j < 5; j++) {
      const n = sizes[Math.floor(rnd() * sizes.length)];
      const at = Math.floor(rnd() * (BLOCKS - n));
      out.push(`snaplab guest fill --DiskId ${DISK} --FromBlock ${at} --Blocks ${n} --Seed ${i * 10 + j + 2}`);
    }
    out.push(`aliyun ecs CreateSnapshot --DiskId ${DISK} --SnapshotName Snap${i + 1}`);
    out.push('snaplab clock run-until-idle');
  }
  return out;
}

async function term(page, line) {
  const before = await page.locator('.terminal-out .entry').count();
  const input = page.getByRole('textbox', { name: 'Terminal' });
  await input.fill(line);
  await input.press('Enter');
  await page.waitForFunction(([n]) => document.querySelectorAll('.terminal-out .entry').length > n, [before]);
}

async function main() {
  const env = await start();
  try {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await openConsole(page, env.url);
    await answerActivation(page);
    const t0 = Date.now();
    for (const l of lines()) await term(page, l);
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Pause' }).click().catch(() => {});
    console.log(`setup: ${lines().length} command lines through the terminal in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
    });
    for (let round = 1; round <= 3; round++) {
      await page.getByRole('link', { name: 'Snapshots', exact: true }).first().click();
      await page.getByRole('table', { name: 'Snapshots' }).waitFor();
      await page.evaluate(() => { window.__long = []; window.__t = performance.now(); });
      await page.getByRole('link', { name: 'Snapshot Chains' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.blockview .bv-row').length === 51);
      const ms = await page.evaluate(() => performance.now() - window.__t);
      const spans = await page.locator('.blockview .bv-span').count();
      const longest = await page.evaluate(() => Math.max(0, ...window.__long));
      const scale = await page.locator('.bv-scale').innerText();
      console.log(`round ${round}: chains tab to a drawn 51-row block view: ${ms.toFixed(0)} ms (${spans} rectangles; ${scale}); longest task ${longest.toFixed(0)} ms`);
    }
    await page.evaluate(() => { window.__long = []; window.__t = performance.now(); });
    const before = await page.locator('.bv-scale').innerText();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.waitForFunction((b) => document.querySelector('.bv-scale').innerText !== b, before);
    const zoom = await page.evaluate(() => performance.now() - window.__t);
    console.log(`zoom in: ${zoom.toFixed(0)} ms (${await page.locator('.bv-scale').innerText()}); longest task ${(await page.evaluate(() => Math.max(0, ...window.__long))).toFixed(0)} ms`);
    await context.close();
  } finally {
    await env.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
