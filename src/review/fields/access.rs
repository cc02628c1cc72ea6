//! The facts only an access has: where it was logged, who it was sent to,
//! what the client claimed (User-Agent, screen) and how long after delivery
//! it came.

use std::borrow::Cow;
use std::collections::HashMap;

use super::rank::{MISSING, ordered_f64, ranked_per_value};
use super::{CellKind, Form, Subject};
use crate::model::{Sym, UaId};
use crate::review::context::ReviewContext;
use crate::text::format_delay;

/// A fact of an access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessField {
    /// The access's data row in its file.
    Row,
    File,
    Recipient,
    Event,
    Method,
    UserAgent,
    Browser,
    BrowserVersion,
    Os,
    OsVersion,
    /// The device category the User-Agent claims (`pc`, `smartphone`…).
    Category,
    Screen,
    /// Seconds from the recipient's delivery to the access.
    AfterSent,
    /// The chain behind the office egress, when the proxy log tied the
    /// access to a PC (`chain.rs`): the internal address…
    InternalIp,
    /// … the PC's name and MAC address from the DHCP lease …
    Pc,
    Mac,
    /// … the user the proxy authenticated …
    ProxyUser,
    /// … and whose machine it is, when the hosts table says someone else's.
    OtherMachine,
}

impl AccessField {
    pub const ALL: [AccessField; 18] = [
        AccessField::Row,
        AccessField::File,
        AccessField::Recipient,
        AccessField::Event,
        AccessField::Method,
        AccessField::UserAgent,
        AccessField::Browser,
        AccessField::BrowserVersion,
        AccessField::Os,
        AccessField::OsVersion,
        AccessField::Category,
        AccessField::Screen,
        AccessField::AfterSent,
        AccessField::InternalIp,
        AccessField::Pc,
        AccessField::Mac,
        AccessField::ProxyUser,
        AccessField::OtherMachine,
    ];

    /// The fields of the chain behind the office egress (empty unless the
    /// proxy log tied the access to a PC).
    pub const CHAIN: [AccessField; 5] = [
        AccessField::InternalIp,
        AccessField::Pc,
        AccessField::Mac,
        AccessField::ProxyUser,
        AccessField::OtherMachine,
    ];

