//! Plain aligned tables for terminal output, safe for text from files.
//!
//! Cells are sanitised: control characters (escape sequences in a hostile
//! User-Agent, a newline in a note) are shown escaped, never sent to the
//! terminal. Widths count display columns, so Japanese text lines up.

use unicode_width::UnicodeWidthStr;
use whoclicked::text::{escape_controls, truncate_to_width};

/// Text with every control character shown as a visible escape (`\x1b`).
pub fn sanitize(text: &str) -> String {
    escape_controls(text).into_owned()
}

/// Cuts `text` to at most `max` display columns, marking the cut with `…`.
pub fn truncate(text: &str, max: usize) -> String {
    truncate_to_width(text, max).into_owned()
}

/// Rows under a header; every column but the last is padded to its widest cell.
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&'static str]) -> Table {
        Table {
            header: header.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; cells are sanitised here.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells.iter().map(|c| sanitize(c)).collect());
    }

    pub fn render(&self) -> String {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(columns) {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if i + 1 < columns {
                    line.push_str(&" ".repeat(widths[i] - cell.width()));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_characters() {
        assert_eq!(sanitize("plain 日本語"), "plain 日本語");
        assert_eq!(
            sanitize("a\u{1b}]0;pwned\u{7}b\nc"),
            "a\\x1b]0;pwned\\x07b\\x0ac"
        );
    }

    #[test]
    fn aligns_wide_characters() {
        let mut t = Table::new(&["BY", "WHAT"]);
        t.row(vec!["佐藤".into(), "human".into()]);
        t.row(vec!["sato-long".into(), "scanner".into()]);
        assert_eq!(
            t.render(),
            "BY         WHAT\n佐藤       human\nsato-long  scanner\n"
        );
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("日本語テキスト", 7), "日本語…");
        assert_eq!(truncate("short", 10), "short");
    }
}
