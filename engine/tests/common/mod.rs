//! The test harness shared by the world tests: a [`World`] driven by command lines through a
//! [`Session`] over a memory store, with checks that refusals change nothing (neither the
//! world's state nor the stored block bytes), and the steps the tests repeat (an instance with
//! its disks, guest writes and reads, snapshots, disks, checksums).
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::Value;
use snaplab_engine::session::{block_on, Session};
use snaplab_engine::session_faults::comparable_world;
use snaplab_engine::store::memory::MemoryStore;

/// A reply shortened for failure messages (block reads can be megabytes).
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 600 {
        format!("{}…", s.chars().take(600).collect::<String>())
    } else {
        s
    }
}

pub struct World {
    pub s: Session<MemoryStore>,
}

/// An instance with its system disk and its (unencrypted) data disk.
pub struct Vm {
    pub id: String,
    pub system: String,
    pub data: String,
}

pub const HZ: &str = "cn-hangzhou";
pub const IMAGE: &str = "centos_7_9_x64_20G_alibase_20230815.vhd";

pub const RUN: &str =
    "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd \
                   --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20";

impl World {
    pub fn new() -> World {
        World {
            s: block_on(Session::open(MemoryStore::new())).expect("open"),
        }
    }

    /// A new world of `block_size`-byte blocks with the snapshot service activated.
    pub fn activated(block_size: u32) -> World {
        let mut w = World::new();
        w.ok(&format!("snaplab world reset --BlockSize {block_size}"));
        w.ok("snaplab service activate");
        w
    }

    /// A new world of this seed and `block_size`-byte blocks with the snapshot service
    /// activated (the seed fixes the resource IDs).
    pub fn seeded(seed: u64, block_size: u32) -> World {
        let mut w = World::new();
        w.ok(&format!("snaplab world reset --Seed {seed} --BlockSize {block_size}"));
        w.ok("snaplab service activate");
        w
    }

    pub fn reply(&mut self, line: &str) -> (Value, bool) {
        let r = block_on(self.s.exec_line(line)).expect("a command, not a blank line");
        (r.body, r.is_error)
    }

    /// A command that must succeed.
    pub fn ok(&mut self, line: &str) -> Value {
        let (body, is_error) = self.reply(line);
        assert!(!is_error, "{line}\n→ {}", short(&body));
        body
    }

    /// A command that must be refused with `code` and `status`, changing nothing: neither the
    /// world nor the stored block bytes.
    pub fn refused(&mut self, line: &str, code: &str, status: u64) -> Value {
        let before = self.state();
        let stored = self.stored_blocks();
        let (body, is_error) = self.reply(line);
        assert!(is_error, "{line} should be refused, got {}", short(&body));
        assert_eq!(body["Code"], code, "{line}: {body}");
        assert_eq!(body["HttpStatus"], status, "{line}: {body}");
        assert_eq!(self.state(), before, "a refused command changes nothing: {line}");
        assert!(
            self.stored_blocks() == stored,
            "a refused command stores nothing: {line}"
        );
        body
    }

    /// Everything observable about the world, for before/after comparisons.
    pub fn state(&mut self) -> Value {
        comparable_world(self.s.world())
    }

    /// The keys of the stored block pieces.
    pub fn stored_blocks(&self) -> Vec<String> {
        use snaplab_engine::store::{Store, Table};
        block_on(self.s.store().keys(Table::Blocks)).expect("keys")
    }

    /// What is stored is exactly the world: a session reopened on the same store holds the same
    /// world (records and world state complete), the store holds one record per record of the
    /// engine (none leaked) and exactly the pieces of the blocks the world uses (none lost, none
    /// leaked).
    pub fn check_persisted(&mut self) {
        use snaplab_engine::store::{pieces, Store, Table};
        let store = self.s.store().clone();
        let again = block_on(Session::open(store.clone())).expect("the saved world opens");
        // Refused lines draw RequestIds without a commit: only that counter may lag.
        assert_eq!(
            comparable_world(again.world()),
            comparable_world(self.s.world()),
            "the reopened world differs"
        );
        let records = block_on(store.keys(Table::Maps)).expect("keys");
        assert_eq!(
            records.len(),
            self.s.world().blocks.record_count(),
            "leaked records: {records:?}"
        );
        let stored: std::collections::BTreeSet<_> = block_on(store.keys(Table::Blocks))
            .expect("keys")
            .iter()
            .map(|k| pieces::KeyOwner::of_key(k).expect("a block key"))
            .collect();
        let used: std::collections::BTreeSet<_> = self
            .s
            .world()
            .blocks
            .stored_blocks()
            .iter()
            .map(pieces::KeyOwner::of)
            .collect();
        assert_eq!(stored, used, "stored blocks differ from the blocks the world uses");
    }

