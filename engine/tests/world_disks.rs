//! Disk actions through command lines as the console and scripts drive them (SPEC §7):
//! CreateDisk, AttachDisk / DetachDisk, DeleteDisk (R-DSK-3), ResizeDisk, ModifyDiskAttribute.
//!
//! Every refusal is checked for its code and HTTP status and for changing nothing: the whole
//! world (minus the request-id counter) and the stored block bytes are compared before and
//! after (`World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ, IMAGE};
use serde_json::Value;
use snaplab_engine::blocks::{BlockSource, ContentHash};
use snaplab_engine::cli::parse_line;
use snaplab_engine::world::World as EngineWorld;

// ----- CreateDisk -----

// R-DSK-1: any zone of the snapshot's region, size ≥ the source's, the snapshot's content.
#[test]
fn create_disk_from_a_snapshot_has_its_content() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "A");
    lab.write(&vm.data, 7, "B");
    let s = lab.finished_snapshot(&vm.data, "");
    lab.write(&vm.data, 0, "A2");

    // Same size, another zone: byte-identical to the snapshot.
    let same = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-i --SnapshotId {s} --DiskCategory cloud_essd"
    ));
    assert_eq!(lab.checksum(&same), lab.snapshot_checksum(&s));
    let d = lab.disk(&same);
    assert_eq!(d["Status"], "Available");
    assert_eq!(d["ZoneId"], "cn-hangzhou-i");
    assert_eq!(d["Size"], 20);
    assert_eq!(d["SourceSnapshotId"], s.as_str());
    assert_eq!(d["Type"], "data");
    assert_eq!(d["InstanceId"], "");

    // Larger: the snapshot's blocks, then empty space.
    let big = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-j --SnapshotId {s} --Size 40 --DiskCategory cloud_efficiency --DiskName restored"
    ));
    assert_eq!(lab.read(&big, 0), "A");
    assert_eq!(lab.read(&big, 7), "B");
    assert_eq!(lab.read(&big, 1), "");
    let d = lab.disk(&big);
    assert_eq!(d["Size"], 40);
    assert_eq!(d["DiskName"], "restored");
    assert_eq!(d["Category"], "cloud_efficiency");

    // An empty disk.
    let empty = lab.create_disk("--ZoneId cn-hangzhou-h --Size 5");
    let d = lab.disk(&empty);
    assert_eq!(d["Category"], "cloud", "the default category");
    assert_eq!(d["SourceSnapshotId"], "");
    assert_eq!(lab.read(&empty, 0), "");

    // DescribeDisks' SnapshotId filter finds the disks made from the snapshot.
    let r = lab.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --SnapshotId {s}"
    ));
    assert_eq!(r["TotalCount"], 2);
}

// CreateDisk with `InstanceId`: the disk is created in the instance's zone and attached.
#[test]
fn create_disk_for_an_instance_attaches_it() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-i");
    lab.refused(
        &format!(
            "aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId cn-hangzhou-i --InstanceId {} --Size 20",
            vm.id
        ),
        "InvalidParameter",
        400,
    );
    let d = lab.create_disk(&format!("--InstanceId {} --Size 20 --DiskCategory cloud_essd", vm.id));
    let info = lab.disk(&d);
    assert_eq!(info["Status"], "In_use");
    assert_eq!(info["ZoneId"], "cn-hangzhou-i");
    assert_eq!(info["InstanceId"], vm.id.as_str());
    assert_eq!(info["Device"], "/dev/xvdc");
    // Attached once: it can be snapshotted (R-CRT-1).
    lab.finished_snapshot(&d, "");
}

// R-CRT-1: a new disk has never been attached, so it cannot be snapshotted until it is.
#[test]
fn a_new_disk_cannot_be_snapshotted_until_attached() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let d = lab.create_disk("--ZoneId cn-hangzhou-h --Size 20 --DiskCategory cloud_essd");
    lab.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {d}"),
        "IncorrectDiskStatus.NeverAttached",
        403,
    );
    lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", vm.id));
    lab.ok(&format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {d}", vm.id));
    assert_eq!(lab.disk(&d)["Status"], "Available");
    lab.finished_snapshot(&d, "");
}

