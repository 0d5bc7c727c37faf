//! Issue 12 item 2: a hand-edited world file is validated whole on `snaplab world import`. Each
//! hostile world below was accepted before and then panicked, failed forever or corrupted data;
//! now each is refused with a clear error naming what is wrong, and the world stays as it was
//! (its export before and after the refused import are equal).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use serde_json::Value;

/// A world with an instance, written blocks, two snapshots of its data disk (the second one
/// still progressing) and a custom image of a system-disk snapshot.
fn populated() -> (World, Value) {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 5 --BlockSize 4096");
    w.ok("snaplab service activate");
    let (_, sys, data) = w.instance();
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text A"));
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 10 --Blocks 100 --Seed 4"
    ));
    w.snapshot(&data, "one");
    let sys_snap = w.snapshot(&sys, "sys");
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!(
        "aliyun ecs CreateImage --RegionId cn-hangzhou --SnapshotId {sys_snap} --ImageName base"
    ));
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text B"));
    w.ok(&format!("aliyun ecs CreateSnapshot --DiskId {data} --SnapshotName two"));
    let file = w.ok("snaplab world export");
    (w, file)
}

fn import_line(file: &Value) -> String {
    format!(
        "snaplab world import --Json '{}'",
        file.to_string().replace('\'', "'\\''")
    )
}

/// The first entry of the map `file["World"][key]` (a resource by ID) and its ID.
fn first(file: &Value, key: &str) -> String {
    file["World"][key]
        .as_object()
        .and_then(|m| m.keys().next().cloned())
        .unwrap_or_else(|| panic!("no {key}"))
}

/// A data disk's ID (the disk with snapshots).
fn data_disk(file: &Value) -> String {
    let disks = file["World"]["disks"].as_object().unwrap();
    disks
        .iter()
        .find(|(_, d)| d["disk_type"] == "data")
        .map(|(id, _)| id.clone())
        .unwrap()
}

fn system_disk(file: &Value) -> String {
    let disks = file["World"]["disks"].as_object().unwrap();
    disks
        .iter()
        .find(|(_, d)| d["disk_type"] == "system")
        .map(|(id, _)| id.clone())
        .unwrap()
}

/// Snapshot IDs in creation order.
fn snapshots(file: &Value) -> Vec<String> {
    let mut list: Vec<(i64, String)> = file["World"]["snapshots"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, s)| (s["snap"].as_i64().unwrap(), id.clone()))
        .collect();
    list.sort();
    list.into_iter().map(|(_, id)| id).collect()
}

/// Renames a key of a JSON object, keeping its value.
fn rename(map: &mut Value, from: &str, to: &str) {
    let m = map.as_object_mut().unwrap();
    let v = m.remove(from).unwrap();
    m.insert(to.to_string(), v);
}

/// Imports `bad` and expects a refusal whose message contains every one of `says`, with the
/// world exactly as before.
fn refused_unchanged(w: &mut World, bad: &Value, says: &[&str]) {
    let before = w.ok("snaplab world export");
    let r = w.refused(&import_line(bad), "InvalidParameter", 400);
    let msg = r["Message"].as_str().unwrap_or_default().to_string();
    assert!(msg.contains("not a Snaplab world export"), "{msg}");
    for s in says {
        assert!(msg.contains(s), "message {msg:?} should name {s:?}");
    }
    let after = w.ok("snaplab world export");
    assert!(
        without_request_ids(before) == without_request_ids(after),
        "a refused import changed the world ({msg})"
    );
}

/// An export without the request-ID counter, which every line moves (an export too).
fn without_request_ids(mut file: Value) -> Value {
    if let Some(ids) = file["World"]["ids"].as_object_mut() {
        ids.remove("request_counter");
    }
    file
}

// The world as exported imports (the hostile cases below are its mutations).
#[test]
fn issue_12_the_unmodified_world_imports() {
    let (mut w, file) = populated();
    w.ok(&import_line(&file));
    assert!(without_request_ids(w.ok("snaplab world export")) == without_request_ids(file));
}

// issue 12: `next_id = u64::MAX` in the block engine was accepted and the next snapshot
// overflowed an add in `blocks/mod.rs` (a panic in debug builds, a reused ID in release).
#[test]
fn issue_12_block_engine_id_counter_at_the_end_is_refused() {
    let (mut w, file) = populated();
    let mut bad = file.clone();
    bad["World"]["blocks"]["next_id"] = Value::from(u64::MAX);
    refused_unchanged(&mut w, &bad, &["next_id"]);
    let mut rewound = file.clone();
    rewound["World"]["blocks"]["next_id"] = Value::from(1);
    refused_unchanged(&mut w, &rewound, &["next id"]);
}

