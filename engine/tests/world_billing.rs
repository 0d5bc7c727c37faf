//! The billing estimate (R-BIL-1): the worked example of a region, a chain and its snapshots,
//! and what a deletion saves (`snaplab billing estimate`, `snaplab snapshot delete-preview`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ};
use serde_json::json;

const GIB: u64 = 1 << 30;

// R-BIL-1: a worked example. 1 MiB blocks; S1 holds 7 GiB, S2 rewrites 1 GiB of it.
// Region capacity 8 GiB → billable 3 GiB (5 GB free) → $0.06/month, $0.000083/hour, $0.002/day.
// S1 owns 7 GiB ($0.14 at list price), S2 1 GiB ($0.02). Deleting S1 frees the 1 GiB S2
// rewrote: 8 → 7 GiB, $0.06 → $0.04, a saving of $0.02/month.
#[test]
fn r_bil_1_worked_example() {
    let mut t = World::seeded(7, 1 << 20);
    let vm = t.vm(HZ, "");
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 0 --Blocks 7168",
        vm.data
    ));
    let s1 = t.finished_snapshot(&vm.data, "");
    t.ok(&format!(
        "snaplab guest fill --DiskId {} --FromBlock 0 --Blocks 1024 --Seed 2",
        vm.data
    ));
    let s2 = t.finished_snapshot(&vm.data, "");
    assert_eq!(t.region_size(HZ), 8 * GIB);

    let r = t.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    let region = &r["Regions"][0];
    assert_eq!(region["CapacityBytes"], 8 * GIB);
    assert_eq!(region["FreeBytes"], 5 * GIB);
    assert_eq!(region["BillableBytes"], 3 * GIB);
    assert_eq!(region["MonthlyUsd"], 0.06);
    assert_eq!(region["HourlyUsd"], 0.000083);
    assert_eq!(region["DailyUsd"], 0.002);
    assert_eq!(r["TotalMonthlyUsd"], 0.06);
    let chain = &region["Chains"][0];
    assert_eq!(chain["CapacityBytes"], 8 * GIB);
    assert_eq!(chain["MonthlyUsd"], 0.16);
    assert_eq!(
        chain["Snapshots"],
        json!([
            {"SnapshotId": s1, "OwnedBytes": 7 * GIB, "MonthlyUsd": 0.14},
            {"SnapshotId": s2, "OwnedBytes": GIB, "MonthlyUsd": 0.02},
        ])
    );
    let one = t.ok(&format!("snaplab billing estimate --SnapshotId {s2}"));
    assert_eq!(one["OwnedBytes"], GIB);
    assert_eq!(one["MonthlyUsd"], 0.02);
    let by_disk = t.ok(&format!("snaplab billing estimate --DiskId {}", vm.data));
    assert_eq!(by_disk["Chain"]["CapacityBytes"], 8 * GIB);
    assert_eq!(by_disk["Region"]["MonthlyUsd"], 0.06);

    let p = t.ok(&format!("snaplab snapshot delete-preview --SnapshotId {s1}"));
    assert_eq!(p["FreedBlocks"], 1024);
    assert_eq!(p["MovedBlocks"], 6144);
    assert_eq!(p["RegionCapacityBeforeBytes"], 8 * GIB);
    assert_eq!(p["RegionCapacityAfterBytes"], 7 * GIB);
    assert_eq!(p["CostBeforeMonthlyUsd"], 0.06);
    assert_eq!(p["CostAfterMonthlyUsd"], 0.04);
    assert_eq!(p["MonthlySavingUsd"], 0.02);
    assert_eq!(p["FreedListPriceMonthlyUsd"], 0.02);
    t.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s1}"));
    let after = t.ok(&format!("snaplab billing estimate --RegionId {HZ}"));
    assert_eq!(after["Regions"][0]["MonthlyUsd"], 0.04);
    // Under 5 GB nothing is billed.
    let free = t.ok("snaplab billing estimate --RegionId cn-shanghai");
    assert_eq!(free["Regions"][0]["MonthlyUsd"], 0.0);
}
