//! Adding accesses by value, for code that builds campaigns itself (tests,
//! generators, the demo) rather than reading them from a log.

use std::net::IpAddr;

use super::access::{Access, Event, NO_EXTRA, Screen};
use super::campaign::{Campaign, LogFormat, SourceFile, recipient_raw};
use super::time::Timestamp;

/// An access described by its values; see [`Campaign::add_access`].
#[derive(Clone, Debug)]
pub struct NewAccess<'a> {
    pub time: Timestamp,
    pub ip: IpAddr,
    pub user_agent: &'a str,
    pub recipient: Option<&'a str>,
    pub event: Event,
    pub screen: Option<Screen>,
    pub method: &'a str,
}

impl Default for NewAccess<'_> {
    fn default() -> Self {
        NewAccess {
            time: Timestamp::default(),
            ip: IpAddr::from([0, 0, 0, 0]),
            user_agent: "",
            recipient: None,
            event: Event::Click,
            screen: None,
            method: "",
        }
    }
}

impl Campaign {
    /// Registers a source and returns its index for `Access::file`.
    pub fn add_file(&mut self, name: &str, format: LogFormat) -> u16 {
        self.files.push(SourceFile {
            name: name.to_string(),
            format,
            encoding: "UTF-8",
            rows: 0,
            accesses: 0,
            skipped: 0,
            extra_columns: Vec::new(),
        });
        (self.files.len() - 1) as u16
    }

    /// Appends an access to `file` (which must exist) and returns its index.
    pub fn add_access(&mut self, file: u16, new: NewAccess<'_>) -> usize {
        let ip = self.intern_ip(new.ip);
        let user_agent = self.intern_user_agent(new.user_agent);
        let recipient = new.recipient.map(|r| self.intern_recipient(r));
        let method = self.strings.intern(new.method);
        let source = &mut self.files[usize::from(file)];
        source.rows += 1;
        source.accesses += 1;
        let row = source.rows as u32;
        self.accesses.push(Access {
            time: new.time,
            ip,
            user_agent,
            recipient_raw: recipient_raw(recipient),
            method,
            extra: NO_EXTRA,
            row,
            line: row + 1,
            screen: new.screen,
            file,
            event: new.event,
        });
        self.accesses.len() - 1
    }

    /// Records delivery of the mail to `recipient` at `time`.
    pub fn add_delivery(&mut self, recipient: &str, time: Timestamp) {
        let id = self.intern_recipient(recipient);
        let r = &mut self.recipients[id.index()];
        r.delivered = true;
        r.sent_at = Some(r.sent_at.map_or(time, |t| t.min(time)));
    }
}
