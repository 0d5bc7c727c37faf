//! Raw bytes through a session (the JS API's writeDisk / readDisk / readSnapshot): batches of
//! bounded size, one commit each; a snapshot is one commit; reads come back byte for byte.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use snaplab_engine::session::{block_on, Session, WRITE_BATCH_BYTES};
use snaplab_engine::store::memory::MemoryStore;
use snaplab_engine::store::suite::block;
use snaplab_engine::store::{Store, StoreError, Table, WriteBatch};
use std::cell::Cell;
use std::rc::Rc;

/// A memory store that counts its commits (= read-write transactions on IndexedDB).
#[derive(Clone, Default)]
struct Counting {
    inner: MemoryStore,
    commits: Rc<Cell<usize>>,
    /// Reads of at least one key.
    reads: Rc<Cell<usize>>,
    /// The commit (counted like `commits`) that fails, leaving the store as it was.
    fail_commit: Rc<Cell<Option<usize>>>,
    /// Every read of at least one key fails while set.
    fail_reads: Rc<Cell<bool>>,
}

impl Store for Counting {
    type Pending = <MemoryStore as Store>::Pending;
    fn start_get(&self, table: Table, keys: &[String]) -> Result<Self::Pending, StoreError> {
        if !keys.is_empty() {
            self.reads.set(self.reads.get() + 1);
        }
        if self.fail_reads.get() && !keys.is_empty() {
            return Err(StoreError::Backend("reads fail".into()));
        }
        self.inner.start_get(table, keys)
    }
    async fn finish_get(&self, pending: Self::Pending) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.inner.finish_get(pending).await
    }
    async fn keys(&self, table: Table) -> Result<Vec<String>, StoreError> {
        if self.fail_reads.get() {
            return Err(StoreError::Backend("reads fail".into()));
        }
        self.inner.keys(table).await
    }
    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        self.commits.set(self.commits.get() + 1);
        if self.fail_commit.get() == Some(self.commits.get()) {
            return Err(StoreError::Backend("commit fails".into()));
        }
        self.inner.commit(batch).await
    }
}

fn ok(s: &mut Session<Counting>, line: &str) -> serde_json::Value {
    let r = block_on(s.exec_line(line)).expect("a command");
    assert!(!r.is_error, "{line} → {}", r.body);
    r.body
}