#[test]
fn create_disk_refusals_change_nothing() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let progressing = lab.start_snapshot(&vm.data, "");
    let base = "aliyun ecs CreateDisk --RegionId cn-hangzhou";
    let r = lab.refused(&format!("{base} --ZoneId cn-hangzhou-h"), "MissingParameter", 400);
    assert_eq!(
        r["Message"],
        "The input parameter either \"SnapshotId\" or \"Size\" should be specified."
    );
    lab.refused(&format!("{base} --Size 20"), "MissingParameter", 400);
    lab.refused(
        &format!("{base} --ZoneId cn-shanghai-a --Size 20"),
        "InvalidZoneId.NotFound",
        404,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --Size 20 --DiskCategory ephemeral"),
        "InvalidDiskCategory.ValueNotSupported",
        400,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --Size 3"),
        "InvalidDiskSize.NotSupported",
        400,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --Size 70000 --DiskCategory cloud_essd"),
        "InvalidDiskSize.NotSupported",
        400,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --Size 20 --DiskName 1bad"),
        "InvalidDiskName.Malformed",
        400,
    );
    // R-DSK-1
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --SnapshotId {progressing}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --SnapshotId s-bp1nosuchsnapshot000"),
        "InvalidSnapshotId.NotFound",
        404,
    );
    lab.idle();
    let r = lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --SnapshotId {progressing} --Size 10"),
        "InvalidDiskSize.TooSmall",
        403,
    );
    assert_eq!(r["Message"], "Specified disk size is less than the size of snapshot.");
    // A snapshot of Hangzhou is not in Shanghai.
    lab.refused(
        &format!("aliyun ecs CreateDisk --RegionId cn-shanghai --ZoneId cn-shanghai-e --SnapshotId {progressing}"),
        "InvalidSnapshotId.NotFound",
        404,
    );
    lab.refused(
        &format!("{base} --ZoneId cn-hangzhou-h --Size 20 --DryRun true"),
        "DryRunOperation",
        400,
    );
}

// ----- AttachDisk / DetachDisk -----

#[test]
fn attach_and_detach_follow_the_status_rules() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let far = lab.vm_in("cn-hangzhou-i");
    let d = lab.create_disk("--ZoneId cn-hangzhou-h --Size 20 --DiskCategory cloud_essd");
    lab.refused(
        &format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", far.id),
        "ResourcesNotInSameZone",
        403,
    );
    lab.refused(
        &format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {d}", vm.id),
        "IncorrectDiskStatus",
        403,
    );
    lab.refused(
        &format!(
            "aliyun ecs AttachDisk --InstanceId {} --DiskId {d} --Bootable true",
            vm.id
        ),
        "InvalidParameter",
        400,
    );
    lab.refused(
        &format!("aliyun ecs AttachDisk --InstanceId i-bp1nosuchinstance000 --DiskId {d}"),
        "InvalidInstanceId.NotFound",
        404,
    );
    lab.ok(&format!(
        "aliyun ecs AttachDisk --InstanceId {} --DiskId {d} --DeleteWithInstance true",
        vm.id
    ));
    let info = lab.disk(&d);
    assert_eq!(info["Status"], "In_use");
    assert_eq!(info["InstanceId"], vm.id.as_str());
    assert_eq!(info["Device"], "/dev/xvdc");
    assert_eq!(info["DeleteWithInstance"], true);
    lab.refused(
        &format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", vm.id),
        "InvalidDisk.InUse",
        404,
    );
    // The guest sees it.
    lab.write(&d, 0, "hello");
    assert_eq!(lab.read(&d, 0), "hello");
    // The system disk stays while the instance runs.
    lab.refused(
        &format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {}", vm.id, vm.system),
        "IncorrectInstanceStatus",
        403,
    );
    lab.ok(&format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {d}", vm.id));
    let info = lab.disk(&d);
    assert_eq!(info["Status"], "Available");
    assert_eq!(info["InstanceId"], "");
    assert_ne!(info["DetachedTime"], "");
    // Data stays on the detached disk.
    assert_eq!(lab.read(&d, 0), "hello");
    // A pending instance takes no disk.
    let r = lab.ok(&format!(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ZoneId cn-hangzhou-h --ImageId {IMAGE} --InstanceType ecs.g7.large"
    ));
    let pending = r["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    lab.refused(
        &format!("aliyun ecs AttachDisk --InstanceId {pending} --DiskId {d}"),
        "IncorrectInstanceStatus",
        400,
    );
}

