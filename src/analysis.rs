//! The judged campaign: the [`Enriched`] facts, the suggestion for every
//! access, and the knowledge base's verdicts. Built complete in one step
//! ([`Analysis::judge`], which the [`pipeline`](crate::pipeline) calls for
//! the report and the review screen alike) and only read afterwards: the
//! screen keeps the labels the analyst makes in its own cache.

use std::ops::Deref;
use std::sync::Arc;

use crate::enriched::Enriched;
use crate::kb::{CampaignVerdicts, KnowledgeBase, Resolved};
use crate::model::{IpId, RowKind, Verdict};
use crate::signals::{Signatures, Suggestion, Suggestions};

/// An enriched campaign with its suggestions and verdicts. Reads as its
/// [`Enriched`] (`analysis.campaign`, `analysis.owners`…).
#[derive(Debug, Clone)]
pub struct Analysis {
    enriched: Enriched,
    suggestions: Suggestions,
    verdicts: CampaignVerdicts,
}

impl Analysis {
    /// Suggests for every access of `enriched` and, with a knowledge base,
    /// resolves its verdicts (none without one).
    pub fn judge(
        enriched: Enriched,
        signatures: Arc<Signatures>,
        kb: Option<&KnowledgeBase>,
    ) -> Analysis {
        // The signals weigh clicks (User-Agent, screen, timing after
        // delivery…): they say nothing of a mail's hops, which stay unsure
        // until the analyst labels them.
        let suggestions = match enriched.campaign.kind {
            RowKind::Access => Suggestions::compute(&enriched, signatures),
            RowKind::Hop => Suggestions::stated(vec![
                crate::model::Leaning::Unsure;
                enriched.campaign.accesses.len()
            ]),
        };
        let verdicts = kb
            .map(|kb| {
                kb.resolve_campaign(&enriched.campaign, |ip: IpId| {
                    enriched.owners[ip.index()].asn
                })
            })
            .unwrap_or_default();
        Analysis::from_parts(enriched, suggestions, verdicts)
    }

    /// An analysis of parts worked out elsewhere (fixtures with suggestions
    /// stated by hand); [`Analysis::judge`] is the pipeline's way.
    pub fn from_parts(
        enriched: Enriched,
        suggestions: Suggestions,
        verdicts: CampaignVerdicts,
    ) -> Analysis {
        Analysis {
            enriched,
            suggestions,
            verdicts,
        }
    }

    /// The campaign, to add read problems to before the analysis is shared
    /// (fixtures of the read-errors panel). The suggestions and verdicts were
    /// worked out for the accesses as they were: change nothing they read.
    /// Test support only: nothing in the program changes an analysis.
    #[cfg(feature = "testing")]
    pub fn campaign_mut(&mut self) -> &mut crate::model::Campaign {
        &mut self.enriched.campaign
    }

    pub fn enriched(&self) -> &Enriched {
        &self.enriched
    }

    /// The facts alone, the judgement given up.
    pub fn into_enriched(self) -> Enriched {
        self.enriched
    }

    pub fn suggestions(&self) -> &Suggestions {
        &self.suggestions
    }

    /// The knowledge base's verdicts as the campaign was judged.
    pub fn verdicts(&self) -> &CampaignVerdicts {
        &self.verdicts
    }

    /// The suggestion for `campaign.accesses[index]`.
    pub fn suggestion(&self, index: usize) -> Option<Suggestion> {
        self.suggestions.get(index)
    }

    /// The knowledge base's verdict for `campaign.accesses[index]`, with its source.
    pub fn verdict(&self, index: usize) -> Option<&Resolved> {
        let access = self.campaign.accesses.get(index)?;
        self.verdicts.get(index, access)
    }

    /// Verdicts per access, for the review model.
    pub fn verdict_column(&self) -> Vec<Option<Verdict>> {
        (0..self.campaign.accesses.len())
            .map(|i| self.verdict(i).map(|r| r.verdict))
            .collect()
    }
}

impl Deref for Analysis {
    type Target = Enriched;

    fn deref(&self) -> &Enriched {
        &self.enriched
    }
}
