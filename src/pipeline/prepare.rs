//! From the user's choices to a judged campaign, the same way for every
//! command: read the campaign (the demo or log files), open the owner
//! databases (the demo's own, or those found), open the knowledge base, load
//! the signatures, and run the pipeline. `report` and the review screen call
//! [`prepare`]; `lookup` opens databases and knowledge base with the same
//! functions.
//!
//! What happens on the way is told to an [`Observer`] as it happens, so the
//! command line prints its messages in the order they arise (also when a
//! later step fails) and the screen collects them for its read-errors panel.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use super::error::PipelineError;
use super::{OwnerCaching, enrich, enrich_looked_up};
use crate::analysis::Analysis;
use crate::demo;
use crate::input::{self, LoadOptions, LoadProgress};
use crate::kb::{self, Author, KbError, KbWarning, KnowledgeBase, LocationSource};
use crate::model::Campaign;
use crate::network::{self as net, NetworkOptions};
use crate::owner::{self, OwnerDatabases};
use crate::signals::Signatures;

/// Which campaign to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CampaignSource {
    /// The bundled demo campaign, with its own owner database.
    Demo,
    /// Log files read as one campaign (`-` is standard input).
    Logs(Vec<PathBuf>),
    /// Sign-in and audit logs (or their demo): one row per event, judged
    /// against the account's history (`signin::judge`).
    SignIns {
        files: Vec<PathBuf>,
        demo: bool,
        /// `--log-format`, when it names a sign-in format.
        kind: Option<crate::signin::LogKind>,
    },
    /// Mails (.eml, .msg, mbox): one row per hop of their Received chains,
    /// walked against `trust` (Microsoft 365 and Google trusted already).
    Mail {
        files: Vec<PathBuf>,
        /// `--trust` items, already checked by [`crate::mail::Trust::add`].
        trust: Vec<String>,
    },
}

/// Which knowledge base the campaign is judged with.
#[derive(Clone, Debug)]
pub enum KnowledgeSource {
    /// None: no stored verdicts, notes or cached owners, nothing written.
    Without,
    /// The one [`knowledge_base_dir`] finds, opened by [`prepare`].
    Located {
        /// The directory the user named (`--kb`).
        explicit: Option<PathBuf>,
        demo: bool,
    },
    /// One the caller opened and shares (the review screen writes its labels to it).
    Shared(Arc<Mutex<KnowledgeBase>>),
}

/// Everything [`prepare`] needs, already parsed.
#[derive(Clone, Debug)]
pub struct PrepareOptions {
    pub campaign: CampaignSource,
    /// Format, encoding, zone (also the zone times are shown in), recipient
    /// parameter and trusted proxies.
    pub load: LoadOptions,
    /// Owner databases named by the user, consulted before any found.
    pub mmdb: Vec<PathBuf>,
    pub kb: KnowledgeSource,
    /// Who the owner-cache entries written on the way are by.
    pub author: Author,
    /// Write owner facts the databases gave to the knowledge base's cache.
    pub cache_owners: bool,
    /// Decoy link patterns beside the signature file's (`--decoy`).
    pub decoys: Vec<String>,
    /// How accesses are tied to the proxy and DHCP logs among the files.
    pub network: NetworkOptions,
}

/// A judged campaign and what else [`prepare`] opened.
#[derive(Debug)]
pub struct Prepared {
    pub analysis: Analysis,
    /// The knowledge base opened for [`KnowledgeSource::Located`], for work
    /// that goes on with it; `None` for the other sources.
    pub kb: Option<KnowledgeBase>,
    /// Addresses no database knew that the owner cache answered.
    pub owners_from_cache: usize,
    /// Owner facts written to the cache.
    pub owners_cached: usize,
    /// Addresses looked up in the owner databases on the way: each distinct
    /// address once.
    pub addresses_looked_up: u64,
}

/// The steps, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    Reading = 0,
    Enriching = 1,
    Suggesting = 2,
}

impl Stage {
    pub fn title(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Enriching => "looking up owners",
            Stage::Suggesting => "weighing the evidence",
        }
    }
}

