//! The enriched campaign: the accesses plus what was learned about each
//! distinct address and User-Agent. One pipeline builds it for the report and
//! the review screen alike.

use std::sync::Arc;

use jiff::tz::TimeZone;

use crate::model::{Access, Campaign};
use crate::owner::Owner;
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
    /// Scanner/human suggestions, once [`Analysis::suggest`] has run.
    pub suggestions: Option<Suggestions>,
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
        Analysis {
            campaign,
            owners,
            user_agents,
            zone,
            suggestions: None,
        }
    }

    /// Runs the suggestion pass (a separate step: it reads the whole
    /// campaign and costs more than enrichment).
    pub fn suggest(&mut self, signatures: Arc<Signatures>, notes: &dyn OwnerNotes) {
        self.suggestions = Some(Suggestions::compute(self, signatures, notes));
    }

    /// The position of `access` in `campaign.accesses`, when it is one of
    /// them. Report cells receive accesses by reference from that vector;
    /// this recovers the index that per-access tables are keyed by.
    pub fn position(&self, access: &Access) -> Option<usize> {
        let size = std::mem::size_of::<Access>();
        let base = self.campaign.accesses.as_ptr() as usize;
        let offset = (access as *const Access as usize).checked_sub(base)?;
        let index = offset / size;
        (offset % size == 0 && index < self.campaign.accesses.len()).then_some(index)
    }

    /// The suggestion for `access`, when suggestions have run.
    pub fn suggestion(&self, access: &Access) -> Option<Suggestion> {
        self.suggestions.as_ref()?.get(self.position(access)?)
    }

    pub fn owner(&self, access: &Access) -> &Owner {
        &self.owners[access.ip.index()]
    }

    pub fn ua(&self, access: &Access) -> &UaInfo {
        &self.user_agents[access.user_agent.index()]
    }
}
