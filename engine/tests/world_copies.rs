//! CopySnapshot (SPEC §8, R-CPY-1..4) through the command line on the in-memory store: the
//! copy in the destination region, incremental transfers, tags, cancellation, the refusals,
//! and the copy-and-image script through the `snaplab` binary.
//!
//! Every refusal is checked for its `Code` and `HttpStatus` and for changing nothing (the
//! world's state and the stored block bytes: `World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{with_s1, World, HZ};
use serde_json::{json, Value};

const SH: &str = "cn-shanghai";

/// CopySnapshot of a Hangzhou snapshot to Shanghai (left in progress); returns the copy's ID.
fn copy_to_shanghai(t: &mut World, snap: &str, extra: &str) -> String {
    let r = t.ok(&format!(
        "aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {snap} --DestinationRegionId {SH} {extra}"
    ));
    r["SnapshotId"].as_str().expect("SnapshotId").to_string()
}

/// The blocks a copy transfers (`snaplab snapshot copy-info`).
fn transferred(t: &mut World, copy: &str) -> u64 {
    t.ok(&format!("snaplab snapshot copy-info --SnapshotId {copy}"))["TransferredBlocks"]
        .as_u64()
        .expect("TransferredBlocks")
}

// R-CPY-1: a new ID in the destination region, the source named, the same content, and the
// copy is not in the source disk's chain.
#[test]
fn r_cpy_1_copy_is_a_new_snapshot_in_the_destination_region() {
    let (mut t, vm, s1) = with_s1();
    let copy = copy_to_shanghai(
        &mut t,
        &s1,
        "--DestinationSnapshotName S1-copy --DestinationSnapshotDescription backup",
    );
    assert!(copy.starts_with("s-uf6"), "a Shanghai ID: {copy}");
    let row = t.describe_snapshot(SH, &copy);
    assert_eq!(row["Status"], "progressing");
    assert_eq!(row["SourceSnapshotId"], s1.as_str());
    assert_eq!(row["SourceRegionId"], HZ);
    assert_eq!(row["SourceDiskId"], vm.data.as_str());
    assert_eq!(row["RegionId"], SH);
    assert_eq!(row["SnapshotName"], "S1-copy");
    assert_eq!(row["Description"], "backup");
    assert!(!t.snapshot_exists(HZ, &copy), "not listed in the source region");
    assert_eq!(t.describe_snapshot(HZ, &s1)["SourceSnapshotId"], "");

    // A copy in progress neither blocks the disk's next snapshot nor its instance.
    t.write(&vm.data, 4, "E");
    let s2 = t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.describe_snapshot(SH, &copy)["Status"], "accomplished");
    assert_eq!(
        t.snapshot_checksum(&copy),
        t.snapshot_checksum(&s1),
        "the copy holds the source's bytes"
    );

    // The copy is in its own chain: the disk's chain lists S1 and S2 only.
    let chain = t.ok(&format!("snaplab chain blocks --DiskId {}", vm.data));
    let ids: Vec<&str> = chain["Snapshots"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["SnapshotId"].as_str())
        .collect();
    assert_eq!(ids, vec![s1.as_str(), s2.as_str()]);
    let links = t.ok(&format!("aliyun ecs DescribeSnapshotLinks --RegionId {HZ}"));
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalCount"], 2);
    let links = t.ok(&format!("aliyun ecs DescribeSnapshotLinks --RegionId {SH}"));
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalCount"], 1);
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalSize"], 4 * 4096);
}