#[test]
fn a_detached_system_disk_goes_back_to_its_own_instance_only() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let other = lab.vm_in("cn-hangzhou-h");
    lab.stop(&vm.id);
    lab.stop(&other.id);
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {}",
        vm.id, vm.system
    ));
    assert_eq!(lab.disk(&vm.system)["Status"], "Available");
    lab.refused(
        &format!(
            "aliyun ecs AttachDisk --InstanceId {} --DiskId {} --Bootable true",
            other.id, vm.system
        ),
        "InvalidParameter",
        400,
    );
    // The other instance still has its system disk: /dev/xvda is taken.
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {}",
        other.id, other.system
    ));
    lab.refused(
        &format!(
            "aliyun ecs AttachDisk --InstanceId {} --DiskId {} --Bootable true",
            other.id, vm.system
        ),
        "InvalidParameter",
        400,
    );
    lab.ok(&format!(
        "aliyun ecs AttachDisk --InstanceId {} --DiskId {} --Bootable true",
        vm.id, vm.system
    ));
    let d = lab.disk(&vm.system);
    assert_eq!(d["Device"], "/dev/xvda");
    assert_eq!(d["Status"], "In_use");
    // A second system disk does not fit.
    lab.ok(&format!(
        "aliyun ecs AttachDisk --InstanceId {} --DiskId {} --Bootable true",
        other.id, other.system
    ));
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {}",
        vm.id, vm.data
    ));
    lab.start(&vm.id);
    assert_eq!(
        lab.ok(&format!(
            "aliyun ecs DescribeInstances --RegionId cn-hangzhou --InstanceIds '[\"{}\"]'",
            vm.id
        ))["Instances"]["Instance"][0]["Status"],
        "Running"
    );
}

// ----- DeleteDisk -----

// R-DSK-3: releasing a disk keeps its manual snapshots and their chain.
#[test]
fn deleting_a_disk_keeps_its_manual_snapshots() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "A");
    let s1 = lab.finished_snapshot(&vm.data, "");
    lab.write(&vm.data, 1, "B");
    let s2 = lab.finished_snapshot(&vm.data, "");
    let c1 = lab.snapshot_checksum(&s1);
    let c2 = lab.snapshot_checksum(&s2);
    lab.refused(
        &format!("aliyun ecs DeleteDisk --DiskId {}", vm.data),
        "DiskStillAttached",
        403,
    );
    lab.ok(&format!(
        "aliyun ecs DetachDisk --InstanceId {} --DiskId {}",
        vm.id, vm.data
    ));
    let _progressing = lab.start_snapshot(&vm.data, "");
    lab.refused(
        &format!("aliyun ecs DeleteDisk --DiskId {}", vm.data),
        "DiskCreatingSnapshot",
        403,
    );
    lab.idle();
    lab.refused(
        &format!("aliyun ecs DeleteDisk --DiskId {} --DryRun true", vm.data),
        "DryRunOperation",
        400,
    );
    lab.ok(&format!("aliyun ecs DeleteDisk --DiskId {}", vm.data));
    assert!(!lab.disk_exists(&vm.data));
    assert!(lab.snapshot_exists(HZ, &s1) && lab.snapshot_exists(HZ, &s2));
    assert_eq!(lab.snapshot_checksum(&s1), c1);
    assert_eq!(lab.snapshot_checksum(&s2), c2);
    let links = lab.ok(&format!(
        "aliyun ecs DescribeSnapshotLinks --RegionId cn-hangzhou --DiskIds '[\"{}\"]'",
        vm.data
    ));
    assert_eq!(links["SnapshotLinks"]["SnapshotLink"][0]["TotalCount"], 3);
    // The chain still restores.
    let restored = lab.create_disk(&format!(
        "--ZoneId cn-hangzhou-h --SnapshotId {s2} --DiskCategory cloud_essd"
    ));
    assert_eq!(lab.read(&restored, 0), "A");
    assert_eq!(lab.read(&restored, 1), "B");
    lab.refused(
        &format!("aliyun ecs DeleteDisk --DiskId {}", vm.data),
        "InvalidDiskId.NotFound",
        404,
    );
}

