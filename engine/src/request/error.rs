//! The command line's typed errors (SPEC §17, §18).
//!
//! They live in the request layer, not in [`crate::cli`], because a request's parameter
//! getters ([`super::Params`]) fail with them too, wherever the request came from: the world
//! reports them as they are ([`crate::world::Failure::Cli`]).
//!
//! Every way a line can fail to parse, a parameter can fail to convert, or an `--output`
//! table / `--waiter` can fail is one [`CliError`] variant. Each knows its ECS error code
//! ([`CliError::code`]), its HTTP status ([`CliError::http_status`]) and an ECS-style
//! message ([`CliError::message`]). The codes are the generic ECS ones from API.md's
//! "Common errors" table: `MissingParameter` (400), `InvalidParameter` (400) and
//! `InvalidAction` (403). The only exception is the waiter timeout, which never reaches
//! the server in the real CLI either; it uses the Go SDK's client-side code
//! `SDK.TimeoutError` (there is no ECS code for "a client gave up waiting").

use std::fmt;

/// Which kind of quote was left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// A `'…` single-quoted string.
    Single,
    /// A `"…` double-quoted string.
    Double,
}

/// What a typed parameter getter expected to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// A decimal integer in `min..=max`.
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// `true` or `false` (any letter case), or the bare flag form `--Name`.
    Boolean,
}

/// A size limit of the command line (issue 12). The values are generous, far above any real
/// use, so that a hostile line is refused with a clear error instead of exhausting memory,
/// time or the stack: [`CliError::LimitExceeded`] names the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The bytes of one line (without its line end): 128 MiB, room for the largest world
    /// export (64 MiB of stored blocks, base64-encoded) given as `snaplab world import --Json`.
    LineBytes,
    /// The parameters of one command: 1,000 (the longest ECS repeat lists take 100).
    Parameters,
    /// The columns of one `--output` table (`cols=`, with `num=true`'s `Num`): 256.
    OutputColumns,
}

impl Limit {
    /// The most allowed.
    pub const fn max(self) -> usize {
        match self {
            Limit::LineBytes => 128 << 20,
            Limit::Parameters => 1000,
            Limit::OutputColumns => 256,
        }
    }
}

/// The two real-CLI flags that take `key=value` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldFlag {
    /// `--output cols=… rows=… num=…`
    Output,
    /// `--waiter expr=… to=… timeout=… interval=…`
    Waiter,
}

impl FieldFlag {
    /// The flag as typed, e.g. `--output`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldFlag::Output => "--output",
            FieldFlag::Waiter => "--waiter",
        }
    }
}

/// What is wrong with the fields of an `--output` or `--waiter` flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// A required field (`cols`, `expr`, `to`) is absent.
    Missing {
        /// The field's key.
        key: &'static str,
    },
    /// A field appears twice.
    Duplicate {
        /// The field's key.
        key: String,
    },
    /// A `key=value` word whose key the flag does not know.
    Unknown {
        /// The unknown key.
        key: String,
    },
    /// A word that is not of the form `key=value`.
    NotKeyValue {
        /// The word as given.
        word: String,
    },
    /// `timeout=` / `interval=` is not an integer.
    NotInteger {
        /// The field's key.
        key: &'static str,
        /// The value as given.
        value: String,
    },
    /// `timeout=` / `interval=` is outside the range the real CLI allows.
    OutOfRange {
        /// The field's key.
        key: &'static str,
        /// The value as given.
        value: String,
        /// Smallest accepted value.
        min: u32,
        /// Largest accepted value.
        max: u32,
    },
    /// A field that must be a JMESPath expression does not compile.
    BadExpression {
        /// The field's key.
        key: &'static str,
        /// The expression as given.
        expr: String,
        /// What the JMESPath compiler (or the safety check) said.
        detail: String,
    },
}

