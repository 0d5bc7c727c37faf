//! `--output` tables and CLI-style error text, printed exactly as the real aliyun CLI does.
//!
//! The real CLI (`openapi/output_filter.go`) builds each line as the cells joined by
//! `"\t "` and feeds the lines to Go's `text/tabwriter` with `minwidth 0, tabwidth 0,
//! padding 1, padchar ' ', flags Debug`. [`TabWriter`] reproduces that writer's algorithm
//! (cell widths in Unicode scalar values, column blocks, a `|` before every cell but the
//! first), so values containing tabs or newlines come out as the real CLI prints them too.

use jmespath::{Rcvar, Variable};

use super::flags::OutputSpec;
use super::jmes;
use crate::request::CliError;

/// Renders a reply as the real CLI's `--output` table (SPEC §18).
///
/// * The reply is wrapped as `{"RootFilter":[reply]}`; the rows are
///   `RootFilter[0].<rows>` (or `RootFilter`, i.e. the reply itself, without `rows`), which
///   must select an array ([`CliError::RowsQueryFailed`], [`CliError::RowsNotArray`]).
/// * Each column is a JMESPath evaluated on a row; a missing value or a failing expression
///   prints `<nil>`, other values print as Go's `%v` (`[a b]`, `map[k:v]`).
/// * `num=true` adds a leading `Num` column counting rows from 0.
/// * If the first row is an array, every column must be `name:index`
///   ([`CliError::ArrayColumnFormat`]); the header shows the names and the cells are the
///   row's elements at those indices.
/// * The header is followed by a line of dashes as long as each header (in bytes); cells
///   are padded to their column's width plus one space and separated by `|`, giving
///   `A | B` layouts. Every line ends with `\n`.
pub fn render_table(reply: &serde_json::Value, spec: &OutputSpec) -> Result<String, CliError> {
    // At most `Limit::OutputColumns` columns (a spec built by hand is checked here too).
    spec.check_columns()?;
    let mut col_names: Vec<&str> = spec.columns();
    if spec.num {
        col_names.insert(0, "Num");
    }
    let path = spec.row_path();
    let fail = |detail: String| CliError::RowsQueryFailed {
        path: path.clone(),
        detail,
    };
    let rows_expr = jmes::compile(&path).map_err(fail)?;
    let wrapped = serde_json::json!({ "RootFilter": [reply] });
    let data = jmes::to_var(&wrapped).map_err(fail)?;
    let rows = jmes::search(&rows_expr, &data).map_err(fail)?;
    let Some(rows) = rows.as_array() else {
        return Err(CliError::RowsNotArray { path: path.clone() });
    };

    let array_rows = rows.first().map(|r| r.is_array()).unwrap_or(false);
    // For array rows: the header names and the element index of each non-`Num` column.
    let mut header: Vec<String> = Vec::new();
    let mut indices: Vec<String> = Vec::new();
    if array_rows {
        for &col in &col_names {
            if col == "Num" {
                header.push(col.to_string());
                continue;
            }
            let bad = || CliError::ArrayColumnFormat {
                column: col.to_string(),
            };
            let parts: Vec<&str> = col.split(':').collect();
            let [name, index] = parts.as_slice() else {
                return Err(bad());
            };
            if !index.bytes().all(|b| b.is_ascii_digit()) || index.parse::<i64>().is_err() {
                return Err(bad());
            }
            header.push((*name).to_string());
            indices.push(format!("[{index}]"));
        }
    } else {
        header = col_names.iter().map(|c| c.to_string()).collect();
    }

    let slots = col_names.len();
    let mut text = String::new();
    push_line(&mut text, &header, slots);
    let dashes: Vec<String> = header.iter().map(|h| "-".repeat(h.len())).collect();
    push_line(&mut text, &dashes, slots);

    let skip = usize::from(spec.num);
    let exprs: Vec<&str> = if array_rows {
        indices.iter().map(String::as_str).collect()
    } else {
        col_names.iter().skip(skip).copied().collect()
    };
    let compiled: Vec<Option<jmespath::Expression<'static>>> = exprs.iter().map(|e| jmes::compile(e).ok()).collect();
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = Vec::with_capacity(slots);
        if spec.num {
            cells.push(i.to_string());
        }
        for expr in &compiled {
            cells.push(cell(expr.as_ref(), row));
        }
        push_line(&mut text, &cells, slots);
    }

    let mut w = TabWriter::new();
    w.write(&text);
    Ok(w.finish())
}

