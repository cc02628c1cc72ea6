//! The state shared by every reader while one file loads: where it goes in
//! the campaign, the per-row bookkeeping (counters, issues, progress,
//! cancellation) and the verdict on whether the file was readable at all.

use std::sync::atomic::Ordering;

use crate::model::{Access, Campaign, LogFormat, ReadIssue};

use super::bytes::encoding::FieldDecoder;
use super::error::LoadError;
use super::values::timestamp::TimeParser;
use super::{LoadProgress, format_label};

/// Rows between progress updates and cancellation checks: often enough for a
/// GUI to look live, rare enough that the atomics cost nothing.
const TICK_ROWS: u64 = 4096;

/// How much of a bad value an issue quotes.
const EXCERPT_CHARS: usize = 40;
/// How much of a whole line or header an issue quotes.
const LINE_EXCERPT_CHARS: usize = 100;

/// Files with fewer rows are never declared unreadable: a couple of bad rows
/// in a tiny file say nothing about its format.
const MIN_ROWS_FOR_VERDICT: u64 = 4;

/// How often one field failed, with the first reason as an example.
struct Fault {
    field: Option<String>,
    count: u64,
    first_line: u64,
    first_reason: String,
}

pub struct FileCtx<'a> {
    pub campaign: &'a mut Campaign,
    pub file: u16,
    pub name: &'a str,
    pub format: LogFormat,
    pub decoder: FieldDecoder,
    pub times: TimeParser,
    /// The sample was neither UTF-8 nor Shift_JIS: say so when fields needed repair.
    pub encoding_was_guessed_wrong: bool,
    progress: &'a LoadProgress,
    unreported_rows: u64,
    /// Rows that could not be read (not rows merely ignored, like CSS requests).
    failed: u64,
    /// Rows that count for the verdict: everything but blank lines.
    rows: u64,
    faults: Vec<Fault>,
}

impl<'a> FileCtx<'a> {
    pub fn new(
        campaign: &'a mut Campaign,
        file: u16,
        name: &'a str,
        format: LogFormat,
        decoder: FieldDecoder,
        times: TimeParser,
        progress: &'a LoadProgress,
    ) -> Self {
        FileCtx {
            campaign,
            file,
            name,
            format,
            decoder,
            times,
            encoding_was_guessed_wrong: false,
            progress,
            unreported_rows: 0,
            failed: 0,
            rows: 0,
            faults: Vec::new(),
        }
    }

    /// Counts a data row; every few thousand rows reports progress and honours cancel.
    pub fn row_seen(&mut self) -> Result<(), LoadError> {
        self.rows += 1;
        if let Some(f) = self.campaign.files.get_mut(usize::from(self.file)) {
            f.rows += 1;
        }
        self.unreported_rows += 1;
        if self.unreported_rows >= TICK_ROWS {
            self.flush_progress();
            if self.progress.cancel.load(Ordering::Relaxed) {
                return Err(LoadError::Cancelled);
            }
        }
        Ok(())
    }

    /// A counted row that turned out to be blank: it stays in the row numbering
    /// but is no evidence for or against the format.
    pub fn row_was_blank(&mut self) {
        self.rows = self.rows.saturating_sub(1);
    }

    fn flush_progress(&mut self) {
        self.progress
            .rows
            .fetch_add(self.unreported_rows, Ordering::Relaxed);
        self.unreported_rows = 0;
    }

    pub fn push_access(&mut self, access: Access) {
        self.campaign.accesses.push(access);
        if let Some(f) = self.campaign.files.get_mut(usize::from(self.file)) {
            f.accesses += 1;
        }
    }

    /// A forward proxy's request (not an access of the campaign).
    pub fn push_proxy(&mut self, record: crate::model::ProxyRecord) {
        self.campaign.network.proxy.push(record);
    }

    /// A DHCP lease event (not an access of the campaign).
    pub fn push_lease(&mut self, lease: crate::model::Lease) {
        self.campaign.network.leases.push(lease);
    }

    /// The row could not be read and is skipped.
    pub fn fail(&mut self, line: u64, field: Option<&str>, reason: String) {
        self.failed += 1;
        match self.faults.iter_mut().find(|f| f.field.as_deref() == field) {
            Some(fault) => fault.count += 1,
            None => self.faults.push(Fault {
                field: field.map(str::to_string),
                count: 1,
                first_line: line,
                first_reason: reason.clone(),
            }),
        }
        self.campaign.push_issue(self.issue(line, field, reason));
    }