/// Every error of the command-line layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The line holds no command (only blanks or a comment) where one was required.
    EmptyCommand,
    /// A quote was opened and never closed.
    UnterminatedQuote {
        /// Which quote.
        quote: QuoteKind,
    },
    /// The line ends with a backslash that escapes nothing.
    TrailingBackslash,
    /// The first word is neither `aliyun` nor `snaplab`.
    UnknownProgram {
        /// The first word.
        word: String,
    },
    /// `aliyun` without a product.
    MissingProduct,
    /// `aliyun <product>` for a product other than `ecs`.
    UnknownProduct {
        /// The product as typed.
        product: String,
    },
    /// `aliyun ecs` without an action.
    MissingAction,
    /// The action is not a PascalCase API name.
    MalformedAction {
        /// The action as typed.
        action: String,
    },
    /// `snaplab` without any command word.
    MissingSubcommand,
    /// A `snaplab` command word with characters outside `[A-Za-z0-9_-]`.
    MalformedSubcommand {
        /// The word as typed.
        word: String,
    },
    /// A word where a `--Parameter` was expected.
    UnexpectedArgument {
        /// The word as typed.
        word: String,
    },
    /// A `--…` word whose parameter name is empty or has characters outside
    /// `[A-Za-z0-9._-]` (or does not start with a letter).
    MalformedParameterName {
        /// The whole word as typed.
        word: String,
    },
    /// The same parameter (or CLI flag such as `--region`) was given twice.
    DuplicateParameter {
        /// The parameter's name.
        name: String,
    },
    /// A mandatory parameter is absent.
    MissingParameter {
        /// The parameter's name.
        name: String,
    },
    /// A parameter was given as a bare flag (`--Name` with no value) where a value is needed.
    ValueRequired {
        /// The parameter's name.
        name: String,
    },
    /// A parameter's value does not have the expected type or range.
    InvalidValue {
        /// The parameter's name.
        name: String,
        /// The value as given.
        value: String,
        /// What was expected.
        expected: Expected,
    },
    /// A repeat-list parameter `Prefix.N…` whose `N` is not a positive decimal integer
    /// without leading zeros.
    MalformedListIndex {
        /// The parameter's full name.
        name: String,
    },
    /// A repeat list whose indices do not run 1, 2, 3… without gaps.
    ListGap {
        /// The list's prefix, e.g. `DiskId` or `Tag`.
        prefix: String,
        /// The first missing index.
        missing: u64,
    },
    /// A parameter that must hold a JSON array of strings does not.
    MalformedJsonArray {
        /// The parameter's name.
        name: String,
    },
    /// A bad field in `--output` / `--waiter`.
    InvalidFlagField {
        /// Which flag.
        flag: FieldFlag,
        /// What is wrong.
        problem: FieldProblem,
    },
    /// `--output rows=…` failed to evaluate on the reply.
    RowsQueryFailed {
        /// The full row path as the real CLI builds it (`RootFilter[0].<rows>`).
        path: String,
        /// The JMESPath runtime error.
        detail: String,
    },
    /// `--output rows=…` did not select an array.
    RowsNotArray {
        /// The full row path as the real CLI builds it.
        path: String,
    },
    /// The rows are arrays, so every column must be `name:index`.
    ArrayColumnFormat {
        /// The column as given.
        column: String,
    },
    /// The `--waiter expr=…` did not select a string (the real CLI refuses too).
    WaiterNotString {
        /// The expression.
        expr: String,
        /// The selected value, printed as the real CLI does (Go `%v`).
        got: String,
    },
    /// A line of a script or of standard input is not UTF-8 text (the native runner reads
    /// bytes, answers this for the line and goes on with the next).
    InvalidUtf8 {
        /// The line's number, from 1, in its file.
        line: u64,
    },
    /// A size limit is exceeded (see [`Limit`]).
    LimitExceeded {
        /// Which limit.
        limit: Limit,
    },
    /// The waiter gave up.
    WaiterTimeout {
        /// The expression.
        expr: String,
        /// The awaited value.
        to: String,
        /// The timeout in (simulated) seconds.
        timeout: u32,
        /// The last value seen.
        last: String,
    },
}

