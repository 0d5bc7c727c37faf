//! CreateSnapshot, DescribeSnapshots, DeleteSnapshot, ModifySnapshotAttribute,
//! DescribeSnapshotLinks, DescribeSnapshotsUsage (SPEC §3, §4, §10, §14).

use super::model::{DiskStatus, InstanceStatus, InstantAccess, Snapshot, SnapshotStatus, Tag};
use super::{Applied, Failure, Outcome, World};
use crate::blocks::ChainKey;
use crate::catalog::DiskCategory;
use crate::clock::Timestamp;
use crate::error::{DenyReason, EcsError, Refusal, Resource, SnapshotQuota};
use crate::request::Params;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// R-CHN-2: manual snapshots per disk.
pub const MANUAL_QUOTA: usize = 256;
/// R-IA-2: live local / instant-access snapshots per ESSD.
pub const INSTANT_ACCESS_QUOTA: usize = 10;
/// R-IA-3: an instant-access snapshot is created in this many seconds, whatever its data.
pub const INSTANT_ACCESS_SECONDS: i64 = 3;
/// `SnapshotType` of a manual snapshot.
pub const MANUAL: &str = "user";
/// R-CRT-4: a snapshot takes a fixed start-up time plus its changed bytes at this rate.
const BASE_SECONDS: i64 = 5;
const BYTES_PER_SECOND: u64 = 64 << 20;

/// R-CRT-2: a manual snapshot name.
pub fn check_name(name: &str) -> Outcome<()> {
    // Names starting with `auto` are reserved for automatic snapshots.
    if !super::is_valid_name(name) || name.to_ascii_lowercase().starts_with("auto") {
        return Err(EcsError::InvalidSnapshotNameMalformed.into());
    }
    Ok(())
}

/// R-CRT-2: a description.
pub fn check_description(d: &str) -> Outcome<()> {
    let n = d.chars().count();
    let lower = d.to_ascii_lowercase();
    if !(2..=256).contains(&n) || lower.starts_with("http://") || lower.starts_with("https://") {
        return Err(EcsError::InvalidDescriptionMalformed.into());
    }
    Ok(())
}

/// Tags of a request (`Tag.N.Key`/`Tag.N.Value`, API.md "Tag conventions").
pub fn tags(p: &Params) -> Outcome<Vec<Tag>> {
    let tags = p.tags("Tag")?;
    if tags.len() > 20 {
        return Err(EcsError::QuotaExceedTags.into());
    }
    check_tags(tags)
}

/// The tag rules of API.md "Tag conventions": key 1–128 characters, not starting with
/// `aliyun` or `acs:`, no `http(s)://` in key or value, value ≤ 128 characters, keys unique.
pub fn check_tags(tags: Vec<crate::request::Tag>) -> Outcome<Vec<Tag>> {
    let mut out: Vec<Tag> = Vec::new();
    for t in tags {
        let bad = |s: &str| s.contains("http://") || s.contains("https://");
        if t.key.is_empty()
            || t.key.chars().count() > 128
            || t.key.starts_with("aliyun")
            || t.key.starts_with("acs:")
            || bad(&t.key)
        {
            return Err(EcsError::InvalidTagKeyMalformed.into());
        }
        let value = t.value.unwrap_or_default();
        if value.chars().count() > 128 || bad(&value) {
            return Err(EcsError::InvalidTagValueMalformed.into());
        }
        if out.iter().any(|o| o.key == t.key) {
            return Err(EcsError::DuplicateTagKey.into());
        }
        out.push(Tag { key: t.key, value });
    }
    Ok(out)
}

/// R-CRT-5: `RetentionDays`, 1–65,536 (`InvalidRetentionDays.Malformed` otherwise).
pub fn retention_days(p: &Params) -> Outcome<Option<u32>> {
    match p.int("RetentionDays", i64::MIN, i64::MAX) {
        Ok(Some(r)) if (1..=65_536).contains(&r) => Ok(Some(r as u32)),
        Ok(None) => Ok(None),
        _ => Err(EcsError::InvalidRetentionDaysMalformed.into()),
    }
}

/// What a request asks for: a local snapshot (`Category=Flash`) and/or instant access, and
/// for how many days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct InstantAccessRequest {
    /// `Category=Flash`.
    pub local: bool,
    /// `InstantAccessRetentionDays`.
    pub days: u32,
}