/// Something the user should hear about that did not stop the work.
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// A database file in a default place that could not be used.
    DatabaseSkipped(String),
    /// No owner database at all (the text is advice on getting one).
    NoDatabase,
    /// A database in use that failed its full integrity check (found on a
    /// thread beside the work, or remembered from an earlier check).
    DatabaseDamaged(String),
    /// Owner data in use that is old enough to mislead (the bundled
    /// database past six months), with what to do about it.
    StaleData(String),
    /// A problem the knowledge base met while reading (a torn last line…).
    KnowledgeBase(KbWarning),
    /// From the analysis: lookups that failed in a database, owner facts
    /// that could not be cached.
    Analysis(String),
    /// From tying accesses to the proxy and DHCP logs: a log of another
    /// day, overlapping leases, clocks apart.
    Network(String),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::DatabaseSkipped(text)
            | Warning::DatabaseDamaged(text)
            | Warning::Analysis(text)
            | Warning::StaleData(text)
            | Warning::Network(text) => f.write_str(text),
            Warning::NoDatabase => f.write_str(&owner::no_database_advice()),
            Warning::KnowledgeBase(w) => w.fmt(f),
        }
    }
}

/// Hears what [`prepare`] does as it goes.
pub trait Observer {
    /// A step begins.
    fn stage(&mut self, _stage: Stage) {}
    /// The campaign has been read; its unreadable rows are in `campaign.issues`.
    fn campaign_read(&mut self, _campaign: &Campaign) {}
    fn warning(&mut self, warning: Warning);
}

/// Reads, enriches and judges the campaign `options` name. Stops early, with
/// [`PipelineError::Cancelled`], when `progress.cancel` is set.
pub fn prepare(
    options: &PrepareOptions,
    progress: &LoadProgress,
    observer: &mut dyn Observer,
) -> Result<Prepared, PipelineError> {
    observer.stage(Stage::Reading);
    let demo = options.campaign == CampaignSource::Demo;
    let mut mails = None;
    let mut signins = None;
    let campaign = match &options.campaign {
        CampaignSource::SignIns { files, demo, kind } => {
            let read = crate::signin::ReadOptions {
                kind: *kind,
                date_order: options.load.date_order,
                keep_raw: true,
            };
            signins = Some(super::signin::read_signins(files, *demo, &read));
            Campaign::new()
        }
        CampaignSource::Demo => demo::load(&options.load, progress)?,
        CampaignSource::Logs(logs) => input::load(logs, &options.load, progress)?,
        CampaignSource::Mail { files, .. } => {
            mails = Some(super::mail::read_mails(files));
            Campaign::new()
        }
    };
    if mails.is_none() && signins.is_none() {
        observer.campaign_read(&campaign);
    }
    let correlation = net::correlate(&campaign, &options.network);
    for message in &correlation.messages {
        observer.warning(Warning::Network(message.clone()));
    }
    stop_if_cancelled(progress)?;

    observer.stage(Stage::Enriching);
    let databases = match &options.campaign {
        CampaignSource::SignIns { demo: true, .. } => demo::signins::databases(&options.mmdb)?,
        _ => open_databases(demo, &options.mmdb, observer)?,
    };
    let integrity = owner::check_integrity(databases.infos());
    let mut opened = match &options.kb {
        KnowledgeSource::Located { explicit, demo } => {
            let dir =
                knowledge_base_dir(explicit.as_deref(), *demo).map_err(PipelineError::Locate)?;
            Some(open_knowledge_base(&dir, observer)?)
        }
        KnowledgeSource::Without | KnowledgeSource::Shared(_) => None,
    };
    let mut signatures = Signatures::load()?;
    signatures.decoys.extend(options.decoys.iter().cloned());
    let signatures = Arc::new(signatures);
    let mut shared = match &options.kb {
        KnowledgeSource::Shared(kb) => Some(
            kb.lock()
                .map_err(|_| PipelineError::KnowledgeBasePoisoned)?,
        ),
        _ => None,
    };
    let mut kb = opened.as_mut().or(shared.as_deref_mut());
    let caching = OwnerCaching {
        enabled: options.cache_owners,
        author: &options.author,
    };
    let zone = options.load.zone.clone();
    let (enriched, report) = match (mails, &options.campaign) {
        (Some(mails), CampaignSource::Mail { trust, .. }) => {
            // The walk down the chain needs the owners first (which
            // networks are a provider's); the enrichment takes them from
            // there rather than looking every address up again.
            let (campaign, owners) =
                mails.into_campaign(&databases, kb.as_deref_mut(), trust, progress);
            observer.campaign_read(&campaign);
            enrich_looked_up(campaign, owners, &databases, kb, caching, zone)
        }
        (_, CampaignSource::SignIns { .. }) if signins.is_some() => {
            let read = signins.take().expect("checked above");
            let judgement = super::signin::judge_investigation(
                &read.investigation,
                &databases,
                kb.as_deref(),
                &signatures,
                &zone,
                progress,
            );
            for warning in &judgement.warnings {
                observer.warning(Warning::Analysis(warning.clone()));
            }
            // What these logs show as the accounts' usual places joins the
            // knowledge base's account history (not the demo's).
            if let Some(kb) = kb.as_deref_mut()
                && caching.enabled
                && !kb.read_only()
                && let Err(err) = kb.remember_accounts(&judgement.learned)
            {
                observer.warning(Warning::Analysis(format!(
                    "the accounts' usual places were not kept: {err}"
                )));
            }
            let campaign = read.into_campaign(&judgement.judged);
            observer.campaign_read(&campaign);
            enrich(campaign, &databases, kb, caching, zone, progress)
        }
        _ => enrich(campaign, &databases, kb, caching, zone, progress),
    };
    for warning in report.warnings {
        observer.warning(Warning::Analysis(warning));
    }
    let enriched = enriched.with_network(correlation);
    stop_if_cancelled(progress)?;

    observer.stage(Stage::Suggesting);
    let kb = opened.as_ref().or(shared.as_deref());
    let analysis = Analysis::judge(enriched, signatures, kb);
    drop(shared);
    for damaged in integrity.finish() {
        observer.warning(Warning::DatabaseDamaged(damaged.to_string()));
    }
    Ok(Prepared {
        analysis,
        kb: opened,
        owners_from_cache: report.owners_from_cache,
        owners_cached: report.owners_cached,
        addresses_looked_up: databases.addresses_looked_up(),
    })
}

