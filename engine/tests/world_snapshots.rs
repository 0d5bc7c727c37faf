//! The ECS world through its command line: snapshot creation rules, listing, deletion, the
//! clock, guest I/O and persistence. Each test names the SPEC rule it covers.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{block, World, RUN};
use snaplab_engine::session::{block_on, Session};
use snaplab_engine::store::memory::MemoryStore;

fn activated() -> World {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 3 --BlockSize 65536");
    w.ok("snaplab service activate");
    w
}

// R-SVC-1: a new world has the snapshot service off; CreateSnapshot is refused until activation.
#[test]
fn snapshot_service_must_be_activated() {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 3 --BlockSize 65536");
    let (_, _, data) = w.instance();
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data}"),
        "InvalidAccountStatus.SnapshotServiceUnavailable",
        403,
    );
    w.ok("snaplab service activate");
    w.snapshot(&data, "first");
}

// R-CRT-1: an In_use disk needs its instance Running or Stopped (not Pending/Starting/Stopping).
#[test]
fn instance_must_be_running_or_stopped() {
    let mut w = activated();
    let id = w.ok(RUN)["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_string();
    let disks = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id} --DiskType data"
    ));
    let data = disks["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string();
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data}"),
        "IncorrectInstanceStatus",
        400,
    );
    w.ok("snaplab clock run-until-idle");
    w.snapshot(&data, "running");
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {id}"));
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data}"),
        "IncorrectInstanceStatus",
        400,
    );
    w.ok("snaplab clock run-until-idle");
    w.snapshot(&data, "stopped");
    w.refused(
        "aliyun ecs CreateSnapshot --DiskId d-bp1nosuchdisk0000000",
        "InvalidDiskId.NotFound",
        404,
    );
}

// R-CRT-2: manual snapshot names and descriptions.
#[test]
fn names_and_descriptions_follow_the_rules() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    for bad in [
        "a",
        "1abc",
        "auto-x",
        "Auto1",
        "http://x",
        "https://x",
        "a b",
        "a/b",
        &"a".repeat(129),
    ] {
        w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {data} --SnapshotName '{bad}'"),
            "InvalidSnapshotName.Malformed",
            400,
        );
    }
    for bad in ["x", "http://example", &"d".repeat(257)] {
        w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {data} --Description '{bad}'"),
            "InvalidDescription.Malformed",
            404,
        );
    }
    for good in ["ab", "快照-1", "before:upgrade_2.0-x", &"a".repeat(128)] {
        w.snapshot(&data, good);
        w.ok("snaplab clock run-until-idle");
    }
}

// R-CRT-5: retention days 1–65,536.
#[test]
fn retention_days_are_range_checked() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    for bad in ["0", "65537", "-1", "x"] {
        w.refused(
            &format!("aliyun ecs CreateSnapshot --DiskId {data} --RetentionDays {bad}"),
            "InvalidRetentionDays.Malformed",
            400,
        );
    }
    w.ok(&format!(
        "aliyun ecs CreateSnapshot --DiskId {data} --RetentionDays 65536"
    ));
    w.ok("snaplab clock run-until-idle");
    let s = w.describe(&format!("--DiskId {data}"));
    assert_eq!(s["Snapshots"]["Snapshot"][0]["RetentionDays"], 65536);
}

// R-CRT-3: while a snapshot is being created, no second snapshot and no stop/reboot.
// R-CRT-4: creation time grows with the data to store; Progress follows the clock.
#[test]
fn a_snapshot_in_progress_blocks_the_disk_and_its_instance() {
    let mut w = activated();
    let (inst, _, data) = w.instance();
    // 2 GiB of data at 64 KiB blocks.
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 0 --Blocks 32768 --Seed 9"
    ));
    let s1 = w.snapshot(&data, "full");
    let first = w.describe(&format!("--SnapshotIds '[\"{s1}\"]'"))["Snapshots"]["Snapshot"][0].clone();
    assert_eq!(first["Status"], "progressing");
    assert_eq!(first["Progress"], "0%");
    let full_seconds = first["RemainTime"].as_i64().unwrap();
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data}"),
        "IncorrectDiskStatus.CreatingSnapshot",
        403,
    );
    w.refused(
        &format!("aliyun ecs StopInstance --InstanceId {inst}"),
        "DiskCreatingSnapshot",
        403,
    );
    w.refused(
        &format!("aliyun ecs RebootInstance --InstanceId {inst}"),
        "DiskCreatingSnapshot",
        403,
    );
    w.ok(&format!("snaplab clock advance --Seconds {}", full_seconds / 2));
    let half = w.describe(&format!("--SnapshotIds '[\"{s1}\"]'"))["Snapshots"]["Snapshot"][0].clone();
    let pct: u64 = half["Progress"]
        .as_str()
        .unwrap()
        .trim_end_matches('%')
        .parse()
        .unwrap();
    assert!((40..=60).contains(&pct), "{half}");
    w.ok("snaplab clock run-until-idle");
    // An incremental snapshot of one changed block takes less time than the full one.
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 5 --Text changed"));
    let s2 = w.snapshot(&data, "incremental");
    let second = w.describe(&format!("--SnapshotIds '[\"{s2}\"]'"))["Snapshots"]["Snapshot"][0].clone();
    assert!(
        second["RemainTime"].as_i64().unwrap() < full_seconds,
        "{second} vs {full_seconds}"
    );
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {inst}"));
}

