// The end-to-end harness: serves the release build (dist/) on a free loopback port and drives
// it in Debian's headless Chromium through playwright-core (which never downloads a browser).
// `step()` runs one test body; when it fails, it saves a screenshot and the page's console log
// under tests/artifacts/ before rethrowing.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = process.env.SNAPLAB_DIST || path.join(ROOT, 'dist');
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const { chromium } = require(require.resolve('playwright-core', { paths: [path.join(ROOT, 'tools')] }));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Issue 12 item 5: the Content-Security-Policy, sent as a header with every response. It is the
 * policy of the console's `<meta http-equiv>` (read from the build, so the two cannot drift
 * apart) plus what only a header can set: `frame-ancestors` (a meta cannot). Trunk.toml's
 * `[serve] headers` sends the same for tools/run.sh (tests/e2e/hostile.test.js compares them).
 */
function policyOf(dir) {
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  if (!meta) throw new Error(`${dir}/index.html has no Content-Security-Policy meta`);
  return `${meta[1]}; frame-ancestors 'self'`;
}

/** Serves `dir` on 127.0.0.1 with the single-page-app fallback to index.html. */
function serve(dir) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no release build at ${dir}: run the README's test command (it builds first)`);
  }
  const csp = policyOf(dir);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.normalize(path.join(dir, decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(dir, 'index.html');
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': csp,
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** Starts the server and a headless Chromium; returns what the tests need. */
async function start() {
  const { server, url } = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: process.env.SNAPLAB_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic', '--no-first-run',
    ],
  });
  return {
    url,
    browser,
    async stop() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * Runs `body(page)` in a fresh browser context (fresh storage). The page's console is recorded;
 * on failure a screenshot and the log are saved as tests/artifacts/<name>.{png,log}.
 * With SNAPLAB_SCREENSHOTS=1 a screenshot is saved after success too.
 */
async function step(env, name, body) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const log = [];
  page.on('console', (m) => log.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.stack || e}`));
  const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  try {
    await body(page);
    if (process.env.SNAPLAB_SCREENSHOTS === '1') {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${slug}.png`), fullPage: true });
    }
  } catch (err) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `${slug}.png`), fullPage: true }).catch(() => {});
    fs.writeFileSync(path.join(ARTIFACTS, `${slug}.log`), `${log.join('\n')}\n`);
    err.message += `\n(screenshot and console log: tests/artifacts/${slug}.png, .log)`;
    throw err;
  } finally {
    await context.close();
  }
  // A page error is a failure even when every check passed.
  const errors = log.filter((l) => l.startsWith('[pageerror]') || l.startsWith('[error]'));
  if (errors.length) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
}

/** With SNAPLAB_SCREENSHOTS=1, saves a screenshot of the page now as tests/artifacts/<name>.png. */
async function snap(page, name) {
  if (process.env.SNAPLAB_SCREENSHOTS !== '1') return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until the console frame has rendered (the wasm app is running) and the engine has
 * opened its world from IndexedDB. */
async function openConsole(page, url) {
  await page.goto(url);
  await page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
}

/** Answers the snapshot service's activation dialog of a new world (R-SVC-1): "Not now"
 * (remembered for the tab's session) or, with `activate`, "Activate now". */
async function answerActivation(page, { activate = false, lang = 'en' } = {}) {
  const names = {
    en: ['Activate the snapshot service', 'Activate now', 'Not now'],
    zh: ['开通快照服务', '立即开通', '暂不开通'],
  }[lang];
  const dialog = page.getByRole('dialog', { name: names[0] });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: activate ? names[1] : names[2], exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * Types `line` into the terminal (its input labelled `name`: "Terminal" / "终端") and returns
 * the output entry it printed. With `ok` (the default) the output must not be an error.
 */
async function typeLine(page, line, { name = 'Terminal', ok = true } = {}) {
  const input = page.getByRole('textbox', { name, exact: true });
  // Entries of this page's life carry their sequence number; the line's entry is the first one
  // after the last before it (also when the line clears the log: a world reset).
  const live = '[role=log] .entry[data-seq]';
  const last = await page.locator(live).evaluateAll((es) => Math.max(0, ...es.map((e) => Number(e.dataset.seq))));
  await input.fill(line);
  await input.press('Enter');
  const entry = await page.waitForFunction(
    ([sel, after]) => [...document.querySelectorAll(sel)].find((e) => Number(e.dataset.seq) > after) || null,
    [live, last],
  );
  const out = await entry.innerText();
  if (ok && /ERROR/.test(out)) throw new Error(`${line}\n${out}`);
  return out;
}

/** With SNAPLAB_SCREENSHOTS=1, saves a screenshot of one element as tests/artifacts/<name>.png. */
async function shot(locator, name) {
  if (process.env.SNAPLAB_SCREENSHOTS !== '1') return;
  const dir = path.join(ROOT, 'tests', 'artifacts');
  fs.mkdirSync(dir, { recursive: true });
  // At the top of the window: the terminal's bar sticks to the bottom.
  await locator.evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await locator.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** Opens the terminal panel (`show`) or folds it away (it floats over the page's lower part). */
async function showTerminal(page, show) {
  const button = page.getByRole('button', { name: show ? /^(Show terminal|显示终端)$/ : /^(Hide terminal|隐藏终端)$/ });
  if (await button.count()) await button.click();
}

// The IDs of the R-INC-3 / R-DEL-4 worked example: deterministic from the world's seed (7), as
// in engine/scripts/r-inc-3.snaplab.
const R_INC_3 = {
  DISK: 'd-bp1o28qspnegn49xilg1',
  INSTANCE: 'i-bp1wbanyrymokq95vln2',
  S1: 's-bp1uzgy3gdicowpam9s1',
  S2: 's-bp1r9xp1phhypqzkdgc3',
  S3: 's-bp1sjrwvqikwr8sv2w53',
};
// The terminal lines that build it: S1 stores A–D, S2 stores B1 and C1, S3 stores B2.
R_INC_3.LINES = [
  'snaplab world reset --Seed 7 --BlockSize 4096',
  'snaplab service activate',
  'aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20',
  'snaplab clock run-until-idle',
  ...['A', 'B', 'C', 'D'].map((text, block) => `snaplab guest write --DiskId ${R_INC_3.DISK} --Block ${block} --Text ${text}`),
  `aliyun ecs CreateSnapshot --DiskId ${R_INC_3.DISK} --SnapshotName S1`,
  'snaplab clock run-until-idle',
  `snaplab guest write --DiskId ${R_INC_3.DISK} --Block 1 --Text B1`,
  `snaplab guest write --DiskId ${R_INC_3.DISK} --Block 2 --Text C1`,
  `aliyun ecs CreateSnapshot --DiskId ${R_INC_3.DISK} --SnapshotName S2`,
  'snaplab clock run-until-idle',
  `snaplab guest write --DiskId ${R_INC_3.DISK} --Block 1 --Text B2`,
  `aliyun ecs CreateSnapshot --DiskId ${R_INC_3.DISK} --SnapshotName S3`,
  'snaplab clock run-until-idle',
];

module.exports = { policyOf, start, step, snap, openConsole, answerActivation, typeLine, shot, showTerminal, R_INC_3, ROOT };
