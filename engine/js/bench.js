// The browser benchmark (issue 4): the engine through its JS API against raw IndexedDB doing
// the same I/O, in one page, with the same durability for every read-write transaction.
// Prints figures, asserts nothing: tools/bench-browser.js runs it headless and reports.

// Count read-write transactions before anything opens a database.
const counted = { readwrite: 0 };
const transaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (names, mode, options) {
  if (mode === 'readwrite') counted.readwrite += 1;
  return transaction.call(this, names, mode, options);
};

import init, { Snaplab } from './snaplab.js';

const q = new URLSearchParams(location.search);
const MiB = 1 << 20;
const SIZE = Number(q.get('mib') || 256) * MiB;
const BLOCK = Number(q.get('block') || 4096);
const DURABILITY = q.get('durability') || 'strict';
const CHUNK = 16 * MiB; // reads, both sides: 16 MiB per batch
const out = document.getElementById('out');
const lines = [];
const say = (s) => { lines.push(s); out.textContent = lines.join('\n'); };

function request(r) {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}
function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
/** Deterministic, incompressible bytes (xorshift32), different for every seed. */
function bytes(len, seed) {
  const words = new Uint32Array(len / 4);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    words[i] = x;
  }
  return new Uint8Array(words.buffer);
}
const mibps = (n, ms) => (n / MiB) / (ms / 1000);
const time = async (f) => { const t = performance.now(); const r = await f(); return [performance.now() - t, r]; };

