//! Tying the campaign's accesses to the proxy's records and the DHCP leases.
//!
//! A proxy record ties an access when it requested the landing page's host
//! within the clock-skew window of the access and nothing contradicts it:
//! a record carrying a recipient id must carry this access's recipient's
//! (the proxy logged the full URL), a record with a path must have the
//! access's path when the campaign's log names one. The best kind of match
//! wins (id, then path, then host alone); without an id, two PCs requesting
//! the page within the window leave the access untied (which one it was
//! cannot be told). The tied record's client address, at that moment, is
//! looked up in the lease history for the machine's name and MAC address.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use jiff::tz::TimeZone;

use super::NetworkOptions;
use super::landing;
use super::leases::{Holder, LeaseIndex};
use crate::model::{Access, Campaign, IpId, Sym, Timestamp};
use crate::text;

/// How a proxy record was matched to the access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    /// The landing page's host only (an HTTPS `CONNECT`, or a query the
    /// proxy did not log).
    Host,
    /// The host and the path.
    Path,
    /// The recipient's own id in the URL the proxy logged.
    Recipient,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Host => "host",
            MatchedBy::Path => "path",
            MatchedBy::Recipient => "recipient id",
        }
    }
}

/// What the lease history said about the tied client address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeaseFact {
    /// No DHCP log was given.
    NoLog,
    /// A lease names the machine (index into `campaign.network.leases`).
    Found(u32),
    /// No lease covers the moment.
    NotCovered,
    /// Overlapping leases name two machines.
    Ambiguous,
}

/// An access tied to a PC.
#[derive(Clone, Debug, PartialEq)]
pub struct Tie {
    /// Index into `campaign.network.proxy`.
    pub record: u32,
    /// Seconds from the access to the proxy's record (negative: before).
    pub gap: f32,
    pub matched_by: MatchedBy,
    /// The internal address that made the request.
    pub client: IpAddr,
    /// The proxy's user, `Sym::EMPTY` when none.
    pub user: Sym,
    /// The machine's name and MAC address from the lease; `Sym::EMPTY` when unknown.
    pub host: Sym,
    pub mac: Sym,
    pub lease: LeaseFact,
    /// When the hosts table says the machine or the user is someone else's:
    /// whose (as the table names them).
    pub elsewhere: Option<String>,
}

/// Why an access from an egress address was not tied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Untied {
    /// The proxy log has no request for the landing page within the window.
    NoRecordInWindow,
    /// The proxy log does not cover the access's time.
    NotCovered,
    /// Several PCs requested the landing page within the window.
    Ambiguous,
}

impl Untied {
    pub fn describe(self) -> &'static str {
        match self {
            Untied::NoRecordInWindow => "no proxy record within the window",
            Untied::NotCovered => "the proxy log does not cover that time",
            Untied::Ambiguous => "several PCs requested the page within the window",
        }
    }
}

/// The ties of a campaign, and what the user should hear about them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Correlation {
    /// Tied accesses by index into `campaign.accesses`, ascending.
    ties: Vec<(u32, Tie)>,
    /// Accesses from an egress address left untied, with why, ascending.
    untied: Vec<(u32, Untied)>,
    /// The landing page's host, and whether it was learned (not given).
    pub landing_host: Option<String>,
    pub landing_learned: bool,
    /// The match window, ± milliseconds.
    pub window_ms: i64,
    /// The egress addresses: those with at least one tied access.
    pub egress: Vec<IpAddr>,
    /// Problems with the logs (another day, overlapping leases, clocks apart).
    pub messages: Vec<String>,
    /// Proxy records and leases were given at all.
    pub active: bool,
}

impl Correlation {
    /// The tie of the access at `index`, if it was tied.
    pub fn tie(&self, index: usize) -> Option<&Tie> {
        let i = u32::try_from(index).ok()?;
        self.ties
            .binary_search_by_key(&i, |(a, _)| *a)
            .ok()
            .map(|k| &self.ties[k].1)
    }

