//! The account's own history. Where an account works from shows in the
//! log itself: the AS (or, without owner data, the /24 or /48 network) and
//! the country it uses on three or more days are its usual ones, and an
//! event from them is expected. An AS or country the account never used
//! before, after its first day in the log, is new: the first day has no
//! history to compare with, so nothing is called new on it. Failed
//! sign-ins never make a network usual: a spray from one network for a
//! week would otherwise teach that the attacker belongs.
//!
//! Earlier investigations count too: the knowledge base keeps, per account,
//! the networks and countries that were usual then ([`AccountHistory`]).
//! Their days join the log's, and an account with such a history has no
//! blind first day: a network it never used before is new from the start.
//! What this log shows as usual, with nothing suspicious from it, is what
//! [`learned`] hands back to be kept.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::{AddressJudgement, Context, Judged, Reason, Suggestion};
use crate::kb::{AccountHistory, AccountUse, Used};
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
        // One owner name per distinct address, shared by its events.
        let mut orgs: HashMap<IpAddr, Option<Arc<str>>> = HashMap::new();
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
            keys.org.push(match e.ip {
                Some(ip) => orgs
                    .entry(ip)
                    .or_insert_with(|| owner.and_then(|o| o.display_name().map(Arc::from)))
                    .clone(),
                None => None,
            });
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

impl Place {
    /// How the knowledge base's account history names it.
    pub fn key(&self) -> String {
        match self {
            Place::Asn(a) => format!("AS{a}"),
            Place::Net(n) => n.to_string(),
        }
    }
}

/// What one account used, on which days.
#[derive(Default)]
struct Account<'h> {
    first_day: i64,
    places: HashMap<Place, HashSet<i64>>,
    countries: HashMap<Arc<str>, HashSet<i64>>,
    /// What earlier investigations kept of it.
    prior: Option<&'h AccountUse>,
}

/// How much an account used a place, this log and earlier ones together.
#[derive(Clone, Copy)]
struct PlaceUse {
    /// Days of use, counted once whether in this log or an earlier one.
    days: usize,
    /// Of those, days only earlier investigations saw.
    earlier: usize,
    /// The first day this log shows it used (a failure alone is no use).
    first_in_log: Option<i64>,
}

impl Account<'_> {
    fn place_use(&self, place: &Place) -> PlaceUse {
        let here = self.places.get(place);
        let before = self.prior.and_then(|p| p.places.get(&place.key()));
        let earlier = before.map_or(0, |d| {
            d.iter()
                .filter(|day| here.is_none_or(|h| !h.contains(day)))
                .count()
        });
        PlaceUse {
            days: here.map_or(0, HashSet::len) + earlier,
            earlier,
            first_in_log: here.and_then(|d| d.iter().min().copied()),
        }
    }

    /// Countries used on [`USUAL_DAYS`] or more, here and earlier, sorted.
    fn usual_countries(&self) -> Vec<Arc<str>> {
        let mut days: HashMap<&str, HashSet<i64>> = HashMap::new();
        for (c, d) in &self.countries {
            days.entry(c).or_default().extend(d);
        }
        if let Some(prior) = self.prior {
            for (c, d) in &prior.countries {
                days.entry(c).or_default().extend(d);
            }
        }
        let mut v: Vec<Arc<str>> = days
            .into_iter()
            .filter(|(_, d)| d.len() >= USUAL_DAYS)
            .map(|(c, _)| Arc::from(c))
            .collect();
        v.sort_unstable();
        v
    }
}

fn counts(e: &Event) -> bool {
    e.outcome != Outcome::Failure
}

/// Every account's use of places and countries in the log, with its
/// earlier history.
/// What each account used, in this log and earlier investigations: built
/// once, read by [`judge`] and [`learned`].
pub struct Usage<'e, 'h>(HashMap<&'e str, Account<'h>>);

pub fn usage<'e, 'h>(
    events: &'e [Event],
    keys: &Keys,
    prior: Option<&'h AccountHistory>,
) -> Usage<'e, 'h> {
    Usage(accounts(events, keys, prior))
}

