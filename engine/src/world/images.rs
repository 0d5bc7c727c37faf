//! CreateImage, DescribeImages, DeleteImage (SPEC §9, R-IMG-1/2, R-DEL-1).
//!
//! A custom image records its disks as snapshot references; while it exists those snapshots
//! cannot be deleted (R-DEL-1) and their `Usage` shows `image` / `image_disk`. The image is
//! `Creating` for [`IMAGE_SECONDS`] of simulated time, then `Available`.

use super::model::{Image, ImageDisk, Snapshot, SnapshotStatus};
use super::snapshots::{check_description, tags};
use super::{retention, Applied, Outcome, World};
use crate::catalog::{self, PublicImage};
use crate::error::{DenyReason, EcsError, Resource};
use crate::request::Params;
use serde_json::{json, Value};

/// Simulated seconds an image takes to become `Available`.
pub const IMAGE_SECONDS: i64 = 60;
/// Custom images per region (ECS's default quota).
pub const IMAGE_QUOTA: usize = 100;
/// Data disks per image (API.md: one system snapshot and up to 16 data snapshots).
pub const MAX_DATA_DISKS: usize = 16;
/// Size of a data disk given without a snapshot (R-IMG-1).
pub const EMPTY_DATA_DISK_GIB: u64 = 5;

const STATUSES: [&str; 6] = [
    "Creating",
    "Waiting",
    "Available",
    "UnAvailable",
    "CreateFailed",
    "Deprecated",
];

/// `ImageName`: 2–128 characters, starting with a letter; letters, digits, `.` `_` `-` `:`;
/// not `http(s)://` (`InvalidImageName.Malformed`).
pub fn check_image_name(name: &str) -> Outcome<()> {
    if !super::is_valid_name(name) {
        return Err(EcsError::InvalidImageNameMalformed.into());
    }
    Ok(())
}

/// `ImageFamily`: 2–128 characters, starting with a letter, not `aliyun`/`acs:` nor
/// `http(s)://`. ECS documents no code of its own here: `InvalidParameter` names it.
fn check_family(family: &str) -> Outcome<()> {
    let n = family.chars().count();
    let first_ok = family.chars().next().is_some_and(|c| c.is_alphabetic());
    let lower = family.to_ascii_lowercase();
    if !(2..=128).contains(&n)
        || !first_ok
        || lower.starts_with("aliyun")
        || lower.starts_with("acs:")
        || lower.starts_with("http://")
        || lower.starts_with("https://")
    {
        return Err(EcsError::invalid(
            "ImageFamily",
            "2-128 characters, starting with a letter, not aliyun, acs: or http(s)://",
        )
        .into());
    }
    Ok(())
}

/// One requested disk of the image.
struct Mapping {
    param: String,
    snapshot: Option<Snapshot>,
    size: Option<u64>,
    disk_type: String,
    device: Option<String>,
}

/// The snapshot `id` of `region` (`InvalidSnapshotId.NotFound` 404).
fn region_snapshot(w: &World, id: &str, region: &str) -> Outcome<Snapshot> {
    w.snapshots
        .get(id)
        .filter(|s| s.region == region)
        .cloned()
        .ok_or_else(|| EcsError::not_found(Resource::Snapshot, id).into())
}

fn mappings(w: &World, p: &Params, region: &str) -> Outcome<Vec<Mapping>> {
    let mut out = Vec::new();
    for n in 1.. {
        let prefix = format!("DiskDeviceMapping.{n}");
        if !p.iter().any(|(k, _, _)| k.starts_with(&format!("{prefix}."))) {
            break;
        }
        if n > MAX_DATA_DISKS + 1 {
            return Err(EcsError::invalid("DiskDeviceMapping.N", "one system disk and at most 16 data disks").into());
        }
        let snapshot = match p.get(&format!("{prefix}.SnapshotId"))? {
            Some(id) => Some(region_snapshot(w, id, region)?),
            None => None,
        };
        let size = p.int(&format!("{prefix}.Size"), 1, 32_768)?.map(|s| s as u64);
        let disk_type = match p.get(&format!("{prefix}.DiskType"))? {
            Some(t @ ("system" | "data")) => t.to_string(),
            Some(_) => return Err(EcsError::invalid(format!("{prefix}.DiskType"), "use system or data").into()),
            // Unspecified: the snapshot's disk type; without a snapshot, a data disk.
            None => snapshot
                .as_ref()
                .map(|s| s.source_disk_type.clone())
                .unwrap_or_else(|| "data".to_string()),
        };
        let device = p.get(&format!("{prefix}.Device"))?.map(str::to_string);
        out.push(Mapping {
            param: prefix,
            snapshot,
            size,
            disk_type,
            device,
        });
    }
    Ok(out)
}

