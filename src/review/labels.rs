//! The analyst's labels as the review screen holds them in memory: verdicts
//! for single accesses and rules for an IP, a network or an AS, keyed and
//! resolved like the knowledge base ([`crate::kb::Key`],
//! [`crate::kb::precedence`]).
//!
//! The knowledge base is the durable record; this book is a cache of what it
//! holds for the loaded campaign ([`LabelBook::from_verdicts`]) plus the
//! labels made since, so that resolving a million accesses after each label
//! touches only the addresses the label can reach.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::context::ReviewContext;
use super::index::ReviewIndex;
use crate::analysis::Analysis;
use crate::kb::precedence::{self, VerdictLookup};
use crate::kb::{CampaignVerdicts, Key, PrefixMap, Resolved, rule_network};
use crate::model::{IpId, RecipientId, Timestamp, Verdict};

/// What a label is about: the knowledge base's key, with accesses named by
/// their index in the loaded campaign (the knowledge-base adapter turns that
/// into a stable fingerprint).
pub type LabelKey = Key<u32>;

/// One decision and who made it when.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelInfo {
    pub verdict: Verdict,
    pub analyst: Option<Arc<str>>,
    pub at: Option<Timestamp>,
    pub note: Option<Arc<str>>,
}

impl LabelInfo {
    pub fn new(verdict: Verdict) -> Self {
        LabelInfo {
            verdict,
            analyst: None,
            at: None,
            note: None,
        }
    }
}

impl From<&Resolved> for LabelInfo {
    fn from(r: &Resolved) -> Self {
        LabelInfo {
            verdict: r.verdict,
            analyst: Some(Arc::clone(&r.source.analyst)),
            at: Timestamp::from_jiff(r.source.time),
            note: r.source.note.clone(),
        }
    }
}

/// All labels relevant to one campaign.
#[derive(Clone, Debug, Default)]
pub struct LabelBook {
    accesses: HashMap<u32, LabelInfo>,
    ips: HashMap<IpAddr, LabelInfo>,
    /// Networks without host bits, for longest-prefix lookup.
    networks: PrefixMap<LabelInfo>,
    asns: HashMap<u32, LabelInfo>,
}

impl LabelBook {
    pub fn new() -> Self {
        Self::default()
    }

    /// The book of what the knowledge base holds for a campaign: the
    /// accesses' own verdicts and every rule covering one of its addresses.
    pub fn from_verdicts(verdicts: &CampaignVerdicts) -> Self {
        let mut book = LabelBook::new();
        for rule in verdicts.rules() {
            if let Some(key) = rule.source.key.rule::<u32>() {
                book.set(key, Some(LabelInfo::from(rule)));
            }
        }
        for (i, own) in verdicts.own_verdicts() {
            book.set(Key::Access(i), Some(LabelInfo::from(own)));
        }
        book
    }

    pub fn get(&self, key: LabelKey) -> Option<&LabelInfo> {
        match key {
            Key::Access(i) => self.accesses.get(&i),
            Key::Ip(ip) => self.ips.get(&ip.to_canonical()),
            Key::Net(net) => self.networks.get(rule_network(net)),
            Key::Asn(n) => self.asns.get(&n),
        }
    }

