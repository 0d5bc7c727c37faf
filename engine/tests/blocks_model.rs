//! Property tests of the block engine against a deliberately naive model: every volume is a `Vec`
//! of blocks (bytes + version id) and every snapshot a full copy. After every step every volume
//! and snapshot must read byte-for-byte like the model, checksums must be equal exactly when the
//! bytes are, each chain's capacity must be the model's count of distinct versions (R-CHN-1), the
//! owner of every version the earliest remaining snapshot containing it (R-INC-1/2, R-DEL-3),
//! deletions must keep every remaining snapshot intact (R-DEL-5), and everything deleted must
//! leave no stored content behind.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proptest::prelude::*;
use snaplab_engine::blocks::*;

#[derive(Clone, Debug)]
enum Op {
    CreateVol {
        size: u8,
    },
    Write {
        vol: u8,
        offset: u16,
        len: u16,
        fill: u8,
        kind: u8,
    },
    Text {
        vol: u8,
        lba: u8,
        label: u8,
    },
    Fill {
        vol: u8,
        lba: u8,
        count: u8,
        seed: u8,
    },
    Snapshot {
        vol: u8,
    },
    DeleteSnap {
        snap: u8,
    },
    Reset {
        vol: u8,
        snap: u8,
    },
    Reinit {
        vol: u8,
        snap: Option<u8>,
    },
    Resize {
        vol: u8,
        grow: u8,
    },
    FromSnap {
        snap: u8,
        extra: u8,
    },
    Copy {
        snap: u8,
        region: u8,
    },
    DeleteVol {
        vol: u8,
    },
    RoundTrip,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (1u8..40).prop_map(|size| Op::CreateVol { size }),
        10 => (any::<u8>(), any::<u16>(), 0u16..3000, any::<u8>(), 0u8..6)
            .prop_map(|(vol, offset, len, fill, kind)| Op::Write { vol, offset, len, fill, kind }),
        8 => (any::<u8>(), any::<u8>(), 0u8..6).prop_map(|(vol, lba, label)| Op::Text { vol, lba, label }),
        4 => (any::<u8>(), any::<u8>(), 0u8..20, 0u8..3).prop_map(|(vol, lba, count, seed)| Op::Fill { vol, lba, count, seed }),
        8 => any::<u8>().prop_map(|vol| Op::Snapshot { vol }),
        6 => any::<u8>().prop_map(|snap| Op::DeleteSnap { snap }),
        3 => (any::<u8>(), any::<u8>()).prop_map(|(vol, snap)| Op::Reset { vol, snap }),
        2 => (any::<u8>(), proptest::option::of(any::<u8>())).prop_map(|(vol, snap)| Op::Reinit { vol, snap }),
        1 => (any::<u8>(), 0u8..10).prop_map(|(vol, grow)| Op::Resize { vol, grow }),
        2 => (any::<u8>(), 0u8..5).prop_map(|(snap, extra)| Op::FromSnap { snap, extra }),
        3 => (any::<u8>(), 0u8..2).prop_map(|(snap, region)| Op::Copy { snap, region }),
        1 => any::<u8>().prop_map(|vol| Op::DeleteVol { vol }),
        1 => Just(Op::RoundTrip),
    ]
}

/// One model block: bytes (`None` = zeros) and the version that wrote it (0 = never written).
#[derive(Clone, Debug, PartialEq)]
struct Blk {
    bytes: Option<Vec<u8>>,
    ver: u64,
}

const EMPTY: Blk = Blk { bytes: None, ver: 0 };

#[derive(Clone, Debug)]
struct MSnap {
    id: SnapId,
    chain: ChainKey,
    blocks: Vec<Blk>,
}

