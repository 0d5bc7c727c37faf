//! The shared storage suite against the IndexedDB store, in headless Chromium.
//! Each test opens a fresh database and deletes it afterwards.
#![cfg(target_arch = "wasm32")]

use snaplab_engine::store::{idb::IdbStore, suite, Store, Table, WriteBatch};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test (or earlier run) uses.
fn fresh_name(test: &str) -> String {
    format!("snaplab-test-{test}-{}-{}", js_sys::Date::now(), js_sys::Math::random())
}

async fn with_fresh_store<F, Fut>(test: &str, body: F)
where
    F: FnOnce(IdbStore) -> Fut,
    Fut: std::future::Future<Output = IdbStore>,
{
    let name = fresh_name(test);
    let store = IdbStore::open(&name).await.expect("open a fresh database");
    assert!(
        store.keys(Table::Blocks).await.expect("keys").is_empty(),
        "fresh database is empty"
    );
    let store = body(store).await;
    store.close();
    IdbStore::delete(&name).await.expect("delete the database");
}

#[wasm_bindgen_test]
async fn blocks_round_trip() {
    with_fresh_store("round-trip", |s| async {
        suite::blocks_round_trip(&s).await;
        s
    })
    .await;
}

#[wasm_bindgen_test]
async fn batch_applies_in_order() {
    with_fresh_store("order", |s| async {
        suite::batch_applies_in_order(&s).await;
        s
    })
    .await;
}

#[wasm_bindgen_test]
async fn keys_sorted_and_deletes() {
    with_fresh_store("keys", |s| async {
        suite::keys_sorted_and_deletes(&s).await;
        s
    })
    .await;
}

/// Blocks written before closing the database read back after reopening it by name.
#[wasm_bindgen_test]
async fn blocks_survive_reopen() {
    let name = fresh_name("reopen");
    let store = IdbStore::open(&name).await.expect("open");
    let mut batch = WriteBatch::new();
    batch
        .put(Table::Blocks, "b0", suite::block(7, 65536))
        .put(Table::Meta, "world", b"{}".to_vec());
    store.commit(batch).await.expect("commit");
    store.close();

    let store = IdbStore::open(&name).await.expect("reopen");
    let got = store.get(Table::Blocks, &["b0".to_string()]).await.expect("get");
    assert_eq!(got, vec![Some(suite::block(7, 65536))]);
    assert_eq!(store.keys(Table::Meta).await.expect("keys"), vec!["world".to_string()]);
    store.close();
    IdbStore::delete(&name).await.expect("delete");
}

/// Interrupted operations leave no trace: the IndexedDB transaction is aborted at every write
/// position of a write, a fill, a snapshot and a deletion.
#[wasm_bindgen_test]
async fn interrupted_operations_leave_no_trace() {
    let name = fresh_name("faults");
    let store = IdbStore::open(&name).await.expect("open");
    suite::interrupted(store).await.close();
    IdbStore::delete(&name).await.expect("delete");
}