fn accounts<'e, 'h>(
    events: &'e [Event],
    keys: &Keys,
    prior: Option<&'h AccountHistory>,
) -> HashMap<&'e str, Account<'h>> {
    let mut accounts: HashMap<&str, Account> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let acc = accounts.entry(&e.account).or_insert_with(|| Account {
            first_day: keys.day[i],
            prior: prior.and_then(|h| h.get(&e.account)),
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
    accounts
}

pub fn judge(
    events: &[Event],
    keys: &Keys,
    usage: &Usage<'_, '_>,
    _by_address: &HashMap<IpAddr, AddressJudgement>,
    out: &mut [Judged],
) {
    let accounts = &usage.0;
    // Per account once: its usual countries, in words.
    let usual_countries: HashMap<&str, Vec<Arc<str>>> = accounts
        .iter()
        .map(|(name, acc)| (*name, acc.usual_countries()))
        .collect();
    // Per account and place once: how much it was used.
    let mut uses: HashMap<(&str, &Place), PlaceUse> = HashMap::new();
    // The same sentence for every event it applies to, made once: keyed by
    // what it says (the place or the country and the account's list), not
    // by its words, so most events cost a lookup and no allocation.
    type TextKey<'k> = (&'static str, Option<Place>, i64, Option<Arc<str>>, &'k str);
    let mut texts: HashMap<TextKey<'_>, Arc<str>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        let acc = &accounts[&*e.account];
        let usual = &usual_countries[&*e.account];
        if let Some(place) = &keys.place[i] {
            let used = *uses
                .entry((&*e.account, place))
                .or_insert_with(|| acc.place_use(place));
            let first_use = used.first_in_log.unwrap_or(keys.day[i]);
            // With an earlier history the log's first day is judged too.
            let has_past = acc.prior.is_some_and(|p| !p.places.is_empty());
            if used.days >= USUAL_DAYS {
                let (days, earlier) = (used.days, used.earlier);
                let what = (days * 10_000 + earlier) as i64;
                let t = texts
                    .entry(("usual-network", Some(place.clone()), what, None, ""))
                    .or_insert_with(|| {
                        let before = match earlier {
                            0 => String::new(),
                            n => format!(", {n} of them in earlier investigations"),
                        };
                        Arc::from(format!(
                            "{} is this account's usual network (used on {days} days{before})",
                            keys.place_text(i)
                        ))
                    })
                    .clone();
                out[i].push(Reason::shared("usual-network", -2.0, t));
            } else if used.earlier == 0 && (first_use > acc.first_day || has_past) {
                let t = texts
                    .entry((
                        "new-network",
                        Some(place.clone()),
                        first_use,
                        None,
                        if has_past { "past" } else { "" },
                    ))
                    .or_insert_with(|| {
                        let past = if has_past {
                            " nor in earlier investigations"
                        } else {
                            ""
                        };
                        Arc::from(format!(
                            "{} is new for this account: not used before {}{past}",
                            keys.place_text(i),
                            day_text(first_use)
                        ))
                    })
                    .clone();
                out[i].push(Reason::shared("new-network", 1.5, t));
            }
        }
        if let Some(country) = &keys.country[i]
            && !usual.is_empty()
            && !usual.contains(country)
        {
            let t = texts
                .entry(("new-country", None, 0, Some(country.clone()), &*e.account))
                .or_insert_with(|| {
                    let list = usual.iter().map(|c| &**c).collect::<Vec<_>>().join(", ");
                    Arc::from(format!(
                        "country {country} is not where this account signs in ({list})"
                    ))
                })
                .clone();
            out[i].push(Reason::shared("new-country", 1.5, t));
        }
    }
}

/// What this log shows as each account's usual networks and countries, with
/// nothing judged suspicious from them (the analyst's rules count in the
/// judgement): their days of use, for the knowledge base to keep for the
/// next investigation.
pub fn learned(
    events: &[Event],
    keys: &Keys,
    usage: &Usage<'_, '_>,
    judged: &[Judged],
) -> AccountHistory {
    let accounts = &usage.0;
    let mut tainted_places: HashSet<(&str, &Place)> = HashSet::new();
    let mut tainted_countries: HashSet<(&str, &str)> = HashSet::new();
    for (i, e) in events.iter().enumerate() {
        if judged[i].suggestion() == Suggestion::Suspicious {
            if let Some(p) = &keys.place[i] {
                tainted_places.insert((&e.account, p));
            }
            if let Some(c) = &keys.country[i] {
                tainted_countries.insert((&e.account, c));
            }
        }
    }
    let mut history = AccountHistory::default();
    for (name, acc) in accounts {
        for (place, days) in &acc.places {
            if acc.place_use(place).days >= USUAL_DAYS && !tainted_places.contains(&(name, place)) {
                history.add(name, Used::Place(&place.key()), days.iter().copied());
            }
        }
        let usual = acc.usual_countries();
        for (country, days) in &acc.countries {
            if usual.contains(country) && !tainted_countries.contains(&(name, &**country)) {
                history.add(name, Used::Country(country), days.iter().copied());
            }
        }
    }
    history
}

/// A day number as a date.
fn day_text(day: i64) -> String {
    jiff::Timestamp::from_second(day * 86_400)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_default()
}
