//! A world checked whole (issue 12 item 2): what `snaplab world import` and a session opening a
//! stored world accept. The actions keep these facts true of every world they build; a world
//! file is written by hand or by anyone, so each is checked before the world replaces the
//! current one, and the first that does not hold is named:
//! - every reference resolves (disk → instance and volume; instance → its disks; snapshot →
//!   its block-engine snapshot and, while its disk lives, that disk's chain; image → its
//!   snapshots; tags → their resource), and each ID is its map key, of its kind's shape;
//! - no two resources own what only one may own (a volume, a block-engine snapshot, a disk
//!   listed by an instance);
//! - the ID counters are above every ID in use (the block engine's `next_id`, checked by the
//!   engine itself, and the world's resource-ID draws, decoded from the IDs below);
//! - values are in the ranges the actions enforce: regions and zones of the catalogue,
//!   categories, disk types and performance levels, sizes (and their bytes in the block engine),
//!   retention days, and times the clock can represent;
//! - the block engine's own records are consistent: [`crate::blocks::BlockEngine`]'s
//!   deserialization recounts them and runs its invariant check, and here every volume and
//!   block-engine snapshot belongs to the world, with the sizes the world gives them.

use super::{World, GIB};
use crate::blocks::{ChainKey, SnapId, VolumeId, MAX_SIZE_BLOCKS};
use crate::catalog::{self, DiskCategory, DiskType, PerformanceLevel};
use crate::clock::{Timestamp, MAX_TIMESTAMP, MIN_TIMESTAMP};
use crate::error::Resource;
use crate::ids::{kind_of, RESOURCE_ID_BODY_LEN};
use std::collections::BTreeMap;
use std::fmt;

/// The largest disk size any category allows (ESSD and ESSD AutoPL data disks: 65,536 GiB).
pub const MAX_DISK_GIB: u64 = 65_536;
/// The most `RetentionDays` a snapshot can have (R-CRT-5: 1–65,536).
pub const MAX_RETENTION_DAYS: u32 = 65_536;
/// The most `InstantAccessRetentionDays` (R-IA-4: 1–65,535).
pub const MAX_INSTANT_ACCESS_DAYS: u32 = 65_535;

/// Why a world is not one the actions could have built: the first problem found, naming the
/// resource and the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

type Check = Result<(), Invalid>;

fn fail<T>(why: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid(why.into()))
}

/// `what`'s `field` is a time the clock can represent (years 0000–9999, as ISO-8601 writes).
fn time(what: &str, field: &str, t: Timestamp) -> Check {
    if t < MIN_TIMESTAMP || t > MAX_TIMESTAMP {
        return fail(format!(
            "{what}: {field} is a time the clock cannot represent ({})",
            t.0
        ));
    }
    Ok(())
}

/// `id` is the key it is stored under and has the shape of a `kind` ID.
fn id_of(what: &str, key: &str, id: &str, kind: Resource) -> Check {
    if key != id {
        return fail(format!("{what} {key}: its id is {id:?}"));
    }
    if kind_of(id) != Some(kind) {
        return fail(format!("{what} {id:?}: not an ID of this kind"));
    }
    Ok(())
}

fn region(what: &str, region: &str) -> Result<&'static catalog::Region, Invalid> {
    catalog::region(region).ok_or_else(|| Invalid(format!("{what}: region {region:?} does not exist")))
}

fn zone(what: &str, region_id: &str, zone: &str) -> Check {
    let r = region(what, region_id)?;
    if r.zone(zone).is_none() {
        return fail(format!("{what}: zone {zone:?} is not a zone of {region_id}"));
    }
    Ok(())
}

