//! Disk actions (API.md §3, SPEC §7): DescribeDisks, CreateDisk, AttachDisk, DetachDisk,
//! DeleteDisk, ResizeDisk, ModifyDiskAttribute — and the helpers the instance and rollback
//! actions share: attaching, releasing a disk (R-DSK-3), "a snapshot of this disk is in
//! progress". `DryRun` is handled for every action by `World::exec`.
//!
//! Disks change status at once: ECS's short-lived `Creating`, `Attaching` and `Detaching`
//! states are not modelled (a new disk is `Available` as soon as CreateDisk answers, a
//! detached one as soon as DetachDisk answers).

use super::model::{Disk, DiskStatus, InstanceStatus, Snapshot, SnapshotStatus};
use super::{snapshots, Applied, Failure, Outcome, World};
use crate::blocks::Effects;
use crate::catalog::{self, DiskCategory, DiskType, PerformanceLevel};
use crate::error::{EcsError, Refusal, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// Most data disks attached to one instance (RunInstances takes `DataDisk.1`–`DataDisk.16`).
pub const MAX_DATA_DISKS: usize = 16;
/// The device of an instance's system disk.
pub const SYSTEM_DEVICE: &str = "/dev/xvda";

// ----- helpers shared with instances.rs and rollback.rs -----

/// Whether a snapshot of the disk is still being created.
pub(super) fn creating_snapshot(w: &World, disk_id: &str) -> bool {
    let now = w.now();
    w.snapshots
        .values()
        .any(|s| s.source_disk_id == disk_id && s.status(now) == SnapshotStatus::Progressing)
}

/// Whether the disk is attached as its instance's system disk.
pub(super) fn is_system_attachment(d: &Disk) -> bool {
    d.instance_id.is_some() && d.device.as_deref() == Some(SYSTEM_DEVICE)
}

/// Adds `from` to `into` (one command may release several disks and snapshots).
pub(super) fn absorb(into: &mut Effects, from: Effects) {
    into.put.extend(from.put);
    into.delete.extend(from.delete);
}

/// Releases a disk (R-DSK-3): its manual snapshots remain, with their chain; its automatic
/// snapshots are deleted when `DeleteAutoSnapshot` is set (otherwise they stay until their
/// policy's retention removes them). Automatic snapshots go even if disks were created from
/// them, as a forced DeleteSnapshot would (R-DEL-2). Local / instant-access snapshots are
/// manual, so they stay; their instant access turns off (R-IA-4, R-IA-6). The caller has
/// checked the disk may go.
pub(super) fn release(w: &mut World, disk_id: &str) -> Outcome<Effects> {
    let disk = w.disk(disk_id)?.clone();
    let now = w.now();
    for s in w
        .snapshots
        .values_mut()
        .filter(|s| s.source_disk_id == disk.id && !s.is_copy())
    {
        snapshots::turn_off_instant_access(s, now);
    }
    let mut fx = Effects::default();
    if disk.delete_auto_snapshot {
        let autos: Vec<Snapshot> = w
            .snapshots
            .values()
            .filter(|s| s.source_disk_id == disk.id && s.snapshot_type == "auto")
            .cloned()
            .collect();
        for s in autos {
            let (_report, e) = w.blocks.delete_snapshot(s.snap).map_err(Failure::from)?;
            absorb(&mut fx, e);
            w.snapshots.remove(&s.id);
        }
    }
    absorb(&mut fx, w.blocks.delete_volume(disk.volume).map_err(Failure::from)?);
    if let Some(inst) = disk.instance_id.as_deref().and_then(|i| w.instances.get_mut(i)) {
        inst.disks.retain(|d| *d != disk.id);
    }
    w.disks.remove(&disk.id);
    Ok(fx)
}

/// The first free data-disk device of an instance (`/dev/xvdb`, `/dev/xvdc`, …).
fn next_device(w: &World, instance_id: &str) -> String {
    let used: Vec<&str> = w
        .disks
        .values()
        .filter(|d| d.instance_id.as_deref() == Some(instance_id))
        .filter_map(|d| d.device.as_deref())
        .collect();
    (b'b'..=b'z')
        .map(|c| format!("/dev/xvd{}", c as char))
        .find(|dev| !used.contains(&dev.as_str()))
        .unwrap_or_else(|| "/dev/xvdz".to_string())
}

/// Data disks attached to an instance.
fn data_disk_count(w: &World, instance_id: &str) -> usize {
    w.disks
        .values()
        .filter(|d| d.instance_id.as_deref() == Some(instance_id) && !is_system_attachment(d))
        .count()
}

/// Attaches an `Available` disk (checks done by the caller): `In_use`, a device, "has been
/// attached" (R-CRT-1).
pub(super) fn attach(w: &mut World, disk_id: &str, instance_id: &str, as_system: bool) {
    let now = w.now();
    let device = if as_system {
        SYSTEM_DEVICE.to_string()
    } else {
        next_device(w, instance_id)
    };
    if let Some(inst) = w.instances.get_mut(instance_id) {
        if as_system {
            inst.disks.insert(0, disk_id.to_string());
        } else {
            inst.disks.push(disk_id.to_string());
        }
    }
    if let Some(d) = w.disks.get_mut(disk_id) {
        d.status = DiskStatus::InUse;
        d.instance_id = Some(instance_id.to_string());
        d.device = Some(device);
        d.attached_time = Some(now);
        d.ever_attached = true;
        if as_system {
            d.original_instance_id = Some(instance_id.to_string());
        }
    }
}

/// Detaches a disk (checks done by the caller): `Available`, no instance, no device.
pub(super) fn detach(w: &mut World, disk_id: &str) {
    let now = w.now();
    let Some(d) = w.disks.get_mut(disk_id) else {
        return;
    };
    let instance = d.instance_id.take();
    d.status = DiskStatus::Available;
    d.device = None;
    d.detached_time = Some(now);
    if let Some(inst) = instance.as_deref().and_then(|i| w.instances.get_mut(i)) {
        inst.disks.retain(|x| x != disk_id);
    }
}

/// The category of a stored disk.
fn category_of(d: &Disk) -> Option<DiskCategory> {
    DiskCategory::parse(&d.category)
}

/// `DiskName`: 2–128 characters, starting with a letter (Latin or Chinese), then letters,
/// digits, `.`, `_`, `-`, `:`; not `http://`/`https://`.
pub(super) fn check_disk_name(name: &str) -> Outcome<()> {
    if !super::is_valid_name(name) {
        return Err(EcsError::InvalidDiskNameMalformed.into());
    }
    Ok(())
}

// ----- DescribeDisks -----

/// DescribeDisks.
/// The `Category` values DescribeDisks takes besides `all` (API.md: CreateDisk's categories plus
/// the local ones); any other is `InvalidCategory.ValueNotSupported`.
const DESCRIBE_CATEGORIES: &[&str] = &[
    "cloud",
    "cloud_efficiency",
    "cloud_ssd",
    "cloud_essd",
    "cloud_auto",
    "cloud_essd_entry",
    "cloud_regional_disk_auto",
    "elastic_ephemeral_disk_standard",
    "elastic_ephemeral_disk_premium",
    "local_ssd_pro",
    "local_hdd_pro",
    "ephemeral",
    "ephemeral_ssd",
];

pub fn describe(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let ids = p.json_list("DiskIds")?;
    if ids.as_ref().is_some_and(|ids| ids.len() > 100) {
        return Err(EcsError::InvalidDiskIdsMalformed.into());
    }
    let instance = p.get("InstanceId")?;
    let disk_type = match p.get("DiskType")? {
        None | Some("all") => None,
        Some(t @ ("system" | "data")) => Some(t),
        Some(_) => return Err(EcsError::InvalidDiskTypeValueNotSupported.into()),
    };
    let status = match p.get("Status")? {
        None | Some("All") => None,
        Some(s @ ("In_use" | "Available" | "Attaching" | "Detaching" | "Creating" | "ReIniting")) => Some(s),
        Some(_) => return Err(EcsError::InvalidStatusValueNotSupported(Refusal::BadRequest).into()),
    };
    let snapshot = p.get("SnapshotId")?;
    let tag_filter = super::snapshots::tags(p)?;
    // Issue 12 item 1: every documented filter filters (world/params.rs).
    // An unknown zone matches no disk (API.md's `InvalidZoneId.NotFound` is not raised: a zone
    // of another region is a valid zone with none of this region's disks).
    let zone = p.get("ZoneId")?;
    let category = match p.get("Category")? {
        None | Some("all") => None,
        Some(c) if DESCRIBE_CATEGORIES.contains(&c) => Some(c),
        Some(_) => return Err(EcsError::InvalidCategoryValueNotSupported.into()),
    };
    let delete_with_instance = p.bool("DeleteWithInstance")?;
    let delete_auto_snapshot = p.bool("DeleteAutoSnapshot")?;
    let portable = p.bool("Portable")?;
    let encrypted = p.bool("Encrypted")?;
    let name = p.get("DiskName")?;
    // Every emulated disk is pay-as-you-go and single-attach (SPEC §1: billing plumbing).
    let charge_type = match p.get("DiskChargeType")? {
        None => None,
        Some(c @ ("PrePaid" | "PostPaid")) => Some(c),
        Some(_) => return Err(EcsError::invalid("DiskChargeType", "use PrePaid or PostPaid").into()),
    };
    let multi_attach = match p.get("MultiAttach")? {
        None => None,
        Some(m @ ("Disabled" | "Enabled" | "LegacyShared")) => Some(m),
        Some(_) => return Err(EcsError::invalid("MultiAttach", "use Disabled, Enabled or LegacyShared").into()),
    };
    let times = super::snapshots::time_filters(p)?;
    let rows: Vec<Value> = w
        .disks
        .values()
        .filter(|d| d.region == region)
        .filter(|d| zone.is_none_or(|z| d.zone == z))
        .filter(|d| category.is_none_or(|c| d.category == c))
        .filter(|d| delete_with_instance.is_none_or(|v| d.delete_with_instance == v))
        .filter(|d| delete_auto_snapshot.is_none_or(|v| d.delete_auto_snapshot == v))
        // `Portable` as the reply says it: data disks are, system disks are not.
        .filter(|d| portable.is_none_or(|v| (d.disk_type == "data") == v))
        .filter(|d| encrypted.is_none_or(|v| d.encrypted == v))
        .filter(|d| name.is_none_or(|n| d.name == n))
        .filter(|_| charge_type.is_none_or(|c| c == "PostPaid"))
        .filter(|_| multi_attach.is_none_or(|m| m == "Disabled"))
        .filter(|d| times.0.is_none_or(|t| d.creation_time >= t) && times.1.is_none_or(|t| d.creation_time <= t))
        .filter(|d| ids.as_ref().is_none_or(|ids| ids.contains(&d.id)))
        .filter(|d| instance.is_none_or(|i| d.instance_id.as_deref() == Some(i)))
        .filter(|d| disk_type.is_none_or(|t| d.disk_type == t))
        .filter(|d| status.is_none_or(|s| d.status.as_str() == s))
        .filter(|d| snapshot.is_none_or(|s| d.source_snapshot_id.as_deref() == Some(s)))
        .filter(|d| super::tags::matches(w.resource_tags.get(&d.id), &tag_filter))
        .map(|d| super::tags::with_tags(d.to_json(), w.resource_tags.get(&d.id)))
        .collect();
    super::page(p, rows, "Disks", "Disk", 500)
}

// ----- CreateDisk -----

/// CreateDisk: an empty disk of `Size`, or a disk from `SnapshotId` (R-DSK-1: any zone of the
/// snapshot's region, at least the snapshot's source size, the snapshot's content). The new
/// disk is `Available` and has never been attached (R-CRT-1), unless `InstanceId` names the
/// instance to attach it to at once.
///
/// Size with a snapshot: SPEC R-DSK-1 and ECS's `InvalidDiskSize.TooSmall` ("Specified disk
/// size is less than the size of snapshot.") refuse a smaller `Size`; the SDK's text "max of
/// the two" is not followed.
pub fn create(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let reg = catalog::region(region).ok_or_else(|| EcsError::not_found(Resource::Region, region))?;
    let (zone, instance) = match (p.get("ZoneId")?, p.get("InstanceId")?) {
        (Some(_), Some(_)) => {
            return Err(EcsError::invalid("InstanceId", "ZoneId and InstanceId are mutually exclusive.").into())
        }
        (None, None) => return Err(EcsError::missing("ZoneId").into()),
        (Some(z), None) => (
            reg.zone(z)
                .ok_or_else(|| EcsError::not_found(Resource::Zone, z))?
                .id
                .to_string(),
            None,
        ),
        (None, Some(i)) => {
            let inst = w
                .instances
                .get(i)
                .filter(|x| x.region == region)
                .ok_or_else(|| EcsError::not_found(Resource::Instance, i))?;
            (inst.zone.clone(), Some(inst.id.clone()))
        }
    };
    let category = match p.get("DiskCategory")? {
        None => DiskCategory::Cloud,
        Some(c) => DiskCategory::parse(c)
            .filter(|c| !c.is_local())
            .ok_or(EcsError::InvalidDiskCategoryValueNotSupported)?,
    };
    let pl_param = p.get("PerformanceLevel")?;
    let pl = if category.has_performance_level() {
        Some(match pl_param {
            None => PerformanceLevel::PL1,
            Some(v) => PerformanceLevel::parse(v).ok_or_else(|| EcsError::invalid("PerformanceLevel", ""))?,
        })
    } else {
        None
    };
    let range = category
        .size_range(DiskType::Data, pl)
        .ok_or(EcsError::InvalidDiskCategoryValueNotSupported)?;
    let size_param = p.int("Size", i64::MIN, i64::MAX)?;
    let snapshot: Option<Snapshot> = match p.get("SnapshotId")? {
        None => None,
        Some(id) => {
            let s = w
                .snapshots
                .get(id)
                .filter(|s| s.region == region)
                .ok_or_else(|| EcsError::not_found(Resource::Snapshot, id))?;
            // R-IA-3: an instant-access snapshot is usable before it finishes.
            if !s.available(w.now()) {
                return Err(EcsError::InvalidSnapshotIdNotReady.into());
            }
            Some(s.clone())
        }
    };
    // R-IA-6: a disk from a local / instant-access snapshot is an ESSD of exactly the
    // snapshot's size, and not encrypted (local snapshots cannot be encrypted).
    if let Some(s) = snapshot.as_ref().filter(|s| s.instant_access_on(w.now())) {
        let exact = size_param.is_none_or(|n| u64::try_from(n).ok() == Some(s.source_disk_size_gib));
        if category != DiskCategory::CloudEssd || !exact || p.bool("Encrypted")? == Some(true) {
            return Err(EcsError::OperationDeniedSnapshotNotAllowed.into());
        }
    }
    let size: i64 = match (&snapshot, size_param) {
        (None, None) => {
            return Err(EcsError::MissingParameterOneOf {
                names: vec!["SnapshotId".into(), "Size".into()],
            }
            .into())
        }
        (None, Some(n)) => n,
        (Some(s), None) => i64::try_from(s.source_disk_size_gib).unwrap_or(i64::MAX),
        (Some(s), Some(n)) => {
            if n < i64::try_from(s.source_disk_size_gib).unwrap_or(i64::MAX) {
                return Err(EcsError::InvalidDiskSizeTooSmall { resize: false }.into());
            }
            n
        }
    };
    if snapshot
        .as_ref()
        .is_some_and(|s| s.source_disk_size_gib > u64::from(*range.end()))
    {
        return Err(EcsError::InvalidSnapshotTooLarge.into());
    }
    if size < i64::from(*range.start()) || size > i64::from(*range.end()) {
        return Err(EcsError::InvalidDiskSizeNotSupported.into());
    }
    let size = size as u64;
    let name = p.get("DiskName")?;
    if let Some(n) = name {
        check_disk_name(n)?;
    }
    let description = p.get("Description")?;
    if let Some(d) = description {
        snapshots::check_description(d)?;
    }
    let encrypted = p.bool("Encrypted")?.unwrap_or(false) || snapshot.as_ref().is_some_and(|s| s.encrypted);
    match p.get("MultiAttach")? {
        None | Some("Disabled") => {}
        Some("Enabled") => {
            return Err(EcsError::invalid("MultiAttach", "multi-attach disks are not emulated by Snaplab.").into())
        }
        Some(_) => return Err(EcsError::invalid("MultiAttach", "use Disabled or Enabled.").into()),
    }
    let tags = snapshots::tags(p)?;
    if let Some(i) = &instance {
        check_attach(w, i, false)?;
    }

    let id = w.new_id(Resource::Disk, region)?;
    let blocks = w.blocks_of(size);
    let volume = match &snapshot {
        Some(s) => w.blocks.create_volume_from_snapshot(s.snap, blocks),
        None => w.blocks.create_volume(blocks),
    }
    .map_err(Failure::from)?;
    let now = w.now();
    w.disks.insert(
        id.clone(),
        Disk {
            id: id.clone(),
            region: region.to_string(),
            zone,
            name: name.unwrap_or("").to_string(),
            description: description.unwrap_or("").to_string(),
            category: category.as_str().to_string(),
            performance_level: pl.map(|l| l.as_str().to_string()),
            size_gib: size,
            disk_type: "data".to_string(),
            status: DiskStatus::Available,
            instance_id: None,
            device: None,
            ever_attached: false,
            delete_auto_snapshot: false,
            // A disk created for an instance goes with it, like the instance's own disks.
            delete_with_instance: instance.is_some(),
            encrypted,
            creation_time: now,
            attached_time: None,
            source_snapshot_id: snapshot.as_ref().map(|s| s.id.clone()),
            image_id: None,
            volume,
            detached_time: None,
            original_instance_id: None,
            replaced_disk_ids: Vec::new(),
            reinitialized_time: None,
            tags,
        },
    );
    if let Some(i) = &instance {
        attach(w, &id, i, false);
    }
    Ok(json!({ "DiskId": id }))
}

// ----- AttachDisk / DetachDisk -----

/// The instance-side checks of attaching a data disk (`as_system`: the system disk).
fn check_attach(w: &World, instance_id: &str, as_system: bool) -> Outcome<()> {
    let inst = w.instance(instance_id)?;
    if as_system {
        if inst.status != InstanceStatus::Stopped {
            return Err(EcsError::IncorrectInstanceStatus(Refusal::BadRequest).into());
        }
        let has_system = w
            .disks
            .values()
            .any(|d| d.instance_id.as_deref() == Some(instance_id) && is_system_attachment(d));
        if has_system {
            // The system disk's device is taken.
            return Err(EcsError::InvalidDeviceInUse.into());
        }
    } else {
        if !matches!(inst.status, InstanceStatus::Running | InstanceStatus::Stopped) {
            return Err(EcsError::IncorrectInstanceStatus(Refusal::BadRequest).into());
        }
        if data_disk_count(w, instance_id) >= MAX_DATA_DISKS {
            return Err(EcsError::InstanceDiskLimitExceeded.into());
        }
    }
    Ok(())
}

/// AttachDisk: an `Available` disk of the instance's zone. A data disk needs the instance
/// `Running` or `Stopped`; `Bootable=true` attaches a detached system disk back as the system
/// disk of its original instance, which must be `Stopped` and have no system disk. A system
/// disk attached without `Bootable` is attached as a data disk (ECS allows this to repair a
/// system disk from another instance). `DeleteWithInstance` is changed only when given.
pub fn attach_disk(w: &mut World, p: &Params) -> Outcome<Value> {
    let instance_id = p.require("InstanceId")?;
    let disk_id = p.require("DiskId")?;
    let delete_with_instance = p.bool("DeleteWithInstance")?;
    let bootable = p.bool("Bootable")?.unwrap_or(false);
    let inst = w.instance(instance_id)?.clone();
    let disk = w.disk(disk_id)?.clone();
    match disk.status {
        DiskStatus::Available => {}
        DiskStatus::InUse => return Err(EcsError::InvalidDiskInUse.into()),
        _ => return Err(EcsError::DiskIdStatusNotSupported.into()),
    }
    if disk.zone != inst.zone || disk.region != inst.region {
        return Err(EcsError::ResourcesNotInSameZone.into());
    }
    if bootable && (disk.disk_type != "system" || disk.original_instance_id.as_deref() != Some(inst.id.as_str())) {
        return Err(EcsError::invalid(
            "Bootable",
            "Only a system disk can be attached as the system disk, and only to its original instance.",
        )
        .into());
    }
    check_attach(w, &inst.id, bootable)?;
    if let (Some(v), Some(d)) = (delete_with_instance, w.disks.get_mut(&disk.id)) {
        d.delete_with_instance = v;
    }
    attach(w, &disk.id, &inst.id, bootable);
    Ok(json!({}))
}

/// DetachDisk: the disk must be attached to this instance; a data disk needs the instance
/// `Running` or `Stopped`, the system disk `Stopped`. The disk becomes `Available`; local disks
/// cannot be detached (`DiskNotPortable`). `DeleteWithInstance` is changed only when given.
pub fn detach_disk(w: &mut World, p: &Params) -> Outcome<Value> {
    let instance_id = p.require("InstanceId")?;
    let disk_id = p.require("DiskId")?;
    let delete_with_instance = p.bool("DeleteWithInstance")?;
    let inst = w.instance(instance_id)?.clone();
    let disk = w.disk(disk_id)?.clone();
    if disk.status != DiskStatus::InUse || disk.instance_id.as_deref() != Some(inst.id.as_str()) {
        return Err(EcsError::IncorrectDiskStatus.into());
    }
    if category_of(&disk).is_none_or(DiskCategory::is_local) {
        return Err(EcsError::DiskNotPortable.into());
    }
    let ok = if is_system_attachment(&disk) {
        inst.status == InstanceStatus::Stopped
    } else {
        matches!(inst.status, InstanceStatus::Running | InstanceStatus::Stopped)
    };
    if !ok {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    if let (Some(v), Some(d)) = (delete_with_instance, w.disks.get_mut(&disk.id)) {
        d.delete_with_instance = v;
    }
    detach(w, &disk.id);
    Ok(json!({}))
}

// ----- DeleteDisk -----

/// DeleteDisk: only an `Available` disk (`DiskStillAttached` when attached), not while a
/// snapshot of it is being created; R-DSK-3 for its snapshots.
///
/// An unknown `DiskId` is `InvalidDiskId.NotFound` (the SDK's text says the request is
/// ignored; SPEC §17 allows silence only for DeleteSnapshot).
pub fn delete(w: &mut World, p: &Params) -> Outcome<Applied> {
    let id = p.require("DiskId")?;
    let disk = w.disk(id)?;
    match disk.status {
        DiskStatus::Available => {}
        DiskStatus::InUse => return Err(EcsError::DiskStillAttached.into()),
        _ => return Err(EcsError::IncorrectDiskStatus.into()),
    }
    let id = disk.id.clone();
    if creating_snapshot(w, &id) {
        return Err(EcsError::DiskCreatingSnapshot.into());
    }
    let effects = release(w, &id)?;
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}

// ----- ResizeDisk -----

/// ResizeDisk: grow only (`InvalidDiskSize.TooSmall` when smaller, `InvalidDiskSize` when
/// equal), up to the category's maximum (system disks: ResizeDisk's system ranges);
/// `DiskCreatingSnapshot` while a snapshot of the disk is in progress. `Type=online` needs
/// the disk attached to a `Running` instance; `offline` (the default) takes effect at once
/// here (ECS applies it at the next restart; the guest-visible size is not modelled).
pub fn resize(w: &mut World, p: &Params) -> Outcome<Value> {
    let id = p.require("DiskId")?;
    let new_size = p.require_int("NewSize", i64::MIN, i64::MAX)?;
    let online = match p.get("Type")? {
        None | Some("offline") => false,
        Some("online") => true,
        Some(_) => return Err(EcsError::InvalidParamType.into()),
    };
    let disk = w.disk(id)?.clone();
    let category = category_of(&disk)
        .filter(|c| !c.is_local())
        .ok_or(EcsError::DiskCategoryOperationNotSupported)?;
    let inst = match disk.status {
        DiskStatus::InUse => disk.instance_id.as_deref().and_then(|i| w.instances.get(i)),
        DiskStatus::Available => None,
        _ => return Err(EcsError::IncorrectDiskStatus.into()),
    };
    match inst {
        Some(i) if !matches!(i.status, InstanceStatus::Running | InstanceStatus::Stopped) => {
            return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into())
        }
        Some(i) if online && i.status != InstanceStatus::Running => {
            return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into())
        }
        None if online => return Err(EcsError::IncorrectDiskStatus.into()),
        _ => {}
    }
    if creating_snapshot(w, &disk.id) {
        return Err(EcsError::DiskCreatingSnapshot.into());
    }
    let current = i64::try_from(disk.size_gib).unwrap_or(i64::MAX);
    if new_size < current {
        return Err(EcsError::InvalidDiskSizeTooSmall { resize: true }.into());
    }
    if new_size == current {
        return Err(EcsError::InvalidDiskSize.into());
    }
    let disk_type = if disk.disk_type == "system" {
        DiskType::System
    } else {
        DiskType::Data
    };
    let pl = disk.performance_level.as_deref().and_then(PerformanceLevel::parse);
    let range = category
        .size_range(disk_type, pl)
        .ok_or(EcsError::DiskCategoryOperationNotSupported)?;
    if new_size > i64::from(*range.end()) {
        return Err(EcsError::InvalidDiskSizeTooLarge.into());
    }
    let new_size = new_size as u64;
    let blocks = w.blocks_of(new_size);
    w.blocks.resize_volume(disk.volume, blocks).map_err(Failure::from)?;
    if let Some(d) = w.disks.get_mut(&disk.id) {
        d.size_gib = new_size;
    }
    Ok(json!({}))
}

