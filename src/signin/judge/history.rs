//! The account's own history. Where an account works from shows in the
//! log itself: the AS (or, without owner data, the /24 or /48 network) and
//! the country it uses on three or more days are its usual ones, and an
//! event from them is expected. An AS or country the account never used
//! before, after its first day in the log, is new: the first day has no
//! history to compare with, so nothing is called new on it. Failed
//! sign-ins never make a network usual: a spray from one network for a
//! week would otherwise teach that the attacker belongs.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::{AddressJudgement, Context, Judged, Reason};
use crate::signin::event::{Event, Outcome};

/// Days of use from which an AS or country is the account's usual one.
pub const USUAL_DAYS: usize = 3;

/// Where an event came from, as compared across events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    Asn(u32),
    Net(IpNetwork),
}

/// Per event: its place, country, owner name and day, worked out once.
pub struct Keys {
    pub place: Vec<Option<Place>>,
    pub country: Vec<Option<Arc<str>>>,
    pub org: Vec<Option<Arc<str>>>,
    /// Calendar day in the analyst's zone (days since the epoch).
    pub day: Vec<i64>,
}

/// The /24 or /48 an address is in: a network, not a person.
pub fn network_of(ip: IpAddr) -> IpNetwork {
    let (prefix, ip) = match ip {
        IpAddr::V4(_) => (24, ip),
        IpAddr::V6(_) => (48, ip),
    };
    IpNetwork::new(ip, prefix)
        .and_then(|n| IpNetwork::new(n.network(), prefix))
        .unwrap_or_else(|_| IpNetwork::from(ip))
}

impl Keys {
    pub fn new(events: &[Event], ctx: &Context<'_>) -> Keys {
        let n = events.len();
        let mut keys = Keys {
            place: Vec::with_capacity(n),
            country: Vec::with_capacity(n),
            org: Vec::with_capacity(n),
            day: Vec::with_capacity(n),
        };
        // Offsets change rarely: cache the last hour's.
        let mut hour_cache: Option<(i64, i64)> = None;
        for e in events {
            let owner = e.ip.and_then(|ip| ctx.facts.get(&ip)).map(|f| &f.owner);
            let asn = owner.and_then(|o| o.asn).or(e.log_asn);
            keys.place.push(match (asn, e.ip) {
                (Some(a), _) => Some(Place::Asn(a)),
                (None, Some(ip)) => Some(Place::Net(network_of(ip))),
                (None, None) => None,
            });
            keys.country.push(
                e.log_country
                    .clone()
                    .or_else(|| owner.and_then(|o| o.country_code.clone())),
            );
            keys.org
                .push(owner.and_then(|o| o.display_name().map(Arc::from)));
            let secs = e.time.as_seconds();
            let hour = secs.div_euclid(3600);
            let offset = match hour_cache {
                Some((h, o)) if h == hour => o,
                _ => {
                    let o = i64::from(ctx.zone.to_offset(e.time.to_jiff()).seconds());
                    hour_cache = Some((hour, o));
                    o
                }
            };
            keys.day.push((secs + offset).div_euclid(86_400));
        }
        keys
    }

    /// `AS64500 (Example Net)` or `203.0.113.0/24`.
    pub fn place_text(&self, i: usize) -> String {
        match (&self.place[i], &self.org[i]) {
            (Some(Place::Asn(a)), Some(org)) => format!("AS{a} ({org})"),
            (Some(Place::Asn(a)), None) => format!("AS{a}"),
            (Some(Place::Net(n)), _) => format!("network {n}"),
            (None, _) => "no address".to_string(),
        }
    }
}

/// What one account used, on which days.
#[derive(Default)]
struct Account {
    first_day: i64,
    places: HashMap<Place, HashSet<i64>>,
    countries: HashMap<Arc<str>, HashSet<i64>>,
}

fn counts(e: &Event) -> bool {
    e.outcome != Outcome::Failure
}

pub fn judge(
    events: &[Event],
    keys: &Keys,
    _by_address: &HashMap<IpAddr, AddressJudgement>,
    out: &mut [Judged],
) {
    let mut accounts: HashMap<&str, Account> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let acc = accounts.entry(&e.account).or_insert_with(|| Account {
            first_day: keys.day[i],
            ..Account::default()
        });
        if counts(e) {
            if let Some(p) = &keys.place[i] {
                acc.places.entry(p.clone()).or_default().insert(keys.day[i]);
            }
            if let Some(c) = &keys.country[i] {
                acc.countries
                    .entry(c.clone())
                    .or_default()
                    .insert(keys.day[i]);
            }
        }
    }
    for (i, e) in events.iter().enumerate() {
        let acc = &accounts[&*e.account];
        let mut usual_countries: Vec<&str> = acc
            .countries
            .iter()
            .filter(|(_, d)| d.len() >= USUAL_DAYS)
            .map(|(c, _)| &**c)
            .collect();
        usual_countries.sort_unstable();
        if let Some(place) = &keys.place[i] {
            let days = acc.places.get(place);
            let used = days.map_or(0, HashSet::len);
            // The first day the account used it (a failure alone is no use).
            let first_use = days
                .and_then(|d| d.iter().min().copied())
                .unwrap_or(keys.day[i]);
            if used >= USUAL_DAYS {
                out[i].push(Reason::new(
                    "usual-network",
                    -2.0,
                    format!(
                        "{} is this account's usual network (used on {used} days)",
                        keys.place_text(i)
                    ),
                ));
            } else if first_use > acc.first_day {
                out[i].push(Reason::new(
                    "new-network",
                    1.5,
                    format!(
                        "{} is new for this account: not used before {}",
                        keys.place_text(i),
                        day_text(first_use)
                    ),
                ));
            }
        }
        if let Some(country) = &keys.country[i]
            && !usual_countries.is_empty()
            && !usual_countries.contains(&&**country)
        {
            out[i].push(Reason::new(
                "new-country",
                1.5,
                format!(
                    "country {country} is not where this account signs in ({})",
                    usual_countries.join(", ")
                ),
            ));
        }
    }
}

/// A day number as a date.
fn day_text(day: i64) -> String {
    jiff::Timestamp::from_second(day * 86_400)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
