//! The `snaplab …` commands: what ECS does inside the guest or outside any API (SPEC §18).

use super::{Applied, Failure, Outcome, World};
use crate::blocks::view::LABELLED_LBAS;
use crate::blocks::{BlockSource, ChainKey, Effects, Need, Target};
use crate::clock::Timestamp;
use crate::error::{EcsError, Resource};
use crate::replies::{Checksum, Reply, ServiceActivated};
use crate::request::{Emulator, Params};
use base64::Engine as _;
use serde_json::Value;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Runs `snaplab <command> <params>`.
pub fn exec(w: &mut World, command: &Emulator, p: &Params, source: &dyn BlockSource) -> Outcome<Applied> {
    let reply = |v: Value| {
        Ok(Applied {
            reply: v,
            effects: Effects::default(),
        })
    };
    match command {
        Emulator::ServiceActivate => {
            w.service_activated = true;
            reply(
                ServiceActivated {
                    service_activated: true,
                }
                .to_json(),
            )
        }
        Emulator::GuestWrite => guest_write(w, p, source),
        Emulator::GuestFill => guest_fill(w, p),
        Emulator::GuestRead => reply(guest_read(w, p, source)?),
        Emulator::GuestChecksum => {
            let disk = w.disk(p.require("DiskId")?)?;
            let checksum = w.blocks.checksum(Target::Volume(disk.volume)).map_err(Failure::from)?;
            reply(Checksum { checksum }.to_json())
        }
        Emulator::SnapshotChecksum => {
            let snap = w.snapshot(p.require("SnapshotId")?)?;
            let checksum = w.blocks.checksum(Target::Snapshot(snap.snap)).map_err(Failure::from)?;
            reply(Checksum { checksum }.to_json())
        }
        Emulator::SnapshotDeletePreview => match p.json_list("SnapshotIds")? {
            Some(_) if p.raw("SnapshotId").is_some() => {
                Err(EcsError::invalid("SnapshotIds", "give either --SnapshotId or --SnapshotIds").into())
            }
            Some(ids) => reply(delete_preview_many(w, &ids)?),
            None => reply(delete_preview(w, p)?),
        },
        Emulator::DiskResetPreview => reply(super::rollback::reset_preview(w, p)?),
        Emulator::SnapshotCopyInfo => reply(super::copies::info(w, p)?),
        Emulator::BillingEstimate => reply(super::billing::estimate(w, p)?),
        Emulator::ClockNext => {
            // Jump to the next scheduled event (a transition, a finish, a retention end).
            if let Some(t) = w.next_event() {
                w.advance_to(t.max(w.now()))?;
            }
            reply(clock_show(w))
        }
        Emulator::ChainBlocks => reply(chain_blocks(w, p, source)?),
        Emulator::ClockShow => reply(clock_show(w)),
        Emulator::ClockAdvance => {
            let to = match (p.int("Seconds", 0, 10 * 365 * 86_400)?, p.get("To")?) {
                (Some(s), None) => w.now().add_seconds(s),
                (None, Some(t)) => Timestamp::parse(t).map_err(|e| EcsError::invalid("To", e.to_string()))?,
                _ => return Err(EcsError::invalid("Seconds", "give exactly one of --Seconds and --To").into()),
            };
            if to < w.now() {
                return Err(EcsError::invalid("To", "the clock does not go backwards").into());
            }
            w.advance_to(to)?;
            reply(clock_show(w))
        }
        Emulator::ClockRunUntilIdle => {
            w.run_until_idle()?;
            reply(clock_show(w))
        }
        Emulator::WorldShow => reply(w.show()),
        Emulator::WorldReset => {
            let seed = p
                .int("Seed", 0, i64::MAX)?
                .map(|s| s as u64)
                .unwrap_or(super::DEFAULT_SEED);
            let bs = p
                .int("BlockSize", 1, i64::from(u32::MAX))?
                .map(|b| b as u32)
                .unwrap_or(super::DEFAULT_BLOCK_SIZE);
            let fresh = World::new(seed, bs)?;
            // Every stored block of the old world goes.
            let effects = Effects {
                put: vec![],
                delete: w.blocks.stored_blocks(),
            };
            *w = fresh;
            Ok(Applied {
                reply: w.show(),
                effects,
            })
        }
        // Export and import read and rewrite the whole store: the session runs them, the world
        // cannot (it never touches the store); words that name no command are no action.
        Emulator::WorldExport | Emulator::WorldImport | Emulator::Unknown(_) => Err(EcsError::InvalidAction {
            action: format!("snaplab {command}"),
        }
        .into()),
    }
}

