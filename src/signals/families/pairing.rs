//! What happens around one recipient within seconds. Two patterns:
//!
//! * Pairing: a click-time scanner (Safe Links time-of-click, Proofpoint
//!   URL Defense, Check Point emulation…) fetches the link at the moment a
//!   person clicks it, from another network. A machine-looking access right
//!   next to a person-looking one is therefore evidence for both: the
//!   person clicked, and the other access is the check of that click.
//! * Bursts: several accesses for one recipient within a few seconds from
//!   several addresses, none of which looks like a person: gateways
//!   detonating the link in parallel.
//!
//! Both read the scores of the first pass (every other signal), so this
//! runs between the passes.

use std::collections::HashMap;

use crate::model::{Campaign, Event, IpId};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};

/// The longest cluster in which pairs are looked for.
const MAX_PAIRING_CLUSTER: usize = 64;

/// The group fact of one access.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum GroupFact {
    #[default]
    None,
    Burst {
        accesses: u16,
        addresses: u16,
    },
    /// This person-looking access has a machine fetch `gap` seconds away.
    WithMachine {
        gap: f32,
    },
    /// This machine-looking access is `gap` seconds from a person-looking one.
    WithHuman {
        gap: f32,
    },
}

impl GroupFact {
    /// The evidence the group fact is, added in the second pass.
    pub fn evidence(self, sigs: &Signatures) -> Option<Evidence> {
        match self {
            GroupFact::None => None,
            GroupFact::Burst {
                accesses,
                addresses,
            } => Some(Evidence {
                weight: sigs.weight(Weight::RecipientBurst),
                fact: Fact::RecipientBurst {
                    accesses,
                    addresses,
                    window: sigs.tuning(Tunable::RecipientBurstWindow).max(0.0) as u16,
                },
            }),
            GroupFact::WithMachine { gap } => Some(Evidence {
                weight: sigs.weight(Weight::PairedWithMachine),
                fact: Fact::PairedWithMachine { gap },
            }),
            GroupFact::WithHuman { gap } => Some(Evidence {
                weight: sigs.weight(Weight::PairedWithHuman),
                fact: Fact::PairedWithHuman { gap },
            }),
        }
    }
}

/// Group facts for every access, from the first-pass `scores`.
pub fn group_facts(
    campaign: &Campaign,
    by_recipient_time: &[u32],
    scores: &[f32],
    sigs: &Signatures,
) -> Vec<GroupFact> {
    let accesses = &campaign.accesses;
    let mut out = vec![GroupFact::None; accesses.len()];
    let window = (sigs.tuning(Tunable::PairingWindow).max(0.0) as f64 * 1e9) as i64;
    let burst_window = (sigs.tuning(Tunable::RecipientBurstWindow).max(0.0) as f64 * 1e9) as i64;
    let burst_min = sigs.tuning(Tunable::RecipientBurstMin).max(2.0) as usize;
    let human_max = sigs.tuning(Tunable::PairingHumanMax);
    let margin = sigs.tuning(Tunable::PairingMargin);
    let recipient_of = |i: u32| accesses[i as usize].recipient();
    let mut cluster: Vec<u32> = Vec::new();
    for group in by_recipient_time.chunk_by(|&a, &b| recipient_of(a) == recipient_of(b)) {
        if group.len() < 2 || recipient_of(group[0]).is_none() {
            continue;
        }
        // Clusters: accesses chained by gaps of at most the pairing window.
        let mut start = 0;
        for k in 1..=group.len() {
            let split = k == group.len()
                || accesses[group[k] as usize].time.as_nanos()
                    - accesses[group[k - 1] as usize].time.as_nanos()
                    > window;
            if !split {
                continue;
            }
            cluster.clear();
            cluster.extend(
                group[start..k]
                    .iter()
                    .copied()
                    .filter(|&i| accesses[i as usize].event != Event::Report),
            );
            start = k;
            if cluster.len() >= 2 {
                judge_cluster(
                    campaign,
                    &cluster,
                    scores,
                    (window, burst_window, burst_min, human_max, margin),
                    &mut out,
                );
            }
        }
    }
    out
}

fn judge_cluster(
    campaign: &Campaign,
    cluster: &[u32],
    scores: &[f32],
    (window, burst_window, burst_min, human_max, margin): (i64, i64, usize, f32, f32),
    out: &mut [GroupFact],
) {
    let accesses = &campaign.accesses;
    let t = |i: u32| accesses[i as usize].time.as_nanos();
    let ip = |i: u32| accesses[i as usize].ip;
    let s = |i: u32| scores[i as usize];
    let gap = |a: u32, b: u32| ((t(a) - t(b)).abs() as f64 / 1e9) as f32;
    // A person's click and its checks are a handful of accesses; a longer
    // chain is a storm of fetches, judged as a burst only (and pairing
    // would cost the square of its length).
    let mut paired = false;
    if cluster.len() <= MAX_PAIRING_CLUSTER {
        // The person is the lowest-scoring access (and any close to it,
        // such as a second click): a check that merely scores below the
        // threshold is still no person.
        let lowest = cluster.iter().map(|&i| s(i)).fold(f32::INFINITY, f32::min);
        for &x in cluster {
            if s(x) > human_max || s(x) > lowest + margin / 2.0 {
                continue;
            }
            let machine = cluster
                .iter()
                .copied()
                .filter(|&m| {
                    ip(m) != ip(x) && s(m) >= s(x) + margin && (t(m) - t(x)).abs() <= window
                })
                .min_by(|&a, &b| gap(a, x).total_cmp(&gap(b, x)));
            if let Some(m) = machine {
                paired = true;
                out[x as usize] = GroupFact::WithMachine { gap: gap(m, x) };
            }
        }
        for &m in cluster {
            if matches!(out[m as usize], GroupFact::WithMachine { .. }) {
                continue;
            }
            let person = cluster
                .iter()
                .copied()
                .filter(|&x| {
                    matches!(out[x as usize], GroupFact::WithMachine { .. })
                        && ip(m) != ip(x)
                        && s(m) >= s(x) + margin
                        && (t(m) - t(x)).abs() <= window
                })
                .min_by(|&a, &b| gap(a, m).total_cmp(&gap(b, m)));
            if let Some(x) = person {
                out[m as usize] = GroupFact::WithHuman { gap: gap(m, x) };
            }
        }
    }
    if paired {
        return;
    }
    // Bursts: two pointers over the time-ordered cluster, counting the
    // addresses inside the window around each access.
    let mut addresses: HashMap<IpId, u32> = HashMap::new();
    let (mut lo, mut hi) = (0, 0);
    for k in 0..cluster.len() {
        let now = t(cluster[k]);
        while hi < cluster.len() && t(cluster[hi]) <= now + burst_window {
            *addresses.entry(ip(cluster[hi])).or_insert(0) += 1;
            hi += 1;
        }
        while t(cluster[lo]) < now - burst_window {
            if let Some(c) = addresses.get_mut(&ip(cluster[lo])) {
                *c -= 1;
                if *c == 0 {
                    addresses.remove(&ip(cluster[lo]));
                }
            }
            lo += 1;
        }
        if hi - lo >= burst_min && addresses.len() >= 2 {
            out[cluster[k] as usize] = GroupFact::Burst {
                accesses: (hi - lo).min(u16::MAX as usize) as u16,
                addresses: addresses.len().min(u16::MAX as usize) as u16,
            };
        }
    }
}
