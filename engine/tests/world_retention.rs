//! ModifySnapshotAttribute (name, description, retention only extended) and retention on the
//! simulated clock (R-CRT-5): expiry frees blocks like DeleteSnapshot and waits for an image
//! that uses the snapshot. Through the command line on the in-memory store; every refusal is
//! checked for its code and status and for changing nothing (`World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{with_s1, World, HZ};

// ModifySnapshotAttribute (API.md §1): name, description, retention only extended,
// NoAttributeToModify.
#[test]
fn modify_snapshot_attribute() {
    let (mut t, _vm, s1) = with_s1();
    t.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {s1} --SnapshotName renamed --Description \"kept for audit\" --RetentionDays 3"
    ));
    let row = t.describe_snapshot(HZ, &s1);
    assert_eq!(row["SnapshotName"], "renamed");
    assert_eq!(row["Description"], "kept for audit");
    assert_eq!(row["RetentionDays"], 3);
    t.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {s1} --DisableInstantAccess true"
    ));
    t.ok(&format!(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId {s1} --RetentionDays 10"
    ));
    assert_eq!(t.describe_snapshot(HZ, &s1)["RetentionDays"], 10);

    let m = format!("aliyun ecs ModifySnapshotAttribute --SnapshotId {s1}");
    t.refused(&m, "NoAttributeToModify", 400);
    t.refused(&format!("{m} --RetentionDays 5"), "InvalidRetentionDays.Malformed", 400);
    t.refused(
        &format!("{m} --RetentionDays 70000"),
        "InvalidRetentionDays.Malformed",
        400,
    );
    t.refused(
        &format!("{m} --SnapshotName autoX"),
        "InvalidSnapshotName.Malformed",
        400,
    );
    t.refused(&format!("{m} --Description x"), "InvalidDescription.Malformed", 404);
    t.refused(
        "aliyun ecs ModifySnapshotAttribute --SnapshotId s-bp1none --SnapshotName ok",
        "InvalidSnapshotId.NotFound",
        404,
    );
}

// R-CRT-5: a snapshot is deleted when its retention ends on the simulated clock, freeing its
// blocks like DeleteSnapshot (R-DEL-3); run-until-idle does not wait for it.
#[test]
fn r_crt_5_retention_expiry_frees_blocks() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    for (i, x) in ["A", "B", "C", "D"].iter().enumerate() {
        t.write(&vm.data, i as u64, x);
    }
    let s1 = t.finished_snapshot(&vm.data, "--RetentionDays 1");
    t.write(&vm.data, 1, "B1");
    let s2 = t.finished_snapshot(&vm.data, "");
    assert_eq!(t.region_size(HZ), 5 * 4096);
    let stored_before = t.stored_blocks().len();
    let s2_sum = t.snapshot_checksum(&s2);
    let expiry = t.describe_snapshot(HZ, &s1)["CreationTime"]
        .as_str()
        .expect("time")
        .to_string();

    t.ok("snaplab clock run-until-idle");
    assert!(
        t.snapshot_exists(HZ, &s1),
        "a retention end is no operation in progress"
    );
    let shown = t.ok("snaplab clock show");
    assert_eq!(
        shown["NextEvent"],
        expiry.replacen("2026-01-01", "2026-01-02", 1),
        "the next event is the retention end"
    );

    t.ok("snaplab clock advance --Seconds 86400");
    assert!(!t.snapshot_exists(HZ, &s1), "expired");
    assert!(t.snapshot_exists(HZ, &s2));
    // B is freed; A, C, D move into S2 (R-DEL-3).
    assert_eq!(t.region_size(HZ), 4 * 4096);
    assert_eq!(t.stored_blocks().len(), stored_before - 1, "B's bytes leave the store");
    assert_eq!(t.snapshot_checksum(&s2), s2_sum, "R-DEL-5");
    let b = t.ok(&format!("snaplab billing estimate --SnapshotId {s2}"));
    assert_eq!(b["OwnedBytes"], 4 * 4096);
}

// R-CRT-5 with R-DEL-1: an expired snapshot an image uses stays until the image is deleted.
#[test]
fn r_crt_5_expiry_waits_for_the_image() {
    let mut t = World::seeded(7, 4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    let s = t.finished_snapshot(&vm.system, "--RetentionDays 1");
    let img = t.ok(&format!(
        "aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageName held"
    ))["ImageId"]
        .as_str()
        .expect("ImageId")
        .to_string();
    t.ok("snaplab clock advance --Seconds 172800");
    assert!(t.snapshot_exists(HZ, &s), "held by the image");
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    assert!(!t.snapshot_exists(HZ, &s), "expired once the image is gone");
    assert_eq!(t.region_size(HZ), 0);
}
