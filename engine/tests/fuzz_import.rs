//! Issue 12 item 2: world import fuzzed (proptest).
//!
//! - `import_of_a_mutated_world_never_panics`: arbitrary mutations of a real exported world
//!   (numbers to extremes, strings to non-ASCII, empty or huge, entries dropped and duplicated,
//!   IDs rewired to other IDs of the document) imported through the session. Never a panic:
//!   either refused with the world unchanged (its state and its stored blocks), or accepted, and
//!   then every snapshot's checksum, DescribeSnapshots in every region, a deletion preview of
//!   every snapshot and `world show` run without a panic, and the store reopens to the same world.
//! - `engine_records_decode_without_panic`: `blocks/serial.rs`'s record decoding
//!   ([`BlockEngine::from_records`]) on arbitrary bytes and on mutated real records: never a
//!   panic, an error or an engine that passes its invariant check.
//!
//! The normal run takes a bounded number of cases per target (see `cases`); run longer with
//! `PROPTEST_CASES=20000 cargo test -p snaplab-engine --release --test fuzz_import`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use proptest::prelude::*;
use serde_json::Value;
use snaplab_engine::blocks::{BlockEngine, EngineHeader};
use snaplab_engine::session::{block_on, Session};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::OnceLock;

/// Imports accepted and refused so far (printed: the figures of the run).
static ACCEPTED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// Cases per target: `PROPTEST_CASES` if set, else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A world with every kind of resource: an instance and its disks, written and filled blocks,
/// snapshots (one progressing), a copy in another region, a custom image, tags, a retention.
fn exported() -> &'static Value {
    static FILE: OnceLock<Value> = OnceLock::new();
    FILE.get_or_init(|| {
        let mut w = World::new();
        w.ok("snaplab world reset --Seed 5 --BlockSize 4096");
        w.ok("snaplab service activate");
        let (inst, sys, data) = w.instance();
        w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text A"));
        w.ok(&format!("snaplab guest fill --DiskId {data} --FromBlock 10 --Blocks 50 --Seed 4"));
        let s1 = w.snapshot(&data, "one");
        let sys_snap = w.snapshot(&sys, "sys");
        w.ok("snaplab clock run-until-idle");
        w.ok(&format!(
            "aliyun ecs CreateImage --RegionId cn-hangzhou --SnapshotId {sys_snap} --ImageName base"
        ));
        w.ok(&format!(
            "aliyun ecs CopySnapshot --RegionId cn-hangzhou --SnapshotId {s1} --DestinationRegionId cn-shanghai"
        ));
        w.ok(&format!(
            "aliyun ecs TagResources --RegionId cn-hangzhou --ResourceType instance --ResourceId.1 {inst} --Tag.1.Key k --Tag.1.Value v"
        ));
        w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text B"));
        w.ok(&format!(
            "aliyun ecs CreateSnapshot --DiskId {data} --SnapshotName two --RetentionDays 3"
        ));
        w.ok("snaplab world export")
    })
}