    /// Why the access at `index` (from an egress address) was not tied.
    pub fn untied(&self, index: usize) -> Option<Untied> {
        let i = u32::try_from(index).ok()?;
        self.untied
            .binary_search_by_key(&i, |(a, _)| *a)
            .ok()
            .map(|k| self.untied[k].1)
    }

    pub fn ties(&self) -> impl Iterator<Item = (usize, &Tie)> {
        self.ties.iter().map(|(i, t)| (*i as usize, t))
    }

    pub fn tied_count(&self) -> usize {
        self.ties.len()
    }

    /// Ties flagged "someone else's machine".
    pub fn elsewhere_count(&self) -> usize {
        self.ties
            .iter()
            .filter(|(_, t)| t.elsewhere.is_some())
            .count()
    }

    /// Untied accesses from egress addresses, by reason.
    pub fn untied_counts(&self) -> BTreeMap<Untied, usize> {
        let mut counts = BTreeMap::new();
        for (_, why) in &self.untied {
            *counts.entry(*why).or_default() += 1;
        }
        counts
    }

    /// The match window as people read it: `±10 s`.
    pub fn window_label(&self) -> String {
        format!("±{}", text::format_delay(self.window_ms as f64 / 1000.0))
    }

    /// The summary lines for the report and the screen: how many accesses
    /// were tied, how many could not be and why, the landing host and the
    /// window, then the problems met.
    pub fn summary(&self) -> Vec<String> {
        if !self.active {
            return Vec::new();
        }
        let mut lines = Vec::new();
        let egress: Vec<String> = self.egress.iter().map(ToString::to_string).collect();
        let host = match (&self.landing_host, self.landing_learned) {
            (Some(h), true) => format!(
                "landing host {} (learned from the proxy log)",
                text::escape_controls(h)
            ),
            (Some(h), false) => format!("landing host {}", text::escape_controls(h)),
            (None, _) => "no landing host".to_string(),
        };
        let mut line = format!(
            "proxy: {} access(es) tied to a PC ({host}; records within {} of an access, \
             --clock-skew)",
            self.ties.len(),
            self.window_label()
        );
        if !egress.is_empty() {
            line.push_str(&format!("; egress {}", egress.join(", ")));
        }
        lines.push(line);
        let counts = self.untied_counts();
        if !counts.is_empty() {
            let total: usize = counts.values().sum();
            let parts: Vec<String> = counts
                .iter()
                .map(|(why, n)| format!("{n} {}", why.describe()))
                .collect();
            lines.push(format!(
                "proxy: {total} access(es) from the egress could not be tied: {}",
                parts.join("; ")
            ));
        }
        let elsewhere = self.elsewhere_count();
        if elsewhere > 0 {
            lines.push(format!(
                "proxy: {elsewhere} access(es) came from someone else's machine (forwarded mail?)"
            ));
        }
        lines.extend(self.messages.iter().cloned());
        lines
    }
}

