// The browser benchmark's headless runner: serves the release build (dist/, with the JS API in
// dist/js/), opens dist/js/bench.html in Debian's headless Chromium and prints its figures.
//   node tools/bench-browser.js [--mib 256] [--block 4096] [--durability strict|relaxed]
// Build first: `bash tools/test.sh` or `trunk build --release` (its hook builds dist/js/).
'use strict';

const { start } = require('../tests/e2e/harness.js');

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
  const query = new URLSearchParams({ mib: opt('mib', '256'), block: opt('block', '4096'), durability: opt('durability', 'strict') });
  const env = await start();
  try {
    const page = await (await env.browser.newContext()).newPage();
    page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
    await page.goto(`${env.url}/js/bench.html?${query}`);
    await page.waitForFunction(() => window.__bench !== undefined, null, { timeout: 30 * 60 * 1000, polling: 500 });
    console.log(await page.locator('#out').textContent());
    const result = await page.evaluate(() => window.__bench);
    if (result.error) process.exitCode = 1;
  } finally {
    await env.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
