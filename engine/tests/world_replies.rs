//! The typed replies of `snaplab …` commands (`snaplab_engine::replies`): every real reply
//! decodes into its struct, and the struct serializes back to exactly that reply (minus the
//! `RequestId` the session adds) — no field lost — and decodes again to an equal value. Since the
//! engine serializes the same structs, the wire itself is pinned apart: every field path each
//! command returns ([`WIRE`], as the replies were before they were typed) and where a field is
//! `null` rather than absent.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use serde_json::{json, Value};
use snaplab_engine::replies::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// Every field path of each command's replies (`A.B[].C`; `World` and `Blocks` of an export are
/// opaque), read from the `snaplab` runner's replies before they were typed. A renamed field, or
/// an optional one that is never (or always) there, changes it.
const WIRE: &str = "
[billing estimate]
Pricing Pricing.BytesPerGb Pricing.FreeGbPerRegion Pricing.HoursPerMonth Pricing.InstantAccessUsdPerEnablement
Pricing.InstantAccessUsdPerGbMonth Pricing.SettlementHours Pricing.UsdPerGbMonth Regions
Regions[].BillableBytes Regions[].CapacityBytes Regions[].Chains Regions[].Chains[].CapacityBytes
Regions[].Chains[].InstantAccessBytes Regions[].Chains[].InstantAccessMonthlyUsd Regions[].Chains[].MonthlyUsd
Regions[].Chains[].RegionId Regions[].Chains[].SnapshotLinkId Regions[].Chains[].Snapshots
Regions[].Chains[].Snapshots[].InstantAccess Regions[].Chains[].Snapshots[].InstantAccess.Bytes
Regions[].Chains[].Snapshots[].InstantAccess.Enabled
Regions[].Chains[].Snapshots[].InstantAccess.EnablementUsd
Regions[].Chains[].Snapshots[].InstantAccess.HourlyUsd Regions[].Chains[].Snapshots[].InstantAccess.MonthlyUsd
Regions[].Chains[].Snapshots[].MonthlyUsd Regions[].Chains[].Snapshots[].OwnedBytes
Regions[].Chains[].Snapshots[].SnapshotId Regions[].Chains[].SourceDiskId Regions[].DailyUsd
Regions[].FreeBytes Regions[].HourlyUsd Regions[].InstantAccessBytes Regions[].InstantAccessDailyUsd
Regions[].InstantAccessEnablementUsd Regions[].InstantAccessHourlyUsd Regions[].InstantAccessMonthlyUsd
Regions[].InstantAccessSnapshots Regions[].MonthlyUsd Regions[].RegionId TotalMonthlyUsd
[billing estimate --DiskId]
Chain Chain.CapacityBytes Chain.InstantAccessBytes Chain.InstantAccessMonthlyUsd Chain.MonthlyUsd
Chain.RegionId Chain.SnapshotLinkId Chain.Snapshots Chain.Snapshots[].InstantAccess
Chain.Snapshots[].InstantAccess.Bytes Chain.Snapshots[].InstantAccess.Enabled
Chain.Snapshots[].InstantAccess.EnablementUsd Chain.Snapshots[].InstantAccess.HourlyUsd
Chain.Snapshots[].InstantAccess.MonthlyUsd Chain.Snapshots[].MonthlyUsd Chain.Snapshots[].OwnedBytes
Chain.Snapshots[].SnapshotId Chain.SourceDiskId Pricing Pricing.BytesPerGb Pricing.FreeGbPerRegion
Pricing.HoursPerMonth Pricing.InstantAccessUsdPerEnablement Pricing.InstantAccessUsdPerGbMonth
Pricing.SettlementHours Pricing.UsdPerGbMonth Region Region.BillableBytes Region.CapacityBytes Region.DailyUsd
Region.FreeBytes Region.HourlyUsd Region.InstantAccessBytes Region.InstantAccessDailyUsd
Region.InstantAccessEnablementUsd Region.InstantAccessHourlyUsd Region.InstantAccessMonthlyUsd
Region.InstantAccessSnapshots Region.MonthlyUsd Region.RegionId
[billing estimate --SnapshotId]
Chain Chain.CapacityBytes Chain.InstantAccessBytes Chain.InstantAccessMonthlyUsd Chain.MonthlyUsd
Chain.RegionId Chain.SnapshotLinkId Chain.Snapshots Chain.Snapshots[].InstantAccess
Chain.Snapshots[].InstantAccess.Bytes Chain.Snapshots[].InstantAccess.Enabled
Chain.Snapshots[].InstantAccess.EnablementUsd Chain.Snapshots[].InstantAccess.HourlyUsd
Chain.Snapshots[].InstantAccess.MonthlyUsd Chain.Snapshots[].MonthlyUsd Chain.Snapshots[].OwnedBytes
Chain.Snapshots[].SnapshotId Chain.SourceDiskId InstantAccess InstantAccess.Bytes InstantAccess.Enabled
InstantAccess.EnablementUsd InstantAccess.HourlyUsd InstantAccess.MonthlyUsd MonthlyUsd OwnedBytes Pricing
Pricing.BytesPerGb Pricing.FreeGbPerRegion Pricing.HoursPerMonth Pricing.InstantAccessUsdPerEnablement
Pricing.InstantAccessUsdPerGbMonth Pricing.SettlementHours Pricing.UsdPerGbMonth Region Region.BillableBytes
Region.CapacityBytes Region.DailyUsd Region.FreeBytes Region.HourlyUsd Region.InstantAccessBytes
Region.InstantAccessDailyUsd Region.InstantAccessEnablementUsd Region.InstantAccessHourlyUsd
Region.InstantAccessMonthlyUsd Region.InstantAccessSnapshots Region.MonthlyUsd Region.RegionId RegionId
SnapshotId
[chain blocks]
BlockSize CapacityBlocks CapacityBytes Disk Disk.DiskId Disk.Referenced Disk.ReferencedBlocks
Disk.Referenced[].Blocks Disk.Referenced[].Label Disk.Referenced[].Lba Disk.Referenced[].Owner
Disk.Referenced[].Version Disk.SizeBlocks Disk.Written Disk.WrittenBlocks Disk.Written[].Blocks
Disk.Written[].Label Disk.Written[].Lba Disk.Written[].Owner Disk.Written[].Version DiskId Snapshots
Snapshots[].Owned Snapshots[].OwnedBlocks Snapshots[].Owned[].Blocks Snapshots[].Owned[].Label
Snapshots[].Owned[].Lba Snapshots[].Owned[].Owner Snapshots[].Owned[].Version Snapshots[].Referenced
Snapshots[].ReferencedBlocks Snapshots[].Referenced[].Blocks Snapshots[].Referenced[].Label
Snapshots[].Referenced[].Lba Snapshots[].Referenced[].Owner Snapshots[].Referenced[].Version
Snapshots[].SizeBlocks Snapshots[].SnapshotId
[clock advance]
NextEvent Now
[clock next]
NextEvent Now
[clock run-until-idle]
NextEvent Now
[clock show]
NextEvent Now
[disk reset-preview]
DiskId DiskSize InstanceId SizeKept SnapshotCreationTime SnapshotId SnapshotSourceDiskSize Warnings
Warnings[].Code Warnings[].Message
[guest checksum]
Checksum
[guest fill]
FilledBytes
[guest read]
Base64 Text
[guest write]
[service activate]
ServiceActivated
[snapshot checksum]
Checksum
[snapshot copy-info]
Progress RegionId RemainTime SnapshotId SourceRegionId SourceSnapshotId Status TransferredBlocks
TransferredBytes
[snapshot delete-preview]
CapacityAfterBytes CapacityBeforeBytes CostAfterMonthlyUsd CostBeforeMonthlyUsd Freed FreedBlocks
FreedListPriceMonthlyUsd Freed[].Blocks Freed[].Lba InstantAccessMonthlySavingUsd MonthlySavingUsd Moved
MovedBlocks Moved[].Blocks Moved[].Lba PhysicalFreedBytes RegionCapacityAfterBytes RegionCapacityBeforeBytes
SnapshotId SuccessorId
[snapshot delete-preview --SnapshotIds]
CapacityAfterBytes CapacityBeforeBytes Chains Chains[].CapacityAfterBytes Chains[].CapacityBeforeBytes
Chains[].DiskId Chains[].Freed Chains[].FreedBlocks Chains[].Freed[].Blocks Chains[].Freed[].Lba
Chains[].Freed[].Owner Chains[].Moved Chains[].MovedBlocks Chains[].Moved[].Blocks Chains[].Moved[].From
Chains[].Moved[].Lba Chains[].Moved[].To Chains[].SnapshotIds CostAfterMonthlyUsd CostBeforeMonthlyUsd
FreedBlocks FreedListPriceMonthlyUsd InstantAccessMonthlySavingUsd MonthlySavingUsd MovedBlocks
PhysicalFreedBytes RegionCapacityAfterBytes RegionCapacityBeforeBytes SnapshotIds
[world export]
Blocks Format Version World
[world reset]
BlockSize Disks Instances Now Seed ServiceActivated Snapshots StoredBytes
[world show]
BlockSize Disks Instances Now Seed ServiceActivated Snapshots StoredBytes
";