/// The public image the system disk was created from, for the image's OS fields.
fn os_of(w: &World, system: &Snapshot) -> Option<&'static PublicImage> {
    let disk = w.disks.get(&system.source_disk_id)?;
    let image = disk.image_id.as_deref().or_else(|| {
        disk.instance_id
            .as_deref()
            .and_then(|i| w.instances.get(i))
            .map(|i| i.image_id.as_str())
    })?;
    catalog::public_image(image)
}

pub fn create(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let name = p.get("ImageName")?;
    if let Some(n) = name {
        check_image_name(n)?;
    }
    let description = p.get("Description")?;
    if let Some(d) = description {
        check_description(d)?;
    }
    let family = p.get("ImageFamily")?;
    if let Some(f) = family {
        check_family(f)?;
    }
    let version = p.get("ImageVersion")?.unwrap_or("");
    if version.chars().count() > 40 {
        return Err(EcsError::invalid("ImageVersion", "at most 40 characters").into());
    }
    let platform = p.get("Platform")?;
    let architecture = match p.get("Architecture")? {
        None => "x86_64",
        Some(a @ ("x86_64" | "i386" | "arm64")) => a,
        Some(_) => return Err(EcsError::invalid("Architecture", "use x86_64, i386 or arm64").into()),
    };
    let boot_mode = match p.get("BootMode")? {
        None => "BIOS",
        Some(b @ ("BIOS" | "UEFI" | "UEFI-Preferred")) => b,
        Some(_) => return Err(EcsError::invalid("BootMode", "use BIOS, UEFI or UEFI-Preferred").into()),
    };
    let _ = (p.get("ResourceGroupId")?, p.get("ClientToken")?);
    let tags = tags(p)?;
    if p.get("InstanceId")?.is_some() {
        // The highest-priority source: not emulated yet (it snapshots every disk first).
        return Err(EcsError::invalid(
            "InstanceId",
            "creating an image from an instance is not emulated yet: snapshot its disks and use SnapshotId or DiskDeviceMapping",
        )
        .into());
    }

    // The source: DiskDeviceMapping before SnapshotId (API.md priority).
    let mut disks = mappings(w, p, region)?;
    let from_mapping = !disks.is_empty();
    if !from_mapping {
        let Some(id) = p.get("SnapshotId")? else {
            return Err(EcsError::MissingParameterOneOf {
                names: vec!["SnapshotId".into(), "InstanceId".into(), "DiskDeviceMapping".into()],
            }
            .into());
        };
        let snap = region_snapshot(w, id, region)?;
        // R-IMG-1: a data-disk snapshot alone is refused.
        if snap.source_disk_type != "system" {
            return Err(EcsError::OperationDenied(DenyReason::SnapshotNotFromSystemDisk).into());
        }
        disks.push(Mapping {
            param: "SnapshotId".into(),
            disk_type: "system".into(),
            snapshot: Some(snap),
            size: None,
            device: None,
        });
    }
    // R-IMG-1: exactly one system disk, with a system-disk snapshot.
    let systems: Vec<&Mapping> = disks.iter().filter(|m| m.disk_type == "system").collect();
    match systems.as_slice() {
        [] => return Err(EcsError::OperationDenied(DenyReason::MappingWithoutSystemDisk).into()),
        [one] => match &one.snapshot {
            None => return Err(EcsError::OperationDenied(DenyReason::MappingWithoutSystemDisk).into()),
            Some(s) if s.source_disk_type != "system" => {
                return Err(EcsError::OperationDenied(DenyReason::SnapshotNotFromSystemDisk).into())
            }
            Some(_) => {}
        },
        _ => return Err(EcsError::OperationDenied(DenyReason::MappingTwoSystemDisks).into()),
    }
    let now = w.now();
    for m in &disks {
        if let Some(s) = &m.snapshot {
            // R-IA-6: local / instant-access snapshots cannot create custom images.
            if s.instant_access_on(now) {
                return Err(EcsError::OperationDenied(DenyReason::SnapshotNotAllowedToCreateImage).into());
            }
            if s.status(now) != SnapshotStatus::Accomplished {
                return Err(EcsError::InvalidSnapshotIdNotReady.into());
            }
            if m.size.is_some_and(|size| size < s.source_disk_size_gib) {
                return Err(EcsError::invalid(format!("{}.Size", m.param), "smaller than the snapshot's disk").into());
            }
        }
    }
    let of_region = || w.images.values().filter(|i| i.region == region);
    if let Some(n) = name {
        if of_region().any(|i| i.name == n) {
            return Err(EcsError::InvalidImageNameDuplicated.into());
        }
    }
    if of_region().count() >= IMAGE_QUOTA {
        return Err(EcsError::QuotaExceedImage.into());
    }

    // The system disk first, then the data disks in request order.
    disks.sort_by_key(|m| m.disk_type != "system");
    let os = disks
        .first()
        .and_then(|m| m.snapshot.as_ref())
        .and_then(|s| os_of(w, s));
    let mut data_letter = b'b';
    let image_disks: Vec<ImageDisk> = disks
        .iter()
        .map(|m| {
            let device = match (&m.device, m.disk_type.as_str()) {
                (Some(d), _) => d.clone(),
                (None, "system") => "/dev/xvda".to_string(),
                (None, _) => {
                    let d = format!("/dev/xvd{}", data_letter as char);
                    data_letter = data_letter.saturating_add(1);
                    d
                }
            };
            let size = match &m.snapshot {
                Some(s) => m.size.unwrap_or(s.source_disk_size_gib),
                None => m.size.unwrap_or(EMPTY_DATA_DISK_GIB),
            };
            ImageDisk {
                snapshot_id: m.snapshot.as_ref().map(|s| s.id.clone()),
                size_gib: size,
                device,
                disk_type: m.disk_type.clone(),
                encrypted: m.snapshot.as_ref().is_some_and(|s| s.encrypted),
            }
        })
        .collect();
    let id = w.new_id(Resource::Image, region)?;
    let (platform, os_type, os_name, os_name_en) = match os {
        Some(i) => (i.platform.to_string(), i.os_type, i.os_name, i.os_name_en),
        None => (
            platform.unwrap_or("Others Linux").to_string(),
            "linux",
            "Others Linux",
            "Others Linux",
        ),
    };
    w.images.insert(
        id.clone(),
        Image {
            id: id.clone(),
            region: region.to_string(),
            name: name.unwrap_or("").to_string(),
            description: description.unwrap_or("").to_string(),
            family: family.unwrap_or("").to_string(),
            version: version.to_string(),
            platform,
            os_type: os_type.to_string(),
            os_name: os_name.to_string(),
            os_name_en: os_name_en.to_string(),
            architecture: architecture.to_string(),
            boot_mode: boot_mode.to_string(),
            creation_time: now,
            done_at: now.add_seconds(IMAGE_SECONDS),
            disks: image_disks,
            tags,
            shared_with: Default::default(),
            is_public: false,
        },
    );
    Ok(json!({ "ImageId": id }))
}

