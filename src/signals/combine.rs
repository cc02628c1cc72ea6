//! The combination: evidence weights are summed into one score (log-odds
//! style: + scanner, − human), and the score is compared with two
//! thresholds. Nothing hidden: the reasons are the summed terms, ordered by
//! how much each weighs. Where one family's evidence answers the question
//! another's left open, the answered one is set aside here, so that one
//! observation is not counted twice.

use super::evidence::{DbClass, Evidence, Fact};
use super::signatures::{AgentKind, NetworkKind, Signatures, Tunable};
use crate::model::Leaning;

/// The suggestion for one access.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Suggestion {
    pub label: Leaning,
    /// The summed evidence.
    pub score: f32,
    /// How sure the suggestion is, 0.5 to 1 ([`confidence`]).
    confidence: f32,
}

/// The probability that a suggestion with `score` is right: the score read
/// as log-odds of the side it leans to, scaled by `confidence_slope` so that
/// the figure holds (calibrated on the evaluation set: the accuracy bench's
/// reliability table; the held-out bench measures it on campaigns it was
/// never set on).
pub fn confidence(score: f32, sigs: &Signatures) -> f32 {
    let slope = sigs.tuning(Tunable::ConfidenceSlope);
    1.0 / (1.0 + (-(slope * score.abs())).exp())
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
        Suggestion {
            label,
            score,
            confidence: confidence(score, sigs),
        }
    }

    /// A suggestion whose label was settled elsewhere (labels given as data).
    pub fn with_label(label: Leaning, score: f32, sigs: &Signatures) -> Suggestion {
        Suggestion {
            label,
            score,
            confidence: confidence(score, sigs),
        }
    }

    /// How sure the suggestion is, 0.5 to 1: the probability that it is
    /// right (for unsure, that the side it leans to is).
    pub fn confidence(&self) -> f32 {
        self.confidence
    }
}

/// The sum of the weights.
pub fn score(evidence: &[Evidence]) -> f32 {
    evidence.iter().map(|e| e.weight).sum()
}

/// Evidence no person's browser produces, which decides on its own rather
/// than being outvoted: a HEAD request, no User-Agent, one no browser
/// sends (an HTTP library, a headless or automation browser, a named
/// scanner or link preview, a crawler), and a fetch from a mail gateway's
/// published mail-flow range (a mail-security entry matched by prefix, not
/// a whole AS that may carry other traffic). Only when it leans scanner: a
/// user file may weigh an entry otherwise.
pub fn is_decisive(e: &Evidence, sigs: &Signatures) -> bool {
    if e.weight <= 0.0 {
        return false;
    }
    match e.fact {
        Fact::Head | Fact::EmptyAgent | Fact::HttpLibrary | Fact::Crawler => true,
        Fact::Agent { kind, .. } => !matches!(kind, AgentKind::OfficeClient),
        Fact::Network {
            entry,
            prefix: Some(_),
        } => sigs.networks[entry as usize].kind == NetworkKind::MailSecurity,
        _ => false,
    }
}

/// The least score decisive evidence leaves an access: the scanner
/// threshold (or the decisive weight, if heavier), whatever the rest of
/// its evidence says; `None` without decisive evidence.
pub fn decisive_floor(evidence: &[Evidence], sigs: &Signatures) -> Option<f32> {
    evidence
        .iter()
        .filter(|e| is_decisive(e, sigs))
        .map(|e| e.weight.max(sigs.tuning(Tunable::ThresholdScanner)))
        .reduce(f32::max)
}

