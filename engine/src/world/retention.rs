//! R-CRT-5: a snapshot with `RetentionDays` is deleted when the simulated clock passes its
//! creation time + that many days, freeing blocks exactly as DeleteSnapshot does (R-DEL-3).
//!
//! A snapshot a custom image still uses is kept (R-DEL-1) and goes at the first settle after
//! the image is deleted.
//!
//! R-IA-4: instant access also ends on the clock, at creation time + its days; the snapshot
//! stays (a standard snapshot from then on).

use super::{capacity, snapshots, World};
use crate::blocks::Effects;
use crate::clock::Timestamp;

/// The earliest retention end still to come (or overdue) among deletable snapshots.
pub fn next_expiry(w: &World) -> Option<Timestamp> {
    w.snapshots
        .values()
        .filter(|s| !snapshots::used_by_image(w, &s.id))
        .filter_map(|s| s.expires_at())
        .min()
}

/// The earliest end of instant access still to come (R-IA-4), for [`World::next_event`].
pub fn next_instant_access_end(w: &World) -> Option<Timestamp> {
    let now = w.now();
    w.snapshots
        .values()
        .filter_map(|s| s.instant_access.map(|ia| ia.until))
        .filter(|t| *t > now)
        .min()
}

/// Deletes every snapshot whose retention ended at or before now, oldest end first, and
/// samples the capacity history at each end. Returns the physical effects.
pub fn expire_due(w: &mut World) -> Effects {
    let now = w.now();
    let mut due: Vec<(Timestamp, String)> = w
        .snapshots
        .values()
        .filter_map(|s| s.expires_at().filter(|t| *t <= now).map(|t| (t, s.id.clone())))
        .filter(|(_, id)| !snapshots::used_by_image(w, id))
        .collect();
    due.sort();
    let mut fx = Effects::default();
    for (at, id) in due {
        let Some(snap) = w.snapshots.get(&id).map(|s| s.snap) else {
            continue;
        };
        // The engine refuses only an unknown handle, which the world never holds; such a
        // snapshot is dropped from the world all the same.
        if let Ok((_report, effects)) = w.blocks.delete_snapshot(snap) {
            fx = super::merge_effects(fx, effects);
        }
        w.snapshots.remove(&id);
        capacity::sample(w, at);
    }
    fx
}