/// What a `snaplab` command will read from stored block bytes, for prefetching.
pub fn needs(w: &World, command: &Emulator, p: &Params) -> Vec<Need> {
    let disk = || p.raw("DiskId").and_then(|d| w.disks.get(d));
    match command {
        // Issue 12: numbers as the getters read them (`Params::peek_u64`), so that the plan and
        // the checks agree.
        Emulator::GuestWrite => match (disk(), p.peek_u64("Offset"), p.raw("Base64")) {
            (Some(d), Some(offset), Some(data)) => match b64().decode(data) {
                Ok(bytes) => vec![Need::Write {
                    volume: d.volume,
                    offset,
                    len: bytes.len() as u64,
                }],
                _ => vec![],
            },
            _ => vec![],
        },
        Emulator::GuestRead => match (disk(), p.peek_u64("Block")) {
            (Some(d), Some(lba)) => vec![Need::Read {
                target: Target::Volume(d.volume),
                from_lba: lba,
                count: 1,
            }],
            _ => vec![],
        },
        // The labels of the first blocks of every snapshot and of the disk (`chain blocks`).
        Emulator::ChainBlocks => match p.raw("DiskId").map(|d| chain_volume(w, d)) {
            Some(Ok(v)) => {
                let key = ChainKey::Volume(v);
                let mut targets: Vec<(Target, u64)> = w
                    .blocks
                    .chain_snapshots(&key)
                    .into_iter()
                    .filter_map(|s| w.blocks.snapshot_size(s).ok().map(|n| (Target::Snapshot(s), n)))
                    .collect();
                targets.extend(w.blocks.volume_size(v).ok().map(|n| (Target::Volume(v), n)));
                targets
                    .into_iter()
                    .map(|(target, size)| Need::Read {
                        target,
                        from_lba: 0,
                        count: size.min(LABELLED_LBAS),
                    })
                    .collect()
            }
            _ => vec![],
        },
        _ => vec![],
    }
}

/// A guest writes only to a disk attached to a running instance.
fn running_disk(w: &World, p: &Params) -> Outcome<crate::blocks::VolumeId> {
    super::guest_io::running_volume(w, p.require("DiskId")?)
}

fn block_param(w: &World, p: &Params, name: &str, volume: crate::blocks::VolumeId) -> Outcome<u64> {
    let size = w.blocks.volume_size(volume).map_err(Failure::from)?;
    let max = i64::try_from(size.saturating_sub(1)).unwrap_or(i64::MAX);
    Ok(p.require_int(name, 0, max)? as u64)
}

fn guest_write(w: &mut World, p: &Params, source: &dyn BlockSource) -> Outcome<Applied> {
    let volume = running_disk(w, p)?;
    let effects = match (p.get("Text")?, p.get("Base64")?) {
        (Some(text), None) => {
            let lba = block_param(w, p, "Block", volume)?;
            if text.len() as u64 > w.block_size() {
                return Err(EcsError::invalid("Text", "longer than a block").into());
            }
            w.blocks.write_text(volume, lba, text).map_err(Failure::from)?
        }
        (None, Some(data)) => {
            let bytes = b64()
                .decode(data)
                .map_err(|e| EcsError::invalid("Base64", e.to_string()))?;
            let offset = p.require_int("Offset", 0, i64::MAX)? as u64;
            super::guest_io::write_at(w, volume, offset, &bytes, source, &[])?
        }
        _ => {
            return Err(EcsError::invalid(
                "Text",
                "give exactly one of --Text (with --Block) and --Base64 (with --Offset)",
            )
            .into())
        }
    };
    Ok(Applied {
        reply: crate::replies::GuestWritten {}.to_json(),
        effects,
    })
}

