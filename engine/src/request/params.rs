//! The parameters of one request and the typed getters the action layer uses. The command
//! line fills them from `--Name value` words ([`crate::cli`]), the JS API from an object
//! ([`super::object`]); the world only reads them.

use std::cell::Cell;
use std::collections::HashMap;

use super::error::{CliError, Expected, Limit};

/// One `--Name value` parameter.
#[derive(Debug, Clone)]
struct Param {
    name: String,
    value: String,
    /// Given as a bare flag `--Name` (value `"true"`).
    bare: bool,
    /// Read by some getter (for [`Params::unconsumed`]).
    used: Cell<bool>,
}

impl PartialEq for Param {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.value == other.value && self.bare == other.bare
    }
}
impl Eq for Param {}

/// A tag from `Tag.N.Key` / `Tag.N.Value` (or the deprecated lower-case `Tag.N.key` /
/// `Tag.N.value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag key.
    pub key: String,
    /// The tag value, `None` when `Tag.N.Value` is absent (ECS allows a key alone).
    pub value: Option<String>,
}

/// A filter from `Filter.N.Key` / `Filter.N.Value` (e.g. `CreationStartTime`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The filter key.
    pub key: String,
    /// The filter value.
    pub value: String,
}

/// The parameters of one command, in the order they were given. Names are case-sensitive
/// and unique.
///
/// A parameter given as a bare flag (`--DryRun` with no value) holds the value `"true"`,
/// but only [`Params::bool`] accepts it: every getter that needs a real value
/// ([`get`](Self::get), [`require`](Self::require), [`int`](Self::int), lists, tags, JSON
/// arrays, filters) refuses it with [`CliError::ValueRequired`]. [`raw`](Self::raw) shows
/// the stored text without any check.
///
/// Every getter marks what it reads, so that [`unconsumed`](Self::unconsumed) can report
/// the parameters an action never looked at.
///
/// A command takes at most [`Limit::Parameters`] parameters ([`CliError::LimitExceeded`]
/// beyond); names are found through an index, so that filling and reading the parameters is
/// linear in their number (issue 12: a linear duplicate check made 100,000 parameters take
/// 55 s).
#[derive(Clone, Default)]
pub struct Params {
    items: Vec<Param>,
    /// The position of each name in `items`.
    index: HashMap<String, usize>,
}

impl PartialEq for Params {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}
impl Eq for Params {}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params").field("items", &self.items).finish()
    }
}

/// Per index N, the position of each field of a structured repeat list (see `Params::groups`).
type Groups<const K: usize> = Vec<(u64, [Option<usize>; K])>;

