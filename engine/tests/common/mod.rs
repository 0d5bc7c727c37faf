//! The test harness shared by the world tests: a [`World`] driven by command lines through a
//! [`Session`] over a memory store, with checks that refusals change nothing.
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

    /// A command that must be refused with `code` and `status`, changing nothing.
    pub fn refused(&mut self, line: &str, code: &str, status: u64) -> Value {
        let before = self.state();
        let (body, is_error) = self.reply(line);
        assert!(is_error, "{line} should be refused, got {}", short(&body));
        assert_eq!(body["Code"], code, "{line}: {body}");
        assert_eq!(body["HttpStatus"], status, "{line}: {body}");
        assert_eq!(self.state(), before, "a refused command changes nothing: {line}");
        body
    }

    /// Everything observable about the world, for before/after comparisons.
    pub fn state(&mut self) -> Value {
        comparable_world(self.s.world())
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
