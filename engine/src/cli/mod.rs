//! The command line (SPEC §18): the same syntax in the page terminal and the native runner.
//!
//! # Grammar
//!
//! A line is first split into words like a POSIX shell would ([`tokenize`]: single and
//! double quotes, backslash, `#` comments at the start of a word, no expansions). The words
//! then follow this grammar:
//!
//! ```text
//! line      := "aliyun" product Action arg*        product: "ecs" in any letter case
//!            | "snaplab" word+ arg*                word: [A-Za-z0-9_-]+, e.g. "guest" "write"
//! Action    := [A-Z][A-Za-z0-9]*                   PascalCase, e.g. CreateSnapshot
//! arg       := "--" Name value?                    value: the next word, unless it starts with "--"
//!            | "--" Name ("=" | ":") value         split at the first "=" or ":" (like the real CLI)
//!            | "--output" field+                   field: key=value (cols, rows, num)
//!            | "--waiter" field+                   field: key=value (expr, to, timeout, interval)
//!            | "--region" value
//! Name      := [A-Za-z][A-Za-z0-9._-]*             case-sensitive, each at most once
//! ```
//!
//! * `--Name` with no value (followed by another `--…` word or the end of the line) is a
//!   *bare flag* with the value `"true"`. Only boolean use accepts it: [`Params::bool`]
//!   reads it as true, every other getter answers [`CliError::ValueRequired`]. (The real
//!   CLI refuses bare API parameters outright; this is a convenience for `--DryRun`,
//!   `--Force` and the like.)
//! * A value may start with a single `-` (`--Description -x`); a value starting with `--`
//!   must be written `--Name=--value`.
//! * `--output` / `--waiter` take the following words up to the next `--…` word as fields
//!   (or exactly one field in the `--output=cols=A` form) and may repeat, their fields
//!   accumulating, as in the real CLI. They work for `snaplab` commands too.
//! * `--region` is the real CLI's region flag; it is kept apart from the API parameters in
//!   [`Request::region`].
//! * Repeat lists (`--DiskId.1`, `--Tag.1.Key`), JSON-array strings (`--SnapshotIds
//!   '["s-1"]'`) and filters are ordinary parameters; [`Params`] decodes them.
//! * Integers are an optional `+`/`-` and ASCII digits in the `i64` range; a negative zero
//!   (`-0`) is refused like any other bad value ([`crate::request::parse_integer`]).
//!
//! ## Limits
//!
//! Generous sizes no real use reaches, each refused with [`CliError::LimitExceeded`]
//! (`InvalidParameter`, naming the limit) so that a hostile line costs neither unbounded
//! memory nor time nor stack ([`Limit`]):
//!
//! | limit | value | |
//! |---|---|---|
//! | bytes in one line | 128 MiB | [`Limit::LineBytes`]: room for the largest `world import --Json` |
//! | parameters of one command | 1,000 | [`Limit::Parameters`] (`--output`, `--waiter`, `--region` not counted) |
//! | `--output` columns | 256 | [`Limit::OutputColumns`], the `Num` column included |
//!
//! Parsing is linear in the length of the line, and table rendering needs no stack in
//! proportion to the columns. The native runner reads bytes: a line that is not UTF-8 is
//! answered [`CliError::InvalidUtf8`] naming its number, and a UTF-8 byte-order mark at the
//! start of a file is skipped.
//!
//! A line parses to a [`Command`]: the [`Request`] the world runs (the `snaplab` words already
//! typed as an [`Emulator`] command) and the CLI's `--output`/`--waiter`. Whether the action
//! exists, and what its parameters mean, is for the world to decide.
//! [`Command::to_line`] writes a command back as a line that parses to the same command;
//! [`render_table`] and [`format_error`] print replies and errors as the real CLI does.
//!
//! # Example
//!
//! ```
//! use snaplab_engine::cli::{parse, render_table, CliError};
//!
//! let cmd = parse("aliyun ecs DescribeSnapshots --DiskId d-1 --output cols=SnapshotId,Status rows=Snapshots.Snapshot[]")?;
//! assert_eq!(cmd.request.params.require("DiskId")?, "d-1");
//! assert_eq!(parse(&cmd.to_line())?, cmd);
//!
//! let reply = serde_json::json!({"Snapshots": {"Snapshot": [{"SnapshotId": "s-1", "Status": "accomplished"}]}});
//! if let Some(spec) = &cmd.output {
//!     let table = render_table(&reply, spec)?;
//!     assert_eq!(table, "SnapshotId | Status\n---------- | ------\ns-1        | accomplished\n");
//! }
//!
//! let e = parse("aliyun ecs describe").unwrap_err();
//! assert_eq!((e.code(), e.http_status()), ("InvalidAction", 403));
//! # Ok::<(), CliError>(())
//! ```