/// `Usage` of an image: `instance` when an instance runs from it.
fn image_usage(w: &World, id: &str) -> &'static str {
    if w.instances.values().any(|i| i.image_id == id) {
        "instance"
    } else {
        "none"
    }
}

/// A public image's DescribeImages row.
fn public_json(img: &PublicImage, usage: &str) -> Value {
    super::model::with_fixed_image_fields(json!({
        "ImageId": img.id,
        "ImageName": img.id,
        "Description": "",
        "ImageFamily": "",
        "ImageVersion": "",
        "ImageOwnerAlias": "system",
        "Status": "Available",
        "Progress": "100%",
        "Size": img.size_gib,
        "CreationTime": img.creation_time().map(|t| t.to_iso()).unwrap_or_default(),
        "OSType": img.os_type,
        "OSName": img.os_name,
        "OSNameEn": img.os_name_en,
        "Platform": img.platform,
        "Architecture": img.architecture,
        "BootMode": "BIOS",
        "Usage": usage,
        "IsSelfShared": "false",
        "IsPublic": true,
        "DiskDeviceMappings": { "DiskDeviceMapping": [{
            "SnapshotId": "",
            "Size": img.size_gib.to_string(),
            "Device": "/dev/xvda",
            "Type": "system",
            "Format": "",
            "Progress": "100%",
            "RemainTime": 0,
            "Encrypted": "false",
            "ImportOSSBucket": "",
            "ImportOSSObject": "",
        }] },
        "Tags": { "Tag": [] },
    }))
}

