//! CSV records framed before the csv crate parses them, so one bad quote
//! cannot swallow a file. A quote left open (`"Moz` and no closing `"`) makes
//! the csv crate read every later line into one field, silently, and a quoted
//! field of endless bytes grows without bound. Here records are found line by
//! line with the csv crate's own quoting rules and at most [`MAX_RECORD`]
//! bytes are held; a record that spans lines only because a quote ran away
//! (it never closes, outgrows the cap, or closes into a row of the wrong
//! width) has its opening line blanked and reported, and the lines after it
//! are read again as rows of their own. Line breaks are kept, so line numbers
//! downstream stay true.

use std::cell::RefCell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use crate::text::thousands;

use super::lines::MAX_LINE;

/// The most bytes one record may hold: the access-log reader's line cap.
pub const MAX_RECORD: usize = MAX_LINE;

/// A line the framing left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub line: u64,
    pub reason: String,
}

/// The reader's handle on the lines left out so far.
#[derive(Clone, Debug, Default)]
pub struct Skips(Rc<RefCell<Vec<Skipped>>>);

impl Skips {
    pub fn take(&self) -> Vec<Skipped> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// Bytes to read again (the lines a runaway quote took) before the rest.
struct Source<R> {
    inner: R,
    replay: Vec<u8>,
    replay_pos: usize,
}

impl<R: BufRead> Source<R> {
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.replay_pos < self.replay.len() {
            return Ok(&self.replay[self.replay_pos..]);
        }
        loop {
            match self.inner.fill_buf() {
                Ok(_) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // Already filled: this returns the buffer without reading.
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.replay_pos < self.replay.len() {
            self.replay_pos += n;
            if self.replay_pos == self.replay.len() {
                self.replay.clear();
                self.replay_pos = 0;
            }
        } else {
            self.inner.consume(n);
        }
    }

    fn push_front(&mut self, bytes: &[u8]) {
        let mut replay = bytes.to_vec();
        replay.extend_from_slice(&self.replay[self.replay_pos..]);
        self.replay = replay;
        self.replay_pos = 0;
    }
}

/// How a physical line ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// `\n`, `\r\n` or `\r`, kept in the record.
    Break,
    /// The input ended.
    Eof,
    /// The room ran out before the line ended; the rest is still unread.
    Full,
}

/// One physical line (terminator included) appended to `rec`, with at most
/// `room` bytes before its terminator. Returns how it ended and its length
/// without the terminator.
fn read_line<R: BufRead>(
    src: &mut Source<R>,
    rec: &mut Vec<u8>,
    room: usize,
) -> io::Result<(End, usize)> {
    let mut content = 0usize;
    loop {
        let avail = src.fill()?;
        if avail.is_empty() {
            return Ok((End::Eof, content));
        }
        let left = room - content;
        let Some(i) = memchr::memchr2(b'\n', b'\r', avail) else {
            let avail_len = avail.len();
            let take = avail_len.min(left);
            rec.extend_from_slice(&avail[..take]);
            src.consume(take);
            content += take;
            if take < avail_len || content == room {
                return Ok((End::Full, content));
            }
            continue;
        };
        if i > left {
            rec.extend_from_slice(&avail[..left]);
            src.consume(left);
            return Ok((End::Full, content + left));
        }
        content += i;
        let crlf = avail[i] == b'\r' && avail.get(i + 1) == Some(&b'\n');
        let take = i + 1 + usize::from(crlf);
        let lone_cr_at_end = avail[i] == b'\r' && i + 1 == avail.len();
        rec.extend_from_slice(&avail[..take]);
        src.consume(take);
        if lone_cr_at_end && src.fill()?.first() == Some(&b'\n') {
            rec.push(b'\n');
            src.consume(1);
        }
        return Ok((End::Break, content));
    }
}

/// Reads and drops the rest of an over-long line; returns its terminator.
fn skip_rest_of_line<R: BufRead>(src: &mut Source<R>) -> io::Result<Vec<u8>> {
    let mut terminator = Vec::new();
    loop {
        let mut piece = Vec::new();
        match read_line(src, &mut piece, 64 * 1024)? {
            (End::Full, _) => {}
            (End::Eof, _) => return Ok(terminator),
            (End::Break, len) => {
                terminator.extend_from_slice(&piece[len..]);
                return Ok(terminator);
            }
        }
    }
}

/// Whether a line's content leaves a quoted field open, given whether the
/// line started inside one. The csv crate's rules: a `"` opens a quoted field
/// only at a field's start, `""` inside one is a quote, and a `"` elsewhere is
/// a plain character.
fn open_after(content: &[u8], delimiter: u8, mut quoted: bool) -> bool {
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'"', &content[i..]) {
        let j = i + k;
        if quoted {
            if content.get(j + 1) == Some(&b'"') {
                i = j + 2;
                continue;
            }
            quoted = false;
        } else if j == 0 || content[j - 1] == delimiter {
            quoted = true;
        }
        i = j + 1;
    }
    quoted
}

