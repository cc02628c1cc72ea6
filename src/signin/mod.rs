//! Where an account was really used: sign-in and audit logs read into
//! [`Event`]s ([`Investigation`]), whatever their format (Entra ID sign-in
//! CSV and JSON, the Unified Audit Log as CSV or JSON lines, Google
//! Workspace login activity); each event judged against the account's own
//! history and what the analyst already said about its address
//! ([`judge`]); the outputs ([`output`]). Owners come from the caller, per
//! distinct address, like for `headers`. No terminal code.
//!
//! Readers reuse the campaign input's layers: UTF-16 and BOMs, encoding
//! detection and per-field decoding, the CSV framing that keeps a runaway
//! quote or a huge cell to its own lines, the time parser. A record that
//! cannot be read becomes an [`Issue`] with file, line and column, and
//! the rest loads.

pub mod audit;
pub mod client_ip;
mod csv_table;
mod entra_csv;
pub mod event;

mod json_items;
mod json_logs;
pub mod judge;

pub mod output;
pub mod sink;
pub mod summary;
mod ual_csv;

use std::io::{BufReader, Cursor, Read};

pub use event::{Event, MailRule, OpKind, Outcome};
pub use sink::Issue;

use crate::input::DateOrder;
use crate::input::bytes::encoding::{FieldDecoder, SAMPLE_BYTES, detect_encoding};
use crate::input::bytes::transcode;
use crate::text::escape_controls;
use csv_table::CsvTable;
use sink::{Sink, Strings};

/// The log formats read here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogKind {
    /// Entra ID sign-ins, the portal's CSV download.
    EntraCsv,
    /// Entra ID sign-ins, the portal's JSON download or Graph pages.
    EntraJson,
    /// The Unified Audit Log, Purview's or PowerShell's CSV.
    UalCsv,
    /// The Unified Audit Log as JSON lines or an array.
    UalJson,
    /// Google Workspace login activity (Reports API JSON).
    GoogleJson,
}

impl LogKind {
    pub fn label(self) -> &'static str {
        match self {
            LogKind::EntraCsv => "Entra ID sign-ins (CSV)",
            LogKind::EntraJson => "Entra ID sign-ins (JSON)",
            LogKind::UalCsv => "Microsoft 365 audit log (CSV)",
            LogKind::UalJson => "Microsoft 365 audit log (JSON)",
            LogKind::GoogleJson => "Google Workspace login activity",
        }
    }

    /// How long the provider keeps these records, for the window warning.
    pub fn retention(self) -> &'static str {
        match self {
            LogKind::EntraCsv | LogKind::EntraJson => {
                "Entra ID keeps sign-ins 7 days (Free) or 30 days (P1/P2)"
            }
            LogKind::UalCsv | LogKind::UalJson => {
                "the audit log keeps 180 days (Audit Standard) or a year (Premium)"
            }
            LogKind::GoogleJson => "Google keeps login activity 180 days",
        }
    }
}

/// How to read sign-in and audit logs.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// `None` detects the format from the content.
    pub kind: Option<LogKind>,
    /// How to read year-last dates (`9/20/2023 4:05:03 AM`).
    pub date_order: DateOrder,
    /// Keep each record's raw text for the detail pane and the JSON output.
    pub keep_raw: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            kind: None,
            date_order: DateOrder::YearFirst,
            keep_raw: true,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    #[error("cannot read {}: {source}", escape_controls(file))]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{}: not a sign-in or audit log whoclicked can read: {detail}",
        escape_controls(file)
    )]
    UnknownFormat { file: String, detail: String },
    #[error("{}: read as {}, but {detail}", escape_controls(file), kind.label())]
    Unreadable {
        file: String,
        kind: LogKind,
        detail: String,
    },
}

/// One input file of an investigation.
#[derive(Clone, Debug)]
pub struct SigninFile {
    pub name: String,
    pub kind: LogKind,
    /// Records seen (read or not).
    pub records: u64,
    pub events: usize,
}

/// Several files as one investigation: every event of every file, in time
/// order once [`Investigation::finish`] ran.
#[derive(Debug, Default)]
pub struct Investigation {
    pub files: Vec<SigninFile>,
    pub events: Vec<Event>,
    pub issues: Vec<Issue>,
    strings: Strings,
}

/// The format a file's first bytes look like, if any of these.
pub fn sniff(head: &[u8]) -> Option<LogKind> {
    let text = text_sample(head);
    detect(&text).ok()
}

fn text_sample(head: &[u8]) -> String {
    if let Some((enc, bom)) = transcode::utf16_encoding(head) {
        let mut out = String::new();
        let _ = transcode::Utf8From::new(Cursor::new(head), enc, bom).read_to_string(&mut out);
        return out;
    }
    let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    String::from_utf8_lossy(body).into_owned()
}

