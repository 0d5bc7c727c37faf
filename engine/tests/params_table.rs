//! Issue 12 item 1: every documented parameter of every implemented action is honoured or
//! listed as ignored by design — never silently dropped — and unknown parameters are refused
//! as the real `aliyun` CLI refuses them.
//!
//! The first test reads `../shared/API.md` and the table of `world::params` and fails on any
//! parameter in one and not in the other, so they cannot drift apart. It prints the counts
//! the issue note needs (`cargo test -p snaplab-engine --test params_table -- --nocapture`).

#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{World, HZ};
use snaplab_engine::world::params::{self, Treatment, BEYOND_API_MD, COMMON, ECS};
use std::collections::BTreeMap;

/// API.md, beside the repository (CI has `shared/` there too).
const API_MD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/API.md");

/// `text` without what is inside parentheses (nested ones too): API.md puts value lists and
/// notes there, e.g. `` `Filter.N.Key` (`CreationStartTime` | …) ``.
fn strip_parens(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The parameter names of one request bullet of API.md: the backticked names before the first
/// `:` outside backticks (what follows a colon describes values), without `=value` tails
/// (`Filter.1.Key=CreationStartTime`). A name starts with a capital letter; values such as
/// `cloud_essd` or `system` do not.
fn names_in(text: &str) -> Vec<String> {
    let text = strip_parens(text);
    let mut head = String::new();
    let mut in_tick = false;
    for c in text.chars() {
        if c == '`' {
            in_tick = !in_tick;
        } else if c == ':' && !in_tick {
            break;
        }
        head.push(c);
    }
    head.split('`')
        .skip(1)
        .step_by(2)
        .map(|t| t.split('=').next().unwrap_or("").to_string())
        .filter(|t| {
            t.starts_with(|c: char| c.is_ascii_uppercase())
                && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '/')
        })
        .collect()
}

