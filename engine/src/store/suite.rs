//! The one storage test suite, run against every [`Store`](super::Store): natively against
//! the memory store (`engine/tests/store_memory.rs`) and in headless Chromium against IndexedDB
//! (`engine/tests/store_idb.rs`). Each function takes a fresh, empty store.

use super::{Store, Table, WriteBatch};

/// A deterministic block of `len` bytes, different for every `seed`.
pub fn block(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Blocks written in one batch read back byte for byte; absent keys read as `None`.
pub async fn blocks_round_trip<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    for i in 0..16u64 {
        batch.put(Table::Blocks, format!("b{i:04}"), block(i, 4096));
    }
    store.commit(batch).await.expect("commit");
    let wanted: Vec<String> = (0..16u64)
        .map(|i| format!("b{i:04}"))
        .chain(["absent".into()])
        .collect();
    let got = store.get(Table::Blocks, &wanted).await.expect("get");
    assert_eq!(got.len(), 17);
    for i in 0..16u64 {
        assert_eq!(got[i as usize].as_deref(), Some(&block(i, 4096)[..]), "block {i}");
    }
    assert_eq!(got[16], None);
    assert_eq!(store.keys(Table::Blocks).await.expect("keys").len(), 16);
}

/// Ops of a batch apply in order: a later put or delete of the same key wins; tables are apart.
pub async fn batch_applies_in_order<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    batch
        .put(Table::Meta, "k", b"one".to_vec())
        .put(Table::Meta, "k", b"two".to_vec())
        .put(Table::Maps, "gone", b"x".to_vec())
        .delete(Table::Maps, "gone")
        .put(Table::Maps, "k", b"map".to_vec());
    store.commit(batch).await.expect("commit");
    let k = keys(&["k", "gone"]);
    assert_eq!(
        store.get(Table::Meta, &k).await.unwrap(),
        vec![Some(b"two".to_vec()), None]
    );
    assert_eq!(
        store.get(Table::Maps, &k).await.unwrap(),
        vec![Some(b"map".to_vec()), None]
    );
    assert!(store.get(Table::Blocks, &k).await.unwrap().iter().all(Option::is_none));
}

/// `keys` lists a table in ascending order; deletes remove keys; an empty commit changes nothing.
pub async fn keys_sorted_and_deletes<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    for k in ["c", "a", "b", "d"] {
        batch.put(Table::Maps, k, k.as_bytes().to_vec());
    }
    store.commit(batch).await.unwrap();
    let mut batch = WriteBatch::new();
    batch.delete(Table::Maps, "b").delete(Table::Maps, "never-there");
    store.commit(batch).await.unwrap();
    store.commit(WriteBatch::new()).await.unwrap();
    assert_eq!(store.keys(Table::Maps).await.unwrap(), keys(&["a", "c", "d"]));
}

// ----- interrupted operations (fault injection) -----

use super::FaultInjection;
use crate::session::Session;
use serde_json::Value;
use std::collections::BTreeSet;

/// A running instance with a 20 GiB ESSD data disk (the suites' starting point).
pub const RUN_WITH_DATA_DISK: &str = "aliyun ecs RunInstances --RegionId cn-hangzhou \
    --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large \
    --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20";

/// A started read returns the values as they were when it started, even though a commit that
/// deletes and overwrites them comes before it finishes (the session's read-ahead relies on
/// it). Block piece keys of both kinds (slot numbers and hashes, mixed) and other keys, in
/// groups larger than one read transaction; every key is listed back as it was written.
pub async fn started_reads_see_their_start<S: Store>(store: &S) {
    use crate::store::pieces;
    let hash = crate::blocks::HashAlgo::NEW.hash(b"started");
    let mut names: Vec<String> = (0..600)
        .map(|i| match i % 2 {
            0 => pieces::hash_piece_key(&hash, i / 2),
            _ => pieces::piece_key(
                &crate::blocks::StoredBlock {
                    slot: Some(i as u64),
                    hash,
                },
                i % 7,
            ),
        })
        .collect();
    names.push("plain".to_string());
    let mut batch = WriteBatch::new();
    for (i, k) in names.iter().enumerate() {
        batch.put(Table::Blocks, k.clone(), block(i as u64, 64));
    }
    store.commit(batch).await.unwrap();
    let mut listed = names.clone();
    listed.sort();
    assert_eq!(
        store.keys(Table::Blocks).await.unwrap(),
        listed,
        "keys come back as written"
    );
    let pending = store.start_get(Table::Blocks, &names).unwrap();
    let mut batch = WriteBatch::new();
    batch
        .delete(Table::Blocks, names[0].clone())
        .delete(Table::Blocks, names[1].clone())
        .delete(Table::Blocks, "plain");
    batch.put(Table::Blocks, names[599].clone(), block(9999, 64));
    store.commit(batch).await.unwrap();
    let got = store.finish_get(pending).await.unwrap();
    let expected: Vec<Option<Vec<u8>>> = (0..names.len()).map(|i| Some(block(i as u64, 64))).collect();
    assert!(got == expected, "a started read sees the state it started in");
    let now = store
        .get(Table::Blocks, &[names[0].clone(), names[1].clone(), names[599].clone()])
        .await
        .unwrap();
    assert_eq!(now, vec![None, None, Some(block(9999, 64))]);
    assert!(store.get(Table::Blocks, &[]).await.unwrap().is_empty());
}

/// Every table's every entry, for before/after comparisons.
pub async fn dump<S: Store>(store: &S) -> Vec<(Table, String, Vec<u8>)> {
    let mut out = Vec::new();
    for table in Table::ALL {
        let keys = store.keys(table).await.expect("keys");
        let values = store.get(table, &keys).await.expect("get");
        for (k, v) in keys.into_iter().zip(values) {
            out.push((table, k, v.expect("a listed key has a value")));
        }
    }
    out
}

/// Everything about a world that before/after comparisons look at: its whole state without
/// its RequestId counter (refused lines draw RequestIds too, and commit nothing).
pub fn comparable_world(world: &crate::world::World) -> Value {
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
        .map(|k| super::pieces::KeyOwner::of_key(k).expect("a block piece key"))
        .collect();
    let needed: BTreeSet<_> = s
        .world()
        .blocks
        .stored_blocks()
        .iter()
        .map(super::pieces::KeyOwner::of)
        .collect();
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
    use super::pieces::{self, KeyOwner};
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
