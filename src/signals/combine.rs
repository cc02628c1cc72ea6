//! The combination: evidence weights are summed into one score (log-odds
//! style: + scanner, − human), and the score is compared with two
//! thresholds. Nothing hidden: the reasons are the summed terms, ordered by
//! how much each weighs.

use super::evidence::Evidence;
use super::signatures::{Signatures, Tunable};
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

/// Orders evidence by weight, heaviest (either side) first; ties keep
/// the order the signals were gathered in.
pub fn order(evidence: &mut [Evidence]) {
    evidence.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
}

#[cfg(test)]
mod tests {
    use super::super::evidence::Fact;
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
}
