// Issue 12 item 2: a panic shows an error page with the command that caused it, in English and
// 中文, instead of a dead tab.
//
// No input a user can reach is meant to panic, so the trigger is test-only and debug-only: the
// line `snaplab debug panic` on a page opened with `?debug-panic` panics inside the run queue
// (web/src/engine/queue.rs, compiled only with debug_assertions; the release build has none of
// it). This test therefore drives a debug build of the console, which it builds (dev profile)
// into target/dist-debug unless SNAPLAB_DEBUG_DIST names one. wasm32 aborts on panic in both
// profiles (the target's only strategy; the release profile's `panic = "abort"` says the same),
// so the hook running before the abort is what both builds do.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, answerActivation } = require('./harness');

const DEBUG_DIST = process.env.SNAPLAB_DEBUG_DIST || path.join(ROOT, 'target', 'dist-debug');

let env;
before(async () => {
  if (!process.env.SNAPLAB_DEBUG_DIST) {
    execFileSync('trunk', ['build', '--dist', DEBUG_DIST], { cwd: ROOT, stdio: 'inherit' });
  }
  process.env.SNAPLAB_DIST = DEBUG_DIST;
  // The harness reads SNAPLAB_DIST when it is loaded: load it afresh for the debug build.
  delete require.cache[require.resolve('./harness')];
  env = await require('./harness').start();
});
after(async () => { if (env) await env.stop(); });

for (const [lang, text] of [
  ['en', { title: 'The console stopped', command: 'Command that was running:', reload: 'Reload', terminal: 'Terminal' }],
  ['zh', { title: '控制台已停止运行', command: '正在运行的命令：', reload: '重新加载', terminal: '终端' }],
]) {
  test(`issue 12 item 2: a panic shows the error page with its command (${lang})`, async () => {
    const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const console = [];
    page.on('console', (m) => console.push(m.text()));
    try {
      if (lang === 'zh') await page.addInitScript(() => localStorage.setItem('snaplab.lang', 'zh-CN'));
      await page.goto(`${env.url}/?debug-panic`);
      await page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
      await answerActivation(page, { lang });
      const input = page.getByRole('textbox', { name: text.terminal, exact: true });
      await input.fill('snaplab debug panic');
      await input.press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal(await page.locator('h1').innerText(), text.title);
      const shown = await alert.innerText();
      assert.ok(shown.includes(text.command), shown);
      assert.equal(await page.locator('pre.panic-line').innerText(), 'snaplab debug panic');
      assert.match(await page.locator('pre.panic-message').innerText(), /debug panic requested by the test page \(web\/src\/engine\/queue\.rs:\d+\)/);
      // The console is gone: the page is the error page alone.
      assert.equal(await page.locator('.console').count(), 0);
      assert.ok(console.some((m) => m.startsWith('snaplab panicked: debug panic')), 'the panic is logged');
      // The abort after the hook: the wasm trapped.
      assert.ok(errors.some((e) => /unreachable/i.test(e)), `the module aborted: ${errors.join('; ')}`);
      if (process.env.SNAPLAB_SCREENSHOTS === '1') {
        fs.mkdirSync(path.join(ROOT, 'tests', 'artifacts'), { recursive: true });
        await page.screenshot({ path: path.join(ROOT, 'tests', 'artifacts', `panic-${lang}.png`) });
      }
      // "Reload" works without wasm: the console comes back, on the same world.
      await page.getByRole('button', { name: text.reload, exact: true }).click();
      await page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
      assert.equal(new URL(page.url()).search.replace(/^\?$/, ''), '', 'the reload drops the flag');
    } finally {
      await context.close();
    }
  });
}
