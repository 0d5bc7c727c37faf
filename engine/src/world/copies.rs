//! CopySnapshot (SPEC §8, R-CPY-1..4) and `snaplab snapshot copy-info`.
//!
//! A copy is a new snapshot in the destination region, in the block engine's chain
//! (source disk, destination region) — never the source disk's own chain, so it cannot roll
//! the source disk back (R-CPY-1). It transfers the versions that chain does not hold yet
//! (R-CPY-2: the first copy of a disk's snapshots to a region is full, later ones
//! incremental) and takes simulated time proportional to them. Deleting it while it is in
//! progress cancels it (R-CPY-4: DeleteSnapshot of a `progressing` snapshot).

use super::model::{Snapshot, SnapshotStatus};
use super::snapshots::{check_description, check_name, retention_days, tags};
use super::{Failure, Outcome, World};
use crate::blocks::RegionKey;
use crate::catalog;
use crate::error::{EcsError, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// A copy takes this start-up time…
pub const COPY_BASE_SECONDS: i64 = 10;
/// …plus its transferred bytes at this cross-region rate.
pub const COPY_BYTES_PER_SECOND: u64 = 32 << 20;

/// Simulated seconds a copy transferring `bytes` takes.
pub fn copy_seconds(bytes: u64) -> i64 {
    COPY_BASE_SECONDS + bytes.div_ceil(COPY_BYTES_PER_SECOND) as i64
}

pub fn copy(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let source_id = p.require("SnapshotId")?.to_string();
    let dest_id = p.require("DestinationRegionId")?;
    // M/T mark name and description required, their text says "empty by default": both are
    // optional here, and checked by the CreateSnapshot rules when given.
    let name = p.get("DestinationSnapshotName")?;
    if let Some(n) = name {
        check_name(n)?;
    }
    let description = p.get("DestinationSnapshotDescription")?;
    if let Some(d) = description {
        check_description(d)?;
    }
    let retention = retention_days(p)?;
    let encrypt = p.bool("Encrypted")?.unwrap_or(false);
    let _ = (p.get("KMSKeyId")?, p.get("ResourceGroupId")?, p.get("ClientToken")?);
    // R-CPY-3: the source's tags are not copied; the request's go on the copy.
    let tags = tags(p)?;
    let dest = catalog::region(dest_id).ok_or_else(|| EcsError::not_found(Resource::Region, dest_id))?;
    let now = w.now();
    let source = w
        .snapshots
        .get(&source_id)
        .filter(|s| s.region == region)
        .cloned()
        .ok_or(EcsError::CopySourceSnapshotNotFound)?;
    if dest.id == region {
        return Err(EcsError::InvalidOperationNotSupportCopyInSameRegion.into());
    }
    // R-IA-6 (API.md CopySnapshot: "local snapshots cannot be copied").
    if source.instant_access_on(now) {
        return Err(EcsError::InvalidSnapshotCategoryNotSupportCopy.into());
    }
    // R-CPY-3
    if source.encrypted {
        return Err(EcsError::InvalidSnapshotIdEncryptedNotSupport.into());
    }
    if source.status(now) != SnapshotStatus::Accomplished {
        return Err(EcsError::InvalidSnapshotIdNotReady.into());
    }
    let unfinished = w.snapshots.values().any(|s| {
        s.is_copy()
            && s.region == dest.id
            && s.source_disk_id == source.source_disk_id
            && s.status(now) == SnapshotStatus::Progressing
    });
    if unfinished {
        return Err(EcsError::InvalidOperationDiskHasUnfinishedSnapshotCopy.into());
    }

    let id = w.new_id(Resource::Snapshot, dest.id)?;
    let (snap, transferred) = w
        .blocks
        .copy_snapshot(source.snap, RegionKey(dest.id.to_string()))
        .map_err(Failure::from)?;
    let seconds = copy_seconds(transferred.saturating_mul(w.block_size()));
    w.snapshots.insert(
        id.clone(),
        Snapshot {
            id: id.clone(),
            region: dest.id.to_string(),
            name: name.unwrap_or("").to_string(),
            description: description.unwrap_or("").to_string(),
            source_disk_id: source.source_disk_id.clone(),
            source_disk_type: source.source_disk_type.clone(),
            source_disk_size_gib: source.source_disk_size_gib,
            encrypted: encrypt,
            snap,
            snapshot_type: "user".to_string(),
            link_id: source.link_id.clone(),
            creation_time: now,
            done_at: now.add_seconds(seconds),
            retention_days: retention,
            tags,
            last_modified: now,
            source_snapshot_id: Some(source.id.clone()),
            source_region_id: Some(region.to_string()),
            copy_transferred_blocks: Some(transferred),
            instant_access: None,
        },
    );
    Ok(json!({ "SnapshotId": id }))
}

/// `snaplab snapshot copy-info --SnapshotId s-…`: what a copy transferred (R-CPY-2) and how
/// far it is.
pub fn info(w: &World, p: &Params) -> Outcome<Value> {
    use crate::replies::{CopyInfo, Reply};
    let s = w.snapshot(p.require("SnapshotId")?)?;
    let blocks = s
        .copy_transferred_blocks
        .ok_or_else(|| EcsError::invalid("SnapshotId", "not a copy made by CopySnapshot"))?;
    let now = w.now();
    Ok(CopyInfo {
        snapshot_id: s.id.clone(),
        region_id: s.region.clone(),
        source_snapshot_id: s.source_snapshot_id.clone(),
        source_region_id: s.source_region_id.clone(),
        transferred_blocks: blocks,
        transferred_bytes: blocks.saturating_mul(w.block_size()),
        status: s.status(now).as_str().to_string(),
        progress: format!("{}%", s.progress(now)),
        remain_time: s.done_at.seconds_since(now).max(0),
    }
    .to_json())
}
