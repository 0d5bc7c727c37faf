//! The typed replies of `snaplab …` commands (`snaplab_engine::replies`): every real reply
//! decodes into its struct, and the struct serializes back to exactly that reply (minus the
//! `RequestId` the session adds) — no field lost, renamed, or turned from absent into `null` —
//! and decodes again to an equal value.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use serde_json::{json, Value};
use snaplab_engine::replies::*;
use std::fmt::Debug;

/// Decodes `reply` as `T` and checks it round-trips: struct → JSON is the reply (without its
/// `RequestId`), JSON → struct is equal.
fn round_trip<T: Reply + PartialEq + Debug>(line: &str, reply: &Value) -> T {
    let typed = T::from_json(reply).unwrap_or_else(|e| panic!("{line}: {e}\n→ {}", common::short(reply)));
    let mut wire = reply.clone();
    wire.as_object_mut().expect("an object").remove("RequestId");
    let json = typed.to_json();
    assert_eq!(json, wire, "{line}: the typed reply serializes to the reply");
    assert_eq!(T::from_json(&json).expect("decodes again"), typed, "{line}");
    typed
}

/// Round-trips the reply of a `snaplab …` line through its struct; which struct, from the line.
/// Returns whether the line was one with a typed reply.
fn check(line: &str, reply: &Value) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let has = |p: &str| words.contains(&p);
    if words.first() != Some(&"snaplab") || has("--output") {
        return false;
    }
    match words[1..3.min(words.len())] {
        ["service", "activate"] => drop(round_trip::<ServiceActivated>(line, reply)),
        ["guest", "write"] => drop(round_trip::<GuestWritten>(line, reply)),
        ["guest", "fill"] => drop(round_trip::<GuestFilled>(line, reply)),
        ["guest", "read"] => {
            let r: GuestRead = round_trip(line, reply);
            assert!(r.text.is_some() != r.base64.is_some(), "{line}: Text or Base64");
        }
        ["guest", "checksum"] | ["snapshot", "checksum"] => drop(round_trip::<Checksum>(line, reply)),
        ["snapshot", "delete-preview"] if has("--SnapshotIds") => drop(round_trip::<MultiDeletePreview>(line, reply)),
        ["snapshot", "delete-preview"] => drop(round_trip::<DeletePreview>(line, reply)),
        ["disk", "reset-preview"] => drop(round_trip::<ResetPreview>(line, reply)),
        ["snapshot", "copy-info"] => drop(round_trip::<CopyInfo>(line, reply)),
        ["billing", "estimate"] if has("--SnapshotId") => drop(round_trip::<SnapshotEstimate>(line, reply)),
        ["billing", "estimate"] if has("--DiskId") => drop(round_trip::<DiskEstimate>(line, reply)),
        ["billing", "estimate"] => drop(round_trip::<Estimate>(line, reply)),
        ["chain", "blocks"] => drop(round_trip::<ChainBlocks>(line, reply)),
        ["clock", _] => drop(round_trip::<ClockShow>(line, reply)),
        ["world", "show" | "reset" | "import"] => drop(round_trip::<WorldShow>(line, reply)),
        ["world", "export"] => drop(round_trip::<WorldExport>(line, reply)),
        _ => panic!("{line}: a snaplab command without a typed reply"),
    }
    true
}

/// Runs `line` (which must succeed) and round-trips its reply.
fn typed(w: &mut World, line: &str) -> Value {
    let reply = w.ok(line);
    check(line, &reply);
    reply
}

fn id(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")).to_string()
}

