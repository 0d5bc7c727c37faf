//! A plain (non-persistent) interval map: non-overlapping half-open ranges → value, adjacent equal
//! values merged. Used for snapshot deltas, per-chain holder sets and per-extent live counts.

use std::collections::BTreeMap;

/// Non-overlapping segments `start → (end, value)`; adjacent segments never hold equal values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RangeMap<V> {
    segs: BTreeMap<u64, (u64, V)>,
}

impl<V> Default for RangeMap<V> {
    fn default() -> Self {
        RangeMap { segs: BTreeMap::new() }
    }
}

impl<V: Clone + PartialEq> RangeMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.segs.is_empty()
    }

    /// All segments in order as `(start, end, value)`.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64, &V)> + '_ {
        self.segs.iter().map(|(&s, (e, v))| (s, *e, v))
    }

    /// The value at `pos`.
    pub fn get(&self, pos: u64) -> Option<&V> {
        let (_, (end, v)) = self.segs.range(..=pos).next_back()?;
        if *end > pos {
            Some(v)
        } else {
            None
        }
    }

    /// Segments overlapping `[start, end)`, clipped to it.
    pub fn pieces(&self, start: u64, end: u64) -> Vec<(u64, u64, V)> {
        let mut out = Vec::new();
        if start >= end {
            return out;
        }
        if let Some((&s, (e, v))) = self.segs.range(..start).next_back() {
            if *e > start {
                out.push((start, (*e).min(end), v.clone()));
            }
            let _ = s;
        }
        for (&s, (e, v)) in self.segs.range(start..end) {
            out.push((s, (*e).min(end), v.clone()));
        }
        out
    }

    /// Appends a segment after every existing one (merging with the last if adjacent and equal).
    pub fn push_back(&mut self, start: u64, end: u64, value: V) {
        if start >= end {
            return;
        }
        if let Some((&ls, (le, lv))) = self.segs.iter_mut().next_back() {
            debug_assert!(*le <= start);
            if *le == start && *lv == value {
                *le = end;
                let _ = ls;
                return;
            }
        }
        self.segs.insert(start, (end, value));
    }

    fn split_at(&mut self, pos: u64) {
        let found = self
            .segs
            .range(..pos)
            .next_back()
            .map(|(&s, (e, v))| (s, *e, v.clone()));
        if let Some((s, e, v)) = found {
            if e > pos {
                self.segs.insert(s, (pos, v.clone()));
                self.segs.insert(pos, (e, v));
            }
        }
    }

    fn merge_at(&mut self, pos: u64) {
        let right = match self.segs.get(&pos) {
            Some((e, v)) => (*e, v.clone()),
            None => return,
        };
        let left = self
            .segs
            .range(..pos)
            .next_back()
            .map(|(&s, (e, v))| (s, *e, v.clone()));
        if let Some((ls, le, lv)) = left {
            if le == pos && lv == right.1 {
                self.segs.remove(&pos);
                self.segs.insert(ls, (right.0, lv));
            }
        }
    }

    /// Rewrites `[start, end)`: `f(piece_start, piece_end, old)` is called for every piece (gaps
    /// included, with `None`) in order and returns the new value (`None` = gap).
    pub fn update(&mut self, start: u64, end: u64, mut f: impl FnMut(u64, u64, Option<&V>) -> Option<V>) {
        if start >= end {
            return;
        }
        self.split_at(start);
        self.split_at(end);
        let old: Vec<(u64, u64, V)> = self
            .segs
            .range(start..end)
            .map(|(&s, (e, v))| (s, *e, v.clone()))
            .collect();
        for (s, _, _) in &old {
            self.segs.remove(s);
        }
        let mut new: Vec<(u64, u64, V)> = Vec::new();
        let push = |s: u64, e: u64, v: Option<V>, new: &mut Vec<(u64, u64, V)>| {
            if let Some(v) = v {
                if let Some(last) = new.last_mut() {
                    if last.1 == s && last.2 == v {
                        last.1 = e;
                        return;
                    }
                }
                new.push((s, e, v));
            }
        };
        let mut pos = start;
        for (s, e, v) in &old {
            if *s > pos {
                let nv = f(pos, *s, None);
                push(pos, *s, nv, &mut new);
            }
            let nv = f(*s, *e, Some(v));
            push(*s, *e, nv, &mut new);
            pos = *e;
        }
        if pos < end {
            let nv = f(pos, end, None);
            push(pos, end, nv, &mut new);
        }
        for (s, e, v) in new {
            self.segs.insert(s, (e, v));
        }
        self.merge_at(start);
        self.merge_at(end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_splits_and_merges() {
        let mut m: RangeMap<u32> = RangeMap::new();
        m.update(0, 10, |_, _, _| Some(1));
        m.update(3, 5, |_, _, v| Some(v.copied().unwrap_or(0) + 1));
        assert_eq!(
            m.iter().map(|(s, e, v)| (s, e, *v)).collect::<Vec<_>>(),
            vec![(0, 3, 1), (3, 5, 2), (5, 10, 1)]
        );
        m.update(3, 5, |_, _, v| v.map(|v| v - 1));
        assert_eq!(
            m.iter().map(|(s, e, v)| (s, e, *v)).collect::<Vec<_>>(),
            vec![(0, 10, 1)]
        );
        m.update(8, 12, |_, _, _| None);
        assert_eq!(m.get(7), Some(&1));
        assert_eq!(m.get(8), None);
        assert_eq!(m.pieces(5, 20), vec![(5, 8, 1)]);
    }
}
