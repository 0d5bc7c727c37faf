//! RunInstances, DescribeInstances, StartInstance, StopInstance, RebootInstance,
//! DeleteInstance.
//!
//! Instances move through their statuses on the simulated clock: RunInstances and
//! StartInstance go Pending/Starting → Running, StopInstance Stopping → Stopped.

use super::disks;
use super::model::{Disk, DiskStatus, Instance, InstanceStatus, Transition};
use super::{Applied, Failure, Outcome, World};
use crate::blocks::{Effects, SnapId};
use crate::catalog::{self, DiskCategory, DiskType, PerformanceLevel};
use crate::clock::Timestamp;
use crate::error::{EcsError, Refusal, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// Seconds each instance transition takes on the simulated clock.
const PENDING_SECONDS: i64 = 10;
const STARTING_SECONDS: i64 = 20;
const STOPPING_SECONDS: i64 = 10;

/// A disk to create with an instance.
struct DiskSpec {
    category: DiskCategory,
    size_gib: u64,
    pl: Option<PerformanceLevel>,
    name: String,
    description: String,
    delete_with_instance: bool,
    encrypted: bool,
    /// `DataDisk.N.SnapshotId`: the snapshot (ECS id, block handle) the disk starts from.
    snapshot: Option<(String, SnapId)>,
}

/// `fixed_size`: the size of a disk from a snapshot (its `Size` parameter is ignored).
fn disk_spec(
    p: &Params,
    prefix: &str,
    disk_type: DiskType,
    default_size: u64,
    min_size: u64,
    fixed_size: Option<u64>,
) -> Outcome<DiskSpec> {
    let name = |n: &str| format!("{prefix}.{n}");
    let category = match p.get(&name("Category"))? {
        None => DiskCategory::CloudEfficiency,
        Some(c) => DiskCategory::parse(c)
            .filter(|c| !c.is_local() || disk_type == DiskType::Data)
            .ok_or(match disk_type {
                DiskType::System => EcsError::InvalidSystemDiskCategoryValueNotSupported,
                DiskType::Data => EcsError::InvalidDiskCategoryValueNotSupported,
            })?,
    };
    let pl = match p.get(&name("PerformanceLevel"))? {
        None if category == DiskCategory::CloudEssd => Some(PerformanceLevel::PL1),
        None => None,
        Some(v) => Some(PerformanceLevel::parse(v).ok_or_else(|| EcsError::invalid(name("PerformanceLevel"), ""))?),
    };
    let range = category
        .size_range(disk_type, pl)
        .ok_or(EcsError::InvalidDiskCategoryValueNotSupported)?;
    let size = match fixed_size {
        Some(s) => {
            let _ = p.raw(&name("Size"));
            if s > u64::from(*range.end()) {
                return Err(EcsError::InvalidSnapshotTooLarge.into());
            }
            s
        }
        None => p
            .int(&name("Size"), 1, i64::from(*range.end()))?
            .map(|s| s as u64)
            .unwrap_or(default_size.max(min_size)),
    };
    if size < u64::from(*range.start()) {
        return Err(EcsError::InvalidDiskSizeNotSupported.into());
    }
    if size < min_size {
        return Err(EcsError::InvalidSystemDiskSizeLessThanImageSize.into());
    }
    Ok(DiskSpec {
        category,
        size_gib: size,
        pl,
        name: p.get(&name("DiskName"))?.unwrap_or("").to_string(),
        description: p.get(&name("Description"))?.unwrap_or("").to_string(),
        delete_with_instance: p.bool(&name("DeleteWithInstance"))?.unwrap_or(true),
        encrypted: p.bool(&name("Encrypted"))?.unwrap_or(false),
        snapshot: None,
    })
}

/// The image an instance starts from: a public image (its content is not modelled: empty
/// disks) or a custom image of the region, whose disks carry its snapshots' content (SPEC §9).
struct SourceImage {
    id: String,
    /// The system disk's minimum size, GiB.
    size_gib: u64,
    system_snapshot: Option<(String, SnapId)>,
    /// The image's data disks: (snapshot, size in GiB); `None` is an empty disk (R-IMG-1).
    data: Vec<(Option<(String, SnapId)>, u64)>,
}

fn source_image(w: &World, image_id: &str, region: &str) -> Outcome<SourceImage> {
    if let Some(public) = catalog::public_image(image_id) {
        return Ok(SourceImage {
            id: public.id.to_string(),
            size_gib: u64::from(public.size_gib),
            system_snapshot: None,
            data: Vec::new(),
        });
    }
    let image = w
        .images
        .get(image_id)
        .filter(|i| i.region == region)
        .ok_or_else(|| EcsError::not_found(Resource::Image, image_id))?;
    if image.status(w.now()) != "Available" {
        return Err(EcsError::OperationDeniedImageNotValid.into());
    }
    // The image holds its snapshots (R-DEL-1), so they exist.
    let snapshot = |sid: &Option<String>| -> Outcome<Option<(String, SnapId)>> {
        match sid {
            None => Ok(None),
            Some(sid) => {
                let snap = w.snapshot(sid)?;
                Ok(Some((sid.clone(), snap.snap)))
            }
        }
    };
    let mut out = SourceImage {
        id: image.id.clone(),
        size_gib: 0,
        system_snapshot: None,
        data: Vec::new(),
    };
    for d in &image.disks {
        if d.disk_type == "system" {
            out.size_gib = d.size_gib;
            out.system_snapshot = snapshot(&d.snapshot_id)?;
        } else {
            out.data.push((snapshot(&d.snapshot_id)?, d.size_gib));
        }
    }
    Ok(out)
}

pub fn run(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let image = source_image(w, p.require("ImageId")?, region)?;
    let itype_id = p.require("InstanceType")?;
    let itype = catalog::instance_type(itype_id).ok_or(EcsError::InvalidInstanceTypeValueNotSupported)?;
    let reg = catalog::region(region).ok_or_else(|| EcsError::not_found(Resource::Region, region))?;
    let zone = match p.get("ZoneId")? {
        Some(z) => reg.zone(z).ok_or_else(|| EcsError::not_found(Resource::Zone, z))?,
        None => reg
            .default_zone()
            .ok_or_else(|| EcsError::not_found(Resource::Zone, region))?,
    };
    let amount = p.int("Amount", 1, 100)?.unwrap_or(1) as usize;
    let name = p.get("InstanceName")?.map(str::to_string);
    let description = p.get("Description")?.unwrap_or("").to_string();
    let image_size = image.size_gib;
    let mut system = disk_spec(p, "SystemDisk", DiskType::System, image_size.max(40), image_size, None)?;
    system.snapshot = image.system_snapshot.clone();
    // A custom image's data disks come first (SPEC §9), then the request's DataDisk.N.
    let mut data: Vec<DiskSpec> = image
        .data
        .iter()
        .map(|(snapshot, size_gib)| DiskSpec {
            category: system.category,
            size_gib: *size_gib,
            pl: system.pl,
            name: String::new(),
            description: String::new(),
            delete_with_instance: true,
            encrypted: system.encrypted,
            snapshot: snapshot.clone(),
        })
        .collect();
    for n in 1..=16 {
        let prefix = format!("DataDisk.{n}");
        if !p.iter().any(|(k, _, _)| k.starts_with(&format!("{prefix}."))) {
            break;
        }
        // A data disk from a snapshot has the snapshot's size and content (R-DSK-1).
        let snapshot = match p.get(&format!("{prefix}.SnapshotId"))? {
            None => None,
            Some(sid) => {
                let snap = w
                    .snapshots
                    .get(sid)
                    .filter(|s| s.region == region)
                    .ok_or_else(|| EcsError::not_found(Resource::DataDiskSnapshot, sid))?;
                // R-IA-3: an instant-access snapshot is usable before it finishes.
                if !snap.available(w.now()) {
                    return Err(EcsError::InvalidSnapshotIdNotReady.into());
                }
                Some(snap.clone())
            }
        };
        let fixed = snapshot.as_ref().map(|s| s.source_disk_size_gib);
        let mut spec = disk_spec(p, &prefix, DiskType::Data, 20, 0, fixed)?;
        // R-IA-6: from a local / instant-access snapshot, an unencrypted ESSD (its size is the
        // snapshot's already).
        if snapshot.as_ref().is_some_and(|s| s.instant_access_on(w.now()))
            && (spec.category != DiskCategory::CloudEssd || spec.encrypted)
        {
            return Err(EcsError::OperationDeniedSnapshotNotAllowed.into());
        }
        if let Some(s) = snapshot {
            spec.encrypted |= s.encrypted;
            spec.snapshot = Some((s.id, s.snap));
        }
        spec.delete_with_instance = p.bool(&format!("{prefix}.DeleteWithInstance"))?.unwrap_or(true);
        data.push(spec);
    }
    let _ = p.unconsumed();

    // Every check passed: create.
    let now = w.now();
    let mut ids = Vec::new();
    for _ in 0..amount {
        let id = w.new_id(Resource::Instance, region)?;
        let mut disks = Vec::new();
        for (i, spec) in std::iter::once(&system).chain(data.iter()).enumerate() {
            let disk_id = w.new_id(Resource::Disk, region)?;
            let blocks = w.blocks_of(spec.size_gib);
            let volume = match &spec.snapshot {
                Some((_, snap)) => w.blocks.create_volume_from_snapshot(*snap, blocks),
                None => w.blocks.create_volume(blocks),
            }
            .map_err(Failure::from)?;
            let device = format!("/dev/xvd{}", (b'a' + i as u8) as char);
            w.disks.insert(
                disk_id.clone(),
                Disk {
                    id: disk_id.clone(),
                    region: region.to_string(),
                    zone: zone.id.to_string(),
                    name: spec.name.clone(),
                    description: spec.description.clone(),
                    category: spec.category.as_str().to_string(),
                    performance_level: spec.pl.map(|l| l.as_str().to_string()),
                    size_gib: spec.size_gib,
                    disk_type: if i == 0 { "system" } else { "data" }.to_string(),
                    status: DiskStatus::InUse,
                    instance_id: Some(id.clone()),
                    device: Some(device),
                    ever_attached: true,
                    delete_auto_snapshot: false,
                    delete_with_instance: spec.delete_with_instance,
                    encrypted: spec.encrypted,
                    creation_time: now,
                    attached_time: Some(now),
                    source_snapshot_id: spec.snapshot.as_ref().map(|(sid, _)| sid.clone()),
                    image_id: (i == 0).then(|| image.id.clone()),
                    volume,
                    detached_time: None,
                    original_instance_id: (i == 0).then(|| id.clone()),
                    replaced_disk_ids: Vec::new(),
                    reinitialized_time: None,
                    tags: Vec::new(),
                },
            );
            disks.push(disk_id);
        }
        w.instances.insert(
            id.clone(),
            Instance {
                id: id.clone(),
                region: region.to_string(),
                zone: zone.id.to_string(),
                name: name.clone().unwrap_or_else(|| id.clone()),
                description: description.clone(),
                instance_type: itype.id.to_string(),
                image_id: image.id.clone(),
                status: InstanceStatus::Pending,
                transitions: vec![
                    Transition {
                        to: InstanceStatus::Starting,
                        at: now.add_seconds(PENDING_SECONDS),
                    },
                    Transition {
                        to: InstanceStatus::Running,
                        at: now.add_seconds(PENDING_SECONDS + STARTING_SECONDS),
                    },
                ],
                stopped_mode: None,
                creation_time: now,
                start_time: None,
                disks,
            },
        );
        ids.push(id);
    }
    Ok(json!({ "InstanceIdSets": { "InstanceIdSet": ids }, "TradePrice": 0.0 }))
}

/// DescribeInstances' `InstanceName`: `*` matches any run of characters (API.md), everything
/// else itself. The parts between stars are found left to right, each at its first place
/// (which is enough: a star takes whatever lies between).
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    // Prefix and suffix must not overlap: "a*a" does not match "a".
    let Some(mut rest) = name.strip_prefix(first).and_then(|r| r.strip_suffix(last)) else {
        return false;
    };
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The `ExpiredTime` every pay-as-you-go instance shows (`Instance::to_json`).
fn expired_time() -> Timestamp {
    Timestamp::from_ymd_hms(2099, 12, 31, 15, 59, 0).unwrap_or(Timestamp(i64::MAX))
}

/// DescribeInstances' `Filter.1..4`: creation and expiry windows.
struct InstanceTimes {
    created: (Option<Timestamp>, Option<Timestamp>),
    expired: (Option<Timestamp>, Option<Timestamp>),
}

fn instance_time_filters(p: &Params) -> Outcome<InstanceTimes> {
    let mut out = InstanceTimes {
        created: (None, None),
        expired: (None, None),
    };
    for f in p.filters()? {
        // The key first: an unknown key is `InvalidFilterKey.NotFound` whatever its value.
        let slot = match f.key.as_str() {
            "CreationStartTime" => &mut out.created.0,
            "CreationEndTime" => &mut out.created.1,
            "ExpiredStartTime" => &mut out.expired.0,
            "ExpiredEndTime" => &mut out.expired.1,
            _ => return Err(EcsError::InvalidFilterKeyNotFound.into()),
        };
        *slot =
            Some(Timestamp::parse(&f.value).map_err(|_| EcsError::invalid("Filter.N.Value", "use yyyy-MM-ddTHH:mmZ"))?);
    }
    Ok(out)
}

pub fn describe(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let ids = p.json_list("InstanceIds")?;
    let status = match p.get("Status")? {
        Some(s) => Some(InstanceStatus::parse(s).ok_or_else(|| EcsError::invalid("Status", ""))?),
        None => None,
    };
    let zone = p.get("ZoneId")?;
    let tag_filter = super::snapshots::tags(p)?;
    // Issue 12 item 1: every documented filter filters (world/params.rs).
    let name = p.get("InstanceName")?;
    let itype = p.get("InstanceType")?;
    let family = p.get("InstanceTypeFamily")?;
    let image = p.get("ImageId")?;
    let times = instance_time_filters(p)?;
    let rows: Vec<Value> = w
        .instances
        .values()
        .filter(|i| i.region == region)
        .filter(|i| name.is_none_or(|n| wildcard_match(n, &i.name)))
        .filter(|i| itype.is_none_or(|t| i.instance_type == t))
        .filter(|i| family.is_none_or(|f| i.instance_type.rsplit_once('.').is_some_and(|(x, _)| x == f)))
        .filter(|i| image.is_none_or(|m| i.image_id == m))
        .filter(|i| {
            times.created.0.is_none_or(|t| i.creation_time >= t) && times.created.1.is_none_or(|t| i.creation_time <= t)
        })
        .filter(|_| {
            times.expired.0.is_none_or(|t| expired_time() >= t) && times.expired.1.is_none_or(|t| expired_time() <= t)
        })
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| status.is_none_or(|s| i.status == s))
        .filter(|i| zone.is_none_or(|z| i.zone == z))
        .filter(|i| super::tags::matches(w.resource_tags.get(&i.id), &tag_filter))
        .map(|i| {
            let t = catalog::instance_type(&i.instance_type);
            let img = catalog::public_image(&i.image_id);
            let row = i.to_json(
                t.map(|t| t.vcpus).unwrap_or(0),
                t.map(|t| t.memory_mib()).unwrap_or(0),
                img.map(|m| (m.os_type, m.os_name, m.os_name_en))
                    .unwrap_or(("linux", "", "")),
            );
            super::tags::with_tags(row, w.resource_tags.get(&i.id))
        })
        .collect();
    super::page(p, rows, "Instances", "Instance", 100)
}

