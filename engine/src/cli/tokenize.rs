//! POSIX-shell word splitting and quoting (SPEC §18: "Quoting follows a POSIX shell").

use crate::request::{CliError, QuoteKind};

/// Whitespace that separates words: space, tab, newline, and carriage return (so that
/// files with CRLF line ends work; a real shell would keep the `\r`).
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Splits a command line into words the way a POSIX shell does, without any expansion.
///
/// * Blanks (space, tab, newline, carriage return) separate words.
/// * `'…'` keeps everything literally up to the next `'`.
/// * `"…"` keeps everything literally except that a backslash escapes `"`, `\`, `$`,
///   `` ` `` and newline (backslash-newline is removed: a line continuation); before any
///   other character the backslash stays.
/// * Outside quotes a backslash makes the next character literal; backslash-newline is
///   removed.
/// * `#` at the start of a word starts a comment that runs to the end of the line.
/// * Quoted and unquoted pieces next to each other form one word; `''` is an empty word.
/// * No parameter expansion, command substitution, globbing, pipes or redirections: `$`,
///   `` ` ``, `*`, `|`, `;`, `&`, `<`, `>` are ordinary characters.
///
/// An unclosed quote gives [`CliError::UnterminatedQuote`], a final lone backslash
/// [`CliError::TrailingBackslash`].
pub fn tokenize(line: &str) -> Result<Vec<String>, CliError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if is_blank(c) => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => {
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    chars.next();
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        None => {
                            return Err(CliError::UnterminatedQuote {
                                quote: QuoteKind::Single,
                            })
                        }
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        None => {
                            return Err(CliError::UnterminatedQuote {
                                quote: QuoteKind::Double,
                            })
                        }
                        Some('"') => break,
                        Some('\\') => match chars.peek() {
                            Some(&e @ ('"' | '\\' | '$' | '`')) => {
                                chars.next();
                                cur.push(e);
                            }
                            Some('\n') => {
                                chars.next();
                            }
                            _ => cur.push('\\'),
                        },
                        Some(x) => cur.push(x),
                    }
                }
            }
            '\\' => match chars.next() {
                None => return Err(CliError::TrailingBackslash),
                Some('\n') => {}
                Some(x) => {
                    in_word = true;
                    cur.push(x);
                }
            },
            other => {
                in_word = true;
                cur.push(other);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Characters that never need quoting in a POSIX shell.
fn is_safe(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '@' | '%' | '+' | '=' | ':' | ',' | '.' | '/' | '-')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Quotes one word so that [`tokenize`] (and a POSIX shell) reads it back as exactly that
/// word. Words made only of safe characters (ASCII letters and digits, `_ @ % + = : , . / -`,
/// and non-ASCII letters and digits such as 快照) are returned as they are; anything else is
/// wrapped in single quotes, an embedded `'` written as `'\''`. The empty word becomes `''`.
///
/// A word containing a newline stays a multi-line string (POSIX has no one-line escape for
/// a newline).
pub fn quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(is_safe) {
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for c in word.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(line: &str) -> Vec<String> {
        match tokenize(line) {
            Ok(w) => w,
            Err(e) => panic!("tokenize({line:?}) failed: {e}"),
        }
    }

    // SPEC §18: quoting follows a POSIX shell.
    #[test]
    fn splits_on_blanks() {
        assert_eq!(t("  aliyun\tecs \n X  "), ["aliyun", "ecs", "X"]);
        assert_eq!(t(""), Vec::<String>::new());
        assert_eq!(t("   "), Vec::<String>::new());
        assert_eq!(t("a\r\nb"), ["a", "b"]);
    }

    #[test]
    fn single_quotes_are_literal() {
        assert_eq!(t(r#"'a b' 'c\d' '"$x`'"#), ["a b", r"c\d", "\"$x`"]);
        assert_eq!(t("'' x"), ["", "x"]);
        assert_eq!(t("'#not comment'"), ["#not comment"]);
        assert_eq!(t("'multi\nline'"), ["multi\nline"]);
    }

    #[test]
    fn double_quotes_escape_only_five_characters() {
        assert_eq!(t(r#""a \" b""#), ["a \" b"]);
        assert_eq!(t(r#""back\\slash""#), [r"back\slash"]);
        assert_eq!(t(r#""\$HOME \`x\`""#), ["$HOME `x`"]);
        // Before any other character the backslash stays.
        assert_eq!(t(r#""\n\t\a""#), [r"\n\t\a"]);
        // Backslash-newline inside double quotes is a line continuation.
        assert_eq!(t("\"ab\\\ncd\""), ["abcd"]);
        assert_eq!(t("\"\""), [""]);
        // No expansion.
        assert_eq!(t(r#""$HOME""#), ["$HOME"]);
    }

    #[test]
    fn backslash_outside_quotes() {
        assert_eq!(t(r"a\ b c"), ["a b", "c"]);
        assert_eq!(t(r"\'x\'"), ["'x'"]);
        assert_eq!(t(r"\#x"), ["#x"]);
        assert_eq!(t(r"\\"), [r"\"]);
        assert_eq!(t("ab\\\ncd"), ["abcd"]);
        assert_eq!(t("a \\\n b"), ["a", "b"]);
        assert_eq!(t("\\快"), ["快"]);
    }

    #[test]
    fn adjacent_pieces_join() {
        assert_eq!(t(r#"a'b c'"d e"\ f"#), ["ab cd e f"]);
        assert_eq!(t(r#"--Name='x y'"#), ["--Name=x y"]);
    }

    #[test]
    fn comments_only_at_word_start() {
        assert_eq!(t("a # b c"), ["a"]);
        assert_eq!(t("# whole line"), Vec::<String>::new());
        assert_eq!(t("a#b c"), ["a#b", "c"]);
        assert_eq!(t("a 'x'#y"), ["a", "x#y"]);
        assert_eq!(t("a #c\nb"), ["a", "b"]);
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(
            tokenize("a 'b"),
            Err(CliError::UnterminatedQuote {
                quote: QuoteKind::Single
            })
        );
        assert_eq!(
            tokenize("a \"b"),
            Err(CliError::UnterminatedQuote {
                quote: QuoteKind::Double
            })
        );
        assert_eq!(
            tokenize("a \"b\\\""),
            Err(CliError::UnterminatedQuote {
                quote: QuoteKind::Double
            })
        );
        assert_eq!(tokenize("a b\\"), Err(CliError::TrailingBackslash));
        let e = CliError::TrailingBackslash;
        assert_eq!(e.code(), "InvalidParameter");
        assert_eq!(e.http_status(), 400);
    }

    #[test]
    fn multibyte_utf8() {
        assert_eq!(t("快照 'é ü' \"中文\\\"\""), ["快照", "é ü", "中文\""]);
    }

    #[test]
    fn quote_cases() {
        assert_eq!(quote("d-bp1abc"), "d-bp1abc");
        assert_eq!(quote("cols=A,B"), "cols=A,B");
        assert_eq!(quote("快照1"), "快照1");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("#x"), "'#x'");
        assert_eq!(quote("$x"), "'$x'");
        assert_eq!(quote("a\\b"), r"'a\b'");
        assert_eq!(quote(r#"["s-1","s-2"]"#), r#"'["s-1","s-2"]'"#);
        assert_eq!(quote("\u{3000}"), "'\u{3000}'");
        for w in [
            "", "a b", "it's", "'", "''", "\\", "\"", "a\nb", "#", "x#y", "\r", "快 照", "--a=b",
        ] {
            assert_eq!(t(&quote(w)), [w], "quote({w:?})");
        }
    }
}
