//! The answer first, in a sentence an analyst can paste into an incident
//! ticket: the client's address with who recorded it, when and how; or that
//! the address is not in the headers, where to look instead (the sign-in
//! log, the audit log's Send record with the Message-ID) and for what time.

use std::collections::HashMap;
use std::net::IpAddr;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::received::{Hop, Submission};
use super::trace::MessageReport;
use super::trust::IpFacts;

/// Where the mail came from, as far as the headers can tell.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Verdict {
    /// The sending client's address is recorded by a trusted server.
    Client {
        ip: IpAddr,
        by: Option<String>,
        #[serde(serialize_with = "ser_time")]
        time: Option<Timestamp>,
        #[serde(skip)]
        offset: Option<i32>,
        how: Submission,
        /// The Received line that records it.
        line: usize,
    },
    /// A client submission (MAPI, HTTPS, webmail, local) that records no client address.
    NotInHeaders {
        by: Option<String>,
        #[serde(serialize_with = "ser_time")]
        time: Option<Timestamp>,
        #[serde(skip)]
        offset: Option<i32>,
        how: Submission,
        line: usize,
    },
    /// An untrusted server handed the mail to the trusted ones; what it
    /// says of earlier hops cannot be checked.
    Relay {
        ip: IpAddr,
        by: Option<String>,
        helo: Option<String>,
        #[serde(serialize_with = "ser_time")]
        time: Option<Timestamp>,
        #[serde(skip)]
        offset: Option<i32>,
        line: usize,
    },
    /// Every hop is trusted: the mail started inside (the oldest hop's sender).
    Inside {
        ip: Option<IpAddr>,
        by: Option<String>,
        #[serde(serialize_with = "ser_time")]
        time: Option<Timestamp>,
        #[serde(skip)]
        offset: Option<i32>,
    },
    /// No Received line at all.
    NoHops,
}

fn ser_time<S: serde::Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_string()),
        None => s.serialize_none(),
    }
}

impl Verdict {
    pub(super) fn client(h: &Hop, _index: usize) -> Verdict {
        Verdict::Client {
            ip: h.ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)),
            by: h.by.clone(),
            time: h.time,
            offset: h.offset,
            how: h.submission(),
            line: h.line,
        }
    }

    pub(super) fn not_in_headers(h: &Hop, _index: usize) -> Verdict {
        Verdict::NotInHeaders {
            by: h.by.clone(),
            time: h.time,
            offset: h.offset,
            how: h.submission(),
            line: h.line,
        }
    }

    pub(super) fn relay(h: &Hop, _index: usize) -> Verdict {
        Verdict::Relay {
            ip: h.ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)),
            by: h.by.clone(),
            helo: h.rdns.clone().or_else(|| h.helo.clone()),
            time: h.time,
            offset: h.offset,
            line: h.line,
        }
    }

    pub(super) fn inside(newest_first: &[Hop]) -> Verdict {
        match newest_first.last() {
            None => Verdict::NoHops,
            Some(h) => Verdict::Inside {
                ip: h.ip,
                by: h.by.clone(),
                time: h.time,
                offset: h.offset,
            },
        }
    }

    /// The origin address, when the headers name one.
    pub fn origin(&self) -> Option<IpAddr> {
        match self {
            Verdict::Client { ip, .. } | Verdict::Relay { ip, .. } => Some(*ip),
            Verdict::Inside { ip, .. } => *ip,
            _ => None,
        }
    }

    /// A short name: `client`, `not-in-headers`, `relay`, `inside`, `no-hops`.
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Client { .. } => "client",
            Verdict::NotInHeaders { .. } => "not-in-headers",
            Verdict::Relay { .. } => "relay",
            Verdict::Inside { .. } => "inside",
            Verdict::NoHops => "no-hops",
        }
    }
}

/// How long before and after a submission the sign-in logs are worth reading.
const WINDOW_MINUTES: i64 = 15;

/// Who owns an address, in a few words: `AS64500 Example ISP, JP`, with the
/// analyst's note.
pub fn owner_text(ip: IpAddr, facts: &HashMap<IpAddr, IpFacts>) -> String {
    let Some(f) = facts.get(&ip) else {
        return "owner unknown".into();
    };
    let mut text = match f.owner.internal {
        Some("documentation") => "documentation range".to_string(),
        Some(why) => format!("internal, {why}"),
        None if f.owner.is_unknown() => "owner unknown".to_string(),
        None => {
            let mut t = f.owner.to_string();
            if let Some(cc) = &f.owner.country_code {
                t.push_str(", ");
                t.push_str(cc);
            }
            t
        }
    };
    if let Some(note) = &f.note {
        text.push_str(&format!("; note {:?}", &*note.text));
    }
    text
}

