//! Disk actions, rollback, re-initialization, system-disk replacement and instance release,
//! driven through command lines as the console and scripts drive them (SPEC §6, §7).
//!
//! Every refusal is checked for its code and HTTP status and for changing nothing: the whole
//! serialized world (minus the request-id counter) is compared before and after.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use snaplab_engine::blocks::{BlockSource, ContentHash};
use snaplab_engine::cli::parse_line;
use snaplab_engine::session::{block_on, Session};
use snaplab_engine::store::memory::MemoryStore;
use snaplab_engine::world::World;

const IMAGE: &str = "centos_7_9_x64_20G_alibase_20230815.vhd";
const OTHER_IMAGE: &str = "ubuntu_22_04_x64_20G_alibase_20230815.vhd";

struct Lab {
    s: Session<MemoryStore>,
}

/// An instance and its disks.
struct Vm {
    id: String,
    system: String,
    data: String,
}

impl Lab {
    /// A world with 4 KiB blocks and the snapshot service activated.
    fn new() -> Lab {
        let s = block_on(Session::open(MemoryStore::new())).expect("open");
        let mut lab = Lab { s };
        lab.ok("snaplab world reset --Seed 7 --BlockSize 4096");
        lab.ok("snaplab service activate");
        lab
    }

    fn run(&mut self, line: &str) -> (Value, bool) {
        let r = block_on(self.s.exec_line(line)).expect("a command line");
        (r.body, r.is_error)
    }

    fn ok(&mut self, line: &str) -> Value {
        let (body, is_error) = self.run(line);
        assert!(!is_error, "{line}\n→ {body}");
        body
    }

    /// The world as committed, without the request-id counter.
    fn state(&self) -> Value {
        let mut v = serde_json::to_value(self.s.world()).expect("serialize");
        if let Value::Object(m) = &mut v {
            m.remove("ids");
        }
        v
    }

    /// A refusal with this code and status that changes nothing.
    fn refused(&mut self, line: &str, code: &str, status: u64) -> Value {
        let before = self.state();
        let (body, is_error) = self.run(line);
        assert!(is_error, "{line} should be refused\n→ {body}");
        assert_eq!(body["Code"], code, "{line}\n→ {body}");
        assert_eq!(body["HttpStatus"], status, "{line}\n→ {body}");
        assert_eq!(self.state(), before, "{line} changed the world");
        body
    }

    fn idle(&mut self) {
        self.ok("snaplab clock run-until-idle");
    }

    /// A running instance with a 20 GiB ESSD data disk (in `zone`).
    fn vm_in(&mut self, zone: &str) -> Vm {
        let r = self.ok(&format!(
            "aliyun ecs RunInstances --RegionId cn-hangzhou --ZoneId {zone} --ImageId {IMAGE} --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20"
        ));
        let id = r["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
        self.idle();
        let system = self.disk_of(&id, "system");
        let data = self.disk_of(&id, "data");
        Vm { id, system, data }
    }

    fn vm(&mut self) -> Vm {
        self.vm_in("cn-hangzhou-h")
    }

    fn disk_of(&mut self, instance: &str, kind: &str) -> String {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {instance} --DiskType {kind}"
        ));
        r["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string()
    }

