//! The other direction: an API call given as an action and a parameter object (the JS API's
//! `call`) written as the command line the CLI would take, so that it runs through exactly the
//! same parser and checks as a typed line.

use super::quote;
use crate::error::EcsError;
use serde_json::Value;

/// The line `aliyun ecs <action> --Name value …` for `params`, an object of the API's
/// parameter names:
/// - strings, numbers and booleans become `--Name value`;
/// - an array of scalars becomes a repeat list (`--DiskId.1 a --DiskId.2 b`); a parameter the
///   API takes as a JSON array string (`SnapshotIds`) is passed as that string;
/// - an array of objects becomes `--Tag.1.Key k --Tag.1.Value v`, an object `--Name.Key v`;
/// - `null` leaves the parameter out.
pub fn api_line(action: &str, params: &Value) -> Result<String, EcsError> {
    let bad = |why: String| EcsError::invalid("Parameters", why);
    if action.is_empty() || !action.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(format!("{action:?} is not an action name")));
    }
    let mut line = format!("aliyun ecs {action}");
    let fields = match params {
        Value::Null => return Ok(line),
        Value::Object(map) => map,
        _ => return Err(bad("the parameters must be an object".into())),
    };
    let mut flags = Vec::new();
    for (name, value) in fields {
        flatten(name, value, &mut flags).map_err(bad)?;
    }
    for (name, value) in flags {
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '\'' || c == '"') {
            return Err(bad(format!("{name:?} is not a parameter name")));
        }
        line.push_str(&format!(" --{name} {}", quote(&value)));
    }
    Ok(line)
}

fn flatten(name: &str, value: &Value, out: &mut Vec<(String, String)>) -> Result<(), String> {
    match value {
        Value::Null => {}
        Value::String(s) => out.push((name.to_string(), s.clone())),
        Value::Number(n) => out.push((name.to_string(), n.to_string())),
        Value::Bool(b) => out.push((name.to_string(), b.to_string())),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{name}.{}", i + 1), item, out)?;
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                flatten(&format!("{name}.{key}"), item, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{parse_line, Target};
    use serde_json::json;

    #[test]
    fn objects_become_the_lines_the_cli_takes() {
        let line = api_line(
            "CreateSnapshot",
            &json!({"DiskId": "d-1", "SnapshotName": "it's mine", "RetentionDays": 3, "Tag": [{"Key": "k", "Value": "v w"}], "DryRun": false, "Description": null}),
        )
        .unwrap();
        assert_eq!(
            line,
            "aliyun ecs CreateSnapshot --DiskId d-1 --DryRun false --RetentionDays 3 --SnapshotName 'it'\\''s mine' --Tag.1.Key k --Tag.1.Value 'v w'"
        );
        let cmd = parse_line(&line).unwrap().unwrap();
        assert!(matches!(cmd.target, Target::Api { ref action, .. } if action == "CreateSnapshot"));
        assert_eq!(cmd.params.raw("SnapshotName"), Some("it's mine"));
        assert_eq!(cmd.params.raw("Tag.1.Value"), Some("v w"));
        let ids = api_line(
            "DescribeSnapshots",
            &json!({"SnapshotIds": "[\"s-1\",\"s-2\"]", "DiskId": ["a", "b"]}),
        )
        .unwrap();
        assert_eq!(
            ids,
            "aliyun ecs DescribeSnapshots --DiskId.1 a --DiskId.2 b --SnapshotIds '[\"s-1\",\"s-2\"]'"
        );
    }

    #[test]
    fn bad_actions_and_parameters_are_refused() {
        assert!(api_line("Create Snapshot", &json!({})).is_err());
        assert!(api_line("X; rm", &json!({})).is_err());
        assert!(api_line("DescribeSnapshots", &json!([1])).is_err());
        assert!(api_line("DescribeSnapshots", &json!({"a b": 1})).is_err());
        assert_eq!(
            api_line("DescribeRegions", &Value::Null).unwrap(),
            "aliyun ecs DescribeRegions"
        );
    }
}