/// Every action of API.md with its request parameters, as API.md writes them.
///
/// Three layouts: a `### Action` section whose `Request…` line (and the bullets under it, up to
/// the first line that is neither a bullet nor a table row) lists them; a `### A / B / C` section with one
/// `- **A:** …` bullet per action; and §6 Tags, with `- **A:**` headers and a `- Request: …`
/// sub-bullet each.
fn documented() -> BTreeMap<String, Vec<String>> {
    #[derive(PartialEq)]
    enum Mode {
        None,
        One,
        Multi,
        Tags,
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut mode = Mode::None;
    let mut current: Option<String> = None;
    // In a `One` section: before the request (None), in it (Some(true)), after it (Some(false)).
    let mut in_request: Option<bool> = None;
    let add = |out: &mut BTreeMap<String, Vec<String>>, action: &str, names: Vec<String>| {
        let list = out.entry(action.to_string()).or_default();
        for n in names {
            if !list.contains(&n) {
                list.push(n);
            }
        }
    };
    let text = std::fs::read_to_string(API_MD).unwrap_or_else(|e| panic!("{API_MD}: {e}"));
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            mode = if h.starts_with("6. Tags") {
                Mode::Tags
            } else {
                Mode::None
            };
            current = None;
            continue;
        }
        if let Some(h) = line.strip_prefix("### ") {
            if h.contains(" / ") {
                mode = Mode::Multi;
                current = None;
            } else {
                let action = h.split(' ').next().unwrap_or("");
                mode = if action.chars().all(|c| c.is_ascii_alphanumeric()) && !action.is_empty() {
                    Mode::One
                } else {
                    Mode::None
                };
                current = Some(action.to_string());
                in_request = None;
            }
            continue;
        }
        match mode {
            Mode::None => {}
            Mode::Multi | Mode::Tags => {
                if let Some(rest) = line.strip_prefix("- **") {
                    if let Some((action, tail)) = rest.split_once(":**") {
                        current = Some(action.to_string());
                        if mode == Mode::Multi {
                            add(&mut out, action, names_in(tail));
                        }
                    }
                } else if let (Some(action), Some(rest)) = (&current, line.trim_start().strip_prefix("- Request: ")) {
                    add(&mut out, action, names_in(rest));
                }
            }
            Mode::One => {
                let Some(action) = current.clone() else { continue };
                let trimmed = line.trim_start();
                if line.starts_with("Response") {
                    in_request = Some(false);
                } else if line.starts_with("Request") && in_request.is_none() {
                    in_request = Some(true);
                    let rest = line.split_once(':').map(|(_, r)| r).unwrap_or("");
                    add(&mut out, &action, names_in(rest));
                    out.entry(action).or_default();
                } else if in_request == Some(true) {
                    if let Some(bullet) = trimmed.strip_prefix("- ") {
                        add(&mut out, &action, names_in(bullet));
                    } else if !trimmed.is_empty() && !trimmed.starts_with('|') {
                        // A table (CreateDisk's sizes) sits inside the list; prose ends it.
                        in_request = Some(false);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn issue12_every_documented_parameter_is_in_the_table_and_only_those() {
    let doc = documented();
    let mut problems = Vec::new();
    let (mut honoured, mut ignored, mut not_yet) = (0, 0, 0);
    let mut gaps = Vec::new();
    for (action, table) in ECS {
        let Some(documented) = doc.get(*action) else {
            problems.push(format!("{action}: implemented, but API.md has no such action"));
            continue;
        };
        for name in documented {
            match table.iter().filter(|(n, _)| n == name).count() {
                1 => {}
                0 => problems.push(format!(
                    "{action}: `{name}` is documented but in neither list of the table"
                )),
                _ => problems.push(format!("{action}: `{name}` is in the table twice")),
            }
        }
        for (name, treatment) in *table {
            if !documented.iter().any(|d| d == name) {
                problems.push(format!(
                    "{action}: `{name}` is in the table but API.md does not document it"
                ));
            }
            match treatment {
                Treatment::Honoured => honoured += 1,
                Treatment::Ignored(_) => ignored += 1,
                Treatment::NotYet(why) => {
                    not_yet += 1;
                    gaps.push(format!("{action} {name}: {why}"));
                }
            }
        }
    }
    for (action, name, _) in BEYOND_API_MD {
        if doc.get(*action).is_some_and(|d| d.iter().any(|n| n == name)) {
            problems.push(format!("{action}: `{name}` is documented now: move it into the table"));
        }
    }
    println!(
        "parameter table: {} actions, {} documented parameters: {honoured} honoured, {ignored} ignored by design, \
         {not_yet} NOT YET honoured; plus common {:?} and {} beyond API.md",
        ECS.len(),
        honoured + ignored + not_yet,
        COMMON.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        BEYOND_API_MD.len()
    );
    for g in &gaps {
        println!("  NOT YET: {g}");
    }
    assert!(
        problems.is_empty(),
        "the table and API.md differ:\n{}",
        problems.join("\n")
    );
}

/// The parser of API.md finds what it should (so the test above cannot pass on an empty read).
#[test]
fn issue12_api_md_is_read_whole() {
    let doc = documented();
    assert_eq!(
        doc["CreateSnapshot"],
        [
            "DiskId",
            "SnapshotName",
            "Description",
            "RetentionDays",
            "Category",
            "InstantAccess",
            "InstantAccessRetentionDays",
            "ResourceGroupId",
            "ClientToken",
            "Tag.N.Key",
            "Tag.N.Value"
        ]
    );
    assert_eq!(doc["DeleteDisk"], ["DiskId"]);
    assert_eq!(doc["DescribeSnapshotsUsage"], ["RegionId"]);
    assert_eq!(
        doc["StopInstance"],
        ["InstanceId", "ForceStop", "StoppedMode", "ConfirmStop", "DryRun"]
    );
    assert_eq!(
        doc["UntagResources"],
        ["RegionId", "ResourceType", "ResourceId.N", "TagKey.N", "All"]
    );
    assert_eq!(
        doc["DescribeSnapshotMonitorData"],
        ["RegionId", "StartTime", "EndTime", "Period", "Category"]
    );
    assert!(doc["DescribeDisks"].iter().any(|n| n == "Portable"));
    assert!(doc["RunInstances"].iter().any(|n| n == "DataDisk.N.Size"));
    // Every action the world dispatches is in the table.
    for (action, _) in ECS {
        assert!(params::ecs_action(action).is_some());
    }
}

// ----- unknown parameters are refused (issue 12 item 1) -----

#[test]
fn issue12_a_misspelt_parameter_is_refused_and_changes_nothing() {
    let (mut w, vm, _) = common::with_s1();
    let before = w.describe("")["TotalCount"].clone();
    let body = w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {} --SnapshotNmae n1", vm.data),
        "InvalidParameter",
        400,
    );
    // The real CLI's words (aliyun-cli `InvalidParameterError`), with its suggestion.
    assert_eq!(
        body["Message"],
        "\"--SnapshotNmae\" is not a valid parameter or flag. See `aliyun help ecs CreateSnapshot`. \
         Did you mean \"--SnapshotName\"?"
    );
    assert_eq!(w.describe("")["TotalCount"], before);
    // The right spelling goes through.
    w.ok(&format!(
        "aliyun ecs CreateSnapshot --DiskId {} --SnapshotName n1",
        vm.data
    ));
}

#[test]
fn issue12_unknown_parameters_are_refused_in_every_form() {
    let (mut w, vm, snap) = common::with_s1();
    // A parameter of another action, a repeat list with a wrong field, index 0, a bare flag.
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {snap} --DiskId {}", vm.data),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {} --Tag.1.Kye a", vm.data),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs CreateSnapshot --DiskId {} --Tag.0.Key a", vm.data),
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {snap} --Forse"),
        "InvalidParameter",
        400,
    );
    // Names are case-sensitive, as the CLI's metadata is.
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --snapshotid {snap}"),
        "InvalidParameter",
        400,
    );
    // With DryRun too: the refusal comes first, not DryRunOperation.
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {snap} --Nope 1 --DryRun true"),
        "InvalidParameter",
        400,
    );
    // RegionId and DryRun are taken by every action (API.md §0; the console's checks).
    w.refused(
        &format!("aliyun ecs DeleteSnapshot --SnapshotId {snap} --RegionId {HZ} --DryRun true"),
        "DryRunOperation",
        400,
    );
    // Repeat lists with any N are taken.
    w.ok(&format!(
        "aliyun ecs CreateSnapshot --DiskId {} --Tag.1.Key a --Tag.1.Value b",
        vm.data
    ));
    // An unknown action stays InvalidAction, whatever its parameters.
    w.refused("aliyun ecs CreateSnapshotz --Whatever 1", "InvalidAction", 403);
}

