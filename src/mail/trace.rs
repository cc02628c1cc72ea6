//! The walk down the Received chain: from the newest hop (written by the
//! recipient's own server) down while the recording server is trusted; the
//! first hop whose sender is an untrusted public address, or a client
//! submission, ends it. Below that point the lines were written by the
//! sender's side and may be forged. Each hop gets its class, its delay and
//! the flags an analyst would want raised.

use std::collections::HashMap;
use std::net::IpAddr;

use jiff::Timestamp;

use super::MailIssue;
use super::evidence::{self, Evidence, Generator};
use super::message::{Header, MailHeaders};
use super::received::{Hop, ReceivedParser, Submission};
use super::trust::{Classified, IpClass, IpFacts, Trust, provider_of_name};
use super::verdict::Verdict;

/// Where a hop stands relative to the trust boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopStatus {
    /// Written by a server the walk trusts.
    Trusted,
    /// The hop where the walk stopped: its sender is the origin.
    Origin,
    /// Written by the sender's side: may be forged.
    Unverified,
    /// Below a webmail or MAPI submission, where no hop can exist.
    Forged,
}

impl HopStatus {
    pub fn name(self) -> &'static str {
        match self {
            HopStatus::Trusted => "trusted",
            HopStatus::Origin => "origin",
            HopStatus::Unverified => "unverified",
            HopStatus::Forged => "forged",
        }
    }
}

/// Something an analyst should look at.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    /// A stable name: `by-mismatch`, `below-submission`, `helo-rdns`,
    /// `negative-delay`, `no-date`, `bad-date`, `date-gap`,
    /// `message-id-mismatch`, `private-from-internet`.
    pub code: &'static str,
    pub text: String,
}

/// One hop with what the analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct HopReport {
    /// 1 is the sender's end.
    pub number: usize,
    pub hop: Hop,
    /// The class of the sender's address, when the line has one.
    pub class: Option<Classified>,
    /// Seconds since the previous hop's time stamp.
    pub delay: Option<i64>,
    pub status: HopStatus,
    pub flags: Vec<Flag>,
}

/// One message analysed.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageReport {
    pub source: String,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub message_id: Option<String>,
    pub date: Option<Timestamp>,
    pub generator: Option<Generator>,
    /// Sender to recipient.
    pub hops: Vec<HopReport>,
    pub evidence: Vec<Evidence>,
    pub flags: Vec<Flag>,
    pub verdict: Verdict,
    pub issues: Vec<MailIssue>,
}

impl MessageReport {
    /// Every address the message names: hop senders, `by` addresses, evidence.
    pub fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.hops
            .iter()
            .flat_map(|h| h.hop.ip.into_iter().chain(h.hop.by_ip))
            .chain(self.evidence.iter().filter_map(|e| e.ip))
    }
}

/// How far the `Date:` may be from the first hop before it is flagged.
const DATE_GAP_SECONDS: i64 = 3600;

/// The Received fields of a message, newest first, parsed.
pub fn hops(message: &MailHeaders, parser: &ReceivedParser) -> Vec<Hop> {
    message
        .headers
        .iter()
        .filter(|h| h.is("Received"))
        .map(|h| parser.parse(&h.value, h.line))
        .collect()
}

