//! CopySnapshot, ModifySnapshotAttribute, retention on the clock, images, tags, capacity
//! history and the billing estimate, through a [`Session`] on the in-memory store (native).
//!
//! Every refusal is checked for its `Code` and `HttpStatus` and for changing nothing (the
//! world's state, apart from the request-ID counter, and the stored block bytes).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::{json, Value};
use snaplab_engine::session::{block_on, Session};
use snaplab_engine::store::memory::MemoryStore;
use snaplab_engine::store::{Store, Table};

const HZ: &str = "cn-hangzhou";
const SH: &str = "cn-shanghai";
const GIB: u64 = 1 << 30;

struct T {
    s: Session<MemoryStore>,
}

/// An instance with its system and data disk.
struct Vm {
    id: String,
    system: String,
    data: String,
}

impl T {
    fn new(block_size: u32) -> T {
        let mut t = T {
            s: block_on(Session::open(MemoryStore::new())).expect("open"),
        };
        t.ok(&format!("snaplab world reset --Seed 7 --BlockSize {block_size}"));
        t.ok("snaplab service activate");
        t
    }

    fn run(&mut self, line: &str) -> snaplab_engine::session::LineReply {
        block_on(self.s.exec_line(line)).expect("a command line")
    }

    fn ok(&mut self, line: &str) -> Value {
        let r = self.run(line);
        assert!(!r.is_error, "{line}\n→ {}", r.body);
        r.body
    }

    /// The world's state without its request-ID counter, and the stored block keys.
    fn state(&self) -> (Value, Vec<String>) {
        let mut v = serde_json::to_value(self.s.world()).expect("world json");
        if let Some(m) = v.as_object_mut() {
            m.remove("ids");
        }
        (v, self.stored())
    }

    fn stored(&self) -> Vec<String> {
        block_on(self.s.store().keys(Table::Blocks)).expect("keys")
    }

    /// Runs a line that must be refused with `code` / `status` and change nothing.
    fn refused(&mut self, line: &str, code: &str, status: u64) -> Value {
        let before = self.state();
        let r = self.run(line);
        assert!(r.is_error, "{line} should be refused, got {}", r.body);
        assert_eq!(r.body["Code"], code, "{line}: {}", r.body);
        assert_eq!(r.body["HttpStatus"], status, "{line}: {}", r.body);
        assert!(self.state() == before, "{line} changed the world");
        r.body
    }

    fn vm(&mut self, region: &str, extra: &str) -> Vm {
        let r = self.ok(&format!(
            "aliyun ecs RunInstances --RegionId {region} --ImageId centos_7_9_x64_20G_alibase_20230815.vhd \
             --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 {extra}"
        ));
        let id = r["InstanceIdSets"]["InstanceIdSet"][0]
            .as_str()
            .expect("id")
            .to_string();
        self.ok("snaplab clock run-until-idle");
        let disks = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId {region} --InstanceId {id}"
        ));
        let of = |t: &str| {
            disks["Disks"]["Disk"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|d| d["Type"] == t && d["Encrypted"] == false)
                .and_then(|d| d["DiskId"].as_str())
                .expect("disk")
                .to_string()
        };
        Vm {
            system: of("system"),
            data: of("data"),
            id,
        }
    }

    fn write(&mut self, disk: &str, block: u64, text: &str) {
        self.ok(&format!(
            "snaplab guest write --DiskId {disk} --Block {block} --Text {text}"
        ));
    }

    /// CreateSnapshot, left in progress.
    fn start_snapshot(&mut self, disk: &str, extra: &str) -> String {
        let r = self.ok(&format!("aliyun ecs CreateSnapshot --DiskId {disk} {extra}"));
        r["SnapshotId"].as_str().expect("SnapshotId").to_string()
    }

    /// CreateSnapshot, then the clock runs until it is done.
    fn snapshot(&mut self, disk: &str, extra: &str) -> String {
        let id = self.start_snapshot(disk, extra);
        self.ok("snaplab clock run-until-idle");
        id
    }

    fn copy(&mut self, snap: &str, extra: &str) -> String {
        let r = self.ok(&format!(
            "aliyun ecs CopySnapshot --RegionId {HZ} --SnapshotId {snap} --DestinationRegionId {SH} {extra}"
        ));
        r["SnapshotId"].as_str().expect("SnapshotId").to_string()
    }

    fn describe_snapshot(&mut self, region: &str, id: &str) -> Value {
        let r = self.ok(&format!(
            "aliyun ecs DescribeSnapshots --RegionId {region} --SnapshotIds '[\"{id}\"]'"
        ));
        r["Snapshots"]["Snapshot"][0].clone()
    }

    fn exists(&mut self, region: &str, id: &str) -> bool {
        !self.describe_snapshot(region, id).is_null()
    }

    fn checksum(&mut self, snap: &str) -> Value {
        self.ok(&format!("snaplab snapshot checksum --SnapshotId {snap}"))["Checksum"].clone()
    }

    fn transferred(&mut self, copy: &str) -> u64 {
        self.ok(&format!("snaplab snapshot copy-info --SnapshotId {copy}"))["TransferredBlocks"]
            .as_u64()
            .expect("TransferredBlocks")
    }

    fn region_size(&mut self, region: &str) -> u64 {
        self.ok(&format!("aliyun ecs DescribeSnapshotsUsage --RegionId {region}"))["SnapshotSize"]
            .as_u64()
            .expect("SnapshotSize")
    }
}