struct Harness {
    bs: usize,
    e: BlockEngine,
    store: HashMap<ContentHash, Vec<u8>>,
    /// Where each stored content's bytes are kept, and every slot ever given.
    slots: HashMap<ContentHash, u64>,
    slots_given: HashSet<u64>,
    /// The engine's records as a store keeps them (every op's changes applied).
    records: BTreeMap<String, Vec<u8>>,
    vols: BTreeMap<VolumeId, Vec<Blk>>,
    /// Remaining snapshots in creation order.
    snaps: Vec<MSnap>,
    next_ver: u64,
    /// Model version ↔ engine version (must be a bijection).
    ver_map: HashMap<u64, VersionId>,
    ver_back: HashMap<VersionId, u64>,
    ops: u64,
}

fn pick<T: Clone>(items: &[T], i: u8) -> Option<T> {
    if items.is_empty() {
        None
    } else {
        Some(items[i as usize % items.len()].clone())
    }
}

impl Harness {
    fn new(bs: u32) -> Harness {
        Harness {
            bs: bs as usize,
            e: BlockEngine::new(bs).unwrap(),
            store: HashMap::new(),
            slots: HashMap::new(),
            slots_given: HashSet::new(),
            records: BTreeMap::new(),
            vols: BTreeMap::new(),
            snaps: Vec::new(),
            next_ver: 1,
            ver_map: HashMap::new(),
            ver_back: HashMap::new(),
            ops: 0,
        }
    }

    fn apply(&mut self, fx: Effects) {
        for (at, b) in fx.put {
            let h = at.hash;
            assert_eq!(HashAlgo::NEW.hash(&b), h, "put bytes must match their hash");
            assert!(self.store.insert(h, b).is_none(), "content put twice");
            // A newly stored content gets a slot never given before.
            let slot = at.slot.expect("a newly stored content has a slot");
            assert!(self.slots_given.insert(slot), "slot {slot} given twice");
            self.slots.insert(h, slot);
        }
        for at in fx.delete {
            assert!(self.store.remove(&at.hash).is_some(), "deleting a content never stored");
            assert_eq!(
                self.slots.remove(&at.hash),
                at.slot,
                "a content is freed where it was kept"
            );
        }
    }

    fn ver(&mut self) -> u64 {
        self.next_ver += 1;
        self.next_ver
    }

    fn origin(chain: &ChainKey) -> VolumeId {
        match chain {
            ChainKey::Volume(v) => *v,
            ChainKey::Copy { source, .. } => *source,
        }
    }

    fn chain_snaps(&self, key: &ChainKey) -> Vec<&MSnap> {
        self.snaps.iter().filter(|s| &s.chain == key).collect()
    }

    fn pad(blocks: &[Blk], size: usize) -> Vec<Blk> {
        let mut b = blocks.to_vec();
        b.resize(size, EMPTY);
        b
    }

