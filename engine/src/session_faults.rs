//! The session's fault suite, run against every store that offers [`FaultInjection`]: a
//! command's commit failing at each of its write positions (a write, a fill, a snapshot, a
//! deletion, a rollback, a copy …) leaves the store, the world and the blocks exactly as the
//! last commit left them, and the world goes on normally; a world stored before slots keeps
//! working. It drives a whole [`Session`], so it lives beside the session, not in `store/`
//! (which is below the session and the world).
//!
//! Test support only (feature `testing`, on for the crate's own tests): a build of the engine
//! does not compile it. [`store_suite!`](crate::store_suite) instantiates it, with the store
//! contract of [`crate::store::suite`], for one store.

use crate::session::Session;
use crate::store::pieces::{self, KeyOwner};
use crate::store::suite::dump;
use crate::store::{FaultInjection, Store, Table, WriteBatch};
use crate::world::World;
use serde_json::Value;
use std::collections::BTreeSet;

/// A running instance with a 20 GiB ESSD data disk (the suites' starting point).
pub const RUN_WITH_DATA_DISK: &str = "aliyun ecs RunInstances --RegionId cn-hangzhou \
    --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large \
    --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20";

/// Everything about a world that before/after comparisons look at: its whole state without
/// its RequestId counter (refused lines draw RequestIds too, and commit nothing).
pub fn comparable_world(world: &World) -> Value {
    let mut v = world.to_full_json().expect("the world serializes");
    if let Value::Object(m) = &mut v {
        m.remove("ids");
    }
    v
}

/// No lost and no leaked blocks: the stored blocks are exactly those the world needs.
async fn blocks_match<S: Store>(s: &Session<S>) {
    let stored: BTreeSet<_> = s
        .store()
        .keys(Table::Blocks)
        .await
        .expect("keys")
        .iter()
        .map(|k| KeyOwner::of_key(k).expect("a block piece key"))
        .collect();
    let needed: BTreeSet<_> = s.world().blocks.stored_blocks().iter().map(KeyOwner::of).collect();
    assert_eq!(stored, needed, "stored blocks = blocks the world needs");
}

async fn ok<S: Store>(s: &mut Session<S>, line: &str) -> Value {
    let r = s.exec_line(line).await.expect("a command");
    assert!(!r.is_error, "{line} → {}", r.body);
    r.body
}

/// Runs `line` with its commit failing at write 1, 2, … until the line has fewer writes than
/// that and succeeds. After every failure the store, the world and the blocks are exactly as
/// before. Returns the successful reply and how many write positions failed.
pub async fn interrupt<S: Store + FaultInjection>(s: &mut Session<S>, line: &str) -> (Value, usize) {
    for n in 1.. {
        let store_before = dump(s.store()).await;
        let world_before = comparable_world(s.world());
        s.store().fail_at_write(n);
        let r = s.exec_line(line).await.expect("a command");
        if !r.is_error {
            blocks_match(s).await;
            return (r.body, n - 1);
        }
        assert_eq!(r.body["Code"], "InternalError", "{line}, failing write {n}: {}", r.body);
        assert_eq!(
            dump(s.store()).await,
            store_before,
            "{line}: the store is untouched after failing write {n}"
        );
        assert_eq!(
            comparable_world(s.world()),
            world_before,
            "{line}: the world is untouched after failing write {n}"
        );
        blocks_match(s).await;
    }
    unreachable!("the loop returns once the line succeeds")
}

