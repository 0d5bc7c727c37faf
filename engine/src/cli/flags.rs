//! The real CLI's `--output` and `--waiter` flags (SPEC §18), parsed into typed specs.
//!
//! Both take `key=value` fields, one per word, split at the first `=`. As in the real CLI
//! (`openapi/output_filter.go`, `openapi/waiter.go`) the flag may appear more than once and
//! its fields accumulate; a field given twice or a required field left out is an error.

use super::jmes;
use super::tokenize::quote;
use crate::request::{CliError, FieldFlag, FieldProblem, Limit};

/// `--output cols=A,B [rows=Path] [num=true]`: print the reply as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// The `cols=` text as given. The real CLI strips one pair of surrounding double quotes
    /// and splits at every `,`; see [`OutputSpec::columns`].
    pub cols: String,
    /// The `rows=` JMESPath under the reply; `None` makes the whole reply the only row.
    pub rows: Option<String>,
    /// `num=true` adds a leading `Num` column counting rows from 0. Any other value is
    /// ignored, as in the real CLI.
    pub num: bool,
}

impl OutputSpec {
    /// The column expressions: `cols` without one pair of surrounding `"`, split at `,`.
    pub fn columns(&self) -> Vec<&str> {
        let c = self.cols.as_str();
        let c = if c.len() >= 2 && c.starts_with('"') && c.ends_with('"') {
            c.get(1..c.len() - 1).unwrap_or(c)
        } else {
            c
        };
        c.split(',').collect()
    }

    /// Issue 12: at most [`Limit::OutputColumns`] columns (the `Num` column counted).
    pub(crate) fn check_columns(&self) -> Result<(), CliError> {
        let columns = self.cols.bytes().filter(|&b| b == b',').count() + 1 + usize::from(self.num);
        if columns > Limit::OutputColumns.max() {
            return Err(CliError::LimitExceeded {
                limit: Limit::OutputColumns,
            });
        }
        Ok(())
    }

    /// The row path the real CLI evaluates: the reply is wrapped as `{"RootFilter":[reply]}`
    /// and the path is `RootFilter[0].<rows>`, or `RootFilter` without `rows`.
    pub fn row_path(&self) -> String {
        match &self.rows {
            Some(rows) => format!("RootFilter[0].{rows}"),
            None => "RootFilter".to_string(),
        }
    }

    /// The words of this flag for [`Command::to_line`](super::Command::to_line).
    pub(crate) fn words(&self) -> Vec<String> {
        let mut w = vec!["--output".to_string(), quote(&format!("cols={}", self.cols))];
        if let Some(rows) = &self.rows {
            w.push(quote(&format!("rows={rows}")));
        }
        if self.num {
            w.push("num=true".to_string());
        }
        w
    }

    /// Builds the spec from the accumulated field words.
    pub(crate) fn from_fields(fields: &[String]) -> Result<Self, CliError> {
        let flag = FieldFlag::Output;
        let map = split_fields(flag, fields, &["cols", "rows", "num"])?;
        let cols = get(&map, "cols").ok_or(CliError::InvalidFlagField {
            flag,
            problem: FieldProblem::Missing { key: "cols" },
        })?;
        let spec = OutputSpec {
            cols: cols.to_string(),
            rows: get(&map, "rows").map(str::to_string),
            num: get(&map, "num") == Some("true"),
        };
        spec.check_columns()?;
        // The row path is checked now so that a bad table never follows a state change.
        // (The real CLI would make the call first and fail when printing.)
        if let Err(detail) = jmes::compile(&spec.row_path()) {
            return Err(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::BadExpression {
                    key: "rows",
                    expr: spec.rows.clone().unwrap_or_default(),
                    detail,
                },
            });
        }
        Ok(spec)
    }
}

