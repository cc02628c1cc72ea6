//! The campaign and what is known about each of its distinct addresses and
//! User-Agents: owner facts, parsed User-Agents, the analyst's owner notes.
//! Facts, not judgements: the signals read this to suggest, and the
//! [`Analysis`](crate::analysis::Analysis) wraps it with their suggestions
//! and the knowledge base's verdicts. Built once, then only read.

use std::sync::Arc;

use jiff::tz::TimeZone;

use crate::kb::OwnerNote;
use crate::model::{Access, Campaign, IpId};
use crate::network::{Correlation, Tie};
use crate::owner::{DatabaseInfo, Owner, Owners};
use crate::ua::{self, UaInfo};

/// A campaign with every distinct IP and User-Agent enriched.
#[derive(Debug, Clone)]
pub struct Enriched {
    pub campaign: Campaign,
    /// Owner facts, indexed by `IpId` (each distinct owner stored once).
    pub owners: Owners,
    /// Parsed User-Agents, indexed by `UaId`.
    pub user_agents: Vec<UaInfo>,
    /// The zone times are shown in.
    pub zone: TimeZone,
    /// The owner databases the owners came from (`Owner::sources` indexes it).
    pub databases: Vec<DatabaseInfo>,
    /// The analyst's owner note per address (`IpId` index), when there is one.
    pub notes: Vec<Option<OwnerNote>>,
    /// Accesses tied to PCs through the proxy and DHCP logs (empty without them).
    pub network: Arc<Correlation>,
}

impl Enriched {
    /// Enriches `campaign`: `owners` must hold one entry per `campaign.ips`
    /// (in order); User-Agents are parsed here, once per distinct string.
    /// No databases are named and no notes known until given.
    pub fn new(campaign: Campaign, owners: Vec<Owner>, zone: TimeZone) -> Self {
        let mut owners = Owners::from(owners);
        // Indexing by IpId must never go out of bounds, whatever the caller passed.
        owners.resize(campaign.ips.len());
        let ua_strings: Vec<&str> = campaign
            .user_agents
            .iter()
            .map(|&sym| campaign.strings.get(sym))
            .collect();
        let user_agents = ua::parse_all(&ua_strings);
        let notes = vec![None; campaign.ips.len()];
        Enriched {
            campaign,
            owners,
            user_agents,
            zone,
            databases: Vec::new(),
            notes,
            network: Arc::default(),
        }
    }

    /// The databases the owners came from.
    pub fn with_databases(mut self, databases: Vec<DatabaseInfo>) -> Self {
        self.databases = databases;
        self
    }

    /// The analyst's owner notes, one per address (`IpId` index).
    pub fn with_notes(mut self, mut notes: Vec<Option<OwnerNote>>) -> Self {
        notes.resize(self.campaign.ips.len(), None);
        self.notes = notes;
        self
    }

    /// The ties of accesses to PCs, from the proxy and DHCP logs.
    pub fn with_network(mut self, correlation: Correlation) -> Self {
        self.network = Arc::new(correlation);
        self
    }

    /// The PC the access at `index` was tied to, if any.
    pub fn tie(&self, index: usize) -> Option<&Tie> {
        self.network.tie(index)
    }

    pub fn owner(&self, access: &Access) -> &Owner {
        &self.owners[access.ip.index()]
    }

    pub fn ua(&self, access: &Access) -> &UaInfo {
        &self.user_agents[access.user_agent.index()]
    }

    /// The analyst's note about an address, with the verdict it hints at.
    pub fn owner_note(&self, ip: IpId) -> Option<&OwnerNote> {
        self.notes.get(ip.index()).and_then(Option::as_ref)
    }

    /// The note the analyst wrote about the address of `access`.
    pub fn note(&self, access: &Access) -> Option<&str> {
        self.owner_note(access.ip).map(|n| &*n.text)
    }

    /// The notes' texts per address, as the review screen holds them.
    pub fn note_texts(&self) -> Vec<Option<Arc<str>>> {
        self.notes
            .iter()
            .map(|n| n.as_ref().map(|n| Arc::clone(&n.text)))
            .collect()
    }
}