/// Command (as [`WIRE`] names it) → field paths seen.
#[derive(Default)]
struct Wire(BTreeMap<String, BTreeSet<String>>);

impl Wire {
    fn record(&mut self, command: String, reply: &Value) {
        fn paths(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        if prefix.is_empty() && k == "RequestId" {
                            continue;
                        }
                        let p = if prefix.is_empty() {
                            k.clone()
                        } else {
                            format!("{prefix}.{k}")
                        };
                        out.insert(p.clone());
                        if !(prefix.is_empty() && (k == "World" || k == "Blocks")) {
                            paths(x, &p, out);
                        }
                    }
                }
                Value::Array(a) => a.iter().for_each(|x| paths(x, &format!("{prefix}[]"), out)),
                _ => {}
            }
        }
        paths(reply, "", self.0.entry(command).or_default());
    }

    fn expected() -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        let mut current = None;
        for line in WIRE.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(cmd) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                current = Some(cmd.to_string());
                out.entry(cmd.to_string()).or_insert_with(BTreeSet::new);
            } else if let Some(cmd) = &current {
                out.get_mut(cmd).unwrap().extend(line.split(' ').map(str::to_string));
            }
        }
        out
    }
}

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

/// Round-trips the reply of a `snaplab …` line through its struct (which struct, from the line)
/// and records its fields. Returns whether the line was one with a typed reply.
fn check(line: &str, reply: &Value, wire: &mut Wire) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let has = |p: &str| words.contains(&p);
    if words.first() != Some(&"snaplab") || has("--output") {
        return false;
    }
    let mut command = words[1..3.min(words.len())].join(" ");
    if command == "snapshot delete-preview" && has("--SnapshotIds") {
        command.push_str(" --SnapshotIds");
    } else if command == "billing estimate" && has("--SnapshotId") {
        command.push_str(" --SnapshotId");
    } else if command == "billing estimate" && has("--DiskId") {
        command.push_str(" --DiskId");
    }
    wire.record(command, reply);
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

