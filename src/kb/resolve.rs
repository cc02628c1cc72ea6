//! Which stored verdict applies to an access, and why.
//!
//! Precedence, most specific first: a verdict on the access itself, a rule
//! for its IP, a rule for the longest network prefix containing the IP, a
//! rule for its AS. (Below that come the suggestions, outside this module.)
//! So "AS8075 is a scanner, except this Azure Virtual Desktop IP, except
//! this one access of it" says exactly what it means.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use jiff::tz::TimeZone;

use super::KnowledgeBase;
use super::entry::{Change, Entry};
use super::fingerprint::{Fingerprint, Fingerprinter};
use super::key::{Category, Key, Kind, Slot, Verdict};
use super::owner_cache::CachedOwner;
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
        matches!(self.key, Key::Access(_))
    }

    /// Like `Display`, with the date in `zone` (an analyst reads local dates).
    pub fn describe(&self, zone: &TimeZone) -> String {
        let date = self.time.to_zoned_datetime(zone.clone()).date();
        match self.key {
            Key::Access(_) => format!("access ({date}, {})", self.analyst),
            key => format!("rule {key} ({date}, {})", self.analyst),
        }
    }
}

impl fmt::Display for VerdictSource {
    /// `rule asn:8075 (2026-09-28, sato)` or `access (2026-10-02, sato)`; dates in UTC.
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
/// accesses that carry a verdict of their own.
#[derive(Clone, Debug, Default)]
pub struct CampaignVerdicts {
    by_ip: Vec<Option<Resolved>>,
    by_access: HashMap<u32, Resolved>,
}

impl CampaignVerdicts {
    /// The verdict of `campaign.accesses[index]`, which is `access`.
    pub fn get(&self, index: usize, access: &Access) -> Option<&Resolved> {
        u32::try_from(index)
            .ok()
            .and_then(|i| self.by_access.get(&i))
            .or_else(|| self.for_ip(access.ip))
    }

    /// The rule that applies to an IP of the campaign (access verdicts aside).
    pub fn for_ip(&self, ip: IpId) -> Option<&Resolved> {
        self.by_ip.get(ip.index()).and_then(Option::as_ref)
    }

    /// How many accesses have a verdict of their own.
    pub fn access_verdicts(&self) -> usize {
        self.by_access.len()
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
        fingerprint
            .and_then(|fp| self.resolve_access(fp))
            .or_else(|| self.resolve_ip(ip, asn))
    }

    /// The verdict stored on one access, if any.
    pub fn resolve_access(&self, fingerprint: Fingerprint) -> Option<Resolved> {
        self.state
            .current(&Slot::verdict(Key::Access(fingerprint)))
            .and_then(resolved)
    }

    /// The rule for an address: IP rule, else longest network, else AS.
    pub fn resolve_ip(&self, ip: IpAddr, asn: Option<u32>) -> Option<Resolved> {
        let ip = ip.to_canonical();
        self.state
            .current(&Slot::verdict(Key::Ip(ip)))
            .or_else(|| self.state.net_rule(ip))
            .or_else(|| {
                let asn = asn.filter(|&a| a != 0)?;
                self.state.current(&Slot::verdict(Key::Asn(asn)))
            })
            .and_then(resolved)
    }

    /// Resolves every access of `campaign`. `asn_of` gives the owner AS of
    /// each distinct IP. Rules are resolved once per IP; accesses are
    /// fingerprinted only when the knowledge base holds access verdicts.
    pub fn resolve_campaign(
        &self,
        campaign: &Campaign,
        mut asn_of: impl FnMut(IpId) -> Option<u32>,
    ) -> CampaignVerdicts {
        let by_ip = campaign
            .ips
            .iter()
            .enumerate()
            .map(|(i, &ip)| self.resolve_ip(ip, asn_of(IpId(i as u32))))
            .collect();
        let mut by_access = HashMap::new();
        if self.state.live_count(Category::Access) > 0 {
            let fingerprinter = Fingerprinter::new(campaign);
            for (i, access) in campaign.accesses.iter().enumerate() {
                if let Some(r) = self.resolve_access(fingerprinter.fingerprint(access)) {
                    by_access.insert(i as u32, r);
                }
            }
        }
        CampaignVerdicts { by_ip, by_access }
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
            Change::Note(note) => Some(NoteMatch {
                key: entry.key(),
                text: &note.text,
                hint: note.hint,
                entry,
            }),
            _ => None,
        }
    }

    /// The cached owner facts of an address, with the entry that holds them
    /// (who looked it up, when).
    pub fn cached_owner(&self, ip: IpAddr) -> Option<(&CachedOwner, &Entry)> {
        let entry = self.state.current(&Slot {
            kind: Kind::Owner,
            key: Key::from_ip(ip),
        })?;
        match entry.change() {
            Change::Owner(owner) => Some((owner, entry)),
            _ => None,
        }
    }

    /// Whether caching `owner` for `ip` would add anything: the cache has
    /// nothing for it, or different facts or sources. Lets `lookup` skip
    /// rewriting a thousand unchanged lines.
    pub fn owner_changed(&self, ip: IpAddr, owner: &CachedOwner) -> bool {
        self.cached_owner(ip)
            .is_none_or(|(cached, _)| cached != owner)
    }
}
