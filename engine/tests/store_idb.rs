//! The shared storage suite (the store contract and the session's fault suite) against the
//! IndexedDB store, in headless Chromium, and what only IndexedDB has (reopening by name, key
//! forms, schema upgrades, one store per database). Each test opens a fresh database and
//! deletes it afterwards.
#![cfg(target_arch = "wasm32")]

use snaplab_engine::session_faults;
use snaplab_engine::store::{idb::IdbStore, suite, Store, Table, WriteBatch};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database name no other test (or earlier run) uses.
fn fresh_name(test: &str) -> String {
    format!("snaplab-test-{test}-{}-{}", js_sys::Date::now(), js_sys::Math::random())
}

/// A fresh database for test `test`, checked empty.
async fn fresh_store(test: &str) -> IdbStore {
    let store = IdbStore::open(&fresh_name(test)).await.expect("open a fresh database");
    assert!(
        store.keys(Table::Blocks).await.expect("keys").is_empty(),
        "fresh database is empty"
    );
    store
}

/// Closes and deletes a test's database.
async fn close_and_delete(store: IdbStore) {
    let name = store.name().to_string();
    store.close();
    IdbStore::delete(&name).await.expect("delete the database");
}

snaplab_engine::store_suite!(fresh_store, close_and_delete);

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

/// A world stored before slots keeps working (the suite's `worlds_stored_before_slots_keep_working`,
/// run again here to look at the database afterwards): in IndexedDB its old blocks stay under
/// binary hash keys and the block written since is under a number key.
#[wasm_bindgen_test]
async fn worlds_stored_before_slots_keep_their_key_forms() {
    use wasm_bindgen::JsCast;
    let name = fresh_name("before-slots");
    let store = IdbStore::open(&name).await.expect("open");
    session_faults::worlds_stored_before_slots_keep_working(store)
        .await
        .close();
    let raw = raw_block_keys(&name).await;
    let numbers = raw.iter().filter(|k| k.as_f64().is_some()).count();
    let binary = raw.iter().filter(|k| k.is_instance_of::<js_sys::ArrayBuffer>()).count();
    // B, C, D and X under their hashes (A was freed), Y under its slot.
    assert_eq!((numbers, binary, raw.len()), (1, 4, 5), "{raw:?}");
    IdbStore::delete(&name).await.expect("delete");
}

/// The keys of database `name`'s block table as IndexedDB holds them (strings, numbers or
/// binary), read past the store.
async fn raw_block_keys(name: &str) -> Vec<wasm_bindgen::JsValue> {
    use idb::{Factory, TransactionMode};
    use snaplab_engine::store::idb::SCHEMA_VERSION;
    let db = Factory::new()
        .expect("factory")
        .open(name, Some(SCHEMA_VERSION))
        .expect("open")
        .await
        .expect("db");
    let tx = db.transaction(&["blocks"], TransactionMode::ReadOnly).expect("tx");
    let raw = tx
        .object_store("blocks")
        .expect("blocks")
        .get_all_keys(None, None)
        .expect("keys")
        .await
        .expect("raw keys");
    db.close();
    raw
}

/// One store per database at a time: a second open of a database that is open fails with
/// `InUse` (two sessions would give the same slots to different blocks), and succeeds once the
/// first is closed — or dropped. Other databases are not affected.
#[wasm_bindgen_test]
async fn a_database_opens_once_at_a_time() {
    use snaplab_engine::store::StoreError;
    let name = fresh_name("once");
    let first = IdbStore::open(&name).await.expect("open");
    assert_eq!(IdbStore::open(&name).await.err(), Some(StoreError::InUse));
    let other = IdbStore::open(&fresh_name("other"))
        .await
        .expect("another database opens");
    let mut batch = WriteBatch::new();
    batch.put(Table::Meta, "k", vec![1]);
    first.commit(batch).await.expect("the first store still works");
    first.close();
    let second = IdbStore::open(&name).await.expect("opens once the first is closed");
    assert_eq!(
        second.get(Table::Meta, &["k".to_string()]).await.expect("get"),
        vec![Some(vec![1])]
    );
    drop(second);
    let third = IdbStore::open(&name).await.expect("opens once the second is dropped");
    let other_name = other.name().to_string();
    third.close();
    other.close();
    IdbStore::delete(&name).await.expect("delete");
    IdbStore::delete(&other_name).await.expect("delete");
}

