//! The rule-coverage check: every rule of `../shared/SPEC.md` (`R-DEL-3`, `R-IA-5`, …) is named
//! by at least one test, or listed in `rules_not_built.txt` with the issue that builds it.
//!
//! A rule is *named by a test* when test code holds its ID (word-bounded: `R-DEL-1` is not
//! `R-DEL-10`) or a test function is named after it (`fn r_del_3_…` names `R-DEL-3`). Test code
//! is: `engine/tests/**/*.rs` (this file excepted), `tests.rs` files under `engine/src` and
//! `web/src`, the `#[cfg(test)]` items of `engine/src/**/*.rs` and `web/src/**/*.rs` (with the
//! files of `#[cfg(test)] mod name;`), and `tests/e2e/*.test.js`, `walk.js`, `harness.js`.
//!
//! It fails, naming them, for a SPEC rule no test names that is not on the list, for a listed
//! rule the SPEC does not have, and for a listed rule a test names (the list only shrinks: a
//! rule leaves it with its first test). The unit tests below feed the check a small SPEC and
//! small test texts, so the check itself is seen to fail.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/SPEC.md");
const NOT_BUILT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rules_not_built.txt");
const NOT_BUILT_NAME: &str = "engine/tests/rules_not_built.txt";

/// Every rule ID in `text`, word-bounded: `R-`, capital letters, `-`, digits, with no letter,
/// digit or `_` just before or after.
fn rule_ids(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = BTreeSet::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("R-").map(|k| i + k) {
        i = at + 2;
        if at > 0 && ident(b[at - 1]) {
            continue;
        }
        let letters = b[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
        let (dash, digits_from) = (i + letters, i + letters + 1);
        if letters == 0 || b.get(dash) != Some(&b'-') {
            continue;
        }
        let digits = b[digits_from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let end = digits_from + digits;
        if digits == 0 || b.get(end).is_some_and(|&c| ident(c)) {
            continue;
        }
        out.insert(text[at..end].to_string());
        i = end;
    }
    out
}

/// The rules named by test functions in `text`: `fn r_del_3_…` (or `fn r_del_3(`) is `R-DEL-3`.
fn rules_of_fn_names(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("fn r_").map(|k| i + k) {
        i = at + 5;
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
            continue;
        }
        let letters = b[i..].iter().take_while(|c| c.is_ascii_lowercase()).count();
        let digits_from = i + letters + 1;
        if letters == 0 || b.get(i + letters) != Some(&b'_') {
            continue;
        }
        let digits = b[digits_from..].iter().take_while(|c| c.is_ascii_digit()).count();
        let end = digits_from + digits;
        if digits == 0 || b.get(end).is_some_and(|&c| c.is_ascii_alphanumeric()) {
            continue;
        }
        out.insert(format!(
            "R-{}-{}",
            text[i..i + letters].to_ascii_uppercase(),
            &text[digits_from..end]
        ));
    }
    out
}

/// Every rule a test text names, literally or as a test function's name.
fn named_rules(text: &str) -> BTreeSet<String> {
    let mut all = rule_ids(text);
    all.extend(rules_of_fn_names(text));
    all
}

/// Whether the character before `i` continues an identifier.
fn ident_before(s: &[char], i: usize) -> bool {
    i > 0 && (s[i - 1].is_alphanumeric() || s[i - 1] == '_')
}

/// The end (exclusive) of the string, character or comment starting at `i`, or `None` when
/// nothing of that kind starts there. Lifetimes (`'a`) are not character literals.
fn skip_literal(s: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| s.get(k).copied();
    match s[i] {
        '/' if at(i + 1) == Some('/') => Some((i..s.len()).find(|&k| s[k] == '\n').unwrap_or(s.len())),
        '/' if at(i + 1) == Some('*') => {
            let (mut k, mut depth) = (i + 2, 1);
            while k < s.len() && depth > 0 {
                if s[k] == '/' && at(k + 1) == Some('*') {
                    depth += 1;
                    k += 2;
                } else if s[k] == '*' && at(k + 1) == Some('/') {
                    depth -= 1;
                    k += 2;
                } else {
                    k += 1;
                }
            }
            Some(k)
        }
        '"' => {
            let mut k = i + 1;
            while k < s.len() && s[k] != '"' {
                k += if s[k] == '\\' { 2 } else { 1 };
            }
            Some(k + 1)
        }
        'r' if !ident_before(s, i) || (s[i - 1] == 'b' && !ident_before(s, i - 1)) => {
            let hashes = s[i + 1..].iter().take_while(|&&c| c == '#').count();
            if at(i + 1 + hashes) != Some('"') {
                return None;
            }
            let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            let from = i + 2 + hashes;
            let end = (from..s.len())
                .find(|&k| s[k..].starts_with(&close))
                .map_or(s.len(), |k| k + close.len());
            Some(end)
        }
        '\'' if at(i + 1) == Some('\\') => {
            let mut k = i + 3;
            while k < s.len() && s[k] != '\'' {
                k += 1;
            }
            Some(k + 1)
        }
        '\'' if at(i + 2) == Some('\'') => Some(i + 3),
        _ => None,
    }
}

/// The end (exclusive) of the bracketed text whose `[` is at `i`.
fn bracket_end(s: &[char], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < s.len() {
        if let Some(end) = skip_literal(s, i) {
            i = end;
            continue;
        }
        match s[i] {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// Where the item starting at or after `i` ends: after its `;` or after the `}` that closes its
/// first `{`, strings, characters and comments skipped. Attributes before it are part of it.
fn item_end(s: &[char], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < s.len() {
        if let Some(end) = skip_literal(s, i) {
            i = end;
            continue;
        }
        match s[i] {
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && s[i] == '}' {
                    return i + 1;
                }
            }
            ';' if depth == 0 => return i + 1,
            _ => {}
        }
        i += 1;
    }
    s.len()
}

/// Whether an attribute's text (`cfg(…)` inside `#[…]`) turns its item on only for tests:
/// `cfg(test)`, `cfg(all(test, …))`, `cfg(any(test, feature = "testing"))`, not `cfg(not(test))`.
fn is_test_cfg(attr: &str) -> bool {
    let inner: String = attr.chars().filter(|c| !c.is_whitespace()).collect();
    inner.starts_with("cfg(")
        && !inner.contains("not(test")
        && inner
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == "test")
}

/// The `#[cfg(test)]` parts of a Rust source: the text of each such item, and the names of the
/// modules it declares in other files (`#[cfg(test)] mod tests;`).
fn cfg_test_parts(src: &str) -> (Vec<String>, Vec<String>) {
    let s: Vec<char> = src.chars().collect();
    let (mut parts, mut files) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < s.len() {
        if let Some(end) = skip_literal(&s, i) {
            i = end;
            continue;
        }
        if s[i] == '#' && s.get(i + 1) == Some(&'[') {
            let close = bracket_end(&s, i + 1);
            let attr: String = s[i + 2..close - 1].iter().collect();
            if is_test_cfg(&attr) {
                let end = item_end(&s, close);
                let rest: String = s[close..end].iter().collect();
                // `mod name;`: the item's head (before any `{`) declares a module in a file.
                let head = rest.split('{').next().unwrap_or("");
                let words: Vec<&str> = head
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ';'))
                    .filter(|w| !w.is_empty())
                    .collect();
                if let Some(k) = words.iter().position(|w| *w == "mod") {
                    if let Some(name) = words.get(k + 1).and_then(|w| w.strip_suffix(';')) {
                        files.push(name.to_string());
                    }
                }
                parts.push(s[i..end].iter().collect());
                i = end;
                continue;
            }
            i = close;
            continue;
        }
        i += 1;
    }
    (parts, files)
}