// issue 12: extreme times overflowed the progress multiply in `world/model.rs` (snapshots and
// images): times outside what the clock can represent are refused.
#[test]
fn issue_12_times_the_clock_cannot_represent_are_refused() {
    let (mut w, file) = populated();
    let snaps = snapshots(&file);
    let img = first(&file, "images");
    for (what, path) in [
        ("snapshot", vec!["snapshots", snaps[1].as_str(), "done_at"]),
        ("snapshot", vec!["snapshots", snaps[1].as_str(), "creation_time"]),
        ("image", vec!["images", img.as_str(), "done_at"]),
        ("image", vec!["images", img.as_str(), "creation_time"]),
        ("clock", vec!["clock", "now"]),
    ] {
        for extreme in [i64::MAX, i64::MIN] {
            let mut bad = file.clone();
            let mut at = &mut bad["World"];
            for p in &path {
                at = &mut at[*p];
            }
            assert!(at.is_i64(), "{path:?} is {at}");
            *at = Value::from(extreme);
            refused_unchanged(&mut w, &bad, &[what, "time"]);
        }
    }
    // A snapshot finishing before it started.
    let mut bad = file.clone();
    let s = &mut bad["World"]["snapshots"][&snaps[1]];
    s["done_at"] = Value::from(s["creation_time"].as_i64().unwrap() - 10);
    refused_unchanged(&mut w, &bad, &[&snaps[1]]);
}

// issue 12: a non-ASCII snapshot ID was sliced inside a UTF-8 character (`SnapshotSN`).
#[test]
fn issue_12_a_malformed_resource_id_is_refused() {
    let (mut w, file) = populated();
    let snaps = snapshots(&file);
    for id in ["s-ééééééééééééééé", "s-", "", "d-bp1aaaaaaaaaaaaaaaaa"] {
        let mut bad = file.clone();
        rename(&mut bad["World"]["snapshots"], &snaps[0], id);
        bad["World"]["snapshots"][id]["id"] = Value::from(id);
        refused_unchanged(&mut w, &bad, &["snapshot"]);
    }
    // A key that is not its resource's ID.
    let mut bad = file.clone();
    bad["World"]["snapshots"][&snaps[0]]["id"] = Value::from(snaps[1].as_str());
    refused_unchanged(&mut w, &bad, &[&snaps[0]]);
}

// issue 12: references that dangle: a disk on a missing volume or instance, a snapshot of a
// missing block-engine snapshot, an image of a missing snapshot, an instance listing a
// missing disk.
#[test]
fn issue_12_dangling_references_are_refused() {
    let (mut w, file) = populated();
    let data = data_disk(&file);
    let snaps = snapshots(&file);
    let img = first(&file, "images");
    let inst = first(&file, "instances");

    let mut bad = file.clone();
    bad["World"]["disks"][&data]["volume"] = Value::from(999_999);
    refused_unchanged(&mut w, &bad, &[&data, "volume"]);

    let mut bad = file.clone();
    bad["World"]["disks"][&data]["instance_id"] = Value::from("i-bp1nosuchinstance00");
    refused_unchanged(&mut w, &bad, &[&data, "instance"]);

    let mut bad = file.clone();
    bad["World"]["snapshots"][&snaps[0]]["snap"] = Value::from(999_999);
    refused_unchanged(&mut w, &bad, &[&snaps[0]]);

    let mut bad = file.clone();
    bad["World"]["snapshots"][&snaps[0]]["source_disk_id"] = Value::from("");
    refused_unchanged(&mut w, &bad, &[&snaps[0], "disk"]);

    let mut bad = file.clone();
    bad["World"]["images"][&img]["disks"][0]["snapshot_id"] = Value::from("s-bp1nosuchsnapshot00");
    refused_unchanged(&mut w, &bad, &[&img, "snapshot"]);

    let mut bad = file.clone();
    bad["World"]["instances"][&inst]["disks"]
        .as_array_mut()
        .unwrap()
        .push(Value::from("d-bp1nosuchdisk000000"));
    refused_unchanged(&mut w, &bad, &[&inst, "disk"]);

    // A tag list of a resource that does not exist.
    let mut bad = file.clone();
    bad["World"]["resource_tags"]["d-bp1nosuchdisk000000"] = serde_json::json!([{"key": "k", "value": "v"}]);
    refused_unchanged(&mut w, &bad, &["d-bp1nosuchdisk000000"]);
}

// issue 12: what only one may own, shared: two disks on one volume, two snapshots on one
// block-engine snapshot, an instance's disk that names another instance.
#[test]
fn issue_12_colliding_owners_are_refused() {
    let (mut w, file) = populated();
    let data = data_disk(&file);
    let sys = system_disk(&file);
    let snaps = snapshots(&file);

    let mut bad = file.clone();
    bad["World"]["disks"][&data]["volume"] = bad["World"]["disks"][&sys]["volume"].clone();
    refused_unchanged(&mut w, &bad, &["volume"]);

    let mut bad = file.clone();
    bad["World"]["snapshots"][&snaps[1]]["snap"] = bad["World"]["snapshots"][&snaps[0]]["snap"].clone();
    refused_unchanged(&mut w, &bad, &["block-engine snapshot"]);

    let mut bad = file.clone();
    bad["World"]["disks"][&data]["instance_id"] = Value::Null;
    refused_unchanged(&mut w, &bad, &[&data]);
}

