//! What several commands need besides their own arguments: the owner
//! databases, the knowledge base, the analyst, and how the library's
//! warnings are printed.

use std::path::PathBuf;

use whoclicked::kb::{Author, KnowledgeBase};
use whoclicked::model::Campaign;
use whoclicked::owner::OwnerDatabases;
use whoclicked::pipeline::{self, Observer, Warning};
use whoclicked::text::escape_controls;

use super::GlobalArgs;
use super::load::print_issues;

/// Prints what the library reports on the way, on stderr, as it happens.
pub struct Stderr;

impl Observer for Stderr {
    fn campaign_read(&mut self, campaign: &Campaign) {
        print_issues(campaign);
    }

    fn warning(&mut self, warning: Warning) {
        match warning {
            // Advice, not a problem with anything the user gave.
            Warning::NoDatabase => eprintln!("whoclicked: {warning}"),
            Warning::Analysis(text)
            | Warning::StaleData(text)
            | Warning::DatabaseDamaged(text)
            | Warning::Network(text) => {
                eprintln!("whoclicked: warning: {text}")
            }
            Warning::DatabaseSkipped(_) | Warning::KnowledgeBase(_) => eprintln!(
                "whoclicked: warning: {}",
                escape_controls(&warning.to_string())
            ),
        }
    }
}

/// Finds and opens the owner databases for any command: prints one line per
/// skipped file and, when there is none at all, one line on how to add one.
pub fn open_databases(global: &GlobalArgs) -> anyhow::Result<OwnerDatabases> {
    Ok(pipeline::open_databases(false, &global.mmdb, &mut Stderr)?)
}

/// `--kb`, else `WHOCLICKED_KB`; else the data directory, or for the demo a
/// knowledge base of its own beside it ([`pipeline::knowledge_base_dir`]).
pub fn kb_dir(global: &GlobalArgs, demo: bool) -> anyhow::Result<PathBuf> {
    Ok(pipeline::knowledge_base_dir(global.kb.as_deref(), demo)?)
}

/// Opens the knowledge base ([`kb_dir`]) and prints its warnings.
pub fn open_kb(global: &GlobalArgs, demo: bool) -> anyhow::Result<KnowledgeBase> {
    let dir = kb_dir(global, demo)?;
    Ok(pipeline::open_knowledge_base(&dir, &mut Stderr)?)
}

/// The analyst named by `--analyst` (else the login name), for a campaign.
pub fn author(global: &GlobalArgs, campaign: Option<&str>) -> Author {
    Author::new(global.analyst.as_deref(), campaign)
}
