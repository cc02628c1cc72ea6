//! The patterns account-takeover investigations look for (the checklist of
//! Microsoft-Analyzer-Suite, Hawk and the Entra risk detections), each an
//! event's reason with its weight.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use super::geo::{country_point, distance_km};
use super::history::{Keys, Place};
use super::{AddressJudgement, Judged, Reason};
use crate::signin::event::{Event, OpKind, Outcome};

/// Failed sign-ins from one address from which it is a spray.
pub const SPRAY_FAILURES: usize = 5;
/// Or this many failures spread over this many accounts.
pub const SPRAY_SPREAD: (usize, usize) = (3, 2);
/// Failures of one account in the hour before a success that make it suspect.
pub const FAILURES_BEFORE_SUCCESS: usize = 3;
/// Sends of one account within [`BURST_SECONDS`] that make a burst.
pub const BURST_SENDS: usize = 10;
pub const BURST_SECONDS: i64 = 600;
/// Deletions of one account in a day that are mass deletion.
pub const MASS_DELETIONS: usize = 50;
/// Faster than an airliner, over more than a short hop.
pub const TRAVEL_KMH: f64 = 900.0;
pub const TRAVEL_MIN_KM: f64 = 500.0;

pub fn judge(
    events: &[Event],
    keys: &Keys,
    by_address: &HashMap<IpAddr, AddressJudgement>,
    out: &mut [Judged],
) {
    let spraying = spray(events, out);
    failures_then_success(events, &spraying, out);
    mail_rules(events, out);
    sessions(events, keys, out);
    travel(events, keys, out);
    bursts(events, keys, by_address, out);
    deletions(events, keys, out);
}

/// Addresses that failed many sign-ins, or a few for several accounts: each
/// failure from them is part of a spray.
fn spray(events: &[Event], out: &mut [Judged]) -> HashSet<IpAddr> {
    let mut by_ip: HashMap<IpAddr, (usize, HashSet<&str>)> = HashMap::new();
    for e in events.iter().filter(|e| e.is_sign_in_failure()) {
        if let Some(ip) = e.ip {
            let entry = by_ip.entry(ip).or_default();
            entry.0 += 1;
            entry.1.insert(&e.account);
        }
    }
    let spraying: HashMap<IpAddr, (usize, usize)> = by_ip
        .into_iter()
        .filter(|(_, (n, accounts))| {
            *n >= SPRAY_FAILURES || (*n >= SPRAY_SPREAD.0 && accounts.len() >= SPRAY_SPREAD.1)
        })
        .map(|(ip, (n, a))| (ip, (n, a.len())))
        .collect();
    for (e, j) in events.iter().zip(out.iter_mut()) {
        if !e.is_sign_in_failure() {
            continue;
        }
        if let Some((n, accounts)) = e.ip.and_then(|ip| spraying.get(&ip)) {
            j.push(Reason::new(
                "spray",
                2.0,
                format!("password spray: {n} failed sign-ins from this address for {accounts} account(s)"),
            ));
        }
    }
    spraying.into_keys().collect()
}

/// A success right after many failures of the account, or from an address
/// that sprayed.
fn failures_then_success(events: &[Event], spraying: &HashSet<IpAddr>, out: &mut [Judged]) {
    let mut failures: HashMap<&str, Vec<i64>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let t = e.time.as_seconds();
        if e.is_sign_in_failure() {
            failures.entry(&e.account).or_default().push(t);
            continue;
        }
        if !e.is_sign_in_success() {
            continue;
        }
        if e.ip.is_some_and(|ip| spraying.contains(&ip)) {
            out[i].push(Reason::new(
                "spray-success",
                2.5,
                "signed in from the address that sprayed passwords".to_string(),
            ));
        }
        let recent = failures
            .get(&*e.account)
            .map_or(0, |f| f.iter().filter(|&&ft| t - ft <= 3600).count());
        if recent >= FAILURES_BEFORE_SUCCESS {
            out[i].push(Reason::new(
                "failures-then-success",
                2.0,
                format!(
                    "signed in after {recent} failed sign-ins of this account in the hour before"
                ),
            ));
        }
    }
}

/// A rule name of one or two characters, or of punctuation only: the
/// names attackers give rules they hope nobody reads.
fn hidden_name(name: &str) -> bool {
    let name = name.trim();
    name.chars().count() <= 2 || name.chars().all(|c| !c.is_alphanumeric())
}

fn mail_rules(events: &[Event], out: &mut [Judged]) {
    for (e, j) in events.iter().zip(out.iter_mut()) {
        if e.client.contains("Action=ViaProxy") {
            j.push(Reason::new(
                "via-proxy",
                3.0,
                "Client=OWA;Action=ViaProxy: the mark of an adversary-in-the-middle phishing proxy"
                    .to_string(),
            ));
        }
        if e.kind == OpKind::Permission {
            j.push(Reason::new(
                "permission",
                1.0,
                "someone else was given access to the mailbox".to_string(),
            ));
        }
        let Some(rule) = &e.rule else { continue };
        if rule.removed {
            continue;
        }
        let domain = e.domain().unwrap_or("");
        let outside: Vec<&str> = rule
            .forward_to
            .iter()
            .map(String::as_str)
            .filter(|a| {
                let d = a.rsplit_once('@').map_or("", |(_, d)| d);
                domain.is_empty() || (d != domain && !d.ends_with(&format!(".{domain}")))
            })
            .collect();
        if !outside.is_empty() {
            let what = if e.kind == OpKind::Forwarding {
                "the mailbox forwards"
            } else {
                "the rule forwards"
            };
            j.push(Reason::new(
                "forward-outside",
                3.0,
                format!("{what} mail to an outside address ({})", outside.join(" ")),
            ));
        }
        if rule.deletes || rule.marks_read || rule.moves_to.is_some() {
            j.push(Reason::new(
                "rule-hides",
                1.5,
                "the rule deletes, marks read or moves mail: replies and warnings would go unseen"
                    .to_string(),
            ));
        }
        if rule.name.as_deref().is_some_and(hidden_name) {
            j.push(Reason::new(
                "rule-name",
                1.5,
                format!(
                    "the rule's name {:?} says nothing (one or two characters, or punctuation)",
                    rule.name.as_deref().unwrap_or("")
                ),
            ));
        }
    }
}