    /// Sets or removes (`None`) the label of `key`; returns the one it replaced.
    pub fn set(&mut self, key: LabelKey, info: Option<LabelInfo>) -> Option<LabelInfo> {
        match key {
            Key::Access(i) => put(&mut self.accesses, i, info),
            Key::Ip(ip) => put(&mut self.ips, ip.to_canonical(), info),
            Key::Asn(n) => put(&mut self.asns, n, info),
            Key::Net(net) => {
                let net = rule_network(net);
                match info {
                    Some(info) => self.networks.insert(net, info),
                    None => self.networks.remove(net),
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.accesses.len() + self.ips.len() + self.networks.len() + self.asns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rule that decides an address: IP, else the longest network, else the AS.
    pub fn rule_for(&self, ip: IpAddr, asn: Option<u32>) -> Option<(LabelKey, &LabelInfo)> {
        precedence::address_rule(self, ip, asn)
    }

    /// The label that decides access `i`, with precedence applied.
    pub fn resolve(&self, analysis: &Analysis, i: u32) -> Option<(LabelKey, &LabelInfo)> {
        let access = analysis.campaign.accesses.get(i as usize)?;
        precedence::resolve(
            self,
            Some(i),
            analysis.campaign.ip(access.ip),
            analysis.owners[access.ip.index()].asn,
        )
    }

    /// The verdict of access `i` given the rule of its address, worked out
    /// once for all the address's accesses.
    fn decide(&self, i: u32, rule: Option<Verdict>) -> Option<Verdict> {
        let own = if self.accesses.is_empty() {
            None
        } else {
            self.accesses.get(&i).map(|info| info.verdict)
        };
        precedence::own_first(own, || rule)
    }
}

impl VerdictLookup<u32> for LabelBook {
    type Verdict = LabelInfo;

    fn access(&self, access: u32) -> Option<&LabelInfo> {
        self.accesses.get(&access)
    }

    fn ip(&self, ip: IpAddr) -> Option<&LabelInfo> {
        self.ips.get(&ip)
    }

    fn longest_network(&self, ip: IpAddr) -> Option<(IpNetwork, &LabelInfo)> {
        self.networks.longest_match(ip)
    }

    fn asn(&self, asn: u32) -> Option<&LabelInfo> {
        self.asns.get(&asn)
    }
}

fn put<K: std::hash::Hash + Eq>(
    map: &mut HashMap<K, LabelInfo>,
    key: K,
    info: Option<LabelInfo>,
) -> Option<LabelInfo> {
    match info {
        Some(info) => map.insert(key, info),
        None => map.remove(&key),
    }
}

/// The effective verdict of every access under `book`.
pub fn resolve_all(book: &LabelBook, analysis: &Analysis) -> Vec<Option<Verdict>> {
    let campaign = &analysis.campaign;
    let per_ip: Vec<Option<Verdict>> = campaign
        .ips
        .iter()
        .zip(&analysis.owners)
        .map(|(&ip, owner)| book.rule_for(ip, owner.asn).map(|(_, i)| i.verdict))
        .collect();
    campaign
        .accesses
        .iter()
        .enumerate()
        .map(|(i, a)| book.decide(i as u32, per_ip[a.ip.index()]))
        .collect()
}

/// The accesses a change of `key` can affect (before precedence is applied).
pub fn reach(analysis: &Analysis, index: &ReviewIndex, key: LabelKey) -> Vec<u32> {
    match key {
        Key::Access(i) => vec![i],
        _ => ips_reached(analysis, key)
            .into_iter()
            .flat_map(|ip| index.by_ip(ip).iter().copied())
            .collect(),
    }
}

/// The campaign's addresses a rule on `key` covers.
pub fn ips_reached(analysis: &Analysis, key: LabelKey) -> Vec<IpId> {
    let campaign = &analysis.campaign;
    match key {
        Key::Access(i) => campaign
            .accesses
            .get(i as usize)
            .map(|a| vec![a.ip])
            .unwrap_or_default(),
        Key::Ip(ip) => campaign.find_ip(ip).into_iter().collect(),
        Key::Net(net) => (0..campaign.ips.len() as u32)
            .filter(|&id| net.contains(campaign.ips[id as usize]))
            .map(IpId)
            .collect(),
        Key::Asn(n) => (0..campaign.ips.len() as u32)
            .filter(|&id| analysis.owners[id as usize].asn == Some(n))
            .map(IpId)
            .collect(),
    }
}

/// What a labelling action applies to, before it becomes label keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Access(u32),
    Ip(IpId),
    Network(IpNetwork),
    Asn(u32),
    /// Every access of one recipient, each as an access verdict (a recipient is no owner rule).
    Recipient(RecipientId),
    /// A set of accesses (marked rows, a recipient group), each as an access verdict.
    Accesses(Vec<u32>),
}

impl Scope {
    pub fn keys(&self, analysis: &Analysis, index: &ReviewIndex) -> Vec<LabelKey> {
        match self {
            Scope::Access(i) => vec![Key::Access(*i)],
            Scope::Ip(ip) => vec![Key::Ip(analysis.campaign.ip(*ip))],
            Scope::Network(net) => vec![LabelKey::network(*net)],
            Scope::Asn(n) => vec![Key::Asn(*n)],
            Scope::Recipient(r) => index
                .by_recipient(*r)
                .iter()
                .map(|&i| Key::Access(i))
                .collect(),
            Scope::Accesses(rows) => rows.iter().map(|&i| Key::Access(i)).collect(),
        }
    }
}

/// One key's label before and after a change.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub key: LabelKey,
    pub before: Option<LabelInfo>,
    pub after: Option<LabelInfo>,
}

/// Applies `changes` (their `after` sides) to `book` and `effective`, and
/// returns how many accesses now resolve differently.
pub fn apply_changes(
    book: &mut LabelBook,
    effective: &mut [Option<Verdict>],
    analysis: &Analysis,
    index: &ReviewIndex,
    changes: &[Change],
) -> usize {
    for c in changes {
        book.set(c.key, c.after.clone());
    }
    refresh(
        book,
        effective,
        analysis,
        index,
        changes.iter().map(|c| c.key),
    )
}

/// Reverts `changes` (back to their `before` sides); returns the accesses that moved.
pub fn revert_changes(
    book: &mut LabelBook,
    effective: &mut [Option<Verdict>],
    analysis: &Analysis,
    index: &ReviewIndex,
    changes: &[Change],
) -> usize {
    for c in changes.iter().rev() {
        book.set(c.key, c.before.clone());
    }
    refresh(
        book,
        effective,
        analysis,
        index,
        changes.iter().map(|c| c.key),
    )
}

/// Re-resolves the accesses `keys` can reach; returns how many changed.
fn refresh(
    book: &LabelBook,
    effective: &mut [Option<Verdict>],
    analysis: &Analysis,
    index: &ReviewIndex,
    keys: impl Iterator<Item = LabelKey>,
) -> usize {
    let mut changed = 0;
    for_each_reached(book, analysis, index, keys, |i, now| {
        if let Some(slot) = effective.get_mut(i as usize)
            && *slot != now
        {
            *slot = now;
            changed += 1;
        }
    });
    changed
}

/// Calls `f(access, verdict now)` once for every access `keys` can reach,
/// resolving rules once per address rather than once per access.
fn for_each_reached(
    book: &LabelBook,
    analysis: &Analysis,
    index: &ReviewIndex,
    keys: impl Iterator<Item = LabelKey>,
    mut f: impl FnMut(u32, Option<Verdict>),
) {
    let campaign = &analysis.campaign;
    let (access_keys, rule_keys): (Vec<LabelKey>, Vec<LabelKey>) =
        keys.partition(LabelKey::is_access);
    // Each access has one address, so addresses done once means accesses
    // done once; only accesses named on their own need remembering.
    let mut singles: HashSet<u32> = HashSet::new();
    for key in access_keys {
        if let Key::Access(i) = key
            && (i as usize) < campaign.accesses.len()
            && singles.insert(i)
        {
            f(i, book.resolve(analysis, i).map(|(_, info)| info.verdict));
        }
    }
    let mut ips_done: HashSet<IpId> = HashSet::new();
    for key in rule_keys {
        for ip in ips_reached(analysis, key) {
            if !ips_done.insert(ip) {
                continue;
            }
            let rule = book
                .rule_for(campaign.ip(ip), analysis.owners[ip.index()].asn)
                .map(|(_, info)| info.verdict);
            for &i in index.by_ip(ip) {
                if singles.is_empty() || !singles.contains(&i) {
                    f(i, book.decide(i, rule));
                }
            }
        }
    }
}

/// How many accesses would resolve differently if `keys` were all set to
/// `verdict` (`None` clears them). Leaves `book` as it was.
pub fn preview(
    book: &mut LabelBook,
    effective: &[Option<Verdict>],
    analysis: &Analysis,
    index: &ReviewIndex,
    keys: &[LabelKey],
    verdict: Option<Verdict>,
) -> usize {
    let befores: Vec<Option<LabelInfo>> = keys
        .iter()
        .map(|&k| book.set(k, verdict.map(LabelInfo::new)))
        .collect();
    let mut count = 0;
    for_each_reached(book, analysis, index, keys.iter().copied(), |i, now| {
        if effective.get(i as usize).copied().flatten() != now {
            count += 1;
        }
    });
    for (&k, before) in keys.iter().zip(befores).rev() {
        book.set(k, before);
    }
    count
}

/// How many accesses a rule on `key` reaches but does not decide, because
/// something more specific does (their own verdict, or a more specific rule).
pub fn shadowed(
    book: &LabelBook,
    analysis: &Analysis,
    index: &ReviewIndex,
    key: LabelKey,
) -> usize {
    if key.is_access() {
        return 0;
    }
    let campaign = &analysis.campaign;
    let mut kept = 0;
    let mut open: HashSet<IpId> = HashSet::new();
    for ip in ips_reached(analysis, key) {
        let decider = book.rule_for(campaign.ip(ip), analysis.owners[ip.index()].asn);
        match decider {
            Some((k, _)) if k.precedence() < key.precedence() => kept += index.by_ip(ip).len(),
            _ => {
                open.insert(ip);
            }
        }
    }
    // Accesses with a verdict of their own, on addresses the rule still decides.
    kept += book
        .accesses
        .keys()
        .filter(|&&i| {
            campaign
                .accesses
                .get(i as usize)
                .is_some_and(|a| open.contains(&a.ip))
        })
        .count();
    kept
}

/// The verdict the table shows for access `i` of `ctx`: the letter and the
/// rule it came from, so colour is never the only cue.
pub fn verdict_tag(
    book: &LabelBook,
    ctx: &ReviewContext<'_>,
    i: u32,
) -> Option<(Verdict, LabelKey)> {
    book.resolve(ctx.analysis, i)
        .map(|(k, info)| (info.verdict, k))
}