/// `Category` (`Standard` | `Flash`, case-insensitive), `InstantAccess` and
/// `InstantAccessRetentionDays` (1–65,535, default 1) of CreateSnapshot: `None` for a standard
/// snapshot. The days are checked even when instant access is not asked for (ECS ignores them
/// then).
fn instant_access_request(p: &Params) -> Outcome<Option<InstantAccessRequest>> {
    let local = match p.get("Category")? {
        None => false,
        Some(c) if c.eq_ignore_ascii_case("standard") => false,
        Some(c) if c.eq_ignore_ascii_case("flash") => true,
        Some(_) => return Err(EcsError::invalid("Category", "use Standard or Flash").into()),
    };
    let instant = p.bool("InstantAccess")?.unwrap_or(false);
    let days = match p.int("InstantAccessRetentionDays", i64::MIN, i64::MAX) {
        Ok(None) => 1,
        Ok(Some(d)) if (1..=65_535).contains(&d) => d as u32,
        _ => {
            return Err(EcsError::invalid(
                "InstantAccessRetentionDays",
                "use a whole number of days from 1 to 65535",
            )
            .into())
        }
    };
    Ok((local || instant).then_some(InstantAccessRequest { local, days }))
}

/// R-IA-5: only manual snapshots can use instant access — an automatic snapshot (a policy's)
/// never is local or instant-access, whatever was asked. Every path that creates snapshots
/// goes through here.
pub(super) fn instant_access_for(
    snapshot_type: &str,
    wanted: Option<InstantAccessRequest>,
) -> Option<InstantAccessRequest> {
    wanted.filter(|_| snapshot_type == MANUAL)
}

pub(super) fn link_id(disk_id: &str) -> String {
    format!("sl-{}", disk_id.strip_prefix("d-").unwrap_or(disk_id))
}