    fn step(&mut self, op: &Op) {
        self.ops += 1;
        let vols: Vec<VolumeId> = self.vols.keys().copied().collect();
        let snap_ids: Vec<usize> = (0..self.snaps.len()).collect();
        let bs = self.bs;
        match *op {
            Op::CreateVol { size } => {
                let v = self.e.create_volume(size as u64).unwrap();
                self.vols.insert(v, vec![EMPTY; size as usize]);
            }
            Op::Write {
                vol,
                offset,
                len,
                fill,
                kind,
            } => {
                let Some(v) = pick(&vols, vol) else { return };
                let size = self.vols[&v].len();
                let size_bytes = size * bs;
                let mut off = offset as usize % (size_bytes + 1);
                let mut data: Vec<u8> = match kind {
                    0 => vec![0u8; len as usize],
                    1 => vec![fill; len as usize],
                    2 => (0..len as usize).map(|i| (i as u8).wrapping_mul(fill) ^ fill).collect(),
                    3 if size > 0 => {
                        // Exact bytes of a pattern block at an aligned offset (canonicalization).
                        let lba = off / bs % size;
                        off = lba * bs;
                        let plba = if fill % 2 == 0 { lba } else { lba + 1 } as u64;
                        pattern_bytes(fill as u64 % 3, plba, bs)
                    }
                    4 => vec![fill % 2; len as usize % 700],
                    _ => vec![fill; (len as usize) * 7],
                };
                if off + data.len() > size_bytes {
                    // Out of range: must be refused untouched, then clipped.
                    let err = self.e.write(v, off as u64, &data, &self.store).unwrap_err();
                    assert!(matches!(err, BlockError::OutOfRange { .. }), "{err}");
                    data.truncate(size_bytes - off);
                }
                let need = self
                    .e
                    .needed_contents(Need::Write {
                        volume: v,
                        offset: off as u64,
                        len: data.len() as u64,
                    })
                    .unwrap();
                let partial: HashMap<ContentHash, Vec<u8>> = need.iter().map(|h| (*h, self.store[h].clone())).collect();
                // Only the prefetched contents may be read.
                let fx = self.e.write(v, off as u64, &data, &partial).unwrap();
                self.apply(fx);
                if data.is_empty() {
                    return;
                }
                let first = off / bs;
                let last = (off + data.len() - 1) / bs;
                for lba in first..=last {
                    let mut block = self.vols[&v][lba].bytes.clone().unwrap_or_else(|| vec![0u8; bs]);
                    let lo = off.max(lba * bs);
                    let hi = (off + data.len()).min((lba + 1) * bs);
                    block[lo - lba * bs..hi - lba * bs].copy_from_slice(&data[lo - off..hi - off]);
                    let ver = self.ver();
                    let bytes = if block.iter().all(|&b| b == 0) {
                        None
                    } else {
                        Some(block)
                    };
                    self.vols.get_mut(&v).unwrap()[lba] = Blk { bytes, ver };
                }
            }
            Op::Text { vol, lba, label } => {
                let Some(v) = pick(&vols, vol) else { return };
                let size = self.vols[&v].len();
                if size == 0 {
                    return;
                }
                let lba = lba as usize % size;
                let text = format!("L{label}");
                let fx = self.e.write_text(v, lba as u64, &text).unwrap();
                self.apply(fx);
                let mut block = vec![0u8; bs];
                block[..text.len()].copy_from_slice(text.as_bytes());
                let ver = self.ver();
                self.vols.get_mut(&v).unwrap()[lba] = Blk {
                    bytes: Some(block),
                    ver,
                };
            }
            Op::Fill { vol, lba, count, seed } => {
                let Some(v) = pick(&vols, vol) else { return };
                let size = self.vols[&v].len();
                let from = lba as usize % (size + 1);
                let count = count as usize;
                if from + count > size {
                    let err = self.e.fill(v, from as u64, count as u64, seed as u64).unwrap_err();
                    assert!(matches!(err, BlockError::OutOfRange { .. }));
                    return;
                }
                let fx = self.e.fill(v, from as u64, count as u64, seed as u64).unwrap();
                assert!(fx.put.is_empty(), "fills store nothing");
                self.apply(fx);
                for l in from..from + count {
                    let ver = self.ver();
                    let bytes = Some(pattern_bytes(seed as u64, l as u64, bs));
                    self.vols.get_mut(&v).unwrap()[l] = Blk { bytes, ver };
                }
            }
            Op::Snapshot { vol } => {
                let Some(v) = pick(&vols, vol) else { return };
                let id = self.e.snapshot(v).unwrap();
                self.snaps.push(MSnap {
                    id,
                    chain: ChainKey::Volume(v),
                    blocks: self.vols[&v].clone(),
                });
            }
            Op::DeleteSnap { snap } => {
                let Some(i) = pick(&snap_ids, snap) else {
                    return;
                };
                let s = self.snaps[i].clone();
                let before: Vec<(SnapId, String)> = self
                    .snaps
                    .iter()
                    .map(|m| (m.id, self.e.checksum(Target::Snapshot(m.id)).unwrap()))
                    .collect();
                let cap_before = self.model_capacity(&s.chain);
                // Expected per LBA: freed (no other remaining snapshot of the chain has the
                // version) or, if the deleted snapshot owned it, its new owner.
                let chain_before: Vec<MSnap> = self.chain_snaps(&s.chain).into_iter().cloned().collect();
                let mut want_freed = BTreeSet::new();
                let mut want_moved = BTreeMap::new();
                for (lba, b) in s.blocks.iter().enumerate() {
                    if b.ver == 0 {
                        continue;
                    }
                    let holders: Vec<SnapId> = chain_before
                        .iter()
                        .filter(|m| m.blocks.get(lba).map(|x| x.ver) == Some(b.ver))
                        .map(|m| m.id)
                        .collect();
                    let others: Vec<SnapId> = holders.iter().copied().filter(|h| *h != s.id).collect();
                    if others.is_empty() {
                        want_freed.insert(lba as u64);
                    } else if holders[0] == s.id {
                        want_moved.insert(lba as u64, others[0]);
                    }
                }
                let preview = self.e.preview_delete(s.id).unwrap();
                let stored_before = self.e.stored_bytes();
                let (report, fx) = self.e.delete_snapshot(s.id).unwrap();
                assert_eq!(preview, report, "preview must equal the deletion");
                assert_eq!(report.physical_freed_bytes, fx.delete.len() as u64 * bs as u64);
                self.apply(fx);
                assert_eq!(self.e.stored_bytes(), stored_before - report.physical_freed_bytes);
                let got_freed: BTreeSet<u64> = report.freed.iter().flat_map(|r| r.lba..r.lba + r.len).collect();
                let got_moved: BTreeMap<u64, SnapId> = report
                    .moved
                    .iter()
                    .flat_map(|r| (r.lba..r.lba + r.len).map(move |l| (l, r.new_owner)))
                    .collect();
                assert_eq!(got_freed, want_freed, "freed versions (R-DEL-3)");
                assert_eq!(got_moved, want_moved, "versions merged into the successor (R-DEL-3)");
                self.snaps.remove(i);
                let cap_after = self.model_capacity(&s.chain);
                assert_eq!(report.capacity_before_blocks, cap_before);
                assert_eq!(report.capacity_after_blocks, cap_after);
                assert_eq!(report.freed_blocks(), cap_before - cap_after);
                // Successor = next remaining snapshot of the chain.
                let succ = self.snaps.iter().skip(i).find(|m| m.chain == s.chain).map(|m| m.id);
                assert_eq!(report.successor, succ);
                // R-DEL-5: every remaining snapshot restores identically.
                for (id, sum) in before {
                    if id != s.id {
                        assert_eq!(self.e.checksum(Target::Snapshot(id)).unwrap(), sum, "R-DEL-5");
                    }
                }
            }
            Op::Reset { vol, snap } => {
                let Some(v) = pick(&vols, vol) else { return };
                let Some(i) = pick(&snap_ids, snap) else {
                    return;
                };
                let s = self.snaps[i].clone();
                if s.chain != ChainKey::Volume(v) {
                    // R-RB-4 / R-CPY-1
                    let err = self.e.reset_volume(v, s.id).unwrap_err();
                    assert_eq!(
                        err,
                        BlockError::NotInChain {
                            snapshot: s.id,
                            volume: v
                        }
                    );
                    return;
                }
                let fx = self.e.reset_volume(v, s.id).unwrap();
                self.apply(fx);
                let size = self.vols[&v].len(); // R-RB-5
                self.vols.insert(v, Self::pad(&s.blocks, size));
            }
            Op::Reinit { vol, snap } => {
                let Some(v) = pick(&vols, vol) else { return };
                let size = self.vols[&v].len();
                let target = snap.and_then(|s| pick(&snap_ids, s)).map(|i| self.snaps[i].clone());
                match target {
                    None => {
                        let fx = self.e.reinit_volume(v, None).unwrap();
                        self.apply(fx);
                        self.vols.insert(v, vec![EMPTY; size]);
                    }
                    Some(s) if s.blocks.len() > size => {
                        let err = self.e.reinit_volume(v, Some(s.id)).unwrap_err();
                        assert!(matches!(err, BlockError::SizeTooSmall { .. }));
                    }
                    Some(s) => {
                        let fx = self.e.reinit_volume(v, Some(s.id)).unwrap();
                        self.apply(fx);
                        self.vols.insert(v, Self::pad(&s.blocks, size));
                    }
                }
            }
            Op::Resize { vol, grow } => {
                let Some(v) = pick(&vols, vol) else { return };
                let size = self.vols[&v].len();
                if grow == 0 && size > 0 {
                    let err = self.e.resize_volume(v, size as u64 - 1).unwrap_err();
                    assert!(matches!(err, BlockError::ShrinkNotAllowed { .. }));
                    return;
                }
                let new = (size + grow as usize).min(64.max(size));
                self.e.resize_volume(v, new as u64).unwrap();
                self.vols.get_mut(&v).unwrap().resize(new, EMPTY);
            }
            Op::FromSnap { snap, extra } => {
                let Some(i) = pick(&snap_ids, snap) else {
                    return;
                };
                let s = self.snaps[i].clone();
                let size = s.blocks.len();
                if extra == 0 && size > 0 {
                    let err = self.e.create_volume_from_snapshot(s.id, size as u64 - 1).unwrap_err();
                    assert!(matches!(err, BlockError::SizeTooSmall { .. })); // R-DSK-1
                    return;
                }
                let new = size + extra as usize;
                let v = self.e.create_volume_from_snapshot(s.id, new as u64).unwrap();
                self.vols.insert(v, Self::pad(&s.blocks, new));
            }
            Op::Copy { snap, region } => {
                let Some(i) = pick(&snap_ids, snap) else {
                    return;
                };
                let s = self.snaps[i].clone();
                let region = RegionKey(format!("region-{region}"));
                let key = ChainKey::Copy {
                    source: Self::origin(&s.chain),
                    region: region.clone(),
                };
                // R-CPY-2: transfer only the versions the destination chain does not have.
                let there: BTreeSet<u64> = self
                    .chain_snaps(&key)
                    .iter()
                    .flat_map(|m| m.blocks.iter().map(|b| b.ver))
                    .collect();
                let expect = s
                    .blocks
                    .iter()
                    .filter(|b| b.ver != 0 && !there.contains(&b.ver))
                    .count() as u64;
                let (id, transferred) = self.e.copy_snapshot(s.id, region).unwrap();
                assert_eq!(transferred, expect, "R-CPY-2 transferred blocks");
                self.snaps.push(MSnap {
                    id,
                    chain: key,
                    blocks: s.blocks.clone(),
                });
            }
            Op::DeleteVol { vol } => {
                let Some(v) = pick(&vols, vol) else { return };
                let fx = self.e.delete_volume(v).unwrap();
                self.apply(fx);
                self.vols.remove(&v);
            }
            Op::RoundTrip => {
                // The whole-engine document (an export; it names no slots) reads back the same.
                let json = serde_json::to_string(&self.e).unwrap();
                let back: BlockEngine = serde_json::from_str(&json).unwrap();
                assert_eq!(serde_json::to_string(&back).unwrap(), json);
                // The records, as a store keeps them, give back the same engine, slots included.
                self.save_records();
                let records = self.records.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                let back = BlockEngine::from_records(self.e.header(), records).unwrap();
                assert_eq!(serde_json::to_string(&back).unwrap(), json);
                assert_eq!(back.stored_blocks(), self.e.stored_blocks(), "slots survive a reload");
                self.e = back;
            }
        }
    }

