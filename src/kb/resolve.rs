//! Which stored verdict applies to an access, and why; what the knowledge
//! base says about one campaign's accesses and addresses.
//!
//! The order is [`super::precedence`]'s; this module applies it to the
//! entries in force and says where a verdict came from.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::KnowledgeBase;
use super::entry::{Entry, EntryChange, OwnerNote};
use super::fingerprint::{Fingerprint, Fingerprinter};
use super::key::{Category, Key, Kind, Slot, Verdict};
use super::precedence::{self, VerdictLookup};
use crate::model::{Access, Campaign, IpId};

/// A verdict from the knowledge base and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub verdict: Verdict,
    pub source: VerdictSource,
}

/// The entry a verdict came from: which key, who decided it, when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictSource {
    pub key: Key,
    pub analyst: Arc<str>,
    pub time: jiff::Timestamp,
    /// The analyst's reason, if given.
    pub note: Option<Arc<str>>,
}

impl VerdictSource {
    fn of(entry: &Entry) -> VerdictSource {
        VerdictSource {
            key: entry.key(),
            analyst: entry.analyst_arc().clone(),
            time: entry.time(),
            note: entry.note_arc().cloned(),
        }
    }

    /// True when the verdict is on the access itself rather than a rule.
    pub fn is_access(&self) -> bool {
        self.key.is_access()
    }

    /// Like `Display`, with the moment in `zone` (an analyst reads local
    /// times) and the zone named, since it is read apart from any heading:
    /// `rule asn:8075 (2026-09-28 14:05 +09:00, sato)`.
    pub fn describe(&self, zone: &TimeZone) -> String {
        let when =
            crate::model::Timestamp::from_jiff(self.time).map(|t| t.format_minute_zoned(zone));
        describe_source_at(&self.key, when, Some(&self.analyst))
    }
}

/// Where a verdict came from, in the one wording the report, the exports and
/// the screen use: `rule asn:8075 (2026-09-28, sato)` or `access
/// (2026-10-02, sato)`. The date and the analyst are left out where they are
/// not known.
pub fn describe_source<A>(key: &Key<A>, date: Option<Date>, analyst: Option<&str>) -> String
where
    Key<A>: fmt::Display,
{
    describe_source_at(key, date.map(|d| d.to_string()), analyst)
}

/// [`describe_source`] with the moment said as the caller wants it (the
/// screen's detail pane has room for the time of day).
pub fn describe_source_at<A>(key: &Key<A>, when: Option<String>, analyst: Option<&str>) -> String
where
    Key<A>: fmt::Display,
{
    let what = if key.is_access() {
        "access".to_string()
    } else {
        format!("rule {key}")
    };
    let when_who: Vec<String> = when
        .into_iter()
        .chain(analyst.map(str::to_string))
        .collect();
    if when_who.is_empty() {
        what
    } else {
        format!("{what} ({})", when_who.join(", "))
    }
}

impl fmt::Display for VerdictSource {
    /// `rule asn:8075 (2026-09-28 05:05 UTC, sato)` or `access (2026-10-02
    /// 00:03 UTC, sato)`: [`Self::describe`] in UTC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(&TimeZone::UTC))
    }
}

fn resolved(entry: &Entry) -> Option<Resolved> {
    Some(Resolved {
        verdict: entry.verdict_value()?,
        source: VerdictSource::of(entry),
    })
}

/// The owner note that applies to an address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoteMatch<'a> {
    /// The IP or network the note is on.
    pub key: Key,
    pub text: &'a str,
    pub hint: Option<Verdict>,
    pub entry: &'a Entry,
}

/// The verdicts of one campaign's accesses: per distinct IP, plus the few
/// accesses that carry a verdict of their own; and every rule that covers
/// an address of the campaign, deciding or not, so that a cache of them (the
/// review screen's label book) can re-resolve after any label by itself.
#[derive(Clone, Debug, Default)]
pub struct CampaignVerdicts {
    by_ip: Vec<Option<Resolved>>,
    by_access: HashMap<u32, Resolved>,
    rules: Vec<Resolved>,
}

impl CampaignVerdicts {
    /// The verdict of `campaign.accesses[index]`, which is `access`.
    pub fn get(&self, index: usize, access: &Access) -> Option<&Resolved> {
        // Most campaigns have no access verdicts: skip hashing every index.
        let own = if self.by_access.is_empty() {
            None
        } else {
            u32::try_from(index)
                .ok()
                .and_then(|i| self.by_access.get(&i))
        };
        precedence::own_first(own, || self.for_ip(access.ip))
    }

    /// The rule that applies to an IP of the campaign (access verdicts aside).
    pub fn for_ip(&self, ip: IpId) -> Option<&Resolved> {
        self.by_ip.get(ip.index()).and_then(Option::as_ref)
    }

    /// How many accesses have a verdict of their own.
    pub fn access_verdicts(&self) -> usize {
        self.by_access.len()
    }

