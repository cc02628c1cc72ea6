//! Delivery times: known from the log (GoPhish `Email Sent`, native
//! `sent_at` or `sent` rows), or estimated from the campaign itself when the
//! log has none.
//!
//! The estimate rests on how gateways behave: they fetch every delivered
//! mail within seconds, so while mail goes out, recipients' *first*
//! accesses come one after another from machines — vendor networks, stale
//! or empty User-Agents, headless screens — far faster than the first
//! accesses around them. Such a run is a send wave: a burst send makes a
//! short one, a send spread over an hour a long, steady one. A wave is only
//! believed when a large share of its first accesses are machines by what
//! they are, not by when they came: people reading mail early come in a
//! swell too — all from a cloud when the company works on virtual desktops —
//! but as people. The wave then speaks for the first accesses in it that
//! look like nothing in particular (a gateway's current browser on a cloud).
//!
//! A recipient whose first access falls inside a wave was delivered during
//! it. Its estimated delivery is the wave's start, or for a long wave a
//! gateway's delay before that first access — the earliest plausible time,
//! so estimated delays are long and never make a person look fast. A
//! recipient whose first access falls outside every wave is taken to have
//! been delivered by the earliest wave before it.

use crate::model::{Campaign, Event, Timestamp};
use crate::signals::signatures::{Signatures, Tunable};

/// The surroundings of a run whose first accesses give the background rate.
const BACKGROUND_NANOS: i64 = 30 * 60 * 1_000_000_000;
/// The longest ordinary gateway delay: a wave member was delivered at most
/// this long before its first access (or at the wave's start).
const GATEWAY_SLACK_NANOS: i64 = 120 * 1_000_000_000;

/// When a recipient's mail arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Delivery {
    pub at: Timestamp,
    pub estimated: bool,
}

/// A send wave found in the campaign's first accesses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Wave {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Recipients whose first access falls in the wave.
    pub recipients: u32,
    /// The share of those first accesses that are machines by what they are.
    pub machine_share: f32,
    /// How many times faster first accesses came than around the wave.
    pub density: f32,
}

/// A recipient's first access, and whether it is a machine by everything
/// but its timing (scored scanner without it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstAccess {
    pub at: Timestamp,
    pub machine: bool,
}

/// Deliveries, known or estimated, with the waves behind the estimates.
#[derive(Clone, Debug, Default)]
pub struct Deliveries {
    /// By recipient.
    pub delivery: Vec<Option<Delivery>>,
    pub waves: Vec<Wave>,
    /// By recipient: the wave an estimated delivery comes from.
    pub from_wave: Vec<Option<u32>>,
    /// By recipient: its first access, when that fell inside a wave.
    pub member_first: Vec<Option<Timestamp>>,
}

impl Deliveries {
    /// The wave `at` belongs to for `recipient`: the recipient's first
    /// access was in a wave, and `at` is within `window` seconds after it.
    pub fn in_wave(&self, recipient: usize, at: Timestamp, window: f32) -> Option<u32> {
        let first = self.member_first.get(recipient).copied().flatten()?;
        let after = at.as_nanos() - first.as_nanos();
        (0..=(f64::from(window) * 1e9) as i64)
            .contains(&after)
            .then(|| self.from_wave[recipient])
            .flatten()
    }
}

/// Each recipient's first access (reports aside), by recipient index: the
/// accesses a wave is looked for among.
pub fn first_accesses(campaign: &Campaign) -> Vec<Option<usize>> {
    let mut first: Vec<Option<usize>> = vec![None; campaign.recipients.len()];
    for (i, access) in campaign.accesses.iter().enumerate() {
        if access.event == Event::Report {
            continue;
        }
        if let Some(r) = access.recipient() {
            let slot = &mut first[r.index()];
            if slot.is_none_or(|j| access.time < campaign.accesses[j].time) {
                *slot = Some(i);
            }
        }
    }
    first
}