    fn model_capacity(&self, key: &ChainKey) -> u64 {
        let vers: BTreeSet<u64> = self
            .chain_snaps(key)
            .iter()
            .flat_map(|m| m.blocks.iter().map(|b| b.ver).filter(|v| *v != 0))
            .collect();
        vers.len() as u64
    }

    fn model_bytes(&self, blocks: &[Blk]) -> Vec<u8> {
        let mut out = Vec::with_capacity(blocks.len() * self.bs);
        for b in blocks {
            match &b.bytes {
                Some(x) => out.extend_from_slice(x),
                None => out.resize(out.len() + self.bs, 0),
            }
        }
        out
    }

    fn check_versions(&mut self, t: Target, blocks: &[Blk]) {
        for (lba, b) in blocks.iter().enumerate() {
            let ev = self.e.version_at(t, lba as u64).unwrap();
            match (b.ver, ev) {
                (0, None) => {}
                (0, Some(x)) => panic!("{t:?} lba {lba}: engine has {x:?}, model nothing"),
                (m, None) => panic!("{t:?} lba {lba}: model has version {m}, engine nothing"),
                (m, Some(x)) => {
                    let a = *self.ver_map.entry(m).or_insert(x);
                    let b2 = *self.ver_back.entry(x).or_insert(m);
                    assert!(a == x && b2 == m, "{t:?} lba {lba}: version identity differs");
                }
            }
        }
    }