// R-INC-5: the snapshot is the disk at its creation instant; writes during creation are not in it
// and the disk is not blocked.
#[test]
fn a_snapshot_is_a_point_in_time() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    w.ok(&format!(
        "snaplab guest fill --DiskId {data} --FromBlock 0 --Blocks 256"
    ));
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 1 --Text before"));
    let at_creation = w.ok(&format!("snaplab guest checksum --DiskId {data}"))["Checksum"].clone();
    let s = w.snapshot(&data, "pit");
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 1 --Text after"));
    assert_eq!(
        w.describe(&format!("--SnapshotIds '[\"{s}\"]'"))["Snapshots"]["Snapshot"][0]["Status"],
        "progressing"
    );
    w.ok("snaplab clock run-until-idle");
    assert_eq!(
        w.ok(&format!("snaplab snapshot checksum --SnapshotId {s}"))["Checksum"],
        at_creation
    );
    assert_ne!(
        w.ok(&format!("snaplab guest checksum --DiskId {data}"))["Checksum"],
        at_creation
    );
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {data} --Block 1"))["Text"],
        "after"
    );
}

// R-CHN-2, R-CHN-3: 256 manual snapshots per disk; the next manual one is refused.
#[test]
fn the_manual_quota_is_256_per_disk() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    for i in 0..256 {
        w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text v{i}"));
        w.snapshot(&data, &format!("s{i}"));
        w.ok("snaplab clock run-until-idle");
    }
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data}"),
        "QuotaExceed.Snapshot",
        403,
    );
    let links = w.ok(&format!(
        "aliyun ecs DescribeSnapshotLinks --RegionId cn-hangzhou --DiskIds '[\"{data}\"]'"
    ));
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalCount"], 256);
    // 256 versions of block 0, each 64 KiB (R-CHN-1).
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalSize"], 256 * 65536);
}

// DescribeSnapshots: filters, both paging models, newest first, and its documented errors.
#[test]
fn describe_snapshots_filters_and_pages() {
    let mut w = activated();
    let (_, sys, data) = w.instance();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(w.snapshot(&data, &format!("data{i}")));
        w.ok("snaplab clock advance --Seconds 60");
    }
    let sys_snap = w.snapshot(&sys, "system0");
    let all = w.describe("");
    assert_eq!(all["TotalCount"], 4);
    assert_eq!(
        all["Snapshots"]["Snapshot"][0]["SnapshotId"],
        sys_snap.as_str(),
        "newest first"
    );
    assert_eq!(all["Snapshots"]["Snapshot"][0]["Status"], "progressing");

    assert_eq!(w.describe("--SourceDiskType System")["TotalCount"], 1);
    assert_eq!(w.describe(&format!("--DiskId {data}"))["TotalCount"], 3);
    assert_eq!(w.describe("--Status accomplished")["TotalCount"], 3);
    assert_eq!(
        w.describe("--SnapshotName data1")["Snapshots"]["Snapshot"][0]["SnapshotId"],
        ids[1].as_str()
    );
    let two = format!("--SnapshotIds '[\"{}\",\"{}\"]'", ids[0], ids[2]);
    assert_eq!(w.describe(&two)["TotalCount"], 2);
    assert_eq!(w.describe("--SnapshotType auto")["TotalCount"], 0);
    assert_eq!(w.describe("--Usage none")["TotalCount"], 4);
    assert_eq!(w.describe("--Encrypted false")["TotalCount"], 4);
    assert_eq!(w.describe("--Encrypted true")["TotalCount"], 0);

    let page1 = w.describe("--MaxResults 3");
    assert_eq!(page1["Snapshots"]["Snapshot"].as_array().unwrap().len(), 3);
    let token = page1["NextToken"].as_str().unwrap().to_string();
    assert!(!token.is_empty());
    let page2 = w.describe(&format!("--MaxResults 3 --NextToken {token}"));
    assert_eq!(page2["Snapshots"]["Snapshot"].as_array().unwrap().len(), 1);
    assert_eq!(page2["NextToken"], "");
    let p2 = w.describe("--PageSize 2 --PageNumber 2");
    assert_eq!(p2["PageNumber"], 2);
    assert_eq!(p2["Snapshots"]["Snapshot"][0]["SnapshotId"], ids[1].as_str());

    w.refused(
        "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --Status done",
        "InvalidStatus.NotFound",
        404,
    );
    w.refused(
        "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotType x",
        "InvalidSnapshotType.NotFound",
        404,
    );
    w.refused(
        "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --Usage x",
        "InvalidUsage",
        404,
    );
    let many: Vec<String> = (0..101).map(|i| format!("\"s-{i}\"")).collect();
    w.refused(
        &format!(
            "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '[{}]'",
            many.join(",")
        ),
        "InvalidSnapshotIds.Malformed",
        403,
    );
    w.refused(
        "aliyun ecs DescribeSnapshots --RegionId cn-nowhere",
        "InvalidRegionId.NotFound",
        404,
    );
    w.refused("aliyun ecs DescribeSnapshots", "MissingParameter", 400);
    // Other regions see nothing.
    let sh = w.ok("aliyun ecs DescribeSnapshots --RegionId cn-shanghai");
    assert_eq!(sh["TotalCount"], 0);
}