/// A database of schema 1 (block piece keys as strings) upgrades to schema 2 when it is
/// opened: every piece moves to its binary key with its bytes, other keys stay strings, and
/// the store reads and lists everything under the same keys as before.
#[wasm_bindgen_test]
async fn schema_1_upgrades_to_binary_block_keys() {
    use idb::{Factory, ObjectStoreParams, TransactionMode};
    use snaplab_engine::store::pieces;
    use wasm_bindgen::{JsCast, JsValue};
    let name = fresh_name("upgrade");
    let hash = snaplab_engine::blocks::HashAlgo::NEW.hash(b"upgrade");
    let (piece0, piece1) = (pieces::hash_piece_key(&hash, 0), pieces::hash_piece_key(&hash, 12));
    let entries = [
        (piece0.clone(), suite::block(1, 4096)),
        (piece1.clone(), suite::block(2, 100)),
        ("legacy".to_string(), suite::block(3, 10)),
    ];
    // Schema 1, written as the build of schema 1 did.
    let factory = Factory::new().expect("factory");
    let mut open = factory.open(&name, Some(1)).expect("open v1");
    open.on_upgrade_needed(|event| {
        let db = idb::Event::target(&event).and_then(|r| r.database()).expect("db");
        for t in Table::ALL {
            db.create_object_store(t.name(), ObjectStoreParams::new())
                .expect("store");
        }
    });
    let db = open.await.expect("v1");
    let tx = db
        .transaction(&["blocks", "meta"], TransactionMode::ReadWrite)
        .expect("tx");
    let blocks = tx.object_store("blocks").expect("blocks");
    for (k, v) in &entries {
        blocks
            .put(
                &js_sys::Uint8Array::from(v.as_slice()).into(),
                Some(&JsValue::from_str(k)),
            )
            .expect("put");
    }
    let meta = tx.object_store("meta").expect("meta");
    meta.put(
        &js_sys::Uint8Array::from(&b"{}"[..]).into(),
        Some(&JsValue::from_str("world")),
    )
    .expect("put");
    assert!(tx.commit().expect("commit").await.expect("committed").is_committed());
    db.close();

    let store = IdbStore::open(&name).await.expect("open upgrades");
    let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    keys.sort();
    assert_eq!(store.keys(Table::Blocks).await.expect("keys"), keys);
    let got = store.get(Table::Blocks, &keys).await.expect("get");
    for (k, v) in &entries {
        assert_eq!(got[keys.iter().position(|x| x == k).unwrap()].as_ref(), Some(v), "{k}");
    }
    assert_eq!(
        store.keys(Table::Meta).await.expect("meta keys"),
        vec!["world".to_string()]
    );
    store.close();

    // What IndexedDB holds now: the pieces under binary keys, the rest as strings.
    let raw = raw_block_keys(&name).await;
    assert_eq!(
        raw.iter()
            .filter(|k| k.as_string().as_deref() == Some("legacy"))
            .count(),
        1
    );
    let binary: Vec<Vec<u8>> = raw
        .iter()
        .filter_map(|k| {
            k.dyn_ref::<js_sys::ArrayBuffer>()
                .map(|b| js_sys::Uint8Array::new(b).to_vec())
        })
        .collect();
    assert_eq!(binary.len(), 2, "both pieces moved: {raw:?}");
    assert!(binary.iter().all(|b| pieces::key_of_binary(b).is_some()));
    IdbStore::delete(&name).await.expect("delete");
}
