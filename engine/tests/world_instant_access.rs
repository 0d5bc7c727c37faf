//! Local snapshots and instant access (SPEC §5, R-IA-1..4, R-IA-6, R-IA-7), with R-CRT-3's
//! exception and R-BIL-1's instant-access prices, through the command line on the in-memory
//! store. Every refusal is checked for its code, HTTP status and for changing nothing
//! (`World::refused`). That only manual snapshots use instant access cannot fail before
//! automatic snapshots exist: its rule is in `rules_not_built.txt` until issue 13.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{block, same_bytes, World};
use serde_json::Value;

const HZ: &str = "cn-hangzhou";
const IMAGE: &str = "centos_7_9_x64_20G_alibase_20230815.vhd";
/// 64 KiB blocks: 16,384 of them are 1 GiB.
const BLOCKS_PER_GIB: u64 = 16_384;

fn activated() -> World {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 5 --BlockSize 65536");
    w.ok("snaplab service activate");
    w
}

/// A running instance (`extra` added to RunInstances): (instance, system disk, data disk).
fn vm(w: &mut World, extra: &str) -> (String, String, String) {
    let id = w.ok(&format!(
        "aliyun ecs RunInstances --RegionId {HZ} --ImageId {IMAGE} --InstanceType ecs.g7.large \
         --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 {extra}"
    ))["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .expect("instance id")
        .to_string();
    w.ok("snaplab clock run-until-idle");
    let disks = w.ok(&format!("aliyun ecs DescribeDisks --RegionId {HZ} --InstanceId {id}"));
    let list = disks["Disks"]["Disk"].as_array().expect("disks").clone();
    let of = |t: &str| {
        list.iter().find(|d| d["Type"] == t).expect("disk")["DiskId"]
            .as_str()
            .expect("disk id")
            .to_string()
    };
    (id.clone(), of("system"), of("data"))
}

/// CreateSnapshot with `args`, returning the new ID.
fn create(w: &mut World, disk: &str, args: &str) -> String {
    w.ok(&format!("aliyun ecs CreateSnapshot --DiskId {disk} {args}"))["SnapshotId"]
        .as_str()
        .expect("snapshot id")
        .to_string()
}

/// An instant-access snapshot of `disk`.
fn instant(w: &mut World, disk: &str) -> String {
    create(w, disk, "--InstantAccess true")
}

/// The DescribeSnapshots row of `id`.
fn row(w: &mut World, id: &str) -> Value {
    let r = w.describe(&format!("--SnapshotIds '[\"{id}\"]'"));
    r["Snapshots"]["Snapshot"][0].clone()
}

fn stop(w: &mut World, instance: &str) {
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {instance}"));
    w.ok("snaplab clock advance --Seconds 60");
}

fn ids(v: &Value) -> Vec<String> {
    v["Snapshots"]["Snapshot"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["SnapshotId"].as_str().expect("id").to_string())
        .collect()
}

// R-IA-1: ESSD only; an encrypted ESSD cannot; the parameters are checked.
#[test]
fn r_ia_1_essd_only_and_not_encrypted() {
    let mut w = activated();
    // The system disk is cloud_efficiency (RunInstances' default), the data disk ESSD.
    let (_, system, data) = vm(&mut w, "");
    for args in ["--InstantAccess true", "--Category Flash"] {
        w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {system} {args}"),
            "DiskCategory.OperationNotSupported",
            400,
        );
    }
    let (_, _, encrypted) = vm(&mut w, "--DataDisk.1.Encrypted true");
    for args in ["--InstantAccess true", "--Category flash"] {
        w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {encrypted} {args}"),
            "OperationDenied",
            403,
        );
    }
    // A standard snapshot of both still works.
    create(&mut w, &system, "");
    w.ok("snaplab clock run-until-idle");
    create(&mut w, &encrypted, "--Category Standard");
    // Bad values name their parameter.
    let base = format!("aliyun ecs CreateSnapshot --DiskId {data}");
    for bad in ["0", "65536", "x"] {
        let r = w.refused(
            &format!("{base} --InstantAccess true --InstantAccessRetentionDays {bad}"),
            "InvalidParameter",
            400,
        );
        assert!(
            r["Message"]
                .as_str()
                .unwrap_or("")
                .contains("InstantAccessRetentionDays"),
            "{r}"
        );
    }
    w.refused(&format!("{base} --Category Archive"), "InvalidParameter", 400);
    w.refused(&format!("{base} --InstantAccess maybe"), "InvalidParameter", 400);
    // The ESSD takes both forms; the longest duration is accepted.
    let ia = create(&mut w, &data, "--InstantAccess true --InstantAccessRetentionDays 65535");
    let local = create(&mut w, &data, "--Category FLASH");
    let r = row(&mut w, &ia);
    assert_eq!(r["Category"], "standard");
    assert_eq!(r["InstantAccess"], true);
    assert_eq!(r["InstantAccessRetentionDays"], 65535);
    assert_eq!(r["SnapshotType"], "user", "CreateSnapshot makes manual snapshots");
    let r = row(&mut w, &local);
    assert_eq!(r["Category"], "flash");
    assert_eq!(r["InstantAccess"], true);
    assert_eq!(r["InstantAccessRetentionDays"], 1, "default 1 day");
    // DryRun runs the same checks.
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {system} --InstantAccess true --DryRun true"),
        "DiskCategory.OperationNotSupported",
        400,
    );
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data} --InstantAccess true --DryRun true"),
        "DryRunOperation",
        400,
    );
}

