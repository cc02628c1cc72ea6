//! The headline number, said honestly: the human click rate with how far
//! it can still move while recipients are undecided, and whether it rests
//! on the analyst's verdicts or on suggestions only. The screen's header and
//! the report's summary both say it from here, so they say the same.
//!
//! The rate counts recipients with a human click; a recipient whose clicks
//! are all unsure could still turn out a person, so the rate lies between
//! the rate as it stands (every unsure recipient a machine) and the rate if
//! every one of them were a person.

use std::fmt;

use serde::Serialize;

use super::counts::Counts;

/// What the rate rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Every click has the analyst's verdict (their own or a rule's).
    Reviewed,
    /// Some click is judged by a suggestion only.
    Suggested,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Reviewed => "reviewed",
            Basis::Suggested => "suggested",
        }
    }
}

/// The human click rate and what is undecided about it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Headline {
    /// Recipients the rates are of (delivered, else every known one); 0: no rate.
    pub base: usize,
    /// Recipients with a human click.
    pub human: usize,
    /// Recipients with an unsure click and no human one.
    pub unsure: usize,
    /// Recipients with any click, and those of them whose every click has a verdict.
    pub clicked: usize,
    pub reviewed: usize,
    pub basis: Basis,
}

impl Headline {
    /// The headline of `counts`, as rates of `base` recipients.
    pub fn new(counts: &Counts, base: usize) -> Self {
        Headline {
            base,
            human: counts.human_clicked,
            unsure: counts.unsure_clicked,
            clicked: counts.clicked,
            reviewed: counts.clicked_reviewed,
            basis: if counts.rate_is_estimate() {
                Basis::Suggested
            } else {
                Basis::Reviewed
            },
        }
    }

    /// The human click rate as it stands (0 to 1): every unsure recipient
    /// counted a machine.
    pub fn rate(&self) -> Option<f64> {
        fraction(self.human, self.base)
    }

    /// The rate if every unsure recipient turned out a person.
    pub fn high(&self) -> Option<f64> {
        fraction(self.human + self.unsure, self.base)
    }

    /// How much deciding one recipient can move the rate (0 to 1).
    pub fn step(&self) -> Option<f64> {
        fraction(1, self.base)
    }

    /// What qualifies the rate, without it: `13.4 – 21.4% while 65
    /// recipients are unsure; suggested, 0 of 120 reviewed`, or `reviewed`.
    pub fn qualifier(&self) -> String {
        let mut parts = Vec::new();
        if self.unsure > 0
            && let (Some(low), Some(high)) = (self.rate(), self.high())
        {
            parts.push(format!(
                "{} – {} while {} unsure",
                one_decimal(low),
                percent(high),
                match self.unsure {
                    1 => "1 recipient is".to_string(),
                    n => format!("{n} recipients are"),
                }
            ));
        }
        parts.push(match self.basis {
            Basis::Reviewed => "reviewed".to_string(),
            Basis::Suggested => {
                format!("suggested, {} of {} reviewed", self.reviewed, self.clicked)
            }
        });
        parts.join("; ")
    }

    /// The short form for narrow screens: the range alone, `13.4–21.4%`
    /// (the rate where nothing is unsure); `–` without a base.
    pub fn short_rate(&self) -> String {
        match (self.rate(), self.high()) {
            (Some(low), Some(high)) if self.unsure > 0 => {
                format!("{}–{}", one_decimal(low), percent(high))
            }
            (Some(rate), _) => percent(rate),
            (None, _) => "–".to_string(),
        }
    }
}

/// `human click rate 13.4% (13.4 – 21.4% while 65 recipients are unsure;
/// suggested, 0 of 120 reviewed)`.
impl fmt::Display for Headline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rate() {
            Some(rate) => write!(
                f,
                "human click rate {} ({})",
                percent(rate),
                self.qualifier()
            ),
            None => write!(f, "human click rate unknown (no recipients to count)"),
        }
    }
}

fn fraction(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn one_decimal(rate: f64) -> String {
    format!("{:.1}", rate * 100.0)
}

/// `13.4%`.
pub fn percent(rate: f64) -> String {
    format!("{}%", one_decimal(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(human: usize, unsure: usize, clicked: usize, reviewed: usize) -> Counts {
        Counts {
            human_clicked: human,
            unsure_clicked: unsure,
            clicked,
            clicked_reviewed: reviewed,
            clicks_unreviewed: clicked - reviewed,
            ..Counts::default()
        }
    }

    #[test]
    fn the_rate_comes_with_its_range_and_its_basis() {
        let h = Headline::new(&counts(67, 40, 300, 0), 500);
        assert_eq!(
            h.to_string(),
            "human click rate 13.4% (13.4 – 21.4% while 40 recipients are unsure; \
             suggested, 0 of 300 reviewed)"
        );
        assert_eq!(h.short_rate(), "13.4–21.4%");
        assert_eq!(h.basis, Basis::Suggested);
    }

    #[test]
    fn nothing_undecided_leaves_the_rate_plain() {
        let reviewed = Headline::new(&counts(67, 0, 300, 300), 500);
        assert_eq!(reviewed.to_string(), "human click rate 13.4% (reviewed)");
        assert_eq!(reviewed.high(), reviewed.rate());
        let suggested = Headline::new(&counts(67, 0, 300, 12), 500);
        assert_eq!(
            suggested.to_string(),
            "human click rate 13.4% (suggested, 12 of 300 reviewed)"
        );
        let one = Headline::new(&counts(1, 1, 2, 0), 10);
        assert!(
            one.to_string().contains("while 1 recipient is unsure"),
            "{one}"
        );
    }

    #[test]
    fn no_base_no_rate() {
        let h = Headline::new(&counts(0, 0, 0, 0), 0);
        assert_eq!(h.rate(), None);
        assert_eq!(
            h.to_string(),
            "human click rate unknown (no recipients to count)"
        );
    }
}
