//! What a line did, as its reply says (`LineReply::changed`, `LineReply::replaced`): the
//! console refreshes its pages and clears its terminal from these, never by parsing the line
//! again. `changed` is exactly "the line committed": every case is checked against the
//! store's commits. Also: `snaplab` words that name no command are refused as before.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use snaplab_engine::session::{block_on, LineReply, Replaced, Session};
use snaplab_engine::store::memory::MemoryStore;
use snaplab_engine::store::{Store, StoreError, Table, WriteBatch};
use std::cell::Cell;
use std::rc::Rc;

/// A memory store that counts its commits.
#[derive(Clone, Default)]
struct Counting {
    inner: MemoryStore,
    commits: Rc<Cell<usize>>,
}

impl Store for Counting {
    type Pending = <MemoryStore as Store>::Pending;
    fn start_get(&self, table: Table, keys: &[String]) -> Result<Self::Pending, StoreError> {
        self.inner.start_get(table, keys)
    }
    async fn finish_get(&self, pending: Self::Pending) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        self.inner.finish_get(pending).await
    }
    async fn keys(&self, table: Table) -> Result<Vec<String>, StoreError> {
        self.inner.keys(table).await
    }
    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        self.commits.set(self.commits.get() + 1);
        self.inner.commit(batch).await
    }
}

struct Lab {
    store: Counting,
    s: Session<Counting>,
}