/// `--waiter expr='Path' to=value [timeout=N] [interval=N]`: repeat the call (advancing
/// the simulated clock by `interval` seconds between calls) until `expr` selects the string
/// `to`, for at most `timeout` seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterSpec {
    /// JMESPath evaluated on the whole reply (not wrapped, unlike `--output`).
    pub expr: String,
    /// The awaited string.
    pub to: String,
    /// Seconds, 1–600, default 180 (the real CLI's limits).
    pub timeout: u32,
    /// Seconds between calls, 2–10, default 5 (the real CLI's limits).
    pub interval: u32,
}

impl WaiterSpec {
    /// Default `timeout=`.
    pub const DEFAULT_TIMEOUT: u32 = 180;
    /// Default `interval=`.
    pub const DEFAULT_INTERVAL: u32 = 5;

    /// Evaluates `expr` on a reply. Like the real CLI, the result must be a string
    /// ([`CliError::WaiterNotString`] otherwise, e.g. `<nil>` when the path selects nothing).
    pub fn evaluate(&self, reply: &serde_json::Value) -> Result<String, CliError> {
        let not_string = |got: String| CliError::WaiterNotString {
            expr: self.expr.clone(),
            got,
        };
        let expr = jmes::compile(&self.expr).map_err(|detail| CliError::InvalidFlagField {
            flag: FieldFlag::Waiter,
            problem: FieldProblem::BadExpression {
                key: "expr",
                expr: self.expr.clone(),
                detail,
            },
        })?;
        let data = jmes::to_var(reply).map_err(not_string)?;
        let found = jmes::search(&expr, &data).map_err(not_string)?;
        match found.as_string() {
            Some(s) => Ok(s.clone()),
            None => Err(not_string(jmes::go_format(&found))),
        }
    }

    /// Whether the reply shows the awaited value (see [`evaluate`](Self::evaluate)).
    pub fn is_satisfied(&self, reply: &serde_json::Value) -> Result<bool, CliError> {
        Ok(self.evaluate(reply)? == self.to)
    }

    /// The error to return when the timeout has passed; `last` is the last value seen.
    pub fn timeout_error(&self, last: &str) -> CliError {
        CliError::WaiterTimeout {
            expr: self.expr.clone(),
            to: self.to.clone(),
            timeout: self.timeout,
            last: last.to_string(),
        }
    }

    /// The words of this flag for [`Command::to_line`](super::Command::to_line).
    pub(crate) fn words(&self) -> Vec<String> {
        let mut w = vec![
            "--waiter".to_string(),
            quote(&format!("expr={}", self.expr)),
            quote(&format!("to={}", self.to)),
        ];
        if self.timeout != Self::DEFAULT_TIMEOUT {
            w.push(format!("timeout={}", self.timeout));
        }
        if self.interval != Self::DEFAULT_INTERVAL {
            w.push(format!("interval={}", self.interval));
        }
        w
    }

    /// Builds the spec from the accumulated field words.
    pub(crate) fn from_fields(fields: &[String]) -> Result<Self, CliError> {
        let flag = FieldFlag::Waiter;
        let map = split_fields(flag, fields, &["expr", "to", "timeout", "interval"])?;
        let required = |key: &'static str| {
            get(&map, key).ok_or(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::Missing { key },
            })
        };
        let expr = required("expr")?.to_string();
        let to = required("to")?.to_string();
        let timeout = seconds(get(&map, "timeout"), "timeout", 1, 600, Self::DEFAULT_TIMEOUT)?;
        let interval = seconds(get(&map, "interval"), "interval", 2, 10, Self::DEFAULT_INTERVAL)?;
        if let Err(detail) = jmes::compile(&expr) {
            return Err(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::BadExpression {
                    key: "expr",
                    expr,
                    detail,
                },
            });
        }
        Ok(WaiterSpec {
            expr,
            to,
            timeout,
            interval,
        })
    }
}