/// A time as the analyst reads it: in `zone`, with its offset.
pub fn time_text(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

fn how_text(how: Submission) -> &'static str {
    match how {
        Submission::Mapi => "over MAPI (Outlook)",
        Submission::Web => "over HTTPS (webmail, Outlook on the web or a mobile app)",
        Submission::AuthenticatedSmtp => "authenticated SMTP",
        Submission::Local => "by a program on the server itself",
        Submission::Relay => "SMTP",
    }
}

/// The service a submission went to, from the server's name and the Message-ID.
fn service(by: Option<&str>, report: &MessageReport) -> String {
    let by_lower = by.unwrap_or_default().to_ascii_lowercase();
    if by_lower.ends_with(".outlook.com") || by_lower.ends_with(".office365.com") {
        return "Exchange Online".into();
    }
    if by_lower.ends_with("google.com")
        || by_lower.ends_with("gmail.com")
        || by_lower.starts_with("2002:a")
        || matches!(report.generator, Some(super::evidence::Generator::Gmail))
    {
        return "Gmail".into();
    }
    match by {
        Some(by) => by.to_string(),
        None => "the first server".into(),
    }
}

/// The mailbox to search for: the `From:` address.
fn sender_address(report: &MessageReport) -> Option<String> {
    let from = report.from.as_deref()?;
    let addr = match (from.rfind('<'), from.rfind('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.trim(),
    };
    addr.contains('@').then(|| addr.trim().to_string())
}

/// The verdict in one or two sentences.
pub fn sentence(
    report: &MessageReport,
    facts: &HashMap<IpAddr, IpFacts>,
    zone: &TimeZone,
) -> String {
    let at = |t: &Option<Timestamp>| match t {
        Some(t) => format!(" at {}", time_text(*t, zone)),
        None => " (no time stamp)".into(),
    };
    match &report.verdict {
        Verdict::Client { ip, by, time, how, .. } => format!(
            "The sending client was {ip} ({}), recorded by {}{} ({}).",
            owner_text(*ip, facts),
            by.as_deref().unwrap_or("the first server"),
            at(time),
            how_text(*how)
        ),
        Verdict::NotInHeaders { by, time, how, .. } => {
            let mut s = format!(
                "The client's address is not in these headers: the mail was submitted to {} {}{}.",
                service(by.as_deref(), report),
                how_text(*how),
                at(time)
            );
            let who = sender_address(report).unwrap_or_else(|| "the sender".into());
            let window = match time {
                Some(t) => {
                    let d = jiff::SignedDuration::from_mins(WINDOW_MINUTES);
                    let from = t.checked_sub(d).unwrap_or(*t);
                    let to = t.checked_add(d).unwrap_or(*t);
                    format!(" between {} and {}", time_text(from, zone), time_text(to, zone))
                }
                None => String::new(),
            };
            s.push_str(&format!(
                " Look for the sign-in of {who}{window} in the sign-in log or the audit log"
            ));
            match &report.message_id {
                Some(id) => s.push_str(&format!(" (Send record with Message-ID {}).", id.trim())),
                None => s.push('.'),
            }
            s
        }
        Verdict::Relay { ip, by, helo, time, .. } => {
            let mut s = format!(
                "The mail came from {ip} ({}){}, an untrusted server, handed to {}{}; the sending client is in the lines that server wrote, which cannot be checked (use --trust if it is yours).",
                owner_text(*ip, facts),
                helo.as_deref().map(|h| format!(", calling itself {h}")).unwrap_or_default(),
                by.as_deref().unwrap_or("the first trusted server"),
                at(time)
            );
            // What the sender's side says, marked as its word only.
            let claimed = report.hops.iter().find(|h| {
                h.status == super::HopStatus::Unverified
                    && h.hop.ip.is_some()
                    && matches!(h.hop.submission(), Submission::AuthenticatedSmtp | Submission::Web)
            });
            if let Some(h) = claimed
                && let Some(client) = h.hop.ip
            {
                s.push_str(&format!(
                    " Those lines name {client} ({}) as the client ({}{}), unverified.",
                    owner_text(client, facts),
                    how_text(h.hop.submission()),
                    at(&h.hop.time)
                ));
            }
            s
        }
        Verdict::Inside { ip, by, time, .. } => match ip {
            Some(ip) => format!(
                "Every hop is trusted: the mail started at {ip} ({}), handed to {}{}; look it up in the network's own logs (DHCP, proxy).",
                owner_text(*ip, facts),
                by.as_deref().unwrap_or("the first server"),
                at(time)
            ),
            None => format!(
                "Every hop is trusted and the first one names no address: the mail started at {}{}.",
                by.as_deref().unwrap_or("an unnamed server"),
                at(time)
            ),
        },
        Verdict::NoHops => "There is no Received line: this copy never travelled (a draft or the sender's Sent Items), or its headers were stripped. Ask for the recipient's copy (.eml or \"Show original\").".into(),
    }
}
