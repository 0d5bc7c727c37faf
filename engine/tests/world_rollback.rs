//! Rolling back and re-initializing disks (SPEC §6, §7): ResetDisk (R-RB-1..6, with the
//! reset preview's warnings), ReInitDisk (R-DSK-2), ReplaceSystemDisk (R-RB-4), through command
//! lines on the in-memory store.
//!
//! Every refusal is checked for its code and HTTP status and for changing nothing
//! (`World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ};

const OTHER_IMAGE: &str = "ubuntu_22_04_x64_20G_alibase_20230815.vhd";

// ----- ResetDisk -----

// R-RB-3: the whole disk returns to the snapshot; the instance's other disks are untouched.
// R-RB-2: what was written after the snapshot is gone.
#[test]
fn reset_restores_the_whole_disk_and_nothing_else() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "A1");
    lab.write(&vm.data, 4, "keep");
    let s = lab.finished_snapshot(&vm.data, "");
    let at_snapshot = lab.checksum(&vm.data);
    lab.write(&vm.data, 0, "A2");
    lab.write(&vm.data, 1, "B");
    lab.write(&vm.system, 0, "system");
    let system_before = lab.checksum(&vm.system);
    lab.stop(&vm.id);
    let r = lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data));
    assert_eq!(r.as_object().unwrap().len(), 1, "only RequestId: {r}");
    assert_eq!(lab.read(&vm.data, 0), "A1");
    assert_eq!(lab.read(&vm.data, 1), "");
    assert_eq!(lab.read(&vm.data, 4), "keep");
    assert_eq!(lab.checksum(&vm.data), at_snapshot);
    assert_eq!(lab.checksum(&vm.data), lab.snapshot_checksum(&s));
    assert_eq!(lab.checksum(&vm.system), system_before);
    // After the rollback the disk works as usual: write, snapshot, roll back again.
    lab.start(&vm.id);
    lab.write(&vm.data, 2, "C");
    let s2 = lab.finished_snapshot(&vm.data, "");
    lab.stop(&vm.id);
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data));
    assert_eq!(lab.read(&vm.data, 2), "");
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s2}", vm.data));
    assert_eq!(lab.read(&vm.data, 2), "C");
    assert_eq!(lab.read(&vm.data, 0), "A1");
}

// R-RB-1: attached, instance Stopped, snapshot accomplished, no snapshot in progress.
#[test]
fn reset_refusals_change_nothing() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "A");
    let s = lab.finished_snapshot(&vm.data, "");
    let reset = format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data);
    lab.refused(&reset, "IncorrectInstanceStatus", 403);
    lab.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    lab.refused(&reset, "IncorrectInstanceStatus", 403); // Stopping
    lab.idle();
    let progressing = lab.start_snapshot(&vm.data, "");
    lab.refused(&reset, "DiskCreatingSnapshot", 403);
    let r = lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {progressing}", vm.data),
        "InvalidSnapshotId.NotReady",
        403,
    );
    assert_eq!(r["Message"], "The specified snapshot has not completed yet.");
    lab.idle();
    lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId d-bp1nosuchdisk0000000 --SnapshotId {s}"),
        "InvalidDiskId.NotFound",
        404,
    );
    lab.refused(
        &format!(
            "aliyun ecs ResetDisk --DiskId {} --SnapshotId s-bp1nosuchsnapshot000",
            vm.data
        ),
        "InvalidSnapshotId.NotFound",
        404,
    );
    lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId {}", vm.data),
        "MissingParameter",
        400,
    );
    lab.refused(&format!("{reset} --DryRun true"), "DryRunOperation", 400);
    // A detached disk cannot be rolled back.
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {}",
        vm.id, vm.data
    ));
    lab.refused(&reset, "IncorrectDiskStatus", 403);
}

// R-RB-4: a snapshot rolls back only the disk it was taken from.
#[test]
fn reset_with_a_snapshot_of_another_disk_is_a_mismatch() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let s_system = lab.finished_snapshot(&vm.system, "");
    lab.stop(&vm.id);
    let r = lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s_system}", vm.data),
        "InvalidParameter.Mismatch",
        403,
    );
    assert_eq!(
        r["Message"],
        "The specified snapshot is not created from the specified disk."
    );
    // A disk created from the snapshot is another disk too.
    let copy = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {s_system} --DiskCategory cloud_efficiency"
    ));
    lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {copy}", vm.id));
    lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId {copy} --SnapshotId {s_system}"),
        "InvalidParameter.Mismatch",
        403,
    );
}

