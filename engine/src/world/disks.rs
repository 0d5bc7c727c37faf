//! DescribeDisks (the rest of the disk actions arrive with the next slice).

use super::{Outcome, World};
use crate::cli::Params;
use crate::error::EcsError;
use serde_json::Value;

pub fn describe(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let ids = p.json_list("DiskIds")?;
    let instance = p.get("InstanceId")?;
    let disk_type = match p.get("DiskType")? {
        None | Some("all") => None,
        Some(t @ ("system" | "data")) => Some(t),
        Some(_) => return Err(EcsError::InvalidDiskTypeValueNotSupported.into()),
    };
    let status = match p.get("Status")? {
        None | Some("All") => None,
        Some(s @ ("In_use" | "Available" | "Attaching" | "Detaching" | "Creating" | "ReIniting")) => Some(s),
        Some(_) => return Err(EcsError::InvalidStatusValueNotSupported(crate::error::Refusal::BadRequest).into()),
    };
    let snapshot = p.get("SnapshotId")?;
    let tag_filter = super::snapshots::tags(p)?;
    let rows: Vec<Value> = w
        .disks
        .values()
        .filter(|d| d.region == region)
        .filter(|d| ids.as_ref().is_none_or(|ids| ids.iter().any(|x| *x == d.id)))
        .filter(|d| instance.is_none_or(|i| d.instance_id.as_deref() == Some(i)))
        .filter(|d| disk_type.is_none_or(|t| d.disk_type == t))
        .filter(|d| status.is_none_or(|s| d.status.as_str() == s))
        .filter(|d| snapshot.is_none_or(|s| d.source_snapshot_id.as_deref() == Some(s)))
        .filter(|d| super::tags::matches(w.resource_tags.get(&d.id), &tag_filter))
        .map(|d| super::tags::with_tags(d.to_json(), w.resource_tags.get(&d.id)))
        .collect();
    super::page(p, rows, "Disks", "Disk", 500)
}