// ----- ModifyDiskAttribute -----

/// ModifyDiskAttribute: `DiskName`, `Description`, `DeleteWithInstance`, `DeleteAutoSnapshot`
/// of one disk (`DiskId`) or up to 100 (`DiskIds.N`, with `RegionId`). Omitted attributes
/// keep their values; none given is `NoAttributeToModify`. A local disk always goes with its
/// instance (`DiskNotPortable` for `DeleteWithInstance=false`). `EnableAutoSnapshot`
/// (deprecated) and `BurstingEnabled` are not modelled and not counted as attributes.
pub fn modify_attribute(w: &mut World, p: &Params, region: Option<&str>) -> Outcome<Value> {
    let single = p.get("DiskId")?;
    let many = p.list("DiskIds")?;
    let ids: Vec<String> = match (single, many.is_empty()) {
        (Some(_), false) => {
            return Err(EcsError::invalid("DiskIds", "Give DiskId or DiskIds.N, not both.").into());
        }
        (None, true) => return Err(EcsError::missing("DiskId").into()),
        (Some(d), true) => vec![w.disk(d)?.id.clone()],
        (None, false) => {
            if many.len() > 100 {
                return Err(EcsError::invalid("DiskIds", "At most 100 disks.").into());
            }
            let region = w.region(region)?;
            let mut out = Vec::new();
            for d in many {
                let disk = w
                    .disks
                    .get(d)
                    .filter(|x| x.region == region)
                    .ok_or_else(|| EcsError::not_found(Resource::Disk, d))?;
                out.push(disk.id.clone());
            }
            out
        }
    };
    let name = p.get("DiskName")?;
    if let Some(n) = name {
        check_disk_name(n)?;
    }
    let description = p.get("Description")?;
    if let Some(d) = description {
        snapshots::check_description(d)?;
    }
    let delete_with_instance = p.bool("DeleteWithInstance")?;
    let delete_auto_snapshot = p.bool("DeleteAutoSnapshot")?;
    if name.is_none() && description.is_none() && delete_with_instance.is_none() && delete_auto_snapshot.is_none() {
        return Err(EcsError::NoAttributeToModify.into());
    }
    if delete_with_instance == Some(false)
        && ids
            .iter()
            .filter_map(|i| w.disks.get(i))
            .any(|d| category_of(d).is_none_or(DiskCategory::is_local))
    {
        return Err(EcsError::DiskNotPortable.into());
    }
    for id in &ids {
        if let Some(d) = w.disks.get_mut(id) {
            if let Some(n) = name {
                d.name = n.to_string();
            }
            if let Some(x) = description {
                d.description = x.to_string();
            }
            if let Some(v) = delete_with_instance {
                d.delete_with_instance = v;
            }
            if let Some(v) = delete_auto_snapshot {
                d.delete_auto_snapshot = v;
            }
        }
    }
    Ok(json!({}))
}