/// A Hangzhou instance whose data disk holds A, B, C, D in blocks 0–3 and snapshot S1.
fn with_s1() -> (T, Vm, String) {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    for (i, x) in ["A", "B", "C", "D"].iter().enumerate() {
        t.write(&vm.data, i as u64, x);
    }
    let s1 = t.snapshot(&vm.data, "--SnapshotName S1");
    (t, vm, s1)
}

// R-CPY-1: a new ID in the destination region, the source named, the same content, and the
// copy is not in the source disk's chain.
#[test]
fn r_cpy_1_copy_is_a_new_snapshot_in_the_destination_region() {
    let (mut t, vm, s1) = with_s1();
    let copy = t.copy(
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
    assert!(!t.exists(HZ, &copy), "not listed in the source region");
    assert_eq!(t.describe_snapshot(HZ, &s1)["SourceSnapshotId"], "");

    // A copy in progress neither blocks the disk's next snapshot nor its instance.
    t.write(&vm.data, 4, "E");
    let s2 = t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.describe_snapshot(SH, &copy)["Status"], "accomplished");
    assert_eq!(t.checksum(&copy), t.checksum(&s1), "the copy holds the source's bytes");

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
    let c1 = t.copy(&s1, "");
    assert_eq!(t.transferred(&c1), 4, "full: A, B, C, D");
    // 10 s start-up + 4 blocks of 4 KiB at 32 MiB/s (1 s).
    assert_eq!(
        t.ok(&format!("snaplab snapshot copy-info --SnapshotId {c1}"))["RemainTime"],
        11
    );
    t.ok("snaplab clock run-until-idle");

    t.write(&vm.data, 1, "B1");
    t.write(&vm.data, 2, "C1");
    let s2 = t.snapshot(&vm.data, "");
    let c2 = t.copy(&s2, "");
    assert_eq!(t.transferred(&c2), 2, "only B1 and C1");
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.region_size(SH), 6 * 4096);

    // Copying S1 again transfers nothing new.
    let c1b = t.copy(&s1, "");
    assert_eq!(t.transferred(&c1b), 0);
    t.ok("snaplab clock run-until-idle");
    assert_eq!(t.region_size(SH), 6 * 4096);
    for (src, copy) in [(&s1, &c1), (&s2, &c2), (&s1, &c1b)] {
        assert_eq!(t.checksum(copy), t.checksum(src), "R-CPY-1: same bytes");
    }

    // A big synthetic copy: 20,000 blocks = 81,920,000 bytes → 10 + ⌈81920000 / 32 MiB⌉ = 13 s.
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 10 --Blocks 20000",
        vm.data
    ));
    let s3 = t.snapshot(&vm.data, "");
    let c3 = t.copy(&s3, "");
    let info = t.ok(&format!("snaplab snapshot copy-info --SnapshotId {c3}"));
    assert_eq!(info["TransferredBlocks"], 20_000);
    assert_eq!(info["TransferredBytes"], 81_920_000);
    assert_eq!(info["RemainTime"], 13);
}

