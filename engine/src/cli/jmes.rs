//! JMESPath through the `jmespath` crate, with guards, and Go's `%v` printing of results.
//!
//! The real CLI evaluates `rows`, `cols` and `expr` with go-jmespath and prints values with
//! Go's `fmt` `%v`. This module compiles expressions with the `jmespath` crate after two
//! safety checks (the emulator runs in a browser tab and must not crash on any input):
//!
//! * before parsing, an expression longer than [`MAX_EXPR_LEN`] bytes, or with more than
//!   [`MAX_STRUCTURE`] structural characters (`. | & ! ( [ { ? < > =`, counted everywhere,
//!   even inside quotes, to stay on the safe side), is refused: the crate's parser recurses
//!   once per operator (`a.b.c…`, `!!…`, `a|b|…` all nest), about 10 KB of stack per level
//!   in a debug build, and a stack overflow would abort the page;
//! * array indices and slice bounds beyond ±[`MAX_INDEX`] are refused (the crate's slice
//!   stepping can overflow `i32` for huge steps, and index negation overflows at `i32::MIN`).

use jmespath::ast::Ast;
use jmespath::{Expression, Rcvar, Variable};

/// Longest accepted expression, in bytes.
pub const MAX_EXPR_LEN: usize = 1024;
/// Most structural characters accepted in one expression (a realistic filter such as
/// `Snapshots.Snapshot[?Status=='accomplished' && SourceDiskType=='system'].{Id:SnapshotId}`
/// has about a dozen).
pub const MAX_STRUCTURE: usize = 48;
/// Largest accepted absolute array index / slice bound / slice step.
pub const MAX_INDEX: i32 = 1_000_000;
/// Deepest accepted expression tree.
const MAX_DEPTH: usize = 200;

/// Compiles `expr` after the safety checks; the error is a human-readable reason.
pub(crate) fn compile(expr: &str) -> Result<Expression<'static>, String> {
    if expr.len() > MAX_EXPR_LEN {
        return Err(format!("longer than {MAX_EXPR_LEN} bytes"));
    }
    let structure = expr.chars().filter(|c| ".|&!([{?<>=".contains(*c)).count();
    if structure > MAX_STRUCTURE {
        return Err(format!(
            "more than {MAX_STRUCTURE} operators and brackets (. | & ! ( [ {{ ? < > =)"
        ));
    }
    let compiled = jmespath::compile(expr).map_err(|e| e.to_string())?;
    check(compiled.as_ast(), 0)?;
    Ok(compiled)
}

fn in_range(n: i32) -> bool {
    (-MAX_INDEX..=MAX_INDEX).contains(&n)
}

fn check(ast: &Ast, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("nested too deeply".to_string());
    }
    let d = depth + 1;
    match ast {
        Ast::Index { idx, .. } if !in_range(*idx) => {
            return Err(format!("index {idx} is out of range (at most {MAX_INDEX} either way)"));
        }
        Ast::Slice { start, stop, step, .. } => {
            for n in [*start, *stop, Some(*step)].into_iter().flatten() {
                if !in_range(n) {
                    return Err(format!(
                        "slice bound {n} is out of range (at most {MAX_INDEX} either way)"
                    ));
                }
            }
        }
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => {
            check(lhs, d)?;
            check(rhs, d)?;
        }
        Ast::Condition { predicate, then, .. } => {
            check(predicate, d)?;
            check(then, d)?;
        }
        Ast::Expref { ast, .. } => check(ast, d)?,
        Ast::Flatten { node, .. } | Ast::Not { node, .. } | Ast::ObjectValues { node, .. } => check(node, d)?,
        Ast::Function { args, .. } => {
            for a in args {
                check(a, d)?;
            }
        }
        Ast::MultiList { elements, .. } => {
            for e in elements {
                check(e, d)?;
            }
        }
        Ast::MultiHash { elements, .. } => {
            for kv in elements {
                check(&kv.value, d)?;
            }
        }
        Ast::Index { .. } | Ast::Identity { .. } | Ast::Field { .. } | Ast::Literal { .. } => {}
        #[allow(unreachable_patterns)]
        _ => {}
    }
    Ok(())
}

/// Searches `data` with a compiled expression; `None` on a runtime error (the real CLI
/// ignores column errors and prints `<nil>`).
pub(crate) fn search(expr: &Expression<'_>, data: &Rcvar) -> Result<Rcvar, String> {
    expr.search(data.clone()).map_err(|e| e.to_string())
}

/// Converts a reply to the crate's value type.
pub(crate) fn to_var(value: &serde_json::Value) -> Result<Rcvar, String> {
    Variable::try_from(value).map(Rcvar::new).map_err(|e| e.to_string())
}

/// Prints a value the way Go's `fmt.Sprintf("%v", v)` prints what go-jmespath returns for
/// JSON decoded with `UseNumber`: `<nil>` for null, strings bare, numbers as in the JSON,
/// arrays as `[a b]`, objects as `map[k1:v1 k2:v2]` with keys sorted.
pub(crate) fn go_format(v: &Variable) -> String {
    let mut out = String::new();
    go_format_into(v, &mut out);
    out
}

fn go_format_into(v: &Variable, out: &mut String) {
    match v {
        Variable::Null => out.push_str("<nil>"),
        Variable::String(s) => out.push_str(s),
        Variable::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Variable::Number(n) => out.push_str(&n.to_string()),
        Variable::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                go_format_into(item, out);
            }
            out.push(']');
        }
        Variable::Object(map) => {
            out.push_str("map[");
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                go_format_into(item, out);
            }
            out.push(']');
        }
        Variable::Expref(_) => out.push_str("<expref>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_refuse_dangerous_expressions() {
        assert!(compile("a[5::2147483647]").is_err());
        assert!(compile("a[-2147483648]").is_err());
        assert!(compile("a[1000001]").is_err());
        assert!(compile(&"a.".repeat(600)).is_err());
        assert!(compile(&("a.".repeat(49) + "a")).is_err());
        assert!(compile(&("a.".repeat(48) + "a")).is_ok());
        assert!(compile("Snapshots.Snapshot[?Status=='accomplished' && SourceDiskType=='system'].{Id:SnapshotId,Size:SourceDiskSize}").is_ok());
        assert!(compile("Snapshots.Snapshot[0].Status").is_ok());
        assert!(compile("a[::-1]").is_ok());
        // Deep nesting is refused before the parser can overflow the stack.
        let deep = format!("{}a{}", "(".repeat(300), ")".repeat(300));
        assert!(compile(&deep).is_err());
        assert!(compile(&format!("{}a", "!".repeat(1000))).is_err());
        // The deepest accepted shapes parse and run.
        for e in [
            format!("{}a", "!".repeat(48)),
            "a|".repeat(24) + "a",
            "a||".repeat(24) + "a",
            format!("{}a{}", "(".repeat(48), ")".repeat(48)),
            format!("{}a{}", "[".repeat(48), "]".repeat(48)),
            "a[*].".repeat(24) + "a",
        ] {
            let c = match compile(&e) {
                Ok(c) => c,
                Err(err) => panic!("{e}: {err}"),
            };
            let _ = search(&c, &Rcvar::new(Variable::Null));
        }
    }

    #[test]
    fn go_value_printing() {
        let v = match to_var(&serde_json::json!({"b": [1, "x", null, true], "a": {"z": 1.5}})) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(go_format(&v), "map[a:map[z:1.5] b:[1 x <nil> true]]");
        assert_eq!(go_format(&Variable::Null), "<nil>");
    }
}