/// Every path (object keys and array indexes) in `v`, containers included.
fn paths(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>, leaves: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    if !v.is_object() && !v.is_array() {
        leaves.push(at.clone());
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(k.clone());
                paths(x, at, out, leaves);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(i.to_string());
                paths(x, at, out, leaves);
                at.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    let mut at = v;
    for p in path {
        at = match at {
            Value::Object(m) => m.get_mut(p)?,
            Value::Array(a) => a.get_mut(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

/// Every string and number in the document (what an ID can be rewired to).
fn atoms(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push(Value::String(k.clone()));
                atoms(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| atoms(x, out)),
        Value::String(s) if s.len() < 100 => out.push(v.clone()),
        Value::Number(_) => out.push(v.clone()),
        _ => {}
    }
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Set the value to one of the extreme numbers.
    Number(usize),
    /// Set the value to one of the hostile strings.
    Text(usize),
    /// Set the value to `null`, `true` or an empty container.
    Other(usize),
    /// Remove the entry from its parent.
    Drop,
    /// Duplicate the entry in its parent (arrays: again at the end; objects: under a new key).
    Duplicate,
    /// Replace the value with another string or number of the document.
    Rewire(usize),
    /// Rename an object key to another string of the document.
    RenameKey(usize),
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "9007199254740992",
    "18446744073709551615",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967295",
    "65537",
    "1e300",
    "0.5",
    "1099511627776",
    "253402300800",
];

fn text(i: usize) -> String {
    match i % 9 {
        0 => String::new(),
        // Odd byte lengths: the last 8 bytes start inside a character.
        1 => "é".repeat(20) + "a",
        2 => "s-ééééééééééééééééééa".into(),
        3 => "x".repeat(100_000),
        4 => "mars-1".into(),
        5 => "floppy".into(),
        6 => "\u{202e}<img src=x onerror=alert(1)>\0".into(),
        7 => "d-bp1aaaaaaaaaaaaaaaaa".into(),
        _ => "🦀".repeat(7),
    }
}

fn mutation() -> impl Strategy<Value = (usize, Mutation)> {
    let m = prop_oneof![
        (0..NUMBERS.len()).prop_map(Mutation::Number),
        (0..9usize).prop_map(Mutation::Text),
        (0..4usize).prop_map(Mutation::Other),
        Just(Mutation::Drop),
        Just(Mutation::Duplicate),
        any::<usize>().prop_map(Mutation::Rewire),
        any::<usize>().prop_map(Mutation::RenameKey),
    ];
    (any::<usize>(), m)
}

fn apply(doc: &mut Value, (at, m): &(usize, Mutation), atoms: &[Value]) {
    let (mut all, mut leaves) = (Vec::new(), Vec::new());
    paths(doc, &mut Vec::new(), &mut all, &mut leaves);
    // Mostly the world's own state (the block bytes are checked by hash: one mutation there
    // in ten is enough).
    let world: Vec<&Vec<String>> = all.iter().filter(|p| p.first().is_some_and(|f| f == "World")).collect();
    // And mostly the values of resources (leaves), where the hostile worlds of the issue were.
    let leaves: Vec<&Vec<String>> = leaves
        .iter()
        .filter(|p| p.first().is_some_and(|f| f == "World"))
        .collect();
    let path = if at % 10 == 0 || world.is_empty() {
        all[at % all.len()].clone()
    } else if at % 10 < 7 && !leaves.is_empty() {
        leaves[(at / 10) % leaves.len()].clone()
    } else {
        world[(at / 10) % world.len()].clone()
    };
    let new = match m {
        Mutation::Number(i) => Some(serde_json::from_str(NUMBERS[*i]).unwrap_or(Value::Null)),
        Mutation::Text(i) => Some(Value::String(text(*i))),
        Mutation::Other(i) => Some(match i {
            0 => Value::Null,
            1 => Value::Bool(true),
            2 => Value::Array(vec![]),
            _ => Value::Object(Default::default()),
        }),
        Mutation::Rewire(i) => Some(atoms[i % atoms.len()].clone()),
        _ => None,
    };
    if let Some(new) = new {
        if let Some(v) = get_mut(doc, &path) {
            *v = new;
        }
        return;
    }
    let Some((last, parent_path)) = path.split_last() else {
        return;
    };
    let Some(parent) = get_mut(doc, parent_path) else {
        return;
    };
    match (m, parent) {
        (Mutation::Drop, Value::Object(p)) => {
            p.remove(last);
        }
        (Mutation::Drop, Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        (Mutation::Duplicate, Value::Object(p)) => {
            if let Some(v) = p.get(last).cloned() {
                p.insert(format!("{last}x"), v);
            }
        }
        (Mutation::Duplicate, Value::Array(a)) => {
            if let Some(v) = last.parse::<usize>().ok().and_then(|i| a.get(i).cloned()) {
                a.push(v);
            }
        }
        (Mutation::RenameKey(i), Value::Object(p)) => {
            if let (Some(v), Some(Value::String(k))) = (p.remove(last), atoms.get(i % atoms.len())) {
                p.insert(k.clone(), v);
            }
        }
        _ => {}
    }
}

/// Runs what a user would after an import: nothing may panic (errors are fine).
fn exercise(w: &mut World) {
    let world = w.s.world();
    let snaps: Vec<String> = world.snapshots.keys().cloned().collect();
    let regions: Vec<String> = world.snapshots.values().map(|s| s.region.clone()).collect();
    for s in &snaps {
        w.reply(&format!(
            "snaplab snapshot checksum --SnapshotId '{}'",
            s.replace('\'', "")
        ));
        w.reply(&format!(
            "snaplab snapshot delete-preview --SnapshotId '{}'",
            s.replace('\'', "")
        ));
    }
    for r in regions.iter().chain(["cn-hangzhou".to_string()].iter()) {
        w.reply(&format!(
            "aliyun ecs DescribeSnapshots --RegionId '{}'",
            r.replace('\'', "")
        ));
        w.reply(&format!(
            "aliyun ecs DescribeImages --RegionId '{}' --ImageOwnerAlias self",
            r.replace('\'', "")
        ));
        w.reply(&format!(
            "aliyun ecs DescribeDisks --RegionId '{}'",
            r.replace('\'', "")
        ));
    }
    let disks: Vec<String> = w.s.world().disks.keys().cloned().collect();
    for d in &disks {
        let d = d.replace('\'', "");
        w.reply(&format!("snaplab guest write --DiskId '{d}' --Block 1 --Text fuzz"));
        w.reply(&format!("aliyun ecs CreateSnapshot --DiskId '{d}'"));
    }
    w.reply("snaplab world show");
    w.reply("snaplab clock advance --Seconds 100000");
    w.reply("snaplab world export");
}

fn fresh_world() -> World {
    let mut w = World::new();
    let file = exported().to_string();
    block_on(w.s.import(&file)).expect("the real export imports");
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), failure_persistence: None, ..ProptestConfig::default() })]

    // issue 12: a hostile world is refused whole, or accepted and usable; never a panic.
    #[test]
    fn issue_12_import_of_a_mutated_world_never_panics(muts in proptest::collection::vec(mutation(), 1..4)) {
        let mut doc = exported().clone();
        let mut pool = Vec::new();
        atoms(&doc["World"], &mut pool);
        for m in &muts {
            apply(&mut doc, m, &pool);
        }
        let mut w = fresh_world();
        let before = w.state();
        let stored = w.stored_blocks();
        match block_on(w.s.import(&doc.to_string())) {
            Err(e) => {
                REFUSED.fetch_add(1, Relaxed);
                prop_assert_eq!(e.code(), "InvalidParameter");
                prop_assert!(w.state() == before, "a refused import changed the world");
                prop_assert!(w.stored_blocks() == stored, "a refused import changed the stored blocks");
            }
            Ok(_) => {
                ACCEPTED.fetch_add(1, Relaxed);
                // The accepted world is stored whole: a reopened store is the same world.
                let again = block_on(Session::open(w.s.store().clone()));
                prop_assert!(again.is_ok(), "an accepted world does not reopen: {:?}", again.err());
                exercise(&mut w);
            }
        }
        eprintln!("fuzz import: {} accepted, {} refused so far", ACCEPTED.load(Relaxed), REFUSED.load(Relaxed));
    }
}

/// The real records of the exported world's block engine (as a session stores them).
/// An engine header (JSON) and its records.
type Records = (Value, Vec<(String, Vec<u8>)>);

fn real_records() -> &'static Records {
    static RECORDS: OnceLock<Records> = OnceLock::new();
    RECORDS.get_or_init(|| {
        let mut world = snaplab_engine::world::World::from_full_json(exported()["World"].clone()).expect("world");
        world.blocks.assign_slots();
        let header = serde_json::to_value(world.blocks.header()).expect("header");
        let records = world
            .blocks
            .take_changes()
            .records
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        (header, records)
    })
}