    fn disk(&mut self, id: &str) -> Value {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskIds '[\"{id}\"]'"
        ));
        r["Disks"]["Disk"][0].clone()
    }

    fn disk_exists(&mut self, id: &str) -> bool {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskIds '[\"{id}\"]'"
        ));
        r["TotalCount"] == 1
    }

    fn snapshot_exists(&mut self, id: &str) -> bool {
        let r = self.ok(&format!(
            "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotIds '[\"{id}\"]'"
        ));
        r["TotalCount"] == 1
    }

    fn write(&mut self, disk: &str, block: u64, text: &str) {
        self.ok(&format!(
            "snaplab guest write --DiskId {disk} --Block {block} --Text {text}"
        ));
    }

    fn read(&mut self, disk: &str, block: u64) -> String {
        let r = self.ok(&format!("snaplab guest read --DiskId {disk} --Block {block}"));
        r["Text"]
            .as_str()
            .unwrap_or_else(|| panic!("not text: {r}"))
            .to_string()
    }

    fn checksum(&mut self, disk: &str) -> Value {
        self.ok(&format!("snaplab guest checksum --DiskId {disk}"))["Checksum"].clone()
    }

    fn snapshot_checksum(&mut self, snap: &str) -> Value {
        self.ok(&format!("snaplab snapshot checksum --SnapshotId {snap}"))["Checksum"].clone()
    }

    /// Starts a snapshot of `disk` (left progressing).
    fn start_snapshot(&mut self, disk: &str) -> String {
        let r = self.ok(&format!("aliyun ecs CreateSnapshot --DiskId {disk}"));
        r["SnapshotId"].as_str().unwrap().to_string()
    }

    /// A finished snapshot of `disk`.
    fn snapshot(&mut self, disk: &str) -> String {
        let id = self.start_snapshot(disk);
        self.idle();
        id
    }

    fn stop(&mut self, vm: &str) {
        self.ok(&format!("aliyun ecs StopInstance --InstanceId {vm}"));
        self.idle();
    }

    fn start(&mut self, vm: &str) {
        self.ok(&format!("aliyun ecs StartInstance --InstanceId {vm}"));
        self.idle();
    }

    fn create_disk(&mut self, args: &str) -> String {
        let r = self.ok(&format!("aliyun ecs CreateDisk --RegionId cn-hangzhou {args}"));
        r["DiskId"].as_str().unwrap().to_string()
    }
}

// ----- CreateDisk -----

// R-DSK-1: any zone of the snapshot's region, size ≥ the source's, the snapshot's content.
#[test]
fn create_disk_from_a_snapshot_has_its_content() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "A");
    lab.write(&vm.data, 7, "B");
    let s = lab.snapshot(&vm.data);
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
    let mut lab = Lab::new();
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
    lab.snapshot(&d);
}

// R-CRT-1: a new disk has never been attached, so it cannot be snapshotted until it is.
#[test]
fn a_new_disk_cannot_be_snapshotted_until_attached() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    let d = lab.create_disk("--ZoneId cn-hangzhou-h --Size 20 --DiskCategory cloud_essd");
    lab.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {d}"),
        "IncorrectDiskStatus.NeverAttached",
        403,
    );
    lab.ok(&format!("aliyun ecs AttachDisk --InstanceId {} --DiskId {d}", vm.id));
    lab.ok(&format!("aliyun ecs DetachDisk --InstanceId {} --DiskId {d}", vm.id));
    assert_eq!(lab.disk(&d)["Status"], "Available");
    lab.snapshot(&d);
}

#[test]
fn create_disk_refusals_change_nothing() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    let progressing = lab.start_snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    let other = lab.vm();
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "A");
    let s1 = lab.snapshot(&vm.data);
    lab.write(&vm.data, 1, "B");
    let s2 = lab.snapshot(&vm.data);
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
    let _progressing = lab.start_snapshot(&vm.data);
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
    assert!(lab.snapshot_exists(&s1) && lab.snapshot_exists(&s2));
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

fn exec(w: &mut World, line: &str) -> Value {
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
        let mut w = World::new(7, 4096).expect("world");
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
    let mut lab = Lab::new();
    let vm = lab.vm();
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
    let _s = lab.start_snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
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

// ----- ReInitDisk -----

// R-DSK-2: back to the initial state — the source snapshot, empty, or the image.
#[test]
fn reinit_returns_each_disk_to_its_initial_state() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "original");
    let s = lab.snapshot(&vm.data);
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
    let _p = lab.start_snapshot(&from_snap);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "original");
    let s = lab.snapshot(&vm.data);
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

