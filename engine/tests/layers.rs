//! The engine's import graph has no upward arrow: each top-level module of `engine/src` may use
//! only the modules of lower layers (ARCHITECTURE.md, "Layers"). This reads the sources: every
//! `crate::name` on a line that is not a comment counts as a use of `name`.
//!
//! Run alone: `cargo test -p snaplab-engine --test layers`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may use modules of lower layers only; modules of one layer
/// do not use each other.
const LAYERS: &[&[&str]] = &[
    &["clock", "blocks", "replies"],
    &["catalog", "store"],
    &["error"],
    &["ids", "request"],
    &["cli", "world"],
    &["session"],
    &["session_faults", "js"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The `crate::name`s a source uses outside comments.
fn uses(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        // What follows a `//` on a line of code is a comment too.
        let code = code.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            // `$crate::` (macros) and `snaplab_crate::` are not this crate's paths.
            if before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a::X, b}`: the first name of each item at the group's own depth.
                let mut depth = 0usize;
                let mut item = String::new();
                let mut naming = true;
                for c in group.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            naming = false;
                        }
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            found.extend((!item.is_empty()).then(|| std::mem::take(&mut item)));
                            naming = true;
                        }
                        c if naming && depth == 0 && (c.is_ascii_alphanumeric() || c == '_') => item.push(c),
                        c if naming && !item.is_empty() && !c.is_whitespace() => naming = false,
                        _ => {}
                    }
                }
                found.extend((!item.is_empty()).then_some(item));
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// Each top-level module's uses of other top-level modules, with the file that has each.
fn graph(src: &Path) -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let first = relative
            .components()
            .next()
            .expect("a path")
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "bin" {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for used in uses(&source) {
            if used != module {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_insert(file.clone());
            }
        }
    }
    graph
}

/// The arrows that break the layering, as readable lines.
fn violations(graph: &BTreeMap<String, BTreeMap<String, PathBuf>>) -> Vec<String> {
    let mut bad = Vec::new();
    for (module, used) in graph {
        let Some(from) = layer_of(module) else {
            bad.push(format!(
                "{module}: not in LAYERS (add it to engine/tests/layers.rs and ARCHITECTURE.md)"
            ));
            continue;
        };
        for (target, file) in used {
            match layer_of(target) {
                Some(to) if to < from => {}
                Some(_) => bad.push(format!(
                    "{module} → {target} (upward or sideways, in {})",
                    file.display()
                )),
                None => bad.push(format!(
                    "{module} → {target}: {target} is not in LAYERS ({})",
                    file.display()
                )),
            }
        }
    }
    bad
}

#[test]
fn no_module_uses_a_module_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    assert!(graph.contains_key("session"), "the graph was read: {graph:?}");
    let bad = violations(&graph);
    assert!(bad.is_empty(), "import arrows against the layers:\n{}", bad.join("\n"));
}

#[test]
fn the_check_sees_an_upward_arrow() {
    let mut graph = BTreeMap::new();
    let used = |m: &[&str]| m.iter().map(|m| (m.to_string(), PathBuf::from("x.rs"))).collect();
    graph.insert("store".to_string(), used(&["blocks", "session"]));
    graph.insert("world".to_string(), used(&["request", "cli"]));
    graph.insert("newthing".to_string(), used(&["clock"]));
    let bad = violations(&graph);
    assert_eq!(bad.len(), 3, "{bad:?}");
    assert!(bad[0].starts_with("newthing: not in LAYERS"));
    assert!(bad[1].starts_with("store → session"));
    assert!(bad[2].starts_with("world → cli"));
}

#[test]
fn comments_and_macro_paths_are_not_uses() {
    let source = "//! see [`crate::session`]\nuse crate::blocks::X; // crate::world\n$crate::store::y();\nuse crate::{clock::{A, B}, ids, error::E};\n";
    let found: Vec<String> = uses(source).into_iter().collect();
    assert_eq!(found, ["blocks", "clock", "error", "ids"]);
}
