//! `snaplab world export` / `import`: the whole world as a JSON file, validated on the way in
//! (a malformed or hostile file is refused and changes nothing).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use serde_json::Value;

/// A world with an instance, written blocks (text, raw, a fill) and two snapshots.
fn populated() -> (World, String, Vec<String>) {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 5 --BlockSize 4096");
    w.ok("snaplab service activate");
    let (_, _, data) = w.instance();
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text A"));
    w.ok(&format!(
        "snaplab guest write --DiskId {data} --Offset 5000 --Base64 c25hcGxhYg=="
    ));
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 10 --Blocks 1000 --Seed 4"
    ));
    let s1 = w.snapshot(&data, "one");
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text B"));
    let s2 = w.snapshot(&data, "two");
    w.ok("snaplab clock advance --Seconds 7");
    (w, data, vec![s1, s2])
}

fn checksums(w: &mut World, disk: &str, snaps: &[String]) -> Vec<Value> {
    let mut out = vec![w.ok(&format!("snaplab guest checksum --DiskId {disk}"))["Checksum"].clone()];
    for s in snaps {
        out.push(w.ok(&format!("snaplab snapshot checksum --SnapshotId {s}"))["Checksum"].clone());
    }
    out
}

fn import_line(file: &Value) -> String {
    format!(
        "snaplab world import --Json '{}'",
        file.to_string().replace('\'', "'\\''")
    )
}

// SPEC §18 world export/import: a round trip restores every disk and snapshot byte for byte,
// the clock and the resources.
#[test]
fn export_then_import_restores_the_world() {
    let (mut w, data, snaps) = populated();
    let shown = w.ok("snaplab world show");
    let sums = checksums(&mut w, &data, &snaps);
    let file = w.ok("snaplab world export");
    assert_eq!(file["Format"], "snaplab-world");
    // Text, raw and the partial block: three stored contents (the fill costs none).
    assert_eq!(file["Blocks"].as_object().unwrap().len(), 3);

    w.ok("snaplab world reset");
    assert_eq!(w.ok("snaplab world show")["Snapshots"], 0);
    let imported = w.ok(&import_line(&file));
    for key in [
        "Now",
        "Seed",
        "BlockSize",
        "Instances",
        "Disks",
        "Snapshots",
        "StoredBytes",
    ] {
        assert_eq!(imported[key], shown[key], "{key}");
    }
    assert_eq!(checksums(&mut w, &data, &snaps), sums);
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {data} --Block 0"))["Text"],
        "B"
    );
    // And the imported world keeps working.
    w.ok("snaplab clock run-until-idle");
    w.snapshot(&data, "three");
}

// An import over a world with blocks of its own (stored under slots the imported world may
// give again): every old block goes, every imported block is stored, nothing is lost or leaked,
// and a reopened store restores the imported world byte for byte.
#[test]
fn import_over_a_populated_store_replaces_every_block() {
    let (mut w, data, snaps) = populated();
    let sums = checksums(&mut w, &data, &snaps);
    let file = w.ok("snaplab world export");
    // The world goes on writing: new blocks, a new snapshot, then the import.
    for (lba, text) in ["P", "Q", "R"].into_iter().enumerate() {
        w.ok(&format!(
            "snaplab guest write --DiskId {data} --Block {} --Text {text}",
            lba + 20
        ));
    }
    w.snapshot(&data, "later");
    w.ok(&import_line(&file));
    w.check_persisted();
    assert_eq!(checksums(&mut w, &data, &snaps), sums);
    let mut again = World {
        s: snaplab_engine::session::block_on(snaplab_engine::session::Session::open(w.s.store().clone()))
            .expect("reopen"),
    };
    assert_eq!(checksums(&mut again, &data, &snaps), sums, "the stored world restores");
}

// A malformed or hostile file is refused with a clear error and changes nothing.
#[test]
fn hostile_files_are_refused() {
    let (mut w, _, _) = populated();
    let file = w.ok("snaplab world export");
    let first_key = file["Blocks"].as_object().unwrap().keys().next().unwrap().clone();

    let mut tampered = file.clone();
    tampered["Blocks"][&first_key] = Value::String("AAAA".into());
    let mut missing = file.clone();
    missing["Blocks"].as_object_mut().unwrap().remove(&first_key);
    let mut extra = file.clone();
    extra["Blocks"]["00"] = Value::String("AAAA".into());
    let mut wrong_format = file.clone();
    wrong_format["Format"] = Value::String("something-else".into());
    let mut future = file.clone();
    future["Version"] = Value::from(99);
    let mut broken_world = file.clone();
    broken_world["World"]["blocks"] = Value::String("nonsense".into());
    let mut not_base64 = file.clone();
    not_base64["Blocks"][&first_key] = Value::String("*not base64*".into());

    for bad in [tampered, missing, extra, wrong_format, future, broken_world, not_base64] {
        let r = w.refused(&import_line(&bad), "InvalidParameter", 400);
        assert!(
            r["Message"].as_str().unwrap().contains("not a Snaplab world export"),
            "{}",
            r["Message"]
        );
    }
    w.refused("snaplab world import --Json '{not json'", "InvalidParameter", 400);
    w.refused("snaplab world import --Json '[]'", "InvalidParameter", 400);
    w.refused("snaplab world import", "MissingParameter", 400);
}

/// A world storing more block bytes than one export document holds is refused with a clear
/// error, not exported (the document is built in memory); one at the limit is exported.
#[test]
fn a_world_too_large_to_export_is_refused() {
    use snaplab_engine::session::{block_on, EXPORT_MAX_BYTES};
    use snaplab_engine::store::suite::block;
    let mut w = World::activated(4194304);
    let (_, _, disk) = w.instance();
    let limit = EXPORT_MAX_BYTES as usize;
    block_on(w.s.write_disk(&disk, 0, &block(9, limit))).expect("written");
    let exported = w.ok("snaplab world export");
    assert_eq!(exported["Blocks"].as_object().map(|b| b.len()), Some(limit >> 22));
    block_on(w.s.write_disk(&disk, limit as u64, &block(10, 4 << 20))).expect("one block more");
    let refused = w.refused("snaplab world export", "OperationDenied", 403);
    assert!(
        refused["Message"].as_str().unwrap_or("").contains("64 MiB"),
        "{refused}"
    );
}