/// The lengths of a complete record's fields, quotes left out.
fn field_lengths(rec: &[u8], delimiter: u8) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Start,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut fields = Vec::new();
    let mut len = 0;
    let mut state = State::Start;
    for &b in rec {
        let quoted = matches!(state, State::Quoted);
        if !quoted && (b == b'\n' || b == b'\r') {
            break;
        }
        if !quoted && b == delimiter {
            fields.push(len);
            len = 0;
            state = State::Start;
            continue;
        }
        state = match (state, b) {
            (State::Start, b'"') => State::Quoted,
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::QuoteInQuoted, b'"') | (State::Quoted, _) => {
                len += 1;
                State::Quoted
            }
            _ => {
                len += 1;
                State::Plain
            }
        };
    }
    fields.push(len);
    fields
}

/// The reading side: hand this to the line index and the csv reader.
pub struct Framed<R> {
    src: Source<R>,
    delimiter: u8,
    /// Records before the header (a title, an export note).
    records_before_header: usize,
    records: usize,
    /// The header's number of fields, once it passed.
    width: Option<usize>,
    /// The number of the next line read.
    next_line: u64,
    cap: usize,
    rec: Vec<u8>,
    line_starts: Vec<usize>,
    out: Vec<u8>,
    out_pos: usize,
    skips: Skips,
}

/// Frames `inner`'s CSV records; the [`Skips`] tell which lines were left out.
pub fn frame<R: BufRead>(
    inner: R,
    delimiter: u8,
    records_before_header: usize,
) -> (Framed<R>, Skips) {
    frame_with_cap(inner, delimiter, records_before_header, MAX_RECORD)
}

fn frame_with_cap<R: BufRead>(
    inner: R,
    delimiter: u8,
    records_before_header: usize,
    cap: usize,
) -> (Framed<R>, Skips) {
    let skips = Skips::default();
    let framed = Framed {
        src: Source {
            inner,
            replay: Vec::new(),
            replay_pos: 0,
        },
        delimiter,
        records_before_header,
        records: 0,
        width: None,
        next_line: 1,
        cap,
        rec: Vec::new(),
        line_starts: Vec::new(),
        out: Vec::new(),
        out_pos: 0,
        skips: skips.clone(),
    };
    (framed, skips)
}

impl<R: BufRead> Framed<R> {
    /// Puts the next record (or a blanked line) into `out`; leaves it empty at the end.
    fn next_record(&mut self) -> io::Result<()> {
        self.rec.clear();
        self.line_starts.clear();
        self.out.clear();
        self.out_pos = 0;
        let first = self.next_line;
        let mut first_len = 0;
        let mut quoted = false;
        loop {
            let start = self.rec.len();
            self.line_starts.push(start);
            let room = self.cap.saturating_sub(start);
            let (end, len) = read_line(&mut self.src, &mut self.rec, room)?;
            if self.line_starts.len() == 1 {
                first_len = len;
            }
            let lines = self.line_starts.len() as u64;
            if end == End::Full {
                if lines == 1 {
                    let terminator = skip_rest_of_line(&mut self.src)?;
                    let reason = format!(
                        "the line is longer than {} bytes; it was skipped",
                        thousands(self.cap)
                    );
                    self.skip(first, reason);
                    self.out = terminator;
                    self.next_line = first + 1;
                    return Ok(());
                }
                let reason = format!(
                    "a quote opened on this line is still open {} lines and {} bytes later; \
                     the line was skipped and the lines after it read as rows",
                    thousands(lines as usize - 1),
                    thousands(self.cap)
                );
                return self.leave_out_first_line(first, first_len, reason);
            }
            let content = &self.rec[start..start + len];
            quoted = open_after(content, self.delimiter, quoted);
            if quoted && end == End::Break {
                continue;
            }
            if quoted && lines > 1 {
                // The input's end after a final line break is no line.
                let after = lines - 1 - u64::from(len == 0);
                let reason = format!(
                    "a quote opened on this line is never closed (the {} line(s) after it \
                     would have been one field); the line was skipped and the lines after it \
                     read as rows",
                    thousands(after as usize)
                );
                return self.leave_out_first_line(first, first_len, reason);
            }
            // A whole record (or the input's last line, a quote still open in it).
            let is_record = lines > 1 || len > 0;
            if is_record {
                if self.records == self.records_before_header {
                    self.width = Some(field_lengths(&self.rec, self.delimiter).len());
                } else if lines > 1
                    && let Some(width) = self.width
                {
                    let fields = field_lengths(&self.rec, self.delimiter);
                    let fits = fields.len() == width
                        || (fields.len() > width && fields[width..].iter().all(|&l| l == 0));
                    if !fits {
                        let reason = format!(
                            "a quote opened on this line closes only on line {}, making a row \
                             of {} fields where the header has {width}; the line was skipped \
                             and the lines after it read as rows",
                            first + lines - 1,
                            fields.len()
                        );
                        return self.leave_out_first_line(first, first_len, reason);
                    }
                }
                self.records += 1;
            }
            std::mem::swap(&mut self.out, &mut self.rec);
            self.next_line = first + lines;
            return Ok(());
        }
    }

