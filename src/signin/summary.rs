//! What an investigation adds up to, per account: the window the logs
//! cover, sign-ins by country and AS, the networks first seen in it, the
//! suspicious events; the warnings an analyst must not miss (a file with
//! no events, a window shorter than the question or than the provider
//! keeps); and the link from a mail's Message-ID to its `Send` record and
//! the sign-ins around it.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use jiff::tz::TimeZone;

use super::event::{Event, OpKind};
use super::judge::{AddressFacts, Judged, Suggestion};
use super::{Investigation, LogKind};
use crate::model::Timestamp;

/// One account's summary.
#[derive(Clone, Debug, Default)]
pub struct AccountSummary {
    pub account: String,
    pub events: usize,
    pub first: Timestamp,
    pub last: Timestamp,
    pub sign_ins: usize,
    pub failures: usize,
    /// Country code → successful sign-ins (and other events that worked).
    pub countries: BTreeMap<String, usize>,
    /// `AS2497 (Internet Initiative Japan Inc.)` → events.
    pub networks: BTreeMap<String, usize>,
    /// Networks the judgement called new, with their first event's time.
    pub new_networks: Vec<(String, Timestamp)>,
    pub suspicious: usize,
    pub expected: usize,
    pub unsure: usize,
}

/// Per account, most suspicious events first (then by name).
pub fn accounts(
    inv: &Investigation,
    judged: &[Judged],
    facts: &HashMap<IpAddr, AddressFacts>,
) -> Vec<AccountSummary> {
    let mut by: HashMap<&str, AccountSummary> = HashMap::new();
    for (e, j) in inv.events.iter().zip(judged) {
        let s = by.entry(&e.account).or_insert_with(|| AccountSummary {
            account: e.account.to_string(),
            first: e.time,
            ..AccountSummary::default()
        });
        s.events += 1;
        s.first = s.first.min(e.time);
        s.last = s.last.max(e.time);
        if e.kind == OpKind::SignIn {
            s.sign_ins += 1;
            if e.is_sign_in_failure() {
                s.failures += 1;
            }
        }
        let owner = e.ip.and_then(|ip| facts.get(&ip)).map(|f| &f.owner);
        if !e.is_sign_in_failure() {
            let country = e
                .log_country
                .as_deref()
                .or(owner.and_then(|o| o.country_code.as_deref()));
            if let Some(c) = country {
                *s.countries.entry(c.to_string()).or_default() += 1;
            }
        }
        if let Some(net) = network_name(e, owner) {
            if j.reasons.iter().any(|r| r.code == "new-network")
                && !s.new_networks.iter().any(|(n, _)| *n == net)
            {
                s.new_networks.push((net.clone(), e.time));
            }
            *s.networks.entry(net).or_default() += 1;
        }
        match j.suggestion() {
            Suggestion::Suspicious => s.suspicious += 1,
            Suggestion::Expected => s.expected += 1,
            Suggestion::Unsure => s.unsure += 1,
        }
    }
    let mut out: Vec<AccountSummary> = by.into_values().collect();
    out.sort_by(|a, b| {
        b.suspicious
            .cmp(&a.suspicious)
            .then(a.account.cmp(&b.account))
    });
    out
}

/// `AS2497 (Internet Initiative Japan Inc.)`, the log's AS when no database knew.
pub fn network_name(e: &Event, owner: Option<&crate::owner::Owner>) -> Option<String> {
    let asn = owner.and_then(|o| o.asn).or(e.log_asn);
    let org = owner.and_then(|o| o.display_name());
    match (asn, org) {
        (Some(a), Some(o)) => Some(format!("AS{a} ({o})")),
        (Some(a), None) => Some(format!("AS{a}")),
        (None, _) => {
            e.ip.map(|ip| super::judge::history::network_of(ip).to_string())
        }
    }
}