/// A `BlockSource` with no stored bytes (the test below never reads data blocks).
struct NoBytes;

impl BlockSource for NoBytes {
    fn get(&self, _hash: &ContentHash) -> Option<&[u8]> {
        None
    }
}

/// A line run on an engine `World` directly (no session): the test below edits the world.
fn exec(w: &mut EngineWorld, line: &str) -> Value {
    let cmd = parse_line(line).expect("parse").expect("a command");
    match w.exec(&cmd, &NoBytes) {
        Ok(a) => a.reply,
        Err(f) => panic!("{line}: {}", f.to_json("-")),
    }
}

// R-DSK-3: automatic snapshots go with the disk when `DeleteAutoSnapshot` is set, and stay
// (for their policy's retention) when it is not. No policy creates them yet, so this test
// marks manual snapshots as automatic.
#[test]
fn automatic_snapshots_follow_delete_auto_snapshot() {
    for delete_auto in [true, false] {
        let mut w = EngineWorld::new(7, 4096).expect("world");
        exec(&mut w, "snaplab service activate");
        let r = exec(
            &mut w,
            &format!("aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId {IMAGE} --InstanceType ecs.g7.large --DataDisk.1.Size 20"),
        );
        let vm = r["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
        exec(&mut w, "snaplab clock run-until-idle");
        let disk = w
            .disks
            .values()
            .find(|d| d.disk_type == "data")
            .map(|d| d.id.clone())
            .unwrap();
        exec(
            &mut w,
            &format!("snaplab guest fill --DiskId {disk} --FromBlock 0 --Blocks 8"),
        );
        let manual = exec(&mut w, &format!("aliyun ecs CreateSnapshot --DiskId {disk}"))["SnapshotId"]
            .as_str()
            .unwrap()
            .to_string();
        exec(&mut w, "snaplab clock run-until-idle");
        exec(
            &mut w,
            &format!("snaplab guest fill --DiskId {disk} --FromBlock 4 --Blocks 8 --Seed 2"),
        );
        let auto = exec(&mut w, &format!("aliyun ecs CreateSnapshot --DiskId {disk}"))["SnapshotId"]
            .as_str()
            .unwrap()
            .to_string();
        exec(&mut w, "snaplab clock run-until-idle");
        w.snapshots.get_mut(&auto).unwrap().snapshot_type = "auto".to_string();
        exec(
            &mut w,
            &format!("aliyun ecs ModifyDiskAttribute --DiskId {disk} --DeleteAutoSnapshot {delete_auto}"),
        );
        exec(
            &mut w,
            &format!("aliyun ecs DetachDisk --InstanceId {vm} --DiskId {disk}"),
        );
        exec(&mut w, &format!("aliyun ecs DeleteDisk --DiskId {disk}"));
        assert!(w.snapshots.contains_key(&manual), "manual snapshots remain");
        assert_eq!(
            w.snapshots.contains_key(&auto),
            !delete_auto,
            "DeleteAutoSnapshot={delete_auto}"
        );
    }
}

// ----- ResizeDisk -----

#[test]
fn resize_grows_only_within_the_category() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let d = format!("aliyun ecs ResizeDisk --DiskId {}", vm.data);
    lab.refused(&format!("{d} --NewSize 10"), "InvalidDiskSize.TooSmall", 403);
    lab.refused(&format!("{d} --NewSize 20"), "InvalidDiskSize", 403);
    lab.refused(&format!("{d} --NewSize 70000"), "InvalidDiskSize.TooLarge", 403);
    lab.refused(&format!("{d} --NewSize 30 --Type sideways"), "InvalidParam.Type", 400);
    lab.refused(&d, "MissingParameter", 400);
    lab.refused(
        &format!("aliyun ecs ResizeDisk --DiskId {} --NewSize 4000", vm.system),
        "InvalidDiskSize.TooLarge",
        403,
    );
    let _s = lab.start_snapshot(&vm.data, "");
    lab.refused(&format!("{d} --NewSize 30"), "DiskCreatingSnapshot", 403);
    lab.idle();
    lab.write(&vm.data, 3, "kept");
    lab.ok(&format!("{d} --NewSize 30 --Type online"));
    assert_eq!(lab.disk(&vm.data)["Size"], 30);
    assert_eq!(lab.read(&vm.data, 3), "kept");
    // The new space is usable.
    let last = 30 * (1 << 30) / 4096 - 1;
    lab.write(&vm.data, last, "end");
    assert_eq!(lab.read(&vm.data, last), "end");
    lab.stop(&vm.id);
    lab.refused(
        &format!("{d} --NewSize 40 --Type online"),
        "IncorrectInstanceStatus",
        403,
    );
    lab.ok(&format!("{d} --NewSize 40"));
}