    /// The accesses with a verdict of their own, by index in the campaign.
    pub fn own_verdicts(&self) -> impl Iterator<Item = (u32, &Resolved)> {
        self.by_access.iter().map(|(&i, r)| (i, r))
    }

    /// Every IP, network and AS rule in force that covers an address of the
    /// campaign, including those a more specific rule overrides.
    pub fn rules(&self) -> &[Resolved] {
        &self.rules
    }
}

impl KnowledgeBase {
    /// The verdict for an access: its own (when `fingerprint` is given and
    /// has one), else the rule for `ip`, its longest network, or `asn`.
    pub fn resolve(
        &self,
        fingerprint: Option<Fingerprint>,
        ip: IpAddr,
        asn: Option<u32>,
    ) -> Option<Resolved> {
        precedence::resolve(&self.state, fingerprint, ip, asn).and_then(|(_, e)| resolved(e))
    }

    /// The verdict stored on one access, if any.
    pub fn resolve_access(&self, fingerprint: Fingerprint) -> Option<Resolved> {
        self.state.access(fingerprint).and_then(resolved)
    }

    /// The rule for an address: IP rule, else longest network, else AS.
    pub fn resolve_ip(&self, ip: IpAddr, asn: Option<u32>) -> Option<Resolved> {
        precedence::address_rule::<Fingerprint, _>(&self.state, ip, asn)
            .and_then(|(_, e)| resolved(e))
    }

    /// Resolves every access of `campaign`. `asn_of` gives the owner AS of
    /// each distinct IP. Rules are resolved once per IP; accesses are
    /// fingerprinted only when the knowledge base holds access verdicts.
    pub fn resolve_campaign(
        &self,
        campaign: &Campaign,
        mut asn_of: impl FnMut(IpId) -> Option<u32>,
    ) -> CampaignVerdicts {
        let mut by_ip = Vec::with_capacity(campaign.ips.len());
        let mut rules = Vec::new();
        let mut seen: HashSet<Key> = HashSet::new();
        for (i, &ip) in campaign.ips.iter().enumerate() {
            let asn = asn_of(IpId(i as u32));
            by_ip.push(self.resolve_ip(ip, asn));
            for entry in self.rules_covering(ip, asn) {
                if seen.insert(entry.key()) {
                    rules.extend(resolved(entry));
                }
            }
        }
        let mut by_access = HashMap::new();
        if self.state.live_count(Category::Access) > 0 {
            let fingerprinter = Fingerprinter::new(campaign);
            for (i, access) in campaign.accesses.iter().enumerate() {
                if let Some(r) = self.resolve_access(fingerprinter.fingerprint(access)) {
                    by_access.insert(i as u32, r);
                }
            }
        }
        CampaignVerdicts {
            by_ip,
            by_access,
            rules,
        }
    }

    /// Every rule in force that covers `ip` (with owner AS `asn`): its IP
    /// rule, each network rule containing it, its AS rule.
    fn rules_covering(&self, ip: IpAddr, asn: Option<u32>) -> impl Iterator<Item = &Entry> {
        let ip = ip.to_canonical();
        let state = &self.state;
        state
            .ip(ip)
            .into_iter()
            .chain(state.net_rules_covering(ip))
            .chain(asn.filter(|&a| a != 0).and_then(|a| state.asn(a)))
    }

    /// The owner note of each address in `ips` (see [`Self::note_for`]), in order.
    pub fn notes_for(&self, ips: &[IpAddr]) -> Vec<Option<OwnerNote>> {
        ips.iter()
            .map(|&ip| {
                self.note_for(ip).map(|n| OwnerNote {
                    text: Arc::from(n.text),
                    hint: n.hint,
                })
            })
            .collect()
    }

    /// The owner note for an address: a note on the IP itself beats the
    /// note on the longest network containing it.
    pub fn note_for(&self, ip: IpAddr) -> Option<NoteMatch<'_>> {
        let ip = ip.to_canonical();
        let entry = self
            .state
            .current(&Slot {
                kind: Kind::Note,
                key: Key::Ip(ip),
            })
            .or_else(|| self.state.net_note(ip))?;
        match entry.change() {
            EntryChange::Note(note) => Some(NoteMatch {
                key: entry.key(),
                text: &note.text,
                hint: note.hint,
                entry,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_described_one_way() {
        let date = Some(jiff::civil::date(2026, 9, 28));
        let asn: Key = Key::Asn(8075);
        assert_eq!(
            describe_source(&asn, date, Some("sato")),
            "rule asn:8075 (2026-09-28, sato)"
        );
        assert_eq!(
            describe_source(&Key::<u32>::Access(3), date, Some("sato")),
            "access (2026-09-28, sato)"
        );
        let net = Key::<u32>::network("40.94.7.7/16".parse().unwrap());
        assert_eq!(
            describe_source(&net, None, Some("sato")),
            "rule net:40.94.0.0/16 (sato)"
        );
        let ip = Key::<u32>::Ip("192.0.2.1".parse().unwrap());
        assert_eq!(describe_source(&ip, None, None), "rule ip:192.0.2.1");
    }
}
