//! The records of a JSON export, one at a time, without holding the file:
//! the elements of a top-level array (the Entra portal's download), of the
//! `value` or `items` array of a page (`{"value": [...]}` from Graph,
//! `{"items": [...]}` from the Reports API; several pages may follow each
//! other), or one object per line (JSON lines). Each record's bytes are
//! handed on with the line and column where it starts, so a record that
//! does not parse is reported there and the others load; a file cut short
//! loses only the record it was cut in.

use std::io::{self, BufRead};

/// The most bytes one record may hold; a bigger one is reported and skipped.
pub const MAX_ITEM: usize = 16 * 1024 * 1024;

/// One record's bytes and where it starts (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub line: u64,
    pub column: u64,
    pub bytes: Vec<u8>,
}

/// What the splitter found next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Item(Item),
    /// Something that is no record, with where it is and why.
    Problem {
        line: u64,
        column: u64,
        reason: String,
    },
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    array: bool,
    /// An array whose objects are records.
    records: bool,
    /// In an object: the next string is a key.
    expect_key: bool,
    /// In an object: the last key was `value` or `items`.
    key_is_list: bool,
}

struct Capture {
    depth: usize,
    line: u64,
    column: u64,
    bytes: Vec<u8>,
    too_big: bool,
    /// A record began inside it: it is a page, not a record.
    container: bool,
}

/// Splits a JSON stream into records.
pub struct JsonItems<R> {
    inner: R,
    stack: Vec<Frame>,
    in_string: bool,
    escaped: bool,
    key: Vec<u8>,
    capturing_key: bool,
    captures: Vec<Capture>,
    line: u64,
    column: u64,
    /// One top-level object per line has been seen: a line end inside a
    /// record means that record is broken.
    lines_mode: bool,
    last_top_end_line: Option<u64>,
    /// Skip to the end of the line (after garbage at the top level).
    skip_line: bool,
    pending: std::collections::VecDeque<Piece>,
    done: bool,
}

impl<R: BufRead> JsonItems<R> {
    pub fn new(inner: R) -> Self {
        JsonItems {
            inner,
            stack: Vec::new(),
            in_string: false,
            escaped: false,
            key: Vec::new(),
            capturing_key: false,
            captures: Vec::new(),
            line: 1,
            column: 0,
            lines_mode: false,
            last_top_end_line: None,
            skip_line: false,
            pending: std::collections::VecDeque::new(),
            done: false,
        }
    }

    fn problem(&mut self, line: u64, column: u64, reason: impl Into<String>) {
        self.pending.push_back(Piece::Problem {
            line,
            column,
            reason: reason.into(),
        });
    }

    /// Forgets everything open: the record in progress is lost, the next
    /// top-level `{` or `[` starts afresh.
    fn reset(&mut self) {
        self.stack.clear();
        self.captures.clear();
        self.in_string = false;
        self.escaped = false;
        self.capturing_key = false;
    }

    fn broken_record(&mut self, reason: &str) {
        if let Some(c) = self.captures.last() {
            let (line, column) = (c.line, c.column);
            self.problem(line, column, reason.to_string());
        }
        self.reset();
    }

    fn step(&mut self, b: u8) {
        self.column += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 0;
            self.skip_line = false;
            if self.in_string {
                // JSON strings hold no raw line break: the record was cut.
                self.broken_record(
                    "the record stops in the middle of a string (cut short?); skipped",
                );
                return;
            }
            if self.lines_mode && !self.stack.is_empty() && !self.captures.is_empty() {
                self.broken_record("the record is not closed on its line (cut short?); skipped");
                return;
            }
            for c in &mut self.captures {
                push(c, b);
            }
            return;
        }
        if self.skip_line {
            return;
        }
        for c in &mut self.captures {
            push(c, b);
        }
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
                if self.capturing_key {
                    self.capturing_key = false;
                    if let Some(top) = self.stack.last_mut() {
                        top.key_is_list = self.key == b"value" || self.key == b"items";
                    }
                }
            } else if self.capturing_key && self.key.len() < 16 {
                self.key.push(b);
            }
            return;
        }
        match b {
            b'"' => {
                self.in_string = true;
                if let Some(top) = self.stack.last_mut()
                    && !top.array
                    && top.expect_key
                {
                    top.expect_key = false;
                    self.capturing_key = true;
                    self.key.clear();
                }
            }
            b'{' => {
                let starts_record = match self.stack.last() {
                    None => true,
                    Some(top) => top.array && top.records,
                };
                if starts_record {
                    if let Some(outer) = self.captures.last_mut() {
                        outer.container = true;
                    }
                    let mut bytes = Vec::with_capacity(512);
                    bytes.push(b'{');
                    self.captures.push(Capture {
                        depth: self.stack.len(),
                        line: self.line,
                        column: self.column,
                        bytes,
                        too_big: false,
                        container: false,
                    });
                }
                self.stack.push(Frame {
                    array: false,
                    records: false,
                    expect_key: true,
                    key_is_list: false,
                });
            }
            b'[' => {
                let records = match self.stack.last() {
                    None => true,
                    // A page's list: only at the top level of its object.
                    Some(top) => !top.array && top.key_is_list && self.stack.len() == 1,
                };
                self.stack.push(Frame {
                    array: true,
                    records,
                    expect_key: false,
                    key_is_list: false,
                });
            }
            b'}' | b']' => {
                if self.stack.pop().is_none() {
                    let (line, column) = (self.line, self.column);
                    self.problem(
                        line,
                        column,
                        format!("unexpected {:?} at the top level", b as char),
                    );
                    return;
                }
                if b == b'}'
                    && let Some(c) = self.captures.last()
                    && c.depth == self.stack.len()
                {
                    let c = self.captures.pop().expect("checked above");
                    // Two one-line objects at the top level: JSON lines.
                    if self.stack.is_empty() && !c.container && c.line == self.line {
                        if self.last_top_end_line.is_some_and(|l| l < c.line) {
                            self.lines_mode = true;
                        }
                        self.last_top_end_line = Some(self.line);
                    }
                    if c.too_big {
                        self.problem(
                            c.line,
                            c.column,
                            format!(
                                "the record is larger than {} MiB; skipped",
                                MAX_ITEM / (1024 * 1024)
                            ),
                        );
                    } else if !c.container {
                        self.pending.push_back(Piece::Item(Item {
                            line: c.line,
                            column: c.column,
                            bytes: c.bytes,
                        }));
                    }
                }
            }
            b',' => {
                if let Some(top) = self.stack.last_mut()
                    && !top.array
                {
                    top.expect_key = true;
                    top.key_is_list = false;
                }
            }
            b' ' | b'\t' | b'\r' | b':' => {}
            _ if self.stack.is_empty() => {
                let (line, column) = (self.line, self.column);
                self.problem(line, column, "this line is not JSON; skipped");
                self.skip_line = true;
            }
            _ => {}
        }
    }

    fn finish(&mut self) {
        if self.in_string || !self.captures.is_empty() {
            self.broken_record("the file ends inside this record (cut short?); skipped");
        } else if !self.stack.is_empty() {
            let (line, column) = (self.line, self.column);
            self.problem(
                line,
                column,
                "the file ends inside a JSON list (cut short?); the records before it were read",
            );
            self.reset();
        }
    }
}