/// Ties the campaign's accesses to its proxy records and leases.
pub fn correlate(campaign: &Campaign, options: &NetworkOptions) -> Correlation {
    let window_ms = options.clock_skew_ms.max(0);
    let mut out = Correlation {
        window_ms,
        active: !campaign.network.is_empty(),
        ..Correlation::default()
    };
    if campaign.network.proxy.is_empty() {
        if !campaign.network.leases.is_empty() {
            out.messages.push(
                "DHCP leases were read but no proxy log: leases name the PC behind an \
                 internal address, and only a proxy log gives the internal address of an \
                 access; give the proxy log too"
                    .to_string(),
            );
        }
        return out;
    }
    let landing = match &options.landing_host {
        Some(given) => {
            let found = landing::given(campaign, given);
            if found.is_none() {
                out.messages.push(format!(
                    "proxy: no record in the proxy log requested the landing host {} \
                     (--landing-host); nothing could be tied",
                    text::escape_controls(given)
                ));
            }
            out.landing_host = Some(given.trim().to_ascii_lowercase());
            found
        }
        None => {
            let learned = landing::learn(campaign, window_ms);
            match learned {
                Some(host) => {
                    out.landing_host = Some(campaign.strings.get(host).to_string());
                    out.landing_learned = true;
                }
                None => out.messages.push(
                    "proxy: no host in the proxy log lines up with the campaign's accesses; \
                     name the landing page's host with --landing-host"
                        .to_string(),
                ),
            }
            learned
        }
    };
    another_day(campaign, window_ms, &mut out.messages);
    let (leases, overlaps) = LeaseIndex::build(campaign);
    out.messages.extend(overlaps);
    let Some(landing) = landing else {
        return out;
    };
    let window = window_ms * 1_000_000;
    let proxy = &campaign.network.proxy;
    let times: Vec<i64> = proxy.iter().map(|r| r.time.as_nanos()).collect();
    let (cover_from, cover_to) = (times[0] - window, times[times.len() - 1] + window);
    let path_column = campaign.strings.find("path");
    // The paths of requests that carried a recipient's id are the landing
    // page's; when the campaign's log names no path, a request for another
    // path (the page's stylesheet, its icon) is no click.
    let landing_paths: BTreeSet<Sym> = proxy
        .iter()
        .filter(|r| r.host == landing && r.rid != Sym::EMPTY && r.path != Sym::EMPTY)
        .filter(|r| {
            campaign
                .find_recipient(campaign.strings.get(r.rid))
                .is_some()
        })
        .map(|r| r.path)
        .collect();
    let mut untied_by_ip: Vec<(u32, IpId, Untied)> = Vec::new();
    let mut tied_ips: BTreeSet<IpId> = BTreeSet::new();
    for (index, access) in campaign.accesses.iter().enumerate() {
        let t = access.time.as_nanos();
        let from = times.partition_point(|&r| r < t - window);
        let to = times.partition_point(|&r| r <= t + window);
        let path = path_column.and_then(|_| access_path(campaign, access));
        let mut best: Option<(MatchedBy, i64, u32)> = None;
        let mut clients: BTreeSet<IpAddr> = BTreeSet::new();
        for (k, record) in proxy.iter().enumerate().take(to).skip(from) {
            if record.host != landing {
                continue;
            }
            let Some(kind) = match_kind(campaign, access, record, path, &landing_paths) else {
                continue;
            };
            let gap = (record.time.as_nanos() - t).abs();
            match best {
                Some((b, _, _)) if kind < b => continue,
                Some((b, _, _)) if kind > b => clients.clear(),
                _ => {}
            }
            clients.insert(record.client);
            let better = match best {
                None => true,
                Some((b, g, _)) => kind > b || (kind == b && gap < g),
            };
            if better {
                best = Some((kind, gap, k as u32));
            }
        }
        let index = index as u32;
        match best {
            Some((kind, _, _)) if kind != MatchedBy::Recipient && clients.len() > 1 => {
                untied_by_ip.push((index, access.ip, Untied::Ambiguous));
            }
            Some((kind, _, k)) => {
                let record = &proxy[k as usize];
                let holder = if leases.is_empty() {
                    None
                } else {
                    Some(leases.holder(campaign, record.client, record.time))
                };
                let (host, mac, lease) = match holder {
                    None => (Sym::EMPTY, Sym::EMPTY, LeaseFact::NoLog),
                    Some(Holder::Lease(l)) => {
                        let lease = &campaign.network.leases[l as usize];
                        (lease.host, lease.mac, LeaseFact::Found(l))
                    }
                    Some(Holder::Ambiguous) => (Sym::EMPTY, Sym::EMPTY, LeaseFact::Ambiguous),
                    Some(Holder::None) => (Sym::EMPTY, Sym::EMPTY, LeaseFact::NotCovered),
                };
                let elsewhere = elsewhere(campaign, access, host, record.user, options);
                tied_ips.insert(access.ip);
                out.ties.push((
                    index,
                    Tie {
                        record: k,
                        gap: record.time.seconds_since(access.time) as f32,
                        matched_by: kind,
                        client: record.client,
                        user: record.user,
                        host,
                        mac,
                        lease,
                        elsewhere,
                    },
                ));
            }
            None => {
                let why = if t < cover_from || t > cover_to {
                    Untied::NotCovered
                } else {
                    Untied::NoRecordInWindow
                };
                untied_by_ip.push((index, access.ip, why));
            }
        }
    }
    out.untied = untied_by_ip
        .into_iter()
        .filter(|(_, ip, _)| tied_ips.contains(ip))
        .map(|(i, _, why)| (i, why))
        .collect();
    out.egress = tied_ips.iter().map(|&ip| campaign.ip(ip)).collect();
    if out.ties.is_empty() {
        clock_hint(campaign, landing, window_ms, &mut out.messages);
    }
    out
}

