//! The stored contents' table, shaped to be cloned cheaply.
//!
//! The session keeps a copy of the world while a command runs (to put it back if the command
//! fails), so cloning the engine must not cost what the engine holds. This table has an entry
//! per distinct stored block — the engine's largest — so it is split into [`SHARDS`] maps by
//! the hash's first byte, each behind an `Arc`: a clone copies [`SHARDS`] pointers, and a
//! change copies only the shards it touches while a clone shares them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::ContentHash;

/// How many maps the table is split into.
pub(super) const SHARDS: usize = 64;

/// A stored content: how many live versions use it, and where its bytes are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stored {
    pub refs: u64,
    /// See [`super::StoredBlock`].
    pub slot: Option<u64>,
}

/// Stored contents by hash, iterated in hash order.
#[derive(Clone, Debug)]
pub(super) struct ContentMap {
    shards: Vec<Arc<BTreeMap<ContentHash, Stored>>>,
    len: usize,
}

impl Default for ContentMap {
    fn default() -> Self {
        ContentMap {
            shards: (0..SHARDS).map(|_| Arc::default()).collect(),
            len: 0,
        }
    }
}

/// The shard of a hash: its first byte's top bits, so shards in order are hashes in order.
fn shard(h: &ContentHash) -> usize {
    h.0[0] as usize * SHARDS / 256
}

impl ContentMap {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn get(&self, h: &ContentHash) -> Option<&Stored> {
        self.shards[shard(h)].get(h)
    }

    /// The entry of `h`, to change (its shard is copied first if a clone shares it).
    pub fn get_mut(&mut self, h: &ContentHash) -> Option<&mut Stored> {
        let map = &mut self.shards[shard(h)];
        if !map.contains_key(h) {
            return None;
        }
        Arc::make_mut(map).get_mut(h)
    }

    /// The entry of `h`, inserted as `new` if absent.
    pub fn get_or_insert(&mut self, h: ContentHash, new: Stored) -> &mut Stored {
        let map = Arc::make_mut(&mut self.shards[shard(&h)]);
        let len = &mut self.len;
        map.entry(h).or_insert_with(|| {
            *len += 1;
            new
        })
    }

    pub fn remove(&mut self, h: &ContentHash) -> Option<Stored> {
        let map = &mut self.shards[shard(h)];
        if !map.contains_key(h) {
            return None;
        }
        let gone = Arc::make_mut(map).remove(h);
        self.len -= usize::from(gone.is_some());
        gone
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ContentHash, &Stored)> {
        self.shards.iter().flat_map(|m| m.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &ContentHash> {
        self.iter().map(|(h, _)| h)
    }

    pub fn values(&self) -> impl Iterator<Item = &Stored> {
        self.iter().map(|(_, s)| s)
    }
}

impl FromIterator<(ContentHash, Stored)> for ContentMap {
    fn from_iter<I: IntoIterator<Item = (ContentHash, Stored)>>(items: I) -> Self {
        let mut map = ContentMap::default();
        for (h, s) in items {
            *map.get_or_insert(h, s) = s;
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(first: u8, last: u8) -> ContentHash {
        let mut b = [0u8; 32];
        b[0] = first;
        b[31] = last;
        ContentHash(b)
    }

    #[test]
    fn a_clone_shares_until_a_change_and_iterates_in_hash_order() {
        let mut a: ContentMap = [
            (h(200, 1), Stored { refs: 1, slot: Some(3) }),
            (h(3, 2), Stored { refs: 2, slot: None }),
        ]
        .into_iter()
        .collect();
        assert_eq!(a.len(), 2);
        let b = a.clone();
        a.get_mut(&h(200, 1)).expect("present").refs = 5;
        a.get_or_insert(h(3, 9), Stored { refs: 1, slot: Some(4) });
        assert_eq!(a.remove(&h(3, 2)).map(|s| s.refs), Some(2));
        assert_eq!(a.remove(&h(3, 2)), None);
        assert_eq!(b.get(&h(200, 1)).map(|s| s.refs), Some(1), "the clone is unchanged");
        assert_eq!(b.len(), 2);
        assert_eq!(a.len(), 2);
        assert_eq!(a.keys().copied().collect::<Vec<_>>(), vec![h(3, 9), h(200, 1)]);
        assert!(a.get_mut(&h(7, 7)).is_none());
        // Untouched shards stay shared.
        assert!(Arc::ptr_eq(&a.shards[shard(&h(100, 0))], &b.shards[shard(&h(100, 0))]));
    }
}
