//! Sign-in and audit logs enriched: the owner of every distinct client
//! address (databases, else the knowledge base's owner cache), the
//! analyst's note on it and the rule in force for it (IP, network, AS),
//! then every event judged (`signin::judge`).

use std::collections::HashMap;
use std::net::IpAddr;

use jiff::tz::TimeZone;

use super::{OwnerLookup, look_up_owners};
use crate::input::LoadProgress;
use crate::kb::KnowledgeBase;
use crate::owner::OwnerDatabases;
use crate::signals::Signatures;
use crate::signin::Investigation;
use crate::signin::judge::{self, AddressFacts, Context, Judged};

/// An investigation with its addresses' facts and every event's judgement.
pub struct Judgement {
    pub facts: HashMap<IpAddr, AddressFacts>,
    /// One per event, in the investigation's order.
    pub judged: Vec<Judged>,
    /// Owner facts the databases gave that the knowledge base's cache lacks.
    pub to_cache: Vec<(IpAddr, crate::kb::CachedOwner)>,
}

/// What is known of each address: owner, note, rule.
pub fn address_facts(
    ips: &[IpAddr],
    databases: &OwnerDatabases,
    kb: Option<&KnowledgeBase>,
    progress: &LoadProgress,
) -> (HashMap<IpAddr, AddressFacts>, OwnerLookup) {
    let mut looked_up = look_up_owners(ips, databases, kb, progress);
    let owners = std::mem::take(&mut looked_up.owners);
    let notes = match kb {
        Some(kb) => kb.notes_for(ips),
        None => vec![None; ips.len()],
    };
    let facts = ips
        .iter()
        .zip(owners)
        .zip(notes)
        .map(|((&ip, owner), note)| {
            let rule = kb.and_then(|kb| kb.resolve_ip(ip, owner.asn));
            (ip, AddressFacts { owner, note, rule })
        })
        .collect();
    (facts, looked_up)
}

/// Looks up every address of `investigation` and judges its events.
pub fn judge_investigation(
    investigation: &Investigation,
    databases: &OwnerDatabases,
    kb: Option<&KnowledgeBase>,
    signatures: &Signatures,
    zone: &TimeZone,
    progress: &LoadProgress,
) -> Judgement {
    let ips = investigation.addresses();
    let (facts, looked_up) = address_facts(&ips, databases, kb, progress);
    let judged = judge::judge(
        &investigation.events,
        &Context {
            facts: &facts,
            signatures,
            zone,
        },
    );
    Judgement {
        facts,
        judged,
        to_cache: looked_up.to_cache,
    }
}