    /// Blanks the record's first line (its line break stays, so numbering
    /// holds) and reads the lines after it again.
    fn leave_out_first_line(
        &mut self,
        first: u64,
        first_len: usize,
        reason: String,
    ) -> io::Result<()> {
        self.skip(first, reason);
        let second = self.line_starts.get(1).copied().unwrap_or(self.rec.len());
        self.out.extend_from_slice(&self.rec[first_len..second]);
        self.src.push_front(&self.rec[second..]);
        self.next_line = first + 1;
        Ok(())
    }

    fn skip(&self, line: u64, reason: String) {
        self.skips.0.borrow_mut().push(Skipped { line, reason });
    }
}

impl<R: BufRead> Read for Framed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut written = 0;
        while written < buf.len() {
            if self.out_pos == self.out.len() {
                self.next_record()?;
                if self.out.is_empty() {
                    // A blanked line at the very end leaves nothing either.
                    if self.src.fill()?.is_empty() {
                        break;
                    }
                    continue;
                }
            }
            let n = (buf.len() - written).min(self.out.len() - self.out_pos);
            buf[written..written + n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
            self.out_pos += n;
            written += n;
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the framing passes on and what it left out, read in small pieces.
    fn framed(data: &[u8], preamble: usize, cap: usize) -> (String, Vec<Skipped>) {
        let (mut framed, skips) =
            frame_with_cap(io::BufReader::with_capacity(7, data), b',', preamble, cap);
        let mut out = Vec::new();
        let mut buf = [0u8; 5];
        loop {
            let n = framed.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        (String::from_utf8(out).unwrap(), skips.take())
    }

    #[test]
    fn passes_good_csv_through_unchanged() {
        let data = "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,\"say \"\"hi\"\"\"\n3,q\"uote\r4,5";
        assert_eq!(framed(data.as_bytes(), 0, 1000), (data.to_string(), vec![]));
    }

    #[test]
    fn a_quote_never_closed_takes_only_its_own_line() {
        let data = "ua,ip\n\"Moz,1\nok,2\r\nfine,3\n";
        let (out, skips) = framed(data.as_bytes(), 0, 1000);
        assert_eq!(out, "ua,ip\n\nok,2\r\nfine,3\n");
        assert_eq!(skips.len(), 1);
        assert_eq!(skips[0].line, 2);
        assert!(
            skips[0].reason.contains("never closed (the 2 line(s)"),
            "{skips:?}"
        );
    }

    #[test]
    fn a_quote_closing_into_a_row_of_the_wrong_width_is_left_out() {
        let data = "title\nua,ip\n\"Moz,1\nok,2\nx,st\"ray\nfine,4\n";
        let (out, skips) = framed(data.as_bytes(), 1, 1000);
        assert_eq!(out, "title\nua,ip\n\nok,2\nx,st\"ray\nfine,4\n");
        assert_eq!(skips[0].line, 3);
        assert!(
            skips[0].reason.contains("closes only on line 5"),
            "{skips:?}"
        );
        assert!(
            skips[0]
                .reason
                .contains("of 1 fields where the header has 2")
        );
        // A field on several lines that fits the header is data.
        let data = "a,b\n\"x\ny\",1\n";
        assert_eq!(framed(data.as_bytes(), 0, 1000).0, data);
    }

    #[test]
    fn caps_records_and_lines() {
        let long = format!("a,b\n{}\nok,1\n", "z".repeat(50));
        let (out, skips) = framed(long.as_bytes(), 0, 20);
        assert_eq!(out, "a,b\n\nok,1\n");
        assert_eq!(skips[0].line, 2);
        assert!(skips[0].reason.contains("longer than 20 bytes"));
        let quoted = format!("a,b\n\"open,1\n{}", "ok,2\n".repeat(10));
        let (out, skips) = framed(quoted.as_bytes(), 0, 20);
        assert_eq!(out, format!("a,b\n\n{}", "ok,2\n".repeat(10)));
        assert!(skips[0].reason.contains("still open 3 lines"), "{skips:?}");
    }

    #[test]
    fn counts_fields_like_the_csv_crate() {
        assert_eq!(field_lengths(b"a,\"b,c\",\"\"\"\"\n", b','), vec![1, 3, 1]);
        assert_eq!(field_lengths(b"x\"y,\"p\"q\r\n", b','), vec![3, 2]);
        assert!(open_after(b"a,\"b", b',', false));
        assert!(!open_after(b"a,b\"c", b',', false));
        assert!(open_after(b"x\"\"y", b',', true));
        assert!(!open_after(b"x\",y", b',', true));
    }
}