// ----- ModifyDiskAttribute -----

#[test]
fn modify_disk_attribute_one_or_many() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    let m = "aliyun ecs ModifyDiskAttribute";
    lab.refused(&format!("{m} --DiskId {}", vm.data), "NoAttributeToModify", 400);
    lab.refused(
        &format!("{m} --DiskId {} --DiskName 9lives", vm.data),
        "InvalidDiskName.Malformed",
        400,
    );
    lab.refused(
        &format!("{m} --DiskId {} --Description http://x", vm.data),
        "InvalidDescription.Malformed",
        404,
    );
    lab.refused(
        &format!("{m} --DiskId {} --DiskIds.1 {} --DiskName ok-name", vm.data, vm.system),
        "InvalidParameter",
        400,
    );
    lab.refused(
        &format!("{m} --DiskIds.1 {} --DiskName ok-name", vm.data),
        "MissingParameter",
        400,
    );
    lab.refused(
        &format!(
            "{m} --RegionId cn-hangzhou --DiskIds.1 {} --DiskIds.2 d-bp1nosuchdisk0000000 --DiskName ok-name",
            vm.data
        ),
        "InvalidDiskId.NotFound",
        404,
    );
    lab.ok(&format!(
        "{m} --DiskId {} --DiskName data-1 --Description 'the data' --DeleteWithInstance false --DeleteAutoSnapshot true",
        vm.data
    ));
    let d = lab.disk(&vm.data);
    assert_eq!(d["DiskName"], "data-1");
    assert_eq!(d["Description"], "the data");
    assert_eq!(d["DeleteWithInstance"], false);
    assert_eq!(d["DeleteAutoSnapshot"], true);
    lab.ok(&format!(
        "{m} --RegionId cn-hangzhou --DiskIds.1 {} --DiskIds.2 {} --DeleteAutoSnapshot false",
        vm.data, vm.system
    ));
    assert_eq!(lab.disk(&vm.data)["DeleteAutoSnapshot"], false);
    assert_eq!(lab.disk(&vm.system)["DeleteAutoSnapshot"], false);
    assert_eq!(lab.disk(&vm.data)["DiskName"], "data-1", "omitted attributes are kept");
}
