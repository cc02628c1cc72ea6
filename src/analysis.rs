//! The enriched campaign: the accesses plus what was learned about each
//! distinct address and User-Agent. One pipeline builds it for the report and
//! the review screen alike.

use jiff::tz::TimeZone;

use crate::model::{Access, Campaign};
use crate::owner::Owner;
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
        }
    }

    pub fn owner(&self, access: &Access) -> &Owner {
        &self.owners[access.ip.index()]
    }

    pub fn ua(&self, access: &Access) -> &UaInfo {
        &self.user_agents[access.user_agent.index()]
    }
}