/// A world whose `snaplab …` replies are checked as they come.
struct Checked {
    w: World,
    wire: Wire,
}

impl Checked {
    /// Runs `line` (which must succeed) and round-trips its reply.
    fn t(&mut self, line: &str) -> Value {
        let reply = self.w.ok(line);
        check(line, &reply, &mut self.wire);
        reply
    }
}

fn id<I: serde_json::value::Index + std::fmt::Display + Copy>(v: &Value, key: I) -> String {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}")).to_string()
}

// R-INC-3, R-DEL-3, R-DEL-4, R-BIL-1, R-CPY-2, R-RB-2, R-RB-5: a world with two chains (one with
// instant access), deletions previewed one and several at a time and then done, a copy, a
// rollback preview with every warning, a released disk's chain and an export and import. The
// same lines as the replies [`WIRE`] was read from.
#[test]
fn every_snaplab_reply_round_trips_through_its_struct() {
    let null = Some(&Value::Null);
    let mut r = Checked {
        w: World::new(),
        wire: Wire::default(),
    };
    r.t("snaplab world show");
    let clock = r.t("snaplab clock show");
    assert_eq!(clock.get("NextEvent"), null, "nothing scheduled: NextEvent is null");
    r.t("snaplab world reset --Seed 7 --BlockSize 4096");
    r.t("snaplab service activate");
    let run = r.w.ok(&format!(
        "{} --DataDisk.2.Category cloud_essd --DataDisk.2.Size 20",
        common::RUN
    ));
    let inst = id(&run["InstanceIdSets"]["InstanceIdSet"], 0);
    r.t("snaplab clock show");
    r.t("snaplab clock next");
    r.t("snaplab clock run-until-idle");
    let disks = r.w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {inst} --DiskType data"
    ));
    let (d1, d2) = (
        id(&disks["Disks"]["Disk"][0], "DiskId"),
        id(&disks["Disks"]["Disk"][1], "DiskId"),
    );

    for (b, text) in [(0, "A"), (1, "B"), (2, "C")] {
        r.t(&format!("snaplab guest write --DiskId {d1} --Block {b} --Text {text}"));
    }
    r.t(&format!(
        "snaplab guest fill --DiskId {d1} --FromBlock 10 --Blocks 40 --Seed 3"
    ));
    r.t(&format!(
        "snaplab guest write --DiskId {d1} --Offset 20480 --Base64 AAECAwQF"
    ));
    let read = r.t(&format!("snaplab guest read --DiskId {d1} --Block 5"));
    assert!(read.get("Base64").is_some() && read.get("Text").is_none());
    let read = r.t(&format!("snaplab guest read --DiskId {d1} --Block 0"));
    assert!(read.get("Text") == Some(&json!("A")) && read.get("Base64").is_none());
    r.t(&format!("snaplab guest read --DiskId {d1} --Block 7"));
    r.t(&format!("snaplab guest checksum --DiskId {d1}"));
    r.t(&format!("snaplab guest write --DiskId {d2} --Block 0 --Text X"));
    r.t(&format!(
        "snaplab guest fill --DiskId {d2} --FromBlock 1 --Blocks 2000 --Seed 1"
    ));

    let s1 = r.w.snapshot(&d1, "S1");
    let t1 = r.w.ok(&format!(
        "aliyun ecs CreateSnapshot --DiskId {d2} --SnapshotName T1 --InstantAccess true"
    ));
    let t1 = id(&t1, "SnapshotId");
    r.t("snaplab clock run-until-idle");
    r.t(&format!("snaplab guest write --DiskId {d1} --Block 1 --Text B1"));
    r.t(&format!("snaplab guest write --DiskId {d2} --Block 1 --Text Y"));
    let s2 = r.w.snapshot(&d1, "S2");
    let t2 = r.w.snapshot(&d2, "T2");
    r.t("snaplab clock show");
    r.t("snaplab clock run-until-idle");
    r.t(&format!("snaplab guest write --DiskId {d1} --Block 2 --Text C2"));
    let s3 = r.w.snapshot(&d1, "S3");
    r.t("snaplab clock advance --Seconds 5");
    r.t("snaplab clock advance --To 2026-01-02T00:00:00Z");
    r.t(&format!("snaplab snapshot checksum --SnapshotId {s2}"));

    let chain = ChainBlocks::from_json(&r.t(&format!("snaplab chain blocks --DiskId {d1}"))).unwrap();
    assert_eq!(chain.snapshots.len(), 3);
    assert_eq!(chain.snapshots[0].owned[0].label.as_deref(), Some("A"));
    r.t(&format!("snaplab chain blocks --DiskId {d2}"));
    // The disk's own block: in no snapshot (`Owner` null); a run of 40 has no `Label`.
    r.t(&format!("snaplab guest write --DiskId {d1} --Block 3 --Text D"));
    let chain = r.t(&format!("snaplab chain blocks --DiskId {d1}"));
    let written = &chain["Disk"]["Written"][0];
    assert_eq!((written.get("Owner"), written.get("Label")), (null, Some(&json!("D"))));
    let long = chain["Snapshots"][0]["Owned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["Blocks"] == 40);
    assert!(long.is_some_and(|x| x.get("Label").is_none()), "no Label: {chain}");

    // R-DEL-3: one snapshot, a newest one (no successor), an instant-access one; several at once
    // in one chain and across two.
    let p = r.t(&format!("snaplab snapshot delete-preview --SnapshotId {s2}"));
    assert_eq!(p["SuccessorId"], s3.as_str());
    let p = r.t(&format!("snaplab snapshot delete-preview --SnapshotId {s3}"));
    assert_eq!(p.get("SuccessorId"), null, "the newest snapshot: SuccessorId is null");
    let p = r.t(&format!("snaplab snapshot delete-preview --SnapshotId {t1}"));
    assert!(p["InstantAccessMonthlySavingUsd"].as_f64().unwrap() > 0.0);
    r.t(&format!(
        "snaplab snapshot delete-preview --SnapshotIds '[\"{s1}\",\"{s2}\"]'"
    ));
    let many = r.t(&format!(
        "snaplab snapshot delete-preview --SnapshotIds '[\"{s2}\",\"{t1}\",\"{s1}\"]'"
    ));
    assert_eq!(MultiDeletePreview::from_json(&many).unwrap().chains.len(), 2);
    r.t(&format!("snaplab snapshot delete-preview --SnapshotIds '[\"{t2}\"]'"));

    // R-BIL-1: every shape of the estimate, with and without instant access.
    r.t("snaplab billing estimate");
    r.t("snaplab billing estimate --RegionId cn-hangzhou");
    r.t("snaplab billing estimate --RegionId cn-beijing");
    let e = r.t(&format!("snaplab billing estimate --SnapshotId {t1}"));
    assert!(
        e["Region"].get("Chains").is_none(),
        "a snapshot's estimate: no Chains in Region"
    );
    let e = r.t(&format!("snaplab billing estimate --SnapshotId {s1}"));
    assert!(
        e["Chain"]["Snapshots"][0].get("InstantAccess").is_none(),
        "created without instant access"
    );
    r.t(&format!("snaplab billing estimate --DiskId {d1}"));

    // R-DEL-4: the deletion done; the chain after it.
    r.w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}"));
    r.t(&format!("snaplab chain blocks --DiskId {d1}"));
    r.t(&format!(
        "snaplab snapshot delete-preview --SnapshotIds '[\"{s1}\",\"{s3}\"]'"
    ));

    // R-CPY-2: a copy while it runs and once done.
    let copy = r.w.ok(&format!(
        "aliyun ecs CopySnapshot --RegionId cn-hangzhou --SnapshotId {s1} --DestinationRegionId cn-shanghai --DestinationSnapshotName S1-dr"
    ));
    let copy = id(&copy, "SnapshotId");
    let info = r.t(&format!("snaplab snapshot copy-info --SnapshotId {copy}"));
    assert_eq!(info["Status"], "progressing");
    r.t("snaplab clock run-until-idle");
    r.t(&format!("snaplab snapshot copy-info --SnapshotId {copy}"));
    r.t(&format!(
        "snaplab billing estimate --DiskId {d1} --RegionId cn-shanghai"
    ));

    // R-RB-2, R-RB-5: a rollback preview with the size kept and the StopCharging warning.
    r.w.ok(&format!(
        "aliyun ecs StopInstance --InstanceId {inst} --StoppedMode StopCharging"
    ));
    r.t("snaplab clock run-until-idle");
    r.w.ok(&format!("aliyun ecs ResizeDisk --DiskId {d1} --NewSize 40"));
    r.t("snaplab clock run-until-idle");
    let preview = r.t(&format!("snaplab disk reset-preview --DiskId {d1} --SnapshotId {s1}"));
    let preview = ResetPreview::from_json(&preview).unwrap();
    assert!(preview.size_kept);
    assert_eq!(
        preview.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>(),
        ["Rollback.Irreversible", "Rollback.SizeKept", "Rollback.StopCharging"]
    );
    r.t(&format!("snaplab disk reset-preview --DiskId {d2} --SnapshotId {t2}"));

    // A released disk's chain lives on: its `Disk` row is null.
    r.w.ok(&format!("aliyun ecs DetachDisk --InstanceId {inst} --DiskId {d2}"));
    r.t("snaplab clock run-until-idle");
    r.w.ok(&format!("aliyun ecs DeleteDisk --DiskId {d2}"));
    let released = r.t(&format!("snaplab chain blocks --DiskId {d2}"));
    assert_eq!(released.get("Disk"), null);
    r.t(&format!("snaplab billing estimate --DiskId {d2}"));

    let shown = r.t("snaplab world show");
    let export = r.t("snaplab world export");
    r.t("snaplab world reset");
    let file = serde_json::to_string(&export).unwrap();
    let imported = r.t(&format!("snaplab world import --Json '{file}'"));
    let without_id = |mut v: Value| {
        v.as_object_mut().unwrap().remove("RequestId");
        v
    };
    assert_eq!(
        without_id(imported),
        without_id(shown),
        "the import gives the world back"
    );

    // The wire: every command's field paths are those it had before the replies were typed.
    let mut seen = std::mem::take(&mut r.wire.0);
    let import = seen.remove("world import").expect("an import");
    assert_eq!(
        Some(&import),
        seen.get("world show"),
        "import replies as world show does"
    );
    let expected = Wire::expected();
    for (command, paths) in &seen {
        let want = expected
            .get(command)
            .unwrap_or_else(|| panic!("{command} is not in WIRE"));
        let missing: Vec<_> = want.difference(paths).collect();
        let extra: Vec<_> = paths.difference(want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{command}: missing {missing:?}, new {extra:?}"
        );
    }
    assert_eq!(seen.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
}

// Every snaplab reply of the shipped scripts (R-INC-3/R-DEL-4, R-RB-6, copies and images).
#[test]
fn the_scripts_replies_round_trip() {
    for script in ["r-inc-3", "r-rb-6", "copy-and-image"] {
        let path = format!("{}/scripts/{script}.snaplab", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("read the script");
        let mut w = World::new();
        let (mut checked, mut wire) = (0, Wire::default());
        for line in text
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        {
            let (reply, is_error) = w.reply(line);
            if !is_error && check(line, &reply, &mut wire) {
                checked += 1;
            }
        }
        assert!(checked >= 10, "{script}: {checked} typed replies");
        // No field the scenario's replies did not have.
        let expected = Wire::expected();
        for (command, paths) in &wire.0 {
            let new: Vec<_> = paths.difference(&expected[command]).collect();
            assert!(new.is_empty(), "{script}: {command}: new fields {new:?}");
        }
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
