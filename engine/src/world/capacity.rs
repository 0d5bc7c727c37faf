//! The snapshot capacity of a region over time (R-CAP-1): a compact history sampled whenever
//! a region's capacity changes, and DescribeSnapshotMonitorData over it.
//!
//! SPEC §14 keeps the **last 15 days** (API.md's reference says 30 for ECS; SPEC wins): a
//! `StartTime` earlier than now − 15 days is `InvalidStartTime.TooEarly`, and samples older
//! than that window are pruned (keeping the one that gives the value at the window's start).

use super::model::CapacitySample;
use super::{Outcome, World};
use crate::blocks::ChainKey;
use crate::clock::Timestamp;
use crate::error::EcsError;
use crate::request::Params;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Days of history kept and queryable (SPEC §14).
pub const HISTORY_DAYS: i64 = 15;
/// At most this many points per query (API.md).
pub const MAX_POINTS: i64 = 400;

/// Snapshot capacity of every region that has snapshots: the bytes of all block versions held
/// by its chains (R-CHN-1; a copy chain counts in its destination region).
pub fn region_capacities(w: &World) -> BTreeMap<String, u64> {
    let mut chains: BTreeMap<String, BTreeSet<ChainKey>> = BTreeMap::new();
    for s in w.snapshots.values() {
        if let Ok(k) = w.blocks.chain_of(s.snap) {
            chains.entry(s.region.clone()).or_default().insert(k);
        }
    }
    chains
        .into_iter()
        .map(|(r, keys)| (r, keys.iter().map(|k| w.blocks.chain_capacity_bytes(k)).sum()))
        .collect()
}

/// The snapshot capacity of one region, in bytes.
pub fn region_bytes(w: &World, region: &str) -> u64 {
    region_capacities(w).get(region).copied().unwrap_or(0)
}

/// Records every region whose capacity differs from its last sample, at `at` (never before
/// the last sample), and prunes samples older than the window.
pub fn sample(w: &mut World, at: Timestamp) {
    let mut now = region_capacities(w);
    for region in w.capacity_history.keys() {
        now.entry(region.clone()).or_insert(0);
    }
    let cutoff = w.now().add_days(-HISTORY_DAYS);
    for (region, bytes) in now {
        let hist = w.capacity_history.entry(region).or_default();
        match hist.last_mut() {
            Some(last) if last.bytes == bytes => {}
            Some(last) if last.at >= at => last.bytes = bytes,
            None if bytes == 0 => {}
            _ => hist.push(CapacitySample { at, bytes }),
        }
        // Keep the newest sample at or before the cutoff: it gives the value at the start.
        let keep_from = hist.iter().rposition(|s| s.at <= cutoff).unwrap_or(0);
        hist.drain(..keep_from);
    }
}

/// The capacity of `region` at time `t` from the history.
fn at(w: &World, region: &str, t: Timestamp) -> u64 {
    w.capacity_history
        .get(region)
        .and_then(|h| h.iter().rev().find(|s| s.at <= t))
        .map(|s| s.bytes)
        .unwrap_or(0)
}

/// `yyyy-MM-ddTHH:mm:ssZ`; non-zero seconds round up to the next minute (API.md).
fn minute_time(p: &Params, name: &str, malformed: EcsError) -> Outcome<Timestamp> {
    let text = p.require(name)?;
    let t = Timestamp::parse(text).map_err(|_| malformed)?;
    let rem = t.seconds().rem_euclid(60);
    Ok(if rem == 0 { t } else { t.add_seconds(60 - rem) })
}

/// DescribeSnapshotMonitorData: the region's snapshot capacity at `StartTime`,
/// `StartTime + Period`, … up to `EndTime` (and not beyond now). Each point's `Size` is the
/// capacity at that instant.
pub fn monitor_data(w: &World, p: &Params, region: &'static str) -> Outcome<Value> {
    let start = minute_time(p, "StartTime", EcsError::InvalidStartTimeMalformed)?;
    let end = minute_time(p, "EndTime", EcsError::InvalidEndTimeMalformed)?;
    let period: i64 = match p.get("Period")? {
        None => 60,
        Some(v) => match v.parse::<i64>() {
            Ok(n @ (60 | 600 | 3600)) => n,
            _ => return Err(EcsError::InvalidPeriodValueNotSupported.into()),
        },
    };
    let standard = match p.get("Category")?.map(str::to_ascii_lowercase).as_deref() {
        None | Some("standard") => true,
        // Archive snapshots are not emulated; local (Flash) snapshots keep their blocks in
        // their disk's standard chain, so the Flash series has no capacity of its own.
        Some("flash" | "archive") => false,
        Some(_) => return Err(EcsError::invalid("Category", "use Standard, Flash or Archive").into()),
    };
    if end < start {
        return Err(EcsError::invalid("EndTime", "earlier than StartTime").into());
    }
    let now = w.now();
    if start < now.add_days(-HISTORY_DAYS) {
        return Err(EcsError::InvalidStartTimeTooEarly.into());
    }
    if end.seconds_since(start) / period > MAX_POINTS {
        return Err(EcsError::InvalidParameterTooManyDataQueried.into());
    }
    let mut points = Vec::new();
    let mut t = start;
    while t <= end && t <= now {
        let size = if standard { at(w, region, t) } else { 0 };
        points.push(json!({ "TimeStamp": t.to_iso(), "Size": size }));
        t = t.add_seconds(period);
    }
    Ok(json!({ "MonitorData": { "DataPoint": points } }))
}