/// One cell: the column's value on the row as Go's `%v`, `<nil>` on any failure.
fn cell(expr: Option<&jmespath::Expression<'static>>, row: &Rcvar) -> String {
    match expr.map(|e| jmes::search(e, row)) {
        Some(Ok(v)) => jmes::go_format(&v),
        _ => jmes::go_format(&Variable::Null),
    }
}

/// Appends `cells` as Go's `fmt.Sprintf(strings.Repeat("%v\t ", slots-1)+"%v", cells...)`
/// plus a newline; a missing argument prints `%!v(MISSING)` as in Go.
fn push_line(out: &mut String, cells: &[String], slots: usize) {
    for i in 0..slots.max(1) {
        if i > 0 {
            out.push_str("\t ");
        }
        match cells.get(i) {
            Some(c) => out.push_str(c),
            None => out.push_str("%!v(MISSING)"),
        }
    }
    if cells.len() > slots.max(1) {
        // Go appends extra arguments as %!(EXTRA type=value, …); cannot happen here.
        out.push_str("%!(EXTRA)");
    }
    out.push('\n');
}

/// A cell of the tab writer: its text and its width in Unicode scalar values.
struct Cell {
    text: String,
    width: usize,
}

/// Go's `text/tabwriter.Writer` as the real CLI configures it (minwidth 0, tabwidth 0,
/// padding 1, padchar ' ', `Debug`), for UTF-8 text without escape characters.
struct TabWriter {
    out: String,
    lines: Vec<Vec<Cell>>,
    cur: String,
}

impl TabWriter {
    const PADDING: usize = 1;

    fn new() -> Self {
        TabWriter {
            out: String::new(),
            lines: vec![Vec::new()],
            cur: String::new(),
        }
    }

    fn terminate_cell(&mut self) -> usize {
        let text = std::mem::take(&mut self.cur);
        let width = text.chars().count();
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let n = self.lines.len();
        match self.lines.get_mut(n - 1) {
            Some(line) => {
                line.push(Cell { text, width });
                line.len()
            }
            None => 0,
        }
    }

    fn write(&mut self, text: &str) {
        for ch in text.chars() {
            match ch {
                '\t' | '\u{0B}' | '\n' | '\u{0C}' => {
                    let ncells = self.terminate_cell();
                    if ch == '\n' || ch == '\u{0C}' {
                        self.lines.push(Vec::new());
                        if ch == '\u{0C}' || ncells == 1 {
                            self.flush();
                            if ch == '\u{0C}' {
                                self.out.push_str("---\n");
                            }
                        }
                    }
                }
                c => self.cur.push(c),
            }
        }
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            self.terminate_cell();
        }
        self.format(0, self.lines.len());
        self.lines = vec![Vec::new()];
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    /// Lays out lines `line0..line1`, as Go's `Writer.format` does, but with an explicit
    /// stack instead of recursion: Go recurses once per column, and a table of many columns
    /// would overflow the stack (issue 12: about 50,000 columns did). `widths` holds the
    /// width of every column left of the frame being laid out (frame `k` lays out column `k`).
    fn format(&mut self, line0: usize, line1: usize) {
        struct Frame {
            line0: usize,
            this: usize,
            line1: usize,
        }
        let mut widths: Vec<usize> = Vec::new();
        let mut stack = vec![Frame {
            line0,
            this: line0,
            line1,
        }];
        while let Some(top) = stack.last_mut() {
            let column = widths.len();
            let has_cell =
                |lines: &Vec<Vec<Cell>>, i: usize| lines.get(i).map(|l| column + 1 < l.len()).unwrap_or(false);
            let (mut line0, mut this, line1) = (top.line0, top.this, top.line1);
            let mut block = None;
            while this < line1 {
                if !has_cell(&self.lines, this) {
                    this += 1;
                    continue;
                }
                self.write_lines(line0, this, &widths);
                line0 = this;
                let mut width = 0;
                while this < line1 && has_cell(&self.lines, this) {
                    if let Some(c) = self.lines.get(this).and_then(|l| l.get(column)) {
                        width = width.max(c.width + Self::PADDING);
                    }
                    this += 1;
                }
                block = Some((line0, this, width));
                break;
            }
            match block {
                Some((start, end, width)) => {
                    // Go: `widths = append(widths, width); format(line0, this); widths =
                    // widths[:len-1]; line0 = this` — the frame resumes after the block.
                    top.line0 = end;
                    top.this = end;
                    widths.push(width);
                    stack.push(Frame {
                        line0: start,
                        this: start,
                        line1: end,
                    });
                }
                None => {
                    self.write_lines(line0, line1, &widths);
                    stack.pop();
                    if !stack.is_empty() {
                        widths.pop();
                    }
                }
            }
        }
    }