// R-IA-2: at most 10 live local / instant-access snapshots per ESSD; a standard snapshot is
// not limited by it; a slot frees when instant access turns off.
#[test]
fn r_ia_2_ten_per_disk() {
    let mut w = activated();
    let (_, _, data) = vm(&mut w, "");
    let mut made = Vec::new();
    for n in 0..10 {
        let args = if n % 2 == 0 {
            "--InstantAccess true"
        } else {
            "--Category Flash"
        };
        made.push(create(&mut w, &data, args));
    }
    for args in ["--InstantAccess true", "--Category Flash"] {
        let r = w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {data} {args}"),
            "QuotaExceed.Snapshot",
            403,
        );
        assert!(r["Message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    create(&mut w, &data, "");
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {} --DisableInstantAccess true",
        made[0]
    ));
    instant(&mut w, &data);
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data} --InstantAccess true"),
        "QuotaExceed.Snapshot",
        403,
    );
    // Deleting one frees a slot too.
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {}", made[1]));
    instant(&mut w, &data);
}

// R-IA-3: an instant-access snapshot still `progressing` rolls the disk back and creates disks
// (also in another zone); a standard one in progress does neither. Creation takes seconds.
#[test]
fn r_ia_3_usable_before_it_finishes() {
    let mut w = activated();
    let (inst, _, data) = vm(&mut w, "");
    // 2 GiB written: a standard snapshot of it takes well over a minute.
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 0 --Blocks {}",
        2 * BLOCKS_PER_GIB
    ));
    w.ok(&format!(
        "snaplab guest write --DiskId {data} --Block 1 --Text version-one"
    ));
    let s0 = w.snapshot(&data, "before");
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!(
        "snaplab guest write --DiskId {data} --Block 1 --Text version-two"
    ));
    let want = block(&mut w, &data, 1);
    stop(&mut w, &inst);

    let s1 = instant(&mut w, &data);
    let r = row(&mut w, &s1);
    assert_eq!(r["Status"], "progressing");
    assert_eq!(r["Progress"], "0%");
    assert_eq!(r["Available"], true);
    assert_eq!(r["RemainTime"], 3, "seconds, whatever the data");
    // Back to S0 (the in-progress instant-access snapshot does not block a rollback)…
    w.ok(&format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {s0}"));
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {data} --Block 1"))["Text"],
        "version-one"
    );
    // …and forward to S1 while it is still progressing.
    assert_eq!(row(&mut w, &s1)["Status"], "progressing");
    w.ok(&format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {s1}"));
    same_bytes(&block(&mut w, &data, 1), &want, "rolled back to the progressing S1");
    // A disk from it in another zone, before it finishes, with its content.
    let d = w.ok(&format!(
        "aliyun ecs CreateDisk --RegionId {HZ} --ZoneId cn-hangzhou-j --SnapshotId {s1} --DiskCategory cloud_essd"
    ))["DiskId"]
        .as_str()
        .expect("disk id")
        .to_string();
    let disk = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId {HZ} --DiskIds '[\"{d}\"]'"
    ));
    assert_eq!(disk["Disks"]["Disk"][0]["ZoneId"], "cn-hangzhou-j");
    assert_eq!(disk["Disks"]["Disk"][0]["SourceSnapshotId"], s1.as_str());

    // R-CRT-3's exception: a standard snapshot may start while S1 is in progress…
    let s2 = w.snapshot(&data, "standard");
    let r = row(&mut w, &s2);
    assert_eq!(r["Status"], "progressing");
    assert_eq!(r["Available"], false);
    // …but is not usable before it finishes.
    w.refused(
        &format!(
            "aliyun ecs CreateDisk --RegionId {HZ} --ZoneId cn-hangzhou-h --SnapshotId {s2} --DiskCategory cloud_essd"
        ),
        "InvalidSnapshotId.NotReady",
        403,
    );
    w.refused(
        &format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {s2}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    // While a standard one is in progress, even the instant-access snapshot cannot roll back…
    w.refused(
        &format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {s1}"),
        "DiskCreatingSnapshot",
        403,
    );
    // …and no other snapshot may start (R-CRT-3).
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data} --InstantAccess true"),
        "IncorrectDiskStatus.CreatingSnapshot",
        403,
    );
    // Seconds later S1 is done; S2 still runs.
    w.ok("snaplab clock advance --Seconds 3");
    assert_eq!(row(&mut w, &s1)["Status"], "accomplished");
    assert_eq!(row(&mut w, &s2)["Status"], "progressing");
}