    /// A running instance with an ESSD data disk; returns (instance, system disk, data disk).
    pub fn instance(&mut self) -> (String, String, String) {
        let id = self.ok(RUN)["InstanceIdSets"]["InstanceIdSet"][0]
            .as_str()
            .unwrap()
            .to_string();
        self.ok("snaplab clock run-until-idle");
        let disks = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {id}"
        ));
        let list = disks["Disks"]["Disk"].as_array().unwrap();
        let of = |t: &str| {
            list.iter().find(|d| d["Type"] == t).unwrap()["DiskId"]
                .as_str()
                .unwrap()
                .to_string()
        };
        (id, of("system"), of("data"))
    }

    /// A running instance in `region` of the image [`IMAGE`] with a 20 GiB ESSD data disk, and
    /// `extra` parameters for RunInstances; the clock runs until it is Running.
    pub fn vm(&mut self, region: &str, extra: &str) -> Vm {
        let r = self.ok(&format!(
            "aliyun ecs RunInstances --RegionId {region} --ImageId {IMAGE} --InstanceType ecs.g7.large \
             --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20 {extra}"
        ));
        let id = r["InstanceIdSets"]["InstanceIdSet"][0]
            .as_str()
            .expect("instance id")
            .to_string();
        self.idle();
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

    /// [`vm`](Self::vm) in a zone of Hangzhou.
    pub fn vm_in(&mut self, zone: &str) -> Vm {
        self.vm(HZ, &format!("--ZoneId {zone}"))
    }

    /// The ID of the instance's first disk of type `kind` (`system` or `data`) in Hangzhou.
    pub fn disk_of(&mut self, instance: &str, kind: &str) -> String {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId {HZ} --InstanceId {instance} --DiskType {kind}"
        ));
        r["Disks"]["Disk"][0]["DiskId"].as_str().expect("disk id").to_string()
    }

    /// The DescribeDisks row of a Hangzhou disk.
    pub fn disk(&mut self, id: &str) -> Value {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId {HZ} --DiskIds '[\"{id}\"]'"
        ));
        r["Disks"]["Disk"][0].clone()
    }

    pub fn disk_exists(&mut self, id: &str) -> bool {
        let r = self.ok(&format!(
            "aliyun ecs DescribeDisks --RegionId {HZ} --DiskIds '[\"{id}\"]'"
        ));
        r["TotalCount"] == 1
    }

    /// CreateDisk in Hangzhou with `args`; returns the new disk's ID.
    pub fn create_disk(&mut self, args: &str) -> String {
        let r = self.ok(&format!("aliyun ecs CreateDisk --RegionId {HZ} {args}"));
        r["DiskId"].as_str().expect("DiskId").to_string()
    }

    /// The clock runs until nothing is in progress.
    pub fn idle(&mut self) {
        self.ok("snaplab clock run-until-idle");
    }

    /// StopInstance, and the clock runs until it is Stopped.
    pub fn stop(&mut self, instance: &str) {
        self.ok(&format!("aliyun ecs StopInstance --InstanceId {instance}"));
        self.idle();
    }

    /// StartInstance, and the clock runs until it is Running.
    pub fn start(&mut self, instance: &str) {
        self.ok(&format!("aliyun ecs StartInstance --InstanceId {instance}"));
        self.idle();
    }

    /// Writes `text` into block `block` of a disk (`snaplab guest write`).
    pub fn write(&mut self, disk: &str, block: u64, text: &str) {
        self.ok(&format!(
            "snaplab guest write --DiskId {disk} --Block {block} --Text {text}"
        ));
    }

    /// Block `block` of a disk as text (it must be text).
    pub fn read(&mut self, disk: &str, block: u64) -> String {
        let r = self.ok(&format!("snaplab guest read --DiskId {disk} --Block {block}"));
        r["Text"]
            .as_str()
            .unwrap_or_else(|| panic!("not text: {}", short(&r)))
            .to_string()
    }

    /// The disk's checksum (`snaplab guest checksum`).
    pub fn checksum(&mut self, disk: &str) -> Value {
        self.ok(&format!("snaplab guest checksum --DiskId {disk}"))["Checksum"].clone()
    }

    /// The snapshot's checksum (`snaplab snapshot checksum`).
    pub fn snapshot_checksum(&mut self, snap: &str) -> Value {
        self.ok(&format!("snaplab snapshot checksum --SnapshotId {snap}"))["Checksum"].clone()
    }

    /// CreateSnapshot of `disk` with `extra` parameters, left in progress; returns its ID.
    pub fn start_snapshot(&mut self, disk: &str, extra: &str) -> String {
        let r = self.ok(&format!("aliyun ecs CreateSnapshot --DiskId {disk} {extra}"));
        r["SnapshotId"].as_str().expect("SnapshotId").to_string()
    }

    /// CreateSnapshot of `disk` with `extra` parameters, then the clock runs until it is done.
    pub fn finished_snapshot(&mut self, disk: &str, extra: &str) -> String {
        let id = self.start_snapshot(disk, extra);
        self.idle();
        id
    }

    /// The DescribeSnapshots row of a snapshot of `region` (`Null` if it is not there).
    pub fn describe_snapshot(&mut self, region: &str, id: &str) -> Value {
        let r = self.ok(&format!(
            "aliyun ecs DescribeSnapshots --RegionId {region} --SnapshotIds '[\"{id}\"]'"
        ));
        r["Snapshots"]["Snapshot"][0].clone()
    }

    /// Whether `region` lists the snapshot.
    pub fn snapshot_exists(&mut self, region: &str, id: &str) -> bool {
        !self.describe_snapshot(region, id).is_null()
    }

    /// The region's snapshot capacity (DescribeSnapshotsUsage `SnapshotSize`, bytes).
    pub fn region_size(&mut self, region: &str) -> u64 {
        self.ok(&format!("aliyun ecs DescribeSnapshotsUsage --RegionId {region}"))["SnapshotSize"]
            .as_u64()
            .expect("SnapshotSize")
    }

    /// CreateSnapshot named `name`, left in progress.
    pub fn snapshot(&mut self, disk: &str, name: &str) -> String {
        self.ok(&format!(
            "aliyun ecs CreateSnapshot --DiskId {disk} --SnapshotName {name}"
        ))["SnapshotId"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn describe(&mut self, args: &str) -> Value {
        self.ok(&format!("aliyun ecs DescribeSnapshots --RegionId cn-hangzhou {args}"))
    }
}

/// Block `lba` of a disk, as bytes (`snaplab guest read` gives Text or Base64).
pub fn block(w: &mut World, disk: &str, lba: u64) -> Vec<u8> {
    let r = w.ok(&format!("snaplab guest read --DiskId {disk} --Block {lba}"));
    match (r["Text"].as_str(), r["Base64"].as_str()) {
        (Some(t), None) => {
            // Text is the block's bytes up to its trailing zeros (SPEC §18).
            let mut bytes = t.as_bytes().to_vec();
            bytes.resize(w.s.world().block_size() as usize, 0);
            bytes
        }
        (None, Some(b)) => base64::engine::general_purpose::STANDARD
            .decode(b)
            .expect("valid base64"),
        _ => panic!("a read gives Text or Base64"),
    }
}

/// Asserts two blocks are equal, naming the first differing byte instead of printing blocks.
pub fn same_bytes(got: &[u8], want: &[u8], what: &str) {
    if got != want {
        let at = got
            .iter()
            .zip(want)
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len()));
        panic!(
            "{what}: {} bytes vs {} expected, first difference at byte {at}",
            got.len(),
            want.len()
        );
    }
}