mod call;
mod flags;
mod jmes;
mod table;
mod tokenize;

pub use crate::request::{
    parse_integer, CliError, Emulator, Expected, FieldFlag, FieldProblem, Filter, Limit, Params, Product, QuoteKind,
    Request, Tag, Target,
};
pub use flags::{OutputSpec, WaiterSpec};
pub use table::{format_error, render_table};
pub use tokenize::{quote, tokenize};

/// One parsed command line: the [`Request`] it makes, and the CLI's own flags around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// What the world is asked: the action or emulator command, its parameters, `--region`.
    pub request: Request,
    /// `--output cols=… rows=… num=…`, if given.
    pub output: Option<OutputSpec>,
    /// `--waiter expr=… to=…`, if given.
    pub waiter: Option<WaiterSpec>,
}

impl AsRef<Request> for Command {
    fn as_ref(&self) -> &Request {
        &self.request
    }
}

impl Command {
    /// An ECS API command with no parameters.
    pub fn api(action: &str) -> Self {
        Command::new(Target::Api {
            product: Product::Ecs,
            action: action.to_string(),
        })
    }

    /// An emulator command with no parameters (words that name no command give
    /// [`Emulator::Unknown`], as the parser does).
    pub fn snaplab(words: &[&str]) -> Self {
        Command::new(Target::Snaplab(Emulator::from_words(words)))
    }

    /// A command for `target` with no parameters and no CLI flags.
    pub fn new(target: Target) -> Self {
        Command {
            request: Request::new(target),
            output: None,
            waiter: None,
        }
    }

    /// The command as a line: every word passed through [`quote`], so that
    /// `parse(&c.to_line()) == Ok(c)` for every command [`parse`] can produce. Values that
    /// start with `--` are written `--Name=value`; bare flags stay bare.
    pub fn to_line(&self) -> String {
        let mut words: Vec<String> = Vec::new();
        match &self.request.target {
            Target::Api { product, action } => {
                words.push("aliyun".to_string());
                words.push(product.as_str().to_string());
                words.push(quote(action));
            }
            Target::Snaplab(command) => {
                words.push("snaplab".to_string());
                words.extend(command.words().into_iter().map(quote));
            }
        }
        for (name, value, bare) in self.request.params.iter() {
            if bare {
                words.push(format!("--{name}"));
            } else if value.starts_with("--") {
                words.push(quote(&format!("--{name}={value}")));
            } else {
                words.push(format!("--{name}"));
                words.push(quote(value));
            }
        }
        if let Some(region) = &self.request.region {
            if region.starts_with("--") {
                words.push(quote(&format!("--region={region}")));
            } else {
                words.push("--region".to_string());
                words.push(quote(region));
            }
        }
        if let Some(output) = &self.output {
            words.extend(output.words());
        }
        if let Some(waiter) = &self.waiter {
            words.extend(waiter.words());
        }
        words.join(" ")
    }
}