/// The problems with the coverage: `spec` the SPEC's text, `tests` each test text with where it
/// comes from, `not_built` the list's text. Empty when every rule is covered.
fn problems(spec: &str, tests: &[(String, String)], not_built: &str) -> Vec<String> {
    let rules = rule_ids(spec);
    let mut out = Vec::new();
    if rules.is_empty() {
        out.push("the SPEC names no rule".to_string());
    }
    let mut named: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (place, text) in tests {
        for id in named_rules(text) {
            named.entry(id).or_default().push(place);
        }
    }
    let mut listed = BTreeSet::new();
    for (n, line) in not_built.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (id, comment) = line.split_once('#').unwrap_or((line, ""));
        let id = id.trim();
        let at = format!("{NOT_BUILT_NAME}:{}", n + 1);
        if rule_ids(id).into_iter().collect::<Vec<_>>() != [id] {
            out.push(format!(
                "{at}: `{id}` is not one rule ID (write ranges out, one ID a line)"
            ));
            continue;
        }
        if comment.trim().is_empty() {
            out.push(format!("{at}: {id} has no `#` comment naming the issue that builds it"));
        }
        if !listed.insert(id.to_string()) {
            out.push(format!("{at}: {id} is listed twice"));
        }
        if !rules.contains(id) {
            out.push(format!(
                "{at}: {id} is listed as not built but the SPEC has no such rule"
            ));
        }
        if let Some(places) = named.get(id) {
            out.push(format!(
                "{at}: {id} is listed as not built but tests name it ({}): take it off the list",
                places.join(", ")
            ));
        }
    }
    for id in &rules {
        if !named.contains_key(id) && !listed.contains(id) {
            out.push(format!(
                "{id}: no test names it (`// {id}` or `fn {}_…`) and {NOT_BUILT_NAME} does not list it",
                id.to_ascii_lowercase().replace('-', "_")
            ));
        }
    }
    out
}