// R-CPY-3: tags are not copied (the request's are applied); encrypted snapshots are refused.
#[test]
fn r_cpy_3_tags_not_copied_and_encrypted_refused() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "--DataDisk.2.Size 20 --DataDisk.2.Encrypted true");
    t.write(&vm.data, 0, "A");
    let s = t.snapshot(&vm.data, "--Tag.1.Key team --Tag.1.Value blue");
    let copy = t.copy(&s, "--Tag.1.Key dr --Tag.1.Value yes");
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
    let es = t.snapshot(&encrypted, "");
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
    let copy = t.copy(&s1, "");
    assert_eq!(t.describe_snapshot(SH, &copy)["Status"], "progressing");
    // A copy in progress does not hold the source's instance (R-CRT-3 is about creation).
    t.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    assert_eq!(t.region_size(SH), 4 * 4096);
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {copy}"));
    assert!(!t.exists(SH, &copy));
    assert_eq!(t.region_size(SH), 0);
    t.ok("snaplab clock run-until-idle");
    // The next copy is full again, and no longer blocked as unfinished.
    let again = t.copy(&s1, "");
    assert_eq!(t.transferred(&again), 4);
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
    t.copy(&s1, "");
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
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    for (i, x) in ["A", "B", "C", "D"].iter().enumerate() {
        t.write(&vm.data, i as u64, x);
    }
    let s1 = t.snapshot(&vm.data, "--RetentionDays 1");
    t.write(&vm.data, 1, "B1");
    let s2 = t.snapshot(&vm.data, "");
    assert_eq!(t.region_size(HZ), 5 * 4096);
    let stored_before = t.stored().len();
    let s2_sum = t.checksum(&s2);
    let expiry = t.describe_snapshot(HZ, &s1)["CreationTime"]
        .as_str()
        .expect("time")
        .to_string();

    t.ok("snaplab clock run-until-idle");
    assert!(t.exists(HZ, &s1), "a retention end is no operation in progress");
    let shown = t.ok("snaplab clock show");
    assert_eq!(
        shown["NextEvent"],
        expiry.replacen("2026-01-01", "2026-01-02", 1),
        "the next event is the retention end"
    );

    t.ok("snaplab clock advance --Seconds 86400");
    assert!(!t.exists(HZ, &s1), "expired");
    assert!(t.exists(HZ, &s2));
    // B is freed; A, C, D move into S2 (R-DEL-3).
    assert_eq!(t.region_size(HZ), 4 * 4096);
    assert_eq!(t.stored().len(), stored_before - 1, "B's bytes leave the store");
    assert_eq!(t.checksum(&s2), s2_sum, "R-DEL-5");
    let b = t.ok(&format!("snaplab billing estimate --SnapshotId {s2}"));
    assert_eq!(b["OwnedBytes"], 4 * 4096);
}

// R-CRT-5 with R-DEL-1: an expired snapshot an image uses stays until the image is deleted.
#[test]
fn r_crt_5_expiry_waits_for_the_image() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    let s = t.snapshot(&vm.system, "--RetentionDays 1");
    let img = t.ok(&format!(
        "aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageName held"
    ))["ImageId"]
        .as_str()
        .expect("ImageId")
        .to_string();
    t.ok("snaplab clock advance --Seconds 172800");
    assert!(t.exists(HZ, &s), "held by the image");
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    assert!(!t.exists(HZ, &s), "expired once the image is gone");
    assert_eq!(t.region_size(HZ), 0);
}

