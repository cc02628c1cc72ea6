//! The one pipeline from the user's choices to an [`Analysis`]. [`prepare`]
//! reads the campaign and opens what it needs; [`enrich`] gives every
//! address its owner (from the databases or, where they are silent, the
//! knowledge base's owner cache) and the analyst's note, and every
//! User-Agent its parse; [`Analysis::judge`] adds the suggestions and the
//! knowledge base's verdicts. The report and the review screen both go this
//! way, so they can never disagree about an access.

mod error;
mod mail;
pub use mail::ip_facts;
mod prepare;
pub mod signin;

pub use error::PipelineError;
pub use prepare::{
    CampaignSource, KnowledgeSource, Observer, PrepareOptions, Prepared, Stage, Warning,
    knowledge_base_dir, open_databases, open_knowledge_base, prepare,
};

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use jiff::tz::TimeZone;

use crate::analysis::Analysis;
use crate::enriched::Enriched;
use crate::input::LoadProgress;
use crate::kb::{Author, CachedOwner, CachedSource, KbError, KnowledgeBase};
use crate::model::Campaign;
use crate::owner::{DatabaseInfo, Owner, OwnerDatabases};
use crate::signals::Signatures;

/// What the pipeline needs besides the campaign.
pub struct PipelineInputs<'a> {
    pub databases: &'a OwnerDatabases,
    /// The knowledge base, when one is in use: its owner cache fills gaps,
    /// its notes inform the suggestions, its verdicts apply; newly learned
    /// owner facts are written back to it.
    pub kb: Option<&'a mut KnowledgeBase>,
    /// Write newly learned owner facts to the knowledge base's cache.
    pub cache_owners: bool,
    /// Who is running the pipeline, for the owner-cache entries it writes.
    pub author: &'a Author,
    pub signatures: Arc<Signatures>,
    pub zone: TimeZone,
}

/// What happened on the way that the user should hear about.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PipelineReport {
    /// Addresses no database knew that the owner cache answered.
    pub owners_from_cache: usize,
    /// Owner facts written to the cache.
    pub owners_cached: usize,
    /// Problems that did not stop the analysis (a knowledge base that could
    /// not be written, a database that failed on some lookups).
    pub warnings: Vec<String>,
}

/// Enriches, suggests and resolves. Never fails: what cannot be done is
/// reported in [`PipelineReport::warnings`] and the rest goes ahead.
pub fn analyse(campaign: Campaign, inputs: PipelineInputs<'_>) -> (Analysis, PipelineReport) {
    let PipelineInputs {
        databases,
        mut kb,
        cache_owners,
        author,
        signatures,
        zone,
    } = inputs;
    let (enriched, report) = enrich(
        campaign,
        databases,
        kb.as_deref_mut(),
        OwnerCaching {
            enabled: cache_owners,
            author,
        },
        zone,
        &LoadProgress::default(),
    );
    (Analysis::judge(enriched, signatures, kb.as_deref()), report)
}

/// Whether, and as whom, newly learned owner facts go to the knowledge base.
#[derive(Clone, Copy)]
pub struct OwnerCaching<'a> {
    pub enabled: bool,
    pub author: &'a Author,
}

/// The facts half of [`analyse`]: owners from the databases (else the
/// knowledge base's owner cache, which learns what the databases said when
/// `caching` allows), User-Agents, and the analyst's owner notes, read once.
pub fn enrich(
    campaign: Campaign,
    databases: &OwnerDatabases,
    kb: Option<&mut KnowledgeBase>,
    caching: OwnerCaching<'_>,
    zone: TimeZone,
    progress: &LoadProgress,
) -> (Enriched, PipelineReport) {
    let looked_up = look_up_owners(&campaign.ips, databases, kb.as_deref(), progress);
    enrich_looked_up(campaign, looked_up, databases, kb, caching, zone)
}

/// [`enrich`] with the owners already looked up (`looked_up`, in the order
/// of `campaign.ips`): a mail's addresses are looked up before its hop rows
/// exist, since the walk down the Received chain needs them, and are not
/// looked up a second time.
pub fn enrich_looked_up(
    campaign: Campaign,
    looked_up: OwnerLookup,
    databases: &OwnerDatabases,
    kb: Option<&mut KnowledgeBase>,
    caching: OwnerCaching<'_>,
    zone: TimeZone,
) -> (Enriched, PipelineReport) {
    let mut report = PipelineReport {
        owners_from_cache: looked_up.from_cache,
        ..PipelineReport::default()
    };
    for errors in databases.lookup_errors() {
        report.warnings.push(format!(
            "{}: {} lookups failed (the file may be damaged; first: {})",
            errors.path.display(),
            errors.count,
            errors.first
        ));
    }
    let mut notes = Vec::new();
    if let Some(kb) = kb {
        if caching.enabled && !kb.read_only() && !looked_up.to_cache.is_empty() {
            match cache_owners(kb, caching.author, &looked_up.to_cache) {
                Ok(count) => report.owners_cached = count,
                Err(err) => report
                    .warnings
                    .push(format!("owner facts not cached: {err}")),
            }
        }
        notes = kb.notes_for(&campaign.ips);
    }
    let enriched = Enriched::new(campaign, looked_up.owners, zone)
        .with_databases(databases.infos().to_vec())
        .with_notes(notes);
    (enriched, report)
}

