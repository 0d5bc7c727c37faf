//! Reply views: a line's reply as the pages read it ([`Answer`], [`EcsErr`]) and as the
//! terminal prints it ([`cli_output`]).

use serde_json::Value;
use snaplab_engine::cli;
use snaplab_engine::session::LineReply;

/// An ECS error (or a command-line error) as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct EcsErr {
    pub code: String,
    pub message: String,
    pub request_id: String,
    /// The whole error object.
    pub body: Value,
}

impl EcsErr {
    pub fn from_body(body: &Value) -> Self {
        let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        EcsErr {
            code: s("Code"),
            message: s("Message"),
            request_id: s("RequestId"),
            body: body.clone(),
        }
    }

    /// A console-side failure (the engine could not be reached).
    pub fn console(message: impl Into<String>) -> Self {
        let message = message.into();
        EcsErr {
            code: "InternalError".into(),
            message: message.clone(),
            request_id: String::new(),
            body: serde_json::json!({ "Code": "InternalError", "Message": message }),
        }
    }
}

/// A reply: the API's JSON, or its error.
pub type Answer = Result<Value, EcsErr>;

/// The answer of a line's reply (`Null` for a blank line).
pub fn answer(reply: Option<LineReply>) -> Answer {
    match reply {
        None => Ok(Value::Null),
        Some(r) if r.is_error => Err(EcsErr::from_body(&r.body)),
        Some(r) => Ok(r.body),
    }
}

/// Longer outputs are cut in the log (an export is megabytes of JSON).
const OUTPUT_LIMIT: usize = 20_000;

/// What the terminal prints for a reply, as the aliyun CLI does (SPEC §18).
pub fn cli_output(reply: &Option<LineReply>) -> String {
    let mut text = match reply {
        None => String::new(),
        Some(r) if r.is_error => cli::format_error(&r.body),
        Some(r) => match &r.table {
            Some(t) => t.clone(),
            None => serde_json::to_string_pretty(&r.body).unwrap_or_default(),
        },
    };
    if text.len() > OUTPUT_LIMIT {
        let total = text.chars().count();
        let mut cut = OUTPUT_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(&format!("\n… ({total} characters in all)"));
    }
    text
}

/// The reply of a line whose engine went away before it answered.
pub(super) fn gone() -> LineReply {
    LineReply {
        body: serde_json::json!({ "Code": "InternalError", "Message": "the engine stopped before answering" }),
        is_error: true,
        table: None,
        changed: false,
        replaced: None,
    }
}