pub fn create(w: &mut World, p: &Params) -> Outcome<Value> {
    // R-SVC-1
    if !w.service_activated {
        return Err(EcsError::SnapshotServiceUnavailable.into());
    }
    let disk_id = p.require("DiskId")?;
    let name = p.get("SnapshotName")?;
    if let Some(n) = name {
        check_name(n)?;
    }
    let description = p.get("Description")?;
    if let Some(d) = description {
        check_description(d)?;
    }
    let retention = retention_days(p)?;
    let wanted = instant_access_request(p)?;
    // R-IA-5: CreateSnapshot makes manual snapshots; automatic ones never get instant access.
    let wanted = instant_access_for(MANUAL, wanted);
    let tags = tags(p)?;
    let disk = w.disk(disk_id)?.clone();
    let now = w.now();
    // R-CRT-6
    if disk.category.starts_with("ephemeral") || disk.category.starts_with("local") {
        return Err(EcsError::DiskCategoryOperationNotSupported.into());
    }
    // R-CRT-1
    match disk.status {
        DiskStatus::InUse => {
            let inst = disk.instance_id.as_deref().map(|i| w.instance(i)).transpose()?;
            if !inst.is_some_and(|i| matches!(i.status, InstanceStatus::Running | InstanceStatus::Stopped)) {
                return Err(EcsError::IncorrectInstanceStatus(Refusal::BadRequest).into());
            }
        }
        DiskStatus::Available if !disk.ever_attached => return Err(EcsError::IncorrectDiskStatusNeverAttached.into()),
        DiskStatus::Available => {}
        _ => return Err(EcsError::IncorrectDiskStatus.into()),
    }
    // R-IA-1: ESSD only; an encrypted ESSD cannot.
    if wanted.is_some() {
        if disk.category != DiskCategory::CloudEssd.as_str() {
            return Err(EcsError::DiskCategoryOperationNotSupported.into());
        }
        if disk.encrypted {
            return Err(EcsError::OperationDenied(DenyReason::EncryptedLocalSnapshot).into());
        }
    }
    // R-CRT-3: no second snapshot while one is being created — unless the one in progress has
    // instant access (SPEC §4's exception).
    // Copies in other regions (R-CPY-1) are not in the disk's chain.
    let of_disk: Vec<&Snapshot> = w
        .snapshots
        .values()
        .filter(|s| s.source_disk_id == disk.id && !s.is_copy())
        .collect();
    if of_disk
        .iter()
        .any(|s| s.status(now) == SnapshotStatus::Progressing && !s.instant_access_on(now))
    {
        return Err(EcsError::IncorrectDiskStatusCreatingSnapshot(Refusal::Forbidden).into());
    }
    // R-CHN-2, R-CHN-3
    if of_disk.iter().filter(|s| s.snapshot_type == MANUAL).count() >= MANUAL_QUOTA {
        return Err(EcsError::QuotaExceedSnapshot(SnapshotQuota::Manual).into());
    }
    // R-IA-2
    if wanted.is_some() && of_disk.iter().filter(|s| s.instant_access_on(now)).count() >= INSTANT_ACCESS_QUOTA {
        return Err(EcsError::QuotaExceedSnapshot(SnapshotQuota::InstantAccess).into());
    }

    // R-CRT-4: time grows with the changed blocks (the first snapshot: everything written).
    let changed_blocks: u64 = w
        .blocks
        .dirty_runs(disk.volume)
        .map_err(Failure::from)?
        .iter()
        .map(|(_, len)| len)
        .sum();
    let seconds = match wanted {
        // R-IA-3: seconds, whatever the data.
        Some(_) => INSTANT_ACCESS_SECONDS,
        None => BASE_SECONDS + (changed_blocks * w.block_size()).div_ceil(BYTES_PER_SECOND) as i64,
    };
    // R-IA-4: the duration counts from the creation time.
    let instant_access = match wanted {
        Some(r) => Some(InstantAccess {
            local: r.local,
            days: r.days,
            until: now
                .checked_add_days(i64::from(r.days))
                .ok_or_else(|| EcsError::invalid("InstantAccessRetentionDays", "out of the clock's range"))?,
        }),
        None => None,
    };
    let id = w.new_id(Resource::Snapshot, &disk.region)?;
    // R-INC-5: the content is fixed now; later writes go to new block versions.
    let snap = w.blocks.snapshot(disk.volume).map_err(Failure::from)?;
    w.snapshots.insert(
        id.clone(),
        Snapshot {
            id: id.clone(),
            region: disk.region.clone(),
            name: name.unwrap_or("").to_string(),
            description: description.unwrap_or("").to_string(),
            source_disk_id: disk.id.clone(),
            source_disk_type: disk.disk_type.clone(),
            source_disk_size_gib: disk.size_gib,
            encrypted: disk.encrypted,
            snap,
            snapshot_type: MANUAL.to_string(),
            link_id: link_id(&disk.id),
            creation_time: now,
            done_at: now.add_seconds(seconds),
            retention_days: retention,
            tags,
            last_modified: now,
            source_snapshot_id: None,
            source_region_id: None,
            copy_transferred_blocks: None,
            instant_access,
        },
    );
    Ok(json!({ "SnapshotId": id }))
}

/// R-IA-4: instant access of `snap` ends at `now` (if it was on).
pub(super) fn turn_off_instant_access(snap: &mut Snapshot, now: Timestamp) {
    if let Some(ia) = snap.instant_access.as_mut() {
        ia.until = ia.until.min(now);
    }
}

/// Whether a custom image uses the snapshot (R-DEL-1).
pub(super) fn used_by_image(w: &World, id: &str) -> bool {
    w.images.values().any(|i| i.uses_snapshot(id))
}

/// Whether disks were created from the snapshot (R-DEL-2).
fn used_by_disk(w: &World, id: &str) -> bool {
    w.disks.values().any(|d| d.source_snapshot_id.as_deref() == Some(id))
}

/// `Usage` of a snapshot: `image`, `disk`, `image_disk` or `none` (API.md DescribeSnapshots).
pub(super) fn snapshot_usage(w: &World, id: &str) -> &'static str {
    match (used_by_image(w, id), used_by_disk(w, id)) {
        (true, true) => "image_disk",
        (true, false) => "image",
        (false, true) => "disk",
        (false, false) => "none",
    }
}