/// The owner databases: the demo's own followed by `extra`, or (not `demo`)
/// those `extra` names and those found in the usual places. Skipped files
/// and the lack of any database are warnings.
pub fn open_databases(
    demo: bool,
    extra: &[PathBuf],
    observer: &mut dyn Observer,
) -> Result<OwnerDatabases, PipelineError> {
    if demo {
        return Ok(demo::databases(extra)?);
    }
    let found = owner::discover(extra)?;
    for warning in found.warnings {
        observer.warning(Warning::DatabaseSkipped(warning));
    }
    if found.databases.is_empty() {
        observer.warning(Warning::NoDatabase);
    }
    let now = jiff::Timestamp::now();
    for info in found.databases.infos() {
        if let Some(stale) = owner::stale_warning(info, now) {
            observer.warning(Warning::StaleData(stale));
        }
    }
    Ok(found.databases)
}

/// Where the knowledge base is: the directory the user named, else
/// `WHOCLICKED_KB`, else the data directory; for the demo, a knowledge base
/// of its own beside that default, so that trying the demo never puts its
/// rules into the analyst's real one.
pub fn knowledge_base_dir(explicit: Option<&Path>, demo: bool) -> Result<PathBuf, KbError> {
    let location = kb::locate(explicit)?;
    if demo && location.source == LocationSource::Default {
        return Ok(location.dir.join("demo-kb"));
    }
    Ok(location.dir)
}

/// Opens the knowledge base in `dir`; what it met while reading are warnings.
pub fn open_knowledge_base(
    dir: &Path,
    observer: &mut dyn Observer,
) -> Result<KnowledgeBase, PipelineError> {
    let mut kb = KnowledgeBase::open(dir).map_err(|source| PipelineError::KnowledgeBase {
        dir: dir.to_path_buf(),
        source,
    })?;
    for warning in kb.take_warnings() {
        observer.warning(Warning::KnowledgeBase(warning));
    }
    Ok(kb)
}

fn stop_if_cancelled(progress: &LoadProgress) -> Result<(), PipelineError> {
    if progress.cancel.load(Ordering::Relaxed) {
        Err(PipelineError::Cancelled)
    } else {
        Ok(())
    }
}