fn push(c: &mut Capture, b: u8) {
    if c.too_big {
        return;
    }
    if c.bytes.len() >= MAX_ITEM {
        c.too_big = true;
        c.bytes = Vec::new();
        return;
    }
    c.bytes.push(b);
}

impl<R: BufRead> Iterator for JsonItems<R> {
    type Item = io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(piece) = self.pending.pop_front() {
                return Some(Ok(piece));
            }
            if self.done {
                return None;
            }
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buf.is_empty() {
                self.done = true;
                self.finish();
                continue;
            }
            // Copy out so `step` may borrow self; chunks are buffer-sized.
            let chunk = buf.to_vec();
            self.inner.consume(chunk.len());
            for b in chunk {
                self.step(b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Piece> {
        JsonItems::new(text.as_bytes())
            .map(Result::unwrap)
            .collect()
    }

    fn items(text: &str) -> Vec<String> {
        split(text)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Item(i) => Some(String::from_utf8(i.bytes).unwrap()),
                Piece::Problem { .. } => None,
            })
            .collect()
    }

    #[test]
    fn arrays_pages_and_lines() {
        assert_eq!(
            items(r#"[{"a":1},{"b":{"c":[{"d":2}]}}]"#),
            [r#"{"a":1}"#, r#"{"b":{"c":[{"d":2}]}}"#]
        );
        assert_eq!(
            items(r#"{"@odata.context":"x","value":[{"a":1},{"a":2}],"@odata.nextLink":"y"}"#),
            [r#"{"a":1}"#, r#"{"a":2}"#]
        );
        assert_eq!(
            items("{\"kind\":\"k\",\"items\":[{\"a\":\"]}\"}]}\n{\"items\":[{\"a\":3}]}"),
            [r#"{"a":"]}"}"#, r#"{"a":3}"#]
        );
        assert_eq!(
            items("{\"a\":1}\n\n{\"a\":2}\n"),
            [r#"{"a":1}"#, r#"{"a":2}"#]
        );
        // A single object that is no page is a record itself.
        assert_eq!(
            items(r#"{"id":{"time":"t"},"events":[{"name":"x"}]}"#).len(),
            1
        );
    }

    #[test]
    fn a_cut_file_loses_only_its_last_record() {
        let pieces = split("[\n{\"a\":1},\n{\"a\":2},\n{\"a\":");
        assert!(matches!(&pieces[0], Piece::Item(i) if i.line == 2));
        assert!(matches!(&pieces[1], Piece::Item(i) if i.line == 3));
        assert!(matches!(
            &pieces[2],
            Piece::Problem {
                line: 4,
                column: 1,
                ..
            }
        ));
        assert_eq!(pieces.len(), 3);
    }

    #[test]
    fn a_broken_line_of_json_lines_costs_only_itself() {
        let pieces =
            split("{\"a\":1}\n{\"a\":2}\n{\"a\":\"cut\n{\"a\":{\n{\"a\":4}\nnot json\n{\"a\":5}");
        let got: Vec<_> = pieces
            .iter()
            .map(|p| match p {
                Piece::Item(i) => format!("item {}", i.line),
                Piece::Problem { line, .. } => format!("problem {line}"),
            })
            .collect();
        assert_eq!(
            got,
            [
                "item 1",
                "item 2",
                "problem 3",
                "problem 4",
                "item 5",
                "problem 6",
                "item 7"
            ]
        );
    }
}
