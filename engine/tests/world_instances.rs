//! Instance actions and their disks: DeleteInstance releases or keeps its disks (manual
//! snapshots retained), RunInstances with `DataDisk.N.SnapshotId` (R-DSK-1). Every refusal is
//! checked for its code and status and for changing nothing (`World::refused`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ, IMAGE};

// ----- DeleteInstance -----

#[test]
fn delete_instance_releases_or_keeps_its_disks() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "data");
    let s_sys = lab.finished_snapshot(&vm.system, "");
    let s_data = lab.finished_snapshot(&vm.data, "");
    lab.ok(&format!(
        "aliyun ecs ModifyDiskAttribute --DiskId {} --DeleteWithInstance false",
        vm.data
    ));
    let del = format!("aliyun ecs DeleteInstance --InstanceId {}", vm.id);
    lab.refused(&del, "IncorrectInstanceStatus", 403);
    let _p = lab.start_snapshot(&vm.data, "");
    lab.refused(&format!("{del} --Force true"), "DiskCreatingSnapshot", 403);
    lab.idle();
    lab.refused(&format!("{del} --Force true --DryRun true"), "DryRunOperation", 400);
    lab.ok(&format!("{del} --Force true"));
    let i = lab.ok("aliyun ecs DescribeInstances --RegionId cn-hangzhou");
    assert_eq!(i["TotalCount"], 0);
    assert!(!lab.disk_exists(&vm.system), "DeleteWithInstance=true: released");
    let d = lab.disk(&vm.data);
    assert_eq!(d["Status"], "Available");
    assert_eq!(d["Type"], "data");
    assert_eq!(d["InstanceId"], "");
    assert_eq!(lab.read(&vm.data, 0), "data");
    // Manual snapshots are retained.
    assert!(lab.snapshot_exists(HZ, &s_sys) && lab.snapshot_exists(HZ, &s_data));
    lab.refused(&del, "InvalidInstanceId.NotFound", 404);
    // The kept disk serves another instance.
    let other = lab.vm_in("cn-hangzhou-h");
    lab.ok(&format!(
        "aliyun ecs AttachDisk --InstanceId {} --DiskId {}",
        other.id, vm.data
    ));
    assert_eq!(lab.read(&vm.data, 0), "data");
}

// ----- RunInstances with DataDisk.N.SnapshotId -----

// R-DSK-1 through RunInstances: the data disk has the snapshot's size and content.
#[test]
fn run_instances_with_a_data_disk_from_a_snapshot() {
    let mut lab = World::seeded(7, 4096);
    let vm = lab.vm_in("cn-hangzhou-h");
    lab.write(&vm.data, 0, "seed-data");
    lab.ok(&format!(
        "aliyun ecs ResizeDisk --DiskId {} --NewSize 24 --Type online",
        vm.data
    ));
    let s = lab.finished_snapshot(&vm.data, "");
    let progressing = {
        lab.write(&vm.data, 1, "x");
        lab.start_snapshot(&vm.data, "")
    };
    let run = format!(
        "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId {IMAGE} --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd"
    );
    lab.refused(
        &format!("{run} --DataDisk.1.SnapshotId {progressing}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    lab.refused(
        &format!("{run} --DataDisk.1.SnapshotId s-bp1nosuchsnapshot000"),
        "InvalidDataDiskSnapshotId.NotFound",
        404,
    );
    let r = lab.ok(&format!("{run} --DataDisk.1.SnapshotId {s} --DataDisk.1.Size 100"));
    let id = r["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    lab.idle();
    let data = lab.disk_of(&id, "data");
    let d = lab.disk(&data);
    assert_eq!(d["Size"], 24, "the snapshot's size; Size is ignored");
    assert_eq!(d["SourceSnapshotId"], s.as_str());
    assert_eq!(d["Status"], "In_use");
    assert_eq!(lab.checksum(&data), lab.snapshot_checksum(&s));
    assert_eq!(lab.read(&data, 0), "seed-data");
    // It is a disk of its own: writes do not touch the source.
    lab.write(&data, 0, "mine");
    assert_eq!(lab.read(&vm.data, 0), "seed-data");
}