fn image_id(v: &Value) -> String {
    v["ImageId"].as_str().expect("ImageId").to_string()
}

// R-DEL-1: a snapshot used by a custom image cannot be deleted (not even with Force) until
// the image is deleted; Usage shows it.
#[test]
fn r_del_1_snapshot_used_by_an_image() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    let s = t.snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s}")));
    assert_eq!(t.describe_snapshot(HZ, &s)["Usage"], "image");
    let used = t.ok(&format!("aliyun ecs DescribeSnapshots --RegionId {HZ} --Usage image"));
    assert_eq!(used["TotalCount"], 1);
    t.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s}"),
        "SnapshotCreatedImage",
        403,
    );
    t.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {s} --Force true"),
        "SnapshotCreatedImage",
        403,
    );
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    assert_eq!(t.describe_snapshot(HZ, &s)["Usage"], "none");
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s}"));
    assert!(!t.exists(HZ, &s));
    // Deleting an unknown image is ignored (API.md).
    t.ok(&format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId {img}"));
    t.refused(
        &format!("aliyun ecs DeleteImage --RegionId {HZ} --ImageId centos_7_9_x64_20G_alibase_20230815.vhd"),
        "InvalidImageId.NotFound",
        404,
    );
}

// R-IMG-1: a system-disk snapshot is required; data disks take their snapshot's size or are
// empty 5 GiB disks; the image is Creating, then Available.
#[test]
fn r_img_1_create_image_rules() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    t.write(&vm.system, 0, "boot");
    t.write(&vm.data, 0, "data");
    let sys = t.snapshot(&vm.system, "");
    let data = t.snapshot(&vm.data, "");
    let c = format!("aliyun ecs CreateImage --RegionId {HZ}");

    t.refused(&format!("{c} --SnapshotId {data}"), "OperationDenied", 403);
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {data} --DiskDeviceMapping.1.DiskType data"),
        "OperationDenied",
        400,
    );
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {sys} --DiskDeviceMapping.2.SnapshotId {sys}"),
        "OperationDenied",
        400,
    );
    t.refused(
        &format!("{c} --DiskDeviceMapping.1.SnapshotId {data} --DiskDeviceMapping.1.DiskType system"),
        "OperationDenied",
        403,
    );
    t.refused(&c, "MissingParameter", 400);
    t.refused(
        &format!("{c} --SnapshotId s-bp1none"),
        "InvalidSnapshotId.NotFound",
        404,
    );
    t.refused(
        &format!("{c} --SnapshotId {sys} --ImageName 1bad"),
        "InvalidImageName.Malformed",
        400,
    );
    t.write(&vm.system, 1, "more");
    let progressing = t.start_snapshot(&vm.system, "");
    t.refused(
        &format!("{c} --SnapshotId {progressing}"),
        "InvalidSnapshotId.NotReady",
        403,
    );
    t.ok("snaplab clock run-until-idle");

    let img = image_id(&t.ok(&format!(
        "{c} --ImageName web-base --DiskDeviceMapping.1.SnapshotId {sys} --DiskDeviceMapping.2.SnapshotId {data} \
         --DiskDeviceMapping.3.DiskType data"
    )));
    assert!(img.starts_with("m-bp1"), "{img}");
    t.refused(
        &format!("{c} --SnapshotId {sys} --ImageName web-base"),
        "InvalidImageName.Duplicated",
        400,
    );

    // Creating: hidden by the default Status=Available.
    let d = format!("aliyun ecs DescribeImages --RegionId {HZ} --ImageOwnerAlias self");
    assert_eq!(t.ok(&d)["TotalCount"], 0);
    let creating = t.ok(&format!("{d} --Status Creating"));
    assert_eq!(creating["Images"]["Image"][0]["Status"], "Creating");
    t.ok("snaplab clock run-until-idle");
    let row = t.ok(&d)["Images"]["Image"][0].clone();
    assert_eq!(row["ImageId"], img.as_str());
    assert_eq!(row["Status"], "Available");
    assert_eq!(row["ImageOwnerAlias"], "self");
    assert_eq!(row["Platform"], "CentOS");
    assert_eq!(row["Size"], 40);
    assert_eq!(
        row["DiskDeviceMappings"]["DiskDeviceMapping"]
            .as_array()
            .expect("mappings")
            .iter()
            .map(|m| (
                m["SnapshotId"].clone(),
                m["Size"].clone(),
                m["Device"].clone(),
                m["Type"].clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            (json!(sys), json!("40"), json!("/dev/xvda"), json!("system")),
            (json!(data), json!("20"), json!("/dev/xvdb"), json!("data")),
            (json!(""), json!("5"), json!("/dev/xvdc"), json!("data")),
        ]
    );
    assert_eq!(t.describe_snapshot(HZ, &data)["Usage"], "image");
}