/// How a record matches an access, or `None` when it contradicts it.
fn match_kind(
    campaign: &Campaign,
    access: &Access,
    record: &crate::model::ProxyRecord,
    path: Option<&str>,
    landing_paths: &BTreeSet<Sym>,
) -> Option<MatchedBy> {
    if record.rid != Sym::EMPTY {
        let of = campaign.find_recipient(campaign.strings.get(record.rid));
        return (of.is_some() && of == access.recipient()).then_some(MatchedBy::Recipient);
    }
    if record.path == Sym::EMPTY {
        return Some(MatchedBy::Host);
    }
    match path {
        Some(p) if p == campaign.strings.get(record.path) => Some(MatchedBy::Path),
        Some(_) => None,
        None if landing_paths.contains(&record.path) => Some(MatchedBy::Path),
        None if landing_paths.is_empty() => Some(MatchedBy::Host),
        None => None,
    }
}

/// The path the campaign's log gives for an access (access logs keep it).
fn access_path<'c>(campaign: &'c Campaign, access: &Access) -> Option<&'c str> {
    campaign
        .extras(access)
        .find(|(name, _)| *name == "path")
        .map(|(_, value)| value)
}

/// Whose machine it is, when the hosts table says it is not the recipient's.
fn elsewhere(
    campaign: &Campaign,
    access: &Access,
    host: Sym,
    user: Sym,
    options: &NetworkOptions,
) -> Option<String> {
    if options.hosts.is_empty() {
        return None;
    }
    let recipient = access.recipient()?;
    let r = campaign.recipient(recipient);
    let names = [campaign.strings.get(r.name), campaign.strings.get(r.rid)];
    let is_recipient = |owner: &String| {
        names
            .iter()
            .any(|n| !n.is_empty() && n.eq_ignore_ascii_case(owner))
    };
    let mut owners: Vec<&String> = Vec::new();
    if host != Sym::EMPTY {
        owners.extend(options.hosts.host_owners(campaign.strings.get(host)));
    }
    if user != Sym::EMPTY {
        owners.extend(options.hosts.user_owners(campaign.strings.get(user)));
    }
    if owners.is_empty() || owners.iter().any(|o| is_recipient(o)) {
        return None;
    }
    Some(owners[0].clone())
}

