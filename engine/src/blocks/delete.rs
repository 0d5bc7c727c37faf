//! Deleting a snapshot (R-DEL-3): the plan — the successor's delta recomputed against the
//! predecessor, the versions that move to the successor, those that leave the chain and the
//! stored contents that go with them — and its application, touching only the two deltas.

use std::collections::HashMap;

use super::ranges::RangeMap;
use super::tree::{BlockMap, Slot};
use super::{
    version_of, BlockEngine, BlockError, BlockResult, ChainKey, Content, ContentHash, DeleteReport, Effects,
    ExtentKind, MovedRun, RunInfo, SnapId,
};

impl BlockEngine {
    /// The effect of deleting a snapshot, without deleting it.
    pub fn preview_delete(&self, snap: SnapId) -> BlockResult<DeleteReport> {
        Ok(self.plan_delete(snap)?.report)
    }

    /// Deletes a snapshot (R-DEL-3): versions later snapshots still use move to the successor,
    /// the others leave the chain; stored bytes nothing needs any more are freed.
    pub fn delete_snapshot(&mut self, snap: SnapId) -> BlockResult<(DeleteReport, Effects)> {
        let plan = self.plan_delete(snap)?;
        let key = plan.report.chain.clone();
        let Some(removed) = self.snaps.remove(&snap) else {
            return Err(BlockError::SnapshotNotFound(snap));
        };
        self.dirty.snaps.insert(snap);
        self.dirty.snaps.extend(plan.report.successor);
        self.dirty.chain(&key);
        let old_succ_delta = match plan.report.successor.and_then(|n| self.snaps.get(&n)) {
            Some(n) => n.delta.clone(),
            None => RangeMap::new(),
        };
        if let Some(chain) = self.chains.get_mut(&key) {
            chain.snaps.remove(&snap);
            // Holder sets; chain membership changes net out to `plan.freed` (the capacity is
            // tracked by the same transitions).
            if let Some(n) = plan.report.successor {
                for (s, e, x) in old_succ_delta.iter() {
                    if let Some(x) = *x {
                        chain.remove(n, x, s, e);
                    }
                }
            }
            for (s, e, x) in removed.delta.iter() {
                if let Some(x) = *x {
                    chain.remove(snap, x, s, e);
                }
            }
            if let (Some(n), Some(new_delta)) = (plan.report.successor, &plan.new_succ_delta) {
                for (s, e, x) in new_delta.iter() {
                    if let Some(x) = *x {
                        chain.add(n, x, s, e);
                    }
                }
            }
        }
        if let (Some(n), Some(new_delta)) = (plan.report.successor, plan.new_succ_delta) {
            if let Some(sn) = self.snaps.get_mut(&n) {
                sn.delta = new_delta;
            }
        }
        let mut fx = Effects::default();
        for r in &plan.report.freed {
            self.refs_dec(r.version.extent, r.lba, r.lba + r.len, &mut fx);
        }
        let drop_chain = match (&key, self.chains.get(&key)) {
            (ChainKey::Volume(v), Some(c)) => c.snaps.is_empty() && !self.volumes.contains_key(v),
            (ChainKey::Copy { .. }, Some(c)) => c.snaps.is_empty(),
            _ => false,
        };
        if drop_chain {
            self.chains.remove(&key);
        }
        Ok((plan.report, fx))
    }

    fn plan_delete(&self, snap: SnapId) -> BlockResult<DeletePlan> {
        let s = self.snap(snap)?;
        let chain = self.chains.get(&s.chain).ok_or(BlockError::SnapshotNotFound(snap))?;
        let pred = chain.snaps.range(..snap).next_back().copied();
        let succ = chain.snaps.range(SnapId(snap.0.saturating_add(1))..).next().copied();
        let new_succ_delta = match succ.and_then(|n| self.snaps.get(&n)) {
            Some(n) => {
                let pred_map = match pred.and_then(|p| self.snaps.get(&p)) {
                    Some(p) => p.map.clone(),
                    None => BlockMap::empty(0),
                };
                let mut d = RangeMap::new();
                for (a, b, _, new) in pred_map.diff(&n.map) {
                    d.push_back(a, b, new);
                }
                Some(d)
            }
            None => None,
        };
        let mut freed = Vec::new();
        let mut moved = Vec::new();
        for (a, b, x) in s.delta.iter() {
            let Some(x) = *x else { continue };
            let Some(ext) = self.extents.get(&x) else { continue };
            let holders = chain.holders.get(&x);
            for (ps, pe, hs) in holders.map(|h| h.pieces(a, b)).unwrap_or_default() {
                // Sub-pieces by whether the successor's new delta keeps the version.
                let mut cuts: Vec<(u64, u64, bool)> = Vec::new();
                let mut pos = ps;
                if let (Some(nd), Some(_)) = (&new_succ_delta, succ) {
                    for (qs, qe, v) in nd.pieces(ps, pe) {
                        if v == Some(x) {
                            if qs > pos {
                                cuts.push((pos, qs, false));
                            }
                            cuts.push((qs, qe, true));
                            pos = qe;
                        }
                    }
                }
                if pos < pe {
                    cuts.push((pos, pe, false));
                }
                let was_owner = hs.first() == Some(&snap);
                for (cs, ce, kept_by_succ) in cuts {
                    let mut after: Vec<SnapId> = hs.iter().copied().filter(|h| *h != snap).collect();
                    if kept_by_succ {
                        if let Some(n) = succ {
                            if let Err(i) = after.binary_search(&n) {
                                after.insert(i, n);
                            }
                        }
                    }
                    let version = version_of(x, ext.lba, cs);
                    if after.is_empty() {
                        freed.push(RunInfo {
                            lba: cs,
                            len: ce - cs,
                            version,
                            owner: Some(snap),
                        });
                    } else if was_owner {
                        moved.push(MovedRun {
                            lba: cs,
                            len: ce - cs,
                            version,
                            new_owner: after[0],
                        });
                    }
                }
            }
        }
        // Physical effect: freed versions held by nothing else die; their contents go when no
        // other live version uses them.
        let mut dying: HashMap<ContentHash, u64> = HashMap::new();
        for r in &freed {
            let Some(ext) = self.extents.get(&r.version.extent) else {
                continue;
            };
            let ExtentKind::Blocks(list) = &ext.kind else { continue };
            for (ls, le, n) in ext.live.pieces(r.lba, r.lba + r.len) {
                if n != 1 {
                    continue;
                }
                for lba in ls..le {
                    if let Some(Content::Data(h)) = list.get((lba - ext.lba) as usize) {
                        *dying.entry(*h).or_insert(0) += 1;
                    }
                }
            }
        }
        let freed_contents = dying
            .iter()
            .filter(|(h, n)| self.contents.get(h).map(|c| c.refs) == Some(**n))
            .count() as u64;
        let before = chain.capacity;
        let after = before - freed.iter().map(|r| r.len).sum::<u64>();
        Ok(DeletePlan {
            new_succ_delta,
            report: DeleteReport {
                snapshot: snap,
                chain: s.chain.clone(),
                successor: succ,
                freed,
                moved,
                capacity_before_blocks: before,
                capacity_after_blocks: after,
                capacity_before_bytes: before * self.bs(),
                capacity_after_bytes: after * self.bs(),
                physical_freed_bytes: freed_contents * self.bs(),
            },
        })
    }
}

struct DeletePlan {
    new_succ_delta: Option<RangeMap<Slot>>,
    report: DeleteReport,
}
