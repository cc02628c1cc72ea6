//! The enriched campaign: the accesses plus what was learned about each
//! distinct address and User-Agent, the suggestions, and the analyst's
//! verdicts and notes from the knowledge base. One pipeline
//! ([`crate::pipeline`]) builds it for the report and the review screen alike.

use std::sync::Arc;

use jiff::tz::TimeZone;

use crate::kb::{CampaignVerdicts, KnowledgeBase, Resolved};
use crate::model::{Access, Campaign, IpId, Verdict};
use crate::owner::{DatabaseInfo, Owner};
use crate::signals::{OwnerNotes, Signatures, Suggestion, Suggestions};
use crate::ua::{self, UaInfo};

/// A campaign with every distinct IP and User-Agent enriched.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub campaign: Campaign,
    /// Owner facts, indexed by `IpId`.
    pub owners: Vec<Owner>,
    /// Parsed User-Agents, indexed by `UaId`.
    pub user_agents: Vec<UaInfo>,
    /// The zone times are shown in.
    pub zone: TimeZone,
    /// The owner databases the owners came from (`Owner::sources` indexes it).
    pub databases: Vec<DatabaseInfo>,
    /// Scanner/human suggestions, once [`Analysis::suggest`] has run.
    pub suggestions: Option<Suggestions>,
    /// The knowledge base's verdicts, once [`Analysis::resolve_verdicts`] has run.
    pub verdicts: Option<CampaignVerdicts>,
    /// The analyst's owner note per address (`IpId` index), when there is one.
    pub notes: Vec<Option<Arc<str>>>,
}

impl Analysis {
    /// Enriches `campaign`: `owners` must hold one entry per `campaign.ips`
    /// (in order); User-Agents are parsed here, once per distinct string.
    pub fn new(campaign: Campaign, mut owners: Vec<Owner>, zone: TimeZone) -> Self {
        // Indexing by IpId must never go out of bounds, whatever the caller passed.
        owners.resize(campaign.ips.len(), Owner::default());
        let ua_strings: Vec<&str> = campaign
            .user_agents
            .iter()
            .map(|&sym| campaign.strings.get(sym))
            .collect();
        let user_agents = ua::parse_all(&ua_strings);
        let notes = vec![None; campaign.ips.len()];
        Analysis {
            campaign,
            owners,
            user_agents,
            zone,
            databases: Vec::new(),
            suggestions: None,
            verdicts: None,
            notes,
        }
    }

    /// Runs the suggestion pass (a separate step: it reads the whole
    /// campaign and costs more than enrichment).
    pub fn suggest(&mut self, signatures: Arc<Signatures>, notes: &dyn OwnerNotes) {
        self.suggestions = Some(Suggestions::compute(self, signatures, notes));
    }

    /// Takes the knowledge base's verdicts and owner notes for this campaign.
    /// Cheap enough to run again after every label.
    pub fn resolve_verdicts(&mut self, kb: &KnowledgeBase) {
        let owners = &self.owners;
        self.verdicts =
            Some(kb.resolve_campaign(&self.campaign, |ip: IpId| owners[ip.index()].asn));
        self.notes = self
            .campaign
            .ips
            .iter()
            .map(|&ip| kb.note_for(ip).map(|n| Arc::from(n.text)))
            .collect();
    }

    /// The suggestion for `campaign.accesses[index]`, when suggestions have run.
    pub fn suggestion(&self, index: usize) -> Option<Suggestion> {
        self.suggestions.as_ref()?.get(index)
    }

    /// The knowledge base's verdict for `campaign.accesses[index]`, with its source.
    pub fn verdict(&self, index: usize) -> Option<&Resolved> {
        let access = self.campaign.accesses.get(index)?;
        self.verdicts.as_ref()?.get(index, access)
    }

    /// Verdicts per access, for the review model.
    pub fn verdict_column(&self) -> Vec<Option<Verdict>> {
        (0..self.campaign.accesses.len())
            .map(|i| self.verdict(i).map(|r| r.verdict))
            .collect()
    }

    pub fn owner(&self, access: &Access) -> &Owner {
        &self.owners[access.ip.index()]
    }

    pub fn ua(&self, access: &Access) -> &UaInfo {
        &self.user_agents[access.user_agent.index()]
    }

    /// The note the analyst wrote about the address of `access`.
    pub fn note(&self, access: &Access) -> Option<&str> {
        self.notes.get(access.ip.index()).and_then(|n| n.as_deref())
    }
}