/// Warnings about what the logs can and cannot show.
pub fn warnings(inv: &Investigation, since: Option<Timestamp>, zone: &TimeZone) -> Vec<String> {
    let mut out = Vec::new();
    for (n, f) in inv.files.iter().enumerate() {
        if f.events == 0 {
            out.push(format!(
                "{} holds no events: no events is not proof that nothing happened (audit logging may be off, the export filtered, or the records past retention)",
                f.name
            ));
            continue;
        }
        let times = inv
            .events
            .iter()
            .filter(|e| usize::from(e.file) == n)
            .map(|e| e.time);
        let (first, last) = times.fold(
            (
                Timestamp::from_nanos(i64::MAX),
                Timestamp::from_nanos(i64::MIN),
            ),
            |(a, b), t| (a.min(t), b.max(t)),
        );
        let days = last.seconds_since(first) / 86_400.0;
        let mut text = format!(
            "{} ({}) covers {} to {} ({:.1} days); {}",
            f.name,
            f.kind.label(),
            first.format_short(zone),
            last.format_short(zone),
            days,
            f.kind.retention()
        );
        if let Some(since) = since
            && first > since
        {
            text.push_str(&format!(
                ": the question starts at {}, before this file does, so what happened in between is not in it",
                since.format_short(zone)
            ));
        }
        out.push(text);
    }
    if !inv
        .files
        .iter()
        .any(|f| matches!(f.kind, LogKind::UalCsv | LogKind::UalJson))
    {
        out.push("no audit log among the files: mail operations (Send, inbox rules, forwarding) are only there".to_string());
    }
    out
}

/// A mail's `Send` record and the sign-ins around it.
#[derive(Clone, Debug)]
pub struct SentBy {
    pub message_id: String,
    /// Index of the `Send` event.
    pub send: usize,
    /// The last successful sign-in of the account before the send (within a day).
    pub sign_in: Option<usize>,
}

/// Finds the `Send` record of `message_id` (angle brackets optional, case
/// ignored) and the account's last sign-in before it.
pub fn sent_by(events: &[Event], message_id: &str) -> Option<SentBy> {
    let wanted = message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>');
    let send = events.iter().position(|e| {
        e.kind == OpKind::Send
            && e.message_id
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(wanted))
    })?;
    let e = &events[send];
    let sign_in = events[..send].iter().rposition(|s| {
        s.account == e.account && s.is_sign_in_success() && e.time.seconds_since(s.time) <= 86_400.0
    });
    Some(SentBy {
        message_id: wanted.to_string(),
        send,
        sign_in,
    })
}

/// The finding in a sentence, owners named.
pub fn sent_by_text(
    found: &SentBy,
    events: &[Event],
    facts: &HashMap<IpAddr, AddressFacts>,
    zone: &TimeZone,
) -> String {
    let e = &events[found.send];
    let owner = |ev: &Event| {
        let o = ev.ip.and_then(|ip| facts.get(&ip)).map(|f| &f.owner);
        let mut parts = Vec::new();
        if let Some(n) = network_name(ev, o) {
            parts.push(n);
        }
        if let Some(c) = ev
            .log_country
            .as_deref()
            .or(o.and_then(|o| o.country_code.as_deref()))
        {
            parts.push(c.to_string());
        }
        parts.join(", ")
    };
    let ip = e.ip.map_or("no address".to_string(), |ip| ip.to_string());
    let mut text = format!(
        "<{}> was sent by {} at {} from {} ({})",
        found.message_id,
        e.account,
        e.time.format_rfc3339(zone),
        ip,
        owner(e)
    );
    match found.sign_in {
        Some(i) => {
            let s = &events[i];
            let secs = e.time.seconds_since(s.time);
            let same = if s.ip == e.ip && s.ip.is_some() {
                " from the same address".to_string()
            } else {
                format!(
                    " from {} ({})",
                    s.ip.map_or("no address".to_string(), |ip| ip.to_string()),
                    owner(s)
                )
            };
            text.push_str(&format!(
                ", {} after a sign-in{same}",
                crate::text::format_delay(secs)
            ));
        }
        None => text.push_str(
            "; no successful sign-in of the account in the day before it is in these logs",
        ),
    }
    text
}