/// Parses one line. A blank or comment-only line is [`CliError::EmptyCommand`]; use
/// [`parse_line`] to skip those instead.
pub fn parse(line: &str) -> Result<Command, CliError> {
    parse_line(line)?.ok_or(CliError::EmptyCommand)
}

/// Parses one line; `Ok(None)` for a line with no words (blank or only a `#` comment).
pub fn parse_line(line: &str) -> Result<Option<Command>, CliError> {
    if line.len() > Limit::LineBytes.max() {
        return Err(CliError::LimitExceeded {
            limit: Limit::LineBytes,
        });
    }
    let words = tokenize(line)?;
    if words.is_empty() {
        return Ok(None);
    }
    parse_words(&words).map(Some)
}

/// Whether a word is a `--…` parameter word.
fn is_flag_word(w: &str) -> bool {
    w.starts_with("--")
}

fn is_action(a: &str) -> bool {
    let mut chars = a.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

fn is_subcommand_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && !w.starts_with('-')
}

/// Parses already-split words (see the module documentation for the grammar).
pub fn parse_words(words: &[String]) -> Result<Command, CliError> {
    let Some(program) = words.first() else {
        return Err(CliError::EmptyCommand);
    };
    let mut i = 1;
    let target = match program.as_str() {
        "aliyun" => {
            let product = match words.get(1) {
                Some(p) if !is_flag_word(p) => p,
                _ => return Err(CliError::MissingProduct),
            };
            let Some(product) = Product::from_name(product) else {
                return Err(CliError::UnknownProduct {
                    product: product.clone(),
                });
            };
            let action = match words.get(2) {
                Some(a) if !is_flag_word(a) => a,
                _ => return Err(CliError::MissingAction),
            };
            if !is_action(action) {
                return Err(CliError::MalformedAction { action: action.clone() });
            }
            i = 3;
            Target::Api {
                product,
                action: action.clone(),
            }
        }
        "snaplab" => {
            let mut ws = Vec::new();
            while let Some(w) = words.get(i) {
                if is_flag_word(w) {
                    break;
                }
                if !is_subcommand_word(w) {
                    return Err(CliError::MalformedSubcommand { word: w.clone() });
                }
                ws.push(w.clone());
                i += 1;
            }
            if ws.is_empty() {
                return Err(CliError::MissingSubcommand);
            }
            Target::Snaplab(Emulator::from_words(&ws))
        }
        _ => return Err(CliError::UnknownProgram { word: program.clone() }),
    };

    let mut args = Args::new(target);
    while let Some(word) = words.get(i) {
        i += 1;
        let Some(body) = word.strip_prefix("--") else {
            return Err(CliError::UnexpectedArgument { word: word.clone() });
        };
        let (name, inline) = match body.find(['=', ':']) {
            Some(at) => (body.get(..at).unwrap_or(""), body.get(at + 1..)),
            None => (body, None),
        };
        if !crate::request::is_param_name(name) {
            return Err(CliError::MalformedParameterName { word: word.clone() });
        }
        match (args.fields(name), inline) {
            (Some(fields), Some(v)) => fields.push(v.to_string()),
            (Some(fields), None) => {
                while let Some(w) = words.get(i) {
                    if is_flag_word(w) {
                        break;
                    }
                    fields.push(w.clone());
                    i += 1;
                }
            }
            (None, _) => {
                let value = match inline {
                    Some(v) => Some(v.to_string()),
                    None => match words.get(i) {
                        Some(w) if !is_flag_word(w) => {
                            i += 1;
                            Some(w.clone())
                        }
                        _ => None,
                    },
                };
                args.value(name, value)?;
            }
        }
    }
    args.finish()
}

/// A command being put together from its arguments: the parser's words, or an API call's
/// values ([`Command::from_call`]); both go through the same checks.
struct Args {
    cmd: Command,
    output: Option<Vec<String>>,
    waiter: Option<Vec<String>>,
}