// Raw keys are block numbers: consecutive keys, the best locality IndexedDB can get.
async function raw(data) {
  await request(indexedDB.deleteDatabase('bench-raw'));
  const open = indexedDB.open('bench-raw', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('blocks');
  const db = await request(open);
  const blocks = SIZE / BLOCK;
  // One transaction putting every block (a copy each: a view would store its whole buffer).
  const [writeMs] = await time(async () => {
    const tx = db.transaction('blocks', 'readwrite', { durability: DURABILITY });
    const store = tx.objectStore('blocks');
    for (let i = 0; i < blocks; i++) store.put(data.slice(i * BLOCK, (i + 1) * BLOCK), i);
    await finished(tx);
  });
  // Batched reads: every get of a 16 MiB batch issued, then awaited, the bytes put together.
  const [readMs] = await time(async () => {
    for (let at = 0; at < SIZE; at += CHUNK) {
      const tx = db.transaction('blocks', 'readonly');
      const store = tx.objectStore('blocks');
      const n = Math.min(CHUNK, SIZE - at) / BLOCK;
      const gets = [];
      for (let i = 0; i < n; i++) gets.push(request(store.get(at / BLOCK + i)));
      const values = await Promise.all(gets);
      const chunk = new Uint8Array(n * BLOCK);
      values.forEach((v, i) => chunk.set(v, i * BLOCK));
    }
  });
  db.close();
  await request(indexedDB.deleteDatabase('bench-raw'));
  return { writeMs, readMs };
}

async function engine(data) {
  await Snaplab.delete('bench-engine');
  const w = await Snaplab.open('bench-engine', { durability: DURABILITY });
  await w.exec(`snaplab world reset --BlockSize ${BLOCK}`);
  await w.exec('snaplab service activate');
  const run = await w.exec('aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd '
    + '--InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20');
  await w.exec('snaplab clock run-until-idle');
  const inst = run.InstanceIdSets.InstanceIdSet[0];
  const disks = await w.exec(`aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId ${inst} --DiskType data`);
  const disk = disks.Disks.Disk[0].DiskId;
  const memory = { start: Snaplab.memoryBytes() };

  // Import the disk's bytes (16 MiB commits), then snapshot it.
  const quarter = SIZE / 4;
  const [importMs] = await time(async () => {
    for (let q4 = 0; q4 < 4; q4++) {
      await w.writeDisk(disk, q4 * quarter, data.subarray(q4 * quarter, (q4 + 1) * quarter));
      memory[`after${(q4 + 1) * quarter / MiB}MiB`] = Snaplab.memoryBytes();
    }
  });
  let rw = counted.readwrite;
  const [fullSnapMs, full] = await time(() => w.createSnapshot({ DiskId: disk, SnapshotName: 'full' }));
  const txPerSnapshot = counted.readwrite - rw;
  await w.exec('snaplab clock run-until-idle');

  // Restore: read the snapshot's content back, 16 MiB at a time.
  let checked = 0;
  const [restoreMs] = await time(async () => {
    for (let at = 0; at < SIZE; at += CHUNK) {
      const got = await w.readSnapshot(full.SnapshotId, at, Math.min(CHUNK, SIZE - at));
      if (got[0] === data[at] && got[got.length - 1] === data[at + got.length - 1]) checked += 1;
    }
  });

  // 1% change (blocks spread over the disk), then an incremental snapshot.
  const changed = Math.max(1, Math.round(SIZE / BLOCK / 100));
  const stride = Math.floor(SIZE / BLOCK / changed);
  const fresh = bytes(changed * BLOCK, 99);
  const [changeMs] = await time(async () => {
    for (let i = 0; i < changed; i++) {
      await w.writeDisk(disk, i * stride * BLOCK, fresh.subarray(i * BLOCK, (i + 1) * BLOCK));
    }
  });
  rw = counted.readwrite;
  const [incSnapMs, inc] = await time(() => w.createSnapshot({ DiskId: disk, SnapshotName: 'incremental' }));
  const txPerIncremental = counted.readwrite - rw;
  await w.exec('snaplab clock run-until-idle');
  const chain = await w.exec(`snaplab chain blocks --DiskId ${disk}`);
  const owned = Object.fromEntries(chain.Snapshots.map((s) => [s.SnapshotId, s.OwnedBlocks]));
  await w.close();
  await Snaplab.delete('bench-engine');
  return {
    importMs, fullSnapMs, restoreMs, changeMs, incSnapMs, txPerSnapshot, txPerIncremental, memory, checked,
    ownedFull: owned[full.SnapshotId], ownedIncremental: owned[inc.SnapshotId], changed,
  };
}

async function main() {
  await init();
  say(`Snaplab benchmark: ${SIZE / MiB} MiB, ${BLOCK} B blocks, durability ${DURABILITY}, ${navigator.userAgent}`);
  const data = bytes(SIZE, 1);
  const r = await raw(data);
  say(`raw IndexedDB: put ${mibps(SIZE, r.writeMs).toFixed(1)} MiB/s (one transaction), batched get ${mibps(SIZE, r.readMs).toFixed(1)} MiB/s`);
  const e = await engine(data);
  const write = mibps(SIZE, e.importMs + e.fullSnapMs);
  const restore = mibps(SIZE, e.restoreMs);
  const result = {
    sizeMiB: SIZE / MiB,
    blockBytes: BLOCK,
    durability: DURABILITY,
    rawPutMiBps: mibps(SIZE, r.writeMs),
    rawGetMiBps: mibps(SIZE, r.readMs),
    engineWriteAndSnapshotMiBps: write,
    engineRestoreMiBps: restore,
    writeRatio: write / mibps(SIZE, r.writeMs),
    restoreRatio: restore / mibps(SIZE, r.readMs),
    fullSnapshotMs: e.fullSnapMs,
    incrementalSnapshotMs: e.incSnapMs,
    incrementalOverFullTime: (e.changeMs + e.incSnapMs) / (e.importMs + e.fullSnapMs),
    incrementalOverFullSnapshotCommand: e.incSnapMs / e.fullSnapMs,
    incrementalOverFullStored: e.ownedIncremental / e.ownedFull,
    changedBlocks: e.changed,
    readWriteTransactionsPerSnapshot: [e.txPerSnapshot, e.txPerIncremental],
    wasmMemoryBytes: e.memory,
    restoreChunksChecked: e.checked,
  };
  say(`engine: write + snapshot ${write.toFixed(1)} MiB/s (ratio ${result.writeRatio.toFixed(2)}), restore ${restore.toFixed(1)} MiB/s (ratio ${result.restoreRatio.toFixed(2)})`);
  say(JSON.stringify(result, null, 2));
  window.__bench = result;
}

main().catch((err) => { say(`FAILED: ${err && (err.stack || err.Message || JSON.stringify(err))}`); window.__bench = { error: String(err && (err.Message || err)) }; });
