//! Mails as a campaign for the review screen: their headers read and
//! parsed, then (once the owner databases are open) walked against what is
//! trusted and turned into one row per hop (`mail::rows`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;

use super::{OwnerLookup, look_up_owners};
use crate::input::LoadProgress;
use crate::kb::KnowledgeBase;
use crate::mail::{self, IpFacts, Parsed, Trust};
use crate::model::{Campaign, LogFormat, ReadIssue};
use crate::owner::{Owner, OwnerDatabases};

/// Mails read, not yet analysed.
pub struct Mails {
    parsed: Vec<Parsed>,
    /// Files that could not be read at all, with why.
    failed: Vec<(String, String)>,
}

/// Reads every file's messages; a file that is not a mail (or cannot be
/// read) becomes a read issue of its own and the others load.
pub fn read_mails(files: &[PathBuf]) -> Mails {
    let mut messages = Vec::new();
    let mut failed = Vec::new();
    for path in files {
        let name = path.display().to_string();
        match std::fs::read(path) {
            Ok(bytes) => match mail::read(&name, &bytes) {
                Ok(found) => messages.extend(found),
                Err(err) => failed.push((name, err.to_string())),
            },
            Err(err) => failed.push((name, err.to_string())),
        }
    }
    Mails {
        parsed: mail::parse(messages),
        failed,
    }
}

impl Mails {
    /// The hop rows, the walk made with the owners the databases (else the
    /// knowledge base's cache) give and the knowledge base's notes; and
    /// those owners in the order of the rows' addresses (`Campaign::ips`),
    /// for the enrichment, so no address is looked up twice.
    pub fn into_campaign(
        self,
        databases: &OwnerDatabases,
        kb: Option<&mut KnowledgeBase>,
        trust: &[String],
        progress: &LoadProgress,
    ) -> (Campaign, OwnerLookup) {
        let mut walk = Trust::default();
        for item in trust {
            // Checked by the caller; one that still fails trusts nothing more.
            let _ = walk.add(item);
        }
        let ips = mail::distinct_addresses(&self.parsed);
        let kb = kb.map(|kb| &*kb);
        let looked_up = look_up_owners(&ips, databases, kb, progress);
        let facts = ip_facts(&ips, looked_up.owners.clone(), kb);
        let reports = mail::analyse_all(self.parsed, &facts, &walk);
        let mut campaign = mail::rows::hop_campaign(&reports);
        for (n, report) in reports.iter().enumerate() {
            for issue in &report.issues {
                campaign.push_issue(ReadIssue {
                    file: n as u16,
                    line: issue.line as u64,
                    field: Some("Received".to_string()),
                    reason: issue.text.clone(),
                });
            }
        }
        for (name, reason) in self.failed {
            let file = campaign.add_file(&name, LogFormat::Mail);
            campaign.push_issue(ReadIssue {
                file,
                line: 0,
                field: None,
                reason,
            });
        }
        let owners = looked_up.aligned_to(&ips, &campaign.ips, databases, kb);
        (campaign, owners)
    }
}

/// What the Received walk knows of each address: its owner (as looked up,
/// in the order of `ips`) and the knowledge base's note on it.
pub fn ip_facts(
    ips: &[IpAddr],
    owners: Vec<Owner>,
    kb: Option<&KnowledgeBase>,
) -> HashMap<IpAddr, IpFacts> {
    let notes = match kb {
        Some(kb) => kb.notes_for(ips),
        None => vec![None; ips.len()],
    };
    ips.iter()
        .zip(owners)
        .zip(notes)
        .map(|((ip, owner), note)| (*ip, IpFacts { owner, note }))
        .collect()
}