fn guest_fill(w: &mut World, p: &Params) -> Outcome<Applied> {
    let volume = running_disk(w, p)?;
    let size = w.blocks.volume_size(volume).map_err(Failure::from)?;
    let from = block_param(w, p, "FromBlock", volume)?;
    let count = p.require_int("Blocks", 1, i64::try_from(size - from).unwrap_or(i64::MAX))? as u64;
    let seed = p.int("Seed", 0, i64::MAX)?.map(|s| s as u64).unwrap_or(0);
    let effects = w.blocks.fill(volume, from, count, seed).map_err(Failure::from)?;
    Ok(Applied {
        reply: crate::replies::GuestFilled {
            filled_bytes: count * w.block_size(),
        }
        .to_json(),
        effects,
    })
}

fn guest_read(w: &World, p: &Params, source: &dyn BlockSource) -> Outcome<Value> {
    let disk = w.disk(p.require("DiskId")?)?;
    let lba = block_param(w, p, "Block", disk.volume)?;
    let bytes = w
        .blocks
        .read_block(Target::Volume(disk.volume), lba, source)
        .map_err(Failure::from)?;
    let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    let read = match std::str::from_utf8(&bytes[..end]) {
        Ok(text) if !text.contains('\0') => crate::replies::GuestRead {
            text: Some(text.to_string()),
            base64: None,
        },
        _ => crate::replies::GuestRead {
            text: None,
            base64: Some(b64().encode(&bytes)),
        },
    };
    Ok(read.to_json())
}

fn clock_show(w: &World) -> Value {
    crate::replies::ClockShow {
        now: w.now().to_iso(),
        next_event: w.next_event().map(|t| t.to_iso()),
    }
    .to_json()
}

/// ECS id of a block-engine snapshot handle.
fn ecs_id(w: &World, snap: crate::blocks::SnapId) -> String {
    w.snapshots
        .values()
        .find(|s| s.snap == snap)
        .map(|s| s.id.clone())
        .unwrap_or_default()
}

/// `snaplab chain blocks --DiskId d-…`: for every snapshot of the disk's chain (oldest
/// first), the LBA runs it owns and those it references with their owner (SPEC §18); then the
/// live disk as `Disk`.
fn chain_blocks(w: &World, p: &Params, source: &dyn BlockSource) -> Outcome<Value> {
    use crate::replies::{BlockRun, ChainBlocks, ChainDisk, ChainSnapshot, Reply};
    let disk_id = p.require("DiskId")?;
    let volume = chain_volume(w, disk_id)?;
    let view = w.blocks.chain_view(&ChainKey::Volume(volume));
    // `Version` names the write that made the run's first block (later blocks of the run are the
    // same write's next blocks): equal numbers at one LBA are the same block version. `Label`:
    // the text of a one-block run among the first blocks (`guest write --Text`), if any.
    let runs = |runs: &[crate::blocks::RunInfo], target: Target| -> Vec<BlockRun> {
        runs.iter()
            .map(|r| BlockRun {
                lba: r.lba,
                blocks: r.len,
                owner: r.owner.map(|o| ecs_id(w, o)),
                version: r.version.extent.0,
                label: if r.len == 1 && r.lba < LABELLED_LBAS {
                    w.blocks.block_label(target, r.lba, source)
                } else {
                    None
                },
            })
            .collect()
    };
    let snapshots: Vec<ChainSnapshot> = view
        .snapshots
        .iter()
        .map(|s| ChainSnapshot {
            snapshot_id: ecs_id(w, s.id),
            size_blocks: s.size_blocks,
            owned_blocks: s.owned_blocks,
            referenced_blocks: s.referenced_blocks,
            owned: runs(&s.owned, Target::Snapshot(s.id)),
            referenced: runs(&s.referenced, Target::Snapshot(s.id)),
        })
        .collect();
    // The live disk as the last row (absent once the disk is released): the blocks it shares
    // with a snapshot of the chain, and those written since the last snapshot.
    let disk = match w.disks.get(disk_id) {
        Some(d) if d.volume == volume => {
            let row = w.blocks.volume_row(volume).map_err(Failure::from)?;
            Some(ChainDisk {
                disk_id: disk_id.to_string(),
                size_blocks: row.size_blocks,
                written_blocks: row.written_blocks,
                referenced_blocks: row.referenced_blocks,
                written: runs(&row.written, Target::Volume(volume)),
                referenced: runs(&row.referenced, Target::Volume(volume)),
            })
        }
        _ => None,
    };
    Ok(ChainBlocks {
        disk_id: disk_id.to_string(),
        block_size: w.block_size(),
        capacity_blocks: view.capacity_blocks,
        capacity_bytes: view.capacity_bytes,
        snapshots,
        disk,
    }
    .to_json())
}

