//! The other way in: an API call given as an action and parameter values (the JS API's `call`,
//! flattened by [`crate::request::object`]) taken in as the command the CLI would parse from the
//! line `aliyun ecs <Action> --Name value …`, with the same checks, without writing the line.

use super::{is_action, Args, CliError, Command, Product, Target};
use crate::request::object::ApiCall;

impl Command {
    /// The ECS command of `call`: the action must be an API name (PascalCase, else
    /// [`CliError::MalformedAction`]); each value is taken as the parser takes `--Name value`:
    /// a parameter (its name checked, [`CliError::MalformedParameterName`]; given twice,
    /// [`CliError::DuplicateParameter`]), or one of the CLI's own flags `region`, `output`,
    /// `waiter`. A value is always a value, even one that starts with `--`.
    pub fn from_call(call: &ApiCall) -> Result<Command, CliError> {
        if !is_action(&call.action) {
            return Err(CliError::MalformedAction {
                action: call.action.clone(),
            });
        }
        let mut args = Args::new(Target::Api {
            product: Product::Ecs,
            action: call.action.clone(),
        });
        for (name, value) in &call.values {
            if !crate::request::is_param_name(name) {
                return Err(CliError::MalformedParameterName {
                    word: format!("--{name}"),
                });
            }
            match args.fields(name) {
                Some(fields) => fields.push(value.clone()),
                None => args.value(name, Some(value.clone()))?,
            }
        }
        args.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{parse, OutputSpec};
    use crate::request::object::api_call;
    use serde_json::json;

    fn command(action: &str, params: serde_json::Value) -> Result<Command, CliError> {
        Command::from_call(&api_call(action, &params).expect("an API call"))
    }

    #[test]
    fn calls_are_the_commands_their_lines_parse_to() {
        let c = command(
            "CreateSnapshot",
            json!({"DiskId": "d-1", "SnapshotName": "it's mine", "RetentionDays": 3, "Tag": [{"Key": "k", "Value": "v w"}], "DryRun": false, "Description": null}),
        )
        .unwrap();
        assert_eq!(
            Ok(c),
            parse("aliyun ecs CreateSnapshot --DiskId d-1 --DryRun false --RetentionDays 3 --SnapshotName 'it'\\''s mine' --Tag.1.Key k --Tag.1.Value 'v w'")
        );
        let c = command(
            "DescribeSnapshots",
            json!({"SnapshotIds": "[\"s-1\",\"s-2\"]", "DiskId": ["a", "b"], "region": "cn-hangzhou", "output": "cols=SnapshotId"}),
        )
        .unwrap();
        assert_eq!(
            c.request.params.json_list("SnapshotIds"),
            Ok(Some(vec!["s-1".into(), "s-2".into()]))
        );
        assert_eq!(c.request.params.list("DiskId"), Ok(vec!["a", "b"]));
        assert_eq!(c.request.region.as_deref(), Some("cn-hangzhou"));
        assert_eq!(
            c.output,
            Some(OutputSpec {
                cols: "SnapshotId".into(),
                rows: None,
                num: false
            })
        );
        assert_eq!(parse(&c.to_line()), Ok(c));
        // A value that starts with `--` is a value (a line writes it `--Name=--value`).
        let c = command("DeleteSnapshot", json!({"SnapshotId": "--weird"})).unwrap();
        assert_eq!(c.request.params.get("SnapshotId"), Ok(Some("--weird")));
        assert_eq!(parse(&c.to_line()), Ok(c));
    }

    #[test]
    fn the_line_checks_apply() {
        assert_eq!(
            command("describeSnapshots", json!({})),
            Err(CliError::MalformedAction {
                action: "describeSnapshots".into()
            })
        );
        assert_eq!(
            command("DescribeSnapshots", json!({"1abc": 1})),
            Err(CliError::MalformedParameterName { word: "--1abc".into() })
        );
        assert_eq!(
            command("DescribeSnapshots", json!({"A=b": 1})),
            Err(CliError::MalformedParameterName { word: "--A=b".into() })
        );
        assert_eq!(
            command("DescribeSnapshots", json!({"Tag.1.Key": "a", "Tag": [{"Key": "b"}]})),
            Err(CliError::DuplicateParameter {
                name: "Tag.1.Key".into()
            })
        );
        assert!(matches!(
            command("DescribeSnapshots", json!({"waiter": "expr=a"})),
            Err(CliError::InvalidFlagField { .. })
        ));
    }
}
