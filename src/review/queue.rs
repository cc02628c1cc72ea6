//! The review queue: the recipients left unsure (an unsure click or submit
//! and no human one), ordered by how much deciding them can move the human
//! click rate.
//!
//! One recipient decided moves the rate by one recipient's share. But the
//! analyst decides an address (or a network) at a time, and an address
//! shared by many unsure recipients settles all of them at once; so a
//! recipient's impact is the number of unsure recipients whose unsure
//! clicks came from the addresses of its own (itself included). Within the
//! same impact, the earliest unsure click comes first, as in the screen's
//! sorted group views, so the report's queue and the screen's agree.

use std::collections::HashMap;

use super::context::ReviewContext;
use crate::model::{Event, IpId, Leaning, RecipientId};

/// Which recipients are unsure, and from which addresses their unsure
/// clicks came: built once per campaign state (O(accesses)).
#[derive(Clone, Debug, Default)]
pub struct UnsureIndex {
    /// Per recipient: an unsure click and no human one.
    unsure: Vec<bool>,
    /// Unsure recipients by the address of their unsure clicks, each list
    /// without repeats.
    by_ip: HashMap<IpId, Vec<RecipientId>>,
    /// Per recipient: the addresses of its unsure clicks.
    ips_of: HashMap<RecipientId, Vec<IpId>>,
}

impl UnsureIndex {
    pub fn new(ctx: &ReviewContext<'_>) -> Self {
        let n = ctx.analysis.campaign.recipients.len();
        let mut human = vec![false; n];
        let mut unsure = vec![false; n];
        let mut pairs: Vec<(RecipientId, IpId)> = Vec::new();
        for i in 0..ctx.len() as u32 {
            let a = ctx.access(i);
            let (Some(r), Event::Click | Event::Submit) = (a.recipient(), a.event) else {
                continue;
            };
            match ctx.effective(i) {
                Leaning::Human => human[r.index()] = true,
                Leaning::Unsure => {
                    unsure[r.index()] = true;
                    pairs.push((r, a.ip));
                }
                Leaning::Scanner => {}
            }
        }
        for (u, h) in unsure.iter_mut().zip(&human) {
            *u &= !*h;
        }
        pairs.retain(|(r, _)| unsure[r.index()]);
        pairs.sort_unstable();
        pairs.dedup();
        let mut by_ip: HashMap<IpId, Vec<RecipientId>> = HashMap::new();
        let mut ips_of: HashMap<RecipientId, Vec<IpId>> = HashMap::new();
        for &(r, ip) in &pairs {
            by_ip.entry(ip).or_default().push(r);
            ips_of.entry(r).or_default().push(ip);
        }
        UnsureIndex {
            unsure,
            by_ip,
            ips_of,
        }
    }

    /// Whether `r` is left unsure.
    pub fn is_unsure(&self, r: RecipientId) -> bool {
        self.unsure.get(r.index()).copied().unwrap_or(false)
    }

    /// How many unsure recipients deciding `r`'s addresses settles; 0 when
    /// `r` is not unsure.
    pub fn impact_of(&self, r: RecipientId) -> usize {
        let Some(ips) = self.ips_of.get(&r) else {
            return 0;
        };
        let mut reached: Vec<RecipientId> = ips
            .iter()
            .flat_map(|ip| self.by_ip.get(ip).into_iter().flatten().copied())
            .collect();
        reached.sort_unstable();
        reached.dedup();
        reached.len()
    }

    /// How many unsure recipients have an unsure click among `members`
    /// (a group of accesses an address, network or AS rule would decide).
    pub fn impact_within(&self, ctx: &ReviewContext<'_>, members: &[u32]) -> usize {
        let mut reached: Vec<RecipientId> = members
            .iter()
            .filter(|&&i| ctx.effective(i) == Leaning::Unsure)
            .filter_map(|&i| {
                let a = ctx.access(i);
                let r = a.recipient()?;
                (matches!(a.event, Event::Click | Event::Submit) && self.is_unsure(r)).then_some(r)
            })
            .collect();
        reached.sort_unstable();
        reached.dedup();
        reached.len()
    }

    /// The number of unsure recipients.
    pub fn len(&self) -> usize {
        self.unsure.iter().filter(|&&u| u).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One recipient in the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueEntry {
    pub recipient: RecipientId,
    /// Unsure recipients that deciding this one's addresses settles (itself
    /// included): the rate can move by this many recipients' share.
    pub impact: usize,
    /// Its unsure clicks and submits, in log order.
    pub accesses: Vec<u32>,
    /// The addresses they came from.
    pub ips: Vec<IpId>,
    /// The unsure click whose suggestion is least sure (score nearest 0):
    /// the one to look at first.
    pub first_look: u32,
}

/// The unsure recipients, most impact first, then by their earliest unsure
/// click (then by id, so the order is stable).
pub fn review_queue(ctx: &ReviewContext<'_>) -> Vec<QueueEntry> {
    let index = UnsureIndex::new(ctx);
    let suggestions = ctx.analysis.suggestions();
    let mut accesses: HashMap<RecipientId, Vec<u32>> = HashMap::new();
    for i in 0..ctx.len() as u32 {
        let a = ctx.access(i);
        if let (Some(r), Event::Click | Event::Submit) = (a.recipient(), a.event)
            && index.is_unsure(r)
            && ctx.effective(i) == Leaning::Unsure
        {
            accesses.entry(r).or_default().push(i);
        }
    }
    let openness = |i: u32| suggestions.get(i as usize).map_or(0.0, |s| s.score.abs());
    let mut entries: Vec<QueueEntry> = accesses
        .into_iter()
        .map(|(recipient, accesses)| {
            let first_look = accesses
                .iter()
                .copied()
                .min_by(|&x, &y| openness(x).total_cmp(&openness(y)).then(x.cmp(&y)))
                .unwrap_or_default();
            let mut ips: Vec<IpId> = accesses.iter().map(|&i| ctx.ip_of(i)).collect();
            ips.sort_unstable();
            ips.dedup();
            QueueEntry {
                recipient,
                impact: index.impact_of(recipient),
                accesses,
                ips,
                first_look,
            }
        })
        .collect();
    let earliest = |e: &QueueEntry| e.accesses.iter().filter_map(|&i| ctx.time_of(i)).min();
    entries.sort_by(|a, b| {
        b.impact
            .cmp(&a.impact)
            .then_with(|| earliest(a).cmp(&earliest(b)))
            .then(a.recipient.cmp(&b.recipient))
    });
    entries
}