/// Analyses a message: `facts` holds what is known of its addresses (the
/// caller looks them up once for all messages).
pub fn analyse(
    message: &MailHeaders,
    newest_first: Vec<Hop>,
    facts: &HashMap<IpAddr, IpFacts>,
    trust: &Trust,
) -> MessageReport {
    let classes: Vec<Option<Classified>> = newest_first
        .iter()
        .map(|h| {
            h.ip.map(|ip| {
                let names: Vec<&str> = h.from_names().collect();
                trust.classify(ip, &names, facts.get(&ip))
            })
        })
        .collect();
    let (statuses, verdict) = walk(&newest_first, &classes);

    let n = newest_first.len();
    let mut flags_of: Vec<Vec<Flag>> = vec![Vec::new(); n];
    for i in 0..n {
        let h = &newest_first[i];
        if h.date_text.is_none() {
            flags_of[i].push(flag("no-date", "no time stamp".into()));
        } else if h.time.is_none() {
            flags_of[i].push(flag(
                "bad-date",
                format!(
                    "time stamp does not read: {:?}",
                    h.date_text.as_deref().unwrap_or("")
                ),
            ));
        }
        if statuses[i] == HopStatus::Forged {
            flags_of[i].push(flag(
                "below-submission",
                "below a webmail/MAPI submission, where no hop can exist: forged".into(),
            ));
        }
        if let (Some(helo), Some(rdns)) = (&h.helo, &h.rdns)
            && helo.contains('.')
            && !helo.starts_with('[')
            && helo.parse::<IpAddr>().is_err()
            && evidence::registrable(&helo.to_ascii_lowercase())
                != evidence::registrable(&rdns.to_ascii_lowercase())
        {
            flags_of[i].push(flag(
                "helo-rdns",
                format!("HELO {helo} is not its reverse DNS {rdns}"),
            ));
        }
        // The older line's `by` should be the server this line names in `from`.
        if let Some(older) = newest_first.get(i + 1)
            && let Some(by) = &older.by
            && !older.local
            // Google names its own servers by internal addresses (`by 2002:a05:…`).
            && !older
                .by_ip
                .is_some_and(|ip| trust.classify(ip, &[], None).class == IpClass::Internal)
            && (h.ip.is_some() || h.helo.is_some() || h.rdns.is_some())
            && !same_server(h, older)
        {
            flags_of[i + 1].push(flag(
                "by-mismatch",
                format!(
                    "by {by}, but the next hop says it came from {}",
                    from_text(h)
                ),
            ));
        }
        if let (Some(class), Some(older)) = (&classes[i], newest_first.get(i + 1))
            && class.class == IpClass::Internal
            && let Some(by) = &older.by
            && older.by_ip.is_none()
            && h.by.as_deref().and_then(provider_of_name).is_some()
            && provider_of_name(by).is_none()
            && trust.trusts_name(by).is_none()
        {
            flags_of[i].push(flag(
                "private-from-internet",
                format!(
                    "a private address handed the mail to a provider, but the hop before it was written by {by}, outside"
                ),
            ));
        }
    }

    // Sender to recipient, with delays.
    let mut reports: Vec<HopReport> = Vec::with_capacity(n);
    let mut previous: Option<Timestamp> = None;
    for (i, hop) in newest_first.into_iter().enumerate().rev() {
        let delay = match (previous, hop.time) {
            (Some(p), Some(t)) => Some(t.as_second() - p.as_second()),
            _ => None,
        };
        let mut flags = std::mem::take(&mut flags_of[i]);
        if let Some(d) = delay.filter(|d| *d < 0) {
            flags.push(flag(
                "negative-delay",
                format!(
                    "{} before the previous hop: a clock is wrong, or the line is forged",
                    crate::text::format_delay(-d as f64)
                ),
            ));
        }
        if hop.time.is_some() {
            previous = hop.time;
        }
        reports.push(HopReport {
            number: reports.len() + 1,
            hop,
            class: classes[i].clone(),
            delay,
            status: statuses[i],
            flags,
        });
    }

    let header = |name: &str| message.first(name).map(|h| h.value.clone());
    let date = header("Date").and_then(|d| parse_date(&d));
    let message_id = header("Message-ID");
    let generator = message_id.as_deref().and_then(evidence::generator);
    let mut flags = Vec::new();
    let first_time = reports.iter().find_map(|r| r.hop.time);
    if let (Some(date), Some(first)) = (date, first_time) {
        let gap = first.as_second() - date.as_second();
        if gap.abs() > DATE_GAP_SECONDS {
            let when = if gap > 0 { "before" } else { "after" };
            flags.push(flag(
                "date-gap",
                format!(
                    "Date: is {} {when} the first hop: queued, a wrong clock, or forged",
                    crate::text::format_delay(gap.abs() as f64)
                ),
            ));
        }
    }
    if let Some(g) = &generator
        && let Some(first) = reports
            .iter()
            .find(|r| r.hop.by_ip.is_none() && r.hop.by.is_some())
        && let Some(by) = &first.hop.by
        && !g.agrees_with(by)
        && !first.hop.from_names().any(|n| g.agrees_with(n))
    {
        flags.push(flag(
            "message-id-mismatch",
            format!(
                "the Message-ID was {}, but the first hop is {by}: relayed, or forged",
                g.describe()
            ),
        ));
    }
    MessageReport {
        source: message.source.clone(),
        from: message.first("From").map(Header::readable),
        subject: message.first("Subject").map(Header::readable),
        message_id,
        date,
        generator,
        hops: reports,
        evidence: evidence::collect(message),
        flags,
        verdict,
        issues: message.issues.clone(),
    }
}