/// Writes owner facts the databases gave to the knowledge base's cache, so a
/// machine without the databases still knows them; returns how many
/// networks were written.
pub fn cache_owners(
    kb: &mut KnowledgeBase,
    author: &Author,
    facts: &[(IpAddr, CachedOwner)],
) -> Result<usize, KbError> {
    kb.cache_owners(author, facts)
}

/// Owners for a list of addresses, and the facts the cache lacks.
pub struct OwnerLookup {
    /// One per address, in order.
    pub owners: Vec<Owner>,
    /// How many came from the knowledge base's cache.
    pub from_cache: usize,
    /// Per address: whether its owner came from the cache.
    pub cached: Vec<bool>,
    /// Facts from the databases that the cache does not hold yet.
    pub to_cache: Vec<(IpAddr, CachedOwner)>,
}

impl OwnerLookup {
    /// The owners of `wanted`, taken from this lookup of `looked_up` (the
    /// same addresses or more); an address it does not hold is looked up
    /// now. The facts to cache stay those of every address looked up.
    pub fn aligned_to(
        self,
        looked_up: &[IpAddr],
        wanted: &[IpAddr],
        databases: &OwnerDatabases,
        kb: Option<&KnowledgeBase>,
    ) -> OwnerLookup {
        let position: HashMap<IpAddr, usize> = looked_up
            .iter()
            .enumerate()
            .map(|(n, ip)| (ip.to_canonical(), n))
            .collect();
        let missing: Vec<IpAddr> = wanted
            .iter()
            .filter(|ip| !position.contains_key(&ip.to_canonical()))
            .copied()
            .collect();
        let extra = look_up_owners(&missing, databases, kb, &LoadProgress::default());
        let extra_at: HashMap<IpAddr, usize> =
            missing.iter().enumerate().map(|(n, ip)| (*ip, n)).collect();
        let mut out = OwnerLookup {
            owners: Vec::with_capacity(wanted.len()),
            from_cache: 0,
            cached: Vec::with_capacity(wanted.len()),
            to_cache: self.to_cache,
        };
        for ip in wanted {
            let (owner, cached) = match position.get(&ip.to_canonical()) {
                Some(&n) => (self.owners[n].clone(), self.cached[n]),
                None => match extra_at.get(ip) {
                    Some(&n) => (extra.owners[n].clone(), extra.cached[n]),
                    None => (Owner::default(), false),
                },
            };
            out.from_cache += usize::from(cached);
            out.owners.push(owner);
            out.cached.push(cached);
        }
        out.to_cache.extend(extra.to_cache);
        out
    }
}

/// Looks every address up in the databases; where they know nothing, asks
/// the knowledge base's owner cache ("keep the list of addresses you looked
/// up, and use it next time"). `progress` hears how many there are and how
/// many are done.
pub fn look_up_owners(
    ips: &[IpAddr],
    databases: &OwnerDatabases,
    kb: Option<&KnowledgeBase>,
    progress: &LoadProgress,
) -> OwnerLookup {
    progress.addresses_done.store(0, Ordering::Relaxed);
    progress
        .addresses_total
        .store(ips.len() as u64, Ordering::Relaxed);
    let mut owners = databases.lookup_all_counted(ips, &progress.addresses_done);
    let mut from_cache = 0;
    let mut cached_flags = vec![false; ips.len()];
    let mut to_cache = Vec::new();
    if let Some(kb) = kb {
        let infos = databases.infos();
        // The cache keeps one record per network the databases named: the
        // network's first address stands for the others (a log's 266,000
        // addresses are about 71,000 networks).
        let mut queued: HashSet<ipnetwork::IpNetwork> = HashSet::new();
        for ((owner, &ip), from_kb) in owners.iter_mut().zip(ips).zip(cached_flags.iter_mut()) {
            if owner.internal.is_some() {
                continue;
            }
            if owner.is_unknown() {
                if let Some(cached) = kb.cached_owner(ip)
                    && cached.covers(ip)
                {
                    *owner = cached.to_owner();
                    *from_kb = true;
                    from_cache += 1;
                }
                continue;
            }
            if let Some(net) = owner.network.map(crate::kb::rule_network)
                && net.contains(ip.to_canonical())
                && !queued.insert(net)
            {
                continue;
            }
            if let Some(cached) = CachedOwner::from_owner(owner, cache_sources(owner, infos))
                && kb.owner_changed(ip, &cached)
            {
                to_cache.push((ip, cached));
            }
        }
    }
    OwnerLookup {
        owners,
        from_cache,
        cached: cached_flags,
        to_cache,
    }
}

fn cache_sources(owner: &Owner, infos: &[DatabaseInfo]) -> Vec<CachedSource> {
    owner
        .sources
        .iter()
        .filter_map(|&i| infos.get(usize::from(i)))
        .map(|info| CachedSource::new(info.database_type.clone(), Some(info.build_time)))
        .collect()
}