// R-INC-3, R-DEL-3, R-DEL-4, R-BIL-1, R-CPY-2, R-RB-2, R-RB-5: a world with two chains (one with
// instant access), deletions previewed one and several at a time and then done, a copy, a
// rollback preview with every warning, a released disk's chain and an export and import.
#[test]
fn every_snaplab_reply_round_trips_through_its_struct() {
    let mut w = World::new();
    let t = |w: &mut World, line: &str| typed(w, line);
    t(&mut w, "snaplab world show");
    let clock: ClockShow = round_trip("snaplab clock show", &w.ok("snaplab clock show"));
    assert_eq!(clock.next_event, None, "nothing scheduled: NextEvent is null");
    t(&mut w, "snaplab world reset --Seed 7 --BlockSize 4096");
    t(&mut w, "snaplab service activate");
    let run = w.ok(&format!(
        "{} --DataDisk.2.Category cloud_essd --DataDisk.2.Size 20",
        common::RUN
    ));
    let inst = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    t(&mut w, "snaplab clock show");
    t(&mut w, "snaplab clock next");
    t(&mut w, "snaplab clock run-until-idle");
    let disks = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {inst} --DiskType data"
    ));
    let list = disks["Disks"]["Disk"].as_array().unwrap();
    let (d1, d2) = (id(&list[0], "DiskId"), id(&list[1], "DiskId"));

    for (b, text) in [(0, "A"), (1, "B"), (2, "C")] {
        t(
            &mut w,
            &format!("snaplab guest write --DiskId {d1} --Block {b} --Text {text}"),
        );
    }
    t(
        &mut w,
        &format!("snaplab guest fill --DiskId {d1} --FromBlock 10 --Blocks 40 --Seed 3"),
    );
    t(
        &mut w,
        &format!("snaplab guest write --DiskId {d1} --Offset 20480 --Base64 AAECAwQF"),
    );
    let read = t(&mut w, &format!("snaplab guest read --DiskId {d1} --Block 5"));
    assert!(read.get("Base64").is_some() && read.get("Text").is_none());
    let read = t(&mut w, &format!("snaplab guest read --DiskId {d1} --Block 0"));
    assert_eq!(read["Text"], "A");
    t(&mut w, &format!("snaplab guest read --DiskId {d1} --Block 7"));
    t(&mut w, &format!("snaplab guest checksum --DiskId {d1}"));
    t(&mut w, &format!("snaplab guest write --DiskId {d2} --Block 0 --Text X"));
    t(
        &mut w,
        &format!("snaplab guest fill --DiskId {d2} --FromBlock 1 --Blocks 2000 --Seed 1"),
    );

    let s1 = w.snapshot(&d1, "S1");
    let t1 = id(
        &w.ok(&format!(
            "aliyun ecs CreateSnapshot --DiskId {d2} --SnapshotName T1 --InstantAccess true"
        )),
        "SnapshotId",
    );
    t(&mut w, "snaplab clock run-until-idle");
    t(
        &mut w,
        &format!("snaplab guest write --DiskId {d1} --Block 1 --Text B1"),
    );
    t(&mut w, &format!("snaplab guest write --DiskId {d2} --Block 1 --Text Y"));
    let s2 = w.snapshot(&d1, "S2");
    let t2 = w.snapshot(&d2, "T2");
    t(&mut w, "snaplab clock run-until-idle");
    t(
        &mut w,
        &format!("snaplab guest write --DiskId {d1} --Block 2 --Text C2"),
    );
    let s3 = w.snapshot(&d1, "S3");
    t(&mut w, "snaplab clock advance --Seconds 5");
    t(&mut w, "snaplab clock advance --To 2026-01-02T00:00:00Z");
    t(&mut w, &format!("snaplab snapshot checksum --SnapshotId {s2}"));

    let chain = t(&mut w, &format!("snaplab chain blocks --DiskId {d1}"));
    let chain = ChainBlocks::from_json(&chain).unwrap();
    assert_eq!(chain.snapshots.len(), 3);
    assert!(chain.disk.is_some(), "the live disk is the last row");
    assert_eq!(chain.snapshots[0].owned[0].label.as_deref(), Some("A"));
    t(&mut w, &format!("snaplab chain blocks --DiskId {d2}"));

    // R-DEL-3: one snapshot, a newest one (no successor), an instant-access one; several at once
    // in one chain and across two.
    let p: DeletePreview = round_trip(
        "delete-preview S2",
        &w.ok(&format!("snaplab snapshot delete-preview --SnapshotId {s2}")),
    );
    assert_eq!(p.successor_id.as_deref(), Some(s3.as_str()));
    let p = t(&mut w, &format!("snaplab snapshot delete-preview --SnapshotId {s3}"));
    assert_eq!(
        p["SuccessorId"],
        Value::Null,
        "the newest snapshot: SuccessorId is null"
    );
    let p = t(&mut w, &format!("snaplab snapshot delete-preview --SnapshotId {t1}"));
    assert!(p["InstantAccessMonthlySavingUsd"].as_f64().unwrap() > 0.0);
    t(
        &mut w,
        &format!("snaplab snapshot delete-preview --SnapshotIds '[\"{s1}\",\"{s2}\"]'"),
    );
    let many = t(
        &mut w,
        &format!("snaplab snapshot delete-preview --SnapshotIds '[\"{s2}\",\"{t1}\",\"{s1}\"]'"),
    );
    assert_eq!(MultiDeletePreview::from_json(&many).unwrap().chains.len(), 2);
    t(
        &mut w,
        &format!("snaplab snapshot delete-preview --SnapshotIds '[\"{t2}\"]'"),
    );

    // R-BIL-1: every shape of the estimate, with and without instant access.
    t(&mut w, "snaplab billing estimate");
    t(&mut w, "snaplab billing estimate --RegionId cn-hangzhou");
    t(&mut w, "snaplab billing estimate --RegionId cn-beijing");
    t(&mut w, &format!("snaplab billing estimate --SnapshotId {t1}"));
    t(&mut w, &format!("snaplab billing estimate --SnapshotId {s1}"));
    t(&mut w, &format!("snaplab billing estimate --DiskId {d1}"));

    // R-DEL-4: the deletion done; the chain after it.
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}"));
    t(&mut w, &format!("snaplab chain blocks --DiskId {d1}"));
    t(
        &mut w,
        &format!("snaplab snapshot delete-preview --SnapshotIds '[\"{s1}\",\"{s3}\"]'"),
    );

    // R-CPY-2: a copy while it runs and once done.
    let copy = id(
        &w.ok(&format!(
            "aliyun ecs CopySnapshot --RegionId cn-hangzhou --SnapshotId {s1} --DestinationRegionId cn-shanghai --DestinationSnapshotName S1-dr"
        )),
        "SnapshotId",
    );
    let info = t(&mut w, &format!("snaplab snapshot copy-info --SnapshotId {copy}"));
    assert_eq!(info["Status"], "progressing");
    t(&mut w, "snaplab clock run-until-idle");
    t(&mut w, &format!("snaplab snapshot copy-info --SnapshotId {copy}"));
    t(
        &mut w,
        &format!("snaplab billing estimate --DiskId {d1} --RegionId cn-shanghai"),
    );

    // R-RB-2, R-RB-5: a rollback preview with the size kept and the StopCharging warning.
    w.ok(&format!(
        "aliyun ecs StopInstance --InstanceId {inst} --StoppedMode StopCharging"
    ));
    t(&mut w, "snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs ResizeDisk --DiskId {d1} --NewSize 40"));
    t(&mut w, "snaplab clock run-until-idle");
    let r = t(
        &mut w,
        &format!("snaplab disk reset-preview --DiskId {d1} --SnapshotId {s1}"),
    );
    let r = ResetPreview::from_json(&r).unwrap();
    assert!(r.size_kept);
    assert_eq!(
        r.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
        ["Rollback.Irreversible", "Rollback.SizeKept", "Rollback.StopCharging"]
    );
    t(
        &mut w,
        &format!("snaplab disk reset-preview --DiskId {d2} --SnapshotId {t2}"),
    );

    // A released disk's chain lives on: its `Disk` row is null.
    w.ok(&format!("aliyun ecs DetachDisk --InstanceId {inst} --DiskId {d2}"));
    t(&mut w, "snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs DeleteDisk --DiskId {d2}"));
    let released = t(&mut w, &format!("snaplab chain blocks --DiskId {d2}"));
    assert_eq!(released["Disk"], Value::Null);
    t(&mut w, &format!("snaplab billing estimate --DiskId {d2}"));

    let shown = t(&mut w, "snaplab world show");
    let export = t(&mut w, "snaplab world export");
    t(&mut w, "snaplab world reset");
    let file = serde_json::to_string(&export).unwrap();
    let imported = t(&mut w, &format!("snaplab world import --Json '{file}'"));
    let without_id = |mut v: Value| {
        v.as_object_mut().unwrap().remove("RequestId");
        v
    };
    assert_eq!(
        without_id(imported),
        without_id(shown),
        "the import gives the world back"
    );
}

