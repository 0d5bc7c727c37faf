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
//! # Formula (instant access, SPEC §5)
//!
//! * Price: **$0.224 per GB per month** of a snapshot's **full size** (every block version its
//!   content holds, owned or referenced: `FullSnapshotSizeInBytes`, the data kept instantly
//!   usable) for as long as its instant access is on; nothing once it is off. No free
//!   allowance. Hourly and settled every 24 h like standard capacity:
//!   `ia_monthly = full_bytes / 2^30 × 0.224`, `ia_hourly = ia_monthly / 720`,
//!   `ia_daily = ia_monthly / 30`.
//! * Plus **$0.1415 per enablement**, once, when a snapshot is created with instant access
//!   (`InstantAccess=true` or `Category=Flash`). A snapshot's estimate shows its fee; a
//!   region's shows the fees of its snapshots whose instant access is on.
//! * A region's `TotalMonthlyUsd` share is its standard bill plus its instant-access monthly
//!   charge (the one-time fees are shown apart, `InstantAccessEnablementUsd`).
//!
//! Amounts are computed exactly in integers and rounded half-up to millionths of a dollar.

use super::model::Snapshot;
use super::{capacity, snapshots, Outcome, World};
use crate::blocks::ChainKey;
use crate::error::{EcsError, Resource};
use crate::replies::{
    ChainBill, DeletionSaving, DiskEstimate, Estimate, InstantAccessCharge, Pricing, RegionBill, Reply,
    SnapshotEstimate, SnapshotShare,
};
use crate::request::Params;
use serde_json::Value;
use std::collections::BTreeMap;

const GIB: u128 = 1 << 30;
/// Free capacity per region, bytes (5 GB).
pub const FREE_BYTES: u64 = 5 << 30;
/// Micro-dollars per GB per month ($0.02).
pub const MICRO_USD_PER_GB_MONTH: u128 = 20_000;
/// Hours in a billing month (30 days).
pub const HOURS_PER_MONTH: u128 = 720;

/// Micro-dollars per GB per month of instant access ($0.224).
pub const IA_MICRO_USD_PER_GB_MONTH: u128 = 224_000;
/// Micro-dollars per enablement of instant access ($0.1415).
pub const IA_MICRO_USD_PER_ENABLEMENT: u128 = 141_500;

/// `bytes × price / divisor` in micro-dollars, rounded half-up.
fn micro_usd(bytes: u64, divisor: u128) -> u128 {
    priced(bytes, MICRO_USD_PER_GB_MONTH, divisor)
}

/// `bytes × micro_per_gb_month / divisor` in micro-dollars, rounded half-up.
fn priced(bytes: u64, micro_per_gb_month: u128, divisor: u128) -> u128 {
    let denom = GIB * divisor;
    (u128::from(bytes) * micro_per_gb_month + denom / 2) / denom
}

/// Micro-dollars as dollars.
fn dollars(micro: u128) -> f64 {
    micro as f64 / 1e6
}

/// Bytes of instant access billed for `s` now: its full size while instant access is on.
fn instant_access_bytes(w: &World, s: &Snapshot, full: &BTreeMap<String, u64>) -> u64 {
    if s.instant_access_on(w.now()) {
        full.get(&s.id).copied().unwrap_or(0)
    } else {
        0
    }
}

/// The instant-access charges of one snapshot.
fn snapshot_instant_access(w: &World, s: &Snapshot, full: &BTreeMap<String, u64>) -> InstantAccessCharge {
    let bytes = instant_access_bytes(w, s, full);
    InstantAccessCharge {
        enabled: s.instant_access_on(w.now()),
        bytes,
        monthly_usd: dollars(priced(bytes, IA_MICRO_USD_PER_GB_MONTH, 1)),
        hourly_usd: dollars(priced(bytes, IA_MICRO_USD_PER_GB_MONTH, HOURS_PER_MONTH)),
        enablement_usd: if s.was_instant() {
            dollars(IA_MICRO_USD_PER_ENABLEMENT)
        } else {
            0.0
        },
    }
}

/// A region's instant access: (bytes billed, snapshots with it on).
fn region_instant_access(w: &World, region: &str) -> (u64, u64) {
    let snaps: Vec<&Snapshot> = w
        .snapshots
        .values()
        .filter(|s| s.region == region && s.instant_access_on(w.now()))
        .collect();
    let full = snapshots::full_sizes(w, &snaps);
    let bytes = snaps.iter().map(|s| instant_access_bytes(w, s, &full)).sum();
    (bytes, snaps.len() as u64)
}

/// Monthly micro-dollars of a region's instant access.
fn region_instant_access_micro(w: &World, region: &str) -> u128 {
    priced(region_instant_access(w, region).0, IA_MICRO_USD_PER_GB_MONTH, 1)
}

/// Adds a region's instant-access charges to its bill.
fn with_instant_access(w: &World, region: &str, mut bill: RegionBill) -> RegionBill {
    let (bytes, count) = region_instant_access(w, region);
    bill.instant_access_bytes = bytes;
    bill.instant_access_monthly_usd = dollars(priced(bytes, IA_MICRO_USD_PER_GB_MONTH, 1));
    bill.instant_access_hourly_usd = dollars(priced(bytes, IA_MICRO_USD_PER_GB_MONTH, HOURS_PER_MONTH));
    bill.instant_access_daily_usd = dollars(priced(bytes, IA_MICRO_USD_PER_GB_MONTH, 30));
    bill.instant_access_snapshots = count;
    bill.instant_access_enablement_usd = dollars(u128::from(count) * IA_MICRO_USD_PER_ENABLEMENT);
    bill
}