fn size_gib(what: &str, field: &str, gib: u64) -> Check {
    if gib == 0 || gib > MAX_DISK_GIB {
        return fail(format!(
            "{what}: {field} {gib} GiB is not a size a disk can have (1–{MAX_DISK_GIB})"
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Resource-ID draws. An ID's last 13 base-36 digits are the first 64-bit draw made for it
// (`ids::IdGen::next_id`), `mix64(base + k × GOLDEN)` with `k` the generator's counter after
// that draw; inverting it gives `k`, which must be below the saved counter, or the counter was
// rewound and the next IDs would repeat live ones. (The constants are `ids.rs`'s; the test
// below decodes IDs that `IdGen` draws, so the two cannot drift apart.)

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
const RESOURCE_STREAM: u64 = 0x5EED_0000_0000_0001;
const DIGITS: usize = 13;

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The inverse of `x ↦ x ^ (x >> s)`.
fn unshift(y: u64, s: u32) -> u64 {
    let mut x = y;
    for _ in 0..(64 / s + 1) {
        x = y ^ (x >> s);
    }
    x
}

/// The inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits).
fn inverse(m: u64) -> u64 {
    let mut x = m;
    for _ in 0..6 {
        x = x.wrapping_mul(2u64.wrapping_sub(m.wrapping_mul(x)));
    }
    x
}

fn unmix64(z: u64) -> u64 {
    let z = unshift(z, 31).wrapping_mul(inverse(0x94D0_49BB_1331_11EB));
    let z = unshift(z, 27).wrapping_mul(inverse(0xBF58_476D_1CE4_E5B9));
    unshift(z, 30)
}

/// The counter value a resource ID of region prefix `prefix` was drawn at, by generator `seed`;
/// `None` when the ID does not carry its whole draw (a long region prefix) or is not base 36.
pub(crate) fn draw_index(seed: u64, id: &str, prefix: &str) -> Option<u64> {
    let body = id.split_once('-')?.1.strip_prefix(prefix)?;
    let chars: Vec<char> = body.chars().collect();
    let random_len = RESOURCE_ID_BODY_LEN.checked_sub(prefix.len())?;
    if chars.len() != random_len || random_len < DIGITS {
        return None;
    }
    let mut unique: u64 = 0;
    for c in chars[random_len - DIGITS..].iter().rev() {
        let d = c.to_digit(36)?;
        unique = unique.checked_mul(36)?.checked_add(u64::from(d))?;
    }
    let base = mix64(seed ^ RESOURCE_STREAM);
    Some(unmix64(unique).wrapping_sub(base).wrapping_mul(inverse(GOLDEN)))
}

/// The resource ID `id` (in `region_id`) was drawn before the saved `counter`.
fn drawn(world: &World, what: &str, id: &str, region_id: &str) -> Check {
    let Some(r) = catalog::region(region_id) else {
        return Ok(());
    };
    if let Some(k) = draw_index(world.ids.seed, id, r.id_prefix) {
        if k >= world.ids.counter {
            return fail(format!(
                "{what} {id}: the ID counter {} is not above this ID's draw ({k}); the next IDs would repeat live ones",
                world.ids.counter
            ));
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------

impl World {
    /// Checks the world whole (see the module doc); the first problem is named.
    pub fn validate(&self) -> Result<(), Invalid> {
        let blocks = &self.blocks;
        let bs = self.block_size();
        if self.seed != self.ids.seed {
            return fail(format!(
                "seed {} differs from the ID generator's {}",
                self.seed, self.ids.seed
            ));
        }
        time("the clock", "now", self.now())?;
        let blocks_of = |what: &str, gib: u64| -> Result<u64, Invalid> {
            gib.checked_mul(GIB)
                .map(|b| b / bs)
                .filter(|&b| b <= MAX_SIZE_BLOCKS)
                .ok_or_else(|| Invalid(format!("{what}: size {gib} GiB does not fit the block engine")))
        };

        // Instances.
        let mut listed: BTreeMap<&str, &str> = BTreeMap::new();
        for (key, i) in &self.instances {
            let what = format!("instance {key}");
            id_of("instance", key, &i.id, Resource::Instance)?;
            zone(&what, &i.region, &i.zone)?;
            drawn(self, "instance", &i.id, &i.region)?;
            time(&what, "creation_time", i.creation_time)?;
            if let Some(t) = i.start_time {
                time(&what, "start_time", t)?;
            }
            for t in &i.transitions {
                time(&what, "a transition's time", t.at)?;
            }
            for d in &i.disks {
                if let Some(other) = listed.insert(d, key) {
                    return fail(format!("{what}: disk {d} is listed by instance {other} too"));
                }
                match self.disks.get(d) {
                    None => return fail(format!("{what}: disk {d} does not exist")),
                    Some(disk) if disk.instance_id.as_deref() != Some(key.as_str()) => {
                        return fail(format!("{what}: lists disk {d}, which is not attached to it"));
                    }
                    Some(_) => {}
                }
            }
        }

        // Disks.
        let mut volumes: BTreeMap<VolumeId, &str> = BTreeMap::new();
        for (key, d) in &self.disks {
            let what = format!("disk {key}");
            id_of("disk", key, &d.id, Resource::Disk)?;
            zone(&what, &d.region, &d.zone)?;
            drawn(self, "disk", &d.id, &d.region)?;
            let category = DiskCategory::parse(&d.category)
                .ok_or_else(|| Invalid(format!("{what}: category {:?} does not exist", d.category)))?;
            let disk_type = DiskType::parse(&d.disk_type)
                .ok_or_else(|| Invalid(format!("{what}: type {:?} is neither system nor data", d.disk_type)))?;
            let pl = match &d.performance_level {
                Some(p) => Some(
                    PerformanceLevel::parse(p)
                        .ok_or_else(|| Invalid(format!("{what}: performance level {p:?} does not exist")))?,
                ),
                None => None,
            };
            size_gib(&what, "size", d.size_gib)?;
            if let Some(range) = category.size_range(disk_type, pl) {
                let fits = u32::try_from(d.size_gib).is_ok_and(|s| range.contains(&s));
                if !fits {
                    return fail(format!(
                        "{what}: size {} GiB is outside {}..={} for {} {}",
                        d.size_gib,
                        range.start(),
                        range.end(),
                        d.category,
                        d.disk_type
                    ));
                }
            }
            time(&what, "creation_time", d.creation_time)?;
            for (field, t) in [
                ("attached_time", d.attached_time),
                ("detached_time", d.detached_time),
                ("reinitialized_time", d.reinitialized_time),
            ] {
                if let Some(t) = t {
                    time(&what, field, t)?;
                }
            }
            if let Some(i) = &d.instance_id {
                let inst = self
                    .instances
                    .get(i)
                    .ok_or_else(|| Invalid(format!("{what}: its instance {i} does not exist")))?;
                if !inst.disks.contains(key) {
                    return fail(format!("{what}: attached to instance {i}, which does not list it"));
                }
            }
            if let Some(other) = volumes.insert(d.volume, key) {
                return fail(format!("{what}: its volume {} is disk {other}'s too", d.volume.0));
            }
            let size = blocks
                .volume_size(d.volume)
                .map_err(|_| Invalid(format!("{what}: its volume {} does not exist", d.volume.0)))?;
            if size != blocks_of(&what, d.size_gib)? {
                return fail(format!(
                    "{what}: size {} GiB differs from its volume's {size} blocks of {bs} bytes",
                    d.size_gib
                ));
            }
        }
        for v in blocks.volumes() {
            if !volumes.contains_key(&v) {
                return fail(format!("block engine: volume {} belongs to no disk", v.0));
            }
        }

        // Snapshots.
        let mut snaps: BTreeMap<SnapId, &str> = BTreeMap::new();
        for (key, s) in &self.snapshots {
            let what = format!("snapshot {key}");
            id_of("snapshot", key, &s.id, Resource::Snapshot)?;
            region(&what, &s.region)?;
            drawn(self, "snapshot", &s.id, &s.region)?;
            if kind_of(&s.source_disk_id) != Some(Resource::Disk) {
                return fail(format!(
                    "{what}: its source disk {:?} is not a disk ID",
                    s.source_disk_id
                ));
            }
            if DiskType::parse(&s.source_disk_type).is_none() {
                return fail(format!(
                    "{what}: source disk type {:?} is neither system nor data",
                    s.source_disk_type
                ));
            }
            size_gib(&what, "source disk size", s.source_disk_size_gib)?;
            for (field, t) in [
                ("creation_time", s.creation_time),
                ("done_at", s.done_at),
                ("last_modified", s.last_modified),
            ] {
                time(&what, field, t)?;
            }
            if s.done_at < s.creation_time {
                return fail(format!(
                    "{what}: it finishes (done_at) before it starts (creation_time)"
                ));
            }
            if let Some(days) = s.retention_days {
                if days == 0 || days > MAX_RETENTION_DAYS {
                    return fail(format!(
                        "{what}: retention days {days} are outside 1–{MAX_RETENTION_DAYS}"
                    ));
                }
            }
            if let Some(ia) = s.instant_access {
                if ia.days == 0 || ia.days > MAX_INSTANT_ACCESS_DAYS {
                    return fail(format!(
                        "{what}: instant access retention days {} are outside 1–{MAX_INSTANT_ACCESS_DAYS}",
                        ia.days
                    ));
                }
                time(&what, "instant access end", ia.until)?;
            }
            if let Some(other) = snaps.insert(s.snap, key) {
                return fail(format!(
                    "{what}: its block-engine snapshot {} is snapshot {other}'s too",
                    s.snap.0
                ));
            }
            let chain = blocks
                .chain_of(s.snap)
                .map_err(|_| Invalid(format!("{what}: its block-engine snapshot {} does not exist", s.snap.0)))?;
            let size = blocks.snapshot_size(s.snap).unwrap_or_default();
            if size > blocks_of(&what, s.source_disk_size_gib)? {
                return fail(format!(
                    "{what}: its block-engine snapshot holds {size} blocks, more than its source disk size"
                ));
            }
            match (&chain, s.is_copy()) {
                (ChainKey::Volume(v), false) => {
                    if let Some(disk) = self.disks.get(&s.source_disk_id) {
                        if disk.volume != *v {
                            return fail(format!("{what}: not in the chain of its source disk {}", disk.id));
                        }
                    }
                }
                (ChainKey::Copy { region, .. }, true) if region.0 == s.region => {}
                _ => return fail(format!("{what}: its chain does not match whether it is a copy")),
            }
        }
        for s in blocks.snapshots() {
            if !snaps.contains_key(&s) {
                return fail(format!("block engine: snapshot {} belongs to no snapshot", s.0));
            }
        }

        // Images.
        for (key, img) in &self.images {
            let what = format!("image {key}");
            id_of("image", key, &img.id, Resource::Image)?;
            region(&what, &img.region)?;
            drawn(self, "image", &img.id, &img.region)?;
            time(&what, "creation_time", img.creation_time)?;
            time(&what, "done_at", img.done_at)?;
            if img.done_at < img.creation_time {
                return fail(format!(
                    "{what}: it finishes (done_at) before it starts (creation_time)"
                ));
            }
            for d in &img.disks {
                size_gib(&what, "a disk's size", d.size_gib)?;
                if let Some(s) = &d.snapshot_id {
                    if !self.snapshots.contains_key(s) {
                        return fail(format!("{what}: its snapshot {s} does not exist"));
                    }
                }
            }
        }

        // Tags and capacity history.
        for id in self.resource_tags.keys() {
            if !self.disks.contains_key(id) && !self.instances.contains_key(id) {
                return fail(format!("tags of {id}: no such disk or instance"));
            }
        }
        for (r, samples) in &self.capacity_history {
            let what = format!("capacity history of {r}");
            region(&what, r)?;
            for s in samples {
                time(&what, "a sample's time", s.at)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IdGen;

    // issue 12: the decoding of an ID's draw matches `IdGen` (a rewound counter is found).
    #[test]
    fn issue_12_draw_index_decodes_the_generators_ids() {
        for seed in [0, 1, 5, u64::MAX] {
            let mut g = IdGen::new(seed);
            for _ in 0..50 {
                let id = g.next_id(Resource::Snapshot, "bp1").unwrap();
                assert_eq!(draw_index(seed, &id, "bp1"), Some(g.counter - 1), "{id}");
                assert!(g.counter - 1 < g.counter);
            }
        }
        assert_eq!(draw_index(1, "s-bp1ééééééééééééééééé", "bp1"), None);
    }
}
