//! What several commands need besides their own arguments: the owner
//! databases, the knowledge base, the analyst, the signatures.

use std::path::PathBuf;

use anyhow::Context;
use whoclicked::kb::{Author, KnowledgeBase, LocationSource, locate};
use whoclicked::owner::{self, OwnerDatabases};
use whoclicked::signals::Signatures;
use whoclicked::text::escape_controls;

use super::GlobalArgs;

/// Finds and opens the owner databases for any command: prints one line per
/// skipped file and, when there is none at all, one line on how to add one.
pub fn open_databases(global: &GlobalArgs) -> anyhow::Result<OwnerDatabases> {
    let found = owner::discover(&global.mmdb)?;
    for warning in &found.warnings {
        eprintln!("whoclicked: warning: {}", escape_controls(warning));
    }
    if found.databases.is_empty() {
        let user_dir = owner::user_mmdb_dir()
            .map(|d| format!("{}, ", d.display()))
            .unwrap_or_default();
        eprintln!(
            "whoclicked: no owner database found, so only internal addresses are recognised; \
             add a .mmdb file with --mmdb FILE or {} (a path list), or put one in \
             {user_dir}/usr/share/GeoIP, /var/lib/GeoIP or /usr/local/share/GeoIP; without a \
             MaxMind account build one from a free range list: \
             whoclicked mmdb build --from RANGES --out FILE.mmdb",
            owner::MMDB_ENV
        );
    }
    Ok(found.databases)
}

/// `--kb`, else `WHOCLICKED_KB`; else the data directory, or for the demo a
/// knowledge base of its own beside it, so that trying the demo never puts
/// its rules into the analyst's real one.
pub fn kb_dir(global: &GlobalArgs, demo: bool) -> anyhow::Result<PathBuf> {
    let location = locate(global.kb.as_deref())?;
    if demo && location.source == LocationSource::Default {
        return Ok(location.dir.join("demo-kb"));
    }
    Ok(location.dir)
}

/// Opens the knowledge base ([`kb_dir`]) and prints its warnings.
pub fn open_kb(global: &GlobalArgs, demo: bool) -> anyhow::Result<KnowledgeBase> {
    let dir = kb_dir(global, demo)?;
    let mut kb = KnowledgeBase::open(&dir)
        .with_context(|| format!("cannot open the knowledge base in {}", dir.display()))?;
    print_kb_warnings(&mut kb);
    Ok(kb)
}

pub fn print_kb_warnings(kb: &mut KnowledgeBase) {
    for w in kb.take_warnings() {
        eprintln!("whoclicked: warning: {}", escape_controls(&w.to_string()));
    }
}

/// The analyst named by `--analyst` (else the login name), for a campaign.
pub fn author(global: &GlobalArgs, campaign: Option<&str>) -> Author {
    Author::new(global.analyst.as_deref(), campaign)
}

/// The signatures in force: built in, or the user's file when there is one.
pub fn signatures() -> anyhow::Result<Signatures> {
    Ok(Signatures::load()?)
}