/// One session used from several networks: a session token copied to
/// another machine.
fn sessions(events: &[Event], keys: &Keys, out: &mut [Judged]) {
    let mut places: HashMap<(&str, &str), Vec<&Place>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.session.is_empty() || e.outcome == Outcome::Failure {
            continue;
        }
        if let Some(p) = &keys.place[i] {
            let list = places.entry((&e.account, &e.session)).or_default();
            if !list.contains(&p) {
                list.push(p);
            }
        }
    }
    for (i, e) in events.iter().enumerate() {
        let Some(list) = places.get(&(&*e.account, &*e.session)) else {
            continue;
        };
        if list.len() < 2 || keys.place[i].as_ref() == Some(list[0]) {
            continue;
        }
        out[i].push(Reason::new(
            "session-spread",
            2.5,
            format!(
                "session {} was used from {} networks; this one is not where it started: a stolen session token",
                e.session,
                list.len()
            ),
        ));
    }
}

/// Consecutive uses of the account too far apart for the time between.
fn travel(events: &[Event], keys: &Keys, out: &mut [Judged]) {
    let mut last: HashMap<&str, (usize, (f64, f64))> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.outcome == Outcome::Failure || e.ip.is_none() {
            continue;
        }
        let point = e
            .coordinates
            .or_else(|| keys.country[i].as_deref().and_then(country_point));
        let Some(point) = point else { continue };
        if let Some(&(j, before)) = last.get(&*e.account) {
            let km = distance_km(before, point);
            let hours = e.time.seconds_since(events[j].time) / 3600.0;
            if km > TRAVEL_MIN_KM && (hours <= 0.0 || km / hours > TRAVEL_KMH) {
                let from = keys.country[j].as_deref().unwrap_or("?");
                let to = keys.country[i].as_deref().unwrap_or("?");
                out[i].push(Reason::new(
                    "impossible-travel",
                    2.0,
                    format!(
                        "impossible travel: {km:.0} km from the previous use ({from} → {to}) in {:.0} minutes",
                        hours * 60.0
                    ),
                ));
            }
        }
        last.insert(&e.account, (i, point));
    }
}

/// Many sends in a few minutes, worse right after a sign-in from a new or
/// hosting network.
fn bursts(
    events: &[Event],
    keys: &Keys,
    by_address: &HashMap<IpAddr, AddressJudgement>,
    out: &mut [Judged],
) {
    let mut sends: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.kind == OpKind::Send {
            sends.entry(&e.account).or_default().push(i);
        }
    }
    // Each account's last sign-in that looked wrong, for the sends after it.
    let mut in_burst = vec![0usize; events.len()];
    for list in sends.values() {
        let mut start = 0;
        for end in 0..list.len() {
            let t = events[list[end]].time.as_seconds();
            while t - events[list[start]].time.as_seconds() > BURST_SECONDS {
                start += 1;
            }
            let n = end - start + 1;
            if n >= BURST_SENDS {
                for &k in &list[start..=end] {
                    in_burst[k] = in_burst[k].max(n);
                }
            }
        }
    }
    let mut odd_sign_in: HashMap<&str, usize> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.is_sign_in_success() {
            let machine =
                e.ip.and_then(|ip| by_address.get(&ip))
                    .is_some_and(|a| a.machine_network);
            let new = out[i]
                .reasons
                .iter()
                .any(|r| matches!(r.code, "new-network" | "new-country"));
            if machine || new {
                odd_sign_in.insert(&e.account, i);
            } else {
                odd_sign_in.remove(&*e.account);
            }
        }
        if in_burst[i] == 0 {
            continue;
        }
        out[i].push(Reason::new(
            "send-burst",
            1.0,
            format!(
                "one of {} mails sent within {} minutes",
                in_burst[i],
                BURST_SECONDS / 60
            ),
        ));
        if let Some(&j) = odd_sign_in.get(&*e.account)
            && e.time.seconds_since(events[j].time) <= 7200.0
        {
            out[i].push(Reason::new(
                "burst-after-sign-in",
                1.5,
                format!(
                    "the burst came {:.0} minutes after a sign-in from {}",
                    e.time.seconds_since(events[j].time) / 60.0,
                    keys.place_text(j)
                ),
            ));
        }
    }
}

fn deletions(events: &[Event], keys: &Keys, out: &mut [Judged]) {
    let mut per_day: HashMap<(&str, i64), usize> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.kind == OpKind::Delete {
            *per_day.entry((&e.account, keys.day[i])).or_default() += 1;
        }
    }
    for (i, e) in events.iter().enumerate() {
        if e.kind != OpKind::Delete {
            continue;
        }
        let n = per_day[&(&*e.account, keys.day[i])];
        if n >= MASS_DELETIONS {
            out[i].push(Reason::new(
                "mass-deletion",
                1.0,
                format!("one of {n} deletions by this account that day"),
            ));
        }
    }
}
