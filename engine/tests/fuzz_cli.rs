//! Fuzzing of the command line (issue 12, item 2): the tokenizer and `cli::parse` on arbitrary
//! strings and byte soups, every [`Params`] getter on hostile values, `--output` and
//! `--waiter` fields on arbitrary expressions against arbitrary JSON, and
//! [`Session::exec_line`] on random lines made of real action names and parameter names with
//! hostile values. Every target asserts that nothing panics; the session target also asserts
//! that a refused line changes nothing (the world, as `comparable_world` compares it, and the
//! stored records, before and after).
//!
//! The normal test run tries a bounded number of cases per target (see [`cases`]), a few
//! seconds in all. To fuzz for longer, raise the count (it multiplies every target's cases):
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p snaplab-engine --test fuzz_cli --release
//! ```
//!
//! A failure prints the shrunk input; proptest also keeps it in
//! `tests/fuzz_cli.proptest-regressions` so that it is tried first in every later run. Found
//! panics get a plain regression test at the end of this file as well.
#![cfg(not(target_arch = "wasm32"))]

use std::panic::{catch_unwind, AssertUnwindSafe};

use proptest::prelude::*;
use serde_json::Value;
use snaplab_engine::cli::{
    parse, parse_integer, parse_line, quote, render_table, tokenize, CliError, Emulator, Limit, OutputSpec, Params,
    WaiterSpec,
};
use snaplab_engine::session::{block_on, Session};
use snaplab_engine::session_faults::comparable_world;
use snaplab_engine::store::memory::MemoryStore;
use snaplab_engine::store::{Store, Table};

/// Cases per target: `PROPTEST_CASES` when set, else the target's own count.
fn cases(share: u32) -> u32 {
    let scale: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(|n: u32| n.max(1))
        .unwrap_or(0);
    if scale == 0 {
        share
    } else {
        scale
    }
}

fn config(share: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(share),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Numbers and texts that break careless parsers: huge, negative, floats, `-0`, NaN-likes,
/// `u64` and `i64` edges and just beyond, non-ASCII digits, markup, controls, bidi overrides.
const HOSTILE: &[&str] = &[
    "-0",
    "-00",
    "+0",
    "0",
    "1",
    "-1",
    "+1",
    "007",
    "2",
    "60",
    "4096",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "1e3",
    "1.5",
    "-1.5",
    "0.0",
    "0x10",
    "1_000",
    " 1",
    "1 ",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211456",
    "",
    "true",
    "false",
    "TRUE",
    "yes",
    "[]",
    "[\"s-1\"]",
    "[1]",
    "[\"\"]",
    "{}",
    "null",
    "٣",
    "１２",
    "𝟙",
    "快照",
    "é",
    "\u{202e}evil",
    "<img src=x onerror=alert(1)>",
    "a\u{0}b",
    "\u{feff}",
    "--x",
    "-",
    "'",
    "\"",
    "\\",
    "2026-01-01T00:00:00Z",
    "2019-12-13T17:00Z",
    "cn-hangzhou",
    "mars-1",
    "cloud_essd",
    "floppy",
    "$DISK",
    "$SYSTEM",
    "$INSTANCE",
    "$SNAP",
    "QQ==",
    "not base64!",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(HOSTILE).prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|f| f.to_string()),
        1 => "[0-9]{15,40}",
        1 => "-?[0-9]{1,4}",
        1 => any::<String>(),
    ]
}

/// The actions the world implements, and the `snaplab` commands.
const ACTIONS: &[&str] = &[
    "DescribeRegions",
    "DescribeZones",
    "RunInstances",
    "DescribeInstances",
    "StartInstance",
    "StopInstance",
    "RebootInstance",
    "DeleteInstance",
    "DescribeDisks",
    "CreateDisk",
    "AttachDisk",
    "DetachDisk",
    "DeleteDisk",
    "ResizeDisk",
    "ModifyDiskAttribute",
    "ResetDisk",
    "ReInitDisk",
    "ReplaceSystemDisk",
    "CreateSnapshot",
    "DescribeSnapshots",
    "DeleteSnapshot",
    "DescribeSnapshotLinks",
    "DescribeSnapshotsUsage",
    "CopySnapshot",
    "ModifySnapshotAttribute",
    "DescribeSnapshotMonitorData",
    "CreateImage",
    "DescribeImages",
    "DeleteImage",
    "ModifyImageSharePermission",
    "TagResources",
    "UntagResources",
    "ListTagResources",
    "NoSuchAction",
];