// R-RB-5: a disk resized after the snapshot keeps its new size; nothing extra in the reply.
#[test]
fn reset_keeps_a_larger_size() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "A");
    let s = lab.finished_snapshot(&vm.data, "");
    lab.ok(&format!(
        "aliyun ecs ResizeDisk --DiskId {} --NewSize 50 --Type online",
        vm.data
    ));
    let far = 40 * (1 << 30) / 4096;
    lab.write(&vm.data, far, "beyond");
    lab.stop(&vm.id);
    let preview = lab.ok(&format!(
        "snaplab disk reset-preview --DiskId {} --SnapshotId {s}",
        vm.data
    ));
    assert_eq!(preview["SizeKept"], true);
    assert!(preview["Warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["Code"] == "Rollback.SizeKept"));
    let r = lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data));
    assert_eq!(r.as_object().unwrap().keys().collect::<Vec<_>>(), vec!["RequestId"]);
    assert_eq!(lab.disk(&vm.data)["Size"], 50);
    assert_eq!(lab.read(&vm.data, 0), "A");
    assert_eq!(
        lab.read(&vm.data, far),
        "",
        "data beyond the snapshot's size is gone too"
    );
}

// SPEC §6: after an economical stop (StopCharging) the console warns before a rollback.
#[test]
fn reset_preview_warns_after_an_economical_stop() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let s = lab.finished_snapshot(&vm.data, "");
    let preview = format!("snaplab disk reset-preview --DiskId {} --SnapshotId {s}", vm.data);
    // Refused as ResetDisk would be.
    lab.refused(&preview, "IncorrectInstanceStatus", 403);
    lab.ok(&format!(
        "aliyun ecs StopInstance --InstanceId {} --StoppedMode StopCharging",
        vm.id
    ));
    lab.idle();
    let before = lab.state();
    let p = lab.ok(&preview);
    assert_eq!(lab.state(), before, "a preview changes nothing");
    let codes: Vec<&str> = p["Warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["Code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["Rollback.Irreversible", "Rollback.StopCharging"]);
    assert_eq!(p["SizeKept"], false);
    // Rolling back is still allowed.
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data));
    lab.start(&vm.id);
    lab.stop(&vm.id);
    let p = lab.ok(&preview);
    assert_eq!(p["Warnings"].as_array().unwrap().len(), 1, "KeepCharging: no warning");
}

// R-RB-6: the documented "sync data after rollback" procedure, end to end.
#[test]
fn sync_data_after_rollback_end_to_end() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    // Time 1: snapshot A.
    lab.write(&vm.data, 0, "config-v1");
    lab.write(&vm.data, 1, "orders-1");
    let a = lab.finished_snapshot(&vm.data, "");
    // Time 2: more data, snapshot B.
    lab.ok("snaplab clock advance --Seconds 3600");
    lab.write(&vm.data, 0, "config-v2-broken");
    lab.write(&vm.data, 2, "orders-2");
    let b = lab.finished_snapshot(&vm.data, "");
    // Roll back to A.
    lab.stop(&vm.id);
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {a}", vm.data));
    lab.start(&vm.id);
    assert_eq!(lab.read(&vm.data, 0), "config-v1");
    assert_eq!(lab.read(&vm.data, 2), "");
    // Create a disk from B, attach it, read the data back, copy it over.
    let tmp = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {b} --DiskCategory cloud_essd --DiskName sync-from-B"
    ));
    lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {tmp}", vm.id));
    assert_eq!(lab.read(&tmp, 2), "orders-2");
    assert_eq!(lab.read(&tmp, 0), "config-v2-broken");
    let copied = lab.read(&tmp, 2);
    lab.write(&vm.data, 2, &copied);
    assert_eq!(lab.read(&vm.data, 0), "config-v1");
    assert_eq!(lab.read(&vm.data, 1), "orders-1");
    assert_eq!(lab.read(&vm.data, 2), "orders-2");
    // Release the temporary disk; B can then go as well.
    lab.ok(&format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {tmp}", vm.id));
    lab.ok(&format!("aliyun ecs DeleteDisk --DiskId {tmp}"));
    lab.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {b}"));
    assert!(!lab.snapshot_exists(HZ, &b));
    assert_eq!(lab.read(&vm.data, 2), "orders-2");
}

// ----- ReInitDisk -----

// R-DSK-2: back to the initial state — the source snapshot, empty, or the image.
#[test]
fn reinit_returns_each_disk_to_its_initial_state() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "original");
    let s = lab.finished_snapshot(&vm.data, "");
    let from_snap = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {s} --DiskCategory cloud_essd"
    ));
    let empty = lab.create_disk("--ZoneId cn-hangzhou-h --Size 20 --DiskCategory cloud_essd");
    for d in [&from_snap, &empty] {
        lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", vm.id));
        lab.write(d, 0, "changed");
        lab.write(d, 9, "more");
    }
    lab.write(&vm.system, 2, "etc");
    let sys_size = lab.disk(&vm.system)["Size"].clone();

    let r = format!("aliyun ecs ReInitDisk --DiskId {from_snap}");
    lab.refused(&r, "IncorrectInstanceStatus", 403);
    lab.stop(&vm.id);
    let _p = lab.start_snapshot(&from_snap, "");
    lab.refused(&r, "DiskCreatingSnapshot", 403);
    lab.idle();
    lab.ok(&r);
    assert_eq!(lab.read(&from_snap, 0), "original");
    assert_eq!(lab.read(&from_snap, 9), "");
    assert_eq!(lab.checksum(&from_snap), lab.snapshot_checksum(&s));

    lab.ok(&format!("aliyun ecs ReInitDisk --DiskId {empty}"));
    assert_eq!(lab.read(&empty, 0), "");
    assert_eq!(lab.read(&empty, 9), "");

    // The system disk returns to its image: an empty volume (image content is not modelled).
    lab.ok(&format!(
        "aliyun ecs ReInitDisk --DiskId {} --AutoStartInstance true",
        vm.system
    ));
    assert_eq!(lab.read(&vm.system, 2), "");
    assert_eq!(lab.disk(&vm.system)["Size"], sys_size);
    lab.idle();
    let i = lab.ok(&format!(
        "aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '[\"{}\"]'",
        vm.id
    ));
    assert_eq!(i["Instances"]["Instance"][0]["Status"], "Running", "AutoStartInstance");

    // A detached disk is not re-initialized.
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {empty}",
        vm.id
    ));
    lab.refused(
        &format!("aliyun ecs ReInitDisk --DiskId {empty}"),
        "IncorrectDiskStatus",
        403,
    );
}