/// Parses `timeout=` / `interval=` like Go's `strconv.Atoi` (optional sign, decimal) and
/// checks the range.
fn seconds(value: Option<&str>, key: &'static str, min: u32, max: u32, default: u32) -> Result<u32, CliError> {
    let Some(value) = value else {
        return Ok(default);
    };
    let flag = FieldFlag::Waiter;
    let n: i64 = value.parse().map_err(|_| CliError::InvalidFlagField {
        flag,
        problem: FieldProblem::NotInteger {
            key,
            value: value.to_string(),
        },
    })?;
    if n < i64::from(min) || n > i64::from(max) {
        return Err(CliError::InvalidFlagField {
            flag,
            problem: FieldProblem::OutOfRange {
                key,
                value: value.to_string(),
                min,
                max,
            },
        });
    }
    u32::try_from(n).map_err(|_| CliError::InvalidFlagField {
        flag,
        problem: FieldProblem::OutOfRange {
            key,
            value: value.to_string(),
            min,
            max,
        },
    })
}

/// Splits `key=value` words, refusing unknown keys, repeated keys and words without `=`.
fn split_fields<'a>(
    flag: FieldFlag,
    fields: &'a [String],
    known: &[&str],
) -> Result<Vec<(&'a str, &'a str)>, CliError> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for word in fields {
        let Some((key, value)) = word.split_once('=') else {
            return Err(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::NotKeyValue { word: word.clone() },
            });
        };
        if !known.contains(&key) {
            return Err(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::Unknown { key: key.to_string() },
            });
        }
        if out.iter().any(|(k, _)| *k == key) {
            return Err(CliError::InvalidFlagField {
                flag,
                problem: FieldProblem::Duplicate { key: key.to_string() },
            });
        }
        out.push((key, value));
    }
    Ok(out)
}