/// The monthly instant-access saving of deleting `s` (R-BIL-1: its charge stops).
pub fn instant_access_saving(w: &World, s: &Snapshot) -> f64 {
    let full = snapshots::full_sizes(w, &[s]);
    dollars(priced(instant_access_bytes(w, s, &full), IA_MICRO_USD_PER_GB_MONTH, 1))
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

/// The standard bill of a region with `capacity_bytes` of snapshots (its instant-access
/// charges zero until [`with_instant_access`] adds them; no chains).
pub fn region_bill(region: &str, capacity_bytes: u64) -> RegionBill {
    let billable = billable_bytes(capacity_bytes);
    RegionBill {
        region_id: region.to_string(),
        capacity_bytes,
        free_bytes: FREE_BYTES.min(capacity_bytes),
        billable_bytes: billable,
        monthly_usd: usd(billable, 1),
        hourly_usd: usd(billable, HOURS_PER_MONTH),
        daily_usd: usd(billable, 30),
        instant_access_bytes: 0,
        instant_access_monthly_usd: 0.0,
        instant_access_hourly_usd: 0.0,
        instant_access_daily_usd: 0.0,
        instant_access_snapshots: 0,
        instant_access_enablement_usd: 0.0,
        chains: None,
    }
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

fn chain_bill(w: &World, key: &ChainKey, region: &str, disk_id: &str) -> ChainBill {
    let snaps = owned(w, key);
    let capacity = w.blocks.chain_capacity_bytes(key);
    let records: Vec<&Snapshot> = snaps.iter().filter_map(|(id, _)| w.snapshots.get(id)).collect();
    let full = snapshots::full_sizes(w, &records);
    let ia_bytes: u64 = records.iter().map(|s| instant_access_bytes(w, s, &full)).sum();
    let rows: Vec<SnapshotShare> = snaps
        .iter()
        .map(|(id, bytes)| SnapshotShare {
            snapshot_id: id.clone(),
            owned_bytes: *bytes,
            monthly_usd: monthly_usd(*bytes),
            // Only snapshots created with instant access carry its charges.
            instant_access: w
                .snapshots
                .get(id)
                .filter(|s| s.was_instant())
                .map(|s| snapshot_instant_access(w, s, &full)),
        })
        .collect();
    ChainBill {
        snapshot_link_id: super::snapshots::link_id(disk_id),
        source_disk_id: disk_id.to_string(),
        region_id: region.to_string(),
        capacity_bytes: capacity,
        monthly_usd: monthly_usd(capacity),
        instant_access_bytes: ia_bytes,
        instant_access_monthly_usd: dollars(priced(ia_bytes, IA_MICRO_USD_PER_GB_MONTH, 1)),
        snapshots: rows,
    }
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

fn pricing() -> Pricing {
    Pricing {
        usd_per_gb_month: 0.02,
        free_gb_per_region: 5,
        hours_per_month: HOURS_PER_MONTH as u64,
        settlement_hours: 24,
        bytes_per_gb: GIB as u64,
        instant_access_usd_per_gb_month: 0.224,
        instant_access_usd_per_enablement: 0.1415,
    }
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
    let region_of = |r: &str| with_instant_access(w, r, region_bill(r, capacities.get(r).copied().unwrap_or(0)));
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
            let full = snapshots::full_sizes(w, &[s]);
            Ok(SnapshotEstimate {
                snapshot_id: s.id.clone(),
                region_id: s.region.clone(),
                owned_bytes: mine,
                monthly_usd: monthly_usd(mine),
                instant_access: snapshot_instant_access(w, s, &full),
                chain: chain_bill(w, &key, &s.region, &s.source_disk_id),
                region: region_of(&s.region),
                pricing: pricing(),
            }
            .to_json())
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
            Ok(DiskEstimate {
                chain: chain_bill(w, &key, &r, disk),
                region: region_of(&r),
                pricing: pricing(),
            }
            .to_json())
        }
        (None, None) => {
            let regions: Vec<String> = match region {
                Some(r) => vec![r.to_string()],
                None => capacities.keys().cloned().collect(),
            };
            let rows: Vec<RegionBill> = regions
                .iter()
                .map(|r| RegionBill {
                    chains: Some(chains_of(w, r).iter().map(|(k, d)| chain_bill(w, k, r, d)).collect()),
                    ..region_of(r)
                })
                .collect();
            let total: u128 = regions
                .iter()
                .map(|r| {
                    micro_usd(billable_bytes(capacities.get(r).copied().unwrap_or(0)), 1)
                        + region_instant_access_micro(w, r)
                })
                .sum();
            Ok(Estimate {
                regions: rows,
                total_monthly_usd: total as f64 / 1e6,
                pricing: pricing(),
            }
            .to_json())
        }
    }
}

/// The cost side of a deletion preview: the region's monthly bill before and after freeing
/// `freed_bytes` of its capacity, the saving, and the freed capacity at list price.
pub fn deletion_saving(w: &World, region: &str, freed_bytes: u64) -> DeletionSaving {
    let before = capacity::region_bytes(w, region);
    let after = before.saturating_sub(freed_bytes);
    let cost_before = micro_usd(billable_bytes(before), 1);
    let cost_after = micro_usd(billable_bytes(after), 1);
    DeletionSaving {
        region_capacity_before_bytes: before,
        region_capacity_after_bytes: after,
        cost_before_monthly_usd: cost_before as f64 / 1e6,
        cost_after_monthly_usd: cost_after as f64 / 1e6,
        monthly_saving_usd: cost_before.saturating_sub(cost_after) as f64 / 1e6,
        freed_list_price_monthly_usd: monthly_usd(freed_bytes),
    }
}
