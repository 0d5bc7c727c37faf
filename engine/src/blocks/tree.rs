//! The persistent block map: LBA → extent, as a copy-on-write radix tree over the LBA space.
//!
//! Every node covers an aligned LBA range. A node is either *flat* (every LBA in its range maps to
//! the same slot: a 122 GiB fill is a handful of flat nodes), a *leaf* of 64 slots, or an *inner*
//! node of 16 children. Nodes are shared through `Arc`, so cloning a map is O(1) and an update
//! copies only the O(depth × fan-out) nodes on the paths it touches. Comparing two maps skips
//! every shared subtree (`Arc::ptr_eq`), so a diff costs O(what differs), not O(disk size).

use std::sync::Arc;

use super::ExtentId;

/// What one LBA maps to: the extent whose version lives there, or nothing (never written).
pub(crate) type Slot = Option<ExtentId>;

const LEAF_BITS: u32 = 6;
const LEAF: usize = 1 << LEAF_BITS;
const FAN_BITS: u32 = 4;
const FAN: usize = 1 << FAN_BITS;

fn span(level: u32) -> u64 {
    1u64 << (LEAF_BITS + FAN_BITS * level)
}

#[derive(Clone, Debug)]
enum Node {
    Flat(Slot),
    Leaf(Arc<[Slot; LEAF]>),
    Inner(Arc<[Node; FAN]>),
}