/// The volume of a disk's chain; a released disk's chain lives on while its snapshots do.
fn chain_volume(w: &World, disk_id: &str) -> Outcome<crate::blocks::VolumeId> {
    match w.disks.get(disk_id) {
        Some(d) => Ok(d.volume),
        None => w
            .snapshots
            .values()
            .find(|s| s.source_disk_id == disk_id)
            .and_then(|s| match w.blocks.chain_of(s.snap) {
                Ok(ChainKey::Volume(v)) => Some(v),
                _ => None,
            })
            .ok_or_else(|| EcsError::not_found(Resource::Disk, disk_id).into()),
    }
}

/// `snaplab snapshot delete-preview --SnapshotId s-…`: what DeleteSnapshot would free and
/// merge into the successor (R-DEL-3), without doing it.
fn delete_preview(w: &World, p: &Params) -> Outcome<Value> {
    use crate::replies::{LbaRun, Reply};
    let snap = w.snapshot(p.require("SnapshotId")?)?;
    let r = w.blocks.preview_delete(snap.snap).map_err(Failure::from)?;
    let run = |lba: u64, blocks: u64| LbaRun { lba, blocks };
    // R-BIL-1: the saving, from the bytes leaving the chain.
    let freed_bytes = r.capacity_before_bytes.saturating_sub(r.capacity_after_bytes);
    Ok(crate::replies::DeletePreview {
        snapshot_id: snap.id.clone(),
        successor_id: r.successor.map(|s| ecs_id(w, s)),
        freed_blocks: r.freed_blocks(),
        moved_blocks: r.moved_blocks(),
        freed: r.freed.iter().map(|x| run(x.lba, x.len)).collect(),
        moved: r.moved.iter().map(|x| run(x.lba, x.len)).collect(),
        capacity_before_bytes: r.capacity_before_bytes,
        capacity_after_bytes: r.capacity_after_bytes,
        physical_freed_bytes: r.physical_freed_bytes,
        // R-BIL-1: deleting a snapshot also ends its instant-access charge (R-IA-4).
        instant_access_monthly_saving_usd: super::billing::instant_access_saving(w, snap),
        cost: super::billing::deletion_saving(w, &snap.region, freed_bytes),
    }
    .to_json())
}

/// Where a block version a deleted snapshot owned ends up when several snapshots go at once.
struct Fate {
    /// Blocks (consecutive versions of one extent from the key's LBA).
    len: u64,
    /// The deleted snapshot that owned them before.
    from: crate::blocks::SnapId,
    /// Their owner now: a deleted snapshot while the deletions go on, at the end a remaining
    /// snapshot (moved) or `None` (freed).
    to: Option<crate::blocks::SnapId>,
    /// Index of their chain in the preview's chains.
    chain: usize,
}

