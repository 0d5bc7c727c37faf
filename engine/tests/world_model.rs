//! The ECS world against a deliberately naive reference model (a full copy of every block of
//! every disk and snapshot), through command lines: random sequences of labelled, raw and
//! synthetic writes, snapshots, deletions with and without `Force`, rollbacks, re-inits, disks
//! from snapshots, and instance stops and starts.
//!
//! After every step: the world accepts exactly what the model accepts (and refuses with the
//! model's code), every disk reads byte for byte like the model, every remaining snapshot keeps
//! its checksum (R-INC-5, R-DEL-5), and every chain's capacity equals the model's count of
//! distinct block versions still referenced by its snapshots × block size (R-CHN-1, R-DEL-3).
//! At the end every remaining snapshot restores (as a new disk) byte for byte like the model.
//! After every step the store holds exactly the world: reopened, it is the same world, with no
//! record or block lost or leaked (each command saves only the records it changed).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use base64::Engine as _;
use common::{block, same_bytes, World};
use proptest::prelude::*;
use snaplab_engine::blocks::pattern_bytes;
use std::collections::{BTreeMap, BTreeSet};

const BS: usize = 4096;
/// The LBAs the sequences touch (the disks are 20 GiB; the rest stays empty).
const LBAS: u64 = 8;
const MAX_DISKS: usize = 4;

#[derive(Clone, Debug)]
enum Op {
    Text {
        disk: usize,
        lba: u64,
        text: String,
    },
    Raw {
        disk: usize,
        offset: u64,
        len: usize,
        seed: u8,
    },
    Fill {
        disk: usize,
        from: u64,
        count: u64,
        seed: u64,
    },
    Snapshot {
        disk: usize,
    },
    Delete {
        snap: usize,
        force: bool,
    },
    Rollback {
        disk: usize,
        snap: usize,
    },
    ReInit {
        disk: usize,
    },
    FromSnapshot {
        snap: usize,
    },
    Stop,
    Start,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..MAX_DISKS, 0..LBAS, "[A-Za-z0-9]{1,6}").prop_map(|(disk, lba, text)| Op::Text { disk, lba, text }),
        2 => (0..MAX_DISKS, 0..(LBAS * BS as u64 - 1), 1..6000usize, any::<u8>())
            .prop_map(|(disk, offset, len, seed)| Op::Raw { disk, offset, len, seed }),
        1 => (0..MAX_DISKS, 0..LBAS, 1..4u64, 0..3u64).prop_map(|(disk, from, count, seed)| Op::Fill { disk, from, count, seed }),
        3 => (0..MAX_DISKS).prop_map(|disk| Op::Snapshot { disk }),
        2 => (0..12usize, any::<bool>()).prop_map(|(snap, force)| Op::Delete { snap, force }),
        2 => (0..MAX_DISKS, 0..12usize).prop_map(|(disk, snap)| Op::Rollback { disk, snap }),
        1 => (0..MAX_DISKS).prop_map(|disk| Op::ReInit { disk }),
        1 => (0..12usize).prop_map(|snap| Op::FromSnapshot { snap }),
        1 => Just(Op::Stop),
        1 => Just(Op::Start),
    ]
}

/// A block in the model: its version (every write makes a new one, R-INC-4) and its bytes.
type Blocks = BTreeMap<u64, (u64, Vec<u8>)>;

struct MDisk {
    id: String,
    blocks: Blocks,
    /// The snapshot (index) the disk was created from.
    source: Option<usize>,
}

struct MSnap {
    id: String,
    disk: usize,
    blocks: Blocks,
    alive: bool,
    checksum: String,
}

struct Model {
    instance: String,
    zone: String,
    running: bool,
    disks: Vec<MDisk>,
    snaps: Vec<MSnap>,
    next_version: u64,
}

impl Model {
    fn version(&mut self) -> u64 {
        self.next_version += 1;
        self.next_version
    }

    fn bytes(blocks: &Blocks, lba: u64) -> Vec<u8> {
        blocks.get(&lba).map(|(_, b)| b.clone()).unwrap_or_else(|| vec![0; BS])
    }