// R-CPY-2: the first copy of a disk's snapshots to a region is full, later copies transfer
// only blocks not already there; time follows the blocks transferred.
#[test]
fn r_cpy_2_later_copies_transfer_only_new_blocks() {
    let (mut t, vm, s1) = with_s1();
    let c1 = copy_to_shanghai(&mut t, &s1, "");
    assert_eq!(transferred(&mut t, &c1), 4, "full: A, B, C, D");
    // 10 s start-up + 4 blocks of 4 KiB at 32 MiB/s (1 s).
    assert_eq!(
        t.ok(&format!("snaplab snapshot copy-info --SnapshotId {c1}"))["RemainTime"],
        11
    );
    t.ok("snaplab clock run-until-idle");

    t.write(&vm.data, 1, "B1");
    t.write(&vm.data, 2, "C1");
    let s2 = t.finished_snapshot(&vm.data, "");
    let c2 = copy_to_shanghai(&mut t, &s2, "");
    assert_eq!(transferred(&mut t, &c2), 2, "only B1 and C1");
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.region_size(SH), 6 * 4096);

    // Copying S1 again transfers nothing new.
    let c1b = copy_to_shanghai(&mut t, &s1, "");
    assert_eq!(transferred(&mut t, &c1b), 0);
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.region_size(SH), 6 * 4096);
    for (src, copy) in [(&s1, &c1), (&s2, &c2), (&s1, &c1b)] {
        assert_eq!(
            t.snapshot_checksum(copy),
            t.snapshot_checksum(src),
            "R-CPY-1: same bytes"
        );
    }

    // A big synthetic copy: 20,000 blocks = 81,920,000 bytes → 10 + ⌈81920000 / 32 MiB⌉ = 13 s.
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 10 --Blocks 20000",
        vm.data
    ));
    let s3 = t.finished_snapshot(&vm.data, "");
    let c3 = copy_to_shanghai(&mut t, &s3, "");
    let info = t.ok(&format!("snaplab snapshot copy-info --SnapshotId {c3}"));
    assert_eq!(info["TransferredBlocks"], 20_000);
    assert_eq!(info["TransferredBytes"], 81_920_000);
    assert_eq!(info["RemainTime"], 13);
}

// R-CPY-3: tags are not copied (the request's are applied); encrypted snapshots are refused.
#[test]
fn r_cpy_3_tags_not_copied_and_encrypted_refused() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "--DataDisk.2.Size 20 --DataDisk.2.Encrypted true");
    t.write(&vm.data, 0, "A");
    let s = t.finished_snapshot(&vm.data, "--Tag.1.Key team --Tag.1.Value blue");
    let copy = copy_to_shanghai(&mut t, &s, "--Tag.1.Key dr --Tag.1.Value yes");
    assert_eq!(
        t.describe_snapshot(SH, &copy)["Tags"]["Tag"],
        json!([{"TagKey": "dr", "TagValue": "yes"}])
    );
    t.ok("snaplab clock run-until-idle");

    let disks = t.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId {HZ} --InstanceId {}",
        vm.id
    ));
    let encrypted = disks["Disks"]["Disk"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["Encrypted"] == true)
        .and_then(|d| d["DiskId"].as_str())
        .expect("the encrypted disk")
        .to_string();
    let es = t.finished_snapshot(&encrypted, "");
    t.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {es} --DestinationRegionId {SH}"),
        "InvalidSnapshotId.EncryptedNotSupport",
        403,
    );
}

// R-CPY-4: deleting a copy in progress cancels it and frees what it transferred.
#[test]
fn r_cpy_4_deleting_a_copy_in_progress_cancels_it() {
    let (mut t, vm, s1) = with_s1();
    let copy = copy_to_shanghai(&mut t, &s1, "");
    assert_eq!(t.describe_snapshot(SH, &copy)["Status"], "progressing");
    // A copy in progress does not hold the source's instance (R-CRT-3 is about creation).
    t.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    assert_eq!(t.region_size(SH), 4 * 4096);
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {copy}"));
    assert!(!t.snapshot_exists(SH, &copy));
    assert_eq!(t.region_size(SH), 0);
    t.ok("snaplab clock run-until-idle");
    // The next copy is full again, and no longer blocked as unfinished.
    let again = copy_to_shanghai(&mut t, &s1, "");
    assert_eq!(transferred(&mut t, &again), 4);
}

