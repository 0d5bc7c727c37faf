//! The cost estimate of R-BIL-1: `snaplab billing estimate` and the saving shown by
//! `snaplab snapshot delete-preview`.
//!
//! # Formula (standard snapshots)
//!
//! * Price: **$0.02 per GB per month**, GB = 2^30 bytes (the binary GB ECS meters capacity in).
//! * The **first 5 GB** of a region's snapshot capacity are free (Snaplab applies the
//!   allowance per region: every region is billed on its own).
//! * A month is 30 days = 720 hours. Billing is **hourly**: each hour costs
//!   `billable_bytes / 2^30 × 0.02 / 720` dollars, and the hourly charges are **settled every
//!   24 h** (one bill per day = 24 hourly charges).
//! * So for a region: `billable = max(0, capacity − 5 GiB)`,
//!   `monthly = billable / 2^30 × 0.02`, `hourly = monthly / 720`, `daily = monthly / 30`.
//! * A snapshot's share is its **owned bytes** (the block versions it owns; a chain's
//!   capacity is the sum of its snapshots' owned bytes) at the list price, before the free
//!   allowance, which belongs to the region as a whole.
//!
//! Amounts are computed exactly in integers and rounded half-up to millionths of a dollar.
//! Instant access (R-BIL-1's $0.224/GB/month + $0.1415 per enablement) is not emulated yet.

use super::{capacity, Outcome, World};
use crate::blocks::ChainKey;
use crate::cli::Params;
use crate::error::{EcsError, Resource};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const GIB: u128 = 1 << 30;
/// Free capacity per region, bytes (5 GB).
pub const FREE_BYTES: u64 = 5 << 30;
/// Micro-dollars per GB per month ($0.02).
pub const MICRO_USD_PER_GB_MONTH: u128 = 20_000;
/// Hours in a billing month (30 days).
pub const HOURS_PER_MONTH: u128 = 720;

/// `bytes × price / divisor` in micro-dollars, rounded half-up.
fn micro_usd(bytes: u64, divisor: u128) -> u128 {
    let denom = GIB * divisor;
    (u128::from(bytes) * MICRO_USD_PER_GB_MONTH + denom / 2) / denom
}

/// `bytes × price / divisor`, rounded half-up to a micro-dollar, as dollars.
fn usd(bytes: u64, divisor: u128) -> f64 {
    micro_usd(bytes, divisor) as f64 / 1e6
}

/// Monthly list price of `bytes` (no free allowance).
pub fn monthly_usd(bytes: u64) -> f64 {
    usd(bytes, 1)
}

/// Bytes a region pays for: its capacity beyond the free 5 GB.
pub fn billable_bytes(capacity_bytes: u64) -> u64 {
    capacity_bytes.saturating_sub(FREE_BYTES)
}

/// The bill of a region with `capacity_bytes` of snapshots.
pub fn region_bill(region: &str, capacity_bytes: u64) -> Value {
    let billable = billable_bytes(capacity_bytes);
    json!({
        "RegionId": region,
        "CapacityBytes": capacity_bytes,
        "FreeBytes": FREE_BYTES.min(capacity_bytes),
        "BillableBytes": billable,
        "MonthlyUsd": usd(billable, 1),
        "HourlyUsd": usd(billable, HOURS_PER_MONTH),
        "DailyUsd": usd(billable, 30),
    })
}

/// Per snapshot of a chain: (ECS id, owned bytes), oldest first.
fn owned(w: &World, key: &ChainKey) -> Vec<(String, u64)> {
    w.blocks
        .chain_view(key)
        .snapshots
        .iter()
        .map(|v| {
            let id = w
                .snapshots
                .values()
                .find(|s| s.snap == v.id)
                .map(|s| s.id.clone())
                .unwrap_or_default();
            (id, v.owned_blocks.saturating_mul(w.block_size()))
        })
        .collect()
}

fn chain_json(w: &World, key: &ChainKey, region: &str, disk_id: &str) -> Value {
    let snaps = owned(w, key);
    let capacity = w.blocks.chain_capacity_bytes(key);
    json!({
        "SnapshotLinkId": super::snapshots::link_id(disk_id),
        "SourceDiskId": disk_id,
        "RegionId": region,
        "CapacityBytes": capacity,
        "MonthlyUsd": monthly_usd(capacity),
        "Snapshots": snaps.iter().map(|(id, bytes)| json!({
            "SnapshotId": id,
            "OwnedBytes": bytes,
            "MonthlyUsd": monthly_usd(*bytes),
        })).collect::<Vec<_>>(),
    })
}