/// Parameter names of those actions and commands (and a few that none takes).
const NAMES: &[&str] = &[
    "RegionId",
    "ZoneId",
    "DiskId",
    "InstanceId",
    "SnapshotId",
    "ImageId",
    "SnapshotIds",
    "DiskIds",
    "InstanceIds",
    "Block",
    "Blocks",
    "FromBlock",
    "Offset",
    "Length",
    "Text",
    "Base64",
    "Seed",
    "Seconds",
    "To",
    "BlockSize",
    "Json",
    "Size",
    "NewSize",
    "Category",
    "DiskCategory",
    "SnapshotName",
    "DiskName",
    "InstanceName",
    "ImageName",
    "Description",
    "RetentionDays",
    "InstantAccess",
    "InstantAccessRetentionDays",
    "PageNumber",
    "PageSize",
    "MaxResults",
    "NextToken",
    "DryRun",
    "Force",
    "Encrypted",
    "Portable",
    "DeleteWithInstance",
    "DeleteAutoSnapshot",
    "DestinationRegionId",
    "DestinationSnapshotName",
    "InstanceType",
    "Amount",
    "StartTime",
    "EndTime",
    "Period",
    "DataDisk.1.Size",
    "DataDisk.1.Category",
    "DataDisk.1.SnapshotId",
    "SystemDisk.Size",
    "Tag.1.Key",
    "Tag.1.Value",
    "Tag.2.Key",
    "TagKey.1",
    "ResourceId.1",
    "ResourceType",
    "AddAccount.1",
    "RemoveAccount.1",
    "Filter.1.Key",
    "Filter.1.Value",
    "Status",
    "DiskType",
    "Bogus",
];

/// One random command line: a real action or `snaplab` command, a few real parameter names
/// with hostile values (some bare flags), sometimes an `--output` or `--waiter`.
fn line() -> impl Strategy<Value = String> {
    let target = prop_oneof![
        prop::sample::select(ACTIONS).prop_map(|a| format!("aliyun ecs {a}")),
        prop::sample::select(Emulator::ALL).prop_map(|e| format!("snaplab {}", e.words().join(" "))),
    ];
    let param = (prop::sample::select(NAMES), prop::option::weighted(0.9, hostile()));
    let extra = prop_oneof![
        6 => Just(String::new()),
        1 => (expression(), expression()).prop_map(|(c, r)| format!(" --output {} {}", quote(&format!("cols={c}")), quote(&format!("rows={r}")))),
        1 => (expression(), hostile(), 1u32..40).prop_map(|(e, to, t)| format!(" --waiter {} {} timeout={t}", quote(&format!("expr={e}")), quote(&format!("to={to}")))),
        1 => hostile().prop_map(|r| format!(" --region {}", quote(&r))),
    ];
    (target, prop::collection::vec(param, 0..6), extra).prop_map(|(target, params, extra)| {
        let mut line = target;
        for (name, value) in params {
            match value {
                Some(v) => {
                    line.push_str(&format!(" --{name} "));
                    line.push_str(&quote(&v));
                }
                None => line.push_str(&format!(" --{name}")),
            }
        }
        line + &extra
    })
}