fn get<'a>(map: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    map.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn output_fields() {
        let s = OutputSpec::from_fields(&words(&[
            "cols=SnapshotId,Status",
            "rows=Snapshots.Snapshot[]",
            "num=true",
        ]));
        assert_eq!(
            s,
            Ok(OutputSpec {
                cols: "SnapshotId,Status".into(),
                rows: Some("Snapshots.Snapshot[]".into()),
                num: true
            })
        );
        let s = OutputSpec::from_fields(&words(&["cols=\"A,B\"", "num=yes"]));
        let s = match s {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(!s.num);
        assert_eq!(s.columns(), ["A", "B"]);
        assert_eq!(s.row_path(), "RootFilter");
        // A value may itself contain '='.
        let s = OutputSpec::from_fields(&words(&["cols=A", "rows=Snapshots.Snapshot[?Status=='x']"]));
        assert!(s.is_ok(), "{s:?}");
    }

    #[test]
    fn output_field_errors() {
        let err = |ws: &[&str]| match OutputSpec::from_fields(&words(ws)) {
            Err(CliError::InvalidFlagField {
                flag: FieldFlag::Output,
                problem,
            }) => problem,
            other => panic!("{ws:?}: {other:?}"),
        };
        assert_eq!(err(&[]), FieldProblem::Missing { key: "cols" });
        assert_eq!(err(&["rows=A[]"]), FieldProblem::Missing { key: "cols" });
        assert_eq!(
            err(&["cols=A", "cols=B"]),
            FieldProblem::Duplicate { key: "cols".into() }
        );
        assert_eq!(err(&["cols=A", "row=B"]), FieldProblem::Unknown { key: "row".into() });
        assert_eq!(err(&["cols=A", "B"]), FieldProblem::NotKeyValue { word: "B".into() });
        assert!(matches!(
            err(&["cols=A", "rows=[[["]),
            FieldProblem::BadExpression { key: "rows", .. }
        ));
        assert!(matches!(
            err(&["cols=A", "rows="]),
            FieldProblem::BadExpression { key: "rows", .. }
        ));
    }

    // The real CLI: timeout 1-600 default 180, interval 2-10 default 5, integers (Atoi).
    #[test]
    fn waiter_fields() {
        let w = WaiterSpec::from_fields(&words(&["expr=Snapshots.Snapshot[0].Status", "to=accomplished"]));
        assert_eq!(
            w,
            Ok(WaiterSpec {
                expr: "Snapshots.Snapshot[0].Status".into(),
                to: "accomplished".into(),
                timeout: 180,
                interval: 5
            })
        );
        let w = WaiterSpec::from_fields(&words(&["to=", "interval=+2", "expr=a", "timeout=600"]));
        assert_eq!(
            w,
            Ok(WaiterSpec {
                expr: "a".into(),
                to: "".into(),
                timeout: 600,
                interval: 2
            })
        );
    }

    #[test]
    fn waiter_field_errors() {
        let err = |ws: &[&str]| match WaiterSpec::from_fields(&words(ws)) {
            Err(CliError::InvalidFlagField {
                flag: FieldFlag::Waiter,
                problem,
            }) => problem,
            other => panic!("{ws:?}: {other:?}"),
        };
        assert_eq!(err(&["to=x"]), FieldProblem::Missing { key: "expr" });
        assert_eq!(err(&["expr=a"]), FieldProblem::Missing { key: "to" });
        for t in ["0", "-1", "601"] {
            let timeout = format!("timeout={t}");
            assert!(matches!(
                err(&["expr=a", "to=b", &timeout]),
                FieldProblem::OutOfRange {
                    key: "timeout",
                    min: 1,
                    max: 600,
                    ..
                }
            ));
        }
        for i in ["0", "1", "11"] {
            let interval = format!("interval={i}");
            assert!(matches!(
                err(&["expr=a", "to=b", &interval]),
                FieldProblem::OutOfRange {
                    key: "interval",
                    min: 2,
                    max: 10,
                    ..
                }
            ));
        }
        assert_eq!(
            err(&["expr=a", "to=b", "timeout="]),
            FieldProblem::NotInteger {
                key: "timeout",
                value: "".into()
            }
        );
        assert_eq!(
            err(&["expr=a", "to=b", "interval=5s"]),
            FieldProblem::NotInteger {
                key: "interval",
                value: "5s".into()
            }
        );
        assert!(matches!(
            err(&["expr=a[", "to=b"]),
            FieldProblem::BadExpression { key: "expr", .. }
        ));
        let e = CliError::InvalidFlagField {
            flag: FieldFlag::Waiter,
            problem: err(&["expr=a", "to=b", "timeout=0"]),
        };
        assert_eq!(e.code(), "InvalidParameter");
        assert_eq!(
            e.message(),
            "The specified parameter \"--waiter\" is not valid: timeout=0 must be between 1 and 600 (seconds)."
        );
    }

    #[test]
    fn waiter_evaluation() {
        let w = WaiterSpec {
            expr: "Snapshots.Snapshot[0].Status".into(),
            to: "accomplished".into(),
            timeout: 180,
            interval: 5,
        };
        let done = json!({"Snapshots": {"Snapshot": [{"Status": "accomplished"}]}});
        let busy = json!({"Snapshots": {"Snapshot": [{"Status": "progressing"}]}});
        let none = json!({"Snapshots": {"Snapshot": []}});
        let num = json!({"Snapshots": {"Snapshot": [{"Status": 3}]}});
        assert_eq!(w.is_satisfied(&done), Ok(true));
        assert_eq!(w.is_satisfied(&busy), Ok(false));
        assert_eq!(w.evaluate(&busy), Ok("progressing".into()));
        assert_eq!(
            w.evaluate(&none),
            Err(CliError::WaiterNotString {
                expr: w.expr.clone(),
                got: "<nil>".into()
            })
        );
        assert_eq!(
            w.evaluate(&num),
            Err(CliError::WaiterNotString {
                expr: w.expr.clone(),
                got: "3".into()
            })
        );
        let e = w.timeout_error("progressing");
        assert_eq!(
            e.message(),
            "wait 'Snapshots.Snapshot[0].Status' to 'accomplished' timeout(180seconds), last='progressing'"
        );
        assert_eq!(e.code(), "SDK.TimeoutError");
    }
}