/// Every file under `dir` (recursively) whose name satisfies `keep`, sorted.
fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read {}: {e}", d.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if keep(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The file of module `name` declared in `file` (`mod name;`): beside it for `mod.rs`,
/// `lib.rs` and `main.rs`, else in the folder named after it.
fn module_file(file: &Path, name: &str) -> Option<PathBuf> {
    let dir = file.parent()?;
    let stem = file.file_stem()?.to_str()?;
    let base = if ["mod", "lib", "main"].contains(&stem) {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    [base.join(format!("{name}.rs")), base.join(name).join("mod.rs")]
        .into_iter()
        .find(|p| p.is_file())
}

/// The repository's test code, each text with its path (relative to the repository).
fn repository_tests(root: &Path) -> Vec<(String, String)> {
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let rs = |p: &Path| p.extension().is_some_and(|e| e == "rs");
    let mut whole: BTreeSet<PathBuf> = BTreeSet::new();
    let this = Path::new(file!()).file_name().expect("this file's name").to_owned();
    whole.extend(
        files_under(&root.join("engine/tests"), &rs)
            .into_iter()
            .filter(|p| p.file_name() != Some(&this)),
    );
    let mut out = Vec::new();
    for src in ["engine/src", "web/src"] {
        for file in files_under(&root.join(src), &rs) {
            if file.file_name().is_some_and(|n| n == "tests.rs") {
                whole.insert(file);
                continue;
            }
            let (parts, modules) = cfg_test_parts(&read(&file));
            for name in modules {
                let m = module_file(&file, &name)
                    .unwrap_or_else(|| panic!("{}: no file for `mod {name};`", file.display()));
                whole.insert(m);
            }
            for (n, part) in parts.into_iter().enumerate() {
                out.push((format!("{} (cfg(test) item {})", rel(&file), n + 1), part));
            }
        }
    }
    let e2e = root.join("tests/e2e");
    whole.extend(files_under(&e2e, &|p: &Path| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        p.parent() == Some(e2e.as_path()) && (name.ends_with(".test.js") || name == "walk.js" || name == "harness.js")
    }));
    for file in whole {
        out.push((rel(&file), read(&file)));
    }
    out
}

