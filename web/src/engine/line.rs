//! The `Line` builder: command lines with quoted values, as pages write them.

use snaplab_engine::cli;

/// Builds a command line with quoted values: `Line::ecs("CreateSnapshot").arg("DiskId", id)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Line(String);

impl Line {
    pub fn ecs(action: &str) -> Self {
        Line(format!("aliyun ecs {action}"))
    }

    pub fn snaplab(words: &str) -> Self {
        Line(format!("snaplab {words}"))
    }

    pub fn arg(mut self, name: &str, value: impl AsRef<str>) -> Self {
        self.0.push_str(" --");
        self.0.push_str(name);
        self.0.push(' ');
        self.0.push_str(&cli::quote(value.as_ref()));
        self
    }

    /// Adds the parameter only when the value is not blank.
    pub fn opt(self, name: &str, value: impl AsRef<str>) -> Self {
        let v = value.as_ref().trim();
        if v.is_empty() {
            self
        } else {
            self.arg(name, v)
        }
    }

    /// Adds `--name true` when `on`.
    pub fn flag(self, name: &str, on: bool) -> Self {
        if on {
            self.arg(name, "true")
        } else {
            self
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The line as a dialog's `line` property.
    pub fn some(self) -> Option<String> {
        Some(self.0)
    }
}

impl std::fmt::Display for Line {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Line> for String {
    fn from(l: Line) -> String {
        l.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_quote_their_values() {
        let l = Line::ecs("CreateSnapshot")
            .arg("DiskId", "d-1")
            .opt("Description", " ")
            .arg("SnapshotName", "it's mine")
            .flag("InstantAccess", true);
        assert_eq!(
            l.as_str(),
            "aliyun ecs CreateSnapshot --DiskId d-1 --SnapshotName 'it'\\''s mine' --InstantAccess true"
        );
        let cmd = cli::parse_line(l.as_str()).unwrap().unwrap();
        assert_eq!(cmd.request.params.raw("SnapshotName"), Some("it's mine"));
    }
}
