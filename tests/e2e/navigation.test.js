// The console shell: top bar, region selector, language switch, navigation with one URL per
// page (SPEC §16), in English and Chinese.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step, snap, openConsole, answerActivation } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

// The left navigation and the heading each page shows, per language.
const PAGES = {
  en: [
    ['Instances', '/instances', 'Instances'],
    ['Images', '/images', 'Images'],
    ['Disks', '/disks', 'Disks'],
    ['Snapshots', '/snapshots', 'Snapshots'],
    ['Cloud Assistant', '/cloud-assistant', 'Cloud Assistant'],
  ],
  zh: [
    ['实例', '/instances', '实例'],
    ['镜像', '/images', '镜像'],
    ['云盘', '/disks', '云盘'],
    ['快照', '/snapshots', '快照'],
    ['发送命令/文件（云助手）', '/cloud-assistant', '发送命令/文件（云助手）'],
  ],
};

const TABS = {
  en: [
    ['Snapshot Chains', '/snapshots/chains'],
    ['Automatic Snapshot Policies', '/snapshots/policies'],
    ['Snapshot Capacity', '/snapshots/capacity'],
    ['Consistency Groups', '/snapshots/groups'],
    ['Snapshots', '/snapshots'],
  ],
  zh: [
    ['快照链', '/snapshots/chains'],
    ['自动快照策略', '/snapshots/policies'],
    ['快照容量', '/snapshots/capacity'],
    ['快照一致性组', '/snapshots/groups'],
    ['快照', '/snapshots'],
  ],
};

const NAV = { en: 'Console navigation', zh: '控制台导航' };
const TABLIST = { en: 'Snapshot views', zh: '快照视图' };

async function clickThrough(page, lang) {
  const nav = page.getByRole('navigation', { name: NAV[lang] });
  for (const [link, path, heading] of PAGES[lang]) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await page.waitForURL((u) => u.pathname === path);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), heading, `heading of ${path}`);
    // The active entry is highlighted.
    assert.match(await nav.getByRole('link', { name: link, exact: true }).getAttribute('class'), /active/);
    await page.getByRole('status').waitFor();
  }
  // The Snapshots entry opens its first tab; every tab is its own URL.
  await nav.getByRole('link', { name: PAGES[lang][3][0], exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/snapshots');
  const tabs = page.getByRole('navigation', { name: TABLIST[lang] });
  for (const [tab, path] of TABS[lang]) {
    await tabs.getByRole('link', { name: tab, exact: true }).click();
    await page.waitForURL((u) => u.pathname === path);
    assert.equal(await tabs.locator('[aria-current="page"]').innerText(), tab);
  }
}

test('the top bar shows the product, five regions and the language switch', async () => {
  await step(env, 'topbar', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page);
    assert.equal(await page.locator('.brand').innerText(), 'Snaplab');
    const region = page.getByRole('combobox', { name: 'Region' });
    const values = await region.locator('option').evaluateAll((os) => os.map((o) => o.value));
    assert.deepEqual(values, ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-hongkong', 'ap-southeast-1']);
    assert.equal(await region.inputValue(), 'cn-hangzhou');
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByRole('button', { name: '中文' }).getAttribute('aria-pressed'), 'false');
    // The home page is the instance list.
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Instances');
  });
});

test('every page and snapshot tab has its own URL, in English', async () => {
  await step(env, 'navigation-en', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page);
    await clickThrough(page, 'en');
  });
});

test('the Chinese switch translates the console, and it stays after a reload', async () => {
  await step(env, 'navigation-zh', async (page) => {
    await openConsole(page, env.url);
    await answerActivation(page);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('navigation', { name: NAV.zh }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await page.getByRole('combobox', { name: '地域' }).locator('option').first().innerText(),
      '华东1（杭州） (cn-hangzhou)');
    await clickThrough(page, 'zh');
    await snap(page, 'zh-snapshots');
    await page.reload();
    await page.locator('.console[data-ready="true"]').waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), '快照');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('navigation', { name: NAV.en }).waitFor();
  });
});

test('a deep link opens its page, and an unknown address says so', async () => {
  await step(env, 'deep-link', async (page) => {
    await openConsole(page, `${env.url}/snapshots/capacity`);
    await answerActivation(page);
    const tabs = page.getByRole('navigation', { name: TABLIST.en });
    assert.equal(await tabs.locator('[aria-current="page"]').innerText(), 'Snapshot Capacity');
    assert.match(await page.getByRole('navigation', { name: NAV.en })
      .getByRole('link', { name: 'Snapshots', exact: true }).getAttribute('class'), /active/);
    await openConsole(page, `${env.url}/no/such/page`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Page not found');
    await page.getByRole('link', { name: 'Go to Instances' }).click();
    await page.waitForURL((u) => u.pathname === '/instances');
  });
});

test('the selected region shows on the pages and survives a reload', async () => {
  await step(env, 'region', async (page) => {
    await openConsole(page, `${env.url}/disks`);
    await answerActivation(page);
    await page.getByRole('combobox', { name: 'Region' }).selectOption('ap-southeast-1');
    await page.getByRole('status').getByText('ap-southeast-1').waitFor();
    await page.reload();
    // The engine's "Opening the world…" status goes once the world is open.
    await page.locator('.console[data-ready="true"][data-engine="ready"]').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Region' }).inputValue(), 'ap-southeast-1');
    assert.match(await page.getByRole('status').innerText(), /ap-southeast-1/);
  });
});

// The Snapshots list's filters start at "All" (each select shows the option it filters by).
test('the snapshot filters show All until one is chosen', async () => {
  await step(env, 'snapshot-filters', async (page) => {
    await openConsole(page, `${env.url}/snapshots`);
    await answerActivation(page);
    const filters = page.getByRole('search');
    // A select inside its label: the label's text holds the options' too.
    const filter = (name) => filters.locator('label', { has: page.locator('.field-label', { hasText: name }) }).locator('select');
    for (const name of ['Status', 'Source', 'Snapshot type']) {
      const select = filter(name);
      assert.equal(await select.evaluate((s) => s.selectedOptions[0].textContent), 'All', name);
    }
    await filter('Status').selectOption('failed');
    assert.equal(await filter('Status').inputValue(), 'failed');
    assert.equal(await filter('Source').evaluate((s) => s.selectedOptions[0].textContent), 'All');
  });
});