// R-DSK-2, R-DEL-2: once its source snapshot is force-deleted, the disk cannot be re-initialized.
#[test]
fn reinit_fails_after_the_source_snapshot_is_force_deleted() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "original");
    let s = lab.finished_snapshot(&vm.data, "");
    let d = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {s} --DiskCategory cloud_essd"
    ));
    lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", vm.id));
    lab.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s}"),
        "SnapshotCreatedDisk",
        403,
    );
    lab.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s} --Force true"));
    // The disk keeps its data.
    assert_eq!(lab.read(&d, 0), "original");
    lab.stop(&vm.id);
    let r = lab.refused(&format!("aliyun ecs ReInitDisk --DiskId {d}"), "OperationDenied", 403);
    assert_eq!(
        r["Message"],
        "The snapshot which is used to create the specified disk has been deleted."
    );
}

// ----- ReplaceSystemDisk -----

// R-RB-4: after the OS is replaced, earlier snapshots cannot roll back the new system disk.
#[test]
fn replace_system_disk_gives_a_new_disk_that_old_snapshots_cannot_reset() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.system, 0, "old-os");
    let s = lab.finished_snapshot(&vm.system, "");
    let replace = format!(
        "aliyun ecs ReplaceSystemDisk --InstanceId {} --ImageId {OTHER_IMAGE}",
        vm.id
    );
    lab.refused(&replace, "IncorrectInstanceStatus", 403);
    lab.stop(&vm.id);
    lab.refused(
        &format!(
            "aliyun ecs ReplaceSystemDisk --InstanceId {} --ImageId nosuch_image.vhd",
            vm.id
        ),
        "InvalidImageId.NotFound",
        404,
    );
    lab.refused(
        &format!("{replace} --SystemDisk.Size 10"),
        "InvalidSystemDiskSize.LessThanImageSize",
        404,
    );
    lab.refused(
        &format!("{replace} --SystemDisk.Size 5000"),
        "InvalidSystemDiskSize.MoreThanMaxSize",
        404,
    );
    let _p = lab.start_snapshot(&vm.system, "");
    lab.refused(&replace, "DiskCreatingSnapshot", 403);
    lab.idle();
    let r = lab.ok(&format!("{replace} --SystemDisk.Size 60"));
    let new = r["DiskId"].as_str().unwrap().to_string();
    assert_ne!(new, vm.system);
    assert!(!lab.disk_exists(&vm.system), "the old system disk is released");
    assert!(lab.snapshot_exists(HZ, &s), "its manual snapshots remain");
    let d = lab.disk(&new);
    assert_eq!(d["Type"], "system");
    assert_eq!(d["Device"], "/dev/xvda");
    assert_eq!(d["Size"], 60);
    assert_eq!(d["ImageId"], OTHER_IMAGE);
    assert_eq!(d["Status"], "In_use");
    assert_eq!(lab.read(&new, 0), "");
    let i = lab.ok(&format!(
        "aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '[\"{}\"]'",
        vm.id
    ));
    assert_eq!(i["Instances"]["Instance"][0]["ImageId"], OTHER_IMAGE);
    lab.refused(
        &format!("aliyun ecs ResetDisk --DiskId {new} --SnapshotId {s}"),
        "InvalidSnapshot.TooOld",
        403,
    );
    // The old snapshot still restores the old OS onto a new disk.
    let restored = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {s} --DiskCategory cloud_efficiency"
    ));
    assert_eq!(lab.read(&restored, 0), "old-os");
    // The new system disk rolls back with its own snapshots.
    lab.start(&vm.id);
    lab.write(&new, 0, "new-os");
    let s_new = lab.finished_snapshot(&new, "");
    lab.write(&new, 0, "new-os-2");
    lab.stop(&vm.id);
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {new} --SnapshotId {s_new}"));
    assert_eq!(lab.read(&new, 0), "new-os");
}