/// A repeat-list member `Prefix.N` or `Prefix.N.Field`.
struct Indexed<'a> {
    n: u64,
    field: Option<&'a str>,
    pos: usize,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `--name value`. Fails with [`CliError::MalformedParameterName`] for a bad
    /// name (see the grammar in [`crate::cli`]; `output`, `waiter` and `region` are the CLI's own
    /// flags, not parameters) and [`CliError::DuplicateParameter`] when the name is already present.
    pub fn push(&mut self, name: &str, value: &str) -> Result<(), CliError> {
        self.push_inner(name, value, false)
    }

    /// Appends the bare flag `--name` (value `"true"`), with the same checks as
    /// [`push`](Self::push).
    pub fn push_flag(&mut self, name: &str) -> Result<(), CliError> {
        self.push_inner(name, "true", true)
    }

    /// Builder form of [`push`](Self::push).
    pub fn with(mut self, name: &str, value: &str) -> Result<Self, CliError> {
        self.push(name, value)?;
        Ok(self)
    }

    fn push_inner(&mut self, name: &str, value: &str, bare: bool) -> Result<(), CliError> {
        if !is_param_name(name) || RESERVED.contains(&name) {
            return Err(CliError::MalformedParameterName {
                word: format!("--{name}"),
            });
        }
        if self.index.contains_key(name) {
            return Err(CliError::DuplicateParameter { name: name.to_string() });
        }
        // Issue 12: a limit with a clear error rather than a line of any length.
        if self.items.len() >= Limit::Parameters.max() {
            return Err(CliError::LimitExceeded {
                limit: Limit::Parameters,
            });
        }
        self.index.insert(name.to_string(), self.items.len());
        self.items.push(Param {
            name: name.to_string(),
            value: value.to_string(),
            bare,
            used: Cell::new(false),
        });
        Ok(())
    }

    /// The number of parameters.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether `name` was given (does not mark it as read).
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// `(name, value, is_bare_flag)` in the order given (does not mark anything as read).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, bool)> + '_ {
        self.items.iter().map(|p| (p.name.as_str(), p.value.as_str(), p.bare))
    }

    fn find(&self, name: &str) -> Option<&Param> {
        let p = self.items.get(*self.index.get(name)?)?;
        p.used.set(true);
        Some(p)
    }

    /// The stored text of `name` (`"true"` for a bare flag), marking it as read; no checks.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.find(name).map(|p| p.value.as_str())
    }

    /// The value of an optional parameter. A bare flag gives [`CliError::ValueRequired`].
    pub fn get(&self, name: &str) -> Result<Option<&str>, CliError> {
        match self.find(name) {
            None => Ok(None),
            Some(p) if p.bare => Err(CliError::ValueRequired { name: p.name.clone() }),
            Some(p) => Ok(Some(p.value.as_str())),
        }
    }

    /// The value of a mandatory parameter: absent → [`CliError::MissingParameter`] naming
    /// it, bare flag → [`CliError::ValueRequired`].
    pub fn require(&self, name: &str) -> Result<&str, CliError> {
        self.get(name)?
            .ok_or_else(|| CliError::MissingParameter { name: name.to_string() })
    }

    /// An optional integer parameter in `min..=max` (see [`parse_integer`] for the
    /// accepted text). Anything else → [`CliError::InvalidValue`].
    pub fn int(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>, CliError> {
        let Some(text) = self.get(name)? else {
            return Ok(None);
        };
        match parse_integer(text) {
            Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(CliError::InvalidValue {
                name: name.to_string(),
                value: text.to_string(),
                expected: Expected::Integer { min, max },
            }),
        }
    }

    /// The value of `name` read as [`int`](Self::int) reads it, for a plan made before the
    /// checks (the world's prefetch of the bytes a command reads): `None` when absent, a bare
    /// flag, or no integer ≥ 0 (the command itself then refuses it). Marks it as read.
    pub fn peek_u64(&self, name: &str) -> Option<u64> {
        let p = self.find(name)?;
        if p.bare {
            return None;
        }
        parse_integer(&p.value).and_then(|n| u64::try_from(n).ok())
    }

    /// A mandatory integer parameter in `min..=max`.
    pub fn require_int(&self, name: &str, min: i64, max: i64) -> Result<i64, CliError> {
        self.int(name, min, max)?
            .ok_or_else(|| CliError::MissingParameter { name: name.to_string() })
    }

    /// An optional boolean: `true` / `false` in any letter case, or the bare flag `--Name`
    /// (true). Anything else → [`CliError::InvalidValue`].
    pub fn bool(&self, name: &str) -> Result<Option<bool>, CliError> {
        let Some(p) = self.find(name) else {
            return Ok(None);
        };
        if p.bare || p.value.eq_ignore_ascii_case("true") {
            Ok(Some(true))
        } else if p.value.eq_ignore_ascii_case("false") {
            Ok(Some(false))
        } else {
            Err(CliError::InvalidValue {
                name: name.to_string(),
                value: p.value.clone(),
                expected: Expected::Boolean,
            })
        }
    }

    /// Parameters named `prefix.N` or `prefix.N.Field`. `N` must be a decimal from 1
    /// without leading zeros ([`CliError::MalformedListIndex`] otherwise, also for
    /// `prefix.` + something that is no number).
    fn indexed(&self, prefix: &str) -> Result<Vec<Indexed<'_>>, CliError> {
        let mut out = Vec::new();
        for (pos, p) in self.items.iter().enumerate() {
            let Some(rest) = p.name.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) else {
                continue;
            };
            let (index, field) = match rest.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (rest, None),
            };
            let n = parse_index(index).ok_or_else(|| {
                p.used.set(true);
                CliError::MalformedListIndex { name: p.name.clone() }
            })?;
            out.push(Indexed { n, field, pos });
        }
        Ok(out)
    }

    fn value_at(&self, pos: usize) -> Result<&str, CliError> {
        match self.items.get(pos) {
            Some(p) => {
                p.used.set(true);
                if p.bare {
                    Err(CliError::ValueRequired { name: p.name.clone() })
                } else {
                    Ok(p.value.as_str())
                }
            }
            // Positions come from `indexed`, so this cannot happen; report it as missing
            // rather than panic.
            None => Err(CliError::MissingParameter {
                name: format!("#{pos}"),
            }),
        }
    }

    /// A repeat list `prefix.1`, `prefix.2`, … in index order (empty if none is given).
    /// Indices must run 1, 2, 3… without gaps ([`CliError::ListGap`]); an index of 0 or
    /// a non-number is [`CliError::MalformedListIndex`]. Names `prefix.N.Field` are not
    /// part of this list (see [`tags`](Self::tags), [`filters`](Self::filters)).
    pub fn list(&self, prefix: &str) -> Result<Vec<&str>, CliError> {
        let mut members: Vec<(u64, usize)> = self
            .indexed(prefix)?
            .into_iter()
            .filter(|m| m.field.is_none())
            .map(|m| (m.n, m.pos))
            .collect();
        members.sort_unstable();
        check_contiguous(prefix, members.iter().map(|m| m.0))?;
        members.into_iter().map(|(_, pos)| self.value_at(pos)).collect()
    }

    /// Groups `prefix.N.<field>` by N, checking the indices like [`list`](Self::list).
    /// `fields` lists the accepted spellings of each field; a field given in two spellings
    /// for the same N is a [`CliError::DuplicateParameter`]. Returns, per N in order, the
    /// position of each field (if given).
    fn groups<const K: usize>(&self, prefix: &str, fields: [&[&str]; K]) -> Result<Groups<K>, CliError> {
        let mut groups: Groups<K> = Vec::new();
        // The slot of each N in `groups` (a search of `groups` would be quadratic).
        let mut slots: HashMap<u64, usize> = HashMap::new();
        for m in self.indexed(prefix)? {
            let Some(field) = m.field else { continue };
            let Some(k) = fields.iter().position(|spellings| spellings.contains(&field)) else {
                continue;
            };
            let slot = *slots.entry(m.n).or_insert_with(|| {
                groups.push((m.n, [None; K]));
                groups.len() - 1
            });
            let Some(group) = groups.get_mut(slot) else { continue };
            if group.1[k].is_some() {
                return Err(CliError::DuplicateParameter {
                    name: format!("{prefix}.{}.{}", m.n, fields[k].first().copied().unwrap_or("")),
                });
            }
            group.1[k] = Some(m.pos);
        }
        groups.sort_unstable_by_key(|g| g.0);
        check_contiguous(prefix, groups.iter().map(|g| g.0))?;
        Ok(groups)
    }

    /// Tags `prefix.N.Key` / `prefix.N.Value` (also lower-case `key` / `value`), in N order.
    /// Indices are checked like [`list`](Self::list); a `Value` without its `Key` is
    /// [`CliError::MissingParameter`] naming `prefix.N.Key`. Tag rules (length, `aliyun`
    /// prefix, duplicates) belong to the action layer.
    pub fn tags(&self, prefix: &str) -> Result<Vec<Tag>, CliError> {
        let groups = self.groups(prefix, [&["Key", "key"], &["Value", "value"]])?;
        let mut out = Vec::with_capacity(groups.len());
        for (n, [key, value]) in groups {
            let key = match key {
                Some(pos) => self.value_at(pos)?.to_string(),
                None => {
                    return Err(CliError::MissingParameter {
                        name: format!("{prefix}.{n}.Key"),
                    })
                }
            };
            let value = match value {
                Some(pos) => Some(self.value_at(pos)?.to_string()),
                None => None,
            };
            out.push(Tag { key, value });
        }
        Ok(out)
    }

    /// Filters `Filter.N.Key` / `Filter.N.Value`, in N order; both are mandatory for each
    /// N ([`CliError::MissingParameter`]).
    pub fn filters(&self) -> Result<Vec<Filter>, CliError> {
        let prefix = "Filter";
        let groups = self.groups(prefix, [&["Key"], &["Value"]])?;
        let mut out = Vec::with_capacity(groups.len());
        for (n, [key, value]) in groups {
            let (Some(key), Some(value)) = (key, value) else {
                let field = if key.is_none() { "Key" } else { "Value" };
                return Err(CliError::MissingParameter {
                    name: format!("{prefix}.{n}.{field}"),
                });
            };
            out.push(Filter {
                key: self.value_at(key)?.to_string(),
                value: self.value_at(value)?.to_string(),
            });
        }
        Ok(out)
    }

    /// A parameter holding a JSON array of strings, e.g. `--SnapshotIds '["s-1","s-2"]'`.
    /// Anything else (bad JSON, not an array, a non-string element) is
    /// [`CliError::MalformedJsonArray`] naming the parameter.
    pub fn json_list(&self, name: &str) -> Result<Option<Vec<String>>, CliError> {
        let Some(text) = self.get(name)? else {
            return Ok(None);
        };
        let bad = || CliError::MalformedJsonArray { name: name.to_string() };
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| bad())?;
        let serde_json::Value::Array(items) = value else {
            return Err(bad());
        };
        items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s),
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// Names of the parameters no getter has read yet, in the order given (an action can
    /// refuse them, or ignore them as ECS ignores unknown parameters).
    pub fn unconsumed(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|p| !p.used.get())
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// The integer text every integer getter accepts, and the only parse of one: the world's
/// prefetch plan (`world::emulator::needs`) uses it too, so that the value check and the
/// bytes read ahead always agree (issue 12: `--Block -0` passed the check, missed the
/// prefetch and answered `InternalError`).
///
/// An optional `+` or `-`, then ASCII decimal digits, in the `i64` range. A negative zero
/// (`-0`, `-00`) is refused as the malformed number it is; leading zeros are accepted
/// (`007` is 7). No spaces, no `_`, no exponent or fraction (`1e3`, `1.0`), no other digits.
pub fn parse_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.starts_with('-') && digits.bytes().all(|b| b == b'0') {
        return None;
    }
    text.parse::<i64>().ok()
}