// ----- snaplab commands (issue 12 item 2) -----

#[test]
fn issue12_snaplab_commands_refuse_unknown_parameters() {
    let mut w = World::activated(4096);
    let body = w.refused("snaplab world reset --Blocksize 4096", "InvalidParameter", 400);
    assert_eq!(
        body["Message"],
        "\"--Blocksize\" is not a valid parameter or flag. `snaplab world reset` takes --Seed, --BlockSize, --DryRun. \
         Did you mean \"--BlockSize\"?"
    );
    w.refused("snaplab clock advance --Second 5", "InvalidParameter", 400);
    w.refused("snaplab clock show --Verbose", "InvalidParameter", 400);
    w.refused("snaplab world export --Pretty true", "InvalidParameter", 400);
    w.refused("snaplab world import --Json {} --Force true", "InvalidParameter", 400);
    // Unknown words stay InvalidAction.
    w.refused("snaplab world explode --Now 1", "InvalidAction", 403);
}

#[test]
fn issue12_snaplab_dry_run_changes_nothing() {
    let mut w = World::activated(4096);
    let vm = w.vm(HZ, "");
    w.write(&vm.data, 0, "kept");
    // `world reset --DryRun true` must not reset.
    w.refused("snaplab world reset --Seed 9 --DryRun true", "DryRunOperation", 400);
    assert_eq!(w.read(&vm.data, 0), "kept");
    // The checks still run: a bad value is its own refusal, not DryRunOperation.
    w.refused(
        "snaplab world reset --BlockSize 0 --DryRun true",
        "InvalidParameter",
        400,
    );
    w.refused(
        &format!(
            "snaplab guest write --DiskId {} --Block 0 --Text gone --DryRun true",
            vm.data
        ),
        "DryRunOperation",
        400,
    );
    assert_eq!(w.read(&vm.data, 0), "kept");
    w.refused(
        "snaplab clock advance --Seconds 60 --DryRun true",
        "DryRunOperation",
        400,
    );
    // `--DryRun false` runs the command.
    w.ok("snaplab clock advance --Seconds 1 --DryRun false");
    // Export and import cannot dry-run: refused, not run.
    let body = w.refused("snaplab world export --DryRun true", "InvalidParameter", 400);
    assert!(body["Message"].as_str().unwrap().contains("cannot dry-run"), "{body}");
    w.refused("snaplab world import --Json {} --DryRun true", "InvalidParameter", 400);
}

#[test]
fn issue12_every_snaplab_command_declares_its_parameters() {
    use snaplab_engine::request::Emulator;
    for c in Emulator::ALL {
        let ps = c.params();
        for p in ps {
            assert!(p.chars().next().is_some_and(|c| c.is_ascii_uppercase()), "{c}: {p}");
            assert_ne!(*p, "DryRun", "{c}: DryRun is declared by can_dry_run");
        }
    }
    assert!(!Emulator::WorldExport.can_dry_run());
    assert!(!Emulator::WorldImport.can_dry_run());
    assert!(Emulator::WorldReset.can_dry_run());
}

/// The JS API's typed calls (`createSnapshot({...})`) take an object, flattened by
/// `request::object` and taken in by `Command::from_call`, then run by the session: an unknown
/// field is refused the same way (issue 12 item 1), and changes nothing.
#[test]
fn issue12_js_api_calls_refuse_unknown_fields() {
    use snaplab_engine::cli::Command;
    use snaplab_engine::request::object::api_call;
    use snaplab_engine::session::block_on;
    let (mut w, vm, _) = common::with_s1();
    let before = w.state();
    let call = api_call(
        "CreateSnapshot",
        &serde_json::json!({ "DiskId": vm.data, "SnapshotNmae": "n1" }),
    )
    .expect("an object");
    let cmd = Command::from_call(&call).expect("well-formed names");
    let reply = block_on(w.s.exec(&cmd));
    assert!(reply.is_error, "{}", reply.body);
    assert_eq!(reply.body["Code"], "InvalidParameter");
    assert!(reply.body["Message"]
        .as_str()
        .unwrap()
        .contains("\"--SnapshotNmae\" is not a valid parameter"));
    assert_eq!(w.state(), before, "a refused call changes nothing");
    // Arrays of tag objects flatten to Tag.N.Key, which CreateSnapshot takes.
    let call = api_call(
        "CreateSnapshot",
        &serde_json::json!({ "DiskId": vm.data, "SnapshotName": "n1", "Tag": [{ "Key": "k", "Value": "v" }] }),
    )
    .unwrap();
    let reply = block_on(w.s.exec(&Command::from_call(&call).unwrap()));
    assert!(!reply.is_error, "{}", reply.body);
}