// ----- ResetDisk -----

// R-RB-3: the whole disk returns to the snapshot; the instance's other disks are untouched.
// R-RB-2: what was written after the snapshot is gone.
#[test]
fn reset_restores_the_whole_disk_and_nothing_else() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "A1");
    lab.write(&vm.data, 4, "keep");
    let s = lab.snapshot(&vm.data);
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
    let s2 = lab.snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "A");
    let s = lab.snapshot(&vm.data);
    let reset = format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s}", vm.data);
    lab.refused(&reset, "IncorrectInstanceStatus", 403);
    lab.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    lab.refused(&reset, "IncorrectInstanceStatus", 403); // Stopping
    lab.idle();
    let progressing = lab.start_snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    let s_system = lab.snapshot(&vm.system);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "A");
    let s = lab.snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    let s = lab.snapshot(&vm.data);
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    // Time 1: snapshot A.
    lab.write(&vm.data, 0, "config-v1");
    lab.write(&vm.data, 1, "orders-1");
    let a = lab.snapshot(&vm.data);
    // Time 2: more data, snapshot B.
    lab.ok("snaplab clock advance --Seconds 3600");
    lab.write(&vm.data, 0, "config-v2-broken");
    lab.write(&vm.data, 2, "orders-2");
    let b = lab.snapshot(&vm.data);
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
    assert!(!lab.snapshot_exists(&b));
    assert_eq!(lab.read(&vm.data, 2), "orders-2");
}

// ----- ReplaceSystemDisk -----

// R-RB-4: after the OS is replaced, earlier snapshots cannot roll back the new system disk.
#[test]
fn replace_system_disk_gives_a_new_disk_that_old_snapshots_cannot_reset() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.system, 0, "old-os");
    let s = lab.snapshot(&vm.system);
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
    let _p = lab.start_snapshot(&vm.system);
    lab.refused(&replace, "DiskCreatingSnapshot", 403);
    lab.idle();
    let r = lab.ok(&format!("{replace} --SystemDisk.Size 60"));
    let new = r["DiskId"].as_str().unwrap().to_string();
    assert_ne!(new, vm.system);
    assert!(!lab.disk_exists(&vm.system), "the old system disk is released");
    assert!(lab.snapshot_exists(&s), "its manual snapshots remain");
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
    let s_new = lab.snapshot(&new);
    lab.write(&new, 0, "new-os-2");
    lab.stop(&vm.id);
    lab.ok(&format!("aliyun ecs ResetDisk --DiskId {new} --SnapshotId {s_new}"));
    assert_eq!(lab.read(&new, 0), "new-os");
}

// ----- DeleteInstance -----

#[test]
fn delete_instance_releases_or_keeps_its_disks() {
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "data");
    let s_sys = lab.snapshot(&vm.system);
    let s_data = lab.snapshot(&vm.data);
    lab.ok(&format!(
        "aliyun ecs ModifyDiskAttribute --DiskId {} --DeleteWithInstance false",
        vm.data
    ));
    let del = format!("aliyun ecs DeleteInstance --InstanceId {}", vm.id);
    lab.refused(&del, "IncorrectInstanceStatus", 403);
    let _p = lab.start_snapshot(&vm.data);
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
    assert!(lab.snapshot_exists(&s_sys) && lab.snapshot_exists(&s_data));
    lab.refused(&del, "InvalidInstanceId.NotFound", 404);
    // The kept disk serves another instance.
    let other = lab.vm();
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
    let mut lab = Lab::new();
    let vm = lab.vm();
    lab.write(&vm.data, 0, "seed-data");
    lab.ok(&format!(
        "aliyun ecs ResizeDisk --DiskId {} --NewSize 24 --Type online",
        vm.data
    ));
    let s = lab.snapshot(&vm.data);
    let progressing = {
        lab.write(&vm.data, 1, "x");
        lab.start_snapshot(&vm.data)
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