/// A counting store with a world of 4 KiB blocks, an instance running, and its data disk.
fn with_data_disk() -> (Counting, Session<Counting>, String) {
    let store = Counting::default();
    let mut s = block_on(Session::open(store.clone())).expect("open");
    ok(&mut s, "snaplab world reset --BlockSize 4096");
    ok(&mut s, "snaplab service activate");
    let run = ok(&mut s, common::RUN);
    let instance = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    ok(&mut s, "snaplab clock run-until-idle");
    let disks = ok(
        &mut s,
        &format!("aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {instance} --DiskType data"),
    );
    let disk = disks["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string();
    (store, s, disk)
}

#[test]
fn large_writes_go_in_bounded_batches_and_read_back() {
    let (store, mut s, disk) = with_data_disk();
    // 10 MiB + a bit, starting mid-block: partial edge blocks, batches of WRITE_BATCH_BYTES.
    let data = block(7, 10 * (1 << 20) + 1234);
    let offset = 4096 * 3 + 100;
    let commits = store.commits.get();
    let reply = block_on(s.write_disk(&disk, offset, &data)).expect("written");
    assert!(reply["RequestId"].is_string());
    let batches = (offset + data.len() as u64).div_ceil(WRITE_BATCH_BYTES as u64) as usize;
    assert_eq!(store.commits.get() - commits, batches, "one commit per batch");
    let back = block_on(s.read(&disk, offset, data.len() as u64)).expect("read");
    assert!(back == data, "the disk reads back what was written");
    // A snapshot is one commit, and restores the same bytes (R-INC-5), read in chunks.
    let commits = store.commits.get();
    let snap = ok(&mut s, &format!("aliyun ecs CreateSnapshot --DiskId {disk}"))["SnapshotId"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(store.commits.get() - commits, 1, "one transaction per snapshot");
    let mut restored = Vec::new();
    let chunk = 3 << 20;
    let mut at = offset;
    while at < offset + data.len() as u64 {
        let n = chunk.min(offset + data.len() as u64 - at);
        restored.extend(block_on(s.read(&snap, at, n)).expect("read snapshot"));
        at += n;
    }
    assert!(restored == data, "the snapshot restores byte for byte");
    // Reopened, the snapshot still restores.
    let mut again = block_on(Session::open(store.clone())).expect("reopen");
    let first = block_on(again.read(&snap, offset, 1 << 20)).expect("read");
    assert!(first[..] == data[..1 << 20]);
}

// A sequential reader's next chunk was read ahead: each chunk after the first costs one store
// read (the read-ahead of the chunk after it), not two. A write between two reads is seen: the
// blocks read ahead are named by content, so the new bytes' blocks are read from the store.
#[test]
fn sequential_reads_are_read_ahead_and_see_writes_in_between() {
    let (store, mut s, disk) = with_data_disk();
    let chunk = 1u64 << 20;
    let mut data = block(3, 4 * chunk as usize);
    block_on(s.write_disk(&disk, 0, &data)).expect("written");
    let snap = ok(&mut s, &format!("aliyun ecs CreateSnapshot --DiskId {disk}"))["SnapshotId"]
        .as_str()
        .unwrap()
        .to_string();
    let reads = store.reads.get();
    let first = block_on(s.read(&snap, 0, chunk)).expect("read");
    assert_eq!(store.reads.get() - reads, 2, "the chunk, and the next one ahead");
    let reads = store.reads.get();
    let second = block_on(s.read(&snap, chunk, chunk)).expect("read");
    assert_eq!(store.reads.get() - reads, 1, "only the read-ahead of the chunk after");
    assert!(first[..] == data[..chunk as usize] && second[..] == data[chunk as usize..2 * chunk as usize]);

    // Read the disk's first chunk (the second is read ahead), then overwrite the second.
    block_on(s.read(&disk, 0, chunk)).expect("read");
    let fresh = block(4, chunk as usize);
    block_on(s.write_disk(&disk, chunk, &fresh)).expect("overwritten");
    data[chunk as usize..2 * chunk as usize].copy_from_slice(&fresh);
    let back = block_on(s.read(&disk, chunk, chunk)).expect("read");
    assert!(back[..] == fresh[..], "the read sees the write before it");
    // Not sequential, and the last chunk (nothing after it to read ahead).
    let last = block_on(s.read(&disk, 3 * chunk, chunk)).expect("read");
    assert!(last[..] == data[3 * chunk as usize..]);
    let again = block_on(s.read(&snap, chunk, chunk)).expect("read");
    assert!(again[..] == second[..], "the snapshot keeps its bytes");
}

#[test]
fn refused_writes_and_reads_change_nothing() {
    let mut w = World::activated(4096);
    let (instance, _, disk) = w.instance();
    let size = block_on(async { w.s.content_bytes(&disk) }).expect("size");
    assert_eq!(size, 20 << 30);
    let before = w.state();
    let err = block_on(w.s.write_disk(&disk, size - 10, &[1u8; 20])).expect_err("beyond the disk");
    assert_eq!(err["Code"], "InvalidParameter");
    let err = block_on(w.s.read(&disk, size - 10, 20)).expect_err("beyond the disk");
    assert_eq!(err["Code"], "InvalidParameter");
    let err = block_on(w.s.read("s-nothing", 0, 20)).expect_err("no such snapshot");
    assert_eq!(err["Code"], "InvalidSnapshotId.NotFound");
    let err = block_on(w.s.read(&disk, 0, 512 << 20)).expect_err("too large a read");
    assert_eq!(err["Code"], "InvalidParameter");
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {instance}"));
    w.ok("snaplab clock run-until-idle");
    let stopped = w.state();
    let err = block_on(w.s.write_disk(&disk, 0, &[1u8; 20])).expect_err("instance stopped");
    assert_eq!(err["Code"], "IncorrectInstanceStatus");
    assert_eq!(w.state(), stopped, "a refused write changes nothing");
    assert_ne!(before, stopped);
    w.check_persisted();
}

/// A batch whose commit fails leaves the world and the store as they were before it.
#[test]
fn a_failed_batch_commit_changes_nothing() {
    use snaplab_engine::store::FaultInjection;
    let mut w = World::activated(4096);
    let (_, _, disk) = w.instance();
    let before = w.state();
    w.s.store().fail_at_write(3);
    let err = block_on(w.s.write_disk(&disk, 0, &block(3, 1 << 20))).expect_err("the commit fails");
    assert_eq!(err["Code"], "InternalError");
    assert_eq!(w.state(), before, "the world is as before the write");
    w.check_persisted();
    block_on(w.s.write_disk(&disk, 0, &block(3, 1 << 20))).expect("then it works");
    w.check_persisted();
}

/// A write of three batches whose second commit fails keeps the first batch (committed) and
/// nothing of the others, in the world and in the store; the session goes on (the world is put
/// back from the store: no copy of it is made before each batch).
#[test]
fn a_write_failing_in_its_second_batch_keeps_the_first() {
    let (store, mut s, disk) = with_data_disk();
    let old = block(1, 3 * WRITE_BATCH_BYTES);
    block_on(s.write_disk(&disk, 0, &old)).expect("written");
    let new = block(2, 3 * WRITE_BATCH_BYTES);
    store.fail_commit.set(Some(store.commits.get() + 2));
    let err = block_on(s.write_disk(&disk, 0, &new)).expect_err("the second commit fails");
    assert_eq!(err["Code"], "InternalError");
    let mut expect = new[..WRITE_BATCH_BYTES].to_vec();
    expect.extend_from_slice(&old[WRITE_BATCH_BYTES..]);
    let got = block_on(s.read(&disk, 0, expect.len() as u64)).expect("read");
    assert!(got == expect, "the first batch is written, the others are not");
    let reopened = block_on(Session::open(store.clone())).expect("reopen");
    assert_eq!(
        snaplab_engine::session_faults::comparable_world(reopened.world()),
        snaplab_engine::session_faults::comparable_world(s.world()),
        "the session's world is the stored one"
    );
    let snap = ok(&mut s, &format!("aliyun ecs CreateSnapshot --DiskId {disk}"));
    assert!(snap["SnapshotId"].is_string(), "the session goes on");
}

/// When a write fails and the committed world cannot be read back either, the session refuses
/// every later call (it cannot know its world) and commits nothing; reopening the store gives
/// the last committed world.
#[test]
fn a_write_that_cannot_be_put_back_breaks_the_session() {
    let (store, mut s, disk) = with_data_disk();
    let before = snaplab_engine::session_faults::comparable_world(s.world());
    store.fail_commit.set(Some(store.commits.get() + 1));
    store.fail_reads.set(true);
    let err = block_on(s.write_disk(&disk, 0, &block(3, 4096))).expect_err("the commit fails");
    assert_eq!(err["Code"], "InternalError");
    store.fail_reads.set(false);
    let commits = store.commits.get();
    let r = block_on(s.exec_line("aliyun ecs DescribeDisks --RegionId cn-hangzhou")).expect("a command");
    assert!(r.is_error, "a broken session refuses commands: {}", r.body);
    assert!(block_on(s.write_disk(&disk, 0, &block(3, 4096))).is_err());
    assert!(block_on(s.read(&disk, 0, 4096)).is_err());
    assert_eq!(store.commits.get(), commits, "nothing is committed");
    let again = block_on(Session::open(store.clone())).expect("reopen");
    assert_eq!(snaplab_engine::session_faults::comparable_world(again.world()), before);
}
