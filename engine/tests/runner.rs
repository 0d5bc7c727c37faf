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
    // Issue 12: the limits and the reading of bytes are documented.
    assert!(text.contains("at most 128 MiB"), "{text}");
    assert!(text.contains("1000 parameters"), "{text}");
    assert!(text.contains("256 columns"), "{text}");
    assert!(text.contains("byte-order mark"), "{text}");
}

/// The replies of the runner to `input` on its standard input (written from another thread,
/// so that a long input cannot fill both pipes), and whether it exited with success.
fn replies_to(input: Vec<u8>) -> (Vec<Value>, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_snaplab"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn snaplab");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().expect("run snaplab");
    writer.join().unwrap().expect("write stdin");
    let text = String::from_utf8(out.stdout).expect("the runner prints UTF-8");
    let replies = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    (replies, out.status.success())
}

// Issue 12 item 2: the runner reads bytes. A line that is not UTF-8 gets an error reply naming
// its number, and the run goes on with the same world (the lines after it run).
#[test]
fn a_line_that_is_not_utf8_is_refused_and_the_run_goes_on_issue_12() {
    let mut input = b"snaplab world show\n# a comment\naliyun ecs Describe\xffSnapshots --A \xc3\n".to_vec();
    input.extend_from_slice("snaplab service activate\r\naliyun ecs DescribeSnapshots --RegionId cn-hangzhou --SnapshotName 快照\nsnaplab world show\n".as_bytes());
    let (replies, ok) = replies_to(input);
    assert!(ok);
    assert_eq!(replies.len(), 5, "{replies:#?}");
    let bad = &replies[1];
    assert_eq!(bad["Code"], "InvalidParameter", "{bad}");
    assert_eq!(bad["HttpStatus"], 400);
    assert_eq!(bad["HostId"], "ecs.aliyuncs.com");
    assert!(bad["RequestId"].is_string());
    let message = bad["Message"].as_str().unwrap();
    assert!(message.contains("line 3 is not UTF-8"), "{message}");
    assert!(replies[2].get("Code").is_none(), "{}", replies[2]);
    assert!(
        replies[3].get("Code").is_none(),
        "non-ASCII UTF-8 is fine: {}",
        replies[3]
    );
    assert_eq!(replies[4]["ServiceActivated"], true, "the world went on");
}

// Issue 12 item 2: a UTF-8 byte-order mark before the first line of a file or of stdin is
// ignored (editors on Windows write one); anywhere else it is a character like any other.
#[test]
fn a_byte_order_mark_is_ignored_issue_12() {
    let (replies, _) = replies_to(b"\xEF\xBB\xBFsnaplab world show\n\xEF\xBB\xBFsnaplab world show\n".to_vec());
    assert_eq!(replies.len(), 2);
    assert!(replies[0].get("Code").is_none(), "{}", replies[0]);
    assert_eq!(replies[0]["ServiceActivated"], false);
    assert_eq!(replies[1]["Code"], "InvalidAction", "a mark inside the input is text");

    let dir = std::env::temp_dir().join(format!("snaplab-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (first, second) = (dir.join("first.snaplab"), dir.join("second.snaplab"));
    std::fs::write(&first, b"\xEF\xBB\xBFsnaplab service activate\r\n").unwrap();
    std::fs::write(&second, b"\xEF\xBB\xBFsnaplab world show\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_snaplab"))
        .arg(&first)
        .arg(&second)
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let replies: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(replies.len(), 2, "{replies:#?}");
    assert!(replies[0].get("Code").is_none(), "{}", replies[0]);
    assert_eq!(replies[1]["ServiceActivated"], true, "each file's mark is skipped");
}

// Issue 12 item 2: sizes have limits with clear errors. A line longer than 128 MiB is refused
// (without being held in memory whole) and the run goes on.
#[test]
fn a_line_over_the_limit_is_refused_issue_12() {
    let max = snaplab_engine::cli::Limit::LineBytes.max();
    let mut input = Vec::with_capacity(max + 64);
    input.extend_from_slice(b"aliyun ecs DescribeSnapshots --Description ");
    input.resize(max + 1, b'a');
    input.extend_from_slice(b"\nsnaplab world show\n");
    let (replies, ok) = replies_to(input);
    assert!(ok);
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0]["Code"], "InvalidParameter", "{}", replies[0]);
    let message = replies[0]["Message"].as_str().unwrap();
    assert!(message.contains("longer than 134217728 bytes"), "{message}");
    assert!(replies[1].get("Code").is_none());
}

// Issue 12 item 2: 100,000 parameters are refused by the parameter limit (parsing is linear:
// this once took 55 s), and so are 100,000 --output columns (their rendering once overflowed
// the stack).
#[test]
fn many_parameters_and_columns_are_refused_issue_12() {
    let mut params = String::from("aliyun ecs DescribeSnapshots");
    for i in 0..100_000 {
        params.push_str(&format!(" --P{i} v"));
    }
    let cols = (0..100_000).map(|i| format!("C{i}")).collect::<Vec<_>>().join(",");
    let input = format!("{params}\naliyun ecs DescribeSnapshots --output cols={cols}\nsnaplab world show\n");
    let (replies, _) = replies_to(input.into_bytes());
    assert_eq!(replies.len(), 3);
    assert_eq!(replies[0]["Code"], "InvalidParameter");
    assert!(
        replies[0]["Message"]
            .as_str()
            .unwrap()
            .contains("at most 1000 parameters"),
        "{}",
        replies[0]
    );
    assert_eq!(replies[1]["Code"], "InvalidParameter");
    assert!(
        replies[1]["Message"].as_str().unwrap().contains("at most 256 columns"),
        "{}",
        replies[1]
    );
    assert!(replies[2].get("Code").is_none());
}