// R-IMG-2 and DescribeImages: family, tags, owner alias, SnapshotId filter, paging.
#[test]
fn r_img_2_family_tags_and_describe_images() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    let s = t.snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!(
        "aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageName golden --ImageFamily web \
         --Tag.1.Key env --Tag.1.Value prod"
    )));
    t.ok("snaplab clock run-until-idle");
    // R-IMG-2: releasing nothing of the source changes the image; it lists with its family and tags.
    let d = format!("aliyun ecs DescribeImages --RegionId {HZ}");
    let fam = t.ok(&format!("{d} --ImageFamily web"));
    assert_eq!(fam["TotalCount"], 1);
    assert_eq!(
        fam["Images"]["Image"][0]["Tags"]["Tag"],
        json!([{"TagKey": "env", "TagValue": "prod"}])
    );
    assert_eq!(
        t.ok(&format!("{d} --SnapshotId {s}"))["Images"]["Image"][0]["ImageId"],
        img.as_str()
    );
    assert_eq!(t.ok(&format!("{d} --Tag.1.Key env"))["TotalCount"], 1);
    assert_eq!(t.ok(&format!("{d} --Tag.1.Key env --Tag.1.Value dev"))["TotalCount"], 0);
    let public = snaplab_engine::catalog::public_images().len() as u64;
    let system = t.ok(&format!("{d} --ImageOwnerAlias system --PageSize 5 --PageNumber 2"));
    assert_eq!(system["TotalCount"], public);
    assert_eq!(system["PageNumber"], 2);
    assert_eq!(system["Images"]["Image"].as_array().map(Vec::len), Some(5));
    assert_eq!(t.ok(&d)["TotalCount"], public + 1);
    let first = t.ok(&format!("{d} --ImageName golden"));
    assert_eq!(first["Images"]["Image"][0]["ImageName"], "golden");
    t.refused(&format!("{d} --ImageOwnerAlias nobody"), "InvalidParameter", 400);
    t.refused(&format!("{d} --Status Broken"), "InvalidParameter", 400);
    t.refused(
        &format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s} --ImageFamily aliyun-x"),
        "InvalidParameter",
        400,
    );
}