// R-IA-4: a duration in days (default 1) after which instant access turns off by itself; not
// disabled while being created, disabled afterwards; deleting the disk turns it off.
#[test]
fn r_ia_4_duration_disable_and_release() {
    let mut w = activated();
    let (inst, _, data) = vm(&mut w, "");
    let one = instant(&mut w, &data);
    let two = create(&mut w, &data, "--InstantAccess true --InstantAccessRetentionDays 2");
    let created = row(&mut w, &one)["CreationTime"].as_str().expect("time").to_string();
    let disable =
        |id: &str| format!("aliyun ecs ModifySnapshotAttribute --SnapshotId {id} --DisableInstantAccess true");
    w.refused(&disable(&one), "OperationDenied", 403);
    w.ok("snaplab clock run-until-idle");
    // The next event is the end of the 1-day instant access.
    let next = w.ok("snaplab clock show")["NextEvent"]
        .as_str()
        .expect("next")
        .to_string();
    assert_eq!(&next[11..], &created[11..]);
    assert_ne!(&next[..10], &created[..10]);
    w.ok("snaplab clock next");
    let r = row(&mut w, &one);
    assert_eq!(r["InstantAccess"], false);
    assert_eq!(r["InstantAccessRetentionDays"], 0);
    assert_eq!(r["Available"], true, "an accomplished snapshot stays usable");
    assert_eq!(row(&mut w, &two)["InstantAccess"], true);
    // Disabled by hand (false changes nothing).
    w.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {two} --DisableInstantAccess false"
    ));
    assert_eq!(row(&mut w, &two)["InstantAccess"], true);
    w.ok(&disable(&two));
    assert_eq!(row(&mut w, &two)["InstantAccess"], false);
    // Again on a snapshot without it: accepted, nothing to do.
    w.ok(&disable(&two));

    // Deleting the disk turns instant access off; the snapshot stays.
    let three = instant(&mut w, &data);
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs DetachDisk --InstanceId {inst} --DiskId {data}"));
    w.ok(&format!(
        "aliyun ecs ModifyDiskAttribute --DiskId {data} --DeleteAutoSnapshot true"
    ));
    w.ok(&format!("aliyun ecs DeleteDisk --DiskId {data}"));
    let r = row(&mut w, &three);
    assert_eq!(r["SnapshotId"], three.as_str());
    assert_eq!(r["InstantAccess"], false);
    // Deleting the snapshot ends it for good (nothing left to bill or expire).
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {three}"));
    assert!(ids(&w.describe("")).iter().all(|i| *i != three));
}