impl Args {
    fn new(target: Target) -> Self {
        Args {
            cmd: Command::new(target),
            output: None,
            waiter: None,
        }
    }

    /// The fields of `--output`/`--waiter` when `name` is one of them (they may repeat, their
    /// fields accumulating, as in the real CLI).
    fn fields(&mut self, name: &str) -> Option<&mut Vec<String>> {
        match name {
            "output" => Some(self.output.get_or_insert_with(Vec::new)),
            "waiter" => Some(self.waiter.get_or_insert_with(Vec::new)),
            _ => None,
        }
    }

    /// `--name value`, or the bare flag `--name` (`value` is `None`); `name` is a parameter
    /// name, neither `output` nor `waiter`.
    fn value(&mut self, name: &str, value: Option<String>) -> Result<(), CliError> {
        let request = &mut self.cmd.request;
        if name == "region" {
            if request.region.is_some() {
                return Err(CliError::DuplicateParameter { name: name.to_string() });
            }
            let value = value.ok_or_else(|| CliError::ValueRequired { name: name.to_string() })?;
            request.region = Some(value);
            Ok(())
        } else {
            match value {
                Some(v) => request.params.push(name, &v),
                None => request.params.push_flag(name),
            }
        }
    }

    fn finish(mut self) -> Result<Command, CliError> {
        if let Some(fields) = &self.output {
            self.cmd.output = Some(OutputSpec::from_fields(fields)?);
        }
        if let Some(fields) = &self.waiter {
            self.cmd.waiter = Some(WaiterSpec::from_fields(fields)?);
        }
        Ok(self.cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> Command {
        match parse(line) {
            Ok(c) => c,
            Err(e) => panic!("parse({line:?}) failed: {e}"),
        }
    }

    fn err(line: &str) -> CliError {
        match parse(line) {
            Ok(c) => panic!("parse({line:?}) unexpectedly gave {c:?}"),
            Err(e) => e,
        }
    }

    fn pairs(c: &Command) -> Vec<(String, String, bool)> {
        c.request
            .params
            .iter()
            .map(|(n, v, b)| (n.to_string(), v.to_string(), b))
            .collect()
    }

    // SPEC §18: `aliyun ecs CreateSnapshot --DiskId d-bp1… --SnapshotName n1`.
    #[test]
    fn api_command() {
        let c = ok("aliyun ecs CreateSnapshot --DiskId d-bp1abc --SnapshotName n1");
        assert_eq!(
            c.request.target,
            Target::Api {
                product: Product::Ecs,
                action: "CreateSnapshot".into()
            }
        );
        assert_eq!(
            pairs(&c),
            [
                ("DiskId".into(), "d-bp1abc".into(), false),
                ("SnapshotName".into(), "n1".into(), false)
            ]
        );
        assert_eq!(c.output, None);
        assert_eq!(c.waiter, None);
        // Product names are case-insensitive, like the real CLI.
        let c = ok("aliyun Ecs DescribeSnapshots");
        assert_eq!(
            c.request.target,
            Target::Api {
                product: Product::Ecs,
                action: "DescribeSnapshots".into()
            }
        );
        assert!(c.request.params.is_empty());
    }

    #[test]
    fn snaplab_command() {
        let c = ok("snaplab guest write --DiskId d-1 --Block 1 --Text B1");
        assert_eq!(c.request.target, Target::Snaplab(Emulator::GuestWrite));
        assert_eq!(c.request.params.require_int("Block", 0, 1 << 40), Ok(1));
        assert_eq!(
            ok("snaplab clock advance --Seconds 60").request.params.get("Seconds"),
            Ok(Some("60"))
        );
        assert_eq!(
            ok("snaplab world show").request.target,
            Target::Snaplab(Emulator::WorldShow)
        );
        assert_eq!(
            ok("snaplab clock run-until-idle").request.target,
            Target::Snaplab(Emulator::ClockRunUntilIdle)
        );
        // Words that name no command parse (the world refuses them when it runs them).
        let c = ok("snaplab world explode --A 1 --A-b 2");
        assert_eq!(
            c.request.target,
            Target::Snaplab(Emulator::from_words(&["world", "explode"]))
        );
        assert!(matches!(c.request.target, Target::Snaplab(Emulator::Unknown(_))));
        assert_eq!(parse(&c.to_line()), Ok(c));
        assert_eq!(
            err("snaplab world explode --A 1 --A 2"),
            CliError::DuplicateParameter { name: "A".into() }
        );
    }

    #[test]
    fn parameter_forms() {
        let c = ok("aliyun ecs X --A=1 --B:2 --C=a=b --D= --E -neg --F '' --G --H x:y");
        assert_eq!(
            pairs(&c),
            [
                ("A".into(), "1".into(), false),
                ("B".into(), "2".into(), false),
                ("C".into(), "a=b".into(), false),
                ("D".into(), "".into(), false),
                ("E".into(), "-neg".into(), false),
                ("F".into(), "".into(), false),
                ("G".into(), "true".into(), true),
                ("H".into(), "x:y".into(), false),
            ]
        );
        let c = ok("aliyun ecs DeleteSnapshot --SnapshotId s-1 --Force");
        assert_eq!(c.request.params.bool("Force"), Ok(Some(true)));
        let c = ok("aliyun ecs CreateSnapshot --DryRun --DiskId d-1");
        assert_eq!(c.request.params.bool("DryRun"), Ok(Some(true)));
        assert_eq!(c.request.params.get("DiskId"), Ok(Some("d-1")));
    }

    #[test]
    fn repeat_lists_tags_and_json_arrays_from_a_line() {
        let c = ok(
            r#"aliyun ecs DescribeSnapshots --SnapshotIds '["s-1","s-2"]' --Tag.1.Key env --Tag.1.Value "prod env" --DiskId.2 d-2 --DiskId.1 d-1"#,
        );
        assert_eq!(
            c.request.params.json_list("SnapshotIds"),
            Ok(Some(vec!["s-1".into(), "s-2".into()]))
        );
        assert_eq!(
            c.request.params.tags("Tag"),
            Ok(vec![Tag {
                key: "env".into(),
                value: Some("prod env".into())
            }])
        );
        assert_eq!(c.request.params.list("DiskId"), Ok(vec!["d-1", "d-2"]));
        assert!(c.request.params.unconsumed().is_empty());
    }

    #[test]
    fn output_and_waiter_flags() {
        let c = ok("aliyun ecs DescribeSnapshots --DiskId d-1 --output cols=SnapshotId,Status rows=Snapshots.Snapshot[] num=true --PageSize 5");
        assert_eq!(
            c.output,
            Some(OutputSpec {
                cols: "SnapshotId,Status".into(),
                rows: Some("Snapshots.Snapshot[]".into()),
                num: true
            })
        );
        assert_eq!(c.request.params.get("PageSize"), Ok(Some("5")));
        let c = ok("aliyun ecs DescribeSnapshots --waiter expr='Snapshots.Snapshot[0].Status' to=accomplished timeout=60 interval=2");
        assert_eq!(
            c.waiter,
            Some(WaiterSpec {
                expr: "Snapshots.Snapshot[0].Status".into(),
                to: "accomplished".into(),
                timeout: 60,
                interval: 2
            })
        );
        // Repeated --output accumulates fields, as in the real CLI.
        let c = ok("aliyun ecs DescribeSnapshots --output cols=A --output rows=B[]");
        assert_eq!(
            c.output,
            Some(OutputSpec {
                cols: "A".into(),
                rows: Some("B[]".into()),
                num: false
            })
        );
        let c = ok("aliyun ecs DescribeSnapshots --output=cols=A,B");
        assert_eq!(
            c.output,
            Some(OutputSpec {
                cols: "A,B".into(),
                rows: None,
                num: false
            })
        );
        assert!(matches!(
            err("aliyun ecs DescribeSnapshots --output=cols=A rows=B"),
            CliError::UnexpectedArgument { .. }
        ));
        assert!(matches!(
            err("aliyun ecs DescribeSnapshots --output"),
            CliError::InvalidFlagField { .. }
        ));
        assert!(matches!(
            err("aliyun ecs DescribeSnapshots --waiter expr=a"),
            CliError::InvalidFlagField {
                flag: FieldFlag::Waiter,
                problem: FieldProblem::Missing { key: "to" }
            }
        ));
        let c = ok("aliyun ecs DescribeSnapshots --region cn-hangzhou");
        assert_eq!(c.request.region.as_deref(), Some("cn-hangzhou"));
        assert!(c.request.params.is_empty());
        assert_eq!(
            err("aliyun ecs X --region a --region b"),
            CliError::DuplicateParameter { name: "region".into() }
        );
        assert_eq!(
            err("aliyun ecs X --region"),
            CliError::ValueRequired { name: "region".into() }
        );
    }

    #[test]
    fn command_errors() {
        let cases: Vec<(&str, CliError)> = vec![
            ("", CliError::EmptyCommand),
            ("  # just a comment", CliError::EmptyCommand),
            ("ls -l", CliError::UnknownProgram { word: "ls".into() }),
            ("aliyun", CliError::MissingProduct),
            ("aliyun --DiskId d", CliError::MissingProduct),
            (
                "aliyun oss ListBuckets",
                CliError::UnknownProduct { product: "oss".into() },
            ),
            ("aliyun ecs", CliError::MissingAction),
            (
                "aliyun ecs describeSnapshots",
                CliError::MalformedAction {
                    action: "describeSnapshots".into(),
                },
            ),
            (
                "aliyun ecs Describe-Snapshots",
                CliError::MalformedAction {
                    action: "Describe-Snapshots".into(),
                },
            ),
            (
                "aliyun ecs 快照",
                CliError::MalformedAction {
                    action: "快照".into()
                },
            ),
            ("snaplab", CliError::MissingSubcommand),
            ("snaplab --Seed 1", CliError::MissingSubcommand),
            (
                "snaplab world 'a b'",
                CliError::MalformedSubcommand { word: "a b".into() },
            ),
            (
                "aliyun ecs X stray",
                CliError::UnexpectedArgument { word: "stray".into() },
            ),
            (
                "aliyun ecs X --A 1 2",
                CliError::UnexpectedArgument { word: "2".into() },
            ),
            (
                "aliyun ecs X --",
                CliError::MalformedParameterName { word: "--".into() },
            ),
            (
                "aliyun ecs X --=v",
                CliError::MalformedParameterName { word: "--=v".into() },
            ),
            (
                "aliyun ecs X --1a v",
                CliError::MalformedParameterName { word: "--1a".into() },
            ),
            (
                "aliyun ecs X --A 1 --A 2",
                CliError::DuplicateParameter { name: "A".into() },
            ),
            (
                "aliyun ecs X --A 'open",
                CliError::UnterminatedQuote {
                    quote: QuoteKind::Single,
                },
            ),
            ("aliyun ecs X --A open\\", CliError::TrailingBackslash),
        ];
        for (line, expected) in cases {
            assert_eq!(err(line), expected, "{line:?}");
        }
        assert_eq!(parse_line("   "), Ok(None));
        assert_eq!(parse_line("# comment"), Ok(None));
    }

    // API.md §0 common errors: InvalidAction 403, MissingParameter / InvalidParameter 400.
    #[test]
    fn codes_and_statuses() {
        let e = err("aliyun ecs describeSnapshots");
        assert_eq!((e.code(), e.http_status()), ("InvalidAction", 403));
        assert!(e.message().starts_with("Specified action is not valid."));
        let e = err("aliyun ecs X --A 1 --A 2");
        assert_eq!((e.code(), e.http_status()), ("InvalidParameter", 400));
        let body = e.to_error_body("RID");
        assert_eq!(body["Code"], "InvalidParameter");
        assert_eq!(body["HttpStatus"], 400);
        assert_eq!(body["RequestId"], "RID");
        assert_eq!(body["HostId"], "ecs.aliyuncs.com");
        assert_eq!(
            body["Recommend"],
            "https://api.aliyun.com/troubleshoot?q=InvalidParameter&product=Ecs&requestId=RID"
        );
    }

    // Issue 12 item 2: limits with clear errors; 100,000 parameters are refused by the
    // parameter limit (linear parsing: they once took 55 s), 100,000 columns by the column
    // limit, a line over 128 MiB by the line limit.
    #[test]
    fn limits_issue_12() {
        let mut line = String::from("aliyun ecs DescribeSnapshots");
        for i in 0..100_000 {
            line.push_str(&format!(" --P{i} v"));
        }
        assert_eq!(
            err(&line),
            CliError::LimitExceeded {
                limit: Limit::Parameters
            }
        );
        let mut line = String::from("aliyun ecs DescribeSnapshots");
        for i in 0..Limit::Parameters.max() {
            line.push_str(&format!(" --P{i} v"));
        }
        assert_eq!(
            ok(&format!("{line} --region r --output cols=A")).request.params.len(),
            1000
        );
        let cols = vec!["A"; Limit::OutputColumns.max()].join(",");
        assert!(parse(&format!("aliyun ecs X --output cols={cols}")).is_ok());
        let e = err(&format!("aliyun ecs X --output cols={cols} num=true"));
        assert_eq!(
            e,
            CliError::LimitExceeded {
                limit: Limit::OutputColumns
            }
        );
        assert!(e.message().contains("at most 256 columns"), "{}", e.message());
        // (128 MiB strings: natively only.)
        #[cfg(not(target_arch = "wasm32"))]
        let long = format!("aliyun ecs X --A {}", "a".repeat(Limit::LineBytes.max()));
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(
            err(&long),
            CliError::LimitExceeded {
                limit: Limit::LineBytes
            }
        );
    }

    #[test]
    fn to_line_round_trips() {
        let lines = [
            "aliyun ecs CreateSnapshot --DiskId d-bp1 --SnapshotName 'my snap' --Description \"it's\"",
            "aliyun ECS DescribeSnapshots --SnapshotIds '[\"s-1\",\"s-2\"]' --output cols=SnapshotId,Status rows=Snapshots.Snapshot[] num=true",
            "aliyun ecs DescribeSnapshots --waiter expr='Snapshots.Snapshot[0].Status' to=accomplished timeout=30",
            "aliyun ecs X --Force --A=--dashes --B '' --C -x --D '#hash' --E 快照 --region cn-hangzhou",
            "snaplab guest write --DiskId d-1 --Block 1 --Text 'B1 with\nnewline'",
            "snaplab world show",
            "snaplab no such-command --X 1",
        ];
        for line in lines {
            let c = ok(line);
            let again = c.to_line();
            assert_eq!(parse(&again), Ok(c.clone()), "{line:?} → {again:?}");
        }
        let c = ok("aliyun ecs CreateSnapshot --DiskId d-bp1 --SnapshotName 'my snap' --Force");
        assert_eq!(
            c.to_line(),
            "aliyun ecs CreateSnapshot --DiskId d-bp1 --SnapshotName 'my snap' --Force"
        );
        let mut c = Command::api("DeleteSnapshot");
        assert_eq!(c.request.params.push("SnapshotId", "--weird"), Ok(()));
        assert_eq!(c.to_line(), "aliyun ecs DeleteSnapshot --SnapshotId=--weird");
        assert_eq!(parse(&c.to_line()), Ok(c));
    }
}
