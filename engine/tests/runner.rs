//! The `snaplab` batch runner, driven as another program would: a script in, one JSON object
//! per line out.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// The replies of a script (the shared runner checks one reply per command line).
fn run_script(path: &str) -> Vec<Value> {
    common::run_script(path).into_iter().map(|(_, reply)| reply).collect()
}

fn total_size(reply: &Value) -> u64 {
    reply["SnapshotLinks"]["SnapshotLink"][0]["TotalSize"]
        .as_u64()
        .expect("TotalSize")
}

// R-INC-3, R-DEL-4, R-DEL-5, R-CHN-1: the worked example from a script, capacities in bytes.
#[test]
fn worked_example_of_r_inc_3_and_r_del_4() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/r-inc-3.snaplab");
    let replies = run_script(path);
    assert!(
        replies.iter().all(|r| r.get("Code").is_none()),
        "no command refused: {replies:#?}"
    );
    assert_eq!(replies[0]["BlockSize"], 4096);
    // The IDs the script names are the ones the seed gives.
    assert_eq!(
        replies[2]["InstanceIdSets"]["InstanceIdSet"][0],
        "i-bp1wbanyrymokq95vln2"
    );

    let links: Vec<u64> = replies
        .iter()
        .filter(|r| r.get("SnapshotLinks").is_some())
        .map(total_size)
        .collect();
    assert_eq!(links, vec![4 * 4096, 6 * 4096, 7 * 4096, 6 * 4096]);

    let checksums: Vec<&Value> = replies.iter().filter_map(|r| r.get("Checksum")).collect();
    assert_eq!(checksums.len(), 2);
    assert_eq!(checksums[0], checksums[1], "S3 restores the same after S2 is deleted");

    let preview = replies
        .iter()
        .find(|r| r.get("FreedBlocks").is_some())
        .expect("preview");
    assert_eq!(
        preview["Freed"],
        serde_json::json!([{"Lba": 1, "Blocks": 1}]),
        "B1 is freed"
    );
    assert_eq!(
        preview["Moved"],
        serde_json::json!([{"Lba": 2, "Blocks": 1}]),
        "C1 moves to S3"
    );
    assert_eq!(preview["SuccessorId"], "s-bp1sjrwvqikwr8sv2w53");

    let chains: Vec<&Value> = replies.iter().filter(|r| r.get("CapacityBlocks").is_some()).collect();
    let after = chains[1];
    assert_eq!(after["CapacityBlocks"], 6);
    let s3 = &after["Snapshots"][1];
    assert_eq!(s3["SnapshotId"], "s-bp1sjrwvqikwr8sv2w53");
    assert_eq!(s3["OwnedBlocks"], 2, "S3 owns B2 and, now, C1");

    let table = replies
        .iter()
        .find_map(|r| r.get("Output"))
        .and_then(Value::as_str)
        .expect("table");
    assert!(table.starts_with("SnapshotId"), "{table}");
    assert!(table.contains("| accomplished"), "{table}");
}

// R-RB-6, R-RB-1, R-DSK-1: the "sync data after rollback" workflow from a script.
#[test]
fn rollback_and_sync_script_of_r_rb_6() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/r-rb-6.snaplab");
    let replies = run_script(path);
    // Only the rollback attempted while the instance runs is refused (R-RB-1).
    let refused: Vec<&Value> = replies.iter().filter(|r| r.get("Code").is_some()).collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(refused[0]["Code"], "IncorrectInstanceStatus");
    assert_eq!(refused[0]["HttpStatus"], 403);

    let table = replies
        .iter()
        .find_map(|r| r.get("Output"))
        .and_then(Value::as_str)
        .expect("table");
    assert!(
        table.contains("snap-A       | s-bp1uzgy3gdicowpam9s1 | accomplished"),
        "{table}"
    );
    assert!(
        table.contains("snap-B       | s-bp1r9xp1phhypqzkdgc3 | accomplished"),
        "{table}"
    );

    let preview = replies
        .iter()
        .find(|r| r.get("Warnings").is_some())
        .expect("reset preview");
    assert_eq!(preview["Warnings"][0]["Code"], "Rollback.Irreversible");

    let created = replies
        .iter()
        .find(|r| r.get("DiskId").is_some() && r.get("Warnings").is_none())
        .expect("CreateDisk");
    assert_eq!(created["DiskId"], "d-bp1sjrwvqikwr8sv2w53");

    let texts: Vec<&str> = replies.iter().filter_map(|r| r.get("Text")?.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "config-v1", // rolled back to A
            "",          // orders-2 is gone from the rolled-back disk
            "orders-2",  // read from the disk created from B
            "config-v1", // after copying back: A's configuration
            "orders-1",  // A's data
            "orders-2",  // and B's newer data
        ]
    );
}

// SPEC §18: every line yields exactly one reply, flushed at once, so a program can drive the
// runner line by line through a pipe; a bad line is an error object that changes nothing.
#[test]
fn answers_line_by_line_through_a_pipe() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_snaplab"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn snaplab");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut ask = |line: &str| -> Value {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let mut reply = String::new();
        stdout.read_line(&mut reply).unwrap();
        serde_json::from_str(&reply).unwrap()
    };
    let before = ask("snaplab world show");
    assert_eq!(
        before["ServiceActivated"], false,
        "a new world has the service off (R-SVC-1)"
    );
    let bad = ask("aliyun ecs CreateSnapshot --DiskId 'unterminated");
    assert_eq!(bad["Code"], "InvalidParameter");
    assert_eq!(bad["HostId"], "ecs.aliyuncs.com");
    let unknown = ask("aliyun ecs NoSuchAction");
    assert_eq!(unknown["Code"], "InvalidAction");
    assert_eq!(unknown["HttpStatus"], 403);
    let refused = ask("aliyun ecs CreateSnapshot --DiskId d-bp1nothere");
    assert_eq!(refused["Code"], "InvalidAccountStatus.SnapshotServiceUnavailable");
    let after = ask("snaplab world show");
    assert_eq!(after["Disks"], before["Disks"]);
    assert_eq!(after["Now"], before["Now"]);
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn help_explains_the_runner() {
    let out = Command::new(env!("CARGO_BIN_EXE_snaplab"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("One JSON object per command line"), "{text}");
}