    /// Applies the engine's changed records to `records`, as a session commits them.
    fn save_records(&mut self) {
        let changes = self.e.take_changes();
        if changes.replace_all {
            self.records.clear();
        }
        for (key, value) in changes.records {
            match value {
                Some(v) => self.records.insert(key, v),
                None => self.records.remove(&key),
            };
        }
    }

    fn check(&mut self) {
        self.save_records();
        if let Err(e) = self.e.check_invariants() {
            panic!("invariants after {} ops: {e}", self.ops);
        }
        // Bytes, versions, checksums.
        let mut targets: Vec<(Target, Vec<Blk>)> =
            self.vols.iter().map(|(v, b)| (Target::Volume(*v), b.clone())).collect();
        targets.extend(self.snaps.iter().map(|s| (Target::Snapshot(s.id), s.blocks.clone())));
        let mut sums: Vec<(Vec<u8>, String)> = Vec::new();
        for (t, blocks) in &targets {
            let want = self.model_bytes(blocks);
            let n = blocks.len() as u64;
            let got = self.e.read_blocks(*t, 0, n, &self.store).unwrap();
            assert!(
                got == want,
                "{t:?} reads differently from the model after {} ops",
                self.ops
            );
            self.check_versions(*t, blocks);
            let mut key = (n * self.bs as u64).to_le_bytes().to_vec();
            key.extend(want);
            sums.push((key, self.e.checksum(*t).unwrap()));
        }
        // Checksums are equal exactly when the bytes (and sizes) are: sorted by bytes, equal
        // neighbours share a checksum and every group of bytes has its own checksum.
        sums.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut groups = 0;
        for (i, (bytes, sum)) in sums.iter().enumerate() {
            if i > 0 && sums[i - 1].0 == *bytes {
                assert_eq!(&sums[i - 1].1, sum, "equal bytes, different checksums");
            } else {
                groups += 1;
            }
        }
        let distinct: BTreeSet<&String> = sums.iter().map(|s| &s.1).collect();
        assert_eq!(distinct.len(), groups, "equal checksums for different bytes");
        // Chains: membership, capacity (R-CHN-1) and ownership.
        let mut keys: BTreeSet<ChainKey> = self.snaps.iter().map(|s| s.chain.clone()).collect();
        keys.extend(self.vols.keys().map(|v| ChainKey::Volume(*v)));
        let engine_keys: BTreeSet<ChainKey> = self.e.chains().into_iter().collect();
        assert_eq!(engine_keys, keys, "chains");
        for key in &keys {
            let chain = self.chain_snaps(key);
            let ids: Vec<SnapId> = chain.iter().map(|s| s.id).collect();
            assert_eq!(self.e.chain_snapshots(key), ids);
            let cap = self.model_capacity(key);
            assert_eq!(self.e.chain_capacity_blocks(key), cap, "capacity of {key:?}");
            let view = self.e.chain_view(key);
            assert_eq!(view.capacity_blocks, cap);
            for (sv, ms) in view.snapshots.iter().zip(chain.iter()) {
                assert_eq!(sv.id, ms.id);
                let mut owner_at = vec![None; ms.blocks.len()];
                for r in sv.owned.iter().chain(sv.referenced.iter()) {
                    for l in r.lba..r.lba + r.len {
                        owner_at[l as usize] = r.owner;
                    }
                }
                for (lba, b) in ms.blocks.iter().enumerate() {
                    let want = if b.ver == 0 {
                        None
                    } else {
                        chain
                            .iter()
                            .find(|o| o.blocks.get(lba).map(|x| x.ver) == Some(b.ver))
                            .map(|o| o.id)
                    };
                    assert_eq!(owner_at[lba], want, "owner of {:?} lba {lba} in {key:?}", ms.id);
                }
            }
        }
        // A volume's live map: owner = earliest snapshot of its own chain holding the version.
        for (v, blocks) in &self.vols {
            let chain = self.chain_snaps(&ChainKey::Volume(*v));
            let mut owner_at = vec![None; blocks.len()];
            for r in self.e.volume_view(*v).unwrap() {
                for l in r.lba..r.lba + r.len {
                    owner_at[l as usize] = r.owner;
                }
            }
            for (lba, b) in blocks.iter().enumerate() {
                let want = if b.ver == 0 {
                    None
                } else {
                    chain
                        .iter()
                        .find(|o| o.blocks.get(lba).map(|x| x.ver) == Some(b.ver))
                        .map(|o| o.id)
                };
                assert_eq!(owner_at[lba], want, "volume {v:?} lba {lba} holder");
            }
        }
        // Physical: exactly the referenced contents are stored.
        let stored: BTreeSet<ContentHash> = self.store.keys().copied().collect();
        let engine: BTreeSet<ContentHash> = self.e.stored_contents().into_iter().collect();
        assert_eq!(stored, engine, "stored contents");
        for h in &stored {
            assert_eq!(
                self.e.stored_block(*h).slot,
                self.slots.get(h).copied(),
                "slot of a stored content"
            );
        }
    }

