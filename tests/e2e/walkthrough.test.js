// The end-to-end walkthrough (issue 5, "Must show"), as a new user does it: activate
// the service, create an instance with a data disk, write blocks A–D (R-INC-3), snapshot, change
// blocks, snapshot twice more, preview and delete the middle snapshot (R-DEL-3, R-DEL-4), stop
// the instance, roll the disk back (R-RB-1, R-RB-2) — checking every page along the way.
// Once with the mouse, once through the terminal, each in English and in 中文: the steps and
// their checks are shared (walk.js).
'use strict';

const { test, before, after } = require('node:test');
const { start, step } = require('./harness');
const { walk, context } = require('./walk');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

for (const mode of ['mouse', 'terminal']) {
  for (const lang of ['en', 'zh']) {
    test(`the walkthrough ${mode === 'mouse' ? 'with the mouse' : 'through the terminal'}, in ${lang === 'en' ? 'English' : 'Chinese'}`, async () => {
      await step(env, `walkthrough ${mode} ${lang}`, (page) => walk(context(page, { lang, mode, url: env.url })));
    });
  }
}