/// `N` of a repeat list: decimal digits, no sign, no leading zero, at least 1.
fn parse_index(s: &str) -> Option<u64> {
    if s.is_empty() || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Sorted indices must be exactly 1, 2, 3, …
fn check_contiguous(prefix: &str, sorted: impl Iterator<Item = u64>) -> Result<(), CliError> {
    let mut expect = 1u64;
    for n in sorted {
        if n != expect {
            // n > expect: `expect` is missing. (n < expect cannot happen: names are unique
            // and indices have no leading zeros, so no index repeats.)
            return Err(CliError::ListGap {
                prefix: prefix.to_string(),
                missing: expect,
            });
        }
        expect = expect.saturating_add(1);
    }
    Ok(())
}

/// Names the command line keeps for the CLI's own flags (see [`crate::cli::Command`]).
const RESERVED: [&str; 3] = ["output", "waiter", "region"];

/// A parameter name: an ASCII letter, then ASCII letters, digits, `.`, `_`, `-`.
pub(crate) fn is_param_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        let mut p = Params::new();
        for (n, v) in pairs {
            if let Err(e) = p.push(n, v) {
                panic!("push {n}: {e}");
            }
        }
        p
    }

    // SPEC §17 / API.md §0: MissingParameter, 400, "The input parameter … is not supplied."
    #[test]
    fn get_and_require() {
        let p = params(&[("DiskId", "d-1"), ("Description", "")]);
        assert_eq!(p.get("DiskId"), Ok(Some("d-1")));
        assert_eq!(p.get("Description"), Ok(Some("")));
        assert_eq!(p.get("diskid"), Ok(None), "names are case-sensitive");
        assert_eq!(p.require("DiskId"), Ok("d-1"));
        let e = p.require("SnapshotId").unwrap_err();
        assert_eq!(
            e,
            CliError::MissingParameter {
                name: "SnapshotId".into()
            }
        );
        assert_eq!(e.code(), "MissingParameter");
        assert_eq!(e.http_status(), 400);
        assert_eq!(
            e.message(),
            "The input parameter \"SnapshotId\" that is mandatory for processing this request is not supplied."
        );
    }

    #[test]
    fn duplicates_and_bad_names_are_refused() {
        let mut p = params(&[("DiskId", "d-1")]);
        assert_eq!(
            p.push("DiskId", "d-2"),
            Err(CliError::DuplicateParameter { name: "DiskId".into() })
        );
        assert!(matches!(
            p.push("1abc", "x"),
            Err(CliError::MalformedParameterName { .. })
        ));
        assert!(matches!(
            p.push("a=b", "x"),
            Err(CliError::MalformedParameterName { .. })
        ));
        assert!(matches!(p.push("", "x"), Err(CliError::MalformedParameterName { .. })));
        assert!(matches!(
            p.push("output", "x"),
            Err(CliError::MalformedParameterName { .. })
        ));
    }

    #[test]
    fn ints() {
        let p = params(&[
            ("Size", "40"),
            ("Neg", "-3"),
            ("Big", "99999999999999999999"),
            ("Word", "ten"),
            ("Sp", " 4"),
        ]);
        assert_eq!(p.int("Size", 20, 32768), Ok(Some(40)));
        assert_eq!(p.int("Neg", -5, 5), Ok(Some(-3)));
        assert_eq!(p.int("Absent", 1, 2), Ok(None));
        for (name, min, max) in [("Size", 1, 39), ("Big", 0, i64::MAX), ("Word", 0, 10), ("Sp", 0, 10)] {
            let e = p.int(name, min, max).unwrap_err();
            assert!(
                matches!(
                    &e,
                    CliError::InvalidValue {
                        expected: Expected::Integer { .. },
                        ..
                    }
                ),
                "{name}: {e:?}"
            );
            assert_eq!(e.code(), "InvalidParameter");
        }
        assert_eq!(p.require_int("Size", 0, 100), Ok(40));
        assert_eq!(
            p.require_int("X", 0, 100),
            Err(CliError::MissingParameter { name: "X".into() })
        );
    }

    // Issue 12 item 2: one integer parse for every getter and the prefetch plan; a negative
    // zero is a bad value like any other (it once passed the getter and missed the prefetch).
    #[test]
    fn integers_one_parse_and_no_negative_zero_issue_12() {
        for (text, n) in [
            ("0", 0),
            ("+0", 0),
            ("007", 7),
            ("+5", 5),
            ("-5", -5),
            ("9223372036854775807", i64::MAX),
        ] {
            assert_eq!(parse_integer(text), Some(n), "{text}");
        }
        for text in [
            "-0",
            "-00",
            "",
            "+",
            "-",
            " 1",
            "1 ",
            "1_000",
            "1e3",
            "1.0",
            "1e309",
            "NaN",
            "inf",
            "--1",
            "+-1",
            "0x10",
            "١",
            "9223372036854775808",
            "18446744073709551616",
            "-9223372036854775809",
        ] {
            assert_eq!(parse_integer(text), None, "{text:?}");
        }
        let p = params(&[("Block", "-0"), ("Offset", "-00"), ("Ok", "+3")]);
        for name in ["Block", "Offset"] {
            let e = p.int(name, 0, 100).unwrap_err();
            assert_eq!(e.code(), "InvalidParameter", "{name}");
            assert_eq!(p.peek_u64(name), None, "{name}: the plan reads what the getter reads");
        }
        assert_eq!(p.int("Ok", 0, 5), Ok(Some(3)));
        assert_eq!(p.peek_u64("Ok"), Some(3));
    }

    // Issue 12 item 2: a command takes at most 1,000 parameters; the duplicate check is an
    // index, so that 100,000 pushes stay linear (the 1,001st is refused, naming the limit).
    #[test]
    fn parameter_limit_issue_12() {
        let mut p = Params::new();
        for i in 0..Limit::Parameters.max() {
            assert_eq!(p.push(&format!("P{i}"), "v"), Ok(()));
        }
        let e = p.push("One", "more").unwrap_err();
        assert_eq!(
            e,
            CliError::LimitExceeded {
                limit: Limit::Parameters
            }
        );
        assert_eq!(e.code(), "InvalidParameter");
        assert!(e.message().contains("at most 1000 parameters"), "{}", e.message());
        assert_eq!(
            p.push("P7", "again"),
            Err(CliError::DuplicateParameter { name: "P7".into() })
        );
        assert_eq!(p.get("P999"), Ok(Some("v")));
        assert!(p.contains("P0") && !p.contains("One"));
    }

    #[test]
    fn bools_and_bare_flags() {
        let mut p = params(&[("Force", "True"), ("Off", "false"), ("Bad", "yes")]);
        assert_eq!(p.push_flag("DryRun"), Ok(()));
        assert_eq!(p.bool("Force"), Ok(Some(true)));
        assert_eq!(p.bool("Off"), Ok(Some(false)));
        assert_eq!(p.bool("DryRun"), Ok(Some(true)));
        assert_eq!(p.bool("None"), Ok(None));
        assert!(matches!(
            p.bool("Bad"),
            Err(CliError::InvalidValue {
                expected: Expected::Boolean,
                ..
            })
        ));
        // A bare flag is only a boolean.
        assert_eq!(p.get("DryRun"), Err(CliError::ValueRequired { name: "DryRun".into() }));
        assert_eq!(
            p.require("DryRun"),
            Err(CliError::ValueRequired { name: "DryRun".into() })
        );
        assert!(p.int("DryRun", 0, 1).is_err());
        assert_eq!(p.raw("DryRun"), Some("true"));
    }

    // SPEC §18 / API.md §0: repeat lists `--DiskId.1 d-…`.
    #[test]
    fn lists_in_index_order() {
        let p = params(&[
            ("DiskId.2", "d-2"),
            ("DiskId.1", "d-1"),
            ("DiskId.3", "d-3"),
            ("DiskIdX", "z"),
        ]);
        assert_eq!(p.list("DiskId"), Ok(vec!["d-1", "d-2", "d-3"]));
        assert_eq!(p.list("InstanceId"), Ok(vec![]));
        let p = params(&[("DiskId.10", "a"), ("DiskId.2", "b"), ("DiskId.1", "c")]);
        assert_eq!(
            p.list("DiskId"),
            Err(CliError::ListGap {
                prefix: "DiskId".into(),
                missing: 3
            })
        );
    }

    #[test]
    fn list_index_errors() {
        for bad in ["DiskId.0", "DiskId.01", "DiskId.x", "DiskId.", "DiskId.-1", "DiskId.1x"] {
            let p = params(&[(bad, "v")]);
            let e = p.list("DiskId").unwrap_err();
            assert_eq!(e, CliError::MalformedListIndex { name: bad.into() }, "{bad}");
            assert_eq!(e.code(), "InvalidParameter");
        }
        let p = params(&[("DiskId.2", "v")]);
        let e = p.list("DiskId").unwrap_err();
        assert_eq!(
            e,
            CliError::ListGap {
                prefix: "DiskId".into(),
                missing: 1
            }
        );
        assert!(e.message().contains("\"DiskId.1\" is missing"), "{}", e.message());
        let p = params(&[("DiskId.99999999999999999999999", "v")]);
        assert!(p.list("DiskId").is_err());
    }

    // API.md §0 "Tag conventions": Tag.N.Key / Tag.N.Value, deprecated lower-case key / value.
    #[test]
    fn tags_both_casings() {
        let p = params(&[
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
            ("Tag.2.key", "team"),
            ("Tag.3.Key", "k3"),
            ("Tag.3.value", ""),
            ("Tag.2.Other", "ignored"),
        ]);
        assert_eq!(
            p.tags("Tag"),
            Ok(vec![
                Tag {
                    key: "env".into(),
                    value: Some("prod".into())
                },
                Tag {
                    key: "team".into(),
                    value: None
                },
                Tag {
                    key: "k3".into(),
                    value: Some("".into())
                },
            ])
        );
        assert_eq!(p.unconsumed(), vec!["Tag.2.Other"]);
    }

    #[test]
    fn tag_errors() {
        let p = params(&[("Tag.1.Value", "v")]);
        assert_eq!(
            p.tags("Tag"),
            Err(CliError::MissingParameter {
                name: "Tag.1.Key".into()
            })
        );
        let p = params(&[("Tag.1.Key", "a"), ("Tag.1.key", "b")]);
        assert!(matches!(p.tags("Tag"), Err(CliError::DuplicateParameter { .. })));
        let p = params(&[("Tag.1.Key", "a"), ("Tag.3.Key", "b")]);
        assert_eq!(
            p.tags("Tag"),
            Err(CliError::ListGap {
                prefix: "Tag".into(),
                missing: 2
            })
        );
        let p = params(&[("Tag.0.Key", "a")]);
        assert!(matches!(p.tags("Tag"), Err(CliError::MalformedListIndex { .. })));
    }

    // API.md §0 "Time filters": Filter.N.Key / Filter.N.Value.
    #[test]
    fn filters() {
        let p = params(&[
            ("Filter.2.Key", "CreationEndTime"),
            ("Filter.1.Key", "CreationStartTime"),
            ("Filter.1.Value", "2019-12-13T17:00Z"),
            ("Filter.2.Value", "2019-12-14T17:00Z"),
        ]);
        assert_eq!(
            p.filters(),
            Ok(vec![
                Filter {
                    key: "CreationStartTime".into(),
                    value: "2019-12-13T17:00Z".into()
                },
                Filter {
                    key: "CreationEndTime".into(),
                    value: "2019-12-14T17:00Z".into()
                },
            ])
        );
        let p = params(&[("Filter.1.Key", "CreationStartTime")]);
        assert_eq!(
            p.filters(),
            Err(CliError::MissingParameter {
                name: "Filter.1.Value".into()
            })
        );
    }

    // SPEC §18: JSON-array parameters as strings, `--SnapshotIds '["s-1","s-2"]'`.
    #[test]
    fn json_lists() {
        let p = params(&[
            ("SnapshotIds", r#"["s-1","s-2"]"#),
            ("Empty", "[]"),
            ("Bad", r#"["s-1","#),
            ("Obj", r#"{"a":1}"#),
            ("Num", "[1]"),
            ("Plain", "s-1"),
        ]);
        assert_eq!(
            p.json_list("SnapshotIds"),
            Ok(Some(vec!["s-1".to_string(), "s-2".to_string()]))
        );
        assert_eq!(p.json_list("Empty"), Ok(Some(vec![])));
        assert_eq!(p.json_list("Absent"), Ok(None));
        for name in ["Bad", "Obj", "Num", "Plain"] {
            let e = p.json_list(name).unwrap_err();
            assert_eq!(e, CliError::MalformedJsonArray { name: name.into() });
            assert!(e.message().contains(&format!("\"{name}\"")));
            assert_eq!(e.code(), "InvalidParameter");
        }
    }

    #[test]
    fn unconsumed_reports_unread_parameters() {
        let p = params(&[("DiskId", "d-1"), ("Typo", "x"), ("DiskIds.1", "y")]);
        let _ = p.require("DiskId");
        assert_eq!(p.unconsumed(), vec!["Typo", "DiskIds.1"]);
        let _ = p.list("DiskIds");
        assert_eq!(p.unconsumed(), vec!["Typo"]);
        // Consumption does not affect equality.
        assert_eq!(p, params(&[("DiskId", "d-1"), ("Typo", "x"), ("DiskIds.1", "y")]));
    }
}
