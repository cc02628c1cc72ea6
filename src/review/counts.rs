//! The numbers in the review screen's header: how the accesses split into
//! human, scanner and unsure, which of that the analyst reviewed and which
//! only the suggestions say, and the click rates — recipients with a human
//! click against recipients with any click. The human rate is an estimate
//! while any click rests on a suggestion rather than a verdict; how far it
//! can still move is [`Headline`](super::Headline)'s business.

use super::context::ReviewContext;
use crate::model::{Event, Leaning, RowKind, Verdict};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    /// What kind of event the rows are: a mail's hops have no click rate.
    pub kind: RowKind,
    /// Rows (accesses, or hops).
    pub accesses: usize,
    /// Hops where the walk down the Received chain stopped: the mails' origins.
    pub origins: usize,
    /// Human / scanner / unsure after the analyst's verdicts, else the suggestion.
    pub human: usize,
    pub scanner: usize,
    pub unsure: usize,
    /// Accesses without an analyst verdict (whatever the suggestion says).
    pub unlabelled: usize,
    /// Accesses with the analyst's verdict (their own or a rule's).
    pub reviewed_human: usize,
    pub reviewed_scanner: usize,
    /// Accesses without a verdict, by what the suggestion says.
    pub suggested_human: usize,
    pub suggested_scanner: usize,
    pub suggested_unsure: usize,
    /// Clicks and submits of a recipient without a verdict: while there are
    /// any, the human click rate rests partly on suggestions.
    pub clicks_unreviewed: usize,
    /// Recipients the mail is known to have reached.
    pub delivered: usize,
    /// Recipients known at all (delivered or seen in an access).
    pub recipients: usize,
    /// Recipients with at least one access of any kind.
    pub accessed: usize,
    /// Recipients with a click or submit, whatever its verdict (the raw rate).
    pub clicked: usize,
    /// Recipients with a click or submit that is human.
    pub human_clicked: usize,
    /// Recipients with an unsure click or submit and no human one: what is
    /// undecided about the human click rate.
    pub unsure_clicked: usize,
    /// Recipients with a click or submit, every one of them with a verdict:
    /// their part of the rate rests on the analyst, not on suggestions.
    pub clicked_reviewed: usize,
}

impl Counts {
    pub fn new(ctx: &ReviewContext<'_>) -> Self {
        let campaign = &ctx.analysis.campaign;
        let n_recipients = campaign.recipients.len();
        let mut accessed = vec![false; n_recipients];
        let mut clicked = vec![false; n_recipients];
        let mut human = vec![false; n_recipients];
        let mut unsure = vec![false; n_recipients];
        let mut unreviewed = vec![false; n_recipients];
        let mut c = Counts {
            kind: ctx.kind(),
            accesses: ctx.len(),
            delivered: campaign.delivered_count(),
            recipients: n_recipients,
            ..Counts::default()
        };
        for i in 0..ctx.len() as u32 {
            let leaning = ctx.effective(i);
            match leaning {
                Leaning::Human => c.human += 1,
                Leaning::Scanner => c.scanner += 1,
                Leaning::Unsure => c.unsure += 1,
            }
            let reviewed = ctx.verdict(i);
            match (reviewed, leaning) {
                (Some(Verdict::Human), _) => c.reviewed_human += 1,
                (Some(Verdict::Scanner), _) => c.reviewed_scanner += 1,
                (None, Leaning::Human) => c.suggested_human += 1,
                (None, Leaning::Scanner) => c.suggested_scanner += 1,
                (None, Leaning::Unsure) => c.suggested_unsure += 1,
            }
            if reviewed.is_none() {
                c.unlabelled += 1;
            }
            if ctx.hop(i).is_some_and(|h| h.place == "origin") {
                c.origins += 1;
            }
            let a = ctx.access(i);
            let Some(r) = a.recipient() else { continue };
            accessed[r.index()] = true;
            if matches!(a.event, Event::Click | Event::Submit) {
                clicked[r.index()] = true;
                if reviewed.is_none() {
                    c.clicks_unreviewed += 1;
                    unreviewed[r.index()] = true;
                }
                match leaning {
                    Leaning::Human => human[r.index()] = true,
                    Leaning::Unsure => unsure[r.index()] = true,
                    Leaning::Scanner => {}
                }
            }
        }
        let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
        c.accessed = count(&accessed);
        c.clicked = count(&clicked);
        c.human_clicked = count(&human);
        c.unsure_clicked = unsure
            .iter()
            .zip(&human)
            .filter(|&(&u, &h)| u && !h)
            .count();
        c.clicked_reviewed = clicked
            .iter()
            .zip(&unreviewed)
            .filter(|&(&c, &u)| c && !u)
            .count();
        c
    }

    /// The base of the rates: delivered recipients, else every known recipient
    /// (logs without delivery facts still give a rate, and the header says so).
    pub fn rate_base(&self) -> usize {
        if self.delivered > 0 {
            self.delivered
        } else {
            self.recipients
        }
    }

    /// Human click rate in percent, when there is a base.
    pub fn human_rate(&self) -> Option<f64> {
        percent(self.human_clicked, self.rate_base())
    }

    /// Whether the human click rate rests partly on suggestions: some click
    /// has no verdict yet.
    pub fn rate_is_estimate(&self) -> bool {
        self.clicks_unreviewed > 0
    }

    /// Raw click rate (any click) in percent.
    pub fn raw_rate(&self) -> Option<f64> {
        percent(self.clicked, self.rate_base())
    }
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}
