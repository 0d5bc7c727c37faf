//! The engine's invariants, checked against a recount from the maps alone (for tests and the
//! property tests; O(everything)).

use std::collections::BTreeMap;

use super::ranges::RangeMap;
use super::tree::BlockMap;
use super::{BlockEngine, ChainKey, Content, ContentHash, ExtentId, ExtentKind, SnapId};

impl BlockEngine {
    /// Recomputes holder counts and content refcounts from the maps alone.
    pub(super) fn recount(&self) -> (BTreeMap<ExtentId, RangeMap<u32>>, BTreeMap<ContentHash, u64>) {
        let mut live: BTreeMap<ExtentId, RangeMap<u32>> = BTreeMap::new();
        let mut bump = |x: ExtentId, s: u64, e: u64| {
            live.entry(x)
                .or_default()
                .update(s, e, |_, _, o| Some(o.copied().unwrap_or(0) + 1));
        };
        for vol in self.volumes.values() {
            for (s, e, x) in vol.map.used_runs() {
                bump(x, s, e);
            }
        }
        for chain in self.chains.values() {
            for (x, hm) in &chain.holders {
                for (s, e, hs) in hm.iter() {
                    if !hs.is_empty() {
                        bump(*x, s, e);
                    }
                }
            }
        }
        let mut contents: BTreeMap<ContentHash, u64> = BTreeMap::new();
        for (x, lm) in &live {
            let Some(ext) = self.extents.get(x) else { continue };
            if let ExtentKind::Blocks(list) = &ext.kind {
                for (s, e, _) in lm.iter() {
                    for lba in s..e {
                        if let Some(Content::Data(h)) = list.get((lba.saturating_sub(ext.lba)) as usize) {
                            *contents.entry(*h).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        (live, contents)
    }

    /// Checks every internal invariant against a recount from the maps: deltas equal the diffs
    /// between consecutive snapshots, holder sets and capacities match the deltas, version holder
    /// counts and content refcounts match, no orphan extent or content, nothing mapped beyond a
    /// size. Meant for tests; O(everything).
    pub fn check_invariants(&self) -> Result<(), String> {
        for (id, vol) in &self.volumes {
            if vol.map.runs(vol.size, vol.map.capacity()).iter().any(|r| r.2.is_some()) {
                return Err(format!("volume {} maps blocks beyond its size", id.0));
            }
            if !self.chains.contains_key(&ChainKey::Volume(*id)) {
                return Err(format!("volume {} has no chain", id.0));
            }
        }
        for (key, chain) in &self.chains {
            let mut prev = BlockMap::empty(0);
            let mut holders: BTreeMap<ExtentId, RangeMap<Vec<SnapId>>> = BTreeMap::new();
            for id in &chain.snaps {
                let s = self
                    .snaps
                    .get(id)
                    .ok_or_else(|| format!("chain lists missing snapshot {}", id.0))?;
                if &s.chain != key {
                    return Err(format!("snapshot {} in the wrong chain", id.0));
                }
                if s.map.runs(s.size, s.map.capacity()).iter().any(|r| r.2.is_some()) {
                    return Err(format!("snapshot {} maps blocks beyond its size", id.0));
                }
                let mut expect = RangeMap::new();
                for (a, b, _, new) in prev.diff(&s.map) {
                    expect.push_back(a, b, new);
                }
                if expect != s.delta {
                    return Err(format!("snapshot {} has a stale delta", id.0));
                }
                for (a, b, x) in s.delta.iter() {
                    if let Some(x) = *x {
                        holders.entry(x).or_default().update(a, b, |_, _, o| {
                            let mut v = o.cloned().unwrap_or_default();
                            v.push(*id);
                            Some(v)
                        });
                    }
                }
                prev = s.map.clone();
            }
            if holders != chain.holders {
                return Err(format!("chain {key:?}: holder sets differ from the deltas"));
            }
            let cap: u64 = holders.values().flat_map(|h| h.iter().map(|(a, b, _)| b - a)).sum();
            if cap != chain.capacity {
                return Err(format!(
                    "chain {key:?}: capacity {} but recount {}",
                    chain.capacity, cap
                ));
            }
            if let ChainKey::Volume(v) = key {
                if chain.snaps.is_empty() && !self.volumes.contains_key(v) {
                    return Err(format!("empty chain of deleted volume {}", v.0));
                }
            } else if chain.snaps.is_empty() {
                return Err(format!("empty copy chain {key:?}"));
            }
        }
        for (id, s) in &self.snaps {
            if !self.chains.get(&s.chain).is_some_and(|c| c.snaps.contains(id)) {
                return Err(format!("snapshot {} missing from its chain", id.0));
            }
        }
        let (live, contents) = self.recount();
        for (x, ext) in &self.extents {
            let expect = live.get(x).cloned().unwrap_or_default();
            if expect != ext.live {
                return Err(format!("extent {}: holder counts differ from recount", x.0));
            }
            if ext.live.is_empty() {
                return Err(format!("extent {} is orphaned", x.0));
            }
            if ext.live.iter().any(|(a, b, _)| a < ext.lba || b > ext.lba + ext.len) {
                return Err(format!("extent {} live outside its range", x.0));
            }
        }
        for x in live.keys() {
            if !self.extents.contains_key(x) {
                return Err(format!("maps reference missing extent {}", x.0));
            }
        }
        if !contents
            .iter()
            .map(|(h, n)| (h, *n))
            .eq(self.contents.iter().map(|(h, c)| (h, c.refs)))
        {
            return Err("content refcounts differ from recount (leak or orphan)".into());
        }
        let mut taken = std::collections::HashSet::new();
        for slot in self.contents.values().filter_map(|c| c.slot) {
            if slot >= self.next_slot || !taken.insert(slot) {
                return Err(format!("slot {slot} given twice"));
            }
        }
        Ok(())
    }
}