// R-TAG-1: TagResources / UntagResources / ListTagResources on snapshots, disks, instances,
// images; tags in Describe replies and the Tag.N filter.
#[test]
fn r_tag_1_tag_untag_list() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    let other = t.vm(HZ, "");
    let s = t.snapshot(&vm.system, "");
    let img = image_id(&t.ok(&format!("aliyun ecs CreateImage --RegionId {HZ} --SnapshotId {s}")));
    let tag = |kind: &str, id: &str| {
        format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType {kind} --ResourceId.1 {id} --Tag.1.Key env --Tag.1.Value prod")
    };
    for (kind, id) in [
        ("snapshot", &s),
        ("disk", &vm.data),
        ("instance", &vm.id),
        ("image", &img),
    ] {
        t.ok(&tag(kind, id));
    }
    let rows = |v: &Value, list: &str, item: &str| -> Vec<String> {
        v[list][item]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("DiskId").or(r.get("InstanceId")).or(r.get("SnapshotId")))
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    };
    let disks = t.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId {HZ} --Tag.1.Key env --Tag.1.Value prod"
    ));
    assert_eq!(rows(&disks, "Disks", "Disk"), vec![vm.data.clone()]);
    assert_eq!(
        disks["Disks"]["Disk"][0]["Tags"]["Tag"],
        json!([{"TagKey": "env", "TagValue": "prod"}])
    );
    let inst = t.ok(&format!("aliyun ecs DescribeInstances --RegionId {HZ} --Tag.1.Key env"));
    assert_eq!(rows(&inst, "Instances", "Instance"), vec![vm.id.clone()]);
    let snaps = t.ok(&format!("aliyun ecs DescribeSnapshots --RegionId {HZ} --Tag.1.Key env"));
    assert_eq!(rows(&snaps, "Snapshots", "Snapshot"), vec![s.clone()]);

    // Re-tagging a key sets its value; ListTagResources lists one row per resource-tag pair.
    t.ok(&format!(
        "aliyun ecs TagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --ResourceId.2 {} \
         --Tag.1.Key env --Tag.1.Value dev --Tag.2.Key owner",
        vm.data, other.data
    ));
    let listed = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {}",
        vm.data
    ));
    assert_eq!(
        listed["TagResources"]["TagResource"],
        json!([
            {"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "env", "TagValue": "dev"},
            {"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "owner", "TagValue": ""},
        ])
    );
    let by_tag = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --Tag.1.Key owner"
    ));
    assert_eq!(by_tag["TagResources"]["TagResource"].as_array().map(Vec::len), Some(4));
    t.ok(&format!(
        "aliyun ecs UntagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --TagKey.1 owner",
        vm.data
    ));
    t.ok(&format!(
        "aliyun ecs UntagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {} --All true",
        other.data
    ));
    let by_tag = t.ok(&format!(
        "aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk --Tag.1.Key env"
    ));
    assert_eq!(
        by_tag["TagResources"]["TagResource"],
        json!([{"ResourceId": vm.data, "ResourceType": "disk", "TagKey": "env", "TagValue": "dev"}])
    );

    // Refusals.
    let base = format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType snapshot --ResourceId.1 {s}");
    let many: String = (1..=21).map(|n| format!(" --Tag.{n}.Key k{n}")).collect();
    t.refused(&format!("{base}{many}"), "NumberExceed.Tags", 400);
    let twenty: String = (1..=20).map(|n| format!(" --Tag.{n}.Key k{n}")).collect();
    t.refused(&format!("{base}{twenty}"), "OperationDenied.QuotaExceed", 400);
    let ids: String = (1..=51).map(|n| format!(" --ResourceId.{n} {s}")).collect();
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType snapshot{ids} --Tag.1.Key k"),
        "NumberExceed.ResourceIds",
        400,
    );
    t.refused(&format!("{base} --Tag.1.Key aliyun-x"), "InvalidTagKey.Malformed", 400);
    t.refused(&format!("{base} --Tag.1.Key a --Tag.2.Key a"), "Duplicate.TagKey", 400);
    t.refused(&base, "MissingParameter.Tags", 404);
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType disk --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceId.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {SH} --ResourceType snapshot --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceId.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceType bucket --ResourceId.1 {s} --Tag.1.Key k"),
        "InvalidResourceType.NotFound",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --ResourceType snapshot --ResourceId.1 {s} --Tag.1.Key k"),
        "MissingParameter.RegionId",
        404,
    );
    t.refused(
        &format!("aliyun ecs TagResources --RegionId {HZ} --ResourceId.1 {s} --Tag.1.Key k"),
        "MissingParameter.ResourceType",
        404,
    );
    t.refused(
        &format!("aliyun ecs ListTagResources --RegionId {HZ} --ResourceType disk"),
        "MissingParameter",
        400,
    );
}

