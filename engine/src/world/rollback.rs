//! Returning a disk to an earlier state (SPEC §6, §7): ResetDisk (roll back to a snapshot),
//! ReInitDisk (back to the initial state), ReplaceSystemDisk (a new system disk from an
//! image), and `snaplab disk reset-preview`, the console's warnings before a rollback.
//!
//! Public images' content is not modelled: a system disk created from, re-initialized to or
//! replaced with an image is an empty volume.

use super::disks::{self, creating_snapshot, is_system_attachment, SYSTEM_DEVICE};
use super::model::{Disk, DiskStatus, Instance, InstanceStatus, Snapshot, SnapshotStatus};
use super::{instances, Applied, Failure, Outcome, World};
use crate::blocks::{Effects, SnapId};
use crate::catalog::{self, DiskCategory, DiskType, PerformanceLevel};
use crate::error::{DenyReason, EcsError, Refusal, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// The checks of ResetDisk (R-RB-1, R-RB-4), in ECS's order: the disk and snapshot exist, the
/// snapshot is of this disk, the disk is attached, its instance `Stopped`, the snapshot
/// accomplished, no snapshot of the disk in progress.
fn check_reset(w: &World, disk_id: &str, snapshot_id: &str) -> Outcome<(Disk, Snapshot, Instance)> {
    let disk = w.disk(disk_id)?.clone();
    let snap = w.snapshot(snapshot_id)?.clone();
    // R-RB-4; R-CPY-1: a copy (in its own region's chain) never rolls back its source disk.
    if snap.source_disk_id != disk.id || snap.region != disk.region {
        if disk.replaced_disk_ids.contains(&snap.source_disk_id) {
            return Err(EcsError::InvalidSnapshotTooOld.into());
        }
        return Err(EcsError::InvalidParameterMismatch.into());
    }
    // R-RB-1
    if disk.status != DiskStatus::InUse {
        return Err(EcsError::IncorrectDiskStatus.into());
    }
    let inst = disk
        .instance_id
        .as_deref()
        .and_then(|i| w.instances.get(i))
        .ok_or(EcsError::IncorrectDiskStatus)?
        .clone();
    if inst.status != InstanceStatus::Stopped {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    let now = w.now();
    // R-IA-7: a local / instant-access snapshot taken before the ESSD was re-initialized
    // cannot roll it back (after an OS replacement the disk is a new one: R-RB-4 above).
    if snap.was_instant() && disk.reinitialized_time.is_some_and(|t| snap.creation_time < t) {
        return Err(EcsError::InvalidSnapshotTooOld.into());
    }
    // R-IA-3: an instant-access snapshot is usable before it finishes.
    if !snap.available(now) {
        return Err(EcsError::InvalidSnapshotIdNotReady.into());
    }
    // R-RB-1: no snapshot of the disk in progress — snapshots with instant access on do not
    // count (they are usable already, R-IA-3).
    let busy = w.snapshots.values().any(|s| {
        s.source_disk_id == disk.id && s.status(now) == SnapshotStatus::Progressing && !s.instant_access_on(now)
    });
    if busy {
        return Err(EcsError::DiskCreatingSnapshot.into());
    }
    Ok((disk, snap, inst))
}

/// ResetDisk (R-RB-1..5): the whole disk returns to the snapshot's content (R-RB-3: this disk
/// only), keeping its current size if it was resized since (R-RB-5). Irreversible (R-RB-2).
pub fn reset(w: &mut World, p: &Params) -> Outcome<Applied> {
    let (disk, snap, _) = check_reset(w, p.require("DiskId")?, p.require("SnapshotId")?)?;
    let effects = w.blocks.reset_volume(disk.volume, snap.snap).map_err(Failure::from)?;
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}

/// `snaplab disk reset-preview --DiskId d-… --SnapshotId s-…`: what the console shows before
/// a rollback. Refused exactly as ResetDisk would be; otherwise the warnings: R-RB-2 (data
/// written after the snapshot is lost), R-RB-5 (the disk keeps its larger size), and SPEC §6's
/// economical-stop warning (an instance stopped with `StopCharging` may fail to start after
/// the rollback). The warning codes are Snaplab's; ECS's API has no reply field for them.
pub fn reset_preview(w: &World, p: &Params) -> Outcome<Value> {
    use crate::replies::{Reply, ResetPreview, Warning};
    let (disk, snap, inst) = check_reset(w, p.require("DiskId")?, p.require("SnapshotId")?)?;
    let warning = |code: &str, message: String| Warning {
        code: code.to_string(),
        message,
    };
    let mut warnings = vec![warning(
        "Rollback.Irreversible",
        format!(
            "Rolling back is irreversible: data written to {} after {} is lost. Create a snapshot first if you may need it.",
            disk.id,
            snap.creation_time.to_iso()
        ),
    )];
    let size_kept = disk.size_gib > snap.source_disk_size_gib;
    if size_kept {
        warnings.push(warning(
            "Rollback.SizeKept",
            format!(
                "The disk was resized after the snapshot ({} GiB then, {} GiB now): it keeps {} GiB. Extend the partition and file system again after the rollback.",
                snap.source_disk_size_gib, disk.size_gib, disk.size_gib
            ),
        ));
    }
    if inst.stopped_mode.as_deref() == Some("StopCharging") {
        warnings.push(warning(
            "Rollback.StopCharging",
            format!(
                "{} was stopped in economical mode (StopCharging): its resources were released, so a pay-as-you-go VPC instance may fail to start after the rollback. Start it, then stop it with StoppedMode=KeepCharging before rolling back.",
                inst.id
            ),
        ));
    }
    Ok(ResetPreview {
        disk_id: disk.id.clone(),
        snapshot_id: snap.id.clone(),
        instance_id: inst.id.clone(),
        snapshot_creation_time: snap.creation_time.to_iso(),
        disk_size: disk.size_gib,
        snapshot_source_disk_size: snap.source_disk_size_gib,
        size_kept,
        warnings,
    }
    .to_json())
}

/// Whether a system disk's image can be used again. Only public images exist in this
/// world: an image ID that is not in the catalogue is a deleted (custom) image.
/// A public image, or a custom image of the world.
fn image_exists(w: &World, image_id: &str) -> bool {
    catalog::public_image(image_id).is_some() || w.images.contains_key(image_id)
}

/// ReInitDisk (R-DSK-2): the disk must be `In_use` and its instance `Stopped`, with no
/// snapshot in progress and none with instant access on (R-IA-7). A system disk returns to its image (an empty volume: image content
/// is not modelled; `InvalidImageId.NotFound` if the image is gone), a data disk created from
/// a snapshot to that snapshot (`OperationDenied` if it was deleted, R-DEL-2), an empty data
/// disk to empty. Size and ID are kept. `AutoStartInstance` starts the instance afterwards.
pub fn reinit(w: &mut World, p: &Params) -> Outcome<Applied> {
    let disk = w.disk(p.require("DiskId")?)?.clone();
    let auto_start = p.bool("AutoStartInstance")?.unwrap_or(false);
    if disk.status != DiskStatus::InUse {
        return Err(EcsError::IncorrectDiskStatus.into());
    }
    let inst_id = disk
        .instance_id
        .clone()
        .filter(|i| w.instances.contains_key(i))
        .ok_or(EcsError::IncorrectDiskStatus)?;
    if w.instance(&inst_id)?.status != InstanceStatus::Stopped {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    if creating_snapshot(w, &disk.id) {
        return Err(EcsError::DiskCreatingSnapshot.into());
    }
    // R-IA-7: not while a snapshot of the disk has instant access on.
    let now = w.now();
    if w.snapshots
        .values()
        .any(|s| s.source_disk_id == disk.id && !s.is_copy() && s.instant_access_on(now))
    {
        return Err(EcsError::OperationDenied(DenyReason::InstantAccessBlocksReInit).into());
    }
    let target: Option<SnapId> = if disk.disk_type == "system" {
        if let Some(image) = disk.image_id.as_deref().filter(|i| !image_exists(w, i)) {
            return Err(EcsError::not_found(Resource::Image, image).into());
        }
        // A custom image's system disk returns to the image's system snapshot.
        disk.image_id
            .as_deref()
            .and_then(|i| w.images.get(i))
            .and_then(|image| image.disks.iter().find(|d| d.disk_type == "system"))
            .and_then(|d| d.snapshot_id.as_deref())
            .and_then(|sid| w.snapshots.get(sid))
            .map(|s| s.snap)
    } else if let Some(source) = &disk.source_snapshot_id {
        let snap = w
            .snapshots
            .get(source)
            .ok_or(EcsError::OperationDenied(DenyReason::SourceSnapshotDeleted))?;
        Some(snap.snap)
    } else {
        None
    };
    let effects = w.blocks.reinit_volume(disk.volume, target).map_err(Failure::from)?;
    if let Some(d) = w.disks.get_mut(&disk.id) {
        d.reinitialized_time = Some(now);
    }
    if auto_start {
        if let Some(inst) = w.instances.get_mut(&inst_id) {
            instances::begin_start(inst, now);
        }
    }
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}

/// ReplaceSystemDisk: the instance must be `Stopped`, its system disk without a snapshot in
/// progress. A new system disk (new ID, same category and performance level, the image's
/// state — empty) replaces the old one, which is released (R-DSK-3: its manual snapshots
/// remain, but cannot roll back the new disk, R-RB-4). `SystemDisk.Size`: from max(20, image
/// size) to the category's maximum, default max(40, image size) (ECS's ReplaceSystemDisk
/// reference).
pub fn replace_system_disk(w: &mut World, p: &Params) -> Outcome<Applied> {
    let inst = w.instance(p.require("InstanceId")?)?.clone();
    let image_id = p.require("ImageId")?;
    let image = catalog::public_image(image_id).ok_or_else(|| EcsError::not_found(Resource::Image, image_id))?;
    let size_param = p.int("SystemDisk.Size", i64::MIN, i64::MAX)?;
    let encrypted_param = p.bool("Encrypted")?;
    if inst.status != InstanceStatus::Stopped {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    let old: Option<Disk> = w
        .disks
        .values()
        .find(|d| d.instance_id.as_deref() == Some(inst.id.as_str()) && is_system_attachment(d))
        .cloned();
    if let Some(old) = &old {
        if creating_snapshot(w, &old.id) {
            return Err(EcsError::DiskCreatingSnapshot.into());
        }
    }
    let category = old
        .as_ref()
        .and_then(|d| DiskCategory::parse(&d.category))
        .unwrap_or(DiskCategory::CloudEfficiency);
    let pl = old
        .as_ref()
        .and_then(|d| d.performance_level.as_deref())
        .and_then(PerformanceLevel::parse);
    let range = category
        .size_range(DiskType::System, pl)
        .ok_or(EcsError::InvalidSystemDiskCategoryValueNotSupported)?;
    let image_size = i64::from(image.size_gib);
    let size = size_param.unwrap_or(image_size.max(40));
    if size < image_size {
        return Err(EcsError::InvalidSystemDiskSizeLessThanImageSize.into());
    }
    if size < i64::from(*range.start()) {
        return Err(EcsError::InvalidDiskSizeNotSupported.into());
    }
    if size > i64::from(*range.end()) {
        return Err(EcsError::InvalidSystemDiskSizeMoreThanMaxSize.into());
    }
    let size = size as u64;

    let id = w.new_id(Resource::Disk, &inst.region)?;
    let volume = w.blocks.create_volume(w.blocks_of(size)).map_err(Failure::from)?;
    let mut effects = Effects::default();
    let mut replaced = Vec::new();
    if let Some(old) = &old {
        replaced = old.replaced_disk_ids.clone();
        replaced.push(old.id.clone());
        disks::absorb(&mut effects, disks::release(w, &old.id)?);
    }
    let now = w.now();
    w.disks.insert(
        id.clone(),
        Disk {
            id: id.clone(),
            region: inst.region.clone(),
            zone: inst.zone.clone(),
            name: String::new(),
            description: String::new(),
            category: category.as_str().to_string(),
            performance_level: pl.map(|l| l.as_str().to_string()),
            size_gib: size,
            disk_type: "system".to_string(),
            status: DiskStatus::InUse,
            instance_id: Some(inst.id.clone()),
            device: Some(SYSTEM_DEVICE.to_string()),
            ever_attached: true,
            delete_auto_snapshot: old.as_ref().is_some_and(|d| d.delete_auto_snapshot),
            delete_with_instance: old.as_ref().is_none_or(|d| d.delete_with_instance),
            encrypted: encrypted_param.unwrap_or_else(|| old.as_ref().is_some_and(|d| d.encrypted)),
            creation_time: now,
            attached_time: Some(now),
            source_snapshot_id: None,
            image_id: Some(image.id.to_string()),
            volume,
            detached_time: None,
            original_instance_id: Some(inst.id.clone()),
            replaced_disk_ids: replaced,
            reinitialized_time: None,
            tags: Vec::new(),
        },
    );
    if let Some(i) = w.instances.get_mut(&inst.id) {
        i.disks.insert(0, id.clone());
        i.image_id = image.id.to_string();
    }
    Ok(Applied {
        reply: json!({ "DiskId": id }),
        effects,
    })
}