/// Blocks each snapshot's content holds (owned + referenced), per chain, computed once.
pub(super) fn full_sizes(w: &World, snaps: &[&Snapshot]) -> BTreeMap<String, u64> {
    let mut chains: BTreeMap<ChainKey, ()> = BTreeMap::new();
    for s in snaps {
        if let Ok(k) = w.blocks.chain_of(s.snap) {
            chains.insert(k, ());
        }
    }
    let mut by_snap = BTreeMap::new();
    for key in chains.keys() {
        for v in w.blocks.chain_view(key).snapshots {
            by_snap.insert(v.id, (v.owned_blocks + v.referenced_blocks) * w.block_size());
        }
    }
    snaps
        .iter()
        .map(|s| (s.id.clone(), by_snap.get(&s.snap).copied().unwrap_or(0)))
        .collect()
}

pub fn describe(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let ids = p.json_list("SnapshotIds")?;
    if ids.as_ref().is_some_and(|ids| ids.len() > 100) {
        return Err(EcsError::InvalidSnapshotIdsMalformed.into());
    }
    let links = p.json_list("SnapshotLinkId")?;
    let disk = p.get("DiskId")?;
    let instance = p.get("InstanceId")?;
    let name = p.get("SnapshotName")?;
    let status = match p.get("Status")? {
        None | Some("all") => None,
        Some(s @ ("progressing" | "accomplished" | "failed")) => Some(s),
        Some(_) => return Err(EcsError::InvalidStatusNotFound.into()),
    };
    let stype = match p.get("SnapshotType")? {
        None | Some("all") => None,
        Some(t @ ("auto" | "user")) => Some(t),
        Some(_) => return Err(EcsError::InvalidSnapshotTypeNotFound.into()),
    };
    let source_type = match p.get("SourceDiskType")?.map(str::to_ascii_lowercase) {
        None => None,
        Some(t) if t == "system" || t == "data" => Some(t),
        Some(_) => return Err(EcsError::InvalidSourceDiskType.into()),
    };
    let usage_filter = match p.get("Usage")? {
        None => None,
        Some(u @ ("image" | "disk" | "image_disk" | "none")) => Some(u),
        Some(_) => return Err(EcsError::InvalidUsage.into()),
    };
    // `Standard` | `Flash` | `archive` (M), case-insensitive; archive snapshots are not
    // emulated, so that filter matches nothing.
    let category = match p.get("Category")?.map(str::to_ascii_lowercase) {
        None => None,
        Some(c) if c == "standard" || c == "flash" || c == "archive" => Some(c),
        Some(_) => return Err(EcsError::InvalidSnapshotCategoryMalformed.into()),
    };
    // `Encrypted` filters when given; `KMSKeyId` and `ResourceGroupId` are accepted (keys and
    // resource groups are not emulated: every snapshot is in the default group).
    let encrypted = p.bool("Encrypted")?;
    let _ = (p.get("KMSKeyId")?, p.get("ResourceGroupId")?);
    let tag_filter = tags(p)?;
    let times = time_filters(p)?;
    let now = w.now();
    let mut snaps: Vec<&Snapshot> = w
        .snapshots
        .values()
        .filter(|s| s.region == region)
        .filter(|s| ids.as_ref().is_none_or(|ids| ids.contains(&s.id)))
        .filter(|s| links.as_ref().is_none_or(|l| l.contains(&s.link_id)))
        .filter(|s| disk.is_none_or(|d| s.source_disk_id == d))
        .filter(|s| {
            instance.is_none_or(|i| {
                w.disks
                    .get(&s.source_disk_id)
                    .is_some_and(|d| d.instance_id.as_deref() == Some(i))
            })
        })
        .filter(|s| name.is_none_or(|n| s.name == n))
        .filter(|s| status.is_none_or(|st| s.status(now).as_str() == st))
        .filter(|s| stype.is_none_or(|t| s.snapshot_type == t))
        .filter(|s| source_type.as_ref().is_none_or(|t| s.source_disk_type == *t))
        .filter(|s| usage_filter.is_none_or(|u| snapshot_usage(w, &s.id) == u))
        .filter(|s| category.as_ref().is_none_or(|c| s.category(now) == c))
        .filter(|s| encrypted.is_none_or(|e| s.encrypted == e))
        .filter(|s| {
            tag_filter.iter().all(|t| {
                s.tags
                    .iter()
                    .any(|x| x.key == t.key && (t.value.is_empty() || x.value == t.value))
            })
        })
        .filter(|s| times.0.is_none_or(|t| s.creation_time >= t) && times.1.is_none_or(|t| s.creation_time <= t))
        .collect();
    // Newest first, as the console and API list them.
    snaps.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(b.id.cmp(&a.id)));
    let sizes = full_sizes(w, &snaps);
    let rows = snaps
        .iter()
        .map(|s| s.to_json(now, snapshot_usage(w, &s.id), sizes.get(&s.id).copied().unwrap_or(0)))
        .collect();
    super::page(p, rows, "Snapshots", "Snapshot", 100)
}

