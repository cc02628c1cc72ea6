//! Learning from the analyst within a campaign: a label on an access, an
//! address or a network says something about the accesses that share its
//! evidence, and the suggestions of the ones still unlabelled take it in.
//!
//! Two things are shared: the same address pool (the /24 or /48 around the
//! address) and the same User-Agent with the same screen from the same AS
//! (one kind of device in one place). Where the labelled accesses sharing
//! one of these all went one way, an unlabelled access the model left
//! unsure gets the `like_labelled` weight toward that side, once (the
//! strongest agreeing key is named: "like 12 accesses you labelled
//! scanner"); where the keys disagree, nothing is learned. A suggestion the
//! model made from the access's own evidence is never overturned, and the
//! send wave teaches nothing: measured on the held-out world, both turned
//! people who shared a proxy's pool or a wave with a labelled gateway into
//! scanners. Decoy decisions are never moved.

use std::collections::HashMap;
use std::hash::Hash;

use ipnetwork::IpNetwork;

use super::group::estimated_network;
use crate::analysis::Analysis;
use crate::model::{Leaning, Screen, UaId, Verdict};
use crate::signals::{Suggestion, Weight};

/// What an unlabelled access shares with labelled ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shared {
    /// The same network (address pool).
    Network,
    /// The same User-Agent and screen from the same AS.
    Device,
}

impl Shared {
    pub fn as_str(self) -> &'static str {
        match self {
            Shared::Network => "same /24 network",
            Shared::Device => "same browser and screen from the same AS",
        }
    }
}

/// Why an unlabelled access's suggestion moved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Like {
    pub verdict: Verdict,
    /// Labelled accesses sharing the evidence, all with `verdict`.
    pub count: u32,
    pub shared: Shared,
    /// The weight added to the score.
    pub weight: f32,
}

impl Like {
    /// `like 12 accesses you labelled scanner (same network)`.
    pub fn text(&self) -> String {
        format!(
            "like {} you labelled {} ({})",
            match self.count {
                1 => "1 access".to_string(),
                n => format!("{n} accesses"),
            },
            self.verdict.as_str(),
            self.shared.as_str()
        )
    }
}

/// The suggestions after learning: a label per access, and why it moved.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Learned {
    pub labels: Vec<Leaning>,
    /// Per access; empty when nothing was learned.
    pub likes: Vec<Option<Like>>,
}

/// Votes per key: labelled human, labelled scanner.
#[derive(Default, Clone, Copy)]
struct Votes {
    human: u32,
    scanner: u32,
}

impl Votes {
    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Human => self.human += 1,
            Verdict::Scanner => self.scanner += 1,
        }
    }

    /// The side all the votes are on, with their number.
    fn agreed(self) -> Option<(Verdict, u32)> {
        match (self.human, self.scanner) {
            (0, 0) => None,
            (h, 0) => Some((Verdict::Human, h)),
            (0, s) => Some((Verdict::Scanner, s)),
            _ => None,
        }
    }
}

/// The votes per key of the labelled accesses (`verdicts`), each keyed by
/// `key_of` (none: not counted).
fn tally<K: Eq + Hash + Copy>(
    verdicts: &[Option<Verdict>],
    key_of: impl Fn(usize) -> Option<K>,
) -> HashMap<K, Votes> {
    let mut votes: HashMap<K, Votes> = HashMap::new();
    for (i, verdict) in verdicts.iter().enumerate() {
        let Some(v) = verdict else { continue };
        if let Some(k) = key_of(i) {
            votes.entry(k).or_default().add(*v);
        }
    }
    votes
}

/// The suggestions of `analysis` with what the analyst's `verdicts` (one
/// per access) teach about the unlabelled accesses.
///
/// The review screen calls this after every label, on its UI thread, so
/// it touches each access once and works out keys only where needed: the
/// address pools once per address, the devices only for labelled and
/// unsure accesses (`cargo bench --bench learning` times it at a million).
pub fn learn(analysis: &Analysis, verdicts: &[Option<Verdict>]) -> Learned {
    let suggestions = analysis.suggestions();
    let n = analysis.campaign.accesses.len();
    // As many labels as the suggestions have (stated ones may have none).
    let mut labels = suggestions.labels().to_vec();
    let sigs = suggestions.signatures();
    let weight = sigs.weight(Weight::LikeLabelled);
    // Nothing to learn without labels, or with a weight of nothing
    // (suggestions stated rather than weighed have no signatures).
    if weight == 0.0 || verdicts.iter().all(Option::is_none) {
        return Learned {
            labels,
            likes: Vec::new(),
        };
    }
    let campaign = &analysis.campaign;
    // The address pool is the /24 (/48) around the address: a database's
    // prefix can span a whole cloud (Microsoft's /13 holds both Safe Links
    // and people's virtual desktops), too wide to say one thing.
    let pools: Vec<IpNetwork> = campaign
        .ips
        .iter()
        .map(|&ip| estimated_network(ip))
        .collect();
    let network = |i: usize| Some(pools[campaign.accesses[i].ip.index()]);
    let device = |i: usize| -> Option<(UaId, Screen, u32)> {
        let a = &campaign.accesses[i];
        let place = analysis.owners[a.ip.index()].asn?;
        Some((a.user_agent, a.screen?, place))
    };
    let by_network = tally(verdicts, network);
    let by_device = tally(verdicts, device);

    let mut likes: Vec<Option<Like>> = vec![None; n];
    for (i, like) in likes.iter_mut().enumerate() {
        if verdicts.get(i).copied().flatten().is_some() || suggestions.decoy(i).is_some() {
            continue;
        }
        // Only what the model left unsure is decided by likeness: a label
        // says something about its neighbours, but less than an access's
        // own evidence (people share a proxy's pool or a send wave with the
        // gateway that scanned their mail).
        if suggestions
            .get(i)
            .is_some_and(|s| s.label != Leaning::Unsure)
        {
            continue;
        }
        let found = [
            (network(i).and_then(|k| by_network.get(&k)), Shared::Network),
            (device(i).and_then(|k| by_device.get(&k)), Shared::Device),
        ];
        let agreed: Vec<(Verdict, u32, Shared)> = found
            .iter()
            .filter_map(|(votes, shared)| {
                let (v, count) = votes.and_then(|v| v.agreed())?;
                Some((v, count, *shared))
            })
            .collect();
        let Some(&(verdict, _, _)) = agreed.first() else {
            continue;
        };
        if agreed.iter().any(|&(v, _, _)| v != verdict) {
            continue;
        }
        let &(_, count, shared) = agreed
            .iter()
            .max_by_key(|&&(_, count, _)| count)
            .unwrap_or(&agreed[0]);
        let signed = match verdict {
            Verdict::Scanner => weight,
            Verdict::Human => -weight,
        };
        let score = suggestions.get(i).map_or(0.0, |s| s.score) + signed;
        if let Some(label) = labels.get_mut(i) {
            *label = Suggestion::from_score(score, sigs).label;
        }
        *like = Some(Like {
            verdict,
            count,
            shared,
            weight: signed,
        });
    }
    Learned { labels, likes }
}