// R-IA-6: a disk from a local snapshot is an unencrypted ESSD of exactly its size; no custom
// image, no copy; not released with the disk.
#[test]
fn r_ia_6_restrictions() {
    let mut w = activated();
    let (inst, system, data) = vm(&mut w, "--SystemDisk.Category cloud_essd");
    let s = instant(&mut w, &data);
    let sys = create(&mut w, &system, "--Category Flash");
    let cd = format!("aliyun ecs CreateDisk --RegionId {HZ} --ZoneId cn-hangzhou-h --SnapshotId {s}");
    for extra in [
        "--DiskCategory cloud_efficiency",
        "--DiskCategory cloud_essd --Size 40",
        "--DiskCategory cloud_essd --Size 20 --Encrypted true",
        "",
    ] {
        w.refused(&format!("{cd} {extra}"), "OperationDenied.SnapshotNotAllowed", 403);
    }
    w.ok(&format!("{cd} --DiskCategory cloud_essd --Size 20"));
    w.ok(&format!("{cd} --DiskCategory cloud_essd"));
    w.refused(
        &format!(
            "aliyun ecs RunInstances --RegionId {HZ} --ImageId {IMAGE} --InstanceType ecs.g7.large \
             --DataDisk.1.SnapshotId {s} --DataDisk.1.Category cloud_efficiency"
        ),
        "OperationDenied.SnapshotNotAllowed",
        403,
    );
    w.ok("snaplab clock run-until-idle");
    w.refused(
        &format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {sys}"),
        "OperationDenied",
        403,
    );
    w.refused(
        &format!(
            "aliyun ecs CreateImage --RegionId {HZ} --DiskDeviceMapping.1.SnapshotId {sys} \
             --DiskDeviceMapping.1.DiskType system"
        ),
        "OperationDenied",
        403,
    );
    w.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s} --DestinationRegionId cn-shanghai"),
        "InvalidSnapshotCategory.NotSupportCopy",
        403,
    );
    // Once instant access is off it is a standard snapshot: copied, imaged.
    for id in [&s, &sys] {
        w.ok(&format!(
            "aliyun ecs ModifySnapshotAttribute --SnapshotId {id} --DisableInstantAccess true"
        ));
    }
    w.ok(&format!(
        "aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s} --DestinationRegionId cn-shanghai"
    ));
    w.ok(&format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {sys}"));
    // Not released with the disk, even with DeleteAutoSnapshot.
    let kept = instant(&mut w, &data);
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs DetachDisk --InstanceId {inst} --DiskId {data}"));
    w.ok(&format!(
        "aliyun ecs ModifyDiskAttribute --DiskId {data} --DeleteAutoSnapshot true"
    ));
    w.ok(&format!("aliyun ecs DeleteDisk --DiskId {data}"));
    assert_eq!(row(&mut w, &kept)["SnapshotId"], kept.as_str());
}

// R-IA-7: no ReInitDisk while instant access is on; afterwards, the ESSD's earlier local
// snapshots cannot roll it back (nor after its OS was replaced).
#[test]
fn r_ia_7_reinit_and_replace() {
    let mut w = activated();
    let (inst, system, data) = vm(&mut w, "--SystemDisk.Category cloud_essd");
    let standard = w.snapshot(&data, "plain");
    w.ok("snaplab clock run-until-idle");
    let local = instant(&mut w, &data);
    w.ok("snaplab clock run-until-idle");
    stop(&mut w, &inst);
    let reinit = format!("aliyun ecs ReInitDisk --DiskId {data}");
    let r = w.refused(&reinit, "OperationDenied", 403);
    assert!(r["Message"].as_str().unwrap_or("").contains("instant access"), "{r}");
    w.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {local} --DisableInstantAccess true"
    ));
    w.ok("snaplab clock advance --Seconds 1");
    w.ok(&reinit);
    w.refused(
        &format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {local}"),
        "InvalidSnapshot.TooOld",
        403,
    );
    // A standard snapshot still rolls it back; a local one taken after the re-init too.
    w.ok(&format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {standard}"));
    let after = instant(&mut w, &data);
    w.ok(&format!("aliyun ecs ResetDisk --DiskId {data} --SnapshotId {after}"));

    // The system disk: a local snapshot, the OS replaced, the old snapshot refused.
    let sys = create(&mut w, &system, "--Category Flash");
    w.ok("snaplab clock run-until-idle");
    let new_system = w.ok(&format!(
        "aliyun ecs ReplaceSystemDisk --InstanceId {inst} --ImageId {IMAGE}"
    ))["DiskId"]
        .as_str()
        .expect("disk id")
        .to_string();
    // The old system disk was released: its instant access is off, the snapshot kept.
    assert_eq!(row(&mut w, &sys)["InstantAccess"], false);
    w.refused(
        &format!("aliyun ecs ResetDisk --DiskId {new_system} --SnapshotId {sys}"),
        "InvalidSnapshot.TooOld",
        403,
    );
}