    /// The row is skipped on purpose (e.g. an event that is no access); it says
    /// nothing about whether the format was guessed right.
    pub fn ignore(&mut self, line: u64, field: Option<&str>, reason: String) {
        self.campaign.push_issue(self.issue(line, field, reason));
    }

    /// Something is wrong but the row is kept (a nonsense screen size).
    pub fn warn(&mut self, line: u64, field: Option<&str>, reason: String) {
        let issue = self.issue(line, field, reason);
        self.campaign.issues.push(issue);
    }

    fn issue(&self, line: u64, field: Option<&str>, reason: String) -> ReadIssue {
        ReadIssue {
            file: self.file,
            line,
            field: field.map(str::to_string),
            reason,
        }
    }

    /// Ends the file: final progress, one note about repaired text, and the
    /// verdict — a file whose rows mostly failed was probably misread as a whole.
    pub fn finish(mut self) -> Result<(), LoadError> {
        self.flush_progress();
        if let Some(line) = self.decoder.switched_at {
            let encoding = self.decoder.encoding().name();
            if let Some(f) = self.campaign.files.get_mut(usize::from(self.file)) {
                f.encoding = encoding;
            }
            let reason = format!(
                "the start of the file is plain ASCII; text from this line on reads as {encoding}"
            );
            self.warn(line, None, reason);
        }
        if self.decoder.utf8_fields > 0 {
            let reason = format!(
                "{} field(s) of this Shift_JIS file are UTF-8 (the first on this line); \
                 they were read as UTF-8",
                self.decoder.utf8_fields
            );
            let line = self.decoder.first_utf8_line;
            self.warn(line, None, reason);
        }
        if self.decoder.repaired_fields > 0 {
            let what = if self.encoding_was_guessed_wrong {
                "the text is neither UTF-8 nor Shift_JIS".to_string()
            } else {
                format!(
                    "the text is not all valid {}",
                    self.decoder.encoding().name()
                )
            };
            let reason = format!(
                "{what}: {} field(s) had unreadable bytes, replaced with \u{fffd} \
                 (the first on this line); name the encoding with --encoding",
                self.decoder.repaired_fields,
            );
            let line = self.decoder.first_repaired_line;
            self.warn(line, None, reason);
        }
        if self.rows >= MIN_ROWS_FOR_VERDICT && self.failed * 2 > self.rows {
            // On a tie the fault seen first is the better example.
            let worst = self.faults.iter().rev().max_by_key(|f| f.count);
            let mut detail = format!(
                "read as {}: {} of {} rows failed",
                format_label(self.format),
                self.failed,
                self.rows
            );
            if let Some(f) = worst {
                match &f.field {
                    Some(field) => detail.push_str(&format!(
                        "; {} of them in the `{field}` column, e.g. line {}: {}",
                        f.count, f.first_line, f.first_reason
                    )),
                    None => detail
                        .push_str(&format!("; e.g. line {}: {}", f.first_line, f.first_reason)),
                }
            }
            // The campaign is dropped with the error: its issues of this
            // file go with it, for the screen's read-errors panel.
            let file = self.file;
            let failed_rows = std::mem::take(&mut self.campaign.issues)
                .into_iter()
                .filter(|issue| issue.file == file)
                .collect();
            return Err(LoadError::Unreadable {
                file: self.name.to_string(),
                format: self.format,
                detail,
                failed_rows,
            });
        }
        Ok(())
    }
}

/// A bad value as an issue quotes it: at most a few dozen characters, in
/// quotes, with control and bidi-override characters shown as `\u{…}` so a
/// hostile log cannot rewrite the analyst's terminal.
pub fn excerpt(value: &str) -> String {
    excerpt_of(value, EXCERPT_CHARS)
}

/// [`excerpt`] for a whole line or header, which needs more context.
pub fn line_excerpt(value: &str) -> String {
    excerpt_of(value, LINE_EXCERPT_CHARS)
}

fn excerpt_of(value: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(value.len().min(max_chars * 4) + 2);
    out.push('"');
    for (i, c) in value.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        let unsafe_char = c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if unsafe_char {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_inert() {
        assert_eq!(excerpt("foo"), "\"foo\"");
        assert_eq!(excerpt("a\u{1b}[31mb\n"), "\"a\\u{1b}[31mb\\u{a}\"");
        assert_eq!(excerpt("x\u{202e}y"), "\"x\\u{202e}y\"");
        let long = "あ".repeat(100);
        let e = excerpt(&long);
        assert_eq!(e.chars().count(), EXCERPT_CHARS + 3);
        assert!(e.ends_with("…\""));
    }
}