fn decode(header: &Value, records: Vec<(String, Vec<u8>)>) {
    let Ok(header) = serde_json::from_value::<EngineHeader>(header.clone()) else {
        return;
    };
    if let Ok(engine) = BlockEngine::from_records(header, records) {
        assert_eq!(engine.check_invariants(), Ok(()), "an accepted engine is consistent");
    }
}

#[derive(Clone, Debug)]
enum RecordMutation {
    Flip(usize, u8),
    Truncate(usize),
    Extend(Vec<u8>),
    Rekey(usize, String),
    Drop(usize),
    Duplicate(usize),
    Header(usize, usize),
}

fn record_mutation() -> impl Strategy<Value = RecordMutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| RecordMutation::Flip(i, b)),
        any::<usize>().prop_map(RecordMutation::Truncate),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(RecordMutation::Extend),
        (any::<usize>(), "[esvx]?[0-9a-fé]{0,17}").prop_map(|(i, k)| RecordMutation::Rekey(i, k)),
        any::<usize>().prop_map(RecordMutation::Drop),
        any::<usize>().prop_map(RecordMutation::Duplicate),
        (any::<usize>(), 0..NUMBERS.len()).prop_map(|(i, n)| RecordMutation::Header(i, n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), failure_persistence: None, ..ProptestConfig::default() })]

    // issue 12: stored records decode to an error or a consistent engine; never a panic.
    #[test]
    fn issue_12_engine_records_on_arbitrary_bytes_never_panic(
        records in proptest::collection::vec(("[esv][0-9a-f]{16}", proptest::collection::vec(any::<u8>(), 0..120)), 0..6),
        next_id in any::<u64>(),
    ) {
        let header = serde_json::json!({"format": 1, "block_size": 4096, "next_id": next_id, "next_slot": 3});
        decode(&header, records);
    }

    // issue 12: mutated real records: never a panic.
    #[test]
    fn issue_12_mutated_engine_records_never_panic(muts in proptest::collection::vec(record_mutation(), 1..4)) {
        let (header, records) = real_records();
        let mut header = header.clone();
        let mut records = records.clone();
        for m in muts {
            let n = records.len().max(1);
            match m {
                RecordMutation::Flip(i, b) => {
                    let r = i % n;
                    if let Some((_, bytes)) = records.get_mut(r) {
                        if !bytes.is_empty() {
                            let at = (i / n) % bytes.len();
                            bytes[at] ^= b.max(1);
                        }
                    }
                }
                RecordMutation::Truncate(i) => {
                    if let Some((_, bytes)) = records.get_mut(i % n) {
                        let keep = (i / n) % (bytes.len() + 1);
                        bytes.truncate(keep);
                    }
                }
                RecordMutation::Extend(more) => {
                    if let Some((_, bytes)) = records.get_mut(more.len() % n) {
                        bytes.extend(more);
                    }
                }
                RecordMutation::Rekey(i, k) => {
                    if let Some((key, _)) = records.get_mut(i % n) {
                        *key = k;
                    }
                }
                RecordMutation::Drop(i) => {
                    if !records.is_empty() {
                        records.remove(i % n);
                    }
                }
                RecordMutation::Duplicate(i) => {
                    if let Some(r) = records.get(i % n).cloned() {
                        records.push(r);
                    }
                }
                RecordMutation::Header(i, v) => {
                    let keys = ["format", "block_size", "hash", "next_id", "next_slot"];
                    header[keys[i % keys.len()]] = serde_json::from_str(NUMBERS[v]).unwrap_or(Value::Null);
                }
            }
        }
        decode(&header, records);
    }
}