// R-CPY-1..4 refusals, SPEC §17: each with its code and status, changing nothing.
#[test]
fn copy_snapshot_refusals() {
    let (mut t, vm, s1) = with_s1();
    let base = format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s1}");
    t.refused(
        &format!("{base} --DestinationRegionId {HZ}"),
        "InvalidOperation.NotSupportCopyInSameRegion",
        403,
    );
    t.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId s-bp1nothere --DestinationRegionId {SH}"),
        "InvalidSnapshotId.NotFound",
        403,
    );
    // A snapshot of another region is not found in the source region.
    t.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {SH} --SnapshotId {s1} --DestinationRegionId cn-beijing"),
        "InvalidSnapshotId.NotFound",
        403,
    );
    t.refused(
        &format!("{base} --DestinationRegionId mars-1"),
        "InvalidRegionId.NotFound",
        404,
    );
    t.refused(&base, "MissingParameter", 400);
    t.refused(
        &format!("{base} --DestinationRegionId {SH} --DestinationSnapshotName auto1"),
        "InvalidSnapshotName.Malformed",
        400,
    );
    t.refused(
        &format!("{base} --DestinationRegionId {SH} --DestinationSnapshotDescription http://x"),
        "InvalidDescription.Malformed",
        404,
    );
    t.refused(
        &format!("{base} --DestinationRegionId {SH} --RetentionDays 0"),
        "InvalidRetentionDays.Malformed",
        400,
    );
    t.refused(
        &format!("{base} --DestinationRegionId {SH} --Tag.1.Key aliyun:x"),
        "InvalidTagKey.Malformed",
        400,
    );
    // Not ready: a snapshot still being created.
    t.write(&vm.data, 5, "F");
    let s2 = t.start_snapshot(&vm.data, "");
    t.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s2} --DestinationRegionId {SH}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    t.ok("snaplab clock run-until-idle");
    // A copy of the same disk to the same region still in progress.
    copy_to_shanghai(&mut t, &s1, "");
    t.refused(
        &format!("aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s2} --DestinationRegionId {SH}"),
        "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
        403,
    );
    // Another region is fine.
    t.ok(&format!(
        "aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {s2} --DestinationRegionId cn-beijing"
    ));
}

// R-CPY-1: the copy cannot roll back the source disk (it is in another region's chain).
#[test]
fn r_cpy_1_a_copy_cannot_roll_back_its_source_disk() {
    let (mut t, vm, s1) = with_s1();
    let copy = copy_to_shanghai(&mut t, &s1, "");
    t.ok("snaplab clock run-until-idle");
    t.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    t.ok("snaplab clock run-until-idle");
    let line = format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {copy}", vm.data);
    t.refused(&line, "InvalidParameter.Mismatch", 403);
    // The source snapshot itself still can.
    t.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s1}", vm.data));
}

// R-CPY-1, R-CPY-2, R-IMG-1, R-DEL-1 from a script through the `snaplab` binary.
#[test]
fn copy_and_image_script() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/copy-and-image.snaplab");
    let (lines, replies): (Vec<String>, Vec<Value>) = common::run_script(path).into_iter().unzip();
    // The one refusal is the DeleteSnapshot of the image's snapshot (R-DEL-1).
    for (line, reply) in lines.iter().zip(&replies) {
        if reply.get("Code").is_some() {
            assert!(line.starts_with("aliyun ecs DeleteSnapshot"), "{line}: {reply}");
            assert_eq!(reply["Code"], "SnapshotCreatedImage", "{line}");
        }
    }
    assert!(
        replies.iter().any(|r| r["Code"] == "SnapshotCreatedImage"),
        "R-DEL-1 shown by the script"
    );
    let transferred: Vec<u64> = replies.iter().filter_map(|r| r["TransferredBlocks"].as_u64()).collect();
    assert_eq!(transferred, vec![4, 2], "R-CPY-2");
    let sums: Vec<&Value> = replies.iter().filter_map(|r| r.get("Checksum")).collect();
    assert_eq!(sums.len(), 4);
    assert_eq!(sums[0], sums[1], "copy of S1 = S1");
    assert_eq!(sums[2], sums[3], "copy of S2 = S2");
    assert_ne!(sums[0], sums[2]);
    let images = replies
        .iter()
        .find(|r| r.get("Images").is_some())
        .expect("DescribeImages");
    assert_eq!(images["Images"]["Image"][0]["Status"], "Available");
}