type Fates = std::collections::BTreeMap<(crate::blocks::ExtentId, u64), Fate>;

/// Splits the fate covering `at` (if one starts before it and runs past it) in two at `at`.
fn split_at(fates: &mut Fates, extent: crate::blocks::ExtentId, at: u64) {
    let Some((&(e, start), f)) = fates.range(..(extent, at)).next_back() else {
        return;
    };
    if e != extent || start + f.len <= at {
        return;
    }
    let rest = Fate {
        len: start + f.len - at,
        from: f.from,
        to: f.to,
        chain: f.chain,
    };
    if let Some(f) = fates.get_mut(&(e, start)) {
        f.len = at - start;
    }
    fates.insert((extent, at), rest);
}

/// One step of a multi-deletion: the versions `deleted` owned at `[lba, lba + len)` of
/// `extent` now belong to `to` (`None`: freed). Versions that came to `deleted` from a snapshot
/// deleted earlier keep their first owner; the others were `deleted`'s own.
#[allow(clippy::too_many_arguments)]
fn settle(
    fates: &mut Fates,
    extent: crate::blocks::ExtentId,
    lba: u64,
    len: u64,
    deleted: crate::blocks::SnapId,
    to: Option<crate::blocks::SnapId>,
    chain: usize,
) {
    let end = lba + len;
    split_at(fates, extent, lba);
    split_at(fates, extent, end);
    let inside: Vec<(u64, u64)> = fates
        .range((extent, lba)..(extent, end))
        .map(|(&(_, s), f)| (s, f.len))
        .collect();
    let mut pos = lba;
    let fresh = |len| Fate {
        len,
        from: deleted,
        to,
        chain,
    };
    for (start, n) in inside {
        if start > pos {
            fates.insert((extent, pos), fresh(start - pos));
        }
        if let Some(f) = fates.get_mut(&(extent, start)) {
            if f.to == Some(deleted) {
                f.to = to;
            }
        }
        pos = start + n;
    }
    if pos < end {
        fates.insert((extent, pos), fresh(end - pos));
    }
}