// SPEC §17: DeleteSnapshot of an unknown ID is ignored, as ECS does; deleting frees capacity.
#[test]
fn delete_snapshot_frees_capacity_and_ignores_unknown_ids() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 0 --Text A"));
    let s1 = w.snapshot(&data, "one");
    w.ok("snaplab clock run-until-idle");
    let before = w.ok("aliyun ecs DescribeSnapshotsUsage --RegionId cn-hangzhou");
    assert_eq!(before["SnapshotCount"], 1);
    assert_eq!(before["SnapshotSize"], 65536);
    w.ok("aliyun ecs DeleteSnapshot --SnapshotId s-bp1doesnotexist0000");
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s1}"));
    let after = w.ok("aliyun ecs DescribeSnapshotsUsage --RegionId cn-hangzhou");
    assert_eq!(after["SnapshotCount"], 0);
    assert_eq!(after["SnapshotSize"], 0);
    w.refused("aliyun ecs DeleteSnapshot", "MissingParameter", 400);
}

// SPEC §18: guest writes need a Running instance; reads and checksums work in any state;
// raw bytes across block boundaries read back exactly.
#[test]
fn guest_io_follows_the_instance() {
    let mut w = activated();
    let (inst, _, data) = w.instance();
    // 3 bytes ending block 0 and 3 starting block 1 ("abcdef" in base64: YWJjZGVm).
    w.ok(&format!(
        "snaplab guest write --DiskId {data} --Offset 65533 --Base64 YWJjZGVm"
    ));
    let b1 = w.ok(&format!("snaplab guest read --DiskId {data} --Block 1"));
    assert_eq!(b1["Text"], "def");
    let b0 = block(&mut w, &data, 0);
    assert_eq!(b0.len(), 65536);
    assert_eq!(&b0[65533..], b"abc");
    assert!(b0[..65533].iter().all(|b| *b == 0));
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {inst}"));
    w.ok("snaplab clock run-until-idle");
    w.refused(
        &format!("snaplab guest write --DiskId {data} --Block 0 --Text x"),
        "IncorrectInstanceStatus",
        400,
    );
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {data} --Block 1"))["Text"],
        "def"
    );
    w.refused(
        &format!("snaplab guest read --DiskId {data} --Block 999999999"),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("snaplab guest write --DiskId {data} --Offset 0 --Base64 '***'"),
        "IncorrectInstanceStatus",
        400,
    );
}

// The world lives in the store: a second session on the same store sees the same world.
#[test]
fn the_world_reopens_from_its_store() {
    let store = MemoryStore::new();
    let mut first = World {
        s: block_on(Session::open(store.clone())).unwrap(),
    };
    first.ok("snaplab world reset --Seed 11 --BlockSize 4096");
    first.ok("snaplab service activate");
    let (_, _, data) = first.instance();
    first.ok(&format!(
        "snaplab guest write --DiskId {data} --Offset 100 --Base64 aGVsbG8="
    ));
    let s = first.snapshot(&data, "kept");
    first.ok("snaplab clock advance --Seconds 3");
    let shown = first.ok("snaplab world show");
    let sum = first.ok(&format!("snaplab snapshot checksum --SnapshotId {s}"))["Checksum"].clone();

    let mut second = World {
        s: block_on(Session::open(store)).unwrap(),
    };
    let again = second.ok("snaplab world show");
    for key in [
        "Now",
        "Seed",
        "BlockSize",
        "Snapshots",
        "Disks",
        "ServiceActivated",
        "StoredBytes",
    ] {
        assert_eq!(again[key], shown[key], "{key}");
    }
    assert_eq!(
        second.ok(&format!("snaplab snapshot checksum --SnapshotId {s}"))["Checksum"],
        sum
    );
    let b0 = block(&mut second, &data, 0);
    assert_eq!(&b0[100..105], b"hello");
}

