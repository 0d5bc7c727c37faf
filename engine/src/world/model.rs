//! The emulated resources and their reply shapes (API.md field names, to the letter).

use crate::blocks::{SnapId, VolumeId};
use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Instance status (API.md "Status enumerations").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstanceStatus {
    Pending,
    Starting,
    Running,
    Stopping,
    Stopped,
}

impl InstanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InstanceStatus::Pending => "Pending",
            InstanceStatus::Starting => "Starting",
            InstanceStatus::Running => "Running",
            InstanceStatus::Stopping => "Stopping",
            InstanceStatus::Stopped => "Stopped",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Starting,
            Self::Running,
            Self::Stopping,
            Self::Stopped,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A status change scheduled on the simulated clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub to: InstanceStatus,
    pub at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub region: String,
    pub zone: String,
    pub name: String,
    pub description: String,
    pub instance_type: String,
    pub image_id: String,
    pub status: InstanceStatus,
    /// Pending steps, in order (e.g. Pending → Starting → Running).
    pub transitions: Vec<Transition>,
    pub stopped_mode: Option<String>,
    pub creation_time: Timestamp,
    pub start_time: Option<Timestamp>,
    /// Disk ids, the system disk first.
    pub disks: Vec<String>,
}

impl Instance {
    pub fn to_json(&self, cpu: u32, memory_mib: u32, os: (&str, &str, &str)) -> Value {
        let (os_type, os_name, os_name_en) = os;
        json!({
            "InstanceId": self.id,
            "InstanceName": self.name,
            "HostName": self.id,
            "Description": self.description,
            "RegionId": self.region,
            "ZoneId": self.zone,
            "InstanceType": self.instance_type,
            "InstanceTypeFamily": self.instance_type.rsplit_once('.').map(|(f, _)| f).unwrap_or(""),
            "Cpu": cpu,
            "Memory": memory_mib,
            "Status": self.status.as_str(),
            "StoppedMode": match (self.status, &self.stopped_mode) {
                (InstanceStatus::Stopped, Some(m)) => m.as_str(),
                _ => "Not-applicable",
            },
            "ImageId": self.image_id,
            "OSType": os_type,
            "OSName": os_name,
            "OSNameEn": os_name_en,
            "CreationTime": self.creation_time.to_iso_minutes(),
            "StartTime": self.start_time.map(|t| t.to_iso_minutes()).unwrap_or_default(),
            "ExpiredTime": "2099-12-31T15:59Z",
            "InstanceChargeType": "PostPaid",
            "InternetChargeType": "PayByTraffic",
            "InstanceNetworkType": "vpc",
            "IoOptimized": true,
            "DeletionProtection": false,
            "SpotStrategy": "NoSpot",
            "SecurityGroupIds": { "SecurityGroupId": [] },
            "OperationLocks": { "LockReason": [] },
            "Tags": { "Tag": [] },
        })
    }
}

/// Disk status (API.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiskStatus {
    InUse,
    Available,
    Creating,
    ReIniting,
}