/// `Filter.N.Key=CreationStartTime|CreationEndTime` with `Filter.N.Value` (API.md; DescribeDisks
/// takes the same pair).
pub(super) fn time_filters(p: &Params) -> Outcome<(Option<Timestamp>, Option<Timestamp>)> {
    let mut out = (None, None);
    for f in p.filters()? {
        let t = Timestamp::parse(&f.value).map_err(|_| EcsError::invalid("Filter.N.Value", "use yyyy-MM-ddTHH:mmZ"))?;
        match f.key.as_str() {
            "CreationStartTime" => out.0 = Some(t),
            "CreationEndTime" => out.1 = Some(t),
            _ => return Err(EcsError::InvalidFilterKeyNotFound.into()),
        }
    }
    Ok(out)
}

pub fn delete(w: &mut World, p: &Params) -> Outcome<Applied> {
    let id = p.require("SnapshotId")?.to_string();
    let force = p.bool("Force")?.unwrap_or(false);
    // ECS ignores an unknown SnapshotId (API.md, SPEC §17).
    let Some(snap) = w.snapshots.get(&id).cloned() else {
        return Ok(Applied::default_reply());
    };
    // R-DEL-1: not even with Force.
    if used_by_image(w, &id) {
        return Err(EcsError::SnapshotCreatedImage.into());
    }
    // R-DEL-2
    if used_by_disk(w, &id) && !force {
        return Err(EcsError::SnapshotCreatedDisk.into());
    }
    let (_report, effects) = w.blocks.delete_snapshot(snap.snap).map_err(Failure::from)?;
    w.snapshots.remove(&id);
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}

/// One chain per source disk (R-CHN-1), for the snapshots of `region`.
fn chains<'w>(w: &'w World, region: &str) -> BTreeMap<String, Vec<&'w Snapshot>> {
    let mut out: BTreeMap<String, Vec<&Snapshot>> = BTreeMap::new();
    for s in w.snapshots.values().filter(|s| s.region == region) {
        out.entry(s.source_disk_id.clone()).or_default().push(s);
    }
    out
}

fn chain_bytes(w: &World, snaps: &[&Snapshot]) -> u64 {
    snaps
        .first()
        .and_then(|s| w.blocks.chain_of(s.snap).ok())
        .map(|k| w.blocks.chain_capacity_bytes(&k))
        .unwrap_or(0)
}

pub fn describe_links(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let disk_ids = p.json_list("DiskIds")?;
    let link_ids = p.json_list("SnapshotLinkIds")?;
    if disk_ids.as_ref().is_some_and(|d| d.len() > 100) {
        return Err(EcsError::InvalidDiskIds.into());
    }
    if link_ids.as_ref().is_some_and(|d| d.len() > 100) {
        return Err(EcsError::InvalidSnapshotLinkIds.into());
    }
    let instance = p.get("InstanceId")?;
    let rows: Vec<Value> = chains(w, region)
        .into_iter()
        .filter(|(disk, _)| disk_ids.as_ref().is_none_or(|d| d.contains(disk)))
        .filter(|(disk, _)| link_ids.as_ref().is_none_or(|l| l.contains(&link_id(disk))))
        .filter_map(|(disk_id, snaps)| {
            // A copy's chain (R-CPY-1) is named by its source disk, which lives elsewhere.
            let disk = w.disks.get(&disk_id).filter(|d| d.region == region);
            let inst_id = disk.and_then(|d| d.instance_id.clone()).unwrap_or_default();
            if instance.is_some_and(|i| i != inst_id) {
                return None;
            }
            let first = snaps.first()?;
            let now = w.now();
            Some(json!({
                "SnapshotLinkId": link_id(&disk_id),
                "RegionId": region,
                "InstanceId": inst_id,
                "InstanceName": w.instances.get(&inst_id).map(|i| i.name.clone()).unwrap_or_default(),
                "SourceDiskId": disk_id,
                "SourceDiskName": disk.map(|d| d.name.clone()).unwrap_or_default(),
                "SourceDiskSize": disk.map(|d| d.size_gib).unwrap_or(first.source_disk_size_gib),
                "SourceDiskType": first.source_disk_type,
                "Category": "standard",
                // On when any snapshot of the chain has instant access on (SPEC §5).
                "InstantAccess": snaps.iter().any(|s| s.instant_access_on(now)),
                "TotalCount": snaps.len(),
                "TotalSize": chain_bytes(w, &snaps),
            }))
        })
        .collect();
    super::page(p, rows, "SnapshotLinks", "SnapshotLink", 100)
}