    fn write_lines(&mut self, line0: usize, line1: usize, widths: &[usize]) {
        let total = self.lines.len();
        for i in line0..line1 {
            if let Some(line) = self.lines.get(i) {
                for (j, c) in line.iter().enumerate() {
                    if j > 0 {
                        self.out.push('|');
                    }
                    self.out.push_str(&c.text);
                    if let Some(&w) = widths.get(j) {
                        for _ in c.width..w {
                            self.out.push(' ');
                        }
                    }
                }
            }
            if i + 1 < total {
                self.out.push('\n');
            }
        }
    }
}

/// Prints an API error object the way the real CLI does for a server error, i.e. `ERROR: `
/// followed by the legacy Go SDK's `ServerError.Error()` (`sdk/errors/server_error.go`):
///
/// ```text
/// ERROR: SDK.ServerError
/// ErrorCode: <Code>
/// Recommend: <Recommend>
/// RequestId: <RequestId>
/// Message: <Message>
/// ```
///
/// with a final newline. As in the SDK, an absent field prints empty (the `Recommend:` line
/// is always there) and an absent `Message` prints the whole error body.
pub fn format_error(err: &serde_json::Value) -> String {
    let field = |name: &str| match err.get(name) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    let message = field("Message").unwrap_or_else(|| err.to_string());
    format!(
        "ERROR: SDK.ServerError\nErrorCode: {}\nRecommend: {}\nRequestId: {}\nMessage: {}\n",
        field("Code").unwrap_or_default(),
        field("Recommend").unwrap_or_default(),
        field("RequestId").unwrap_or_default(),
        message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(cols: &str, rows: Option<&str>, num: bool) -> OutputSpec {
        OutputSpec {
            cols: cols.into(),
            rows: rows.map(str::to_string),
            num,
        }
    }

    fn render(reply: &serde_json::Value, s: &OutputSpec) -> String {
        match render_table(reply, s) {
            Ok(t) => t,
            Err(e) => panic!("render failed: {e}"),
        }
    }

    fn describe_snapshots() -> serde_json::Value {
        json!({
            "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
            "TotalCount": 3,
            "PageNumber": 1,
            "PageSize": 10,
            "Snapshots": {"Snapshot": [
                {"SnapshotId": "s-bp67acfmxazb4p0001", "Status": "accomplished", "SourceDiskSize": "40",
                 "Progress": "100%", "Tags": {"Tag": [{"TagKey": "env", "TagValue": "prod"}]}},
                {"SnapshotId": "s-bp67acfmxazb4p0002", "Status": "progressing", "SourceDiskSize": "40",
                 "Progress": "50%"},
                {"SnapshotId": "s-bp67acfmxazb4p0003", "SourceDiskSize": 20}
            ]}
        })
    }

    // SPEC §18 and openapi/output_filter.go: tabwriter(0, 0, 1, ' ', Debug) over
    // "%v\t %v" lines; the widest cell of a column plus one space, then '|'.
    #[test]
    fn describe_snapshots_table() {
        let t = render(
            &describe_snapshots(),
            &spec("SnapshotId,Status", Some("Snapshots.Snapshot[]"), false),
        );
        let expected = "\
SnapshotId           | Status
----------           | ------
s-bp67acfmxazb4p0001 | accomplished
s-bp67acfmxazb4p0002 | progressing
s-bp67acfmxazb4p0003 | <nil>
";
        assert_eq!(t, expected);
    }

    #[test]
    fn describe_snapshots_table_with_num() {
        let t = render(
            &describe_snapshots(),
            &spec("SnapshotId,Status,SourceDiskSize", Some("Snapshots.Snapshot[]"), true),
        );
        let expected = "\
Num | SnapshotId           | Status       | SourceDiskSize
--- | ----------           | ------       | --------------
0   | s-bp67acfmxazb4p0001 | accomplished | 40
1   | s-bp67acfmxazb4p0002 | progressing  | 40
2   | s-bp67acfmxazb4p0003 | <nil>        | 20
";
        assert_eq!(t, expected);
    }

    #[test]
    fn missing_fields_nested_values_and_bad_columns() {
        let t = render(
            &describe_snapshots(),
            &spec("Tags.Tag[].TagKey,Tags,Nope,a[", Some("Snapshots.Snapshot"), false),
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[0],
            "Tags.Tag[].TagKey | Tags                                     | Nope  | a["
        );
        assert_eq!(
            lines[1],
            "----------------- | ----                                     | ----  | --"
        );
        assert_eq!(
            lines[2],
            "[env]             | map[Tag:[map[TagKey:env TagValue:prod]]] | <nil> | <nil>"
        );
        assert_eq!(
            lines[3],
            "<nil>             | <nil>                                    | <nil> | <nil>"
        );
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn without_rows_the_reply_is_the_row() {
        let t = render(&describe_snapshots(), &spec("TotalCount,PageSize", None, false));
        assert_eq!(t, "TotalCount | PageSize\n---------- | --------\n3          | 10\n");
    }

    #[test]
    fn single_column_and_empty_rows() {
        let t = render(
            &describe_snapshots(),
            &spec("SnapshotId", Some("Snapshots.Snapshot[]"), false),
        );
        assert_eq!(
            t,
            "SnapshotId\n----------\ns-bp67acfmxazb4p0001\ns-bp67acfmxazb4p0002\ns-bp67acfmxazb4p0003\n"
        );
        let empty = json!({"Snapshots": {"Snapshot": []}});
        let t = render(&empty, &spec("SnapshotId,Status", Some("Snapshots.Snapshot[]"), true));
        assert_eq!(t, "Num | SnapshotId | Status\n--- | ---------- | ------\n");
    }

    #[test]
    fn unicode_widths_count_characters_dashes_count_bytes() {
        // JMESPath identifiers are ASCII, so a CJK key is a quoted identifier.
        let reply = json!({"Items": [{"名": "x", "Name": "快照一", "B": 1}, {"名": "y", "Name": "a", "B": 2}]});
        let t = render(&reply, &spec("\"名\",Name,B", Some("Items"), false));
        // `"名"` is 3 characters but 5 bytes: five dashes, and the column is 6 wide.
        let expected = "\
\"名\"   | Name | B
----- | ---- | -
x     | 快照一  | 1
y     | a    | 2
";
        assert_eq!(t, expected);
    }

    #[test]
    fn array_rows_need_name_index_columns() {
        let reply = json!({"Pairs": [["s-1", "accomplished"], ["s-2", "failed"]]});
        let t = render(&reply, &spec("Id:0,State:1", Some("Pairs"), true));
        assert_eq!(
            t,
            "Num | Id  | State\n--- | --  | -----\n0   | s-1 | accomplished\n1   | s-2 | failed\n"
        );
        for bad in ["Id", "Id:x", "a:b:1", "Id:"] {
            let e = render_table(&reply, &spec(bad, Some("Pairs"), false));
            assert_eq!(e, Err(CliError::ArrayColumnFormat { column: bad.into() }), "{bad}");
        }
    }

    #[test]
    fn rows_must_be_an_array() {
        let e = render_table(&describe_snapshots(), &spec("A", Some("TotalCount"), false));
        assert_eq!(
            e,
            Err(CliError::RowsNotArray {
                path: "RootFilter[0].TotalCount".into()
            })
        );
        if let Err(e) = e {
            assert_eq!(
                e.message(),
                "jmespath: 'RootFilter[0].TotalCount' failed Need Array Expr"
            );
        }
        let e = render_table(&describe_snapshots(), &spec("A", Some("Missing"), false));
        assert!(matches!(e, Err(CliError::RowsNotArray { .. })));
        let e = render_table(&describe_snapshots(), &spec("A", Some("[[["), false));
        assert!(matches!(e, Err(CliError::RowsQueryFailed { .. })));
    }

    #[test]
    fn values_with_tabs_and_newlines_go_through_the_tab_writer() {
        // Go's tabwriter treats a newline inside a value as a line end; a one-cell line
        // flushes the block. This is what the real CLI prints.
        let reply = json!({"R": [{"A": "x\ny", "B": "b"}, {"A": "long-value", "B": "c"}]});
        let t = render(&reply, &spec("A,B", Some("R"), false));
        assert_eq!(t, "A | B\n- | -\nx\ny          | b\nlong-value | c\n");
    }

    #[test]
    fn error_printing_follows_the_sdk_order() {
        let err = json!({
            "RequestId": "540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx",
            "HostId": "ecs.aliyuncs.com",
            "Code": "InvalidDiskId.NotFound",
            "Message": "The specified DiskId does not exist.",
            "Recommend": "https://api.aliyun.com/troubleshoot?q=InvalidDiskId.NotFound&product=Ecs",
            "HttpStatus": 404
        });
        assert_eq!(
            format_error(&err),
            "ERROR: SDK.ServerError\n\
             ErrorCode: InvalidDiskId.NotFound\n\
             Recommend: https://api.aliyun.com/troubleshoot?q=InvalidDiskId.NotFound&product=Ecs\n\
             RequestId: 540CFF28-407A-40B5-B6A5-74Bxxxxxxxxx\n\
             Message: The specified DiskId does not exist.\n"
        );
        let bare = json!({"Code": "X", "RequestId": "R"});
        assert_eq!(
            format_error(&bare),
            "ERROR: SDK.ServerError\nErrorCode: X\nRecommend: \nRequestId: R\nMessage: {\"Code\":\"X\",\"RequestId\":\"R\"}\n"
        );
    }

    // Issue 12 item 2: the tab writer lays out columns with an explicit stack, not one
    // recursion per column (about 50,000 columns overflowed the stack). A table of the most
    // columns renders, and the writer itself takes far more columns than the limit allows.
    #[test]
    fn many_columns_need_no_deep_stack_issue_12() {
        let cols: Vec<String> = (0..256).map(|i| format!("C{i}")).collect();
        let reply = json!({"C0": "x", "C255": "y"});
        let table = render(&reply, &spec(&cols.join(","), None, false));
        assert!(table.starts_with("C0 | C1 "), "{}", &table[..40]);
        assert_eq!(table.lines().count(), 3);
        let run = || {
            let cells: Vec<String> = (0..200_000).map(|i| i.to_string()).collect();
            let mut w = TabWriter::new();
            w.write(&format!("{}\n{}\n", cells.join("\t "), cells.join("\t ")));
            w.finish()
        };
        // A small stack, as in a wasm module or a test thread: recursion would overflow it.
        #[cfg(not(target_arch = "wasm32"))]
        let out = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(run)
            .unwrap()
            .join()
            .expect("no stack overflow");
        #[cfg(target_arch = "wasm32")]
        let out = run();
        assert!(out.starts_with("0 | 1 | 2 "), "{}", &out[..20]);
        assert_eq!(out.lines().count(), 2);
        let e = render_table(&reply, &spec(&vec!["A"; 257].join(","), None, false)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameter");
    }
}