// R-CAP-1: the region's capacity over time (sampled on change), the last 15 days, the
// documented errors.
#[test]
fn r_cap_1_snapshot_monitor_data() {
    let mut t = T::new(4096);
    let vm = t.vm(HZ, "");
    t.ok("snaplab clock advance --To 2026-01-01T01:00:00Z");
    t.write(&vm.data, 0, "A");
    t.write(&vm.data, 1, "B");
    t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock advance --To 2026-01-01T03:00:00Z");
    t.write(&vm.data, 2, "C");
    let s2 = t.start_snapshot(&vm.data, "");
    t.ok("snaplab clock advance --To 2026-01-01T05:00:00Z");
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}"));
    t.ok("snaplab clock advance --To 2026-01-01T06:30:00Z");

    let q = |start: &str, end: &str, period: &str| {
        format!("aliyun ecs DescribeSnapshotMonitorData --RegionId {HZ} --StartTime {start} --EndTime {end}{period}")
    };
    let r = t.ok(&q("2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z", " --Period 3600"));
    let points: Vec<(String, u64)> = r["MonitorData"]["DataPoint"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            (
                p["TimeStamp"].as_str().unwrap_or("").to_string(),
                p["Size"].as_u64().unwrap_or(9),
            )
        })
        .collect();
    let kib4 = 4096;
    assert_eq!(
        points,
        vec![
            ("2026-01-01T00:00:00Z".to_string(), 0),
            ("2026-01-01T01:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T02:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T03:00:00Z".to_string(), 3 * kib4),
            ("2026-01-01T04:00:00Z".to_string(), 3 * kib4),
            ("2026-01-01T05:00:00Z".to_string(), 2 * kib4),
            ("2026-01-01T06:00:00Z".to_string(), 2 * kib4),
        ],
        "up to now (06:30), one point per hour"
    );
    // Seconds round up to the next minute.
    let r = t.ok(&q("2026-01-01T00:59:30Z", "2026-01-01T01:01:00Z", ""));
    assert_eq!(r["MonitorData"]["DataPoint"][0]["TimeStamp"], "2026-01-01T01:00:00Z");
    assert_eq!(r["MonitorData"]["DataPoint"].as_array().map(Vec::len), Some(2));

    t.refused(
        &q("2026-01-01T00:00:00Z", "2026-01-01T06:41:00Z", ""),
        "InvalidParameter.TooManyDataQueried",
        400,
    );
    t.ok(&q("2026-01-01T00:00:00Z", "2026-01-01T06:40:00Z", ""));
    t.refused(
        &q("2026-01-01T00:00:00Z", "2026-01-01T06:00:00Z", " --Period 120"),
        "InvalidPeriod.ValueNotSupported",
        400,
    );
    t.refused(
        &q("2026-01-01T0000Z", "2026-01-01T06:00:00Z", ""),
        "InvalidStartTime.Malformed",
        400,
    );
    t.refused(
        &q("2026-01-01T00:00:00Z", "yesterday", ""),
        "InvalidEndTime.Malformed",
        400,
    );
    // SPEC §14: 15 days of history.
    t.ok("snaplab clock advance --To 2026-01-16T06:30:00Z");
    t.refused(
        &q("2026-01-01T06:00:00Z", "2026-01-01T07:00:00Z", ""),
        "InvalidStartTime.TooEarly",
        400,
    );
    let r = t.ok(&q("2026-01-01T06:30:00Z", "2026-01-01T07:00:00Z", " --Period 600"));
    assert_eq!(r["MonitorData"]["DataPoint"][0]["Size"], 2 * kib4);
}