// Replies: DescribeSnapshots' `Category` filter and DescribeSnapshotLinks' `InstantAccess`.
#[test]
fn describe_category_filter_and_links() {
    let mut w = activated();
    let (_, system, data) = vm(&mut w, "");
    let local = create(&mut w, &data, "--Category Flash");
    let ia = instant(&mut w, &data);
    let std_sys = create(&mut w, &system, "");
    w.ok("snaplab clock run-until-idle");
    assert_eq!(ids(&w.describe("--Category Flash")), vec![local.clone()]);
    assert_eq!(ids(&w.describe("--Category flash")), vec![local.clone()]);
    let mut standard = ids(&w.describe("--Category STANDARD"));
    standard.sort();
    let mut want = vec![ia.clone(), std_sys.clone()];
    want.sort();
    assert_eq!(standard, want);
    assert_eq!(w.describe("--Category archive")["TotalCount"], 0);
    w.refused(
        &format!("aliyun ecs DescribeSnapshots --RegionId {HZ} --Category local"),
        "InvalidSnapshotCategory.Malformed",
        403,
    );
    let links = |w: &mut World, disk: &str| {
        w.ok(&format!(
            "aliyun ecs DescribeSnapshotLinks --RegionId {HZ} --DiskIds '[\"{disk}\"]'"
        ))["SnapshotLinks"]["SnapshotLink"][0]
            .clone()
    };
    assert_eq!(links(&mut w, &data)["InstantAccess"], true);
    assert_eq!(links(&mut w, &system)["InstantAccess"], false);
    for id in [&local, &ia] {
        w.ok(&format!(
            "aliyun ecs ModifySnapshotAttribute --SnapshotId {id} --DisableInstantAccess true"
        ));
    }
    assert_eq!(links(&mut w, &data)["InstantAccess"], false);
    // A local snapshot whose instant access ended is a standard one.
    assert_eq!(w.describe("--Category Flash")["TotalCount"], 0);
    assert_eq!(row(&mut w, &local)["Category"], "standard");
}

// R-BIL-1: instant access costs $0.224/GB/month of the snapshot's full size while on, plus
// $0.1415 per enablement.
#[test]
fn r_bil_1_instant_access_prices() {
    let mut w = activated();
    let (_, _, data) = vm(&mut w, "");
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 0 --Blocks {BLOCKS_PER_GIB}"
    ));
    let s = instant(&mut w, &data);
    w.ok("snaplab clock run-until-idle");
    let one = w.ok(&format!("snaplab billing estimate --SnapshotId {s}"));
    assert_eq!(one["MonthlyUsd"], 0.02, "its standard capacity, 1 GiB");
    assert_eq!(one["InstantAccess"]["Enabled"], true);
    assert_eq!(one["InstantAccess"]["Bytes"], 1u64 << 30);
    assert_eq!(one["InstantAccess"]["MonthlyUsd"], 0.224);
    assert_eq!(one["InstantAccess"]["HourlyUsd"], 0.000311);
    assert_eq!(one["InstantAccess"]["EnablementUsd"], 0.1415);
    assert_eq!(one["Pricing"]["InstantAccessUsdPerGbMonth"], 0.224);
    let chain = &one["Chain"];
    assert_eq!(chain["InstantAccessMonthlyUsd"], 0.224);
    assert_eq!(chain["Snapshots"][0]["InstantAccess"]["MonthlyUsd"], 0.224);
    let r = w.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    let region = &r["Regions"][0];
    assert_eq!(region["MonthlyUsd"], 0.0, "1 GiB is inside the free 5 GB");
    assert_eq!(region["InstantAccessMonthlyUsd"], 0.224);
    assert_eq!(region["InstantAccessDailyUsd"], 0.007467);
    assert_eq!(region["InstantAccessSnapshots"], 1);
    assert_eq!(region["InstantAccessEnablementUsd"], 0.1415);
    assert_eq!(r["TotalMonthlyUsd"], 0.224);
    let p = w.ok(&format!("snaplab snapshot delete-preview --SnapshotId {s}"));
    assert_eq!(p["InstantAccessMonthlySavingUsd"], 0.224);
    // Off: no instant-access charge any more (the enablement was paid once).
    w.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {s} --DisableInstantAccess true"
    ));
    let one = w.ok(&format!("snaplab billing estimate --SnapshotId {s}"));
    assert_eq!(one["InstantAccess"]["Enabled"], false);
    assert_eq!(one["InstantAccess"]["MonthlyUsd"], 0.0);
    assert_eq!(one["InstantAccess"]["EnablementUsd"], 0.1415);
    let r = w.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    assert_eq!(r["Regions"][0]["InstantAccessMonthlyUsd"], 0.0);
    assert_eq!(r["TotalMonthlyUsd"], 0.0);
}

// R-IA-4 / persistence: instant access survives `snaplab world export` / `import`.
#[test]
fn instant_access_round_trips_through_export() {
    let mut w = activated();
    let (_, _, data) = vm(&mut w, "");
    let s = create(&mut w, &data, "--Category Flash --InstantAccessRetentionDays 3");
    let before = row(&mut w, &s);
    let world = w.s.world().to_full_json().expect("serialize");
    let back = snaplab_engine::world::World::from_full_json(world).expect("deserialize");
    let again = back.snapshots.get(&s).expect("snapshot").clone();
    assert_eq!(again.instant_access.map(|ia| (ia.local, ia.days)), Some((true, 3)));
    assert_eq!(before["InstantAccessRetentionDays"], 3);
}