fn detect(text: &str) -> Result<LogKind, String> {
    let start = text.trim_start();
    if start.starts_with('{') || start.starts_with('[') {
        let has = |k: &str| start.contains(k);
        return if has("\"createdDateTime\"") {
            Ok(LogKind::EntraJson)
        } else if has("\"AuditData\"") || has("\"CreationTime\"") {
            Ok(LogKind::UalJson)
        } else if has("\"applicationName\"") || (has("\"actor\"") && has("\"events\"")) {
            Ok(LogKind::GoogleJson)
        } else {
            Err(
                "JSON, but with none of the fields of an Entra sign-in (createdDateTime), an \
                 audit record (CreationTime, AuditData) or Google login activity (id.time, events)"
                    .to_string(),
            )
        };
    }
    let first = start.lines().next().unwrap_or("");
    let delimiter = crate::input::bytes::csv_records::detect_delimiter(first.as_bytes()) as char;
    let names: Vec<String> = first
        .split(delimiter)
        .map(|n| csv_table::normalize(n.trim_matches('"')))
        .collect();
    if ual_csv::is_header(&names) {
        Ok(LogKind::UalCsv)
    } else if entra_csv::is_header(&names) {
        Ok(LogKind::EntraCsv)
    } else {
        Err(
            "the first line is no header of an Entra sign-in export (Date (UTC), IP address, \
             Username…) or an audit-log export (…, AuditData)"
                .to_string(),
        )
    }
}

impl Investigation {
    pub fn new() -> Self {
        Investigation::default()
    }

    /// Reads one file's events. A file that is no sign-in or audit log, or
    /// whose header lacks what its format needs, is an error and adds
    /// nothing; records that cannot be read become issues.
    pub fn read(
        &mut self,
        name: &str,
        mut reader: impl Read,
        options: &ReadOptions,
    ) -> Result<(), SigninError> {
        let io = |source| SigninError::Io {
            file: name.to_string(),
            source,
        };
        let mut sample = Vec::with_capacity(SAMPLE_BYTES);
        (&mut reader)
            .take(SAMPLE_BYTES as u64)
            .read_to_end(&mut sample)
            .map_err(io)?;
        let at_eof = sample.len() < SAMPLE_BYTES;
        let stream: Box<dyn Read + '_> = match transcode::utf16_encoding(&sample) {
            Some((enc, bom)) => Box::new(transcode::Utf8From::new(
                Cursor::new(sample.clone()).chain(reader),
                enc,
                bom,
            )),
            None => Box::new(Cursor::new(sample.clone()).chain(reader)),
        };
        let text = text_sample(&sample);
        if text.trim().is_empty() {
            return Err(SigninError::UnknownFormat {
                file: name.to_string(),
                detail: "the file is empty".to_string(),
            });
        }
        let kind = match options.kind {
            Some(kind) => kind,
            None => detect(&text).map_err(|detail| SigninError::UnknownFormat {
                file: name.to_string(),
                detail,
            })?,
        };
        let file = u16::try_from(self.files.len()).unwrap_or(u16::MAX);
        let before = self.events.len();
        let issues_before = self.issues.len();
        let mut sink = Sink::new(
            file,
            &mut self.events,
            &mut self.issues,
            &mut self.strings,
            options.keep_raw,
            options.date_order,
        );
        let mut stream = SkipBom::new(stream);
        let outcome = match kind {
            LogKind::EntraCsv | LogKind::UalCsv => {
                let body = sample.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&sample);
                let decoder = if text.is_ascii() || transcode::utf16_encoding(&sample).is_some() {
                    FieldDecoder::guessing_utf8()
                } else {
                    FieldDecoder::new(detect_encoding(body, at_eof).encoding)
                };
                let first_line = text
                    .trim_start()
                    .lines()
                    .next()
                    .unwrap_or("")
                    .as_bytes()
                    .to_vec();
                CsvTable::open(&mut stream, &first_line, decoder).and_then(|table| {
                    if kind == LogKind::UalCsv {
                        ual_csv::read(&mut sink, table)
                    } else {
                        entra_csv::read(&mut sink, table)
                    }
                })
            }
            _ => json_logs::read(
                &mut sink,
                BufReader::with_capacity(64 * 1024, &mut stream),
                kind,
            ),
        };
        let records = sink.records;
        if let Err(detail) = outcome {
            self.events.truncate(before);
            self.issues.truncate(issues_before);
            return Err(SigninError::Unreadable {
                file: name.to_string(),
                kind,
                detail,
            });
        }
        self.files.push(SigninFile {
            name: name.to_string(),
            kind,
            records,
            events: self.events.len() - before,
        });
        Ok(())
    }

    /// Puts the events in time order (file and line break ties), once all
    /// files are read.
    pub fn finish(&mut self) {
        self.events.sort_by_key(|e| (e.time, e.file, e.line));
    }

    /// The distinct client addresses, in order of first appearance.
    pub fn addresses(&self) -> Vec<std::net::IpAddr> {
        let mut seen = std::collections::HashSet::new();
        self.events
            .iter()
            .filter_map(|e| e.ip)
            .filter(|ip| seen.insert(*ip))
            .collect()
    }
}

/// Drops a UTF-8 byte-order mark at the start of a stream.
struct SkipBom<R> {
    inner: R,
    checked: bool,
    held: Vec<u8>,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> Self {
        SkipBom {
            inner,
            checked: false,
            held: Vec::new(),
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut head = [0u8; 3];
            let mut n = 0;
            while n < 3 {
                let got = self.inner.read(&mut head[n..])?;
                if got == 0 {
                    break;
                }
                n += got;
            }
            if head[..n] != *b"\xef\xbb\xbf" {
                self.held = head[..n].to_vec();
            }
        }
        if !self.held.is_empty() {
            let n = self.held.len().min(buf.len());
            buf[..n].copy_from_slice(&self.held[..n]);
            self.held.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}
