//! Benchmark of the block engine: costs must follow what changed, not disk or chain size.
//!
//! `cargo bench -p snaplab-engine --bench blocks` prints figures and ratios; it asserts nothing.

use std::time::{Duration, Instant};

use snaplab_engine::blocks::*;

const BS: usize = 4096;
const GIB_BLOCKS: u64 = (1 << 30) / BS as u64;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A distinct 4 KiB block (so every write is a new stored content).
fn block(n: u64) -> Vec<u8> {
    let mut b = vec![0u8; BS];
    b[..8].copy_from_slice(&n.to_le_bytes());
    b[8..16].copy_from_slice(&(!n).to_le_bytes());
    b
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let r = f();
    (r, t.elapsed())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn main() {
    let mut rng = Rng(7);
    let mut counter = 0u64;
    let mut next_block = || {
        counter += 1;
        block(counter)
    };

    // 1. Snapshot of a 1 GiB volume fully written (4 KiB raw writes) vs after changing 1%.
    let mut e = BlockEngine::new(BS as u32).unwrap();
    let v = e.create_volume(GIB_BLOCKS).unwrap();
    let (_, fill_time) = time(|| {
        for lba in 0..GIB_BLOCKS {
            let fx = e.write(v, lba * BS as u64, &next_block(), &NoSource).unwrap();
            drop(fx);
        }
    });
    let (s1, full_snap) = time(|| e.snapshot(v).unwrap());
    let changed = GIB_BLOCKS / 100;
    for _ in 0..changed {
        let lba = rng.next() % GIB_BLOCKS;
        e.write(v, lba * BS as u64, &next_block(), &NoSource).unwrap();
    }
    let (_, inc_snap) = time(|| e.snapshot(v).unwrap());
    let key = ChainKey::Volume(v);
    println!("1 GiB volume written with {GIB_BLOCKS} raw 4 KiB writes in {fill_time:?}");
    println!("snapshot, fully written (first, full):   {full_snap:?}");
    println!("snapshot, after changing 1% ({changed} blocks): {inc_snap:?}");
    println!("  ratio full/incremental: {:.1}x", ratio(full_snap, inc_snap));
    let mib = |blocks: u64| (blocks * BS as u64) as f64 / (1024.0 * 1024.0);
    println!(
        "  throughput of changed blocks: full {:.0} MiB/s, 1% {:.0} MiB/s",
        mib(GIB_BLOCKS) / full_snap.as_secs_f64(),
        mib(changed) / inc_snap.as_secs_f64()
    );
    println!(
        "  incremental/full time: {:.2}% (target: well under 5%)",
        100.0 * inc_snap.as_secs_f64() / full_snap.as_secs_f64()
    );
    println!("  peak memory so far: {}", peak_memory());
    println!(
        "  chain capacity {} blocks, owned by S1: {}",
        e.chain_capacity_blocks(&key),
        e.chain_view(&key)
            .snapshots
            .iter()
            .find(|s| s.id == s1)
            .map(|s| s.owned_blocks)
            .unwrap_or(0)
    );
    drop(e);

    // 2. Delete time in a chain of 1,000 vs 10 snapshots (same change per snapshot). Every
    // setup holds 1,000 snapshots in all — the short chains share the engine with a second
    // volume's chain — so that only the chain's length differs, not the engine's total state.
    let mut deletes = Vec::new();
    for chain_len in [10usize, 100, 1000] {
        let mut e = BlockEngine::new(BS as u32).unwrap();
        let v = e.create_volume(GIB_BLOCKS).unwrap();
        e.fill(v, 0, GIB_BLOCKS, 1).unwrap();
        let other = e.create_volume(GIB_BLOCKS).unwrap();
        e.fill(other, 0, GIB_BLOCKS, 2).unwrap();
        let mut snaps = Vec::new();
        for i in 0..1000 {
            let target = if i < chain_len { v } else { other };
            for _ in 0..64 {
                let lba = rng.next() % GIB_BLOCKS;
                e.write(target, lba * BS as u64, &next_block(), &NoSource).unwrap();
            }
            let s = e.snapshot(target).unwrap();
            if target == v {
                snaps.push(s);
            }
        }
        let mut times = Vec::new();
        for i in 0..5 {
            let s = snaps[1 + i * (chain_len - 2) / 5];
            let (_, t) = time(|| e.delete_snapshot(s).unwrap());
            times.push(t);
        }
        let m = median(times);
        println!(
            "delete a middle snapshot, chain of {chain_len:>4} (64 changed blocks each; 1,000 snapshots in the engine): median {m:?}"
        );
        deletes.push(m);
    }
    println!(
        "  ratio 1000/10: {:.2}x (100/10: {:.2}x)",
        ratio(deletes[2], deletes[0]),
        ratio(deletes[1], deletes[0])
    );

    // 3. Rollback time vs volume size (volume filled, snapshot, 64 blocks changed, rollback).
    let mut rollbacks = Vec::new();
    for gib in [1u64, 16, 256, 4096] {
        let mut e = BlockEngine::new(BS as u32).unwrap();
        let size = gib * GIB_BLOCKS;
        let v = e.create_volume(size).unwrap();
        e.fill(v, 0, size, 3).unwrap();
        let s = e.snapshot(v).unwrap();
        let mut times = Vec::new();
        for _ in 0..5 {
            for _ in 0..64 {
                let lba = rng.next() % size;
                e.write(v, lba * BS as u64, &next_block(), &NoSource).unwrap();
            }
            let (_, t) = time(|| e.reset_volume(v, s).unwrap());
            times.push(t);
        }
        let m = median(times);
        println!("rollback of a {gib:>4} GiB volume (64 blocks changed since): median {m:?}");
        rollbacks.push(m);
    }
    println!("  ratio 4096 GiB/1 GiB: {:.2}x", ratio(rollbacks[3], rollbacks[0]));
    println!("peak memory of the whole run: {}", peak_memory());
}

/// The process's peak resident memory (Linux `VmHWM`), or why it is unknown.
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_string())
        })
        .unwrap_or_else(|| "unknown (no /proc/self/status)".to_string())
}
