//! Property tests of the command line (SPEC §18): no input panics the tokenizer, the parser,
//! the parameter getters or the table renderer, and every command survives
//! `to_line` → `parse` unchanged.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use proptest::prelude::*;
use serde_json::Value;
use snaplab_engine::cli::{
    format_error, parse, parse_line, quote, render_table, tokenize, Command, Emulator, OutputSpec, Params, Product,
    Request, Target, WaiterSpec,
};

/// Strings rich in shell syntax, quotes, backslashes, newlines and multi-byte characters.
fn shellish() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ a-zA-Z0-9='\"\\\\#$`\n\t\r.:,\\-\\[\\]{}*?|&!<>@快照é🦀\u{3000}]{0,40}",
    ]
}

/// Values for parameters: anything, including empty, `--`-prefixed and multi-line strings.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        shellish(),
        shellish().prop_map(|s| format!("--{s}")),
        Just(String::new()),
        Just("-".to_string()),
        Just("true".to_string()),
    ]
}

fn param_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9._-]{0,12}",
        (1u32..4).prop_map(|n| format!("DiskId.{n}")),
        (1u32..4, prop::sample::select(vec!["Key", "Value", "key", "value"])).prop_map(|(n, f)| format!("Tag.{n}.{f}")),
    ]
}

/// Valid JMESPath row / waiter expressions.
fn expression() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Snapshots.Snapshot[]",
        "Snapshots.Snapshot",
        "Snapshots.Snapshot[0].Status",
        "Snapshots.Snapshot[?Status=='accomplished']",
        "Disks.Disk[*].{Id:DiskId,Size:Size}",
        "TotalCount",
        "a[::-1]",
        "length(Snapshots.Snapshot)",
    ])
    .prop_map(str::to_string)
}

/// Fragments that look like JMESPath, valid or not.
fn jmespathish() -> impl Strategy<Value = String> {
    prop_oneof![
        expression(),
        "[a-zA-Z0-9_.\\[\\]*?|&!=<>@:,'`{}()\\- \"]{0,30}",
        any::<String>(),
    ]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        "[A-Z][A-Za-z0-9]{0,24}".prop_map(|action| Target::Api {
            product: Product::Ecs,
            action
        }),
        prop::collection::vec("[a-z0-9_][a-z0-9_-]{0,8}", 1..4)
            .prop_map(|words| Target::Snaplab(Emulator::from_words(&words))),
        // Every known command, so that each round-trips.
        prop::sample::select(Emulator::ALL.to_vec()).prop_map(Target::Snaplab),
    ]
}

fn output() -> impl Strategy<Value = Option<OutputSpec>> {
    prop::option::of(
        (shellish(), prop::option::of(expression()), any::<bool>()).prop_map(|(cols, rows, num)| OutputSpec {
            cols,
            rows,
            num,
        }),
    )
}

fn waiter() -> impl Strategy<Value = Option<WaiterSpec>> {
    prop::option::of(
        (expression(), shellish(), 1u32..=600, 2u32..=10).prop_map(|(expr, to, timeout, interval)| WaiterSpec {
            expr,
            to,
            timeout,
            interval,
        }),
    )
}

fn command() -> impl Strategy<Value = Command> {
    (
        target(),
        prop::collection::vec((param_name(), prop::option::of(value())), 0..8),
        output(),
        waiter(),
        prop::option::of(value()),
    )
        .prop_map(|(target, raw_params, output, waiter, region)| {
            let mut params = Params::new();
            let mut seen = HashSet::new();
            for (name, value) in raw_params {
                if matches!(name.as_str(), "output" | "waiter" | "region") || !seen.insert(name.clone()) {
                    continue;
                }
                let pushed = match value {
                    Some(v) => params.push(&name, &v),
                    None => params.push_flag(&name),
                };
                assert!(pushed.is_ok(), "generated name {name:?} refused: {pushed:?}");
            }
            Command {
                request: Request { target, params, region },
                output,
                waiter,
            }
        })
}

fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec!["Snapshots", "Snapshot", "Status", "SnapshotId", "a", "Tags", "快"]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        shellish().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

/// A reply shaped like DescribeSnapshots, with random snapshot objects.
fn snapshots_reply() -> impl Strategy<Value = Value> {
    prop::collection::vec(json_value(), 0..5).prop_map(
        |rows| serde_json::json!({"RequestId": "R", "TotalCount": rows.len(), "Snapshots": {"Snapshot": rows}}),
    )
}

proptest! {
    // 512 cases by default; PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    // SPEC §18: every line yields one reply; no input may panic the tokenizer or parser.
    #[test]
    fn arbitrary_lines_never_panic(s in shellish()) {
        let _ = tokenize(&s);
        let _ = parse(&s);
        let _ = parse_line(&s);
        let _ = parse(&format!("aliyun ecs DescribeSnapshots {s}"));
        let _ = parse(&format!("snaplab guest write {s}"));
        let _ = parse(&format!("aliyun ecs X --output {s}"));
        let _ = parse(&format!("aliyun ecs X --waiter expr=a to=b {s}"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..80)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = parse(&s);
    }

    #[test]
    fn quote_round_trips_every_word(w in value()) {
        prop_assert_eq!(tokenize(&quote(&w)), Ok(vec![w.clone()]));
    }

    #[test]
    fn commands_round_trip_through_to_line(c in command()) {
        let line = c.to_line();
        prop_assert_eq!(parse(&line), Ok(c), "line: {:?}", line);
    }

    #[test]
    fn parsed_lines_round_trip(s in shellish()) {
        for line in [s.clone(), format!("aliyun ecs DescribeSnapshots {s}"), format!("snaplab world show {s}")] {
            if let Ok(c) = parse(&line) {
                prop_assert_eq!(parse(&c.to_line()), Ok(c));
            }
        }
    }

    #[test]
    fn params_getters_never_panic(
        raw in prop::collection::vec((param_name(), value()), 0..10),
        probe in param_name(),
    ) {
        let mut p = Params::new();
        for (n, v) in &raw {
            let _ = p.push(n, v);
        }
        let _ = p.get(&probe);
        let _ = p.require(&probe);
        let _ = p.int(&probe, i64::MIN, i64::MAX);
        let _ = p.bool(&probe);
        let _ = p.json_list(&probe);
        let _ = p.list("DiskId");
        let _ = p.list(&probe);
        let _ = p.tags("Tag");
        let _ = p.filters();
        let _ = p.unconsumed();
    }

    #[test]
    fn render_table_never_panics_on_random_replies(
        reply in prop_oneof![json_value(), snapshots_reply()],
        cols in prop::collection::vec(jmespathish(), 0..4),
        rows in prop::option::of(jmespathish()),
        num in any::<bool>(),
    ) {
        let spec = OutputSpec { cols: cols.join(","), rows, num };
        if let Ok(table) = render_table(&reply, &spec) {
            // One header, one dash line, then the rows (values may add lines).
            prop_assert!(table.ends_with('\n'));
            prop_assert!(table.lines().count() >= 2);
        }
    }

    #[test]
    fn waiter_and_errors_never_panic(reply in json_value(), expr in jmespathish(), to in shellish()) {
        let w = WaiterSpec { expr, to, timeout: 180, interval: 5 };
        let _ = w.evaluate(&reply);
        let _ = w.is_satisfied(&reply);
        let text = format_error(&reply);
        prop_assert!(text.starts_with("ERROR: SDK.ServerError\nErrorCode: "));
    }
}