/// The instance `InstanceId` names, for a status change.
fn target<'a>(w: &'a mut World, p: &Params) -> Outcome<&'a mut Instance> {
    let id = p.require("InstanceId")?;
    w.instances
        .get_mut(id)
        .ok_or_else(|| EcsError::not_found(Resource::Instance, id).into())
}

/// R-CRT-3: no status change while a snapshot of one of the instance's disks is in progress.
fn refuse_while_snapshotting(w: &World, id: &str) -> Outcome<()> {
    let now = w.now();
    let busy = w.snapshots.values().any(|s| {
        s.done_at > now
            && !s.is_copy()
            && w.disks
                .get(&s.source_disk_id)
                .is_some_and(|d| d.instance_id.as_deref() == Some(id))
    });
    if busy {
        return Err(EcsError::DiskCreatingSnapshot.into());
    }
    Ok(())
}

/// Starts a `Stopped` instance: `Starting`, then `Running` on the clock.
pub(super) fn begin_start(inst: &mut Instance, now: Timestamp) {
    inst.status = InstanceStatus::Starting;
    inst.stopped_mode = None;
    inst.transitions = vec![Transition {
        to: InstanceStatus::Running,
        at: now.add_seconds(STARTING_SECONDS),
    }];
}

pub fn start(w: &mut World, p: &Params) -> Outcome<Value> {
    let now = w.now();
    let inst = target(w, p)?;
    if inst.status != InstanceStatus::Stopped {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    begin_start(inst, now);
    Ok(json!({}))
}

pub fn stop(w: &mut World, p: &Params) -> Outcome<Value> {
    let mode = match p.get("StoppedMode")? {
        None => "KeepCharging",
        Some(m @ ("KeepCharging" | "StopCharging")) => m,
        Some(_) => return Err(EcsError::invalid("StoppedMode", "use KeepCharging or StopCharging").into()),
    }
    .to_string();
    let inst = leave_running(
        w,
        p,
        InstanceStatus::Stopping,
        InstanceStatus::Stopped,
        STOPPING_SECONDS,
    )?;
    inst.stopped_mode = Some(mode);
    Ok(json!({}))
}

pub fn reboot(w: &mut World, p: &Params) -> Outcome<Value> {
    leave_running(
        w,
        p,
        InstanceStatus::Starting,
        InstanceStatus::Running,
        STARTING_SECONDS,
    )?;
    Ok(json!({}))
}

/// StopInstance and RebootInstance: the instance must be `Running` with no snapshot of its
/// disks in progress (R-CRT-3); it goes to `now` at once and to `then` after `seconds`.
fn leave_running<'a>(
    w: &'a mut World,
    p: &Params,
    now_status: InstanceStatus,
    then: InstanceStatus,
    seconds: i64,
) -> Outcome<&'a mut Instance> {
    let _force = p.bool("ForceStop")?;
    let id = p.require("InstanceId")?.to_string();
    if w.instance(&id)?.status != InstanceStatus::Running {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into());
    }
    refuse_while_snapshotting(w, &id)?;
    let at = w.now().add_seconds(seconds);
    let inst = target(w, p)?;
    inst.status = now_status;
    inst.transitions = vec![Transition { to: then, at }];
    Ok(inst)
}

