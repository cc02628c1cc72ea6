//! Sign-in and audit logs enriched: the owner of every distinct client
//! address (databases, else the knowledge base's owner cache), the
//! analyst's note on it and the rule in force for it (IP, network, AS),
//! then every event judged (`signin::judge`).

use std::collections::HashMap;
use std::net::IpAddr;

use jiff::tz::TimeZone;

use super::{OwnerLookup, look_up_owners};
use crate::input::LoadProgress;
use crate::kb::{AccountHistory, KnowledgeBase};
use crate::model::{Campaign, LogFormat, ReadIssue};
use crate::owner::OwnerDatabases;
use crate::signals::Signatures;
use crate::signin::judge::{self, AddressFacts, Context, Judged};
use crate::signin::{Investigation, ReadOptions};

/// An investigation with its addresses' facts and every event's judgement.
pub struct Judgement {
    pub facts: HashMap<IpAddr, AddressFacts>,
    /// One per event, in the investigation's order.
    pub judged: Vec<Judged>,
    /// Owner facts the databases gave that the knowledge base's cache lacks.
    pub to_cache: Vec<(IpAddr, crate::kb::CachedOwner)>,
    /// The accounts' usual networks and countries in these logs, for the
    /// knowledge base's account history (the caller decides whether to
    /// keep them: not for the demo, not with a read-only base).
    pub learned: AccountHistory,
    /// The account history could not be read (it was judged without).
    pub warnings: Vec<String>,
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
    let mut warnings = Vec::new();
    let prior = kb.and_then(|kb| match kb.account_history() {
        Ok(history) => Some(history),
        Err(err) => {
            warnings.push(format!("the accounts' earlier history was not used: {err}"));
            None
        }
    });
    let ctx = Context {
        facts: &facts,
        signatures,
        zone,
        prior: prior.as_ref(),
    };
    let (judged, learned) = judge::judge_and_learn(&investigation.events, &ctx);
    Judgement {
        facts,
        judged,
        to_cache: looked_up.to_cache,
        learned,
        warnings,
    }
}

/// Sign-in and audit logs read for the review screen, not yet judged.
pub struct SignIns {
    pub investigation: Investigation,
    /// Files that could not be read at all, with why.
    pub failed: Vec<(String, String)>,
}

/// Reads the demo's logs, or every file; a file that cannot be read is
/// kept with its reason and the others load.
pub fn read_signins(files: &[std::path::PathBuf], demo: bool, options: &ReadOptions) -> SignIns {
    let mut failed = Vec::new();
    let investigation = if demo {
        crate::demo::signins::load(options).unwrap_or_else(|e| {
            failed.push(("demo".to_string(), e.to_string()));
            Investigation::new()
        })
    } else {
        let mut inv = Investigation::new();
        for path in files {
            let name = path.display().to_string();
            let outcome = std::fs::File::open(path)
                .map_err(|e| format!("cannot read {name}: {e}"))
                .and_then(|file| inv.read(&name, file, options).map_err(|e| e.to_string()));
            if let Err(reason) = outcome {
                failed.push((name, reason));
            }
        }
        inv.finish();
        inv
    };
    SignIns {
        investigation,
        failed,
    }
}

impl SignIns {
    /// The judged events as sign-in rows, with the unreadable records and
    /// files as the campaign's read issues.
    pub fn into_campaign(self, judged: &[Judged]) -> Campaign {
        let inv = self.investigation;
        let mut campaign = crate::signin::rows::event_campaign(&inv, judged);
        for issue in &inv.issues {
            campaign.push_issue(ReadIssue {
                file: issue.file,
                line: issue.line,
                field: issue.column.clone(),
                reason: issue.reason.clone(),
            });
        }
        for (name, reason) in self.failed {
            let file = campaign.add_file(&name, LogFormat::SignIn);
            campaign.push_issue(ReadIssue {
                file,
                line: 0,
                field: None,
                reason,
            });
        }
        campaign
    }
}