/// Runs a `.snaplab` script through the `snaplab` binary, as another program would, and pairs
/// each command line with its reply — checking that every command line yields exactly one JSON
/// object on one line (SPEC §18).
pub fn run_script(path: &str) -> Vec<(String, Value)> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_snaplab"))
        .arg(path)
        .output()
        .expect("run snaplab");
    assert!(
        out.status.success(),
        "snaplab failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replies: Vec<Value> = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object per line: {l}: {e}")))
        .collect();
    let script = std::fs::read_to_string(path).expect("read the script");
    let lines: Vec<String> = script
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(str::to_string)
        .collect();
    assert_eq!(replies.len(), lines.len(), "exactly one reply per command line");
    lines.into_iter().zip(replies).collect()
}

/// A Hangzhou world of 4 KiB blocks (seed 7) with an instance whose data disk holds A, B, C, D
/// in blocks 0–3, and its snapshot S1 (finished).
pub fn with_s1() -> (World, Vm, String) {
    let mut w = World::seeded(7, 4096);
    let vm = w.vm(HZ, "");
    for (i, x) in ["A", "B", "C", "D"].iter().enumerate() {
        w.write(&vm.data, i as u64, x);
    }
    let s1 = w.finished_snapshot(&vm.data, "--SnapshotName S1");
    (w, vm, s1)
}

/// The `ImageId` of a CreateImage reply.
pub fn image_id(v: &Value) -> String {
    v["ImageId"].as_str().expect("ImageId").to_string()
}
