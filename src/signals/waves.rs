//! Delivery times: known from the log (GoPhish `Email Sent`, native
//! `sent_at`), or estimated from the campaign itself when the log has none.
//!
//! The estimate rests on one observation: gateways fetch every delivered
//! mail within seconds, so right after a send the first accesses of many
//! recipients arrive far faster than people ever click. Such a dense run is
//! a send wave, and its start is taken as the delivery time of its members.
//! Recipients whose first access falls outside every wave are taken to have
//! been delivered by the earliest wave before it — the earliest plausible
//! time, so the estimated delay is long and never makes a person look fast.

use crate::model::{Campaign, Event, Timestamp};

use super::params::T;
use super::signatures::Signatures;

/// First accesses closer than this chain into one candidate run.
const CHAIN_GAP_NANOS: i64 = 5_000_000_000;
/// The span around a run whose first accesses give the background rate.
const BACKGROUND_NANOS: i64 = 30 * 60 * 1_000_000_000;

/// When a recipient's mail arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub at: Timestamp,
    pub estimated: bool,
}

/// A send wave found in the campaign's first accesses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wave {
    pub start: Timestamp,
    pub end: Timestamp,
    pub recipients: u32,
}

/// Each recipient's delivery (known or estimated), and the waves found.
pub fn deliveries(campaign: &Campaign, sigs: &Signatures) -> (Vec<Option<Delivery>>, Vec<Wave>) {
    let mut first: Vec<Option<Timestamp>> = vec![None; campaign.recipients.len()];
    for access in &campaign.accesses {
        if access.event == Event::Report {
            continue;
        }
        if let Some(r) = access.recipient() {
            let slot = &mut first[r.index()];
            if slot.is_none_or(|t| access.time < t) {
                *slot = Some(access.time);
            }
        }
    }
    let mut out: Vec<Option<Delivery>> = campaign
        .recipients
        .iter()
        .map(|r| {
            r.sent_at.map(|at| Delivery {
                at,
                estimated: false,
            })
        })
        .collect();
    // Only recipients without a known delivery need (and inform) the estimate.
    let mut unknown: Vec<(Timestamp, usize)> = first
        .iter()
        .enumerate()
        .filter(|(r, _)| out[*r].is_none())
        .filter_map(|(r, t)| t.map(|t| (t, r)))
        .collect();
    if unknown.is_empty() {
        return (out, Vec::new());
    }
    unknown.sort_unstable();
    let waves = find_waves(&unknown, sigs);
    if waves.is_empty() {
        return (out, waves);
    }
    for &(t, r) in &unknown {
        let containing = waves.iter().find(|w| w.start <= t && t <= w.end);
        let wave = containing.or_else(|| waves.iter().find(|w| w.start <= t));
        if let Some(w) = wave {
            out[r] = Some(Delivery {
                at: w.start,
                estimated: true,
            });
        }
    }
    (out, waves)
}

/// Dense runs of first accesses, merged when close together.
fn find_waves(sorted: &[(Timestamp, usize)], sigs: &Signatures) -> Vec<Wave> {
    let min_members = sigs.t(T::WaveMinRecipients).max(2.0) as usize;
    let density = sigs.t(T::WaveDensity).max(1.0) as f64;
    let merge_gap = (sigs.t(T::WaveWindow).max(0.0) as f64 * 1e9) as i64;
    let times: Vec<i64> = sorted.iter().map(|(t, _)| t.as_nanos()).collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=times.len() {
        if i == times.len() || times[i] - times[i - 1] > CHAIN_GAP_NANOS {
            if i - start >= min_members {
                runs.push((start, i));
            }
            start = i;
        }
    }
    let mut waves: Vec<Wave> = Vec::new();
    for (lo, hi) in runs {
        let members = hi - lo;
        let span = ((times[hi - 1] - times[lo]) as f64 / 1e9).max(1.0);
        let rate = (members - 1) as f64 / span;
        let centre = times[lo] + (times[hi - 1] - times[lo]) / 2;
        let around = times.partition_point(|&t| t < centre + BACKGROUND_NANOS)
            - times.partition_point(|&t| t < centre - BACKGROUND_NANOS);
        // The run itself counts in its surroundings: an hour of steady
        // clicking then compares with itself and is no wave.
        let background = around.max(1) as f64 / (2.0 * BACKGROUND_NANOS as f64 / 1e9);
        if rate < density * background {
            continue;
        }
        let (s, e) = (
            Timestamp::from_nanos(times[lo]),
            Timestamp::from_nanos(times[hi - 1]),
        );
        match waves.last_mut() {
            Some(last) if times[lo] - last.end.as_nanos() <= merge_gap => {
                last.end = e;
                last.recipients += members as u32;
            }
            _ => waves.push(Wave {
                start: s,
                end: e,
                recipients: members as u32,
            }),
        }
    }
    waves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Access, NO_EXTRA, Sym, recipient_raw};

    fn campaign(firsts: &[i64]) -> Campaign {
        let mut c = Campaign::new();
        let ip = c.intern_ip("192.0.2.1".parse().unwrap());
        let ua = c.intern_user_agent("");
        for (i, &t) in firsts.iter().enumerate() {
            let r = c.intern_recipient(&format!("r{i}"));
            c.accesses.push(Access {
                time: Timestamp::from_seconds(t).unwrap(),
                ip,
                user_agent: ua,
                recipient_raw: recipient_raw(Some(r)),
                method: Sym::EMPTY,
                extra: NO_EXTRA,
                row: i as u32 + 1,
                line: i as u32 + 2,
                screen: None,
                file: 0,
                event: Event::Click,
            });
        }
        c
    }

    #[test]
    fn a_burst_of_first_accesses_is_a_wave() {
        let sigs = Signatures::builtin().unwrap();
        // 20 recipients fetched within 12 s, then people over hours.
        let mut times: Vec<i64> = (0..20).map(|i| 1_000 + i * 3 / 5).collect();
        times.extend((0..40).map(|i| 2_000 + i * 400));
        let (d, waves) = deliveries(&campaign(&times), &sigs);
        assert_eq!(waves.len(), 1);
        assert_eq!(waves[0].start.as_seconds(), 1_000);
        assert_eq!(waves[0].recipients, 20);
        assert!(
            d.iter()
                .all(|d| d.is_some_and(|d| d.estimated && d.at.as_seconds() == 1_000))
        );
    }

    #[test]
    fn people_at_a_busy_hour_are_no_wave() {
        let sigs = Signatures::builtin().unwrap();
        // One click every 4 s for an hour: busy, but no faster than its surroundings.
        let times: Vec<i64> = (0..900).map(|i| 10_000 + i * 4).collect();
        let (d, waves) = deliveries(&campaign(&times), &sigs);
        assert!(waves.is_empty());
        assert!(d.iter().all(Option::is_none));
    }
}
