//! The storage contract as tests, generic over [`Store`]: what every store
//! promises (see the trait's contracts), run natively against the memory store
//! (`engine/tests/store_memory.rs`) and in headless Chromium against IndexedDB
//! (`engine/tests/store_idb.rs`). Each function takes a fresh, empty store.
//!
//! Test support only (feature `testing`, on for the crate's own tests): a build of the engine
//! does not compile it. The fault suite that drives a whole session through a store is beside
//! the session (`session_faults`); `store_suite!` instantiates both for a store. Nothing here
//! knows the session or the world: a store is below them.

use super::pieces;
use super::{Store, Table, WriteBatch};
// The key layout's names for block contents (a leaf module: it imports nothing of the crate).
use crate::blocks::{HashAlgo, StoredBlock};

/// A deterministic block of `len` bytes, different for every `seed`.
pub fn block(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

fn keys(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Blocks written in one batch read back byte for byte; absent keys read as `None`.
pub async fn blocks_round_trip<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    for i in 0..16u64 {
        batch.put(Table::Blocks, format!("b{i:04}"), block(i, 4096));
    }
    store.commit(batch).await.expect("commit");
    let wanted: Vec<String> = (0..16u64)
        .map(|i| format!("b{i:04}"))
        .chain(["absent".into()])
        .collect();
    let got = store.get(Table::Blocks, &wanted).await.expect("get");
    assert_eq!(got.len(), 17);
    for i in 0..16u64 {
        assert_eq!(got[i as usize].as_deref(), Some(&block(i, 4096)[..]), "block {i}");
    }
    assert_eq!(got[16], None);
    assert_eq!(store.keys(Table::Blocks).await.expect("keys").len(), 16);
}

/// Ops of a batch apply in order: a later put or delete of the same key wins; tables are apart.
pub async fn batch_applies_in_order<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    batch
        .put(Table::Meta, "k", b"one".to_vec())
        .put(Table::Meta, "k", b"two".to_vec())
        .put(Table::Maps, "gone", b"x".to_vec())
        .delete(Table::Maps, "gone")
        .put(Table::Maps, "k", b"map".to_vec());
    store.commit(batch).await.expect("commit");
    let k = keys(&["k", "gone"]);
    assert_eq!(
        store.get(Table::Meta, &k).await.unwrap(),
        vec![Some(b"two".to_vec()), None]
    );
    assert_eq!(
        store.get(Table::Maps, &k).await.unwrap(),
        vec![Some(b"map".to_vec()), None]
    );
    assert!(store.get(Table::Blocks, &k).await.unwrap().iter().all(Option::is_none));
}

/// `keys` lists a table in ascending order; deletes remove keys; an empty commit changes nothing.
pub async fn keys_sorted_and_deletes<S: Store>(store: &S) {
    let mut batch = WriteBatch::new();
    for k in ["c", "a", "b", "d"] {
        batch.put(Table::Maps, k, k.as_bytes().to_vec());
    }
    store.commit(batch).await.unwrap();
    let mut batch = WriteBatch::new();
    batch.delete(Table::Maps, "b").delete(Table::Maps, "never-there");
    store.commit(batch).await.unwrap();
    store.commit(WriteBatch::new()).await.unwrap();
    assert_eq!(store.keys(Table::Maps).await.unwrap(), keys(&["a", "c", "d"]));
}

/// A started read returns the values as they were when it started, even though a commit that
/// deletes and overwrites them comes before it finishes (the session's read-ahead relies on
/// it). Block piece keys of both kinds (slot numbers and hashes, mixed) and other keys, in
/// groups larger than one read transaction; every key is listed back as it was written.
pub async fn started_reads_see_their_start<S: Store>(store: &S) {
    let hash = HashAlgo::NEW.hash(b"started");
    let mut names: Vec<String> = (0..600)
        .map(|i| match i % 2 {
            0 => pieces::hash_piece_key(&hash, i / 2),
            _ => pieces::piece_key(
                &StoredBlock {
                    slot: Some(i as u64),
                    hash,
                },
                i % 7,
            ),
        })
        .collect();
    names.push("plain".to_string());
    let mut batch = WriteBatch::new();
    for (i, k) in names.iter().enumerate() {
        batch.put(Table::Blocks, k.clone(), block(i as u64, 64));
    }
    store.commit(batch).await.unwrap();
    let mut listed = names.clone();
    listed.sort();
    assert_eq!(
        store.keys(Table::Blocks).await.unwrap(),
        listed,
        "keys come back as written"
    );
    let pending = store.start_get(Table::Blocks, &names).unwrap();
    let mut batch = WriteBatch::new();
    batch
        .delete(Table::Blocks, names[0].clone())
        .delete(Table::Blocks, names[1].clone())
        .delete(Table::Blocks, "plain");
    batch.put(Table::Blocks, names[599].clone(), block(9999, 64));
    store.commit(batch).await.unwrap();
    let got = store.finish_get(pending).await.unwrap();
    let expected: Vec<Option<Vec<u8>>> = (0..names.len()).map(|i| Some(block(i as u64, 64))).collect();
    assert!(got == expected, "a started read sees the state it started in");
    let now = store
        .get(Table::Blocks, &[names[0].clone(), names[1].clone(), names[599].clone()])
        .await
        .unwrap();
    assert_eq!(now, vec![None, None, Some(block(9999, 64))]);
    assert!(store.get(Table::Blocks, &[]).await.unwrap().is_empty());
}

/// Every table's every entry, for before/after comparisons.
pub async fn dump<S: Store>(store: &S) -> Vec<(Table, String, Vec<u8>)> {
    let mut out = Vec::new();
    for table in Table::ALL {
        let keys = store.keys(table).await.expect("keys");
        let values = store.get(table, &keys).await.expect("get");
        for (k, v) in keys.into_iter().zip(values) {
            out.push((table, k, v.expect("a listed key has a value")));
        }
    }
    out
}