impl Node {
    fn same(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Flat(a), Node::Flat(b)) => a == b,
            (Node::Leaf(a), Node::Leaf(b)) => Arc::ptr_eq(a, b),
            (Node::Inner(a), Node::Inner(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    fn get(&self, level: u32, base: u64, lba: u64) -> Slot {
        match self {
            Node::Flat(s) => *s,
            Node::Leaf(a) => a[(lba - base) as usize],
            Node::Inner(c) => {
                let child_span = span(level - 1);
                let i = ((lba - base) / child_span) as usize;
                c[i].get(level - 1, base + i as u64 * child_span, lba)
            }
        }
    }

    /// Calls `f(start, end, slot)` for the pieces of `[from, to)` (not coalesced).
    fn pieces(&self, level: u32, base: u64, from: u64, to: u64, f: &mut dyn FnMut(u64, u64, Slot)) {
        let end = base + span(level);
        let (s, e) = (from.max(base), to.min(end));
        if s >= e {
            return;
        }
        match self {
            Node::Flat(slot) => f(s, e, *slot),
            Node::Leaf(a) => {
                for lba in s..e {
                    f(lba, lba + 1, a[(lba - base) as usize]);
                }
            }
            Node::Inner(c) => {
                let cs = span(level - 1);
                for (i, child) in c.iter().enumerate() {
                    let cb = base + i as u64 * cs;
                    if cb < e && cb + cs > s {
                        child.pieces(level - 1, cb, s, e, f);
                    }
                }
            }
        }
    }

    fn set(&self, level: u32, base: u64, from: u64, to: u64, val: Slot, old: &mut dyn FnMut(u64, u64, Slot)) -> Node {
        let end = base + span(level);
        let (s, e) = (from.max(base), to.min(end));
        if s >= e {
            return self.clone();
        }
        if s == base && e == end {
            self.pieces(level, base, s, e, old);
            return Node::Flat(val);
        }
        if level == 0 {
            let mut arr: [Slot; LEAF] = match self {
                Node::Flat(x) => [*x; LEAF],
                Node::Leaf(a) => **a,
                Node::Inner(_) => [None; LEAF], // unreachable by construction
            };
            for lba in s..e {
                let i = (lba - base) as usize;
                old(lba, lba + 1, arr[i]);
                arr[i] = val;
            }
            if arr.iter().all(|x| *x == arr[0]) {
                return Node::Flat(arr[0]);
            }
            return Node::Leaf(Arc::new(arr));
        }
        let mut children: [Node; FAN] = match self {
            Node::Flat(x) => std::array::from_fn(|_| Node::Flat(*x)),
            Node::Inner(c) => (**c).clone(),
            Node::Leaf(_) => std::array::from_fn(|_| Node::Flat(None)), // unreachable by construction
        };
        let cs = span(level - 1);
        for (i, child) in children.iter_mut().enumerate() {
            let cb = base + i as u64 * cs;
            if cb < e && cb + cs > s {
                *child = child.set(level - 1, cb, s, e, val, old);
            }
        }
        if let Node::Flat(first) = &children[0] {
            let first = *first;
            if children.iter().all(|c| matches!(c, Node::Flat(x) if *x == first)) {
                return Node::Flat(first);
            }
        }
        Node::Inner(Arc::new(children))
    }

    fn diff(a: &Node, b: &Node, level: u32, base: u64, f: &mut dyn FnMut(u64, u64, Slot, Slot)) {
        if a.same(b) {
            return;
        }
        match (a, b) {
            (Node::Flat(x), Node::Flat(y)) => f(base, base + span(level), *x, *y),
            _ if level == 0 => {
                for i in 0..LEAF {
                    let (x, y) = (leaf_slot(a, i), leaf_slot(b, i));
                    if x != y {
                        let lba = base + i as u64;
                        f(lba, lba + 1, x, y);
                    }
                }
            }
            _ => {
                let cs = span(level - 1);
                for i in 0..FAN {
                    let cb = base + i as u64 * cs;
                    match (a, b) {
                        (Node::Inner(x), Node::Inner(y)) => Node::diff(&x[i], &y[i], level - 1, cb, f),
                        (Node::Inner(x), Node::Flat(s)) => Node::diff(&x[i], &Node::Flat(*s), level - 1, cb, f),
                        (Node::Flat(s), Node::Inner(y)) => Node::diff(&Node::Flat(*s), &y[i], level - 1, cb, f),
                        _ => {}
                    }
                }
            }
        }
    }
}

fn leaf_slot(n: &Node, i: usize) -> Slot {
    match n {
        Node::Flat(s) => *s,
        Node::Leaf(a) => a[i],
        Node::Inner(_) => None,
    }
}

fn push_run(out: &mut Vec<(u64, u64, Slot)>, s: u64, e: u64, v: Slot) {
    if let Some(last) = out.last_mut() {
        if last.1 == s && last.2 == v {
            last.1 = e;
            return;
        }
    }
    out.push((s, e, v));
}

/// A persistent LBA → extent map (cheap to clone, structurally shared).
#[derive(Clone, Debug)]
pub(crate) struct BlockMap {
    root: Node,
    level: u32,
}

/// A difference between two maps over `[start, end)`: `old` in the first, `new` in the second.
pub(crate) type DiffRun = (u64, u64, Slot, Slot);

impl BlockMap {
    /// An empty map able to hold `size` LBAs.
    pub fn empty(size: u64) -> BlockMap {
        let mut m = BlockMap {
            root: Node::Flat(None),
            level: 0,
        };
        m.grow_to(size);
        m
    }

    /// Number of LBAs the tree can address (≥ the volume size).
    pub fn capacity(&self) -> u64 {
        span(self.level)
    }

    /// Makes the tree able to address `size` LBAs (new LBAs are empty).
    pub fn grow_to(&mut self, size: u64) {
        while span(self.level) < size {
            if !matches!(self.root, Node::Flat(None)) {
                let mut children: [Node; FAN] = std::array::from_fn(|_| Node::Flat(None));
                children[0] = self.root.clone();
                self.root = Node::Inner(Arc::new(children));
            }
            self.level += 1;
        }
    }

    pub fn get(&self, lba: u64) -> Slot {
        if lba >= self.capacity() {
            return None;
        }
        self.root.get(self.level, 0, lba)
    }

    /// Maps `[from, to)` to `val`; returns the coalesced runs it replaced.
    pub fn set(&mut self, from: u64, to: u64, val: Slot) -> Vec<(u64, u64, Slot)> {
        self.grow_to(to);
        let mut old = Vec::new();
        self.root = self
            .root
            .set(self.level, 0, from, to, val, &mut |s, e, v| push_run(&mut old, s, e, v));
        old
    }

    /// Coalesced runs of `[from, to)` (empty runs included as `None`).
    pub fn runs(&self, from: u64, to: u64) -> Vec<(u64, u64, Slot)> {
        let mut out = Vec::new();
        let to = to.min(self.capacity());
        self.root
            .pieces(self.level, 0, from, to, &mut |s, e, v| push_run(&mut out, s, e, v));
        out
    }

    /// Coalesced non-empty runs of the whole map.
    pub fn used_runs(&self) -> Vec<(u64, u64, super::ExtentId)> {
        self.runs(0, self.capacity())
            .into_iter()
            .filter_map(|(s, e, v)| v.map(|x| (s, e, x)))
            .collect()
    }

    /// Where `self` and `other` differ, coalesced, in LBA order. Shared subtrees are skipped.
    pub fn diff(&self, other: &BlockMap) -> Vec<DiffRun> {
        let (mut a, mut b) = (self.clone(), other.clone());
        let cap = a.capacity().max(b.capacity());
        a.grow_to(cap);
        b.grow_to(cap);
        let mut out: Vec<DiffRun> = Vec::new();
        Node::diff(&a.root, &b.root, a.level, 0, &mut |s, e, x, y| {
            if let Some(last) = out.last_mut() {
                if last.1 == s && last.2 == x && last.3 == y {
                    last.1 = e;
                    return;
                }
            }
            out.push((s, e, x, y));
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_diff() {
        let mut m = BlockMap::empty(100);
        let e1 = Some(ExtentId(1));
        let e2 = Some(ExtentId(2));
        assert!(m.set(0, 100, e1).iter().all(|r| r.2.is_none()));
        let snap = m.clone();
        let old = m.set(10, 12, e2);
        assert_eq!(old, vec![(10, 12, e1)]);
        assert_eq!(m.get(9), e1);
        assert_eq!(m.get(10), e2);
        assert_eq!(snap.get(10), e1);
        assert_eq!(snap.diff(&m), vec![(10, 12, e1, e2)]);
        m.grow_to(1 << 30);
        m.set(1 << 29, (1 << 29) + 5, e2);
        assert_eq!(
            snap.diff(&m),
            vec![(10, 12, e1, e2), (1 << 29, (1 << 29) + 5, None, e2)]
        );
        assert_eq!(m.used_runs().len(), 4);
    }
}
