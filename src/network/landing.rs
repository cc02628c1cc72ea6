//! Which host in the proxy log is the landing page. Given (`--landing-host`)
//! it is simply that; otherwise the host whose requests carry the
//! campaign's recipient ids, else the host whose requests line up in time
//! with the campaign's accesses. A busy site lines up with some accesses by
//! chance, so alignment is weighed by the share of the host's own requests
//! that line up: the landing page's requests nearly all do.

use std::collections::HashMap;

use crate::model::{Campaign, Sym};

/// The host's symbol, if the proxy log names it.
pub fn given(campaign: &Campaign, host: &str) -> Option<Sym> {
    let host = host.trim().to_ascii_lowercase();
    let host = host
        .split_once("://")
        .map_or(host.as_str(), |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_string();
    campaign.strings.find(&host)
}

/// The learned landing host, or `None` when nothing lines up.
pub fn learn(campaign: &Campaign, window_ms: i64) -> Option<Sym> {
    let proxy = &campaign.network.proxy;
    let mut with_ids: HashMap<Sym, usize> = HashMap::new();
    for r in proxy.iter().filter(|r| r.rid != Sym::EMPTY) {
        if campaign
            .find_recipient(campaign.strings.get(r.rid))
            .is_some()
        {
            *with_ids.entry(r.host).or_default() += 1;
        }
    }
    if let Some(best) = best_of(&with_ids, campaign) {
        return Some(best);
    }
    let window = window_ms * 1_000_000;
    let access_times: Vec<i64> = campaign
        .accesses
        .iter()
        .map(|a| a.time.as_nanos())
        .collect();
    let near_access = |t: i64| {
        let from = access_times.partition_point(|&a| a < t - window);
        access_times.get(from).is_some_and(|&a| a <= t + window)
    };
    let mut total: HashMap<Sym, usize> = HashMap::new();
    let mut aligned: HashMap<Sym, usize> = HashMap::new();
    for r in proxy {
        *total.entry(r.host).or_default() += 1;
        if near_access(r.time.as_nanos()) {
            *aligned.entry(r.host).or_default() += 1;
        }
    }
    let scores: HashMap<Sym, f64> = aligned
        .iter()
        .map(|(&host, &n)| {
            let share = n as f64 / total[&host] as f64;
            (host, n as f64 * share)
        })
        .collect();
    scores
        .iter()
        .max_by(|a, b| {
            a.1.total_cmp(b.1)
                .then_with(|| campaign.strings.get(*b.0).cmp(campaign.strings.get(*a.0)))
        })
        .map(|(&host, _)| host)
}

fn best_of(counts: &HashMap<Sym, usize>, campaign: &Campaign) -> Option<Sym> {
    counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| campaign.strings.get(*b.0).cmp(campaign.strings.get(*a.0)))
        })
        .map(|(&host, _)| host)
}