impl DiskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DiskStatus::InUse => "In_use",
            DiskStatus::Available => "Available",
            DiskStatus::Creating => "Creating",
            DiskStatus::ReIniting => "ReIniting",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    pub id: String,
    pub region: String,
    pub zone: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub performance_level: Option<String>,
    pub size_gib: u64,
    /// `system` or `data`.
    pub disk_type: String,
    pub status: DiskStatus,
    pub instance_id: Option<String>,
    pub device: Option<String>,
    pub ever_attached: bool,
    pub delete_auto_snapshot: bool,
    pub delete_with_instance: bool,
    pub encrypted: bool,
    pub creation_time: Timestamp,
    pub attached_time: Option<Timestamp>,
    pub source_snapshot_id: Option<String>,
    pub image_id: Option<String>,
    pub volume: VolumeId,
    /// When the disk was last detached (`DetachedTime`).
    #[serde(default)]
    pub detached_time: Option<Timestamp>,
    /// The instance a system disk belongs to: a detached system disk can be attached back as
    /// the system disk of this instance only (AttachDisk `Bootable`).
    #[serde(default)]
    pub original_instance_id: Option<String>,
    /// The system disk this one replaced (ReplaceSystemDisk), and so on back: snapshots of
    /// those disks were taken before the OS was replaced (R-RB-4, `InvalidSnapshot.TooOld`).
    #[serde(default)]
    pub replaced_disk_ids: Vec<String>,
    /// When the disk was last re-initialized (ReInitDisk; R-IA-7 keys on it).
    #[serde(default)]
    pub reinitialized_time: Option<Timestamp>,
    /// Tags given at creation (`Tag.N.Key` / `Tag.N.Value`).
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl Disk {
    pub fn to_json(&self) -> Value {
        let attached = self.instance_id.is_some();
        json!({
            "DiskId": self.id,
            "DiskName": self.name,
            "Description": self.description,
            "RegionId": self.region,
            "ZoneId": self.zone,
            "Category": self.category,
            "PerformanceLevel": self.performance_level.clone().unwrap_or_default(),
            "Size": self.size_gib,
            "Type": self.disk_type,
            "Status": self.status.as_str(),
            "InstanceId": self.instance_id.clone().unwrap_or_default(),
            "Device": self.device.clone().unwrap_or_default(),
            "AttachedTime": self.attached_time.map(|t| t.to_iso()).unwrap_or_default(),
            "DetachedTime": self.detached_time.map(|t| t.to_iso()).unwrap_or_default(),
            "CreationTime": self.creation_time.to_iso(),
            "ImageId": self.image_id.clone().unwrap_or_default(),
            "SourceSnapshotId": self.source_snapshot_id.clone().unwrap_or_default(),
            "DeleteAutoSnapshot": self.delete_auto_snapshot,
            "DeleteWithInstance": self.delete_with_instance,
            "EnableAutomatedSnapshotPolicy": false,
            "AutoSnapshotPolicyId": "",
            "Portable": self.disk_type == "data",
            "Encrypted": self.encrypted,
            "DiskChargeType": "PostPaid",
            "MultiAttach": "Disabled",
            "OperationLocks": { "OperationLock": [] },
            "Attachments": { "Attachment": if attached { vec![json!({
                "InstanceId": self.instance_id,
                "Device": self.device,
                "AttachedTime": self.attached_time.map(|t| t.to_iso()).unwrap_or_default(),
            })] } else { vec![] } },
            "Tags": { "Tag": self.tags.iter().map(|t| json!({"TagKey": t.key, "TagValue": t.value})).collect::<Vec<_>>() },
        })
    }
}

/// Snapshot status (API.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SnapshotStatus {
    Progressing,
    Accomplished,
}

impl SnapshotStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotStatus::Progressing => "progressing",
            SnapshotStatus::Accomplished => "accomplished",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub source_disk_id: String,
    pub source_disk_type: String,
    pub source_disk_size_gib: u64,
    pub encrypted: bool,
    pub snap: SnapId,
    /// `user` or `auto`.
    pub snapshot_type: String,
    pub link_id: String,
    pub creation_time: Timestamp,
    /// When creation finishes on the simulated clock (R-CRT-4).
    pub done_at: Timestamp,
    pub retention_days: Option<u32>,
    pub tags: Vec<Tag>,
    pub last_modified: Timestamp,
    /// For a copy (R-CPY-1): the snapshot it was copied from.
    #[serde(default)]
    pub source_snapshot_id: Option<String>,
    /// For a copy: the region of its source.
    #[serde(default)]
    pub source_region_id: Option<String>,
    /// For a copy: the blocks the copy transferred (R-CPY-2).
    #[serde(default)]
    pub copy_transferred_blocks: Option<u64>,
    /// Instant access (SPEC §5), set when the snapshot was created with `Category=Flash` or
    /// `InstantAccess=true`, and kept after it turns off (R-IA-7 keys on "was local").
    #[serde(default)]
    pub instant_access: Option<InstantAccess>,
}