// API.md "DryRun": every check runs; all passing gives DryRunOperation (400), a failing one its
// own code, and nothing changes either way — for every action.
#[test]
fn dry_run_checks_everything_and_changes_nothing() {
    let mut w = activated();
    let (_, _, data) = w.instance();
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data} --DryRun true"),
        "DryRunOperation",
        400,
    );
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {data} --SnapshotName 1bad --DryRun true"),
        "InvalidSnapshotName.Malformed",
        400,
    );
    let s = w.snapshot(&data, "real");
    w.ok("snaplab clock run-until-idle");
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s} --DryRun true"),
        "DryRunOperation",
        400,
    );
    assert_eq!(w.describe("")["TotalCount"], 1);
    w.refused(
        "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --DryRun true",
        "DryRunOperation",
        400,
    );
}

// SPEC §9: RunInstances from a custom image creates an instance whose disks carry the image's
// content; re-initializing its system disk returns it to the image.
#[test]
fn instances_from_a_custom_image_carry_its_content() {
    let mut w = activated();
    let (_, sys, data) = w.instance();
    w.ok(&format!("snaplab guest write --DiskId {sys} --Block 0 --Text SYSTEM"));
    w.ok(&format!("snaplab guest write --DiskId {data} --Block 2 --Text DATA"));
    let s_sys = w.snapshot(&sys, "sys");
    let s_data = w.snapshot(&data, "data");
    w.ok("snaplab clock run-until-idle");
    let image = w.ok(&format!(
        "aliyun ecs CreateImage --RegionId cn-hangzhou --ImageName golden --DiskDeviceMapping.1.SnapshotId {s_sys} \
         --DiskDeviceMapping.2.SnapshotId {s_data} --DiskDeviceMapping.3.Size 5"
    ))["ImageId"]
        .as_str()
        .unwrap()
        .to_string();
    let run = format!(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId {image} --InstanceType ecs.g7.large \
         --SystemDisk.Category cloud_essd"
    );
    w.refused(&run, "OperationDenied.ImageNotValid", 403); // still Creating
    w.ok("snaplab clock run-until-idle");
    let id = w.ok(&run)["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_string();
    w.ok("snaplab clock run-until-idle");
    let disks = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id}"
    ));
    let list = disks["Disks"]["Disk"].as_array().unwrap().clone();
    assert_eq!(list.len(), 3, "system, the image's data disk and its empty 5 GiB disk");
    let of = |t: &str, size: u64| {
        list.iter().find(|d| d["Type"] == t && d["Size"] == size).unwrap()["DiskId"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let new_sys = of("system", 40);
    let new_data = of("data", 20);
    let empty = of("data", 5);
    let sum = |w: &mut World, t: &str, id: &str| {
        w.ok(&format!(
            "snaplab {t} checksum --{} {id}",
            if t == "guest" { "DiskId" } else { "SnapshotId" }
        ))["Checksum"]
            .clone()
    };
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {new_sys} --Block 0"))["Text"],
        "SYSTEM"
    );
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {new_data} --Block 2"))["Text"],
        "DATA"
    );
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {empty} --Block 0"))["Text"],
        ""
    );
    assert_eq!(sum(&mut w, "guest", &new_data), sum(&mut w, "snapshot", &s_data));
    assert_eq!(
        w.ok(&format!(
            "aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '[\"{id}\"]'"
        ))["Instances"]["Instance"][0]["ImageId"],
        image.as_str()
    );

    // R-DSK-2 for a custom image: the system disk goes back to the image's content.
    w.ok(&format!(
        "snaplab guest write --DiskId {new_sys} --Block 0 --Text CHANGED"
    ));
    w.ok(&format!("aliyun ecs StopInstance --InstanceId {id}"));
    w.ok("snaplab clock run-until-idle");
    w.ok(&format!("aliyun ecs ReInitDisk --DiskId {new_sys}"));
    assert_eq!(
        w.ok(&format!("snaplab guest read --DiskId {new_sys} --Block 0"))["Text"],
        "SYSTEM"
    );

    w.refused(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId m-bp1nosuchimage00000 --InstanceType ecs.g7.large",
        "InvalidImageId.NotFound",
        404,
    );
}

