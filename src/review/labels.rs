//! The analyst's labels as the review screen holds them in memory: verdicts
//! for single accesses and rules for an IP, a network or an AS, resolved with
//! the knowledge base's precedence (access > IP > longest network > AS).
//!
//! The knowledge base is the durable record; this book mirrors what it holds
//! for the loaded campaign so that resolving a million accesses after each
//! label touches only the addresses the label can reach.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::context::ReviewContext;
use super::index::ReviewIndex;
use crate::analysis::Analysis;
use crate::model::{IpId, RecipientId, Timestamp, Verdict};

/// What a label is about. Accesses are named by their index in the loaded
/// campaign; the knowledge-base adapter turns that into a stable fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabelKey {
    Access(u32),
    Ip(IpAddr),
    /// Always stored with its host bits cleared.
    Network(IpNetwork),
    Asn(u32),
}

impl LabelKey {
    /// A network key with its host bits cleared, so `10.1.2.3/8` and `10.0.0.0/8` are one rule.
    pub fn network(net: IpNetwork) -> LabelKey {
        LabelKey::Network(normalise(net))
    }

    /// Rank in the precedence order: lower wins.
    fn precedence(self) -> u8 {
        match self {
            LabelKey::Access(_) => 0,
            LabelKey::Ip(_) => 1,
            LabelKey::Network(_) => 2,
            LabelKey::Asn(_) => 3,
        }
    }

    /// The short tag the verdict column shows after the letter (`ip`, `net`, `as`).
    pub fn tag(self) -> &'static str {
        match self {
            LabelKey::Access(_) => "",
            LabelKey::Ip(_) => "ip",
            LabelKey::Network(_) => "net",
            LabelKey::Asn(_) => "as",
        }
    }
}

impl fmt::Display for LabelKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelKey::Access(i) => write!(f, "access #{}", i + 1),
            LabelKey::Ip(ip) => write!(f, "ip:{ip}"),
            LabelKey::Network(net) => write!(f, "net:{net}"),
            LabelKey::Asn(n) => write!(f, "asn:{n}"),
        }
    }
}

fn normalise(net: IpNetwork) -> IpNetwork {
    IpNetwork::new(net.network(), net.prefix()).unwrap_or(net)
}

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

/// All labels relevant to one campaign.
#[derive(Clone, Debug, Default)]
pub struct LabelBook {
    accesses: HashMap<u32, LabelInfo>,
    ips: HashMap<IpAddr, LabelInfo>,
    networks: HashMap<IpNetwork, LabelInfo>,
    /// The prefix lengths that have rules, per family (v4 false, v6 true),
    /// longest first when iterated in reverse: a lookup tries only these.
    prefixes: BTreeSet<(bool, u8)>,
    asns: HashMap<u32, LabelInfo>,
}

impl LabelBook {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, key: LabelKey) -> Option<&LabelInfo> {
        match key {
            LabelKey::Access(i) => self.accesses.get(&i),
            LabelKey::Ip(ip) => self.ips.get(&ip.to_canonical()),
            LabelKey::Network(net) => self.networks.get(&normalise(net)),
            LabelKey::Asn(n) => self.asns.get(&n),
        }
    }

    /// Sets or removes (`None`) the label of `key`; returns the one it replaced.
    pub fn set(&mut self, key: LabelKey, info: Option<LabelInfo>) -> Option<LabelInfo> {
        match key {
            LabelKey::Access(i) => put(&mut self.accesses, i, info),
            LabelKey::Ip(ip) => put(&mut self.ips, ip.to_canonical(), info),
            LabelKey::Asn(n) => put(&mut self.asns, n, info),
            LabelKey::Network(net) => {
                let net = normalise(net);
                let old = put(&mut self.networks, net, info);
                let slot = (net.is_ipv6(), net.prefix());
                if self
                    .networks
                    .keys()
                    .any(|n| (n.is_ipv6(), n.prefix()) == slot)
                {
                    self.prefixes.insert(slot);
                } else {
                    self.prefixes.remove(&slot);
                }
                old
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
        let ip = ip.to_canonical();
        if let Some(info) = self.ips.get(&ip) {
            return Some((LabelKey::Ip(ip), info));
        }
        let family = ip.is_ipv6();
        for &(v6, prefix) in self.prefixes.iter().rev() {
            if v6 != family {
                continue;
            }
            let Ok(net) = IpNetwork::new(ip, prefix) else {
                continue;
            };
            let net = normalise(net);
            if let Some(info) = self.networks.get(&net) {
                return Some((LabelKey::Network(net), info));
            }
        }
        let asn = asn?;
        self.asns.get(&asn).map(|info| (LabelKey::Asn(asn), info))
    }

    /// The label that decides access `i`, with precedence applied.
    pub fn resolve(&self, analysis: &Analysis, i: u32) -> Option<(LabelKey, &LabelInfo)> {
        if let Some(info) = self.accesses.get(&i) {
            return Some((LabelKey::Access(i), info));
        }
        let access = analysis.campaign.accesses.get(i as usize)?;
        self.rule_for(
            analysis.campaign.ip(access.ip),
            analysis.owners[access.ip.index()].asn,
        )
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
        .map(|(i, a)| match book.accesses.get(&(i as u32)) {
            Some(info) => Some(info.verdict),
            None => per_ip[a.ip.index()],
        })
        .collect()
}

/// The accesses a change of `key` can affect (before precedence is applied).
pub fn reach(analysis: &Analysis, index: &ReviewIndex, key: LabelKey) -> Vec<u32> {
    match key {
        LabelKey::Access(i) => vec![i],
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
        LabelKey::Access(i) => campaign
            .accesses
            .get(i as usize)
            .map(|a| vec![a.ip])
            .unwrap_or_default(),
        LabelKey::Ip(ip) => campaign.find_ip(ip).into_iter().collect(),
        LabelKey::Network(net) => (0..campaign.ips.len() as u32)
            .filter(|&id| net.contains(campaign.ips[id as usize]))
            .map(IpId)
            .collect(),
        LabelKey::Asn(n) => (0..campaign.ips.len() as u32)
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
            Scope::Access(i) => vec![LabelKey::Access(*i)],
            Scope::Ip(ip) => vec![LabelKey::Ip(analysis.campaign.ip(*ip))],
            Scope::Network(net) => vec![LabelKey::network(*net)],
            Scope::Asn(n) => vec![LabelKey::Asn(*n)],
            Scope::Recipient(r) => index
                .by_recipient(*r)
                .iter()
                .map(|&i| LabelKey::Access(i))
                .collect(),
            Scope::Accesses(rows) => rows.iter().map(|&i| LabelKey::Access(i)).collect(),
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
        keys.partition(|k| matches!(k, LabelKey::Access(_)));
    // Each access has one address, so addresses done once means accesses
    // done once; only accesses named on their own need remembering.
    let mut singles: HashSet<u32> = HashSet::new();
    for key in access_keys {
        if let LabelKey::Access(i) = key
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
                    let own = if book.accesses.is_empty() {
                        None
                    } else {
                        book.accesses.get(&i).map(|info| info.verdict)
                    };
                    f(i, own.or(rule));
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
    if matches!(key, LabelKey::Access(_)) {
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
