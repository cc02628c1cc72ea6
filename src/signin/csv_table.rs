//! A CSV export read through the project's framing (a runaway quote or a
//! record over 1 MiB costs only its own lines), with columns found by their
//! trimmed name, case and runs of spaces ignored: Entra's header has
//! trailing spaces, a doubled space and a duplicated name, and its columns
//! move between releases. The first of duplicated names is read.

use std::io::{BufReader, Read};

use csv::ByteRecord;

use super::sink::Sink;
use crate::input::bytes::csv_records::{self, detect_delimiter};
use crate::input::bytes::encoding::FieldDecoder;
use crate::input::bytes::framing::{self, Framed, Skips};
use crate::input::bytes::line_index::{self, LineIndex, Tracked};

type Reader<R> = csv::Reader<Tracked<Framed<BufReader<R>>>>;

/// A header name as compared: trimmed, lower case, runs of white space as one.
pub fn normalize(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub struct CsvTable<R: Read> {
    rdr: Reader<R>,
    lines: LineIndex,
    skips: Skips,
    pub decoder: FieldDecoder,
    /// Normalised header names.
    pub header: Vec<String>,
    record: ByteRecord,
}

impl<R: Read> CsvTable<R> {
    /// Opens the table and reads its header (the first line); `first_line`
    /// is the sample's first line, to choose the delimiter.
    pub fn open(input: R, first_line: &[u8], decoder: FieldDecoder) -> Result<Self, String> {
        let delimiter = detect_delimiter(first_line);
        let (framed, skips) =
            framing::frame(BufReader::with_capacity(64 * 1024, input), delimiter, 0);
        let (tracked, lines) = line_index::track(framed);
        let mut rdr = csv_records::reader(tracked, delimiter);
        let mut record = ByteRecord::new();
        let mut decoder = decoder;
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Err("the file has no header line".to_string()),
            Err(e) => return Err(e.to_string()),
        }
        let header = csv_records::header_names(&record, &mut decoder)
            .iter()
            .map(|n| normalize(n))
            .collect();
        Ok(CsvTable {
            rdr,
            lines,
            skips,
            decoder,
            header,
            record,
        })
    }

    /// The first column with one of these names (given normalised).
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names
            .iter()
            .find_map(|n| self.header.iter().position(|h| h == n))
    }

    /// The next data row and its line; rows of the wrong width and lines
    /// the framing left out are reported to `sink`. `None` at the end.
    pub fn next_row(&mut self, sink: &mut Sink<'_>) -> Result<Option<(u64, &ByteRecord)>, String> {
        loop {
            for skipped in self.skips.take() {
                sink.records += 1;
                sink.issue(skipped.line, None, skipped.reason);
            }
            match self.rdr.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    for skipped in self.skips.take() {
                        sink.records += 1;
                        sink.issue(skipped.line, None, skipped.reason);
                    }
                    return Ok(None);
                }
                Err(e) => return Err(e.to_string()),
            }
            if csv_records::is_blank(&self.record) {
                continue;
            }
            let line = csv_records::line_of(&self.record, &self.lines);
            sink.records += 1;
            if !csv_records::width_ok(&self.record, self.header.len()) {
                sink.issue(
                    line,
                    None,
                    format!(
                        "the row has {} fields but the header has {}; skipped",
                        self.record.len(),
                        self.header.len()
                    ),
                );
                continue;
            }
            return Ok(Some((line, &self.record)));
        }
    }
}

/// Field `i` of a row as text (empty when the column is missing).
pub fn field(
    record: &ByteRecord,
    i: Option<usize>,
    decoder: &mut FieldDecoder,
    line: u64,
) -> String {
    match i {
        Some(i) => csv_records::text(record, i, decoder, line).into_owned(),
        None => String::new(),
    }
}

/// The whole row as `name: value` lines, for the detail pane.
pub fn row_text(
    header: &[String],
    record: &ByteRecord,
    decoder: &mut FieldDecoder,
    line: u64,
) -> String {
    let mut out = String::new();
    for (i, name) in header.iter().enumerate() {
        let value = csv_records::text(record, i, decoder, line);
        if value.is_empty() {
            continue;
        }
        out.push_str(name);
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_trimmed_and_folded() {
        assert_eq!(
            normalize("Autonomous system  number "),
            "autonomous system number"
        );
        assert_eq!(normalize("\u{feff}Date (UTC)"), "date (utc)");
        assert_eq!(normalize("Application ID "), "application id");
    }
}