#[test]
fn every_spec_rule_is_tested_or_listed_as_not_built() {
    let spec = std::fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("read {SPEC}: {e}"));
    let not_built = std::fs::read_to_string(NOT_BUILT).unwrap_or_else(|e| panic!("read {NOT_BUILT}: {e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tests = repository_tests(&root);
    // The places the check reads are there (a moved folder would make every rule "untested").
    for must in [
        "engine/tests/world_snapshots.rs",
        "tests/e2e/walk.js",
        "tests/e2e/harness.js",
    ] {
        assert!(tests.iter().any(|(p, _)| p == must), "{must} is read");
    }
    assert!(
        tests.iter().any(|(p, _)| p.starts_with("web/src")),
        "the console's unit tests are read"
    );
    assert!(
        tests.iter().any(|(p, _)| p.ends_with("tests.rs")),
        "tests.rs files are read"
    );
    let found = problems(&spec, &tests, &not_built);
    assert!(
        found.is_empty(),
        "rule coverage ({} rules in {SPEC}):\n{}",
        rule_ids(&spec).len(),
        found.join("\n")
    );
}

// ----- the check itself -----

const SMALL_SPEC: &str = "- R-AB-1 first\n- R-AB-2 second (see R-AB-1)\n- R-AB-10 tenth\n- R-CD-1 later\n";

fn texts(t: &[&str]) -> Vec<(String, String)> {
    t.iter()
        .enumerate()
        .map(|(n, s)| (format!("t{n}"), s.to_string()))
        .collect()
}

#[test]
fn ids_are_word_bounded() {
    let ids: Vec<String> = rule_ids("R-AB-10, (R-AB-2) xR-AB-3 R-AB-4x R-ab-5 R-AB- R-AB-6's R-AB-7..9")
        .into_iter()
        .collect();
    assert_eq!(ids, ["R-AB-10", "R-AB-2", "R-AB-6", "R-AB-7"]);
    let fns: Vec<String> = rules_of_fn_names("fn r_ab_1_x() {} fn r_ab_12() fn r_ab_3x() fn xr_ab_4_y() fn r_5_a()")
        .into_iter()
        .collect();
    assert_eq!(fns, ["R-AB-1", "R-AB-12"]);
}

#[test]
fn a_rule_no_test_names_fails_the_check() {
    // R-AB-1 by a test function's name, R-AB-10 literally; R-AB-2 by no test (R-AB-20 is not it).
    let tests = texts(&["#[test]\nfn r_ab_1_first() {}", "// R-AB-10, R-AB-20"]);
    let found = problems(SMALL_SPEC, &tests, "R-CD-1 # issue 99\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("R-AB-2: no test names it"), "{found:?}");
    // Listed as not built, it passes.
    assert_eq!(
        problems(SMALL_SPEC, &tests, "R-AB-2 # issue 98\nR-CD-1 # issue 99\n"),
        Vec::<String>::new()
    );
}

#[test]
fn the_list_holds_only_spec_rules_no_test_names() {
    let tests = texts(&["fn r_ab_1_a() {} fn r_ab_2_b() {} // R-AB-10"]);
    let found = problems(
        SMALL_SPEC,
        &tests,
        "# header\nR-CD-1 # issue 99\nR-AB-2 # issue 98\nR-ZZ-1 # issue 97\nR-CD-1 # again\nR-AB-3..4 # range\nR-AB-10\n",
    );
    let expect = [
        "rules_not_built.txt:3: R-AB-2 is listed as not built but tests name it (t0)",
        "rules_not_built.txt:4: R-ZZ-1 is listed as not built but the SPEC has no such rule",
        "rules_not_built.txt:5: R-CD-1 is listed twice",
        "rules_not_built.txt:6: `R-AB-3..4` is not one rule ID",
        "rules_not_built.txt:7: R-AB-10 has no `#` comment",
        "rules_not_built.txt:7: R-AB-10 is listed as not built but tests name it (t0)",
    ];
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for (got, want) in found.iter().zip(expect) {
        assert!(got.contains(want), "{got:?} should say {want:?}");
    }
    assert!(
        !problems("no rules here", &tests, "").is_empty(),
        "a SPEC without rules fails"
    );
}

#[test]
fn only_cfg_test_items_of_sources_count() {
    let src = r##"
//! R-AB-1 in the module doc is not a test.
fn code() { let s = "}"; let c = '{'; let r = r#"{ "#; let l: &'static str = "x"; } // R-AB-2
#[cfg(test)]
mod tests {
    /* a { in a comment */ fn helper<'a>(x: &'a str) -> char { let _ = "{"; '}' }
    // R-AB-10
    #[test]
    fn r_cd_1_unit() {}
}
#[cfg(not(test))]
fn not_a_test() {} // R-AB-3
#[cfg(all(test, not(target_arch = "wasm32")))]
mod more;
#[cfg_attr(test, allow(dead_code))]
fn also_code() {} // R-AB-4
"##;
    let (parts, modules) = cfg_test_parts(src);
    let named: BTreeSet<String> = parts.iter().flat_map(|p| named_rules(p)).collect();
    assert_eq!(named.into_iter().collect::<Vec<_>>(), ["R-AB-10", "R-CD-1"]);
    assert_eq!(modules, ["more"]);
    assert_eq!(parts.len(), 2);
    assert!(parts[0].trim_end().ends_with('}') && parts[0].contains("fn r_cd_1_unit"));
}