/// Each recipient's delivery, from the log or estimated from `firsts`
/// (each recipient's first access, by recipient index).
pub fn deliveries(
    campaign: &Campaign,
    firsts: &[Option<FirstAccess>],
    sigs: &Signatures,
) -> Deliveries {
    let n = campaign.recipients.len();
    let mut out = Deliveries {
        delivery: campaign
            .recipients
            .iter()
            .map(|r| {
                r.sent_at.map(|at| Delivery {
                    at,
                    estimated: false,
                })
            })
            .collect(),
        waves: Vec::new(),
        from_wave: vec![None; n],
        member_first: vec![None; n],
    };
    // Only recipients without a known delivery need (and inform) the estimate.
    let mut unknown: Vec<(i64, usize, bool)> = firsts
        .iter()
        .enumerate()
        .filter(|(r, _)| out.delivery[*r].is_none())
        .filter_map(|(r, f)| f.map(|f| (f.at.as_nanos(), r, f.machine)))
        .collect();
    if unknown.is_empty() {
        return out;
    }
    unknown.sort_unstable();
    out.waves = find_waves(&unknown, sigs);
    if out.waves.is_empty() {
        return out;
    }
    for &(t, r, _) in &unknown {
        let containing = out
            .waves
            .iter()
            .position(|w| w.start.as_nanos() <= t && t <= w.end.as_nanos());
        let (wave, at) = match containing {
            Some(i) => {
                out.member_first[r] = Some(Timestamp::from_nanos(t));
                let at = (t - GATEWAY_SLACK_NANOS).max(out.waves[i].start.as_nanos());
                (i, at)
            }
            None => match out.waves.iter().position(|w| w.start.as_nanos() <= t) {
                Some(i) => (i, out.waves[i].start.as_nanos()),
                None => continue,
            },
        };
        out.from_wave[r] = Some(wave as u32);
        out.delivery[r] = Some(Delivery {
            at: Timestamp::from_nanos(at),
            estimated: true,
        });
    }
    out
}

