//! Unit tests per spec rule (rule IDs in comments).

use std::collections::HashMap;

use super::*;

const BS: u32 = 4096;

/// Physical store applying [`Effects`] strictly: no double put, no delete of a missing content,
/// a new slot for every content stored, freed where it was kept.
#[derive(Default)]
struct Store(HashMap<ContentHash, Vec<u8>>, HashMap<ContentHash, u64>);

impl Store {
    fn apply(&mut self, fx: Effects) {
        for (at, b) in fx.put {
            assert_eq!(HashAlgo::NEW.hash(&b), at.hash);
            assert!(self.0.insert(at.hash, b).is_none(), "content stored twice");
            let slot = at.slot.expect("a newly stored content has a slot");
            assert!(self.1.values().all(|s| *s != slot), "slot {slot} given twice");
            self.1.insert(at.hash, slot);
        }
        for at in fx.delete {
            assert!(self.0.remove(&at.hash).is_some(), "deleting a content never stored");
            assert_eq!(self.1.remove(&at.hash), at.slot);
        }
    }
}

struct World {
    e: BlockEngine,
    store: Store,
}

impl World {
    fn new() -> World {
        World {
            e: BlockEngine::new(BS).unwrap(),
            store: Store::default(),
        }
    }
    fn text(&mut self, v: VolumeId, lba: u64, t: &str) {
        let fx = self.e.write_text(v, lba, t).unwrap();
        self.store.apply(fx);
        self.e.check_invariants().unwrap();
    }
    fn write(&mut self, v: VolumeId, off: u64, bytes: &[u8]) {
        let fx = self.e.write(v, off, bytes, &self.store.0).unwrap();
        self.store.apply(fx);
        self.e.check_invariants().unwrap();
    }
    fn label(&self, t: Target, lba: u64) -> String {
        let b = self.e.read_block(t, lba, &self.store.0).unwrap();
        let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        String::from_utf8(b[..n].to_vec()).unwrap()
    }
    fn labels(&self, t: Target, n: u64) -> Vec<String> {
        (0..n).map(|l| self.label(t, l)).collect()
    }
    fn delete(&mut self, s: SnapId) -> DeleteReport {
        let preview = self.e.preview_delete(s).unwrap();
        let (report, fx) = self.e.delete_snapshot(s).unwrap();
        assert_eq!(preview, report, "preview must match the deletion");
        assert_eq!(report.physical_freed_bytes, fx.delete.len() as u64 * BS as u64);
        self.store.apply(fx);
        self.e.check_invariants().unwrap();
        report
    }
    fn owned(&self, key: &ChainKey, s: SnapId) -> u64 {
        self.e
            .chain_view(key)
            .snapshots
            .iter()
            .find(|v| v.id == s)
            .unwrap()
            .owned_blocks
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The R-INC-3 example: returns (world, volume, S1, S2, S3).
fn inc3() -> (World, VolumeId, SnapId, SnapId, SnapId) {
    let mut w = World::new();
    let v = w.e.create_volume(8).unwrap();
    for (l, t) in ["A", "B", "C", "D"].iter().enumerate() {
        w.text(v, l as u64, t);
    }
    let s1 = w.e.snapshot(v).unwrap();
    w.text(v, 1, "B1");
    w.text(v, 2, "C1");
    let s2 = w.e.snapshot(v).unwrap();
    w.text(v, 1, "B2");
    let s3 = w.e.snapshot(v).unwrap();
    (w, v, s1, s2, s3)
}

#[test]
fn bad_block_sizes_are_refused() {
    for bad in [0u32, 256, 1000, 3000, 8 << 20] {
        assert_eq!(
            BlockEngine::new(bad).unwrap_err(),
            BlockError::BadBlockSize { size: bad as u64 }
        );
    }
    for good in [512u32, 4096, 4 << 20] {
        assert!(BlockEngine::new(good).is_ok());
    }
}

#[test]
fn r_inc_1_first_snapshot_is_full_and_r_inc_2_later_ones_incremental() {
    let (w, v, s1, s2, s3) = inc3();
    let key = ChainKey::Volume(v);
    // R-INC-1: S1 owns every written block and no empty block.
    assert_eq!(w.owned(&key, s1), 4);
    // R-INC-2: S2 owns B1, C1 and references A, D from S1.
    let view = w.e.chain_view(&key);
    let v2 = &view.snapshots[1];
    assert_eq!(v2.id, s2);
    assert_eq!(v2.owned_blocks, 2);
    assert_eq!(v2.referenced_blocks, 2);
    assert!(v2.referenced.iter().all(|r| r.owner == Some(s1)));
    // S3 stores B2 and references A, D (S1) and C1 (S2).
    let v3 = &view.snapshots[2];
    assert_eq!(v3.owned_blocks, 1);
    assert_eq!(w.e.owner_at(s3, 0).unwrap(), Some(s1));
    assert_eq!(w.e.owner_at(s3, 1).unwrap(), Some(s3));
    assert_eq!(w.e.owner_at(s3, 2).unwrap(), Some(s2));
    assert_eq!(w.e.owner_at(s3, 3).unwrap(), Some(s1));
    assert_eq!(w.e.owner_at(s3, 4).unwrap(), None);
}

#[test]
fn r_inc_3_worked_example_capacities_and_restore() {
    let mut w = World::new();
    let v = w.e.create_volume(8).unwrap();
    let key = ChainKey::Volume(v);
    for (l, t) in ["A", "B", "C", "D"].iter().enumerate() {
        w.text(v, l as u64, t);
    }
    w.e.snapshot(v).unwrap();
    assert_eq!(w.e.chain_capacity_blocks(&key), 4);
    w.text(v, 1, "B1");
    w.text(v, 2, "C1");
    w.e.snapshot(v).unwrap();
    assert_eq!(w.e.chain_capacity_blocks(&key), 6);
    w.text(v, 1, "B2");
    let s3 = w.e.snapshot(v).unwrap();
    assert_eq!(w.e.chain_capacity_blocks(&key), 7);
    assert_eq!(w.e.chain_capacity_bytes(&key), 7 * BS as u64);
    // Restoring S3 yields A, B2, C1, D.
    w.text(v, 0, "junk");
    let fx = w.e.reset_volume(v, s3).unwrap();
    w.store.apply(fx);
    w.e.check_invariants().unwrap();
    assert_eq!(w.labels(Target::Volume(v), 5), strs(&["A", "B2", "C1", "D", ""]));
}

#[test]
fn r_del_4_deleting_s2_frees_b1_and_moves_c1_to_s3() {
    let (mut w, v, s1, s2, s3) = inc3();
    let key = ChainKey::Volume(v);
    let sum3 = w.e.checksum(Target::Snapshot(s3)).unwrap();
    let sum1 = w.e.checksum(Target::Snapshot(s1)).unwrap();
    let r = w.delete(s2);
    assert_eq!(r.successor, Some(s3));
    assert_eq!(r.capacity_before_blocks, 7);
    assert_eq!(r.capacity_after_blocks, 6);
    assert_eq!(r.capacity_after_bytes, 6 * BS as u64);
    assert_eq!(w.e.chain_capacity_blocks(&key), 6);
    // B1 (LBA 1) freed, C1 (LBA 2) merged into S3 (R-DEL-3).
    assert_eq!(r.freed.len(), 1);
    assert_eq!((r.freed[0].lba, r.freed[0].len, r.freed[0].owner), (1, 1, Some(s2)));
    assert_eq!(r.moved.len(), 1);
    assert_eq!((r.moved[0].lba, r.moved[0].len, r.moved[0].new_owner), (2, 1, s3));
    assert_eq!(w.e.owner_at(s3, 2).unwrap(), Some(s3));
    assert_eq!(w.owned(&key, s3), 2);
    // B1 is needed by nothing else: its bytes are freed.
    assert_eq!(r.physical_freed_bytes, BS as u64);
    // R-DEL-5: remaining snapshots restore identically.
    assert_eq!(w.e.checksum(Target::Snapshot(s3)).unwrap(), sum3);
    assert_eq!(w.e.checksum(Target::Snapshot(s1)).unwrap(), sum1);
    assert_eq!(w.labels(Target::Snapshot(s3), 4), strs(&["A", "B2", "C1", "D"]));
    assert_eq!(w.labels(Target::Snapshot(s1), 4), strs(&["A", "B", "C", "D"]));
    let _ = v;
}

#[test]
fn r_del_4_second_example_chain_records_ten_blocks() {
    let mut w = World::new();
    let v = w.e.create_volume(16).unwrap();
    let key = ChainKey::Volume(v);
    for l in 0..6 {
        w.text(v, l, &format!("s0-{l}"));
    }
    let s0 = w.e.snapshot(v).unwrap();
    for l in 6..10 {
        w.text(v, l, &format!("s1-{l}"));
    }
    let s1 = w.e.snapshot(v).unwrap();
    w.text(v, 6, "s2-6");
    w.text(v, 7, "s2-7");
    let s2 = w.e.snapshot(v).unwrap();
    assert_eq!(w.owned(&key, s0), 6);
    assert_eq!(w.owned(&key, s1), 4);
    assert_eq!(w.owned(&key, s2), 2);
    assert_eq!(w.e.chain_capacity_blocks(&key), 12);
    let r = w.delete(s1);
    assert_eq!(r.freed_blocks(), 2); // the S1 blocks S2 overwrote
    assert!(r.freed.iter().all(|f| (6..8).contains(&f.lba) && f.owner == Some(s1)));
    assert_eq!(r.moved_blocks(), 2); // the S1 blocks S2 still references
    assert!(r.moved.iter().all(|m| m.new_owner == s2 && (8..10).contains(&m.lba)));
    assert_eq!(w.e.chain_capacity_blocks(&key), 10);
    assert_eq!(w.owned(&key, s0), 6);
    assert_eq!(w.owned(&key, s2), 4);
}

#[test]
fn r_inc_4_rewriting_same_bytes_is_a_change() {
    let mut w = World::new();
    let v = w.e.create_volume(4).unwrap();
    let key = ChainKey::Volume(v);
    w.text(v, 0, "same");
    let s1 = w.e.snapshot(v).unwrap();
    w.text(v, 0, "same");
    let s2 = w.e.snapshot(v).unwrap();
    assert_eq!(w.owned(&key, s2), 1);
    assert_eq!(w.e.chain_capacity_blocks(&key), 2);
    assert_eq!(w.e.stored_bytes(), BS as u64); // deduplicated physically
    assert_eq!(
        w.e.checksum(Target::Snapshot(s1)).unwrap(),
        w.e.checksum(Target::Snapshot(s2)).unwrap()
    );
    // A guest write of zeros is a change too, though never stored.
    w.write(v, 0, &vec![0u8; BS as usize]);
    let s3 = w.e.snapshot(v).unwrap();
    assert_eq!(w.owned(&key, s3), 1);
    assert_eq!(w.e.chain_capacity_blocks(&key), 3);
    assert_eq!(w.e.content_at(Target::Snapshot(s3), 0).unwrap(), Content::Zero);
}

#[test]
fn r_inc_5_snapshot_is_a_point_in_time() {
    let mut w = World::new();
    let v = w.e.create_volume(4).unwrap();
    w.text(v, 0, "before");
    let s = w.e.snapshot(v).unwrap();
    w.text(v, 0, "after");
    w.text(v, 1, "new");
    assert_eq!(w.labels(Target::Snapshot(s), 2), strs(&["before", ""]));
    assert_eq!(w.labels(Target::Volume(v), 2), strs(&["after", "new"]));
    assert_eq!(w.e.dirty_runs(v).unwrap(), vec![(0, 2)]);
}

#[test]
fn r_rb_3_4_5_rollback() {
    let mut w = World::new();
    let a = w.e.create_volume(4).unwrap();
    let b = w.e.create_volume(4).unwrap();
    w.text(a, 0, "a0");
    w.text(a, 2, "a2");
    w.text(b, 0, "b0");
    let sa = w.e.snapshot(a).unwrap();
    let sb = w.e.snapshot(b).unwrap();
    w.text(a, 0, "x");
    w.text(a, 1, "y");
    w.text(b, 0, "z");
    // R-RB-4: a snapshot rolls back only its own disk.
    assert_eq!(
        w.e.reset_volume(a, sb).unwrap_err(),
        BlockError::NotInChain {
            snapshot: sb,
            volume: a
        }
    );
    // R-RB-5: resized after the snapshot: rollback keeps the new size.
    w.e.resize_volume(a, 10).unwrap();
    w.text(a, 9, "tail");
    let fx = w.e.reset_volume(a, sa).unwrap();
    w.store.apply(fx);
    w.e.check_invariants().unwrap();
    assert_eq!(w.e.volume_size(a).unwrap(), 10);
    // R-RB-3: the whole disk returns; the other disk is untouched.
    assert_eq!(
        w.labels(Target::Volume(a), 10),
        strs(&["a0", "", "a2", "", "", "", "", "", "", ""])
    );
    assert_eq!(w.labels(Target::Volume(b), 1), strs(&["z"]));
    assert_eq!(
        w.e.reset_volume(a, SnapId(999)).unwrap_err(),
        BlockError::SnapshotNotFound(SnapId(999))
    );
}

#[test]
fn r_dsk_1_volume_from_snapshot_and_r_dsk_2_reinit() {
    let (mut w, v, s1, _s2, s3) = inc3();
    assert_eq!(
        w.e.create_volume_from_snapshot(s3, 4).unwrap_err(),
        BlockError::SizeTooSmall {
            requested: 4,
            snapshot_size: 8
        }
    );
    let d = w.e.create_volume_from_snapshot(s3, 8).unwrap();
    assert_eq!(
        w.e.checksum(Target::Volume(d)).unwrap(),
        w.e.checksum(Target::Snapshot(s3)).unwrap()
    );
    let big = w.e.create_volume_from_snapshot(s3, 20).unwrap();
    assert_eq!(w.labels(Target::Volume(big), 4), strs(&["A", "B2", "C1", "D"]));
    w.e.check_invariants().unwrap();
    // Its own chain; its first snapshot is full again though bytes are shared.
    let stored = w.e.stored_bytes();
    let sd = w.e.snapshot(d).unwrap();
    assert_eq!(w.e.chain_of(sd).unwrap(), ChainKey::Volume(d));
    assert_eq!(w.owned(&ChainKey::Volume(d), sd), 4);
    assert_eq!(w.e.stored_bytes(), stored);
    // R-DSK-2: re-init to the source snapshot, then to empty.
    w.text(d, 0, "scribble");
    w.text(d, 7, "more");
    let fx = w.e.reinit_volume(d, Some(s3)).unwrap();
    w.store.apply(fx);
    assert_eq!(
        w.labels(Target::Volume(d), 8),
        strs(&["A", "B2", "C1", "D", "", "", "", ""])
    );
    let fx = w.e.reinit_volume(d, None).unwrap();
    w.store.apply(fx);
    w.e.check_invariants().unwrap();
    assert_eq!(w.labels(Target::Volume(d), 8), strs(&["", "", "", "", "", "", "", ""]));
    // A snapshot after re-init records tombstones: its content is empty, S(d) keeps its own.
    let sd2 = w.e.snapshot(d).unwrap();
    assert_eq!(w.e.chain_view(&ChainKey::Volume(d)).snapshots[1].owned_blocks, 0);
    assert_eq!(w.labels(Target::Snapshot(sd2), 1), strs(&[""]));
    assert_eq!(w.labels(Target::Snapshot(sd), 1), strs(&["A"]));
    let _ = (v, s1);
}

#[test]
fn r_cpy_1_2_copies() {
    let (mut w, v, s1, s2, s3) = inc3();
    let region = RegionKey("cn-shanghai".into());
    let (c1, t1) = w.e.copy_snapshot(s1, region.clone()).unwrap();
    assert_eq!(t1, 4); // R-CPY-2: first copy transfers everything
    let (c2, t2) = w.e.copy_snapshot(s2, region.clone()).unwrap();
    assert_eq!(t2, 2); // then only what is not there yet (B1, C1)
    let (c3, t3) = w.e.copy_snapshot(s3, region.clone()).unwrap();
    assert_eq!(t3, 1);
    let key = ChainKey::Copy {
        source: v,
        region: region.clone(),
    };
    assert_eq!(w.e.chain_of(c1).unwrap(), key);
    assert_eq!(w.e.chain_capacity_blocks(&key), 7);
    assert_eq!(
        w.e.checksum(Target::Snapshot(c2)).unwrap(),
        w.e.checksum(Target::Snapshot(s2)).unwrap()
    );
    // R-CPY-1: a copy cannot roll back the source disk, but can create disks.
    assert_eq!(
        w.e.reset_volume(v, c3).unwrap_err(),
        BlockError::NotInChain {
            snapshot: c3,
            volume: v
        }
    );
    let d = w.e.create_volume_from_snapshot(c3, 8).unwrap();
    assert_eq!(w.labels(Target::Volume(d), 4), strs(&["A", "B2", "C1", "D"]));
    // Another region starts over.
    let (_, t) = w.e.copy_snapshot(s3, RegionKey("eu-central-1".into())).unwrap();
    assert_eq!(t, 4);
    // Copies of copies stay in the source volume's chain for that region.
    let (c4, t4) = w.e.copy_snapshot(c1, region.clone()).unwrap();
    assert_eq!((w.e.chain_of(c4).unwrap(), t4), (key, 0));
    w.e.check_invariants().unwrap();
}

#[test]
fn r_del_3_deletion_frees_only_unneeded_versions_and_r_del_5_restores() {
    let (mut w, v, s1, s2, s3) = inc3();
    let sums: Vec<String> = [s1, s2, s3]
        .iter()
        .map(|s| w.e.checksum(Target::Snapshot(*s)).unwrap())
        .collect();
    // Deleting the first snapshot: everything S2 still maps moves to it.
    let r = w.delete(s1);
    assert_eq!(r.freed_blocks(), 2); // B and C
    assert_eq!(r.moved_blocks(), 2); // A and D now owned by S2
    assert!(r.moved.iter().all(|m| m.new_owner == s2));
    assert_eq!(w.e.chain_capacity_blocks(&ChainKey::Volume(v)), 5);
    assert_eq!(w.e.checksum(Target::Snapshot(s2)).unwrap(), sums[1]);
    assert_eq!(w.e.checksum(Target::Snapshot(s3)).unwrap(), sums[2]);
    // Deleting the last snapshot: versions the volume still maps stay stored.
    let r = w.delete(s3);
    assert_eq!(r.successor, None);
    assert_eq!(r.freed_blocks(), 1); // B2 leaves the chain…
    assert_eq!(r.physical_freed_bytes, 0); // …but the disk still has it
    assert_eq!(w.labels(Target::Volume(v), 4), strs(&["A", "B2", "C1", "D"]));
    let r = w.delete(s2);
    assert_eq!(r.capacity_after_blocks, 0);
    // Deleting the volume frees everything.
    let fx = w.e.delete_volume(v).unwrap();
    w.store.apply(fx);
    w.e.check_invariants().unwrap();
    assert!(w.store.0.is_empty());
    assert_eq!(w.e.stored_bytes(), 0);
    assert!(w.e.chains().is_empty());
}

#[test]
fn deletion_after_rollback_keeps_reappearing_versions() {
    // R-DEL-3 with a rollback: a version reappears in a later snapshot.
    let mut w = World::new();
    let v = w.e.create_volume(4).unwrap();
    let key = ChainKey::Volume(v);
    w.text(v, 0, "A");
    let s1 = w.e.snapshot(v).unwrap();
    w.text(v, 0, "B");
    let s2 = w.e.snapshot(v).unwrap();
    let fx = w.e.reset_volume(v, s1).unwrap();
    w.store.apply(fx);
    let s3 = w.e.snapshot(v).unwrap(); // maps A again
    assert_eq!(w.e.owner_at(s3, 0).unwrap(), Some(s1));
    assert_eq!(w.e.chain_capacity_blocks(&key), 2);
    let r = w.delete(s1);
    assert_eq!(r.freed_blocks(), 0);
    assert_eq!(r.moved.len(), 1);
    assert_eq!(r.moved[0].new_owner, s3);
    assert_eq!(w.e.chain_capacity_blocks(&key), 2);
    let r = w.delete(s2);
    assert_eq!(r.freed_blocks(), 1);
    assert_eq!(w.labels(Target::Snapshot(s3), 1), strs(&["A"]));
    assert_eq!(w.e.chain_capacity_blocks(&key), 1);
}

#[test]
fn fill_122_gib_is_cheap_and_byte_exact() {
    // R-INC-1: a 200 GiB disk with 122 GiB written → a 122 GiB snapshot.
    let mut e = BlockEngine::new(4096).unwrap();
    let gib = (1u64 << 30) / 4096;
    let v = e.create_volume(200 * gib).unwrap();
    let fx = e.fill(v, 0, 122 * gib, 42).unwrap();
    assert!(fx.is_empty());
    let s = e.snapshot(v).unwrap();
    let key = ChainKey::Volume(v);
    assert_eq!(e.chain_capacity_bytes(&key), 122 << 30);
    assert_eq!(e.used_blocks(Target::Snapshot(s)).unwrap(), 122 * gib);
    assert_eq!(e.stored_bytes(), 0);
    for lba in [0, 1, 12345, 122 * gib - 1] {
        let b = e.read_block(Target::Snapshot(s), lba, &NoSource).unwrap();
        assert_eq!(b, pattern_bytes(42, lba, 4096));
    }
    assert_eq!(
        e.read_block(Target::Snapshot(s), 122 * gib, &NoSource).unwrap(),
        vec![0u8; 4096]
    );
    // A small change, then a second snapshot: incremental.
    e.fill(v, 1000, 10, 7).unwrap();
    let s2 = e.snapshot(v).unwrap();
    assert_eq!(e.chain_view(&key).snapshots[1].owned_blocks, 10);
    assert_eq!(e.chain_capacity_blocks(&key), 122 * gib + 10);
    let json = serde_json::to_string(&e).unwrap();
    assert!(json.len() < 4096, "serialized state is {} bytes", json.len());
    let back: BlockEngine = serde_json::from_str(&json).unwrap();
    back.check_invariants().unwrap();
    assert_eq!(
        back.checksum(Target::Snapshot(s2)).unwrap(),
        e.checksum(Target::Snapshot(s2)).unwrap()
    );
    assert_eq!(back.chain_view(&key), e.chain_view(&key));
    e.check_invariants().unwrap();
}

#[test]
fn raw_pattern_bytes_canonicalize_to_the_fill() {
    let mut w = World::new();
    let a = w.e.create_volume(8).unwrap();
    let b = w.e.create_volume(8).unwrap();
    w.e.fill(a, 2, 4, 99).unwrap();
    let mut bytes = Vec::new();
    for lba in 2..6 {
        bytes.extend(pattern_bytes(99, lba, BS as usize));
    }
    // Write the middle blocks in one go, the edges in two partial halves.
    let bs = BS as u64;
    w.write(b, 2 * bs + 100, &bytes[100..]);
    w.write(b, 2 * bs, &bytes[..100]);
    assert_eq!(
        w.e.checksum(Target::Volume(a)).unwrap(),
        w.e.checksum(Target::Volume(b)).unwrap()
    );
    assert_eq!(w.e.stored_bytes(), 0);
    assert_eq!(
        w.e.content_at(Target::Volume(b), 3).unwrap(),
        Content::Pattern { seed: 99, lba: 3 }
    );
    // A different split of the same fill has the same checksum.
    let c = w.e.create_volume(8).unwrap();
    w.e.fill(c, 2, 2, 99).unwrap();
    w.e.fill(c, 4, 2, 99).unwrap();
    assert_eq!(
        w.e.checksum(Target::Volume(a)).unwrap(),
        w.e.checksum(Target::Volume(c)).unwrap()
    );
    // One byte off: data, and a different checksum.
    let mut off = pattern_bytes(99, 3, BS as usize);
    off[500] ^= 1;
    w.write(c, 3 * bs, &off);
    assert_ne!(
        w.e.checksum(Target::Volume(a)).unwrap(),
        w.e.checksum(Target::Volume(c)).unwrap()
    );
    assert_eq!(w.e.stored_bytes(), BS as u64);
}

#[test]
fn partial_writes_read_modify_write() {
    let mut w = World::new();
    let v = w.e.create_volume(4).unwrap();
    let bs = BS as u64;
    w.write(v, 10, b"hello");
    w.write(v, bs - 2, b"wxyz"); // spans blocks 0 and 1
    let b0 = w.e.read_block(Target::Volume(v), 0, &w.store.0).unwrap();
    assert_eq!(&b0[10..15], b"hello");
    assert_eq!(&b0[BS as usize - 2..], b"wx");
    let b1 = w.e.read_block(Target::Volume(v), 1, &w.store.0).unwrap();
    assert_eq!(&b1[..2], b"yz");
    // Prefetch planning names exactly the edge blocks.
    let need =
        w.e.needed_contents(Need::Write {
            volume: v,
            offset: bs - 1,
            len: 2,
        })
        .unwrap();
    assert_eq!(need.len(), 2);
    assert!(w
        .e
        .needed_contents(Need::Write {
            volume: v,
            offset: 0,
            len: bs
        })
        .unwrap()
        .is_empty());
    // Missing bytes → typed error, engine unchanged.
    let h = match w.e.content_at(Target::Volume(v), 0).unwrap() {
        Content::Data(h) => h,
        c => panic!("{c:?}"),
    };
    assert_eq!(
        w.e.write(v, 1, b"x", &NoSource).unwrap_err(),
        BlockError::MissingContent(h)
    );
    assert_eq!(
        w.e.read_block(Target::Volume(v), 0, &NoSource).unwrap_err(),
        BlockError::MissingContent(h)
    );
    w.e.check_invariants().unwrap();
}

#[test]
fn range_and_input_errors() {
    let mut w = World::new();
    let v = w.e.create_volume(4).unwrap();
    let bs = BS as u64;
    assert!(matches!(
        w.e.write(v, 4 * bs - 1, b"ab", &NoSource),
        Err(BlockError::OutOfRange { .. })
    ));
    assert!(matches!(
        w.e.write(v, u64::MAX, b"ab", &NoSource),
        Err(BlockError::OutOfRange { .. })
    ));
    assert!(matches!(w.e.fill(v, 3, 2, 1), Err(BlockError::OutOfRange { .. })));
    assert!(matches!(
        w.e.fill(v, u64::MAX, 2, 1),
        Err(BlockError::OutOfRange { .. })
    ));
    assert!(matches!(w.e.write_text(v, 4, "x"), Err(BlockError::OutOfRange { .. })));
    assert!(matches!(
        w.e.read_block(Target::Volume(v), 4, &NoSource),
        Err(BlockError::OutOfRange { .. })
    ));
    let long = "x".repeat(BS as usize + 1);
    assert_eq!(
        w.e.write_text(v, 0, &long).unwrap_err(),
        BlockError::TextTooLong {
            len: BS as usize + 1,
            block_size: BS
        }
    );
    assert_eq!(
        w.e.resize_volume(v, 3).unwrap_err(),
        BlockError::ShrinkNotAllowed {
            current: 4,
            requested: 3
        }
    );
    assert!(matches!(
        w.e.create_volume(MAX_SIZE_BLOCKS + 1),
        Err(BlockError::TooLarge { .. })
    ));
    assert_eq!(
        w.e.snapshot(VolumeId(77)).unwrap_err(),
        BlockError::VolumeNotFound(VolumeId(77))
    );
    assert_eq!(
        w.e.delete_snapshot(SnapId(77)).unwrap_err(),
        BlockError::SnapshotNotFound(SnapId(77))
    );
    let big = w.e.create_volume(1 << 20).unwrap();
    assert!(matches!(
        w.e.read_blocks(Target::Volume(big), 0, 1 << 20, &NoSource),
        Err(BlockError::ReadTooLarge { .. })
    ));
    assert_eq!(
        w.e.export(Target::Volume(big), u64::MAX, &NoSource)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .1
            .len() as u64,
        MAX_READ_BYTES
    );
    assert!(!BlockError::OutOfRange {
        start: 1,
        len: 2,
        size: 3,
        unit: "byte"
    }
    .to_string()
    .is_empty());
    w.e.check_invariants().unwrap();
}

#[test]
fn export_in_chunks_and_serialization_round_trip() {
    let (mut w, v, _s1, s2, s3) = inc3();
    w.e.fill(v, 4, 3, 5).unwrap();
    let s4 = w.e.snapshot(v).unwrap();
    w.delete(s2);
    let (c, _) = w.e.copy_snapshot(s3, RegionKey("r".into())).unwrap();
    let mut all = Vec::new();
    for chunk in w.e.export(Target::Snapshot(s4), 3, &w.store.0).unwrap() {
        let (off, bytes) = chunk.unwrap();
        assert_eq!(off as usize, all.len());
        assert!(bytes.len() <= 3 * BS as usize);
        all.extend(bytes);
    }
    assert_eq!(all, w.e.read_blocks(Target::Snapshot(s4), 0, 8, &w.store.0).unwrap());
    let json = serde_json::to_string(&w.e).unwrap();
    let back: BlockEngine = serde_json::from_str(&json).unwrap();
    for t in [
        Target::Volume(v),
        Target::Snapshot(s3),
        Target::Snapshot(s4),
        Target::Snapshot(c),
    ] {
        assert_eq!(back.checksum(t).unwrap(), w.e.checksum(t).unwrap());
    }
    for key in w.e.chains() {
        assert_eq!(back.chain_view(&key), w.e.chain_view(&key));
    }
    assert_eq!(back.stored_contents(), w.e.stored_contents());
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    // Corrupt state is refused, not a panic.
    let bad = json.replacen("\"size\":8", "\"size\":2", 1);
    assert!(serde_json::from_str::<BlockEngine>(&bad).is_err());
}

/// Serialization of a copy chain in which a smaller snapshot follows a larger one (copies go
/// in copy order): the smaller copy's delta clears the larger one's tail, and the state must
/// load back. (Found by the property test: "run 11..15 outside size 11".)
#[test]
fn copy_chain_with_a_smaller_snapshot_after_a_larger_one_round_trips() {
    let mut w = World::new();
    let v = w.e.create_volume(11).unwrap();
    w.text(v, 3, "small");
    let small = w.e.snapshot(v).unwrap();
    w.e.resize_volume(v, 15).unwrap();
    w.text(v, 13, "tail");
    let large = w.e.snapshot(v).unwrap();
    let region = RegionKey("cn-shanghai".into());
    let (large_copy, _) = w.e.copy_snapshot(large, region.clone()).unwrap();
    let (small_copy, _) = w.e.copy_snapshot(small, region).unwrap();
    let json = serde_json::to_string(&w.e).unwrap();
    let back: BlockEngine = serde_json::from_str(&json).expect("the state loads back");
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    assert_eq!(
        back.checksum(Target::Snapshot(small_copy)),
        w.e.checksum(Target::Snapshot(small))
    );
    assert_eq!(
        back.checksum(Target::Snapshot(large_copy)),
        w.e.checksum(Target::Snapshot(large))
    );
    back.check_invariants().unwrap();
}

/// A snapshot delta holding block versions beyond the snapshot's own size is corrupt.
#[test]
fn a_delta_with_data_beyond_its_snapshot_is_refused() {
    let mut w = World::new();
    let v = w.e.create_volume(8).unwrap();
    w.text(v, 2, "x");
    w.e.snapshot(v).unwrap();
    let mut state: serde_json::Value = serde_json::to_value(&w.e).unwrap();
    let text = state.to_string();
    // Widen the snapshot's only run past its size.
    let size = state["chains"][0]["snaps"][0]["size"].clone();
    assert_eq!(size, 8, "{text}");
    state["chains"][0]["snaps"][0]["size"] = serde_json::Value::from(2);
    let err = serde_json::from_value::<BlockEngine>(state).unwrap_err().to_string();
    assert!(err.contains("outside snapshot size"), "{err}");
}

// Stored blocks are named by the engine's hash: BLAKE3 for new engines; an engine saved before
// BLAKE3 (its header or full state has no `hash`) keeps SHA-256, so its stored blocks stay
// where they are and equal bytes written later still find them.
#[test]
fn engines_keep_the_hash_they_were_made_with() {
    let mut e = BlockEngine::new(4096).unwrap();
    assert_eq!(e.hash_algo(), HashAlgo::Blake3);
    let v = e.create_volume(4).unwrap();
    let block = vec![9u8; 4096];
    let fx = e.write(v, 0, &block, &NoSource).unwrap();
    assert_eq!(fx.put[0].0.hash, HashAlgo::Blake3.hash(&block));
    assert_ne!(HashAlgo::Blake3.hash(&block), HashAlgo::Sha256.hash(&block));

    let header = serde_json::to_value(e.header()).unwrap();
    assert_eq!(header["hash"], "blake3");
    let mut legacy = header.clone();
    legacy.as_object_mut().unwrap().remove("hash");
    let legacy: EngineHeader = serde_json::from_value(legacy).unwrap();
    let mut old = BlockEngine::from_records(legacy, Vec::new()).unwrap();
    assert_eq!(old.hash_algo(), HashAlgo::Sha256);
    let w = old.create_volume(2).unwrap();
    let fx = old.write(w, 0, &block, &NoSource).unwrap();
    assert_eq!(fx.put[0].0.hash, HashAlgo::Sha256.hash(&block));

    let mut state = serde_json::to_value(&e).unwrap();
    state.as_object_mut().unwrap().remove("hash");
    let mut old: BlockEngine = serde_json::from_value(state).unwrap();
    assert_eq!(old.hash_algo(), HashAlgo::Sha256);
    let fx = old.write(v, 4096, &[7u8; 4096], &NoSource).unwrap();
    assert_eq!(fx.put[0].0.hash, HashAlgo::Sha256.hash(&[7u8; 4096]));
    let back: BlockEngine = serde_json::from_value(serde_json::to_value(&e).unwrap()).unwrap();
    assert_eq!(back.hash_algo(), HashAlgo::Blake3);
}