/// JMESPath-like text: real paths, fragments, garbage.
fn expression() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Snapshots.Snapshot[]",
            "Snapshots.Snapshot[0].Status",
            "Snapshots.Snapshot[?Status=='accomplished']",
            "Disks.Disk[*].{Id:DiskId,Size:Size}",
            "TotalCount",
            "a[::-1]",
            "a[::0]",
            "a[-9223372036854775808]",
            "a[18446744073709551616]",
            "length(@)",
            "to_number('1e309')",
            "abs(`-9223372036854775808`)",
            "sum(@)",
            "max_by(@, &a)",
            "sort_by(@, &a)",
            "join(',', @)",
            "@",
            "*",
            "[]",
            "`{}`",
            "&a",
            "a || b && !c",
            "a:0",
            "A,B",
        ])
        .prop_map(str::to_string),
        "[A-Za-z0-9_.\\[\\]*@?=!<>&|(),:'`{} -]{0,24}",
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec!["accomplished", "progressing", "a", ""]).prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "a",
                    "b",
                    "c",
                    "Snapshots",
                    "Snapshot",
                    "Status",
                    "TotalCount",
                    "A",
                    "B"
                ])
                .prop_map(str::to_string),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Runs `f`, failing the case (instead of the whole test binary's thread) on a panic.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        TestCaseError::fail(format!("{what} panicked: {msg}"))
    })
}

/// A session with the service activated and an instance running (4 KiB blocks, small disks),
/// a written block and a snapshot; the IDs the `$…` placeholders stand for.
struct Lab {
    s: Session<MemoryStore>,
    ids: Vec<(&'static str, String)>,
}

impl Lab {
    fn new() -> Lab {
        let mut s = block_on(Session::open(MemoryStore::new())).expect("open");
        let ok = |s: &mut Session<MemoryStore>, line: &str| -> Value {
            let r = block_on(s.exec_line(line)).expect("a command");
            assert!(!r.is_error, "{line}: {}", r.body);
            r.body
        };
        ok(&mut s, "snaplab world reset --BlockSize 4096");
        ok(&mut s, "snaplab service activate");
        let run = ok(
            &mut s,
            "aliyun ecs RunInstances --RegionId cn-hangzhou --ImageId centos_7_9_x64_20G_alibase_20230815.vhd --InstanceType ecs.g7.large --DataDisk.1.Category cloud_essd --DataDisk.1.Size 20",
        );
        let instance = run["InstanceIdSets"]["InstanceIdSet"][0].as_str().unwrap().to_string();
        ok(&mut s, "snaplab clock run-until-idle");
        let disks = ok(
            &mut s,
            &format!("aliyun ecs DescribeDisks --RegionId cn-hangzhou --InstanceId {instance}"),
        );
        let disk_of = |kind: &str| {
            disks["Disks"]["Disk"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["Type"] == kind)
                .map(|d| d["DiskId"].as_str().unwrap().to_string())
                .unwrap()
        };
        let (data, system) = (disk_of("data"), disk_of("system"));
        ok(
            &mut s,
            &format!("snaplab guest write --DiskId {data} --Block 0 --Text A"),
        );
        let snap = ok(
            &mut s,
            &format!("aliyun ecs CreateSnapshot --DiskId {data} --SnapshotName s1"),
        );
        let snap = snap["SnapshotId"].as_str().unwrap().to_string();
        Lab {
            s,
            ids: vec![
                ("$DISK", data),
                ("$SYSTEM", system),
                ("$INSTANCE", instance),
                ("$SNAP", snap),
            ],
        }
    }

    fn fill(&self, line: &str) -> String {
        let mut line = line.to_string();
        for (placeholder, id) in &self.ids {
            line = line.replace(placeholder, id);
        }
        line
    }
}

/// The stored records (blocks, maps, meta), to compare before and after a refusal.
fn stored(s: &Session<MemoryStore>) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    for table in [Table::Blocks, Table::Maps, Table::Meta] {
        let keys = block_on(s.store().keys(table)).expect("keys");
        let values = block_on(async {
            let pending = s.store().start_get(table, &keys)?;
            s.store().finish_get(pending).await
        })
        .expect("get");
        out.extend(keys.into_iter().zip(values));
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(config(2000))]