/// Chains of a region: chain key → source disk.
fn chains_of(w: &World, region: &str) -> BTreeMap<ChainKey, String> {
    let mut out = BTreeMap::new();
    for s in w.snapshots.values().filter(|s| s.region == region) {
        if let Ok(k) = w.blocks.chain_of(s.snap) {
            out.entry(k).or_insert_with(|| s.source_disk_id.clone());
        }
    }
    out
}

fn pricing() -> Value {
    json!({
        "UsdPerGbMonth": 0.02,
        "FreeGbPerRegion": 5,
        "HoursPerMonth": HOURS_PER_MONTH as u64,
        "SettlementHours": 24,
        "BytesPerGb": GIB as u64,
    })
}

/// `snaplab billing estimate [--RegionId r] [--SnapshotId s | --DiskId d]`.
pub fn estimate(w: &World, p: &Params) -> Outcome<Value> {
    let region = p.get("RegionId")?;
    if let Some(r) = region {
        if crate::catalog::region(r).is_none() {
            return Err(EcsError::not_found(Resource::Region, r).into());
        }
    }
    let capacities = capacity::region_capacities(w);
    let region_of = |r: &str| region_bill(r, capacities.get(r).copied().unwrap_or(0));
    match (p.get("SnapshotId")?, p.get("DiskId")?) {
        (Some(_), Some(_)) => {
            Err(EcsError::invalid("SnapshotId", "give at most one of --SnapshotId and --DiskId").into())
        }
        (Some(id), None) => {
            let s = w.snapshot(id)?;
            let key = w.blocks.chain_of(s.snap).map_err(super::Failure::from)?;
            let mine = owned(w, &key)
                .into_iter()
                .find(|(x, _)| x == id)
                .map(|(_, b)| b)
                .unwrap_or(0);
            Ok(json!({
                "SnapshotId": s.id,
                "RegionId": s.region,
                "OwnedBytes": mine,
                "MonthlyUsd": monthly_usd(mine),
                "Chain": chain_json(w, &key, &s.region, &s.source_disk_id),
                "Region": region_of(&s.region),
                "Pricing": pricing(),
            }))
        }
        (None, Some(disk)) => {
            // The disk's own chain, or its copies' chain in `--RegionId`.
            let r = region
                .map(str::to_string)
                .or_else(|| w.disks.get(disk).map(|d| d.region.clone()))
                .or_else(|| {
                    w.snapshots
                        .values()
                        .find(|s| s.source_disk_id == disk && !s.is_copy())
                        .map(|s| s.region.clone())
                })
                .ok_or_else(|| EcsError::not_found(Resource::Disk, disk))?;
            let key = chains_of(w, &r)
                .into_iter()
                .find(|(_, d)| d == disk)
                .map(|(k, _)| k)
                .ok_or_else(|| EcsError::not_found(Resource::Disk, disk))?;
            Ok(json!({
                "Chain": chain_json(w, &key, &r, disk),
                "Region": region_of(&r),
                "Pricing": pricing(),
            }))
        }
        (None, None) => {
            let regions: Vec<String> = match region {
                Some(r) => vec![r.to_string()],
                None => capacities.keys().cloned().collect(),
            };
            let rows: Vec<Value> = regions
                .iter()
                .map(|r| {
                    let mut bill = region_of(r);
                    if let Value::Object(m) = &mut bill {
                        let chains: Vec<Value> = chains_of(w, r).iter().map(|(k, d)| chain_json(w, k, r, d)).collect();
                        m.insert("Chains".into(), Value::Array(chains));
                    }
                    bill
                })
                .collect();
            let total: u128 = regions
                .iter()
                .map(|r| micro_usd(billable_bytes(capacities.get(r).copied().unwrap_or(0)), 1))
                .sum();
            Ok(json!({
                "Regions": rows,
                "TotalMonthlyUsd": total as f64 / 1e6,
                "Pricing": pricing(),
            }))
        }
    }
}

/// The cost side of a deletion preview: the region's monthly bill before and after freeing
/// `freed_bytes` of its capacity, the saving, and the freed capacity at list price.
pub fn deletion_saving(w: &World, region: &str, freed_bytes: u64) -> Value {
    let before = capacity::region_bytes(w, region);
    let after = before.saturating_sub(freed_bytes);
    let cost_before = micro_usd(billable_bytes(before), 1);
    let cost_after = micro_usd(billable_bytes(after), 1);
    json!({
        "RegionCapacityBeforeBytes": before,
        "RegionCapacityAfterBytes": after,
        "CostBeforeMonthlyUsd": cost_before as f64 / 1e6,
        "CostAfterMonthlyUsd": cost_after as f64 / 1e6,
        "MonthlySavingUsd": cost_before.saturating_sub(cost_after) as f64 / 1e6,
        "FreedListPriceMonthlyUsd": monthly_usd(freed_bytes),
    })
}
