//! An API call given as an action and a JSON object of parameters (the JS API's `call` and its
//! typed calls), flattened into the named values of a request by the API's naming rules —
//! no command line is written or tokenized. [`crate::cli::Command::from_call`] takes the
//! values in as the parser takes `--Name value` words, with the same checks.

use crate::error::EcsError;
use serde_json::Value;

/// An API call as an action and its parameters' values by their API names, in the object's
/// key order (flattened: `DiskId.1`, `Tag.1.Key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCall {
    /// The action, e.g. `CreateSnapshot`.
    pub action: String,
    /// `(name, value)` in order.
    pub values: Vec<(String, String)>,
}

/// The call of `action` with `params`, an object of the API's parameter names:
/// - strings, numbers and booleans are values (`DryRun: true` is `"true"`);
/// - an array of scalars is a repeat list (`DiskId: ["a", "b"]` is `DiskId.1`, `DiskId.2`); a
///   parameter the API takes as a JSON array string (`SnapshotIds`) is passed as that string;
/// - an array of objects is `Tag.1.Key`, `Tag.1.Value`…, an object `Name.Key`;
/// - `null` leaves the parameter out; `null` or `undefined` instead of the object: no parameters.
///
/// Refused with `InvalidParameter` (`Parameters`): an action that is not a word of ASCII
/// letters and digits, parameters that are not an object, a name that is empty or holds blanks
/// or quotes. Everything else is the command line's to check ([`crate::cli::Command::from_call`]).
pub fn api_call(action: &str, params: &Value) -> Result<ApiCall, EcsError> {
    let bad = |why: String| EcsError::invalid("Parameters", why);
    if action.is_empty() || !action.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(format!("{action:?} is not an action name")));
    }
    let mut values = Vec::new();
    match params {
        Value::Null => {}
        Value::Object(map) => {
            for (name, value) in map {
                flatten(name, value, &mut values);
            }
        }
        _ => return Err(bad("the parameters must be an object".into())),
    }
    if let Some((name, _)) = values
        .iter()
        .find(|(name, _)| name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '\'' || c == '"'))
    {
        return Err(bad(format!("{name:?} is not a parameter name")));
    }
    Ok(ApiCall {
        action: action.to_string(),
        values,
    })
}

fn flatten(name: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((name.to_string(), s.clone())),
        Value::Number(n) => out.push((name.to_string(), n.to_string())),
        Value::Bool(b) => out.push((name.to_string(), b.to_string())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{name}.{}", i + 1), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                flatten(&format!("{name}.{key}"), item, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(call: &ApiCall) -> Vec<(&str, &str)> {
        call.values.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    #[test]
    fn objects_flatten_to_the_api_names() {
        let call = api_call(
            "CreateSnapshot",
            &json!({"DiskId": "d-1", "SnapshotName": "it's mine", "RetentionDays": 3, "Tag": [{"Key": "k", "Value": "v w"}], "DryRun": false, "Description": null}),
        )
        .unwrap();
        assert_eq!(call.action, "CreateSnapshot");
        assert_eq!(
            values(&call),
            [
                ("DiskId", "d-1"),
                ("DryRun", "false"),
                ("RetentionDays", "3"),
                ("SnapshotName", "it's mine"),
                ("Tag.1.Key", "k"),
                ("Tag.1.Value", "v w"),
            ]
        );
        let call = api_call(
            "DescribeSnapshots",
            &json!({"SnapshotIds": "[\"s-1\",\"s-2\"]", "DiskId": ["a", "b"], "Filter": {"Key": "x"}}),
        )
        .unwrap();
        assert_eq!(
            values(&call),
            [
                ("DiskId.1", "a"),
                ("DiskId.2", "b"),
                ("Filter.Key", "x"),
                ("SnapshotIds", "[\"s-1\",\"s-2\"]"),
            ]
        );
        assert!(api_call("DescribeRegions", &Value::Null).unwrap().values.is_empty());
    }

    #[test]
    fn bad_actions_and_parameters_are_refused() {
        for (action, params) in [
            ("Create Snapshot", json!({})),
            ("X; rm", json!({})),
            ("", json!({})),
            ("DescribeSnapshots", json!([1])),
            ("DescribeSnapshots", json!("DiskId")),
            ("DescribeSnapshots", json!({"a b": 1})),
            ("DescribeSnapshots", json!({"": 1})),
            ("DescribeSnapshots", json!({"Tag": [{"it's": 1}]})),
        ] {
            let e = api_call(action, &params).unwrap_err();
            assert_eq!(
                (e.code(), e.http_status()),
                ("InvalidParameter", 400),
                "{action} {params}"
            );
        }
    }
}