    /// Distinct versions referenced by the live snapshots of disk `d`'s chain.
    fn chain_versions(&self, d: usize) -> usize {
        let set: BTreeSet<u64> = self
            .snaps
            .iter()
            .filter(|s| s.alive && s.disk == d)
            .flat_map(|s| s.blocks.values().map(|(v, _)| *v))
            .collect();
        set.len()
    }
}

fn setup() -> (World, Model) {
    let mut w = World::new();
    w.ok("snaplab world reset --Seed 21 --BlockSize 4096");
    w.ok("snaplab service activate");
    let (instance, _, data) = w.instance();
    let zone = w.ok(&format!(
        "aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskIds '[\"{data}\"]'"
    ))["Disks"]["Disk"][0]["ZoneId"]
        .as_str()
        .unwrap()
        .to_string();
    let m = Model {
        instance,
        zone,
        running: true,
        disks: vec![MDisk {
            id: data,
            blocks: Blocks::new(),
            source: None,
        }],
        snaps: Vec::new(),
        next_version: 0,
    };
    (w, m)
}

/// Runs `line`; the model says whether it must succeed (`None`) or which code refuses it.
fn expect(w: &mut World, line: &str, refusal: Option<&str>) -> serde_json::Value {
    match refusal {
        None => w.ok(line),
        Some(code) => {
            REFUSED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let (body, is_error) = w.reply(line);
            assert!(
                is_error,
                "{line} must be refused with {code}, got {}",
                common::short(&body)
            );
            assert_eq!(body["Code"], code, "{line}");
            body
        }
    }
}

