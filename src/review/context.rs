//! What the review model reads: the enriched campaign plus the analyst's
//! current verdicts, the suggestions and the owner notes. The fields'
//! common facts (`fields::Common`) read a row only through the accessors
//! marked "a row's", so the row itself stays the access's business.

use std::borrow::Cow;
use std::sync::Arc;

use super::learning::Like;
use crate::analysis::Analysis;
use crate::model::{Access, HopRow, IpId, Leaning, RowKind, Timestamp, Verdict};

/// Borrowed view of everything sorting, filtering and grouping look at.
/// The per-access slices may be empty (nothing judged yet).
#[derive(Clone, Copy)]
pub struct ReviewContext<'a> {
    pub analysis: &'a Analysis,
    /// The analyst's verdict per access, after knowledge-base precedence.
    pub verdicts: &'a [Option<Verdict>],
    /// The suggestion per access.
    pub suggestions: &'a [Leaning],
    /// The analyst's note about each address (`IpId` index), shown as its owner.
    pub owner_notes: &'a [Option<Arc<str>>],
    /// What the analyst's labels taught each unlabelled access's
    /// suggestion (`learning::learn`); may be empty.
    pub learned: &'a [Option<Like>],
}

impl<'a> ReviewContext<'a> {
    pub fn new(analysis: &'a Analysis) -> Self {
        ReviewContext {
            analysis,
            verdicts: &[],
            suggestions: &[],
            owner_notes: &[],
            learned: &[],
        }
    }

    /// The context the report writes from: the knowledge base's verdicts
    /// (`verdicts`, from [`Analysis::verdict_column`]) and the suggestions
    /// as the analysis worked them out, no owner notes.
    pub fn judged(analysis: &'a Analysis, verdicts: &'a [Option<Verdict>]) -> Self {
        ReviewContext {
            analysis,
            verdicts,
            suggestions: analysis.suggestions().labels(),
            owner_notes: &[],
            learned: &[],
        }
    }

    pub fn access(&self, index: u32) -> &'a Access {
        &self.analysis.campaign.accesses[index as usize]
    }

    pub fn len(&self) -> usize {
        self.analysis.campaign.accesses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What kind of event the rows are, which decides their fields.
    pub fn kind(&self) -> RowKind {
        self.analysis.campaign.kind
    }

    /// A hop row's own facts (`None` for other kinds of row).
    pub fn hop(&self, index: u32) -> Option<&'a HopRow> {
        self.analysis.campaign.hops.get(index as usize)
    }

    /// A row's time; `None` for a hop whose Received line has none (its
    /// record's time is a placeholder that must never be shown).
    pub fn time_of(&self, index: u32) -> Option<Timestamp> {
        match self.kind() {
            RowKind::Hop => self.hop(index).and_then(|h| h.time),
            RowKind::Access => Some(self.access(index).time),
        }
    }

    /// A row's address.
    pub fn ip_of(&self, index: u32) -> IpId {
        self.access(index).ip
    }

    /// A row's verdict.
    pub fn verdict(&self, index: u32) -> Option<Verdict> {
        self.verdicts.get(index as usize).copied().flatten()
    }

    /// A row's suggestion, if one was worked out.
    pub fn suggested(&self, index: u32) -> Option<Leaning> {
        self.suggestions.get(index as usize).copied()
    }

    /// The suggestion, `Unsure` where none was worked out.
    pub fn suggestion(&self, index: u32) -> Leaning {
        self.suggested(index).unwrap_or_default()
    }

    /// How sure a row's suggestion is, 0.5 to 1 (the calibrated
    /// probability that it is right, with what the analyst's labels taught
    /// it); `None` where no suggestion was worked out or it was stated
    /// rather than weighed.
    pub fn confidence(&self, index: u32) -> Option<f32> {
        self.suggested(index)?;
        let learned = self.learned(index).map_or(0.0, |like| like.weight);
        self.analysis
            .suggestions()
            .confidence(index as usize, learned)
    }

    /// The side a row's summed evidence points at (with what the labels
    /// taught it): what an unsure suggestion's confidence is about.
    /// `None` where there is no score or it is exactly even.
    pub fn leans_to(&self, index: u32) -> Option<Verdict> {
        self.suggested(index)?;
        let learned = self.learned(index).map_or(0.0, |like| like.weight);
        let score = self.analysis.suggestions().score(index as usize)? + learned;
        if score > 0.0 {
            Some(Verdict::Scanner)
        } else if score < 0.0 {
            Some(Verdict::Human)
        } else {
            None
        }
    }

    /// Why a row's suggestion leans the way it does, on one line: what the
    /// analyst's labels taught it first, then the signals.
    pub fn reasons_line(&self, index: u32) -> String {
        let signals = self
            .analysis
            .suggestions()
            .reasons_line(self.analysis, index as usize);
        match self.learned(index) {
            Some(like) if signals.is_empty() => format!("{} ({:+.1})", like.text(), like.weight),
            Some(like) => format!("{} ({:+.1}); {signals}", like.text(), like.weight),
            None => signals,
        }
    }

    /// What the analyst's labels taught a row's suggestion, if anything.
    pub fn learned(&self, index: u32) -> Option<Like> {
        self.learned.get(index as usize).copied().flatten()
    }

    /// Where a row's verdict came from, as the analysis resolved it from the
    /// knowledge base (the screen's export reads its labels instead).
    pub fn verdict_source(&self, index: u32) -> Option<String> {
        self.analysis
            .verdict(index as usize)
            .map(|r| r.source.describe(&self.analysis.zone))
    }

    /// The verdict if the analyst gave one, else where the suggestion leans.
    pub fn effective(&self, index: u32) -> Leaning {
        match self.verdict(index) {
            Some(v) => v.into(),
            None => self.suggestion(index),
        }
    }

    pub fn note(&self, ip: IpId) -> Option<&'a str> {
        self.owner_notes.get(ip.index()).and_then(|n| n.as_deref())
    }

    /// The owner as the table shows it: the analyst's note, else the
    /// organisation or ISP, else the AS organisation, else the internal reason.
    pub fn owner_label(&self, ip: IpId) -> Cow<'a, str> {
        if let Some(note) = self.note(ip) {
            return Cow::Borrowed(note);
        }
        let owner = &self.analysis.owners[ip.index()];
        if let Some(name) = owner.display_name() {
            return Cow::Borrowed(name);
        }
        match owner.internal {
            Some(why) => Cow::Owned(format!("internal ({why})")),
            None => Cow::Borrowed(""),
        }
    }
}