    fn delete_everything(&mut self) {
        while let Some(s) = self.snaps.first().cloned() {
            let (_, fx) = self.e.delete_snapshot(s.id).unwrap();
            self.apply(fx);
            self.snaps.remove(0);
        }
        for v in self.vols.keys().copied().collect::<Vec<_>>() {
            let fx = self.e.delete_volume(v).unwrap();
            self.apply(fx);
        }
        self.vols.clear();
        self.e.check_invariants().unwrap();
        assert!(self.store.is_empty(), "stored bytes left after deleting everything");
        assert!(self.e.stored_contents().is_empty());
        assert!(self.e.chains().is_empty());
        assert!(self.e.snapshots().is_empty() && self.e.volumes().is_empty());
    }
}

static OPS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    fn engine_matches_naive_model(
        bs in prop::sample::select(vec![512u32, 1024, 4096]),
        sizes in prop::collection::vec(8u8..40, 1..3),
        ops in prop::collection::vec(op(), 100..=120),
    ) {
        let mut h = Harness::new(bs);
        for s in sizes {
            h.step(&Op::CreateVol { size: s });
        }
        for op in &ops {
            h.step(op);
            h.check();
        }
        h.delete_everything();
        OPS.fetch_add(h.ops, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn model_runs_at_least_10000_operations() {
    // Runs the same property explicitly so the total is visible in the output.
    let before = std::time::Instant::now();
    engine_matches_naive_model();
    let ops = OPS.load(std::sync::atomic::Ordering::Relaxed);
    println!("block model: {ops} operations in {:?}", before.elapsed());
    assert!(ops >= 10_000, "only {ops} operations");
}