impl Lab {
    /// A world of 4 KiB blocks with an instance running; returns its data disk too.
    fn new() -> (Lab, String) {
        let store = Counting::default();
        let s = block_on(Session::open(store.clone())).expect("open");
        let mut lab = Lab { store, s };
        lab.run("snaplab world reset --BlockSize 4096");
        lab.run("snaplab service activate");
        let run = lab.run(common::RUN).body;
        let instance = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
        lab.run("snaplab clock run-until-idle");
        let disks = lab
            .run(&format!(
                "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {instance} --DiskType data"
            ))
            .body;
        let disk = disks["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string();
        (lab, disk)
    }

    /// Runs `line`, checking that `changed` says whether it committed.
    fn run(&mut self, line: &str) -> LineReply {
        let before = self.store.commits.get();
        let r = block_on(self.s.exec_line(line)).expect("a command");
        let committed = self.store.commits.get() > before;
        assert_eq!(r.changed, committed, "{line}: changed = committed ({})", r.body);
        r
    }

    /// `(is_error, changed, replaced)` of `line`.
    fn did(&mut self, line: &str) -> (bool, bool, Option<Replaced>) {
        let r = self.run(line);
        (r.is_error, r.changed, r.replaced)
    }
}

#[test]
fn reads_dry_runs_refusals_and_exports_change_nothing() {
    let (mut lab, disk) = Lab::new();
    for line in [
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou".to_string(),
        "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --output cols=SnapshotId rows=Snapshots.Snapshot[]".into(),
        "snaplab clock show".into(),
        "snaplab world show".into(),
        format!("snaplab guest read --DiskId {disk} --Block 0"),
        format!("snaplab chain blocks --DiskId {disk}"),
        "snaplab world export".into(),
    ] {
        assert_eq!(lab.did(&line), (false, false, None), "{line}");
    }
    for line in [
        // A dry run: every check passes, nothing is done.
        format!("aliyun ecs CreateSnapshot --DiskId {disk} --DryRun true"),
        format!("aliyun ecs CreateSnapshot --DiskId {disk} --DryRun"),
        // Refusals by the world and by the command line.
        "aliyun ecs CreateSnapshot --DiskId d-nothing".into(),
        "aliyun ecs 'unclosed".into(),
        "snaplab world reset --Seed x".into(),
        "snaplab world import --Json '{}'".into(),
        "snaplab clock advance --Seconds 1 --waiter expr=Now to=x".into(),
    ] {
        assert_eq!(lab.did(&line), (true, false, None), "{line}");
    }
    assert_eq!(block_on(lab.s.exec_line("  # a comment")), None);
}

#[test]
fn changes_say_so() {
    let (mut lab, disk) = Lab::new();
    for line in [
        format!("snaplab guest write --DiskId {disk} --Block 0 --Text A"),
        format!("aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName s1"),
        "snaplab clock advance --Seconds 1".into(),
        // The clock where it was is still a committed command.
        "snaplab clock advance --Seconds 0".into(),
        "snaplab clock run-until-idle".into(),
    ] {
        assert_eq!(lab.did(&line), (false, true, None), "{line}");
    }
    // A waiter's polls move the clock (an instance takes a while to start), but the read itself
    // changes nothing: the session commits nothing, so the line did not change the stored world
    // (the console learns what the clock did from the world itself).
    let run = lab.run(common::RUN).body;
    let instance = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    let wait = |to: &str| {
        format!("aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '[\"{instance}\"]' --waiter expr='Instances.Instance[0].Status' to={to} timeout=600 interval=2")
    };
    let before = lab.s.world().now();
    assert_eq!(lab.did(&wait("Running")), (false, false, None));
    assert!(lab.s.world().now() > before, "the waiter polled");
    assert_eq!(lab.did(&wait("Running")), (false, false, None));
    let gave_up = lab.did(&wait("Stopped").replace("timeout=600", "timeout=4"));
    assert_eq!(gave_up, (true, false, None));
    // A change whose --output table cannot be made is refused after it was committed.
    let table = lab.did(&format!(
        "aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName s3 --output cols=A rows=SnapshotId"
    ));
    assert_eq!(table, (true, true, None));
}

#[test]
fn resets_and_imports_replace_the_world() {
    let (mut lab, disk) = Lab::new();
    lab.run(&format!("snaplab guest write --DiskId {disk} --Block 0 --Text A"));
    let disks = lab.s.world().disks.len();
    let export = lab.run("snaplab world export");
    assert_eq!((export.is_error, export.changed, export.replaced), (false, false, None));
    assert_eq!(
        lab.did("snaplab world reset --Seed 3"),
        (false, true, Some(Replaced::Reset))
    );
    let json = snaplab_engine::cli::quote(&export.body.to_string());
    assert_eq!(
        lab.did(&format!("snaplab world import --Json {json}")),
        (false, true, Some(Replaced::Import))
    );
    assert_eq!(lab.s.world().disks.len(), disks, "the exported world is back");
    // A refused reset or import replaces nothing.
    assert_eq!(lab.did("snaplab world reset --BlockSize 3"), (true, false, None));
    assert_eq!(lab.did("snaplab world import --Json nonsense"), (true, false, None));
}

#[test]
fn words_that_name_no_command_are_refused_as_before() {
    let (mut lab, _) = Lab::new();
    let r = lab.run("snaplab world explode --Force");
    assert!(r.is_error);
    assert_eq!(r.body["Code"], "InvalidAction");
    assert_eq!(r.body["HttpStatus"], 403);
    assert_eq!(
        r.body["Message"], "Specified action is not valid.",
        "the ECS message, which does not name the action"
    );
    // The line's own checks come first: a waiter on a command that is no read…
    let r = lab.run("snaplab world explode --waiter expr=a to=b");
    assert_eq!(r.body["Code"], "InvalidParameter");
    assert!(
        r.body["Message"].as_str().unwrap().contains("--waiter polls"),
        "{}",
        r.body
    );
    // … and a parameter given twice.
    let r = lab.run("snaplab world explode --A 1 --A 2");
    assert_eq!(r.body["Code"], "InvalidParameter");
}

/// The exported world without the reply's own `RequestId` and the request counter (every
/// line, a refusal too, draws a RequestId: they are not world state).
fn exported(lab: &mut Lab) -> serde_json::Value {
    let mut body = lab.run("snaplab world export").body;
    if let Some(map) = body.as_object_mut() {
        map.remove("RequestId");
    }
    if let Some(ids) = body.pointer_mut("/World/ids").and_then(|v| v.as_object_mut()) {
        ids.remove("request_counter");
    }
    body
}

// Issue 12 item 2: a refused `--waiter` changes nothing. A waiter that times out is an error
// reply, so the simulated clock its polls moved, and everything that settled meanwhile (here a
// snapshot that completes), go back to where they were before the line; nothing is committed.
#[test]
fn a_refused_waiter_changes_nothing_issue_12() {
    let (mut lab, disk) = Lab::new();
    lab.run(&format!("snaplab guest write --DiskId {disk} --Block 0 --Text A"));
    let created = lab.run(&format!("aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName s1"));
    let id = created.body["SnapshotId"].as_str().expect("SnapshotId").to_string();
    let wait = |to: &str, timeout: u32| {
        format!("aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '[\"{id}\"]' --waiter expr='Snapshots.Snapshot[0].Status' to={to} timeout={timeout} interval=10")
    };
    let now = lab.s.world().now();
    let before = exported(&mut lab);
    let status = |lab: &mut Lab| {
        lab.run(&format!(
            "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '[\"{id}\"]'"
        ))
        .body["Snapshots"]["Snapshot"][0]["Status"]
            .clone()
    };
    assert_eq!(status(&mut lab), "progressing");
    // Timed out: 600 s of polls would complete the snapshot; none of it stays.
    let r = lab.run(&wait("never", 600));
    assert!(r.is_error);
    assert_eq!(r.body["Code"], "SDK.TimeoutError", "{}", r.body);
    assert!(!r.changed);
    assert_eq!(lab.s.world().now(), now, "the clock is back where it was");
    assert_eq!(status(&mut lab), "progressing");
    assert_eq!(exported(&mut lab), before, "the world is as it was");
    // An expression that gives no string is refused the same way.
    let r = lab.run(&wait("x", 60).replace("expr='Snapshots.Snapshot[0].Status'", "expr=TotalCount"));
    assert!(r.is_error, "{}", r.body);
    assert!(!r.changed);
    assert_eq!(lab.s.world().now(), now);
    assert_eq!(exported(&mut lab), before);
    // A satisfied waiter keeps what its polls did.
    let r = lab.run(&wait("accomplished", 600));
    assert!(!r.is_error, "{}", r.body);
    assert!(lab.s.world().now() > now, "the polls moved the clock");
    assert_eq!(status(&mut lab), "accomplished");
}