static STEPS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static REFUSED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn step(w: &mut World, m: &mut Model, op: &Op) {
    STEPS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // Indexes pick among what exists now.
    let op = &match op.clone() {
        Op::Text { disk, lba, text } => Op::Text {
            disk: disk % m.disks.len(),
            lba,
            text,
        },
        Op::Raw {
            disk,
            offset,
            len,
            seed,
        } => Op::Raw {
            disk: disk % m.disks.len(),
            offset,
            len,
            seed,
        },
        Op::Fill {
            disk,
            from,
            count,
            seed,
        } => Op::Fill {
            disk: disk % m.disks.len(),
            from,
            count,
            seed,
        },
        Op::Snapshot { disk } => Op::Snapshot {
            disk: disk % m.disks.len(),
        },
        Op::ReInit { disk } => Op::ReInit {
            disk: disk % m.disks.len(),
        },
        Op::Stop => Op::Stop,
        Op::Start => Op::Start,
        _ if m.snaps.is_empty() => return,
        Op::Delete { snap, force } => Op::Delete {
            snap: snap % m.snaps.len(),
            force,
        },
        Op::Rollback { disk, snap } => Op::Rollback {
            disk: disk % m.disks.len(),
            snap: snap % m.snaps.len(),
        },
        Op::FromSnapshot { snap } => Op::FromSnapshot {
            snap: snap % m.snaps.len(),
        },
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let not_running = (!m.running).then_some("IncorrectInstanceStatus");
    match op {
        Op::Text { disk, lba, text } => {
            let Some(d) = m.disks.get(*disk) else { return };
            expect(
                w,
                &format!("snaplab guest write --DiskId {} --Block {lba} --Text {text}", d.id),
                not_running,
            );
            if m.running {
                let mut bytes = text.as_bytes().to_vec();
                bytes.resize(BS, 0);
                let v = m.version();
                m.disks[*disk].blocks.insert(*lba, (v, bytes));
            }
        }
        Op::Raw {
            disk,
            offset,
            len,
            seed,
        } => {
            let Some(d) = m.disks.get(*disk) else { return };
            let data: Vec<u8> = (0..*len).map(|i| seed.wrapping_add(i as u8).wrapping_mul(31)).collect();
            let line = format!(
                "snaplab guest write --DiskId {} --Offset {offset} --Base64 {}",
                d.id,
                b64.encode(&data)
            );
            expect(w, &line, not_running);
            if m.running {
                // Every touched block becomes a new version, partial ones keep their other bytes.
                let first = offset / BS as u64;
                let last = (offset + *len as u64 - 1) / BS as u64;
                for lba in first..=last {
                    let mut bytes = Model::bytes(&m.disks[*disk].blocks, lba);
                    for (i, byte) in bytes.iter_mut().enumerate() {
                        let at = lba * BS as u64 + i as u64;
                        if at >= *offset && at < offset + *len as u64 {
                            *byte = data[(at - offset) as usize];
                        }
                    }
                    let v = m.version();
                    m.disks[*disk].blocks.insert(lba, (v, bytes));
                }
            }
        }
        Op::Fill {
            disk,
            from,
            count,
            seed,
        } => {
            let Some(d) = m.disks.get(*disk) else { return };
            let line = format!(
                "snaplab guest fill --DiskId {} --FromBlock {from} --Blocks {count} --Seed {seed}",
                d.id
            );
            expect(w, &line, not_running);
            if m.running {
                for lba in *from..from + count {
                    let v = m.version();
                    m.disks[*disk].blocks.insert(lba, (v, pattern_bytes(*seed, lba, BS)));
                }
            }
        }
        Op::Snapshot { disk } => {
            let Some(d) = m.disks.get(*disk) else { return };
            let id = w.snapshot(&d.id, &format!("s{}", m.snaps.len()));
            w.ok("snaplab clock run-until-idle");
            let checksum = w.ok(&format!("snaplab snapshot checksum --SnapshotId {id}"))["Checksum"]
                .as_str()
                .unwrap()
                .to_string();
            let blocks = m.disks[*disk].blocks.clone();
            m.snaps.push(MSnap {
                id,
                disk: *disk,
                blocks,
                alive: true,
                checksum,
            });
        }
        Op::Delete { snap, force } => {
            let Some(s) = m.snaps.get(*snap) else { return };
            let used = s.alive && m.disks.iter().any(|d| d.source == Some(*snap));
            let force_arg = if *force { " --Force true" } else { "" };
            // R-DEL-2; an unknown (already deleted) ID is ignored, as ECS does.
            let refusal = (used && !force).then_some("SnapshotCreatedDisk");
            expect(
                w,
                &format!("aliyun ecs DeleteSnapshot --SnapshotId {}{force_arg}", s.id),
                refusal,
            );
            if refusal.is_none() {
                m.snaps[*snap].alive = false;
            }
        }
        Op::Rollback { disk, snap } => {
            let (Some(d), Some(s)) = (m.disks.get(*disk), m.snaps.get(*snap)) else {
                return;
            };
            // R-RB-1, R-RB-4, in the order ECS checks them.
            let refusal = if !s.alive {
                Some("InvalidSnapshotId.NotFound")
            } else if m.running {
                Some("IncorrectInstanceStatus")
            } else if s.disk != *disk {
                Some("InvalidParameter.Mismatch")
            } else {
                None
            };
            let (body, is_error) = w.reply(&format!("aliyun ecs ResetDisk --DiskId {} --SnapshotId {}", d.id, s.id));
            match refusal {
                None => assert!(!is_error, "rollback refused: {}", common::short(&body)),
                Some(_) => {
                    // The world may check its preconditions in another order; any of the
                    // model's refusals will do, but it must refuse.
                    assert!(is_error, "rollback must be refused ({refusal:?})");
                    let code = body["Code"].as_str().unwrap_or("");
                    assert!(
                        [
                            "InvalidSnapshotId.NotFound",
                            "IncorrectInstanceStatus",
                            "InvalidParameter.Mismatch"
                        ]
                        .contains(&code),
                        "{code}"
                    );
                }
            }
            if refusal.is_none() {
                m.disks[*disk].blocks = m.snaps[*snap].blocks.clone();
            }
        }
        Op::ReInit { disk } => {
            let Some(d) = m.disks.get(*disk) else { return };
            let source_deleted = d.source.is_some_and(|s| !m.snaps[s].alive);
            let refusal = if m.running {
                Some("IncorrectInstanceStatus")
            } else if source_deleted {
                Some("OperationDenied")
            } else {
                None
            };
            expect(w, &format!("aliyun ecs ReInitDisk --DiskId {}", d.id), refusal);
            if refusal.is_none() {
                // R-DSK-2: back to the source snapshot, or empty.
                m.disks[*disk].blocks = d.source.map(|s| m.snaps[s].blocks.clone()).unwrap_or_default();
            }
        }
        Op::FromSnapshot { snap } => {
            let Some(s) = m.snaps.get(*snap) else { return };
            if m.disks.len() >= MAX_DISKS {
                return;
            }
            let line = format!(
                "aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId {} --SnapshotId {}",
                m.zone, s.id
            );
            if !s.alive {
                expect(w, &line, Some("InvalidSnapshotId.NotFound"));
                return;
            }
            let id = w.ok(&line)["DiskId"].as_str().unwrap().to_string();
            w.ok(&format!(
                "aliyun ecs AttachDisk --InstanceId {} --DiskId {id}",
                m.instance
            ));
            let blocks = s.blocks.clone();
            m.disks.push(MDisk {
                id,
                blocks,
                source: Some(*snap),
            });
        }
        Op::Stop => {
            expect(
                w,
                &format!("aliyun ecs StopInstance --InstanceId {}", m.instance),
                not_running,
            );
            w.ok("snaplab clock run-until-idle");
            m.running = false;
        }
        Op::Start => {
            let refusal = m.running.then_some("IncorrectInstanceStatus");
            expect(
                w,
                &format!("aliyun ecs StartInstance --InstanceId {}", m.instance),
                refusal,
            );
            w.ok("snaplab clock run-until-idle");
            m.running = true;
        }
    }
}

fn check(w: &mut World, m: &Model, full: bool) {
    // Disks read like the model.
    if full {
        for d in &m.disks {
            for lba in 0..LBAS {
                let what = format!("disk {} block {lba}", d.id);
                same_bytes(&block(w, &d.id, lba), &Model::bytes(&d.blocks, lba), &what);
            }
        }
    }
    // Snapshots keep their content (R-INC-5, R-DEL-5).
    for s in m.snaps.iter().filter(|s| s.alive) {
        let now = w.ok(&format!("snaplab snapshot checksum --SnapshotId {}", s.id));
        assert_eq!(now["Checksum"], s.checksum.as_str(), "snapshot {} changed", s.id);
    }
    // Issue 12: every world the actions build passes the validation an import applies.
    if let Err(e) = w.s.world().validate() {
        panic!("the world fails its own validation: {e}");
    }
    // Chain capacity = distinct versions still referenced × block size (R-CHN-1, R-DEL-3).
    let mut chains_total = 0;
    for (i, d) in m.disks.iter().enumerate() {
        let links = w.ok(&format!(
            "aliyun ecs DescribeSnapshotLinks --RegionId cn-hangzhou --DiskIds '[\"{}\"]'",
            d.id
        ));
        let total = links["SnapshotLinks"]["SnapshotLink"][0]["TotalSize"]
            .as_u64()
            .unwrap_or(0);
        assert_eq!(
            total,
            (m.chain_versions(i) * BS) as u64,
            "capacity of the chain of {}",
            d.id
        );
        chains_total += total;
    }
    // Issue 12 item 7: the region's capacity is its chains' (every disk of the model is in
    // cn-hangzhou and none is released, so no chain outlives its disk).
    assert_eq!(w.region_size("cn-hangzhou"), chains_total, "capacity of the region");
}

/// Every remaining snapshot restores, as a new disk, byte for byte like the model.
fn restore_all(w: &mut World, m: &Model) {
    for s in m.snaps.iter().filter(|s| s.alive).take(8) {
        let line = format!(
            "aliyun ecs CreateDisk --RegionId cn-hangzhou --ZoneId {} --SnapshotId {}",
            m.zone, s.id
        );
        let id = w.ok(&line)["DiskId"].as_str().unwrap().to_string();
        for lba in 0..LBAS {
            let what = format!("snapshot {} block {lba}", s.id);
            same_bytes(&block(w, &id, lba), &Model::bytes(&s.blocks, lba), &what);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_world_behaves_like_full_copies(ops in proptest::collection::vec(op(), 20..60)) {
        let (mut w, mut m) = setup();
        for (i, op) in ops.iter().enumerate() {
            step(&mut w, &mut m, op);
            check(&mut w, &m, i % 8 == 7);
            // Incremental persistence: what the store holds is exactly this world.
            w.check_persisted();
        }
        check(&mut w, &m, true);
        restore_all(&mut w, &m);
        eprintln!(
            "world model: {} steps so far, {} refusals, {} live snapshots, {} disks in this case",
            STEPS.load(std::sync::atomic::Ordering::Relaxed),
            REFUSED.load(std::sync::atomic::Ordering::Relaxed),
            m.snaps.iter().filter(|s| s.alive).count(),
            m.disks.len()
        );
    }
}