/// The instant access of a snapshot (SPEC §5, R-IA-1..7).
///
/// Snaplab treats the two forms alike: a local snapshot (`Category=Flash`, the form before
/// 2020-12-14) is an instant-access snapshot that also reports `Category: flash` while its
/// local copy lives. When instant access turns off (its duration ends, it is disabled, or the
/// disk is released), the snapshot is an ordinary standard snapshot from then on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstantAccess {
    /// Created with `Category=Flash` (a local snapshot).
    pub local: bool,
    /// `InstantAccessRetentionDays` (1–65,535, default 1; R-IA-4).
    pub days: u32,
    /// When instant access ends: creation time + `days`, or earlier when it was turned off
    /// (ModifySnapshotAttribute `DisableInstantAccess`, the disk released).
    pub until: Timestamp,
}

impl Snapshot {
    /// Whether this snapshot is a copy made by CopySnapshot (not a snapshot of its disk).
    pub fn is_copy(&self) -> bool {
        self.source_snapshot_id.is_some()
    }

    /// When its retention ends (R-CRT-5): creation time + `RetentionDays` days.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.retention_days
            .and_then(|d| self.creation_time.checked_add_days(i64::from(d)))
    }

    /// Whether instant access is on at `now` (R-IA-4: it turns off by itself at its end).
    pub fn instant_access_on(&self, now: Timestamp) -> bool {
        self.instant_access.is_some_and(|ia| now < ia.until)
    }

    /// Whether the snapshot is a live local snapshot (`Category: flash`) at `now`.
    pub fn is_local(&self, now: Timestamp) -> bool {
        self.instant_access.is_some_and(|ia| ia.local && now < ia.until)
    }

    /// Whether it was created as a local / instant-access snapshot (on or not any more).
    pub fn was_instant(&self) -> bool {
        self.instant_access.is_some()
    }

    /// Whether it can be used (rollback, new disks): accomplished, or instant access on
    /// (R-IA-3: usable before it finishes). DescribeSnapshots' `Available`.
    pub fn available(&self, now: Timestamp) -> bool {
        self.status(now) == SnapshotStatus::Accomplished || self.instant_access_on(now)
    }

    /// The snapshot's `Category`: `flash` for a live local snapshot, `standard` otherwise.
    pub fn category(&self, now: Timestamp) -> &'static str {
        if self.is_local(now) {
            "flash"
        } else {
            "standard"
        }
    }

    pub fn status(&self, now: Timestamp) -> SnapshotStatus {
        if now >= self.done_at {
            SnapshotStatus::Accomplished
        } else {
            SnapshotStatus::Progressing
        }
    }

    /// Percent done at `now` (R-CRT-4), as a whole number.
    pub fn progress(&self, now: Timestamp) -> u64 {
        percent_done(self.creation_time, self.done_at, now)
    }

    pub fn to_json(&self, now: Timestamp, usage: &str, full_size_bytes: u64) -> Value {
        let status = self.status(now);
        json!({
            "SnapshotId": self.id,
            "SnapshotName": self.name,
            "Description": self.description,
            "SnapshotSN": format!("64472-{}", last_chars(&self.id, 8)),
            "SnapshotType": self.snapshot_type,
            "SnapshotLinkId": self.link_id,
            "Status": status.as_str(),
            "Progress": format!("{}%", self.progress(now)),
            "RemainTime": self.done_at.seconds_since(now).max(0),
            "CreationTime": self.creation_time.to_iso(),
            "LastModifiedTime": self.last_modified.to_iso(),
            "SourceDiskId": self.source_disk_id,
            "SourceDiskType": self.source_disk_type,
            "SourceDiskSize": self.source_disk_size_gib.to_string(),
            "SourceStorageType": "disk",
            "Usage": usage,
            "RetentionDays": self.retention_days.unwrap_or(0),
            "Category": self.category(now),
            "InstantAccess": self.instant_access_on(now),
            // The configured duration while instant access is on; 0 once it is off.
            "InstantAccessRetentionDays": self.instant_access.filter(|_| self.instant_access_on(now)).map(|ia| ia.days).unwrap_or(0),
            "Available": self.available(now),
            "Encrypted": self.encrypted,
            "RegionId": self.region,
            "FullSnapshotSizeInBytes": full_size_bytes,
            "SourceSnapshotId": self.source_snapshot_id.clone().unwrap_or_default(),
            "SourceRegionId": self.source_region_id.clone().unwrap_or_default(),
            "Tags": { "Tag": self.tags.iter().map(|t| json!({"TagKey": t.key, "TagValue": t.value})).collect::<Vec<_>>() },
        })
    }
}