pub fn usage(w: &World, region: &'static str) -> Value {
    let chains = chains(w, region);
    let count: usize = chains.values().map(Vec::len).sum();
    let size: u64 = chains.values().map(|s| chain_bytes(w, s)).sum();
    json!({ "SnapshotCount": count, "SnapshotSize": size })
}

/// ModifySnapshotAttribute: `SnapshotName`, `Description`, `RetentionDays` (counted from the
/// creation time, only extended), `DisableInstantAccess` (R-IA-4: turns instant access off,
/// refused while the snapshot is being created; `true` on a snapshot without instant access
/// and `false` change nothing).
pub fn modify(w: &mut World, p: &Params) -> Outcome<Value> {
    let id = p.require("SnapshotId")?.to_string();
    let name = p.get("SnapshotName")?;
    if let Some(n) = name {
        check_name(n)?;
    }
    let description = p.get("Description")?;
    // API.md: "empty or up to 256 characters" — an empty value clears it.
    if let Some(d) = description.filter(|d| !d.is_empty()) {
        check_description(d)?;
    }
    let retention = retention_days(p)?;
    let disable_instant_access = p.bool("DisableInstantAccess")?;
    let now = w.now();
    let snap = w.snapshot(&id)?;
    if name.is_none() && description.is_none() && retention.is_none() && disable_instant_access.is_none() {
        return Err(EcsError::NoAttributeToModify.into());
    }
    // R-IA-4: not while the snapshot is being created.
    let disable = disable_instant_access == Some(true) && snap.instant_access_on(now);
    if disable && snap.status(now) == SnapshotStatus::Progressing {
        return Err(EcsError::OperationDenied(DenyReason::InstantAccessWhileCreating).into());
    }
    if let Some(days) = retention {
        // Only extended (API.md). ECS documents no code for a shortening; the retention
        // code is the closest. An end already past would delete the snapshot at once: refused
        // the same way (Snaplab's choice).
        let shorter = snap.retention_days.is_some_and(|cur| days < cur);
        let past = snap
            .creation_time
            .checked_add_days(i64::from(days))
            .is_none_or(|end| end <= now);
        if shorter || past {
            return Err(EcsError::InvalidRetentionDaysMalformed.into());
        }
    }
    let Some(snap) = w.snapshots.get_mut(&id) else {
        return Err(EcsError::not_found(crate::error::Resource::Snapshot, id).into());
    };
    if let Some(n) = name {
        snap.name = n.to_string();
    }
    if let Some(d) = description {
        snap.description = d.to_string();
    }
    if let Some(days) = retention {
        snap.retention_days = Some(days);
    }
    if disable {
        turn_off_instant_access(snap, now);
    }
    snap.last_modified = now;
    Ok(json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Automatic snapshots never get local / instant access, manual ones keep it. Nothing makes
    // automatic snapshots yet, so the rule stays in engine/tests/rules_not_built.txt until
    // issue 13, whose test names it.
    #[test]
    fn only_manual_snapshots_get_instant_access() {
        let wanted = Some(InstantAccessRequest { local: true, days: 3 });
        assert_eq!(instant_access_for("auto", wanted), None);
        assert_eq!(instant_access_for(MANUAL, wanted), wanted);
        assert_eq!(instant_access_for(MANUAL, None), None);
    }
}