// R-CRT-6: local disks (ephemeral) cannot be snapshotted.
#[test]
fn local_disks_cannot_be_snapshotted() {
    let mut w = activated();
    let id = w.ok(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd \
         --InstanceType ecs.g7.large --DataDisk.1.Category ephemeral_ssd --DataDisk.1.Size 100",
    )["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_string();
    w.ok("snaplab clock run-until-idle");
    let disks = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id} --DiskType data"
    ));
    let local = disks["Disks"]["Disk"][0].clone();
    assert_eq!(local["Category"], "ephemeral_ssd");
    let local = local["DiskId"].as_str().unwrap();
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {local}"),
        "DiskCategory.OperationNotSupported",
        400,
    );
    // The instance's cloud system disk still can.
    let sys = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id} --DiskType system"
    ));
    w.snapshot(sys["Disks"]["Disk"][0]["DiskId"].as_str().unwrap(), "system");
}

// R-IMG-3: an image built from an encrypted snapshot cannot be shared; others can (at most 50
// accounts), and a shared image cannot be deleted until it is unshared.
#[test]
fn images_from_encrypted_snapshots_cannot_be_shared() {
    let mut w = activated();
    let id = w.ok(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd \
         --InstanceType ecs.g7.large --SystemDisk.Encrypted true",
    )["InstanceIdSets"]["InstanceIdSet"][0]
        .as_str()
        .unwrap()
        .to_string();
    w.ok("snaplab clock run-until-idle");
    let (_, plain_sys, _) = w.instance();
    let disks = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id}"
    ));
    let enc_sys = disks["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string();
    assert_eq!(disks["Disks"]["Disk"][0]["Encrypted"], true);
    let s_enc = w.snapshot(&enc_sys, "enc");
    let s_plain = w.snapshot(&plain_sys, "plain");
    w.ok("snaplab clock run-until-idle");
    let image = |w: &mut World, name: &str, s: &str| {
        let r = w.ok(&format!(
            "aliyun ecs CreateImage --RegionId cn-hangzhou --ImageName {name} --SnapshotId {s}"
        ));
        r["ImageId"].as_str().unwrap().to_string()
    };
    let enc_image = image(&mut w, "encrypted", &s_enc);
    let plain_image = image(&mut w, "plain", &s_plain);
    w.ok("snaplab clock run-until-idle");
    let share = |img: &str, extra: &str| {
        format!("aliyun ecs ModifyImageSharePermission --RegionId cn-hangzhou --ImageId {img} {extra}")
    };
    w.refused(
        &share(&enc_image, "--AddAccount.1 1234567890123456"),
        "OperationDeined.EncryptedSnapshot",
        403,
    );
    w.refused(
        &share(&enc_image, "--IsPublic true"),
        "OperationDeined.EncryptedSnapshot",
        403,
    );
    w.refused(
        &share(&plain_image, "--AddAccount.1 not-an-account"),
        "InvalidAccount.NotFound",
        404,
    );
    w.refused(
        &share("m-bp1nosuchimage00000", "--AddAccount.1 1"),
        "InvalidImageId.NotFound",
        404,
    );
    w.ok(&share(
        &plain_image,
        "--AddAccount.1 1234567890123456 --AddAccount.2 42",
    ));
    let shown = w.ok(&format!(
        "aliyun ecs DescribeImages --RegionId cn-hangzhou --ImageId {plain_image}"
    ));
    assert_eq!(shown["Images"]["Image"][0]["IsSelfShared"], "true");
    w.refused(
        &format!("aliyun ecs DeleteImage --RegionId cn-hangzhou --ImageId {plain_image}"),
        "ImageUseShared",
        403,
    );
    // 50 accounts at most: 2 shared + 10 per call.
    for batch in 0..4 {
        let adds: Vec<String> = (1..=10)
            .map(|n| format!("--AddAccount.{n} {}", 1000 + batch * 10 + n))
            .collect();
        w.ok(&share(&plain_image, &adds.join(" ")));
    }
    let over: Vec<String> = (1..=10).map(|n| format!("--AddAccount.{n} {}", 9000 + n)).collect();
    w.refused(&share(&plain_image, &over.join(" ")), "QuotaExceed.ShareImageUser", 403);
    w.ok(&share(
        &plain_image,
        "--RemoveAccount.1 1234567890123456 --RemoveAccount.2 42",
    ));
}