/// A proxy or DHCP file whose times do not meet the campaign's: a log of
/// another day.
fn another_day(campaign: &Campaign, window_ms: i64, messages: &mut Vec<String>) {
    let (Some(first), Some(last)) = (campaign.accesses.first(), campaign.accesses.last()) else {
        return;
    };
    let window = window_ms * 1_000_000;
    let (a_from, a_to) = (
        first.time.as_nanos() - window,
        last.time.as_nanos() + window,
    );
    let mut spans: BTreeMap<u16, (i64, i64, bool)> = BTreeMap::new();
    for r in &campaign.network.proxy {
        let t = r.time.as_nanos();
        let e = spans.entry(r.file).or_insert((t, t, true));
        e.0 = e.0.min(t);
        e.1 = e.1.max(t);
    }
    for l in &campaign.network.leases {
        let from = l.start.as_nanos();
        // An audit-log lease holds until later events; only its start is known.
        let to = l.end.map_or(i64::MAX, Timestamp::as_nanos);
        let e = spans.entry(l.file).or_insert((from, to, false));
        e.0 = e.0.min(from);
        e.1 = e.1.max(to);
    }
    let zone = TimeZone::UTC;
    let span = |from: i64, to: i64| {
        format!(
            "{} to {} UTC",
            Timestamp::from_nanos(from).format_short(&zone),
            Timestamp::from_nanos(to).format_short(&zone)
        )
    };
    for (file, (from, to, proxy)) in spans {
        let overlaps = if proxy {
            from <= a_to && to >= a_from
        } else {
            // Leases must start before an access to name its PC.
            from <= a_to && to >= a_from
        };
        if overlaps {
            continue;
        }
        let kind = if proxy { "proxy log" } else { "DHCP log" };
        let covers = if to == i64::MAX {
            format!(
                "starts {} UTC",
                Timestamp::from_nanos(from).format_short(&zone)
            )
        } else {
            format!("covers {}", span(from, to))
        };
        // A DHCP server writes its local time without an offset, read in
        // --tz: a zone off by hours looks like another day.
        let zone_hint = if proxy {
            ""
        } else {
            ", or its times read in the wrong zone (times without an offset are read in --tz)"
        };
        messages.push(format!(
            "{}: this {kind} {covers} but the campaign's accesses are from {}: \
             a log of another day{zone_hint}? none of its records can be used",
            text::escape_controls(campaign.file_name(file)),
            span(first.time.as_nanos(), last.time.as_nanos()),
        ));
    }
}

/// When nothing was tied but records carry the recipients' ids, how far
/// their times are from those recipients' accesses: clocks minutes apart
/// are then said, with the window that would cover them.
fn clock_hint(campaign: &Campaign, landing: Sym, window_ms: i64, messages: &mut Vec<String>) {
    // Each recipient's access times, so a record looks at its own recipient's only.
    let mut times: std::collections::HashMap<crate::model::RecipientId, Vec<Timestamp>> =
        std::collections::HashMap::new();
    for a in &campaign.accesses {
        if let Some(r) = a.recipient() {
            times.entry(r).or_default().push(a.time);
        }
    }
    let mut gaps: Vec<f64> = Vec::new();
    for r in campaign
        .network
        .proxy
        .iter()
        .filter(|r| r.host == landing && r.rid != Sym::EMPTY)
    {
        let Some(recipient) = campaign.find_recipient(campaign.strings.get(r.rid)) else {
            continue;
        };
        let nearest = times
            .get(&recipient)
            .into_iter()
            .flatten()
            .map(|&t| r.time.seconds_since(t))
            .filter(|g| g.abs() <= 3600.0)
            .min_by(|a, b| a.abs().total_cmp(&b.abs()));
        gaps.extend(nearest);
    }
    if gaps.is_empty() {
        return;
    }
    gaps.sort_by(f64::total_cmp);
    let median = gaps[gaps.len() / 2];
    if median.abs() * 1000.0 <= window_ms as f64 {
        return;
    }
    let direction = if median > 0.0 { "after" } else { "before" };
    let needed = (median.abs() * 1.2).ceil() as i64;
    messages.push(format!(
        "proxy: the requests carrying the recipients' ids come a median {} {direction} their \
         accesses, beyond the window of ±{}: the proxy's and the landing page's clocks \
         are apart; widen the window, e.g. --clock-skew {needed}s",
        text::format_delay(median.abs()),
        text::format_delay(window_ms as f64 / 1000.0),
    ));
}