pub fn describe(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let ids: Option<Vec<&str>> = p
        .get("ImageId")?
        .map(|s| s.split(',').map(str::trim).filter(|x| !x.is_empty()).collect());
    let name = p.get("ImageName")?;
    let family = p.get("ImageFamily")?;
    let owner = match p.get("ImageOwnerAlias")? {
        None | Some("") => None,
        Some(o @ ("system" | "self" | "others" | "marketplace")) => Some(o),
        Some(_) => return Err(EcsError::invalid("ImageOwnerAlias", "use system, self, others or marketplace").into()),
    };
    let statuses: Vec<&str> = match p.get("Status")? {
        None | Some("") => vec!["Available"],
        Some(s) => s.split(',').map(str::trim).collect(),
    };
    if let Some(bad) = statuses.iter().find(|s| !STATUSES.contains(s)) {
        return Err(EcsError::invalid("Status", format!("{bad} is not an image status")).into());
    }
    let snapshot = p.get("SnapshotId")?;
    let usage = match p.get("Usage")? {
        None => None,
        Some(u @ ("instance" | "none")) => Some(u),
        Some(_) => return Err(EcsError::invalid("Usage", "use instance or none").into()),
    };
    let os_type = p.get("OSType")?.map(str::to_ascii_lowercase);
    let architecture = p.get("Architecture")?;
    let is_public = p.bool("IsPublic")?;
    let tag_filter = tags(p)?;
    let mut times = (None, None);
    for f in p.filters()? {
        let t = crate::clock::Timestamp::parse(&f.value)
            .map_err(|_| EcsError::invalid("Filter.N.Value", "use yyyy-MM-ddTHH:mmZ"))?;
        match f.key.as_str() {
            "CreationStartTime" => times.0 = Some(t),
            "CreationEndTime" => times.1 = Some(t),
            // NetworkType and the other keys do not narrow Snaplab's images.
            _ => {}
        }
    }
    // Issue 12 item 1: every emulated image runs on every emulated instance type and serves
    // both CreateEcs and ChangeOS, so these narrow nothing but an unknown type (no image runs
    // on it) and take only their documented values.
    let unknown_type = p
        .get("InstanceType")?
        .is_some_and(|t| catalog::instance_type(t).is_none());
    match p.get("ActionType")? {
        None | Some("CreateEcs" | "ChangeOS") => {}
        Some(_) => return Err(EcsError::invalid("ActionType", "use CreateEcs or ChangeOS").into()),
    }
    let _ = (p.bool("ShowExpired")?, p.get("ResourceGroupId")?);
    let page_size = p.int("PageSize", 1, 100)?.unwrap_or(10) as usize;
    let page_number = p.int("PageNumber", 1, i64::from(u32::MAX))?.unwrap_or(1) as usize;
    let now = w.now();
    let in_time = |t: Option<crate::clock::Timestamp>| {
        times.0.is_none_or(|s| t.is_some_and(|t| t >= s)) && times.1.is_none_or(|e| t.is_some_and(|t| t <= e))
    };
    let mut custom: Vec<&Image> = w
        .images
        .values()
        .filter(|i| i.region == region)
        .filter(|_| !unknown_type)
        .filter(|_| owner.is_none_or(|o| o == "self"))
        .filter(|i| is_public.is_none_or(|p| i.is_public == p))
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id.as_str())))
        .filter(|i| name.is_none_or(|n| i.name.contains(n)))
        .filter(|i| family.is_none_or(|f| i.family == f))
        .filter(|i| statuses.contains(&i.status(now)))
        .filter(|i| snapshot.is_none_or(|s| i.uses_snapshot(s)))
        .filter(|i| usage.is_none_or(|u| image_usage(w, &i.id) == u))
        .filter(|i| os_type.as_deref().is_none_or(|o| i.os_type == o))
        .filter(|i| architecture.is_none_or(|a| i.architecture == a))
        .filter(|i| super::tags::matches(Some(&i.tags), &tag_filter))
        .filter(|i| in_time(Some(i.creation_time)))
        .collect();
    custom.sort_by(|a, b| b.creation_time.cmp(&a.creation_time).then(b.id.cmp(&a.id)));
    let public = catalog::public_images()
        .iter()
        .filter(|_| !unknown_type)
        .filter(|_| owner.is_none_or(|o| o == "system") && is_public != Some(false))
        .filter(|_| snapshot.is_none() && tag_filter.is_empty() && family.is_none())
        .filter(|_| statuses.contains(&"Available"))
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| name.is_none_or(|n| i.id.contains(n)))
        .filter(|i| usage.is_none_or(|u| image_usage(w, i.id) == u))
        .filter(|i| os_type.as_deref().is_none_or(|o| i.os_type == o))
        .filter(|i| architecture.is_none_or(|a| i.architecture == a))
        .filter(|i| in_time(i.creation_time()));
    let rows: Vec<Value> = custom
        .iter()
        .map(|i| i.to_json(now, image_usage(w, &i.id)))
        .chain(public.map(|i| public_json(i, image_usage(w, i.id))))
        .collect();
    let total = rows.len();
    let start = page_number.saturating_sub(1).saturating_mul(page_size);
    let page: Vec<Value> = rows.into_iter().skip(start).take(page_size).collect();
    Ok(json!({
        "RegionId": region,
        "TotalCount": total,
        "PageNumber": page_number,
        "PageSize": page_size,
        "Images": { "Image": page },
    }))
}

