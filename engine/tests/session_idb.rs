//! The engine end to end in headless Chromium: a session over the IndexedDB store runs the
//! R-INC-3 / R-DEL-4 example, and the world reopens from the database exactly as it was.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use snaplab_engine::session::Session;
use snaplab_engine::store::idb::IdbStore;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn ok(s: &mut Session<IdbStore>, line: &str) -> Value {
    let r = s.exec_line(line).await.expect("a command");
    assert!(!r.is_error, "{line} → {}", r.body);
    r.body
}

// R-INC-3, R-DEL-4, R-DEL-5 with real blocks in IndexedDB; the world survives a reopen.
#[wasm_bindgen_test]
async fn worked_example_persists_in_indexeddb() {
    let name = format!("snaplab-session-{}-{}", js_sys::Date::now(), js_sys::Math::random());
    let mut s = Session::open(IdbStore::open(&name).await.expect("open"))
        .await
        .expect("session");
    let script = include_str!("../scripts/r-inc-3.snaplab");
    let mut sizes = Vec::new();
    let mut sums = Vec::new();
    for line in script.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let r = ok(&mut s, line).await;
        if let Some(size) = r["SnapshotLinks"]["SnapshotLink"][0]["TotalSize"].as_u64() {
            sizes.push(size);
        }
        if let Some(sum) = r["Checksum"].as_str() {
            sums.push(sum.to_string());
        }
    }
    assert_eq!(sizes, vec![4 * 4096, 6 * 4096, 7 * 4096, 6 * 4096]);
    assert_eq!(sums.len(), 2);
    assert_eq!(sums[0], sums[1]);
    let shown = ok(&mut s, "snaplab world show").await;
    let disk = "d-bp1o28qspnegn49xilg1";
    let block1 = ok(&mut s, &format!("snaplab guest read --DiskId {disk} --Block 1")).await;
    assert_eq!(block1["Text"], "B2");

    // Close, reopen by name: the clock, the resources and the blocks are all there.
    s.into_store().close();
    let store = IdbStore::open(&name).await.expect("reopen");
    let mut again = Session::open(store).await.expect("session");
    let reopened = ok(&mut again, "snaplab world show").await;
    for key in [
        "Now",
        "Seed",
        "BlockSize",
        "Instances",
        "Disks",
        "Snapshots",
        "StoredBytes",
    ] {
        assert_eq!(reopened[key], shown[key], "{key}");
    }
    assert_eq!(
        ok(&mut again, &format!("snaplab guest read --DiskId {disk} --Block 1")).await["Text"],
        "B2"
    );
    let s3 = ok(
        &mut again,
        "snaplab snapshot checksum --SnapshotId s-bp1sjrwvqikwr8sv2w53",
    )
    .await;
    assert_eq!(s3["Checksum"], sums[1].as_str());
    again.into_store().close();
    IdbStore::delete(&name).await.expect("delete the database");
}

// Blocks of the default 1 MiB are stored in 32 KiB pieces without their zeros, and read back
// whole, also after the database is reopened.
#[wasm_bindgen_test]
async fn large_blocks_are_stored_in_pieces_without_zeros() {
    use snaplab_engine::store::{pieces::PIECE_BYTES, suite::block, Store, Table};
    let name = format!("snaplab-pieces-{}-{}", js_sys::Date::now(), js_sys::Math::random());
    let mut s = Session::open(IdbStore::open(&name).await.expect("open"))
        .await
        .expect("session");
    ok(&mut s, "snaplab service activate").await;
    let run = ok(&mut s, snaplab_engine::session_faults::RUN_WITH_DATA_DISK).await;
    let instance = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
    ok(&mut s, "snaplab clock run-until-idle").await;
    let disks = ok(
        &mut s,
        &format!("aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {instance} --DiskType data"),
    )
    .await;
    let disk = disks["Disks"]["Disk"][0]["DiskId"].as_str().unwrap().to_string();
    assert_eq!(s.world().block_size(), 1 << 20);
    // Block 0: mostly zeros (100 bytes at its start, 100 bytes 600 KiB in); block 1: all bytes.
    let mut data = vec![0u8; 2 << 20];
    data[..100].copy_from_slice(&block(1, 100));
    data[600 << 10..(600 << 10) + 100].copy_from_slice(&block(2, 100));
    data[1 << 20..].copy_from_slice(&block(3, 1 << 20));
    s.write_disk(&disk, 0, &data).await.expect("written");
    let keys = s.store().keys(Table::Blocks).await.expect("keys");
    let values = s.store().get(Table::Blocks, &keys).await.expect("values");
    let stored: usize = values.iter().flatten().map(Vec::len).sum();
    // Block 1: 32 full pieces; block 0: piece 0 (100 bytes) and the piece 600 KiB falls in.
    assert_eq!(keys.len(), 32 + 2, "pieces stored: {keys:?}");
    assert!(values.iter().flatten().all(|v| v.len() <= PIECE_BYTES));
    assert_eq!(stored, (1 << 20) + 100 + ((600 << 10) % PIECE_BYTES + 100));
    s.into_store().close();
    let mut again = Session::open(IdbStore::open(&name).await.expect("reopen"))
        .await
        .expect("session");
    let back = again.read(&disk, 0, 2 << 20).await.expect("read");
    assert!(back == data, "the blocks read back whole");
    again.into_store().close();
    IdbStore::delete(&name).await.expect("delete");
}
