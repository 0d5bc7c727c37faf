//! The one storage test suite, run against every [`Store`](super::Store): natively against
//! the memory store (`engine/tests/store_memory.rs`) and in headless Chromium against IndexedDB
//! (`engine/tests/store_idb.rs`). Each function takes a fresh, empty store.

use super::{Store, Table, WriteBatch};

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