/// DeleteImage: an unknown custom image is ignored (API.md); a public image cannot be deleted
/// (`InvalidImageId.NotFound`: it is no custom image of the account). Afterwards its snapshots
/// can be deleted, and those whose retention ended while the image held them go now.
pub fn delete(w: &mut World, p: &Params, region: &'static str) -> Outcome<Applied> {
    let id = p.require("ImageId")?.to_string();
    let force = p.bool("Force")?.unwrap_or(false);
    if catalog::public_image(&id).is_some() {
        return Err(EcsError::not_found(Resource::Image, id).into());
    }
    if w.images.get(&id).is_none_or(|i| i.region != region) {
        return Ok(Applied::default_reply());
    }
    if image_usage(w, &id) == "instance" && !force {
        return Err(EcsError::ImageUsingByInstance.into());
    }
    if w.images
        .get(&id)
        .is_some_and(|i| !i.shared_with.is_empty() || i.is_public)
    {
        return Err(EcsError::ImageUseShared.into());
    }
    w.images.remove(&id);
    let effects = retention::expire_due(w);
    Ok(Applied {
        reply: json!({}),
        effects,
    })
}

/// At most this many accounts share one image (API.md).
pub const MAX_SHARED_ACCOUNTS: usize = 50;

/// ModifyImageSharePermission: share a custom image with accounts (`AddAccount.N`,
/// `RemoveAccount.N`, N = 1–10, further ones ignored) or publish it (`IsPublic`). R-IMG-3: an
/// image built from an encrypted snapshot cannot be shared (`OperationDeined.EncryptedSnapshot`,
/// ECS's spelling); at most 50 accounts (`QuotaExceed.ShareImageUser`).
pub fn modify_share_permission(w: &mut World, p: &Params, region: &'static str) -> Outcome<Value> {
    let id = p.require("ImageId")?.to_string();
    let accounts = |prefix: &str| -> Outcome<Vec<String>> {
        let mut out = Vec::new();
        for n in 1..=10 {
            if let Some(a) = p.get(&format!("{prefix}.{n}"))? {
                // Alibaba Cloud account IDs are numbers.
                if a.is_empty() || a.len() > 20 || !a.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(EcsError::not_found(Resource::Account, a).into());
                }
                out.push(a.to_string());
            }
        }
        Ok(out)
    };
    let add = accounts("AddAccount")?;
    let remove = accounts("RemoveAccount")?;
    let publish = p.bool("IsPublic")?;
    let image = w
        .images
        .get(&id)
        .filter(|i| i.region == region)
        .ok_or_else(|| EcsError::not_found(Resource::Image, id.clone()))?;
    let sharing = !add.is_empty() || publish == Some(true);
    if sharing && image.disks.iter().any(|d| d.encrypted) {
        return Err(EcsError::OperationDeinedEncryptedSnapshot.into());
    }
    let mut shared = image.shared_with.clone();
    shared.extend(add);
    for a in &remove {
        shared.remove(a);
    }
    if shared.len() > MAX_SHARED_ACCOUNTS {
        return Err(EcsError::QuotaExceedShareImageUser.into());
    }
    if let Some(image) = w.images.get_mut(&id) {
        image.shared_with = shared;
        if let Some(public) = publish {
            image.is_public = public;
        }
    }
    Ok(json!({}))
}