/// Runs of machine first accesses that are dense against their
/// surroundings and make up a large share of the first accesses in their span.
/// `sorted`: (time, recipient, looks like a machine), by time.
fn find_waves(sorted: &[(i64, usize, bool)], sigs: &Signatures) -> Vec<Wave> {
    let min_members = sigs.tuning(Tunable::WaveMinRecipients).max(2.0) as usize;
    let density = f64::from(sigs.tuning(Tunable::WaveDensity).max(1.0));
    let min_share = sigs.tuning(Tunable::WaveMachineShare).clamp(0.0, 1.0);
    let chain_gap = (f64::from(sigs.tuning(Tunable::WaveChainGap).max(0.0)) * 1e9) as i64;
    let times: Vec<i64> = sorted.iter().map(|&(t, _, _)| t).collect();
    let machines: Vec<i64> = sorted
        .iter()
        .filter(|&&(_, _, m)| m)
        .map(|&(t, _, _)| t)
        .collect();
    let count_in =
        |lo: i64, hi: i64| times.partition_point(|&t| t <= hi) - times.partition_point(|&t| t < lo);
    // Candidate runs: enough machines, and a large enough share of all
    // first accesses in their span.
    let mut candidates: Vec<(i64, i64, usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=machines.len() {
        if i < machines.len() && machines[i] - machines[i - 1] <= chain_gap {
            continue;
        }
        let run = &machines[start..i];
        start = i;
        if run.len() < min_members {
            continue;
        }
        let (lo, hi) = (run[0], run[run.len() - 1]);
        let all = count_in(lo, hi);
        if (run.len() as f32) < min_share * all as f32 {
            continue;
        }
        candidates.push((lo, hi, run.len(), all));
    }
    let mut waves = Vec::new();
    for &(lo, hi, machine_count, all) in &candidates {
        // The background is what is around the run but in no run: a send
        // in three batches twenty minutes apart has three waves, and each
        // is no less a wave for its neighbours. At least one first access
        // is assumed there, so a run in an empty log needs a real rate.
        let (from, to) = (lo - BACKGROUND_NANOS, hi + BACKGROUND_NANOS);
        let in_runs: usize = candidates
            .iter()
            .filter(|c| c.1 >= from && c.0 <= to)
            .map(|c| count_in(c.0.max(from), c.1.min(to)))
            .sum();
        let around = count_in(from, to) - in_runs;
        let background = around.max(1) as f64 / (2.0 * BACKGROUND_NANOS as f64 / 1e9);
        let span = ((hi - lo) as f64 / 1e9).max(1.0);
        let rate = (machine_count - 1).max(1) as f64 / span;
        if rate < density * background {
            continue;
        }
        waves.push(Wave {
            start: Timestamp::from_nanos(lo),
            end: Timestamp::from_nanos(hi),
            recipients: all as u32,
            machine_share: machine_count as f32 / all as f32,
            density: (rate / background) as f32,
        });
    }
    waves
}

#[cfg(test)]
mod tests_support {
    pub use super::*;
    use crate::model::{LogFormat, NewAccess};

    /// A campaign whose recipients' first accesses are at `firsts` (seconds),
    /// each looking like a machine or not.
    pub fn run(firsts: &[(i64, bool)]) -> (Campaign, Deliveries) {
        let sigs = Signatures::builtin().unwrap();
        let mut c = Campaign::new();
        let file = c.add_file("t", LogFormat::Native);
        let mut first = Vec::new();
        for (i, &(t, machine)) in firsts.iter().enumerate() {
            let at = Timestamp::from_seconds(t).unwrap();
            c.add_access(
                file,
                NewAccess {
                    time: at,
                    ip: "192.0.2.1".parse().unwrap(),
                    recipient: Some(&format!("r{i}")),
                    ..NewAccess::default()
                },
            );
            first.push(Some(FirstAccess { at, machine }));
        }
        let d = deliveries(&c, &first, &sigs);
        (c, d)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;

    #[test]
    fn a_burst_of_machine_first_accesses_is_a_wave() {
        // 20 recipients fetched by machines within 12 s, then people over hours.
        let mut times: Vec<(i64, bool)> = (0..20).map(|i| (1_000 + i * 3 / 5, true)).collect();
        times.extend((0..40).map(|i| (2_000 + i * 400, false)));
        let (_, d) = run(&times);
        assert_eq!(d.waves.len(), 1);
        assert_eq!(d.waves[0].start.as_seconds(), 1_000);
        assert_eq!(d.waves[0].recipients, 20);
        assert_eq!(d.waves[0].machine_share, 1.0);
        // Members: delivered at the wave's start; the rest by then too.
        assert!(
            d.delivery
                .iter()
                .all(|d| d.is_some_and(|d| d.estimated && d.at.as_seconds() == 1_000))
        );
        assert!(d.member_first[5].is_some());
        assert_eq!(d.member_first[25], None);
        assert_eq!(d.from_wave[25], Some(0));
        let at = Timestamp::from_seconds(1_003 + 60).unwrap();
        assert_eq!(d.in_wave(5, at, 120.0), Some(0));
        assert_eq!(d.in_wave(5, at, 30.0), None);
    }

    #[test]
    fn a_send_spread_over_an_hour_is_one_long_wave() {
        // One machine first access every 8 s for 90 min, then a few people.
        let mut times: Vec<(i64, bool)> = (0..675).map(|i| (10_000 + i * 8, true)).collect();
        times.extend((0..12).map(|i| (16_000 + i * 300, false)));
        let (_, d) = run(&times);
        assert_eq!(d.waves.len(), 1);
        assert!(d.waves[0].density > 10.0, "{:?}", d.waves[0]);
        // A late member was delivered a gateway's delay before its first
        // access, not at the start of the hour.
        let late = d.delivery[600].unwrap();
        assert_eq!(late.at.as_seconds(), 10_000 + 600 * 8 - 120);
        // After the wave: delivered by its start at the latest.
        assert_eq!(d.delivery[680].unwrap().at.as_seconds(), 10_000);
    }

    #[test]
    fn three_batches_are_three_waves_however_close() {
        // Batches of 250 machine first accesses 20 minutes apart, a few
        // people between: each batch is a wave despite its neighbours.
        let mut times: Vec<(i64, bool)> = Vec::new();
        for batch in 0..3 {
            let start = 10_000 + batch * 1_200;
            times.extend((0..250).map(|i| (start + i * 4 / 5, true)));
            times.extend((0..5).map(|i| (start + 300 + i * 120, false)));
        }
        times.sort_unstable();
        let (_, d) = run(&times);
        assert_eq!(d.waves.len(), 3, "{:?}", d.waves);
        assert_eq!(d.waves[1].start.as_seconds(), 11_200);
    }

    #[test]
    fn people_reading_early_are_no_wave() {
        // A swell of people's first accesses: dense, but from people.
        let mut times: Vec<(i64, bool)> = (0..300).map(|i| (10_000 + i * 4, i % 10 == 0)).collect();
        times.extend((0..100).map(|i| (12_000 + i * 60, false)));
        let (_, d) = run(&times);
        assert!(d.waves.is_empty(), "{:?}", d.waves);
        assert!(d.delivery.iter().all(Option::is_none));
    }

    #[test]
    fn machines_at_a_busy_hour_are_no_wave() {
        // Machine-looking first accesses, alone in their span but no
        // faster than the first accesses before and after them.
        let mut times: Vec<(i64, bool)> = (0..60).map(|i| (10_000 + i * 50, true)).collect();
        times.extend((0..60).map(|i| (8_200 + i * 30, false)));
        times.extend((0..60).map(|i| (13_000 + i * 30, false)));
        times.sort_unstable();
        let (_, d) = run(&times);
        assert!(d.waves.is_empty(), "{:?}", d.waves);
    }
}

#[cfg(test)]
mod swell {
    use super::tests_support::*;

    /// The inverse of the standard normal distribution (Acklam's rational
    /// approximation; plenty for placing test points).
    fn probit(p: f64) -> f64 {
        let a = [
            -39.696_830_286_653_76,
            220.946_098_424_520_5,
            -275.928_510_446_968_7,
            138.357_751_867_269,
            -30.664_798_066_147_16,
            2.506_628_277_459_239,
        ];
        let b = [
            -54.476_098_798_224_06,
            161.585_836_858_040_9,
            -155.698_979_859_886_6,
            66.801_311_887_719_72,
            -13.280_681_552_885_72,
        ];
        let c = [
            -0.007_784_894_002_430_293,
            -0.322_396_458_041_136_4,
            -2.400_758_277_161_838,
            -2.549_732_539_343_734,
            4.374_664_141_464_968,
            2.938_163_982_698_783,
        ];
        let d = [
            0.007_784_695_709_041_462,
            0.322_467_129_070_039_8,
            2.445_134_137_142_996,
            3.754_408_661_907_416,
        ];
        let q = p.min(1.0 - p);
        let x = if q < 0.02425 {
            let r = (-2.0 * q.ln()).sqrt();
            (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
                / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1.0)
        } else {
            let q = q - 0.5;
            let r = q * q;
            (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0)
        };
        if p < 0.5 { -x.abs() } else { x.abs() }
    }

    #[test]
    fn a_company_on_virtual_desktops_reading_the_mail_is_no_wave() {
        // People read the mail a lognormal time after the send (median 50
        // minutes); from virtual desktops their first access is a cloud
        // address with a current browser, a machine by nothing else — but a
        // tenth of them (stale browsers, scripts blocked) look like one.
        for n in [100usize, 1_000, 5_000] {
            let times: Vec<(i64, bool)> = (0..n)
                .map(|i| {
                    let z = probit((i as f64 + 0.5) / n as f64);
                    ((3_000.0 * z.exp()) as i64 + 1_000, i % 10 == 0)
                })
                .collect();
            let (_, d) = run(&times);
            assert!(d.waves.is_empty(), "{n} people: {:?}", d.waves);
        }
    }
}