// Every snaplab reply of the shipped scripts (R-INC-3/R-DEL-4, R-RB-6, copies and images).
#[test]
fn the_scripts_replies_round_trip() {
    for script in ["r-inc-3", "r-rb-6", "copy-and-image"] {
        let path = format!("{}/scripts/{script}.snaplab", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("read the script");
        let mut w = World::new();
        let mut checked = 0;
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        {
            let (reply, is_error) = w.reply(line);
            if !is_error && check(line, &reply) {
                checked += 1;
            }
        }
        assert!(checked >= 10, "{script}: {checked} typed replies");
    }
}

// A reply without its command's shape is an error naming the command and the field, never an
// empty value.
#[test]
fn a_reply_that_does_not_decode_is_an_error() {
    let e = ChainBlocks::from_json(&json!({ "DiskId": "d-1" })).unwrap_err();
    assert_eq!(e.command, "snaplab chain blocks");
    assert!(e.to_string().contains("missing field"), "{e}");
    let e = ClockShow::from_json(&json!({ "Now": 3, "NextEvent": null })).unwrap_err();
    assert!(e.to_string().contains("invalid type"), "{e}");
    assert!(DeletePreview::from_json(&json!("nonsense")).is_err());
    assert!(
        GuestWritten::from_json(&json!({ "RequestId": "r" })).is_ok(),
        "RequestId is ignored"
    );
}
