//! What the review model reads: the enriched campaign plus the analyst's
//! current verdicts, the suggestions and the owner notes.

use std::borrow::Cow;
use std::sync::Arc;

use crate::analysis::Analysis;
use crate::model::{Access, IpId, Leaning, Verdict};

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
}

impl<'a> ReviewContext<'a> {
    pub fn new(analysis: &'a Analysis) -> Self {
        ReviewContext {
            analysis,
            verdicts: &[],
            suggestions: &[],
            owner_notes: &[],
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

    pub fn verdict(&self, index: u32) -> Option<Verdict> {
        self.verdicts.get(index as usize).copied().flatten()
    }

    pub fn suggestion(&self, index: u32) -> Leaning {
        self.suggestions
            .get(index as usize)
            .copied()
            .unwrap_or_default()
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