/// DeleteInstance: a `Stopped` instance, or a `Running` one with `Force=true`; refused while a
/// snapshot of one of its disks is in progress (R-CRT-3). Disks with `DeleteWithInstance`
/// are released (R-DSK-3: manual snapshots retained, automatic ones deleted when
/// `DeleteAutoSnapshot` is set); the others become `Available` pay-as-you-go data disks.
pub fn delete(w: &mut World, p: &Params) -> Outcome<Applied> {
    let id = p.require("InstanceId")?.to_string();
    let force = p.bool("Force")?.unwrap_or(false);
    let _ = p.bool("ForceStop")?;
    let _ = p.bool("TerminateSubscription")?;
    let inst = w.instance(&id)?.clone();
    match inst.status {
        InstanceStatus::Stopped => {}
        InstanceStatus::Running if force => {}
        _ => return Err(EcsError::IncorrectInstanceStatus(Refusal::Forbidden).into()),
    }
    refuse_while_snapshotting(w, &id)?;
    let mut effects = Effects::default();
    let attached: Vec<String> = w
        .disks
        .values()
        .filter(|d| d.instance_id.as_deref() == Some(id.as_str()))
        .map(|d| d.id.clone())
        .collect();
    for disk_id in attached {
        let release = w.disks.get(&disk_id).is_some_and(|d| d.delete_with_instance);
        if release {
            disks::absorb(&mut effects, disks::release(w, &disk_id)?);
        } else {
            disks::detach(w, &disk_id);
            if let Some(d) = w.disks.get_mut(&disk_id) {
                d.disk_type = "data".to_string();
            }
        }
    }
    w.instances.remove(&id);
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}
