//! History: what an address — or a whole network no list names — did for
//! the other recipients. A gateway's address fetches for many recipients,
//! each within a minute or two of delivery; a company proxy or a pool of
//! virtual desktops carries many people, each minutes to days after
//! delivery. So an address that served several recipients almost always
//! late is people's shared egress (the trap of office proxies and Azure
//! Virtual Desktop), and one that served them almost always at once is a
//! scanner pool. Where delays are unknown, people still show by coming
//! spread over hours, never most of them at once.
//!
//! A scanner farm may fetch every mail from a fresh address, so the same
//! question is asked of the network (AS number) of addresses the signature
//! list does not know: that is how an unlisted vendor's data centre, or an
//! office network of many addresses, makes itself known. Listed networks
//! are left out: a cloud carries scanners and virtual desktops alike, and
//! the list already says what the others are. An address's own history
//! speaks before its network's.

use std::collections::HashMap;

use crate::model::{Access, Campaign, Event};
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};

/// Delays up to this many seconds count as "at once".
const EARLY_SECONDS: f32 = 120.0;
/// Delays from this many seconds on count as "late".
const LATE_SECONDS: f32 = 600.0;
/// The share of the recipients that must agree.
const AGREEMENT: f32 = 0.9;

/// Without delays: the middle 80 % of the recipients must span at least
/// this long to count as spread out.
const SPREAD_SPAN_SECONDS: i64 = 3600;
/// … and no window this long may hold more than half of them.
const SPREAD_WINDOW_SECONDS: i64 = 600;

/// What a group of addresses did for its recipients.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Behaviour {
    Early(u32),
    Late(u32),
    SpreadOut(u32, f32),
}

/// The history evidence of every address, indexed by `IpId`. `delay`
/// gives an access's seconds after its recipient's delivery, where known;
/// `network` the AS number of addresses the signature list does not know.
pub fn address_history(
    campaign: &Campaign,
    delay: impl Fn(&Access) -> Option<f32> + Sync,
    network: &[Option<u32>],
    sigs: &Signatures,
) -> Vec<Option<Evidence>> {
    let mut asns: HashMap<u32, u32> = HashMap::new();
    let network_of: Vec<Option<u32>> = network
        .iter()
        .map(|asn| {
            asn.map(|a| {
                let next = asns.len() as u32;
                *asns.entry(a).or_insert(next)
            })
        })
        .collect();
    let address_of: Vec<Option<u32>> = (0..campaign.ips.len() as u32).map(Some).collect();
    let (by_address, by_network) = rayon::join(
        || behaviours(campaign, &delay, &address_of, campaign.ips.len(), sigs),
        || behaviours(campaign, &delay, &network_of, asns.len(), sigs),
    );
    (0..campaign.ips.len())
        .map(|ip| {
            let (behaviour, network) = match by_address[ip] {
                Some(b) => (b, false),
                None => (by_network[network_of[ip]? as usize]?, true),
            };
            Some(evidence(behaviour, network, sigs))
        })
        .collect()
}

fn evidence(behaviour: Behaviour, network: bool, sigs: &Signatures) -> Evidence {
    let many = sigs.tuning(Tunable::HistoryManyRecipients);
    let (key, fact) = match behaviour {
        Behaviour::Early(n) => (
            if n as f32 >= many {
                Weight::AddressEarlyMany
            } else {
                Weight::AddressEarly
            },
            Fact::AddressHistory {
                recipients: n,
                early: true,
                network,
            },
        ),
        Behaviour::Late(n) => (
            if n as f32 >= many {
                Weight::AddressLateMany
            } else {
                Weight::AddressLate
            },
            Fact::AddressHistory {
                recipients: n,
                early: false,
                network,
            },
        ),
        Behaviour::SpreadOut(n, hours) => (
            if n as f32 >= many {
                Weight::AddressSpreadOutMany
            } else {
                Weight::AddressSpreadOut
            },
            Fact::AddressSpreadOut {
                recipients: n,
                hours,
                network,
            },
        ),
    };
    Evidence {
        weight: sigs.weight(key),
        fact,
    }
}