fn flag(code: &'static str, text: String) -> Flag {
    Flag { code, text }
}

fn from_text(h: &Hop) -> String {
    let name = h.rdns.as_deref().or(h.helo.as_deref());
    match (name, h.ip) {
        (Some(n), Some(ip)) => format!("{n} [{ip}]"),
        (Some(n), None) => n.to_string(),
        (None, Some(ip)) => format!("[{ip}]"),
        (None, None) => "?".into(),
    }
}

/// Whether `newer`'s sender is `older`'s recording server: the same name
/// (or short name), the same address, or two hosts of one provider.
fn same_server(newer: &Hop, older: &Hop) -> bool {
    let Some(by) = older.by.as_deref() else {
        return true;
    };
    let by = by.trim_end_matches('.').to_ascii_lowercase();
    if let (Some(a), Some(b)) = (older.by_ip, newer.ip)
        && a == b
    {
        return true;
    }
    let short = |n: &str| n.split('.').next().unwrap_or(n).to_string();
    let by_provider = provider_of_name(&by);
    newer.from_names().any(|name| {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name == by
            || short(&name) == short(&by)
            || (by_provider.is_some() && provider_of_name(&name) == by_provider)
    })
}

/// The statuses of the hops (newest first) and the verdict.
fn walk(hops: &[Hop], classes: &[Option<Classified>]) -> (Vec<HopStatus>, Verdict) {
    let n = hops.len();
    let mut statuses = vec![HopStatus::Trusted; n];
    let mut verdict = None;
    for i in 0..n {
        let h = &hops[i];
        let class = classes[i].as_ref().map(|c| c.class);
        let external = class == Some(IpClass::External);
        let below = match h.submission() {
            // Exchange Online's mailbox servers hand mail on to each other
            // over HTTPS too: only a sender that is not the provider's is a client.
            Submission::Web if class == Some(IpClass::Provider) && i + 1 < n => continue,
            Submission::Mapi | Submission::Web | Submission::Local => {
                verdict = Some(if external {
                    Verdict::client(h, i)
                } else {
                    Verdict::not_in_headers(h, i)
                });
                HopStatus::Forged
            }
            Submission::AuthenticatedSmtp if class != Some(IpClass::Provider) && h.ip.is_some() => {
                verdict = Some(Verdict::client(h, i));
                HopStatus::Unverified
            }
            _ if external => {
                verdict = Some(Verdict::relay(h, i));
                HopStatus::Unverified
            }
            _ => continue,
        };
        statuses[i] = HopStatus::Origin;
        for s in &mut statuses[i + 1..] {
            *s = below;
        }
        break;
    }
    let verdict = verdict.unwrap_or_else(|| Verdict::inside(hops));
    (statuses, verdict)
}

/// A `Date:` header's time (RFC 2822, with the comments and zones real mail has).
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Ok(z) = jiff::fmt::rfc2822::parse(text) {
        return Some(z.timestamp());
    }
    // A trailing comment jiff does not take: `… +0900 (JST)`.
    let cut = text.split(" (").next().unwrap_or(text);
    jiff::fmt::rfc2822::parse(cut).ok().map(|z| z.timestamp())
}
