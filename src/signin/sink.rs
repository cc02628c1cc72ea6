//! Where a reader puts what it reads: events, and issues naming the file,
//! line and column; repeated text shared; times read in UTC (the logs'
//! own zone), year-last dates in the order the analyst named.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::event::Event;
use crate::input::DateOrder;
use crate::input::TimeParser;
use crate::input::file_ctx::excerpt;
use crate::model::Timestamp;

/// A record that could not be read (or was read with a doubt), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// Index into the investigation's files.
    pub file: u16,
    /// 1-based line; 0 when the whole file is meant.
    pub line: u64,
    /// The column or field at fault (`AuditData`, `Date (UTC)`, `column 7`).
    pub column: Option<String>,
    pub reason: String,
}

/// Text shared between events: a million events of one account hold its
/// name once.
#[derive(Debug, Default)]
pub struct Strings(HashSet<Arc<str>>);

impl Strings {
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(s) = self.0.get(text) {
            return s.clone();
        }
        let s: Arc<str> = Arc::from(text);
        self.0.insert(s.clone());
        s
    }
}

/// One file's reading state.
pub struct Sink<'a> {
    pub file: u16,
    pub events: &'a mut Vec<Event>,
    pub issues: &'a mut Vec<Issue>,
    pub strings: &'a mut Strings,
    pub keep_raw: bool,
    /// Records seen (read or not).
    pub records: u64,
    utc: TimeParser,
}

impl<'a> Sink<'a> {
    pub fn new(
        file: u16,
        events: &'a mut Vec<Event>,
        issues: &'a mut Vec<Issue>,
        strings: &'a mut Strings,
        keep_raw: bool,
        date_order: DateOrder,
    ) -> Self {
        Sink {
            file,
            events,
            issues,
            strings,
            keep_raw,
            records: 0,
            utc: TimeParser::new(TimeZone::UTC).with_date_order(date_order),
        }
    }

    pub fn issue(&mut self, line: u64, column: Option<&str>, reason: impl Into<String>) {
        self.issues.push(Issue {
            file: self.file,
            line,
            column: column.map(str::to_string),
            reason: reason.into(),
        });
    }

    /// A time the log writes in UTC (with or without a zone suffix, a
    /// trailing space, seven fraction digits); the reason when it is none.
    pub fn time(&mut self, text: &str) -> Result<Timestamp, String> {
        let t = text.trim();
        self.utc
            .parse(t)
            .map_err(|e| format!("{} {}", excerpt(t), e.describe()))
    }

    /// A new event of this file, with shared text for its account.
    pub fn event(&mut self, line: u64, time: Timestamp, account: &str) -> Event {
        let account = self.strings.get(&account.trim().to_lowercase());
        Event::new(self.file, line, time, account)
    }

    pub fn text(&mut self, text: &str) -> Arc<str> {
        self.strings.get(text.trim())
    }
}
