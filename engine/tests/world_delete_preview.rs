//! `snaplab snapshot delete-preview --SnapshotIds '[…]'`: the combined effect of deleting several
//! snapshots at once (the console's multi-select delete), checked against the deletions done.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::World;
use serde_json::{json, Value};

/// R-INC-3: S1 holds A B C D, S2 holds B1 C1, S3 holds B2; returns (disk, [S1, S2, S3]).
fn inc3(w: &mut World) -> (String, [String; 3]) {
    w.ok("snaplab world reset --Seed 7 --BlockSize 4096");
    w.ok("snaplab service activate");
    let (_, _, disk) = w.instance();
    let write = |w: &mut World, block: u64, text: &str| {
        w.ok(&format!(
            "snaplab guest write --DiskId {disk} --Block {block} --Text {text}"
        ));
    };
    for (b, t) in [(0, "A"), (1, "B"), (2, "C"), (3, "D")] {
        write(w, b, t);
    }
    let s1 = w.snapshot(&disk, "S1");
    w.ok("snaplab clock run-until-idle");
    write(w, 1, "B1");
    write(w, 2, "C1");
    let s2 = w.snapshot(&disk, "S2");
    w.ok("snaplab clock run-until-idle");
    write(w, 1, "B2");
    let s3 = w.snapshot(&disk, "S3");
    w.ok("snaplab clock run-until-idle");
    (disk, [s1, s2, s3])
}

fn preview(w: &mut World, ids: &[&str]) -> Value {
    let list = serde_json::to_string(ids).unwrap();
    w.ok(&format!("snaplab snapshot delete-preview --SnapshotIds '{list}'"))
}

// R-DEL-3, R-DEL-4: deleting S1 and S2 together frees B, C and B1; A and D (S1's) and C1 (S2's)
// end up in S3, which then owns every block it restores.
#[test]
fn deleting_two_snapshots_at_once_frees_and_merges_in_all() {
    let mut w = World::new();
    let (disk, [s1, s2, s3]) = inc3(&mut w);
    let before = w.state();
    let p = preview(&mut w, &[&s1, &s2]);
    assert_eq!(w.state(), before, "a preview changes nothing");
    assert_eq!(p["SnapshotIds"], json!([s1, s2]));
    assert_eq!(
        (p["FreedBlocks"].as_u64(), p["MovedBlocks"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(p["CapacityBeforeBytes"], 7 * 4096);
    assert_eq!(p["CapacityAfterBytes"], 4 * 4096);
    assert_eq!(p["RegionCapacityBeforeBytes"], 7 * 4096);
    assert_eq!(p["RegionCapacityAfterBytes"], 4 * 4096);
    let chain = &p["Chains"][0];
    assert_eq!(chain["DiskId"], disk.as_str());
    assert_eq!(chain["SnapshotIds"], json!([s1, s2]));
    assert_eq!(
        chain["Freed"],
        json!([
            {"Lba": 1, "Blocks": 2, "Owner": s1},
            {"Lba": 1, "Blocks": 1, "Owner": s2},
        ])
    );
    assert_eq!(
        chain["Moved"],
        json!([
            {"Lba": 0, "Blocks": 1, "From": s1, "To": s3},
            {"Lba": 3, "Blocks": 1, "From": s1, "To": s3},
            {"Lba": 2, "Blocks": 1, "From": s2, "To": s3},
        ])
    );
    // The order of the deletions does not change where the blocks go.
    let reversed = preview(&mut w, &[&s2, &s1, &s2]);
    assert_eq!(reversed["Chains"][0]["Freed"], chain["Freed"]);
    assert_eq!(reversed["Chains"][0]["Moved"], chain["Moved"]);
    assert_eq!(reversed["SnapshotIds"], json!([s2, s1]), "each snapshot once");

    // Done for real: S3 owns all four blocks, the chain holds exactly the previewed capacity.
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s1}"));
    w.ok(&format!("aliyun ecs DeleteSnapshot --SnapshotId {s2}"));
    let view = w.ok(&format!("snaplab chain blocks --DiskId {disk}"));
    assert_eq!(view["CapacityBytes"], p["CapacityAfterBytes"]);
    assert_eq!(view["Snapshots"][0]["SnapshotId"], s3.as_str());
    assert_eq!(view["Snapshots"][0]["OwnedBlocks"], 4);
    w.check_persisted();
}

// One snapshot through --SnapshotIds gives the figures of --SnapshotId (R-DEL-4).
#[test]
fn one_snapshot_in_the_list_matches_the_single_preview() {
    let mut w = World::new();
    let (_, [_, s2, s3]) = inc3(&mut w);
    let one = w.ok(&format!("snaplab snapshot delete-preview --SnapshotId {s2}"));
    let many = preview(&mut w, &[&s2]);
    for k in [
        "FreedBlocks",
        "MovedBlocks",
        "CapacityBeforeBytes",
        "CapacityAfterBytes",
        "RegionCapacityBeforeBytes",
        "RegionCapacityAfterBytes",
        "CostBeforeMonthlyUsd",
        "CostAfterMonthlyUsd",
        "MonthlySavingUsd",
        "InstantAccessMonthlySavingUsd",
    ] {
        assert_eq!(one[k], many[k], "{k}");
    }
    assert_eq!(
        many["Chains"][0]["Freed"],
        json!([{"Lba": 1, "Blocks": 1, "Owner": s2}])
    );
    assert_eq!(
        many["Chains"][0]["Moved"],
        json!([{"Lba": 2, "Blocks": 1, "From": s2, "To": s3}])
    );
}

// Deleting the whole chain frees everything; unknown, empty and mixed requests are refused.
#[test]
fn the_whole_chain_and_refusals() {
    let mut w = World::new();
    let (_, [s1, s2, s3]) = inc3(&mut w);
    let p = preview(&mut w, &[&s3, &s1, &s2]);
    assert_eq!(
        (p["FreedBlocks"].as_u64(), p["MovedBlocks"].as_u64()),
        (Some(7), Some(0))
    );
    assert_eq!(p["CapacityAfterBytes"], 0);
    w.refused(
        "snaplab snapshot delete-preview --SnapshotIds '[\"s-nothere\"]'",
        "InvalidSnapshotId.NotFound",
        404,
    );
    w.refused(
        "snaplab snapshot delete-preview --SnapshotIds '[]'",
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("snaplab snapshot delete-preview --SnapshotId {s1} --SnapshotIds '[\"{s2}\"]'"),
        "InvalidParameter",
        400,
    );
    let (bad, is_error) = w.reply("snaplab snapshot delete-preview --SnapshotIds 'not json'");
    assert!(is_error, "{bad}");
}
