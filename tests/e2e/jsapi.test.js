// The JS API (SPEC §19) used exactly as another project's page would: a blank page imports
// dist/js/snaplab.js, opens a world by IndexedDB name, runs lines and typed calls, writes and
// reads bytes; after a page reload every snapshot still restores byte for byte.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { start, step } = require('./harness');

let env;
before(async () => { env = await start(); });
after(async () => { await env.stop(); });

/** Runs `body(api)` in the page, with the API module loaded and initialised. */
async function inPage(page, body, arg) {
  // One expression for Playwright to evaluate: the page's Content-Security-Policy (issue 12
  // item 5) refuses `new Function` inside the page, as it would any string turned into code.
  return page.evaluate(`(async () => {
    const api = await import('/js/snaplab.js');
    await api.default();
    return (${body.toString()})(api, ${JSON.stringify(arg ?? null)});
  })()`);
}

test('the JS API opens a world by name, runs calls, and survives a reload', async () => {
  await step(env, 'js api world across a reload', async (page) => {
    await page.goto(`${env.url}/js/blank.html`);
    const made = await inPage(page, async ({ Snaplab }) => {
      const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
        .map((b) => b.toString(16).padStart(2, '0')).join('');
      const w = await Snaplab.open('jsapi-world');
      await w.exec('snaplab world reset --BlockSize 4096');
      await w.exec('snaplab service activate');
      const run = await w.runInstances({
        RegionId: 'cn-hangzhou', ImageId: 'centos_7_9_x64_20G_alibase_20230815.vhd', InstanceType: 'ecs.g7.large',
        DataDisk: [{ Category: 'cloud_essd', Size: 20 }],
      });
      await w.exec('snaplab clock run-until-idle');
      const instance = run.InstanceIdSets.InstanceIdSet[0];
      const disks = await w.describeDisks({ RegionId: 'cn-hangzhou', InstanceId: instance, DiskType: 'data' });
      const disk = disks.Disks.Disk[0].DiskId;
      // Three rounds: write 1 MiB of bytes at a different place, snapshot (R-INC-1..3).
      const REGION = 3 << 20;
      const snaps = [];
      for (let round = 0; round < 3; round++) {
        const data = new Uint8Array(1 << 20);
        crypto.getRandomValues(data.subarray(0, 65536));
        for (let i = 65536; i < data.length; i++) data[i] = (i * (round + 7)) & 0xff;
        await w.writeDisk(disk, round * (1 << 20) + 1000, data);
        const { SnapshotId } = await w.createSnapshot({ DiskId: disk, SnapshotName: `round-${round}` });
        await w.exec('snaplab clock run-until-idle');
        const content = await w.readSnapshot(SnapshotId, 0, REGION + 4096);
        const { Checksum } = await w.exec(`snaplab snapshot checksum --SnapshotId ${SnapshotId}`);
        snaps.push({ id: SnapshotId, digest: await hex(content), checksum: Checksum });
      }
      // Calls made without awaiting run in order.
      const listed = await Promise.all([
        w.exec(`snaplab guest write --DiskId ${disk} --Block 0 --Text late`),
        w.exec(`snaplab guest read --DiskId ${disk} --Block 0`),
      ]);
      const described = await w.describeSnapshots({ RegionId: 'cn-hangzhou', DiskId: disk });
      // A refusal rejects with the ECS error object (SPEC §17).
      let refused;
      try { await w.createSnapshot({ DiskId: 'd-nothing' }); } catch (e) { refused = e; }
      let badCall;
      try { await w.call('Create Snapshot', {}); } catch (e) { badCall = e; }
      // The world is open here: opening it a second time is refused (one session per world).
      let twice;
      try { await Snaplab.open('jsapi-world'); } catch (e) { twice = e; }
      await w.close();
      let closed;
      try { await w.exec('snaplab world show'); } catch (e) { closed = e; }
      return { disk, snaps, read: listed[1], total: described.TotalCount, refused, badCall, twice, closed };
    });
    assert.equal(made.snaps.length, 3);
    assert.equal(made.total, 3);
    assert.deepEqual(made.read, { Text: 'late', RequestId: made.read.RequestId });
    assert.equal(made.refused.Code, 'InvalidDiskId.NotFound');
    assert.equal(made.refused.HttpStatus, 404);
    assert.match(made.refused.RequestId, /.+/);
    assert.equal(made.badCall.Code, 'InvalidParameter');
    assert.equal(made.twice.Code, 'ServiceUnavailable');
    assert.match(made.twice.Message, /open in another tab or page/);
    assert.equal(made.closed.Code, 'InvalidOperation.WorldClosed');

    // Reload the page: the world reopens by name, every snapshot restores byte for byte.
    await page.reload();
    const again = await inPage(page, async ({ Snaplab }, made) => {
      const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
        .map((b) => b.toString(16).padStart(2, '0')).join('');
      const w = await Snaplab.open('jsapi-world');
      const out = [];
      for (const s of made.snaps) {
        const content = await w.readSnapshot(s.id, 0, (3 << 20) + 4096);
        const { Checksum } = await w.exec(`snaplab snapshot checksum --SnapshotId ${s.id}`);
        out.push({ id: s.id, digest: await hex(content), checksum: Checksum, size: await w.contentSize(s.id) });
      }
      const read = await w.exec(`snaplab guest read --DiskId ${made.disk} --Block 0`);
      await w.close();
      await Snaplab.delete('jsapi-world');
      // A deleted world is gone: opening the name again gives a new world.
      const fresh = await Snaplab.open('jsapi-world');
      const shown = await fresh.exec('snaplab world show');
      await fresh.close();
      await Snaplab.delete('jsapi-world');
      return { out, read, shown };
    }, made);
    for (const [i, s] of made.snaps.entries()) {
      assert.equal(again.out[i].digest, s.digest, `snapshot ${s.id} restores byte for byte after the reload`);
      assert.equal(again.out[i].checksum, s.checksum, `snapshot ${s.id} keeps its checksum`);
      assert.equal(again.out[i].size, 20 * 2 ** 30);
    }
    assert.notEqual(made.snaps[0].digest, made.snaps[2].digest);
    assert.equal(again.read.Text, 'late');
    assert.equal(again.shown.ServiceActivated, false);
    assert.equal(again.shown.Snapshots, 0);
  });
});
