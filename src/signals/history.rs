//! Address history: what an address did for the other recipients. A
//! gateway's address fetches for many recipients, each within a minute or
//! two of delivery; a company proxy or a pool of virtual desktops carries
//! many people, each minutes to days after delivery. So an address that
//! served several recipients almost always late is people's shared egress
//! (the trap of office proxies and Azure Virtual Desktop), and one that
//! served them almost always at once is a scanner pool.

use std::collections::HashMap;

use super::fact::{Evidence, Fact};
use super::params::{T, W};
use super::signatures::Signatures;
use crate::model::{Access, Campaign, Event};

/// Delays up to this many seconds count as "at once".
const EARLY_SECONDS: f32 = 120.0;
/// Delays from this many seconds on count as "late".
const LATE_SECONDS: f32 = 600.0;
/// The share of an address's recipients that must agree.
const AGREEMENT: f32 = 0.9;

/// Without delays: the middle 80 % of an address's recipients must span
/// at least this long to count as spread out.
const SPREAD_SPAN_SECONDS: i64 = 3600;
/// … and no window this long may hold more than half of them.
const SPREAD_WINDOW_SECONDS: i64 = 600;

/// The history evidence of every address, indexed by `IpId`. `delay`
/// gives an access's seconds after its recipient's delivery, where known.
pub fn address_history(
    campaign: &Campaign,
    delay: impl Fn(&Access) -> Option<f32>,
    sigs: &Signatures,
) -> Vec<Option<Evidence>> {
    // Each (address, recipient) pair once: its first time and earliest delay.
    let mut pairs: HashMap<(u32, u32), (i64, Option<f32>)> = HashMap::new();
    for access in &campaign.accesses {
        if access.event == Event::Report {
            continue;
        }
        let Some(r) = access.recipient() else {
            continue;
        };
        let t = access.time.as_nanos();
        let d = delay(access);
        pairs
            .entry((access.ip.0, r.0))
            .and_modify(|(first, earliest)| {
                *first = (*first).min(t);
                *earliest = match (*earliest, d) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            })
            .or_insert((t, d));
    }
    let mut by_ip: Vec<Vec<(i64, Option<f32>)>> = vec![Vec::new(); campaign.ips.len()];
    for (&(ip, _), &pair) in &pairs {
        by_ip[ip as usize].push(pair);
    }
    drop(pairs);
    let min = sigs.t(T::AddressMinRecipients).max(2.0) as usize;
    by_ip
        .into_iter()
        .map(|mut served| {
            let n = served.len();
            if n < min {
                return None;
            }
            let agree = |k: usize| k as f32 >= AGREEMENT * n as f32;
            let known: Vec<f32> = served.iter().filter_map(|&(_, d)| d).collect();
            let (key, fact) = if agree(known.iter().filter(|&&d| d >= LATE_SECONDS).count()) {
                (W::AddressLate, history(n, false))
            } else if agree(known.iter().filter(|&&d| d <= EARLY_SECONDS).count()) {
                (W::AddressEarly, history(n, true))
            } else if agree(n - known.len()) {
                served.sort_unstable_by_key(|&(t, _)| t);
                let times: Vec<i64> = served.iter().map(|&(t, _)| t).collect();
                let hours = spread_out(&times)?;
                (
                    W::AddressSpreadOut,
                    Fact::AddressSpreadOut {
                        recipients: n as u32,
                        hours,
                    },
                )
            } else {
                return None;
            };
            Some(Evidence {
                weight: sigs.w(key),
                fact,
            })
        })
        .collect()
}

fn history(recipients: usize, early: bool) -> Fact {
    Fact::AddressHistory {
        recipients: recipients as u32,
        early,
    }
}

/// For an address whose recipients' delays are unknown: the hours its
/// recipients span when they came spread out — a proxy's people reading
/// mail through the day — and `None` when they came bunched, as a
/// gateway's fetches of one send do.
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
}