/// The score of an access: the sum of its evidence, raised to the floor
/// its decisive evidence sets.
pub fn decided_score(evidence: &[Evidence], sigs: &Signatures) -> f32 {
    let sum = score(evidence);
    decisive_floor(evidence, sigs).map_or(sum, |floor| sum.max(floor))
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

/// Whether a fact says when the fetch came (relative to delivery, to the
/// send wave, to the address's other fetches): the facts that one
/// observation makes correlated.
fn is_when(fact: &Fact) -> bool {
    matches!(
        fact,
        Fact::Delay { .. }
            | Fact::BeforeDelivery { .. }
            | Fact::InWave { .. }
            | Fact::AddressHistory { .. }
            | Fact::AddressSpreadOut { .. }
            | Fact::IpSpread { .. }
    )
}

/// Timing, send wave, address history and spread are one fact seen several
/// ways, so they are not summed as if independent: on each side the
/// heaviest counts fully and the rest at `correlated_share`. And this
/// access's own timing (its delay, its send wave) leans scanner by at most
/// `when_cap`, below the scanner threshold, so that timing never decides
/// alone: a person with the mailbox open clicks within seconds too. Each
/// term keeps its (reduced) weight, so the reasons still show it.
pub fn discount_correlated(evidence: &mut [Evidence], sigs: &Signatures) {
    let cap = sigs.tuning(Tunable::WhenCap);
    for e in evidence.iter_mut() {
        let own_timing = matches!(
            e.fact,
            Fact::Delay { .. } | Fact::BeforeDelivery { .. } | Fact::InWave { .. }
        );
        if own_timing && e.weight > cap {
            e.weight = cap;
        }
    }
    let share = sigs.tuning(Tunable::CorrelatedShare);
    for scanner_side in [true, false] {
        let side =
            |e: &Evidence| is_when(&e.fact) && e.weight != 0.0 && (e.weight > 0.0) == scanner_side;
        let Some(heaviest) = evidence
            .iter()
            .enumerate()
            .filter(|(_, e)| side(e))
            .max_by(|a, b| a.1.weight.abs().total_cmp(&b.1.weight.abs()))
            .map(|(i, _)| i)
        else {
            continue;
        };
        for (i, e) in evidence.iter_mut().enumerate() {
            if i != heaviest && side(e) {
                e.weight *= share;
            }
        }
    }
}

/// Orders evidence: what decided first, then by weight, heaviest (either
/// side) first; ties keep the order the signals were gathered in.
pub fn order(evidence: &mut [Evidence], sigs: &Signatures) {
    evidence.sort_by(|a, b| {
        is_decisive(b, sigs)
            .cmp(&is_decisive(a, sigs))
            .then(b.weight.abs().total_cmp(&a.weight.abs()))
    });
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
        let sigs = Signatures::builtin().unwrap();
        order(&mut e, &sigs);
        assert_eq!(e[0].fact, Fact::Head);
        assert_eq!(e[1].fact, Fact::Note);
    }

    #[test]
    fn decisive_evidence_is_not_outvoted_and_comes_first() {
        let sigs = Signatures::builtin().unwrap();
        let library = Evidence {
            weight: sigs.weight(crate::signals::Weight::AgentLibrary),
            fact: Fact::HttpLibrary,
        };
        // python-requests from a cloud, hours after delivery, from an
        // address whose other recipients came late: the library decides.
        let mut e = vec![
            Evidence {
                weight: -1.0,
                fact: Fact::Delay {
                    seconds: 20_000.0,
                    estimated: false,
                },
            },
            Evidence {
                weight: -2.0,
                fact: Fact::AddressHistory {
                    recipients: 30,
                    early: false,
                    network: false,
                },
            },
            library,
        ];
        assert!(score(&e) < sigs.tuning(Tunable::ThresholdScanner));
        let decided = decided_score(&e, &sigs);
        assert_eq!(
            Suggestion::from_score(decided, &sigs).label,
            Leaning::Scanner
        );
        order(&mut e, &sigs);
        assert_eq!(e[0], library);
        // A fetch from a mail gateway's published range decides; its whole
        // AS, or a cloud, does not.
        let eop = sigs
            .networks
            .iter()
            .position(|n| n.kind == NetworkKind::MailSecurity && !n.prefixes.is_empty())
            .unwrap() as u32;
        let prefix = sigs.networks[eop as usize].prefixes[0];
        let by_prefix = Evidence {
            weight: 3.0,
            fact: Fact::Network {
                entry: eop,
                prefix: Some(prefix),
            },
        };
        assert!(is_decisive(&by_prefix, &sigs));
        let by_asn = Evidence {
            fact: Fact::Network {
                entry: eop,
                prefix: None,
            },
            ..by_prefix
        };
        assert!(!is_decisive(&by_asn, &sigs));
        // Timing alone decides nothing, and its echoes are not summed.
        let fast = Evidence {
            weight: 3.5,
            fact: Fact::Delay {
                seconds: 8.0,
                estimated: false,
            },
        };
        let mut alone = [fast];
        discount_correlated(&mut alone, &sigs);
        assert!(score(&alone) < sigs.tuning(Tunable::ThresholdScanner));
        let mut when = vec![
            fast,
            Evidence {
                weight: 2.0,
                fact: Fact::AddressHistory {
                    recipients: 30,
                    early: true,
                    network: false,
                },
            },
        ];
        discount_correlated(&mut when, &sigs);
        let cap = sigs.tuning(Tunable::WhenCap);
        let share = sigs.tuning(Tunable::CorrelatedShare);
        assert!(
            (score(&when) - (2.0 + cap * share)).abs() < 1e-5,
            "{when:?}"
        );
        assert!(when.iter().all(|e| e.weight > 0.0), "each term still shows");
        let fast = Evidence {
            weight: 3.5,
            fact: Fact::Delay {
                seconds: 8.0,
                estimated: false,
            },
        };
        assert_eq!(decisive_floor(&[fast], &sigs), None);
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
