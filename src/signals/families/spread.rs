//! Spread: one address reaching several recipients within seconds. A
//! gateway fetching a send's mails does exactly that; a company proxy also
//! carries many recipients, but spread over minutes and hours. So a window
//! only counts when it holds far more recipients than the address's own
//! average rate would put there.

use std::collections::HashMap;

use crate::model::Campaign;
use crate::signals::evidence::{Evidence, Fact};
use crate::signals::signatures::{Signatures, Tunable, Weight};

/// The least span over which an address's average rate is taken, so that a
/// scanner active for two minutes is not judged by its own burst alone.
const MIN_SPAN_SECONDS: f64 = 3600.0;

/// For each access: how many distinct recipients its address reached
/// within the window around it, when that many is unusual; else 0.
pub fn ip_spread(campaign: &Campaign, by_ip_time: &[u32], sigs: &Signatures) -> Vec<u16> {
    let accesses = &campaign.accesses;
    let mut out = vec![0u16; accesses.len()];
    let window = (sigs.tuning(Tunable::IpSpreadWindow).max(0.0) as f64 * 1e9) as i64;
    let min = sigs.tuning(Tunable::IpSpreadMin).max(2.0) as usize;
    let excess = sigs.tuning(Tunable::IpSpreadExcess).max(1.0) as f64;
    let mut in_window: HashMap<u32, u32> = HashMap::new();
    for group in by_ip_time.chunk_by(|&a, &b| accesses[a as usize].ip == accesses[b as usize].ip) {
        if group.len() < min {
            continue;
        }
        let time = |k: usize| accesses[group[k] as usize].time.as_nanos();
        let with_recipient = group
            .iter()
            .filter(|&&i| accesses[i as usize].recipient().is_some())
            .count();
        if with_recipient < min {
            continue;
        }
        let span = ((time(group.len() - 1) - time(0)) as f64 / 1e9).max(MIN_SPAN_SECONDS);
        let expected = with_recipient as f64 / span * (2 * window) as f64 / 1e9;
        let needed = (min as f64).max(excess * expected).ceil() as usize;
        in_window.clear();
        let (mut lo, mut hi) = (0, 0);
        for k in 0..group.len() {
            let t = time(k);
            while hi < group.len() && time(hi) <= t + window {
                if let Some(r) = accesses[group[hi] as usize].recipient() {
                    *in_window.entry(r.0).or_insert(0) += 1;
                }
                hi += 1;
            }
            while time(lo) < t - window {
                if let Some(r) = accesses[group[lo] as usize].recipient()
                    && let Some(c) = in_window.get_mut(&r.0)
                {
                    *c -= 1;
                    if *c == 0 {
                        in_window.remove(&r.0);
                    }
                }
                lo += 1;
            }
            if in_window.len() >= needed {
                out[group[k] as usize] = in_window.len().min(u16::MAX as usize) as u16;
            }
        }
    }
    out
}

/// The evidence of an access whose address reached `reached` recipients
/// around it ([`ip_spread`]); none when that many is not unusual (0).
pub fn spread_evidence(reached: u16, sigs: &Signatures) -> Option<Evidence> {
    if reached == 0 {
        return None;
    }
    let many = f32::from(reached) >= sigs.tuning(Tunable::IpSpreadMany);
    Some(Evidence {
        weight: sigs.weight(if many {
            Weight::IpSpreadMany
        } else {
            Weight::IpSpread
        }),
        fact: Fact::IpSpread {
            recipients: reached,
            window: sigs.tuning(Tunable::IpSpreadWindow).max(0.0) as u16,
        },
    })
}