    /// The key in the report's CSV header and JSON objects.
    pub fn name(self) -> &'static str {
        match self {
            AccessField::Row => "row",
            AccessField::File => "file",
            AccessField::Recipient => "recipient",
            AccessField::Event => "event",
            AccessField::Method => "method",
            AccessField::UserAgent => "user_agent",
            AccessField::Browser => "browser",
            AccessField::BrowserVersion => "browser_version",
            AccessField::Os => "os",
            AccessField::OsVersion => "os_version",
            AccessField::Category => "category",
            AccessField::Screen => "screen",
            AccessField::AfterSent => "seconds_after_sent",
            AccessField::InternalIp => "internal_ip",
            AccessField::Pc => "pc",
            AccessField::Mac => "mac",
            AccessField::ProxyUser => "proxy_user",
            AccessField::OtherMachine => "someone_elses_machine",
        }
    }

    /// The column header of a table.
    pub fn title(self) -> &'static str {
        match self {
            AccessField::Row => "row",
            AccessField::File => "file",
            AccessField::Recipient => "recipient",
            AccessField::Event => "event",
            AccessField::Method => "method",
            AccessField::UserAgent => "user agent",
            AccessField::Browser => "browser",
            AccessField::BrowserVersion => "browser version",
            AccessField::Os => "os",
            AccessField::OsVersion => "os version",
            AccessField::Category => "device",
            AccessField::Screen => "screen",
            AccessField::AfterSent => "after",
            AccessField::InternalIp => "internal ip",
            AccessField::Pc => "pc",
            AccessField::Mac => "mac",
            AccessField::ProxyUser => "proxy user",
            AccessField::OtherMachine => "machine",
        }
    }

    /// The names a filter term may use (`cat:smartphone`); none for a field
    /// the filter does not offer.
    pub fn filter_names(self) -> &'static [&'static str] {
        match self {
            AccessField::Recipient => &["recipient", "rcpt", "to", "user", "email"],
            AccessField::Event => &["event"],
            AccessField::Method => &["method"],
            AccessField::UserAgent => &["ua", "agent"],
            AccessField::Browser => &["browser", "br"],
            AccessField::Os => &["os"],
            AccessField::Category => &["cat", "category", "device"],
            AccessField::Screen => &["screen"],
            AccessField::AfterSent => &["dt", "after", "delay"],
            AccessField::InternalIp => &["internal", "lan"],
            AccessField::Pc => &["pc", "hostname"],
            AccessField::Mac => &["mac"],
            AccessField::ProxyUser => &["puser", "proxyuser"],
            AccessField::OtherMachine => &["elsewhere", "forwarded"],
            AccessField::Row
            | AccessField::File
            | AccessField::BrowserVersion
            | AccessField::OsVersion => &[],
        }
    }

    pub fn kind(self) -> CellKind {
        match self {
            AccessField::Row | AccessField::AfterSent => CellKind::Number,
            AccessField::Event
            | AccessField::Category
            | AccessField::Screen
            | AccessField::InternalIp
            | AccessField::Mac => CellKind::Fixed,
            AccessField::Pc | AccessField::ProxyUser | AccessField::OtherMachine => CellKind::Text,
            AccessField::File
            | AccessField::Recipient
            | AccessField::Method
            | AccessField::UserAgent
            | AccessField::Browser
            | AccessField::BrowserVersion
            | AccessField::Os
            | AccessField::OsVersion => CellKind::Text,
        }
    }

    pub fn subject(self) -> Subject {
        match self {
            AccessField::UserAgent
            | AccessField::Browser
            | AccessField::BrowserVersion
            | AccessField::Os
            | AccessField::OsVersion
            | AccessField::Category => Subject::UserAgent,
            AccessField::Recipient => Subject::Recipient,
            AccessField::Row
            | AccessField::File
            | AccessField::Event
            | AccessField::Method
            | AccessField::Screen
            | AccessField::AfterSent
            | AccessField::InternalIp
            | AccessField::Pc
            | AccessField::Mac
            | AccessField::ProxyUser
            | AccessField::OtherMachine => Subject::Row,
        }
    }

    /// The text of this fact for access `i` (not yet escaped for a terminal).
    pub fn text<'a>(self, ctx: &ReviewContext<'a>, i: u32, form: Form) -> Cow<'a, str> {
        let a = ctx.access(i);
        let campaign = &ctx.analysis.campaign;
        match self {
            AccessField::Row => Cow::Owned(a.row.to_string()),
            AccessField::File => Cow::Borrowed(campaign.file_name(a.file)),
            AccessField::Recipient => Cow::Borrowed(campaign.recipient_name(a)),
            AccessField::Event => Cow::Borrowed(a.event.as_str()),
            AccessField::Method => Cow::Borrowed(campaign.strings.get(a.method)),
            AccessField::Screen => a
                .screen
                .map_or(Cow::Borrowed(""), |s| Cow::Owned(s.to_string())),
            AccessField::AfterSent => {
                campaign
                    .seconds_after_sent(a)
                    .map_or(Cow::Borrowed(""), |s| {
                        Cow::Owned(match form {
                            Form::Record => format_seconds(s),
                            Form::Display => format_delay(s),
                        })
                    })
            }
            AccessField::InternalIp
            | AccessField::Pc
            | AccessField::Mac
            | AccessField::ProxyUser
            | AccessField::OtherMachine => super::chain::text(self, ctx, i, form),
            _ => self.of_user_agent(ctx, a.user_agent, form),
        }
    }

    /// The text of a User-Agent's fact for User-Agent `ua`; empty for the
    /// facts that are not the User-Agent's.
    pub fn of_user_agent<'a>(self, ctx: &ReviewContext<'a>, ua: UaId, form: Form) -> Cow<'a, str> {
        let analysis = ctx.analysis;
        let info = &analysis.user_agents[ua.index()];
        match self {
            AccessField::UserAgent => Cow::Borrowed(analysis.campaign.user_agent(ua)),
            AccessField::Browser => match (form, info.major_version()) {
                (Form::Display, Some(major)) => Cow::Owned(format!("{} {major}", info.browser)),
                _ => Cow::Borrowed(&info.browser),
            },
            AccessField::BrowserVersion => Cow::Borrowed(&info.version),
            AccessField::Os => Cow::Borrowed(&info.os),
            AccessField::OsVersion => Cow::Borrowed(&info.os_version),
            AccessField::Category => Cow::Borrowed(info.category.as_str()),
            AccessField::Row
            | AccessField::File
            | AccessField::Recipient
            | AccessField::Event
            | AccessField::Method
            | AccessField::Screen
            | AccessField::AfterSent
            | AccessField::InternalIp
            | AccessField::Pc
            | AccessField::Mac
            | AccessField::ProxyUser
            | AccessField::OtherMachine => Cow::Borrowed(""),
        }
    }

    /// One sort key per row of `rows`: comparing keys orders the rows by
    /// this fact. Text is ranked once per distinct value.
    pub fn sort_keys(self, ctx: &ReviewContext<'_>, rows: &[u32]) -> Vec<u64> {
        let campaign = &ctx.analysis.campaign;
        match self {
            AccessField::Row => rows.iter().map(|&i| u64::from(ctx.access(i).row)).collect(),
            AccessField::AfterSent => rows
                .iter()
                .map(|&i| {
                    campaign
                        .seconds_after_sent(ctx.access(i))
                        .map_or(MISSING, ordered_f64)
                })
                .collect(),
            AccessField::Screen => rows
                .iter()
                .map(|&i| {
                    ctx.access(i).screen.map_or(MISSING, |s| {
                        (u64::from(s.width) << 16) | u64::from(s.height)
                    })
                })
                .collect(),
            AccessField::Event => rows.iter().map(|&i| ctx.access(i).event as u64).collect(),
            AccessField::InternalIp
            | AccessField::Pc
            | AccessField::Mac
            | AccessField::ProxyUser
            | AccessField::OtherMachine => super::chain::sort_keys(self, ctx, rows),
            AccessField::File => ranked_per_value(
                rows,
                campaign.files.len(),
                |i| Some(usize::from(ctx.access(i).file)),
                |file| Cow::Borrowed(campaign.file_name(file as u16)),
            ),
            AccessField::Recipient => ranked_per_value(
                rows,
                campaign.recipients.len(),
                |i| ctx.access(i).recipient().map(|r| r.index()),
                |r| Cow::Borrowed(campaign.strings.get(campaign.recipients[r].name)),
            ),
            AccessField::Method => {
                // Methods are a handful of symbols: ranked by their exact text.
                let mut names: Vec<(&str, Sym)> = rows
                    .iter()
                    .map(|&i| ctx.access(i).method)
                    .collect::<std::collections::HashSet<_>>()
                    .into_iter()
                    .map(|sym| (campaign.strings.get(sym), sym))
                    .collect();
                names.sort();
                let rank: HashMap<Sym, u64> = names
                    .iter()
                    .enumerate()
                    .map(|(r, &(_, sym))| (sym, r as u64))
                    .collect();
                rows.iter()
                    .map(|&i| rank.get(&ctx.access(i).method).copied().unwrap_or(MISSING))
                    .collect()
            }
            // The text of each distinct User-Agent, ranked.
            _ => ranked_per_value(
                rows,
                campaign.user_agents.len(),
                |i| Some(ctx.access(i).user_agent.index()),
                |ua| self.of_user_agent(ctx, UaId(ua as u32), Form::Display),
            ),
        }
    }
}

/// Seconds with at most millisecond precision and no trailing zeros: `3`, `3.25`, `-0.5`.
pub fn format_seconds(seconds: f64) -> String {
    let s = format!("{seconds:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_compact() {
        assert_eq!(format_seconds(3.0), "3");
        assert_eq!(format_seconds(3.25), "3.25");
        assert_eq!(format_seconds(-0.0001), "0");
        assert_eq!(format_seconds(12_345.678_9), "12345.679");
    }
}