/// Percent done at `now` of work from `start` to `end`, as a whole number 0–100. Never
/// overflows (issue 12: a stored world's times can be anything an `i64` holds): the product is
/// taken in `u128`, and the spans saturate.
pub fn percent_done(start: Timestamp, end: Timestamp, now: Timestamp) -> u64 {
    let total = end.seconds_since(start).max(1);
    let done = now.seconds_since(start).clamp(0, total);
    // `done` and `total` are in 0..=i64::MAX after the clamp: both fit u128, and so does ×100.
    let pct = (done.unsigned_abs() as u128 * 100) / total.unsigned_abs() as u128;
    u64::try_from(pct).unwrap_or(100)
}

/// The last `n` characters of `s` (whole characters: issue 12, an ID is not sliced inside a
/// UTF-8 character).
pub fn last_chars(s: &str, n: usize) -> &str {
    if n == 0 {
        return "";
    }
    let start = s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i);
    s.get(start..).unwrap_or(s)
}

/// One disk of a custom image (`DiskDeviceMappings.DiskDeviceMapping[]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageDisk {
    /// The snapshot holding the disk's content; `None` for an empty data disk (R-IMG-1).
    pub snapshot_id: Option<String>,
    /// Size in GiB.
    pub size_gib: u64,
    /// `/dev/xvda` for the system disk, `/dev/xvdb`… for data disks.
    pub device: String,
    /// `system` or `data`.
    pub disk_type: String,
    /// Whether the snapshot is encrypted.
    pub encrypted: bool,
}

/// A custom image (`ImageOwnerAlias=self`, SPEC §9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub region: String,
    pub name: String,
    pub description: String,
    pub family: String,
    pub version: String,
    pub platform: String,
    pub os_type: String,
    pub os_name: String,
    pub os_name_en: String,
    pub architecture: String,
    pub boot_mode: String,
    pub creation_time: Timestamp,
    /// When the image becomes `Available` on the simulated clock (`Creating` until then).
    pub done_at: Timestamp,
    /// The system disk first.
    pub disks: Vec<ImageDisk>,
    pub tags: Vec<Tag>,
    /// Accounts the image is shared with (ModifyImageSharePermission, at most 50).
    #[serde(default)]
    pub shared_with: std::collections::BTreeSet<String>,
    /// Published as a community image.
    #[serde(default)]
    pub is_public: bool,
}