/// The behaviour of each group; `group_of` maps an `IpId` to its group.
fn behaviours(
    campaign: &Campaign,
    delay: &impl Fn(&Access) -> Option<f32>,
    group_of: &[Option<u32>],
    groups: usize,
    sigs: &Signatures,
) -> Vec<Option<Behaviour>> {
    // Each access's (group, recipient) as one key; sorted, a group's
    // recipients lie together and a pair's accesses next to each other.
    // (A hash map of pairs was the report's peak memory: 26 MB while it
    // grew, for 800,000 pairs; these keys take 12.8 MB.)
    let mut keyed: Vec<(u64, u32)> = campaign
        .accesses
        .iter()
        .enumerate()
        .filter_map(|(i, access)| {
            if access.event == Event::Report {
                return None;
            }
            let r = access.recipient()?;
            let g = group_of[access.ip.index()]?;
            Some(((u64::from(g) << 32) | u64::from(r.0), i as u32))
        })
        .collect();
    // By key alone: the order of one pair's accesses changes nothing.
    keyed.sort_unstable_by_key(|&(key, _)| key);
    let min = sigs.tuning(Tunable::AddressMinRecipients).max(2.0) as usize;
    let mut out = vec![None; groups];
    // Each recipient of the group once: its first time and earliest delay.
    let mut served: Vec<(i64, Option<f32>)> = Vec::new();
    let mut at = 0;
    while let Some(&(key, _)) = keyed.get(at) {
        let group = key >> 32;
        served.clear();
        while let Some(&(pair, _)) = keyed.get(at).filter(|(k, _)| k >> 32 == group) {
            let mut first = i64::MAX;
            let mut earliest: Option<f32> = None;
            while let Some(&(_, i)) = keyed.get(at).filter(|(k, _)| *k == pair) {
                let access = &campaign.accesses[i as usize];
                first = first.min(access.time.as_nanos());
                earliest = match (earliest, delay(access)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                at += 1;
            }
            served.push((first, earliest));
        }
        out[group as usize] = behaviour(&mut served, min);
    }
    out
}

/// How a group's recipients (first time, earliest delay) behave, if alike.
fn behaviour(served: &mut [(i64, Option<f32>)], min: usize) -> Option<Behaviour> {
    let n = served.len();
    if n < min {
        return None;
    }
    let agree = |k: usize| k as f32 >= AGREEMENT * n as f32;
    let known: Vec<f32> = served.iter().filter_map(|&(_, d)| d).collect();
    if agree(known.iter().filter(|&&d| d >= LATE_SECONDS).count()) {
        Some(Behaviour::Late(n as u32))
    } else if agree(known.iter().filter(|&&d| d <= EARLY_SECONDS).count()) {
        Some(Behaviour::Early(n as u32))
    } else if agree(n - known.len()) {
        served.sort_unstable_by_key(|&(t, _)| t);
        let times: Vec<i64> = served.iter().map(|&(t, _)| t).collect();
        spread_out(&times).map(|hours| Behaviour::SpreadOut(n as u32, hours))
    } else {
        None
    }
}

/// For recipients whose delays are unknown: the hours they span when they
/// came spread out — a proxy's people reading mail through the day — and
/// `None` when they came bunched, as a gateway's fetches of one send do.
fn spread_out(sorted_nanos: &[i64]) -> Option<f32> {
    let n = sorted_nanos.len();
    let span = sorted_nanos[(n - 1) * 9 / 10] - sorted_nanos[(n - 1) / 10];
    if span < SPREAD_SPAN_SECONDS * 1_000_000_000 {
        return None;
    }
    let window = SPREAD_WINDOW_SECONDS * 1_000_000_000;
    let mut densest = 0;
    let mut lo = 0;
    for hi in 0..n {
        while sorted_nanos[hi] - sorted_nanos[lo] > window {
            lo += 1;
        }
        densest = densest.max(hi - lo + 1);
    }
    (densest * 2 <= n).then(|| (sorted_nanos[n - 1] - sorted_nanos[0]) as f32 / 3.6e12)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogFormat, NewAccess, Timestamp};

    const MIN: i64 = 60_000_000_000;

    #[test]
    fn people_through_the_day_are_spread_out_and_a_send_is_not() {
        let day: Vec<i64> = [0, 20, 45, 90, 160, 250, 400, 610]
            .iter()
            .map(|m| m * MIN)
            .collect();
        assert!(spread_out(&day).is_some_and(|h| h > 10.0));
        // Eight recipients within three minutes: one send.
        let send: Vec<i64> = (0..8).map(|k| k * 20_000_000_000).collect();
        assert_eq!(spread_out(&send), None);
        // Spread over hours, but most of them in one ten-minute burst.
        let bunched: Vec<i64> = [0, 1, 2, 3, 4, 5, 300, 600]
            .iter()
            .map(|m| m * MIN)
            .collect();
        assert_eq!(spread_out(&bunched), None);
    }

    /// Each access: (address octet, recipient, seconds after delivery at 0).
    fn campaign(accesses: &[(u8, usize, i64)]) -> Campaign {
        let mut c = Campaign::new();
        let file = c.add_file("t", LogFormat::Native);
        for &(octet, r, t) in accesses {
            c.add_access(
                file,
                NewAccess {
                    time: Timestamp::from_seconds(t).unwrap(),
                    ip: format!("192.0.2.{octet}").parse().unwrap(),
                    recipient: Some(&format!("r{r}")),
                    ..NewAccess::default()
                },
            );
        }
        c
    }

    #[test]
    fn an_unlisted_network_of_fresh_addresses_shows_as_a_whole() {
        let sigs = Signatures::builtin().unwrap();
        // A farm fetching each recipient from a new address within seconds,
        // and one office address serving people hours later.
        let mut accesses: Vec<(u8, usize, i64)> =
            (0..6).map(|r| (10 + r as u8, r, 5 + r as i64)).collect();
        accesses.extend((0..4).map(|r| (200, r, 4_000 + 900 * r as i64)));
        let c = campaign(&accesses);
        let delay = |a: &Access| Some(a.time.as_seconds() as f32);
        let farm = Some(64_500);
        let mut network: Vec<Option<u32>> = vec![farm; 6];
        network.push(Some(64_501));
        let h = address_history(&c, delay, &network, &sigs);
        assert_eq!(
            h[0].map(|e| e.fact),
            Some(Fact::AddressHistory {
                recipients: 6,
                early: true,
                network: true
            })
        );
        assert_eq!(
            h[6].map(|e| e.fact),
            Some(Fact::AddressHistory {
                recipients: 4,
                early: false,
                network: false
            })
        );
        // A listed network (no AS given here) says nothing as a whole.
        let h = address_history(&c, delay, &[None; 7], &sigs);
        assert_eq!(h[0], None);
    }
}
