//! Group views: accesses gathered by IP, network, AS or recipient, each group
//! with the numbers an analyst decides on (how many people, how fast after
//! delivery, what it claims to be, what the evidence suggests).

use std::collections::HashMap;
use std::net::IpAddr;

use ipnetwork::IpNetwork;

use super::context::ReviewContext;
use super::labels::LabelKey;
use super::queue::UnsureIndex;
use crate::analysis::Analysis;
use crate::model::{IpId, Leaning, RecipientId, Screen, Timestamp, UaId, Verdict};

/// What the accesses are gathered by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Ip,
    Network,
    Asn,
    Recipient,
}

impl GroupBy {
    pub fn title(self) -> &'static str {
        match self {
            GroupBy::Ip => "IP",
            GroupBy::Network => "network",
            GroupBy::Asn => "organisation (AS)",
            GroupBy::Recipient => "recipient",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GroupKey {
    Ip(IpId),
    /// The database's prefix, or an estimated /24 (/48 for IPv6) where no
    /// database knew the address.
    Network {
        network: IpNetwork,
        estimated: bool,
    },
    Asn(Option<u32>),
    Recipient(Option<RecipientId>),
}

/// The share of a group's suggestions that must agree for the group to lean that way.
pub const GROUP_AGREEMENT: f64 = 0.9;

#[derive(Clone, Debug, PartialEq)]
pub struct GroupStats {
    pub accesses: u32,
    pub recipients: u32,
    /// Accesses the analyst judged human / scanner, and those without a verdict.
    pub human: u32,
    pub scanner: u32,
    pub unlabelled: u32,
    /// The earliest and latest time of the members that have one; when
    /// none has (hops without dates), `first` is after `last`.
    pub first: Timestamp,
    pub last: Timestamp,
    /// The quickest access after its delivery, in seconds.
    pub fastest: Option<f64>,
    pub typical_ua: Option<UaId>,
    pub typical_screen: Option<Screen>,
    /// Where the group's suggestions lean, when they agree.
    pub suggestion: Leaning,
    /// Unsure recipients a decision on the group settles (the review
    /// queue's order, `queue::UnsureIndex`): each moves the human click
    /// rate by one recipient's share.
    pub impact: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: GroupKey,
    /// Access indices, in the order they were given.
    pub members: Vec<u32>,
    pub stats: GroupStats,
}

/// The network an address is counted in when no database gives its prefix.
pub fn estimated_network(ip: IpAddr) -> IpNetwork {
    let (addr, prefix) = match ip {
        IpAddr::V4(_) => (ip, 24),
        IpAddr::V6(_) => (ip, 48),
    };
    // Both prefixes are valid for their family, so this cannot fail.
    IpNetwork::new(addr, prefix)
        .and_then(|n| IpNetwork::new(n.network(), prefix))
        .unwrap_or_else(|_| IpNetwork::from(ip))
}

/// The rule a group view's row stands for, if a rule is possible: an IP, a
/// network the database named, an AS. Estimated networks, unknown AS and
/// recipients have no rule: their accesses are labelled one by one.
pub fn group_rule(analysis: &Analysis, key: &GroupKey) -> Option<LabelKey> {
    match *key {
        GroupKey::Ip(ip) => Some(LabelKey::Ip(analysis.campaign.ip(ip))),
        GroupKey::Network {
            network,
            estimated: false,
        } => Some(LabelKey::network(network)),
        GroupKey::Asn(Some(n)) => Some(LabelKey::Asn(n)),
        _ => None,
    }
}

/// The group access `i` belongs to.
pub fn group_key(ctx: &ReviewContext<'_>, by: GroupBy, i: u32) -> GroupKey {
    let a = ctx.access(i);
    match by {
        GroupBy::Ip => GroupKey::Ip(a.ip),
        GroupBy::Network => match ctx.analysis.owners[a.ip.index()].network {
            Some(network) => GroupKey::Network {
                network,
                estimated: false,
            },
            None => GroupKey::Network {
                network: estimated_network(ctx.analysis.campaign.ip(a.ip)),
                estimated: true,
            },
        },
        GroupBy::Asn => GroupKey::Asn(ctx.analysis.owners[a.ip.index()].asn),
        GroupBy::Recipient => GroupKey::Recipient(a.recipient()),
    }
}

/// Gathers `rows` into groups, in order of each group's first row.
pub fn build_groups(ctx: &ReviewContext<'_>, rows: &[u32], by: GroupBy) -> Vec<Group> {
    let mut members: Vec<(GroupKey, Vec<u32>)> = Vec::new();
    if by == GroupBy::Ip {
        // Addresses are numbered densely: a slot per address, no hashing.
        let mut slot_of = vec![u32::MAX; ctx.analysis.campaign.ips.len()];
        for &i in rows {
            let ip = ctx.access(i).ip;
            let slot = &mut slot_of[ip.index()];
            if *slot == u32::MAX {
                *slot = members.len() as u32;
                members.push((GroupKey::Ip(ip), Vec::new()));
            }
            members[*slot as usize].1.push(i);
        }
    } else {
        let mut index: HashMap<GroupKey, usize> = HashMap::new();
        for &i in rows {
            let key = group_key(ctx, by, i);
            let slot = *index.entry(key).or_insert_with(|| {
                members.push((key, Vec::new()));
                members.len() - 1
            });
            members[slot].1.push(i);
        }
    }
    let unsure = UnsureIndex::new(ctx);
    members
        .into_iter()
        .map(|(key, members)| {
            let mut stats = group_stats(ctx, &members);
            let impact = match key {
                GroupKey::Recipient(Some(r)) => unsure.impact_of(r),
                GroupKey::Recipient(None) => 0,
                _ => unsure.impact_within(ctx, &members),
            };
            stats.impact = u32::try_from(impact).unwrap_or(u32::MAX);
            Group {
                key,
                members,
                stats,
            }
        })
        .collect()
}

/// The numbers of one group. Recomputed after labelling, so it stays O(members).
pub fn group_stats(ctx: &ReviewContext<'_>, members: &[u32]) -> GroupStats {
    let campaign = &ctx.analysis.campaign;
    let mut recipients: Vec<u32> = Vec::new();
    let mut uas: Tally<UaId> = Tally::default();
    let mut screens: Tally<Screen> = Tally::default();
    let mut leanings = [0u32; 3];
    let mut stats = GroupStats {
        accesses: members.len() as u32,
        recipients: 0,
        human: 0,
        scanner: 0,
        unlabelled: 0,
        first: Timestamp::from_nanos(i64::MAX),
        last: Timestamp::from_nanos(i64::MIN),
        fastest: None,
        typical_ua: None,
        typical_screen: None,
        suggestion: Leaning::Unsure,
        impact: 0,
    };
    for &i in members {
        let a = ctx.access(i);
        match ctx.verdict(i) {
            Some(Verdict::Human) => stats.human += 1,
            Some(Verdict::Scanner) => stats.scanner += 1,
            None => stats.unlabelled += 1,
        }
        if let Some(time) = ctx.time_of(i) {
            stats.first = stats.first.min(time);
            stats.last = stats.last.max(time);
        }
        if let Some(dt) = campaign.seconds_after_sent(a) {
            stats.fastest = Some(stats.fastest.map_or(dt, |f: f64| f.min(dt)));
        }
        if let Some(r) = a.recipient() {
            recipients.push(r.0);
        }
        uas.add(a.user_agent);
        if let Some(s) = a.screen {
            screens.add(s);
        }
        leanings[ctx.suggestion(i) as usize] += 1;
    }
    recipients.sort_unstable();
    recipients.dedup();
    stats.recipients = recipients.len() as u32;
    // Most frequent wins; the smaller id breaks ties so the answer is stable.
    stats.typical_ua = uas.most_frequent();
    stats.typical_screen = screens.most_frequent();
    let total = members.len().max(1) as f64;
    stats.suggestion = [Leaning::Scanner, Leaning::Human]
        .into_iter()
        .find(|&l| f64::from(leanings[l as usize]) / total >= GROUP_AGREEMENT)
        .unwrap_or(Leaning::Unsure);
    stats
}

/// Counts of values in a group. Most groups (an address's accesses) hold a
/// few distinct values: a short list is searched, and a map is taken only
/// when it grows, so a million one-address groups allocate no hash maps.
enum Tally<K> {
    Few(Vec<(K, u32)>),
    Many(HashMap<K, u32>),
}

impl<K> Default for Tally<K> {
    fn default() -> Self {
        Tally::Few(Vec::new())
    }
}

impl<K: Copy + Eq + std::hash::Hash + Ord> Tally<K> {
    /// Up to this many distinct values, the list.
    const FEW: usize = 16;

    fn add(&mut self, key: K) {
        match self {
            Tally::Few(list) => {
                if let Some(entry) = list.iter_mut().find(|(k, _)| *k == key) {
                    entry.1 += 1;
                } else if list.len() < Self::FEW {
                    list.push((key, 1));
                } else {
                    let mut map: HashMap<K, u32> = list.drain(..).collect();
                    map.insert(key, 1);
                    *self = Tally::Many(map);
                }
            }
            Tally::Many(map) => *map.entry(key).or_default() += 1,
        }
    }

    /// The most frequent value; the smallest breaks ties, so the answer is
    /// stable.
    fn most_frequent(self) -> Option<K> {
        let best = |it: &mut dyn Iterator<Item = (K, u32)>| {
            it.max_by_key(|&(k, n)| (n, std::cmp::Reverse(k)))
                .map(|(k, _)| k)
        };
        match self {
            Tally::Few(list) => best(&mut list.into_iter()),
            Tally::Many(map) => best(&mut map.into_iter()),
        }
    }
}

impl Group {
    /// The group's key as the table shows it.
    pub fn label(&self, ctx: &ReviewContext<'_>) -> String {
        let campaign = &ctx.analysis.campaign;
        match self.key {
            GroupKey::Ip(ip) => campaign.ip(ip).to_string(),
            GroupKey::Network { network, estimated } => {
                if estimated {
                    format!("~{network}")
                } else {
                    network.to_string()
                }
            }
            GroupKey::Asn(Some(n)) => format!("AS{n}"),
            GroupKey::Asn(None) => "no AS".to_string(),
            GroupKey::Recipient(Some(r)) => {
                campaign.strings.get(campaign.recipient(r).name).to_string()
            }
            GroupKey::Recipient(None) => "(no recipient)".to_string(),
        }
    }

    /// Who owns the group's addresses, from its first access.
    pub fn owner_label(&self, ctx: &ReviewContext<'_>) -> String {
        let Some(&first) = self.members.first() else {
            return String::new();
        };
        let ip = ctx.access(first).ip;
        match self.key {
            GroupKey::Asn(_) => {
                let owner = &ctx.analysis.owners[ip.index()];
                owner
                    .as_org
                    .as_deref()
                    .map(str::to_string)
                    .unwrap_or_else(|| ctx.owner_label(ip).into_owned())
            }
            GroupKey::Recipient(_) => String::new(),
            _ => ctx.owner_label(ip).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_counts_the_same_as_a_map_past_its_list() {
        for distinct in [1u32, 5, 16, 17, 40] {
            let mut tally: Tally<u32> = Tally::default();
            // Value v appears v + 1 times, except that 3 appears most.
            for v in 0..distinct {
                for _ in 0..=v {
                    tally.add(v);
                }
            }
            for _ in 0..100 {
                tally.add(3 % distinct);
            }
            assert_eq!(tally.most_frequent(), Some(3 % distinct), "{distinct}");
        }
        let mut tie: Tally<u32> = Tally::default();
        for v in [7, 2, 7, 2] {
            tie.add(v);
        }
        assert_eq!(tie.most_frequent(), Some(2), "the smaller breaks a tie");
        assert_eq!(Tally::<u32>::default().most_frequent(), None);
    }

    #[test]
    fn estimated_networks_are_aligned() {
        assert_eq!(
            estimated_network("203.0.113.77".parse().unwrap()).to_string(),
            "203.0.113.0/24"
        );
        assert_eq!(
            estimated_network("2001:db8:1:2::5".parse().unwrap()).to_string(),
            "2001:db8:1::/48"
        );
    }
}