    // Issue 12: the tokenizer and the parser on byte soups (as the runner would pass them on,
    // lossily decoded, and as valid UTF-8 when they are) and on arbitrary strings.
    #[test]
    fn fuzz_tokenizer_and_parse(bytes in prop::collection::vec(any::<u8>(), 0..160), s in any::<String>()) {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        for text in [lossy.as_str(), s.as_str()] {
            let _ = no_panic("tokenize", || tokenize(text))?;
            let _ = no_panic("parse", || parse(text))?;
            let _ = no_panic("parse_line", || parse_line(text))?;
            for prefix in ["aliyun ecs DescribeSnapshots ", "snaplab guest write --DiskId ", "aliyun ecs X --output ", "aliyun ecs X --waiter "] {
                let line = format!("{prefix}{text}");
                if let Ok(c) = no_panic("parse", || parse(&line))? {
                    // What parses writes back to a line that parses the same.
                    prop_assert_eq!(parse(&c.to_line()), Ok(c));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(2000))]

    // Issue 12: every getter on hostile values; integers read by the one parse, within range.
    #[test]
    fn fuzz_params_getters(
        values in prop::collection::vec((prop::sample::select(NAMES), hostile(), any::<bool>()), 0..8),
        probe in prop::sample::select(NAMES),
        min in any::<i64>(),
        max in any::<i64>(),
    ) {
        let mut p = Params::new();
        for (name, value, bare) in &values {
            let _ = if *bare { p.push_flag(name) } else { p.push(name, value) };
        }
        no_panic("getters", || {
            let _ = p.get(probe);
            let _ = p.require(probe);
            let _ = p.raw(probe);
            let _ = p.bool(probe);
            let _ = p.json_list(probe);
            let _ = p.list(probe);
            let _ = p.list("DataDisk");
            let _ = p.tags("Tag");
            let _ = p.filters();
            let _ = p.unconsumed();
        })?;
        for (lo, hi) in [(min, max), (i64::MIN, i64::MAX), (0, i64::MAX), (0, 0), (1, 65_536)] {
            let got = no_panic("int", || p.int(probe, lo, hi))?;
            if let Ok(Some(n)) = got {
                prop_assert!((lo..=hi).contains(&n));
                let text = p.get(probe).unwrap().unwrap();
                prop_assert_eq!(parse_integer(text), Some(n));
            }
            let _ = no_panic("require_int", || p.require_int(probe, lo, hi))?;
        }
        // The prefetch plan reads a number exactly when the getter accepts it as one ≥ 0.
        let checked = p.int(probe, 0, i64::MAX).ok().flatten().map(|n| n as u64);
        prop_assert_eq!(no_panic("peek_u64", || p.peek_u64(probe))?, checked);
    }

    // Issue 12: `--output` fields (columns and rows as arbitrary JMESPath) on arbitrary JSON.
    #[test]
    fn fuzz_output_fields(
        reply in json_value(),
        cols in prop::collection::vec(expression(), 0..5),
        rows in prop::option::of(expression()),
        num in any::<bool>(),
    ) {
        let mut line = format!("aliyun ecs DescribeSnapshots --output {}", quote(&format!("cols={}", cols.join(","))));
        if let Some(rows) = &rows {
            line.push(' ');
            line.push_str(&quote(&format!("rows={rows}")));
        }
        if num {
            line.push_str(" num=true");
        }
        if let Ok(cmd) = no_panic("parse --output", || parse(&line))? {
            let spec = cmd.output.expect("an --output spec");
            if let Ok(table) = no_panic("render_table", || render_table(&reply, &spec))? {
                prop_assert!(table.ends_with('\n'));
            }
        }
        let spec = OutputSpec { cols: cols.join(","), rows, num };
        let _ = no_panic("render_table", || render_table(&reply, &spec))?;
    }

    // Issue 12: `--waiter` fields (any expression, value, timeout, interval) on arbitrary JSON.
    #[test]
    fn fuzz_waiter_fields(
        reply in json_value(),
        expr in expression(),
        to in hostile(),
        timeout in hostile(),
        interval in hostile(),
    ) {
        let line = format!(
            "aliyun ecs DescribeSnapshots --waiter {} {} {} {}",
            quote(&format!("expr={expr}")),
            quote(&format!("to={to}")),
            quote(&format!("timeout={timeout}")),
            quote(&format!("interval={interval}")),
        );
        if let Ok(cmd) = no_panic("parse --waiter", || parse(&line))? {
            let w = cmd.waiter.expect("a --waiter spec");
            prop_assert!((1..=600).contains(&w.timeout) && (2..=10).contains(&w.interval));
            let _ = no_panic("evaluate", || w.evaluate(&reply))?;
        }
        let w = WaiterSpec { expr, to, timeout: 1, interval: 2 };
        let _ = no_panic("evaluate", || w.evaluate(&reply))?;
        let _ = no_panic("is_satisfied", || w.is_satisfied(&reply))?;
    }
}

proptest! {
    #![proptest_config(config(96))]

    // Issue 12: random lines on a live world. No line panics; a refused line changes nothing
    // (neither the world nor a stored record), and says it changed nothing.
    #[test]
    fn fuzz_session_lines(lines in prop::collection::vec(line(), 1..6)) {
        let mut lab = Lab::new();
        for line in lines {
            let line = lab.fill(&line);
            let world = comparable_world(lab.s.world());
            let records = stored(&lab.s);
            let reply = no_panic(&format!("exec_line({line:?})"), || block_on(lab.s.exec_line(&line)))?;
            let Some(reply) = reply else { continue };
            prop_assert!(reply.body.is_object(), "{line}");
            if reply.is_error && !reply.changed {
                prop_assert!(reply.body["Code"].is_string(), "{}: {}", line, reply.body);
                prop_assert_ne!(&reply.body["Code"], "InternalError", "{}: {}", line, reply.body);
                prop_assert!(comparable_world(lab.s.world()) == world, "a refusal changed the world: {}", line);
                prop_assert!(stored(&lab.s) == records, "a refusal changed the store: {}", line);
            }
        }
    }
}

// Issue 12 item 2: `--Block -0` and `--Offset -0` (and every integer) answer InvalidParameter
// like any other bad value, never InternalError (the getter took -0 for 0 while the prefetch
// plan refused it, so the read found no bytes).
#[test]
fn minus_zero_is_an_invalid_parameter_issue_12() {
    let mut lab = Lab::new();
    for (line, code) in [
        ("snaplab guest read --DiskId $DISK --Block -0", "InvalidParameter"),
        ("snaplab guest read --DiskId $DISK --Block -00", "InvalidParameter"),
        (
            "snaplab guest write --DiskId $DISK --Offset -0 --Base64 QQ==",
            "InvalidParameter",
        ),
        (
            "snaplab guest write --DiskId $DISK --Block -0 --Text B",
            "InvalidParameter",
        ),
        (
            "snaplab guest fill --DiskId $DISK --FromBlock -0 --Blocks 1",
            "InvalidParameter",
        ),
        ("snaplab clock advance --Seconds -0", "InvalidParameter"),
        ("snaplab world reset --Seed -0", "InvalidParameter"),
        (
            "aliyun ecs DescribeSnapshots --RegionId cn-hangzhou --PageNumber -0",
            "InvalidParameter",
        ),
        // An action with its own code for the parameter answers that code, as for any bad value.
        (
            "aliyun ecs CreateSnapshot --DiskId $DISK --RetentionDays -0",
            "InvalidRetentionDays.Malformed",
        ),
    ] {
        let line = lab.fill(line);
        let world = comparable_world(lab.s.world());
        let r = block_on(lab.s.exec_line(&line)).unwrap();
        assert!(r.is_error, "{line}: {}", r.body);
        assert_eq!(r.body["Code"], code, "{line}: {}", r.body);
        assert!(comparable_world(lab.s.world()) == world, "{line}");
    }
    // The same reads with 0 work (the check is the value, not the command).
    let r = block_on(
        lab.s
            .exec_line(&lab.fill("snaplab guest read --DiskId $DISK --Block 0")),
    )
    .unwrap();
    assert!(!r.is_error, "{}", r.body);
    assert_eq!(r.body["Text"], "A");
}

// Issue 12 item 2: the limits hold for the JS API's path too (parameters pushed one by one).
#[test]
fn limits_refuse_with_their_names_issue_12() {
    let mut p = Params::new();
    let mut refused = None;
    for i in 0..100_000 {
        if let Err(e) = p.push(&format!("P{i}"), "v") {
            refused = Some((i, e));
            break;
        }
    }
    assert_eq!(
        refused,
        Some((
            1000,
            CliError::LimitExceeded {
                limit: Limit::Parameters
            }
        ))
    );
}
