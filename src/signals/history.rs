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

/// The history evidence of every address, indexed by `IpId`. `delay`
/// gives an access's seconds after its recipient's delivery, where known.
pub fn address_history(
    campaign: &Campaign,
    delay: impl Fn(&Access) -> Option<f32>,
    sigs: &Signatures,
) -> Vec<Option<Evidence>> {
    // Each (address, recipient) pair once, with its earliest delay.
    let mut first: HashMap<(u32, u32), f32> = HashMap::new();
    for access in &campaign.accesses {
        if access.event == Event::Report {
            continue;
        }
        let Some(r) = access.recipient() else {
            continue;
        };
        let Some(delay) = delay(access) else {
            continue;
        };
        first
            .entry((access.ip.0, r.0))
            .and_modify(|v| *v = v.min(delay))
            .or_insert(delay);
    }
    let mut tally = vec![(0u32, 0u32, 0u32); campaign.ips.len()];
    for (&(ip, _), &delay) in &first {
        let t = &mut tally[ip as usize];
        t.0 += 1;
        if delay <= EARLY_SECONDS {
            t.1 += 1;
        } else if delay >= LATE_SECONDS {
            t.2 += 1;
        }
    }
    let min = sigs.t(T::AddressMinRecipients).max(2.0) as u32;
    tally
        .into_iter()
        .map(|(n, early, late)| {
            if n < min {
                return None;
            }
            let share = |k: u32| k as f32 / n as f32;
            let (key, is_early) = if share(late) >= AGREEMENT {
                (W::AddressLate, false)
            } else if share(early) >= AGREEMENT {
                (W::AddressEarly, true)
            } else {
                return None;
            };
            Some(Evidence {
                weight: sigs.w(key),
                fact: Fact::AddressHistory {
                    recipients: n,
                    early: is_early,
                },
            })
        })
        .collect()
}