// issue 12: a rewound ID counter later reused live IDs and replaced their resources.
#[test]
fn issue_12_a_rewound_id_counter_is_refused() {
    let (mut w, file) = populated();
    for counter in [0u64, 3] {
        let mut bad = file.clone();
        bad["World"]["ids"]["counter"] = Value::from(counter);
        refused_unchanged(&mut w, &bad, &["counter"]);
    }
}

// issue 12: values outside what the actions allow: region "mars-1", an unknown zone,
// category "floppy", sizes of 2^64−1, a block size that is not a power of two.
#[test]
fn issue_12_values_out_of_range_are_refused() {
    let (mut w, file) = populated();
    let data = data_disk(&file);
    let snaps = snapshots(&file);
    let inst = first(&file, "instances");
    let img = first(&file, "images");
    let cases: Vec<(Vec<&str>, Value, &str)> = vec![
        (vec!["disks", &data, "region"], Value::from("mars-1"), "mars-1"),
        (vec!["disks", &data, "zone"], Value::from("mars-1a"), "mars-1a"),
        (vec!["instances", &inst, "region"], Value::from("mars-1"), "mars-1"),
        (vec!["snapshots", &snaps[0], "region"], Value::from("mars-1"), "mars-1"),
        (vec!["images", &img, "region"], Value::from("mars-1"), "mars-1"),
        (vec!["disks", &data, "category"], Value::from("floppy"), "floppy"),
        (vec!["disks", &data, "size_gib"], Value::from(u64::MAX), "size"),
        (vec!["disks", &data, "disk_type"], Value::from("tape"), "tape"),
        (
            vec!["snapshots", &snaps[0], "source_disk_size_gib"],
            Value::from(u64::MAX),
            "size",
        ),
        (
            vec!["images", &img, "disks", "0", "size_gib"],
            Value::from(u64::MAX),
            "size",
        ),
        (
            vec!["snapshots", &snaps[0], "retention_days"],
            Value::from(u32::MAX),
            "retention",
        ),
        (vec!["blocks", "block_size"], Value::from(4097), "block size"),
        (vec!["blocks", "block_size"], Value::from(0), "block size"),
    ];
    for (path, value, says) in cases {
        let mut bad = file.clone();
        let mut at = &mut bad["World"];
        for p in &path {
            at = match p.parse::<usize>() {
                Ok(i) => &mut at[i],
                Err(_) => &mut at[*p],
            };
        }
        // Every field exists in the world (retention days are null until set).
        assert!(
            !at.is_null() || path.last() == Some(&"retention_days"),
            "{path:?} exists"
        );
        *at = value;
        refused_unchanged(&mut w, &bad, &[says]);
    }
}

// issue 12: the block engine's own records are checked (its invariant check): a volume
// whose size differs from its disk's, a snapshot listed in another disk's chain.
#[test]
fn issue_12_world_and_block_engine_disagreeing_are_refused() {
    let (mut w, file) = populated();
    let data = data_disk(&file);
    let mut bad = file.clone();
    let size = bad["World"]["disks"][&data]["size_gib"].as_u64().unwrap();
    bad["World"]["disks"][&data]["size_gib"] = Value::from(size + 1);
    refused_unchanged(&mut w, &bad, &[&data, "size"]);
}

// issue 12: a stored world that fails the same validation is refused on open with a clear
// storage error, never run (nor a panic).
#[test]
fn issue_12_a_hostile_stored_world_is_refused_on_open() {
    use snaplab_engine::session::{block_on, Session, WORLD_KEY};
    use snaplab_engine::store::{Store, Table, WriteBatch};
    let (w, file) = populated();
    let store = w.s.store().clone();
    let key = [WORLD_KEY.to_string()];
    let saved = block_on(store.get(Table::Meta, &key)).unwrap()[0].clone().unwrap();
    let good: Value = serde_json::from_slice(&saved).unwrap();
    let data = data_disk(&file);
    for (field, value, says) in [
        ("region", Value::from("mars-1"), "mars-1"),
        ("size_gib", Value::from(u64::MAX), "size"),
        ("volume", Value::from(999), "volume"),
    ] {
        let mut bad = good.clone();
        bad["disks"][&data][field] = value;
        let mut batch = WriteBatch::new();
        batch.put(Table::Meta, WORLD_KEY, serde_json::to_vec(&bad).unwrap());
        block_on(store.commit(batch)).unwrap();
        let e = block_on(Session::open(store.clone())).err().expect("refused");
        let msg = e.to_json("r")["Message"].as_str().unwrap_or_default().to_string();
        assert!(
            msg.contains("the saved world is unreadable") && msg.contains(says),
            "{msg}"
        );
    }
    let mut batch = WriteBatch::new();
    batch.put(Table::Meta, WORLD_KEY, saved);
    block_on(store.commit(batch)).unwrap();
    assert!(block_on(Session::open(store)).is_ok(), "the good world opens again");
}
