//! The CSV dialect shared by the native and GoPhish readers. Records are read
//! as bytes and decoded field by field: the delimiter, quote and newline bytes
//! never occur inside a Shift_JIS or UTF-8 character, so splitting first is safe.

use std::borrow::Cow;
use std::io::{BufReader, Read};

use csv::{ByteRecord, ReaderBuilder};

use crate::input::bytes::encoding::{FieldDecoder, strip_formula_escape};
use crate::input::bytes::framing;
use crate::input::bytes::line_index::{self, LineIndex};
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt};

/// How a CSV input is laid out, as detection found it.
#[derive(Clone, Copy, Debug)]
pub struct Dialect {
    pub delimiter: u8,
    /// Records above the header to skip.
    pub preamble_records: usize,
}

/// Reads the header row, after skipping the preamble; `false` when the input ends first.
pub fn read_header<R: Read>(
    rdr: &mut csv::Reader<R>,
    record: &mut ByteRecord,
    dialect: Dialect,
) -> csv::Result<bool> {
    for _ in 0..dialect.preamble_records {
        if !rdr.read_byte_record(record)? {
            return Ok(false);
        }
    }
    rdr.read_byte_record(record)
}

/// A CSV input opened for a reader: records framed (see [`framing`]), lines
/// numbered, and what the framing left out, for [`report_skipped`].
pub fn open<R: Read>(
    input: R,
    dialect: Dialect,
) -> (
    csv::Reader<line_index::Tracked<framing::Framed<BufReader<R>>>>,
    LineIndex,
    framing::Skips,
) {
    let (framed, skips) = framing::frame(
        BufReader::with_capacity(64 * 1024, input),
        dialect.delimiter,
        dialect.preamble_records,
    );
    let (tracked, lines) = line_index::track(framed);
    (reader(tracked, dialect.delimiter), lines, skips)
}

/// Lines the framing left out count as rows that failed.
pub fn report_skipped(ctx: &mut FileCtx<'_>, skips: &framing::Skips) -> Result<(), LoadError> {
    report_left_out(ctx, skips.take())
}

/// [`report_skipped`] for lines already taken from the framing's list (by a
/// reader that applies its records on another thread).
pub fn report_left_out(
    ctx: &mut FileCtx<'_>,
    skipped: Vec<framing::Skipped>,
) -> Result<(), LoadError> {
    for skipped in skipped {
        ctx.row_seen()?;
        ctx.fail(skipped.line, None, skipped.reason);
    }
    Ok(())
}

pub fn reader<R: Read>(input: R, delimiter: u8) -> csv::Reader<R> {
    ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        // Rows of the wrong width are reported by the readers, not refused here.
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(input)
}

/// The csv crate reports only I/O trouble here: records are bytes and rows
/// may differ in width.
pub fn io_error(name: &str, e: csv::Error) -> LoadError {
    let source = match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    LoadError::Io {
        file: name.to_string(),
        source,
    }
}

/// Comma, tab or semicolon: whichever occurs most in the header line outside
/// quotes (comma on a tie or when none does).
pub fn detect_delimiter(first_line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in first_line {
        match b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => counts[0] += 1,
            b'\t' if !in_quotes => counts[1] += 1,
            b';' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b'\t', b';'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Header names, decoded and trimmed.
pub fn header_names(record: &ByteRecord, decoder: &mut FieldDecoder) -> Vec<String> {
    record
        .iter()
        .map(|f| decoder.decode(f, 1).trim().to_string())
        .collect()
}

/// Header names that occur more than once (after trimming, ignoring case)
/// are reported: only the first of them is read for its meaning, the others
/// are kept as extra columns under the same name.
pub fn warn_duplicate_names(ctx: &mut FileCtx<'_>, names: &[String], line: u64) {
    let mut seen: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let key = name.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, columns)) => columns.push(i + 1),
            None => seen.push((key, vec![i + 1])),
        }
    }
    for (_, columns) in seen.into_iter().filter(|(_, c)| c.len() > 1) {
        let list: Vec<String> = columns.iter().map(ToString::to_string).collect();
        let name = &names[columns[0] - 1];
        let reason = format!(
            "the header names {} {} times (columns {}); the first is read, the others are \
             kept as extra columns",
            excerpt(name),
            columns.len(),
            list.join(", ")
        );
        ctx.warn(line, Some(name), reason);
    }
}

/// The record's starting physical line (1-based).
pub fn line_of(record: &ByteRecord, index: &LineIndex) -> u64 {
    index.line_at(record.position().map_or(0, |p| p.byte()))
}

/// Excel writes `,,,,` for an empty row; such rows are no data.
pub fn is_blank(record: &ByteRecord) -> bool {
    record
        .iter()
        .all(|f| f.iter().all(|b| b.is_ascii_whitespace()))
}

/// Field `i` as text, trimmed, with GoPhish's formula-escape `'` removed.
/// A missing field reads as empty.
pub fn text<'r>(
    record: &'r ByteRecord,
    i: usize,
    decoder: &mut FieldDecoder,
    line: u64,
) -> Cow<'r, str> {
    let Some(bytes) = record.get(i) else {
        return Cow::Borrowed("");
    };
    match decoder.decode(bytes, line) {
        Cow::Borrowed(s) => Cow::Borrowed(strip_formula_escape(s.trim())),
        Cow::Owned(s) => Cow::Owned(strip_formula_escape(s.trim()).to_string()),
    }
}

/// Whether a row has the header's width; trailing empty cells (which some
/// spreadsheets add) do not count against it.
pub fn width_ok(record: &ByteRecord, header_width: usize) -> bool {
    record.len() == header_width
        || (record.len() > header_width && record.iter().skip(header_width).all(<[u8]>::is_empty))
}

/// The checks every CSV row goes through first: a blank row is counted and
/// skipped, a row with the wrong number of fields is reported and skipped.
/// True when the row should be read.
pub fn row_is_readable(
    ctx: &mut FileCtx<'_>,
    record: &ByteRecord,
    header_width: usize,
    line: u64,
) -> bool {
    if is_blank(record) {
        ctx.row_was_blank();
        return false;
    }
    if !width_ok(record, header_width) {
        let reason = format!(
            "the row has {} fields but the header has {}",
            record.len(),
            header_width
        );
        ctx.fail(line, None, reason);
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_delimiter() {
        assert_eq!(detect_delimiter(b"time,ip,email"), b',');
        assert_eq!(detect_delimiter(b"time\tip\t\"a,b\""), b'\t');
        assert_eq!(detect_delimiter(b"time;ip;\"x,y,z\""), b';');
        assert_eq!(detect_delimiter(b"time"), b',');
    }

    #[test]
    fn reads_text_fields() {
        let mut rdr = reader(&b"'=1+1, x ,\n"[..], b',');
        let mut rec = ByteRecord::new();
        assert!(rdr.read_byte_record(&mut rec).unwrap());
        let mut dec = FieldDecoder::new(encoding_rs::UTF_8);
        assert_eq!(text(&rec, 0, &mut dec, 1), "=1+1");
        assert_eq!(text(&rec, 1, &mut dec, 1), "x");
        assert_eq!(text(&rec, 9, &mut dec, 1), "");
        assert!(width_ok(&rec, 2));
        assert!(!width_ok(&rec, 4));
    }
}