/// `snaplab snapshot delete-preview --SnapshotIds '["s-1","s-2"]'`: what deleting several
/// snapshots at once (the console's multi-select delete) frees and merges in all (R-DEL-3),
/// without doing it. The deletions run one after the other, in the order given, on a scratch
/// copy of the block engine; every block version the deleted snapshots owned ends up freed or
/// owned by a remaining snapshot (through deleted successors, if any). Per chain: the versions
/// freed (with the deleted snapshot that owned them) and moved (`From` → `To`), its capacity
/// before and after; then the region's capacity and monthly cost before and after (R-BIL-1).
fn delete_preview_many(w: &World, ids: &[String]) -> Outcome<Value> {
    use crate::blocks::SnapId;
    let mut snaps: Vec<&super::model::Snapshot> = Vec::new();
    for id in ids {
        let s = w.snapshot(id)?;
        if !snaps.iter().any(|x| x.id == s.id) {
            snaps.push(s);
        }
    }
    let Some(first) = snaps.first() else {
        return Err(EcsError::invalid("SnapshotIds", "give at least one snapshot").into());
    };
    let region = first.region.clone();
    if snaps.iter().any(|s| s.region != region) {
        return Err(EcsError::invalid("SnapshotIds", "the snapshots must be in one region").into());
    }
    struct ChainAcc {
        key: ChainKey,
        disk_id: String,
        ids: Vec<String>,
        before: u64,
        after: u64,
    }
    let mut scratch = w.blocks.clone();
    let mut fates = Fates::new();
    let mut chains: Vec<ChainAcc> = Vec::new();
    let mut physical = 0;
    for s in &snaps {
        let (r, _effects) = scratch.delete_snapshot(s.snap).map_err(Failure::from)?;
        let chain = match chains.iter().position(|c| c.key == r.chain) {
            Some(i) => i,
            None => {
                chains.push(ChainAcc {
                    key: r.chain.clone(),
                    disk_id: s.source_disk_id.clone(),
                    ids: Vec::new(),
                    before: r.capacity_before_bytes,
                    after: r.capacity_before_bytes,
                });
                chains.len() - 1
            }
        };
        chains[chain].ids.push(s.id.clone());
        chains[chain].after = r.capacity_after_bytes;
        physical += r.physical_freed_bytes;
        for m in &r.moved {
            settle(
                &mut fates,
                m.version.extent,
                m.lba,
                m.len,
                s.snap,
                Some(m.new_owner),
                chain,
            );
        }
        for f in &r.freed {
            settle(&mut fates, f.version.extent, f.lba, f.len, s.snap, None, chain);
        }
    }
    // Runs per chain in LBA order within (from, to), neighbours merged across extents.
    let mut runs: Vec<(usize, SnapId, Option<SnapId>, u64, u64)> = fates
        .iter()
        .map(|(&(_, lba), f)| (f.chain, f.from, f.to, lba, f.len))
        .collect();
    runs.sort_by_key(|r| (r.0, r.1, r.2, r.3));
    let mut merged: Vec<(usize, SnapId, Option<SnapId>, u64, u64)> = Vec::new();
    for r in runs {
        match merged.last_mut() {
            Some(m) if (m.0, m.1, m.2) == (r.0, r.1, r.2) && m.3 + m.4 == r.3 => m.4 += r.4,
            _ => merged.push(r),
        }
    }
    use crate::replies::{ChainDeletion, FreedRun, MovedRun, MultiDeletePreview, Reply};
    let mut names = std::collections::HashMap::new();
    let mut id_of = |s: SnapId| names.entry(s).or_insert_with(|| ecs_id(w, s)).clone();
    let mut out_chains = Vec::new();
    let (mut freed_all, mut moved_all) = (0, 0);
    for (i, c) in chains.iter().enumerate() {
        let mut freed = Vec::new();
        let mut moved = Vec::new();
        let (mut freed_blocks, mut moved_blocks) = (0, 0);
        for &(_, from, to, lba, len) in merged.iter().filter(|r| r.0 == i) {
            match to {
                None => {
                    freed_blocks += len;
                    freed.push(FreedRun {
                        lba,
                        blocks: len,
                        owner: id_of(from),
                    });
                }
                Some(to) => {
                    moved_blocks += len;
                    moved.push(MovedRun {
                        lba,
                        blocks: len,
                        from: id_of(from),
                        to: id_of(to),
                    });
                }
            }
        }
        freed_all += freed_blocks;
        moved_all += moved_blocks;
        out_chains.push(ChainDeletion {
            disk_id: c.disk_id.clone(),
            snapshot_ids: c.ids.clone(),
            freed_blocks,
            moved_blocks,
            freed,
            moved,
            capacity_before_bytes: c.before,
            capacity_after_bytes: c.after,
        });
    }
    let before: u64 = chains.iter().map(|c| c.before).sum();
    let after: u64 = chains.iter().map(|c| c.after).sum();
    Ok(MultiDeletePreview {
        snapshot_ids: snaps.iter().map(|s| s.id.clone()).collect(),
        freed_blocks: freed_all,
        moved_blocks: moved_all,
        capacity_before_bytes: before,
        capacity_after_bytes: after,
        physical_freed_bytes: physical,
        chains: out_chains,
        instant_access_monthly_saving_usd: snaps
            .iter()
            .map(|s| super::billing::instant_access_saving(w, s))
            .sum::<f64>(),
        cost: super::billing::deletion_saving(w, &region, before.saturating_sub(after)),
    }
    .to_json())
}