impl Image {
    /// `Creating` until `done_at`, then `Available`.
    pub fn status(&self, now: Timestamp) -> &'static str {
        if now >= self.done_at {
            "Available"
        } else {
            "Creating"
        }
    }

    /// Whether any of its disks uses snapshot `id`.
    pub fn uses_snapshot(&self, id: &str) -> bool {
        self.disks.iter().any(|d| d.snapshot_id.as_deref() == Some(id))
    }

    /// The DescribeImages row (API.md §5).
    pub fn to_json(&self, now: Timestamp, usage: &str) -> Value {
        let progress = format!("{}%", percent_done(self.creation_time, self.done_at, now));
        let row = json!({
            "ImageId": self.id,
            "ImageName": self.name,
            "Description": self.description,
            "ImageFamily": self.family,
            "ImageVersion": self.version,
            "ImageOwnerAlias": "self",
            "ImageOwnerId": SNAPLAB_ACCOUNT_ID,
            "Status": self.status(now),
            "Progress": progress,
            "Size": self.disks.first().map(|d| d.size_gib).unwrap_or(0),
            "CreationTime": self.creation_time.to_iso(),
            "OSType": self.os_type,
            "OSName": self.os_name,
            "OSNameEn": self.os_name_en,
            "Platform": self.platform,
            "Architecture": self.architecture,
            "BootMode": self.boot_mode,
            "Usage": usage,
            "IsSelfShared": if self.shared_with.is_empty() { "false" } else { "true" },
            "IsPublic": self.is_public,
            "DiskDeviceMappings": { "DiskDeviceMapping": self.disks.iter().map(|d| json!({
                "SnapshotId": d.snapshot_id.clone().unwrap_or_default(),
                "Size": d.size_gib.to_string(),
                "Device": d.device,
                "Type": d.disk_type,
                "Format": "",
                "Progress": progress,
                "RemainTime": self.done_at.seconds_since(now).max(0),
                "Encrypted": if d.encrypted { "true" } else { "false" },
                "ImportOSSBucket": "",
                "ImportOSSObject": "",
            })).collect::<Vec<_>>() },
            "Tags": { "Tag": tags_json(&self.tags) },
        });
        with_fixed_image_fields(row)
    }
}

/// Adds the DescribeImages fields every emulated image has alike, public or custom.
pub fn with_fixed_image_fields(mut row: Value) -> Value {
    if let Value::Object(m) = &mut row {
        let fixed = json!({
            "IsCopied": false,
            "IsSubscribed": false,
            "IsSupportCloudinit": true,
            "IsSupportIoOptimized": true,
            "Usable": true,
            "ProductCode": "",
            "ResourceGroupId": "",
            "LicenseType": "Auto",
            "Features": { "NvmeSupport": "supported", "ImdsSupport": "v2" },
        });
        if let Value::Object(f) = fixed {
            m.extend(f);
        }
    }
    row
}

/// The account ID shown as `ImageOwnerId` of custom images (the emulated user's account).
pub const SNAPLAB_ACCOUNT_ID: i64 = 1_234_567_890_123_456;

/// `Tags.Tag[]` rows with `TagKey` / `TagValue` (the shape of most Describe* replies).
pub fn tags_json(tags: &[Tag]) -> Vec<Value> {
    tags.iter()
        .map(|t| json!({ "TagKey": t.key, "TagValue": t.value }))
        .collect()
}

/// A point of a region's snapshot-capacity history (R-CAP-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacitySample {
    /// From this time on…
    pub at: Timestamp,
    /// …the region's snapshot capacity was this many bytes.
    pub bytes: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    // issue 12: progress from any times, no overflow (it multiplied `done × 100` in i64/u64).
    #[test]
    fn issue_12_progress_never_overflows() {
        let (lo, hi) = (Timestamp(i64::MIN), Timestamp(i64::MAX));
        assert_eq!(percent_done(lo, hi, hi), 100);
        assert_eq!(percent_done(lo, hi, lo), 0);
        assert_eq!(percent_done(Timestamp(0), hi, Timestamp(i64::MAX / 2)), 49);
        assert_eq!(percent_done(hi, lo, Timestamp(0)), 0);
        assert_eq!(percent_done(Timestamp(0), Timestamp(10), Timestamp(5)), 50);
        assert_eq!(percent_done(Timestamp(0), Timestamp(0), Timestamp(0)), 0);
    }

    // issue 12: `SnapshotSN` takes whole characters of a non-ASCII ID.
    #[test]
    fn issue_12_last_chars_of_non_ascii_ids() {
        assert_eq!(last_chars("s-bp1abcdefgh12345678", 8), "12345678");
        assert_eq!(last_chars("s-ééééééééé", 8), "éééééééé");
        assert_eq!(last_chars("éa", 8), "éa");
        assert_eq!(last_chars("", 8), "");
        assert_eq!(last_chars("abc", 0), "");
    }
}