// R-BIL-1: a worked example. 1 MiB blocks; S1 holds 7 GiB, S2 rewrites 1 GiB of it.
// Region capacity 8 GiB → billable 3 GiB (5 GB free) → $0.06/month, $0.000083/hour, $0.002/day.
// S1 owns 7 GiB ($0.14 at list price), S2 1 GiB ($0.02). Deleting S1 frees the 1 GiB S2
// rewrote: 8 → 7 GiB, $0.06 → $0.04, a saving of $0.02/month.
#[test]
fn r_bil_1_worked_example() {
    let mut t = T::new(1 << 20);
    let vm = t.vm(HZ, "");
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 0 --Blocks 7168",
        vm.data
    ));
    let s1 = t.snapshot(&vm.data, "");
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 0 --Blocks 1024 --Seed 2",
        vm.data
    ));
    let s2 = t.snapshot(&vm.data, "");
    assert_eq!(t.region_size(HZ), 8 * GIB);

    let r = t.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    let region = &r["Regions"][0];
    assert_eq!(region["CapacityBytes"], 8 * GIB);
    assert_eq!(region["FreeBytes"], 5 * GIB);
    assert_eq!(region["BillableBytes"], 3 * GIB);
    assert_eq!(region["MonthlyUsd"], 0.06);
    assert_eq!(region["HourlyUsd"], 0.000083);
    assert_eq!(region["DailyUsd"], 0.002);
    assert_eq!(r["TotalMonthlyUsd"], 0.06);
    let chain = &region["Chains"][0];
    assert_eq!(chain["CapacityBytes"], 8 * GIB);
    assert_eq!(chain["MonthlyUsd"], 0.16);
    assert_eq!(
        chain["Snapshots"],
        json!([
            {"SnapshotId": s1, "OwnedBytes": 7 * GIB, "MonthlyUsd": 0.14},
            {"SnapshotId": s2, "OwnedBytes": GIB, "MonthlyUsd": 0.02},
        ])
    );
    let one = t.ok(&format!("snaplab billing estimate --SnapshotId {s2}"));
    assert_eq!(one["OwnedBytes"], GIB);
    assert_eq!(one["MonthlyUsd"], 0.02);
    let by_disk = t.ok(&format!("snaplab billing estimate --DiskId {}", vm.data));
    assert_eq!(by_disk["Chain"]["CapacityBytes"], 8 * GIB);
    assert_eq!(by_disk["Region"]["MonthlyUsd"], 0.06);

    let p = t.ok(&format!("snaplab snapshot delete-preview --SnapshotId {s1}"));
    assert_eq!(p["FreedBlocks"], 1024);
    assert_eq!(p["MovedBlocks"], 6144);
    assert_eq!(p["RegionCapacityBeforeBytes"], 8 * GIB);
    assert_eq!(p["RegionCapacityAfterBytes"], 7 * GIB);
    assert_eq!(p["CostBeforeMonthlyUsd"], 0.06);
    assert_eq!(p["CostAfterMonthlyUsd"], 0.04);
    assert_eq!(p["MonthlySavingUsd"], 0.02);
    assert_eq!(p["FreedListPriceMonthlyUsd"], 0.02);
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s1}"));
    let after = t.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    assert_eq!(after["Regions"][0]["MonthlyUsd"], 0.04);
    // Under 5 GB nothing is billed.
    let free = t.ok("snaplab billing estimate --RegionId cn-shanghai");
    assert_eq!(free["Regions"][0]["MonthlyUsd"], 0.0);
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

// R-CPY-1: the copy cannot roll back the source disk (it is in another region's chain).
#[test]
fn r_cpy_1_a_copy_cannot_roll_back_its_source_disk() {
    let (mut t, vm, s1) = with_s1();
    let copy = t.copy(&s1, "");
    t.ok("snaplab clock run-until-idle");
    t.ok(&format!("aliyun ecs StopInstance --InstanceId {}", vm.id));
    t.ok("snaplab clock run-until-idle");
    let line = format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {copy}", vm.data);
    t.refused(&line, "InvalidParameter.Mismatch", 403);
    // The source snapshot itself still can.
    t.ok(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {s1}", vm.data));
}