impl CliError {
    /// The ECS error code: `InvalidParameter`, `MissingParameter`, `InvalidAction`, or
    /// `SDK.TimeoutError` for [`CliError::WaiterTimeout`].
    pub fn code(&self) -> &'static str {
        use CliError::*;
        match self {
            EmptyCommand
            | UnknownProgram { .. }
            | MissingProduct
            | UnknownProduct { .. }
            | MissingAction
            | MalformedAction { .. }
            | MissingSubcommand
            | MalformedSubcommand { .. } => "InvalidAction",
            MissingParameter { .. } => "MissingParameter",
            WaiterTimeout { .. } => "SDK.TimeoutError",
            UnterminatedQuote { .. }
            | TrailingBackslash
            | UnexpectedArgument { .. }
            | MalformedParameterName { .. }
            | DuplicateParameter { .. }
            | ValueRequired { .. }
            | InvalidValue { .. }
            | MalformedListIndex { .. }
            | ListGap { .. }
            | MalformedJsonArray { .. }
            | InvalidFlagField { .. }
            | RowsQueryFailed { .. }
            | RowsNotArray { .. }
            | ArrayColumnFormat { .. }
            | WaiterNotString { .. }
            | InvalidUtf8 { .. }
            | LimitExceeded { .. } => "InvalidParameter",
        }
    }

    /// The HTTP status ECS uses for [`code`](Self::code): 403 for `InvalidAction`, 408 for
    /// the waiter timeout (a client-side give-up; closest HTTP meaning), 400 otherwise.
    pub fn http_status(&self) -> u16 {
        match self.code() {
            "InvalidAction" => 403,
            "SDK.TimeoutError" => 408,
            _ => 400,
        }
    }

    /// A clear, ECS-style message.
    pub fn message(&self) -> String {
        use CliError::*;
        const BAD_ACTION: &str = "Specified action is not valid.";
        match self {
            EmptyCommand => format!("{BAD_ACTION} The command line is empty."),
            UnterminatedQuote { quote } => {
                let (name, ch) = match quote {
                    QuoteKind::Single => ("single", '\''),
                    QuoteKind::Double => ("double", '"'),
                };
                format!(
                    "The command line is not valid: a {name} quote ({ch}) is opened and never closed."
                )
            }
            TrailingBackslash => {
                "The command line is not valid: it ends with a backslash that escapes nothing."
                    .to_string()
            }
            UnknownProgram { word } => format!(
                "{BAD_ACTION} \"{word}\" is not a command; lines start with \"aliyun\" or \"snaplab\"."
            ),
            MissingProduct => format!(
                "{BAD_ACTION} The product is missing: write \"aliyun ecs <Action> --Parameter value…\"."
            ),
            UnknownProduct { product } => format!(
                "{BAD_ACTION} The product \"{product}\" is not emulated; only \"ecs\" is available."
            ),
            MissingAction => format!(
                "{BAD_ACTION} The action is missing: write \"aliyun ecs <Action> --Parameter value…\"."
            ),
            MalformedAction { action } => format!(
                "{BAD_ACTION} \"{action}\" is not an API name (API names are PascalCase, e.g. DescribeSnapshots)."
            ),
            MissingSubcommand => format!(
                "{BAD_ACTION} \"snaplab\" needs a command, e.g. \"snaplab world show\"."
            ),
            MalformedSubcommand { word } => format!(
                "{BAD_ACTION} \"{word}\" is not a snaplab command word (letters, digits, \"-\" and \"_\" only)."
            ),
            UnexpectedArgument { word } => format!(
                "The specified parameter is not valid: \"{word}\" is not a --Parameter and follows no parameter that takes a value."
            ),
            MalformedParameterName { word } => format!(
                "The specified parameter \"{word}\" is not valid: a parameter is written --Name or --Name=value, where Name starts with a letter and uses letters, digits, \".\", \"_\" and \"-\"."
            ),
            DuplicateParameter { name } => {
                format!("The specified parameter \"{name}\" is not valid: it is given more than once.")
            }
            MissingParameter { name } => format!(
                "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
            ),
            ValueRequired { name } => format!(
                "The specified parameter \"{name}\" is not valid: it needs a value (--{name} value)."
            ),
            InvalidValue { name, value, expected } => match expected {
                Expected::Integer { min, max } => format!(
                    "The specified parameter \"{name}\" is not valid: \"{value}\" is not an integer between {min} and {max}."
                ),
                Expected::Boolean => format!(
                    "The specified parameter \"{name}\" is not valid: \"{value}\" is neither true nor false."
                ),
            },
            MalformedListIndex { name } => format!(
                "The specified parameter \"{name}\" is not valid: N in a repeat list Name.N must be a whole number from 1 without leading zeros."
            ),
            ListGap { prefix, missing } => format!(
                "The specified parameter \"{prefix}\" is not valid: \"{prefix}.{missing}\" is missing; repeat-list indices run 1, 2, 3… without gaps."
            ),
            MalformedJsonArray { name } => format!(
                "The specified parameter \"{name}\" is not valid: it must be a JSON array of strings, e.g. '[\"s-1\",\"s-2\"]'."
            ),
            InvalidFlagField { flag, problem } => {
                let flag = flag.as_str();
                match problem {
                    FieldProblem::Missing { key } => {
                        format!("The specified parameter \"{flag}\" is not valid: {key}= is required.")
                    }
                    FieldProblem::Duplicate { key } => format!(
                        "The specified parameter \"{flag}\" is not valid: {key}= is given more than once."
                    ),
                    FieldProblem::Unknown { key } => format!(
                        "The specified parameter \"{flag}\" is not valid: it has no field {key}=."
                    ),
                    FieldProblem::NotKeyValue { word } => format!(
                        "The specified parameter \"{flag}\" is not valid: \"{word}\" is not of the form key=value."
                    ),
                    FieldProblem::NotInteger { key, value } => format!(
                        "The specified parameter \"{flag}\" is not valid: {key}={value} must be an integer."
                    ),
                    FieldProblem::OutOfRange { key, value, min, max } => format!(
                        "The specified parameter \"{flag}\" is not valid: {key}={value} must be between {min} and {max} (seconds)."
                    ),
                    FieldProblem::BadExpression { key, expr, detail } => format!(
                        "The specified parameter \"{flag}\" is not valid: {key}={expr} is not a usable JMESPath expression ({detail})."
                    ),
                }
            }
            RowsQueryFailed { path, detail } => format!("jmespath: '{path}' failed {detail}"),
            RowsNotArray { path } => format!("jmespath: '{path}' failed Need Array Expr"),
            ArrayColumnFormat { column } => format!(
                "colNames: {column} must be string:number format, like 'name:0', 0 is the array index"
            ),
            WaiterNotString { expr, got } => format!(
                "The specified parameter \"--waiter\" is not valid: expr={expr} selected {got}, which is not a string."
            ),
            InvalidUtf8 { line } => format!(
                "The command line is not valid: line {line} is not UTF-8 text; Snaplab reads UTF-8 only."
            ),
            LimitExceeded { limit } => {
                let max = limit.max();
                match limit {
                    Limit::LineBytes => format!(
                        "The command line is not valid: it is longer than {max} bytes (128 MiB), the longest line Snaplab reads."
                    ),
                    Limit::Parameters => format!(
                        "The specified parameters are not valid: a command takes at most {max} parameters."
                    ),
                    Limit::OutputColumns => format!(
                        "The specified parameter \"--output\" is not valid: a table has at most {max} columns."
                    ),
                }
            }
            WaiterTimeout { expr, to, timeout, last } => {
                format!("wait '{expr}' to '{to}' timeout({timeout}seconds), last='{last}'")
            }
        }
    }

    /// The error as the API's JSON error envelope (SPEC §17, API.md §0 "Error envelope"),
    /// with the given request ID and the plausible `Recommend` URL API.md settles on.
    pub fn to_error_body(&self, request_id: &str) -> serde_json::Value {
        let code = self.code();
        serde_json::json!({
            "RequestId": request_id,
            "HostId": "ecs.aliyuncs.com",
            "Code": code,
            "Message": self.message(),
            "Recommend": format!(
                "https://api.aliyun.com/troubleshoot?q={code}&product=Ecs&requestId={request_id}"
            ),
            "HttpStatus": self.http_status(),
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for CliError {}
