//! The numbers in the review screen's header: how the accesses split into
//! human, scanner and unsure, how many are still unlabelled, and the click
//! rates — recipients with a human click against recipients with any click.

use super::context::ReviewContext;
use crate::model::{Event, Leaning};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts {
    pub accesses: usize,
    /// Human / scanner / unsure after the analyst's verdicts, else the suggestion.
    pub human: usize,
    pub scanner: usize,
    pub unsure: usize,
    /// Accesses without an analyst verdict (whatever the suggestion says).
    pub unlabelled: usize,
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
}

impl Counts {
    pub fn new(ctx: &ReviewContext<'_>) -> Self {
        let campaign = &ctx.analysis.campaign;
        let n_recipients = campaign.recipients.len();
        let mut accessed = vec![false; n_recipients];
        let mut clicked = vec![false; n_recipients];
        let mut human = vec![false; n_recipients];
        let mut c = Counts {
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
            if ctx.verdict(i).is_none() {
                c.unlabelled += 1;
            }
            let a = ctx.access(i);
            let Some(r) = a.recipient() else { continue };
            accessed[r.index()] = true;
            if matches!(a.event, Event::Click | Event::Submit) {
                clicked[r.index()] = true;
                if leaning == Leaning::Human {
                    human[r.index()] = true;
                }
            }
        }
        let count = |v: &[bool]| v.iter().filter(|&&b| b).count();
        c.accessed = count(&accessed);
        c.clicked = count(&clicked);
        c.human_clicked = count(&human);
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

    /// Raw click rate (any click) in percent.
    pub fn raw_rate(&self) -> Option<f64> {
        percent(self.clicked, self.rate_base())
    }
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}