/// The fault suite: a write, a fill, a snapshot, a deletion (R-DEL-3), a rollback (R-RB-3) and a
/// copy to another region (R-CPY-1) interrupted at every write position leave the last
/// committed state intact with no lost and no leaked blocks; the world then goes on normally.
/// Returns the store.
pub async fn interrupted<S: Store + FaultInjection>(store: S) -> S {
    let mut s = Session::open(store).await.expect("open a session");
    ok(&mut s, "snaplab world reset --Seed 7 --BlockSize 4096").await;
    ok(&mut s, "snaplab service activate").await;
    let run = ok(&mut s, RUN_WITH_DATA_DISK).await;
    let instance = run["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .expect("an instance")
        .to_string();
    ok(&mut s, "snaplab clock run-until-idle").await;
    let d = "d-bp1o28qspnegn49xilg1";
    let mut tried = 0;
    for (lba, text) in ["A", "B", "C", "D"].into_iter().enumerate() {
        tried += interrupt(
            &mut s,
            &format!("snaplab guest write --DiskId {d} --Block {lba} --Text {text}"),
        )
        .await
        .1;
    }
    let (s1, n) = interrupt(
        &mut s,
        &format!("aliyun ecs CreateSnapshot --DiskId {d} --SnapshotName S1"),
    )
    .await;
    tried += n;
    ok(&mut s, "snaplab clock run-until-idle").await;
    // A multi-block raw write (several new block contents in one commit) and a fill.
    let (_, n) = interrupt(
        &mut s,
        &format!(
            "snaplab guest write --DiskId {d} --Offset 4000 --Base64 {}",
            "QUJD".repeat(3000)
        ),
    )
    .await;
    assert!(
        n >= 4,
        "a write of three new blocks and the world is at least four writes, got {n}"
    );
    tried += n;
    tried += interrupt(
        &mut s,
        &format!("snaplab guest fill --DiskId {d} --FromBlock 100 --Blocks 50"),
    )
    .await
    .1;
    let (s2, n) = interrupt(
        &mut s,
        &format!("aliyun ecs CreateSnapshot --DiskId {d} --SnapshotName S2"),
    )
    .await;
    tried += n;
    ok(&mut s, "snaplab clock run-until-idle").await;
    ok(
        &mut s,
        &format!(
            "snaplab guest write --DiskId {d} --Offset 4000 --Base64 {}",
            "WFla".repeat(3000)
        ),
    )
    .await;
    // Deleting S2 frees the blocks the disk overwrote since: a commit that deletes blocks.
    let s2 = s2["SnapshotId"].as_str().expect("an id").to_string();
    let (_, n) = interrupt(&mut s, &format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}")).await;
    assert!(n >= 2, "the deletion frees blocks and writes the world, got {n}");
    tried += n;
    // Rolling back to S1 frees what the disk wrote since (R-RB-3): blocks deleted, the volume
    // record rewritten.
    let s1 = s1["SnapshotId"].as_str().expect("an id").to_string();
    let before = ok(&mut s, &format!("snaplab snapshot checksum --SnapshotId {s1}")).await;
    ok(&mut s, &format!("aliyun ecs StopInstance --InstanceId {instance}")).await;
    ok(&mut s, "snaplab clock run-until-idle").await;
    let (_, n) = interrupt(&mut s, &format!("aliyun ecs ResetDisk --DiskId {d} --SnapshotId {s1}")).await;
    assert!(n >= 2, "the rollback frees blocks and writes the world, got {n}");
    tried += n;
    let now = ok(&mut s, &format!("snaplab guest checksum --DiskId {d}")).await;
    assert_eq!(now["Checksum"], before["Checksum"], "the disk is S1 again");
    // A copy to another region (R-CPY-1): the request, then its completion on the clock.
    let (copy, n) = interrupt(
        &mut s,
        &format!("aliyun ecs CopySnapshot --RegionId cn-hangzhou --SnapshotId {s1} --DestinationRegionId cn-shanghai"),
    )
    .await;
    tried += n;
    tried += interrupt(&mut s, "snaplab clock run-until-idle").await.1;
    let copy = copy["SnapshotId"].as_str().expect("a copy").to_string();
    let copied = ok(&mut s, &format!("snaplab snapshot checksum --SnapshotId {copy}")).await;
    assert_eq!(copied["Checksum"], before["Checksum"], "the copy holds S1's content");
    assert!(tried >= 20, "write positions tried: {tried}");
    // Everything still works and restores: S1 holds A, B, C, D.
    ok(&mut s, &format!("snaplab snapshot checksum --SnapshotId {s1}")).await;
    let links = ok(
        &mut s,
        &format!("aliyun ecs DescribeSnapshotLinks --RegionId cn-hangzhou --DiskIds '[\"{d}\"]'"),
    )
    .await;
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalCount"], 1);
    s.into_store()
}

/// A world stored before slots existed (every block under its content hash, extent records
/// naming no slot, no slot counter in the header) opens and restores byte for byte; blocks it
/// writes from then on get slots, its own blocks keep their hash keys until they are freed —
/// also by a deletion interrupted at every write position — and nothing is lost or leaked,
/// across reopens. Returns the store.
pub async fn worlds_stored_before_slots_keep_working<S: Store + FaultInjection>(store: S) -> S {
    use crate::session::{ENGINE_KEY, WORLD_KEY};
    let mut s = Session::open(store).await.expect("open a session");
    ok(&mut s, "snaplab world reset --Seed 7 --BlockSize 4096").await;
    ok(&mut s, "snaplab service activate").await;
    ok(&mut s, RUN_WITH_DATA_DISK).await;
    ok(&mut s, "snaplab clock run-until-idle").await;
    let d = "d-bp1o28qspnegn49xilg1";
    let mut snaps = Vec::new();
    for texts in [["A", "B", "C", "D"], ["X", "B", "C", "D"]] {
        for (lba, text) in texts.into_iter().enumerate() {
            ok(
                &mut s,
                &format!("snaplab guest write --DiskId {d} --Block {lba} --Text {text}"),
            )
            .await;
        }
        let snap = ok(&mut s, &format!("aliyun ecs CreateSnapshot --DiskId {d}")).await;
        snaps.push(snap["SnapshotId"].as_str().expect("an id").to_string());
        ok(&mut s, "snaplab clock run-until-idle").await;
    }
    let checksum = |id: &str| format!("snaplab snapshot checksum --SnapshotId {id}");
    let mut sums = Vec::new();
    for id in &snaps {
        sums.push(ok(&mut s, &checksum(id)).await["Checksum"].clone());
    }

    // Rewrite the store as the build before slots kept it.
    let (header, records) = s.world().blocks.records_before_slots();
    let mut header = serde_json::to_value(header).expect("header");
    header.as_object_mut().expect("an object").remove("next_slot");
    let block_size = s.world().block_size() as u32;
    let mut batch = WriteBatch::new();
    for table in [Table::Blocks, Table::Maps] {
        for key in s.store().keys(table).await.expect("keys") {
            batch.delete(table, key);
        }
    }
    for at in s.world().blocks.stored_blocks() {
        let keys: Vec<String> = pieces::keys(&at, block_size).collect();
        let values = s.store().get(Table::Blocks, &keys).await.expect("get");
        for (i, value) in values.into_iter().enumerate() {
            if let Some(value) = value {
                batch.put(Table::Blocks, pieces::hash_piece_key(&at.hash, i), value);
            }
        }
    }
    for (key, value) in records {
        batch.put(Table::Maps, key, value);
    }
    let world = s
        .store()
        .get(Table::Meta, &[WORLD_KEY.to_string()])
        .await
        .expect("world");
    batch.put(Table::Meta, WORLD_KEY, world[0].clone().expect("a world"));
    batch.put(Table::Meta, ENGINE_KEY, serde_json::to_vec(&header).expect("json"));
    s.store().commit(batch).await.expect("commit");

    let mut s = Session::open(s.into_store())
        .await
        .expect("a world stored before slots opens");
    let stored = s.store().keys(Table::Blocks).await.expect("keys");
    assert!(!stored.is_empty());
    assert!(stored
        .iter()
        .all(|k| matches!(KeyOwner::of_key(k), Some(KeyOwner::Hash(_)))));
    blocks_match(&s).await;
    for (id, sum) in snaps.iter().zip(&sums) {
        assert_eq!(&ok(&mut s, &checksum(id)).await["Checksum"], sum, "{id} restores");
    }
    // A new block gets a slot; the old ones keep their hash keys.
    ok(&mut s, &format!("snaplab guest write --DiskId {d} --Block 2 --Text Y")).await;
    let slotted = s
        .world()
        .blocks
        .stored_blocks()
        .iter()
        .filter(|b| b.slot.is_some())
        .count();
    assert_eq!(slotted, 1, "only the new block has a slot");
    blocks_match(&s).await;
    // Deleting the first snapshot frees block A (the disk and the second snapshot hold X),
    // stored under its hash: every interrupted attempt leaves it, the deletion removes it.
    let hash_keys = |keys: &[String]| {
        keys.iter()
            .filter(|k| matches!(KeyOwner::of_key(k), Some(KeyOwner::Hash(_))))
            .count()
    };
    let before = hash_keys(&s.store().keys(Table::Blocks).await.expect("keys"));
    let (_, n) = interrupt(&mut s, &format!("aliyun ecs DeleteSnapshot --SnapshotId {}", snaps[0])).await;
    assert!(n >= 2, "the deletion frees a block and writes the world, got {n}");
    let after = hash_keys(&s.store().keys(Table::Blocks).await.expect("keys"));
    assert_eq!(after, before - 1, "block A's hash key is gone");

    let mut s = Session::open(s.into_store()).await.expect("reopen");
    blocks_match(&s).await;
    assert_eq!(
        &ok(&mut s, &checksum(&snaps[1])).await["Checksum"],
        &sums[1],
        "the second snapshot restores"
    );
    let disk = ok(&mut s, &format!("snaplab guest read --DiskId {d} --Block 2")).await;
    assert_eq!(disk["Text"], "Y", "the new block reads back");
    let disk = ok(&mut s, &format!("snaplab guest read --DiskId {d} --Block 0")).await;
    assert_eq!(disk["Text"], "X", "an old block reads back");
    s.into_store()
}

/// Instantiates the whole storage suite for one store: every contract test of
/// [`crate::store::suite`] and every fault test of this module, one test function each, named
/// after the suite function, with the test attribute of the target (`#[test]` natively,
/// `#[wasm_bindgen_test]` on wasm32, where the calling test crate needs `wasm-bindgen-test`
/// and `wasm_bindgen_test_configure!(run_in_browser)` for a browser). One call per store, so
/// that the stores cannot drift apart.
///
/// - `store_suite!(expr)`: each test takes a fresh store from `expr` (e.g. `MemoryStore::new()`)
///   and drops it;
/// - `store_suite!(open, close)`: each test takes a fresh, empty store from `open(test_name).await`
///   and hands it to `close(store).await` when it is done (e.g. to delete the database).
#[macro_export]
macro_rules! store_suite {
    ($new:expr $(,)?) => {
        $crate::store_suite!(|_: &'static str| async { $new }, |_| async {});
    };
    ($open:expr, $close:expr $(,)?) => {
        $crate::__store_suite_test!(blocks_round_trip, $open, $close, |s| async move {
            $crate::store::suite::blocks_round_trip(&s).await;
            s
        });
        $crate::__store_suite_test!(batch_applies_in_order, $open, $close, |s| async move {
            $crate::store::suite::batch_applies_in_order(&s).await;
            s
        });
        $crate::__store_suite_test!(keys_sorted_and_deletes, $open, $close, |s| async move {
            $crate::store::suite::keys_sorted_and_deletes(&s).await;
            s
        });
        $crate::__store_suite_test!(started_reads_see_their_start, $open, $close, |s| async move {
            $crate::store::suite::started_reads_see_their_start(&s).await;
            s
        });
        $crate::__store_suite_test!(
            /// Interrupted operations leave no trace (fault injection at every write position).
            interrupted_operations_leave_no_trace,
            $open,
            $close,
            |s| $crate::session_faults::interrupted(s)
        );
        $crate::__store_suite_test!(
            /// A world stored before slots (blocks under their hashes) keeps working.
            worlds_stored_before_slots_keep_working,
            $open,
            $close,
            |s| $crate::session_faults::worlds_stored_before_slots_keep_working(s)
        );
    };
}

/// One test of [`store_suite!`]: `body` takes the store and returns a future giving it back.
#[doc(hidden)]
#[macro_export]
macro_rules! __store_suite_test {
    ($(#[$doc:meta])* $name:ident, $open:expr, $close:expr, |$s:ident| $body:expr) => {
        $(#[$doc])*
        #[cfg(not(target_arch = "wasm32"))]
        #[test]
        fn $name() {
            $crate::session::block_on(async {
                let $s = ($open)(stringify!($name)).await;
                let $s = ($body).await;
                ($close)($s).await;
            });
        }

        $(#[$doc])*
        #[cfg(target_arch = "wasm32")]
        #[::wasm_bindgen_test::wasm_bindgen_test]
        async fn $name() {
            let $s = ($open)(stringify!($name)).await;
            let $s = ($body).await;
            ($close)($s).await;
        }
    };
}
