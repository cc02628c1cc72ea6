//! The combination: evidence weights are summed into one score (log-odds
//! style: + scanner, − human), and the score is compared with two
//! thresholds. Nothing hidden: the reasons are the summed terms, ordered by
//! how much each weighs. Where one family's evidence answers the question
//! another's left open, the answered one is set aside here, so that one
//! observation is not counted twice.

use super::evidence::{DbClass, Evidence, Fact};
use super::signatures::{NetworkKind, Signatures, Tunable};
use crate::model::Leaning;

/// The suggestion for one access.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Suggestion {
    pub label: Leaning,
    /// The summed evidence.
    pub score: f32,
}

impl Suggestion {
    pub fn from_score(score: f32, sigs: &Signatures) -> Suggestion {
        let label = if score >= sigs.tuning(Tunable::ThresholdScanner) {
            Leaning::Scanner
        } else if score <= sigs.tuning(Tunable::ThresholdHuman) {
            Leaning::Human
        } else {
            Leaning::Unsure
        };
        Suggestion { label, score }
    }

    /// How sure the suggestion is, 0.5 to 1: the score read as log-odds of
    /// the label it leans to (for unsure, of whichever side it leans to).
    pub fn confidence(&self) -> f32 {
        1.0 / (1.0 + (-self.score.abs()).exp())
    }
}

/// The sum of the weights.
pub fn score(evidence: &[Evidence]) -> f32 {
    evidence.iter().map(|e| e.weight).sum()
}

/// A cloud says "scanners, or people's virtual desktops"; when this very
/// address served many recipients the way people's egress does
/// (`own_history`, its address-history evidence), that answers the
/// question the network left open, and counting the network as well would
/// hold the address against itself: its cloud evidence in `evidence` then
/// weighs nothing.
pub fn set_aside_answered_cloud(
    evidence: &mut [Evidence],
    own_history: Option<Evidence>,
    sigs: &Signatures,
) {
    let own_history_says_people = matches!(
        own_history,
        Some(Evidence {
            weight,
            fact: Fact::AddressHistory { network: false, .. }
                | Fact::AddressSpreadOut { network: false, .. },
        }) if weight < 0.0
    );
    if !own_history_says_people {
        return;
    }
    for e in evidence.iter_mut() {
        let cloud = match e.fact {
            Fact::Network { entry, .. } => sigs.networks[entry as usize].kind == NetworkKind::Cloud,
            Fact::Database(class) => class == DbClass::Hosting,
            _ => false,
        };
        if cloud && e.weight > 0.0 {
            e.weight = 0.0;
        }
    }
}

/// Orders evidence by weight, heaviest (either side) first; ties keep
/// the order the signals were gathered in.
pub fn order(evidence: &mut [Evidence]) {
    evidence.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_split_three_ways() {
        let sigs = Signatures::builtin().unwrap();
        assert_eq!(Suggestion::from_score(3.0, &sigs).label, Leaning::Scanner);
        assert_eq!(Suggestion::from_score(-2.0, &sigs).label, Leaning::Human);
        assert_eq!(Suggestion::from_score(0.5, &sigs).label, Leaning::Unsure);
        assert!(Suggestion::from_score(4.0, &sigs).confidence() > 0.98);
        assert_eq!(Suggestion::from_score(0.0, &sigs).confidence(), 0.5);
    }

    #[test]
    fn heaviest_reason_first() {
        let mut e = vec![
            Evidence {
                weight: 0.5,
                fact: Fact::ScreenPresent,
            },
            Evidence {
                weight: -2.5,
                fact: Fact::Note,
            },
            Evidence {
                weight: 3.0,
                fact: Fact::Head,
            },
        ];
        assert_eq!(score(&e), 1.0);
        order(&mut e);
        assert_eq!(e[0].fact, Fact::Head);
        assert_eq!(e[1].fact, Fact::Note);
    }

    #[test]
    fn an_address_s_own_people_history_sets_its_cloud_aside() {
        let sigs = Signatures::builtin().unwrap();
        let cloud = sigs
            .networks
            .iter()
            .position(|n| n.kind == NetworkKind::Cloud)
            .unwrap() as u32;
        let gathered = [
            Evidence {
                weight: 1.0,
                fact: Fact::Network {
                    entry: cloud,
                    prefix: None,
                },
            },
            Evidence {
                weight: 0.5,
                fact: Fact::Database(DbClass::Hosting),
            },
            Evidence {
                weight: 3.0,
                fact: Fact::Head,
            },
        ];
        let history = |weight: f32, network: bool| {
            Some(Evidence {
                weight,
                fact: Fact::AddressHistory {
                    recipients: 8,
                    early: false,
                    network,
                },
            })
        };
        let mut e = gathered;
        set_aside_answered_cloud(&mut e, history(-1.5, false), &sigs);
        let weights: Vec<f32> = e.iter().map(|e| e.weight).collect();
        assert_eq!(weights, [0.0, 0.0, 3.0]);
        // Its network's history, a history that says scanner, or none at
        // all leave the cloud as it is.
        for own in [history(-1.5, true), history(1.5, false), None] {
            let mut e = gathered;
            set_aside_answered_cloud(&mut e, own, &sigs);
            assert_eq!(e, gathered);
        }
    }
}
