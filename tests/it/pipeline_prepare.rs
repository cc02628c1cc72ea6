//! The session builder every command uses: from typed options to a judged
//! campaign, with what happened on the way told as it happens, typed errors,
//! and the knowledge base located, shared or left out.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use whoclicked::input::{LoadError, LoadOptions, LoadProgress};
use whoclicked::kb::{Author, Entry, Key, KnowledgeBase, Verdict};
use whoclicked::model::{Campaign, parse_zone};
use whoclicked::pipeline::{
    CampaignSource, KnowledgeSource, Observer, PipelineError, PrepareOptions, Stage, Warning,
    prepare,
};
#[cfg(feature = "tui")]
use whoclicked::tui::jobs::{Progress, prepare_loader};

/// Everything the observer heard, in order.
#[derive(Debug, Default, PartialEq)]
struct Heard {
    stages: Vec<Stage>,
    /// Accesses and unreadable rows of each campaign read.
    campaigns: Vec<(usize, usize)>,
    warnings: Vec<Warning>,
}

impl Observer for Heard {
    fn stage(&mut self, stage: Stage) {
        self.stages.push(stage);
    }
    fn campaign_read(&mut self, campaign: &Campaign) {
        self.campaigns
            .push((campaign.accesses.len(), campaign.issues.len()));
    }
    fn warning(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}

fn options(campaign: CampaignSource, kb: KnowledgeSource) -> PrepareOptions {
    PrepareOptions {
        campaign,
        load: LoadOptions {
            zone: parse_zone("+09:00").unwrap(),
            ..LoadOptions::default()
        },
        mmdb: Vec::new(),
        kb,
        author: Author::new(Some("sato"), Some("demo")),
        cache_owners: false,
        decoys: Vec::new(),
        network: Default::default(),
    }
}

/// The demo's first Microsoft (AS8075) access.
fn microsoft(analysis: &whoclicked::analysis::Analysis) -> usize {
    analysis
        .campaign
        .accesses
        .iter()
        .position(|a| analysis.owner(a).asn == Some(8075))
        .expect("the demo has Safe Links clicks")
}

#[test]
fn the_demo_without_a_knowledge_base_is_read_enriched_and_suggested() {
    let mut heard = Heard::default();
    let prepared = prepare(
        &options(CampaignSource::Demo, KnowledgeSource::Without),
        &LoadProgress::default(),
        &mut heard,
    )
    .unwrap();
    let analysis = &prepared.analysis;
    let accesses = analysis.campaign.accesses.len();
    assert!(accesses > 400, "{accesses}");
    assert_eq!(
        heard.stages,
        [Stage::Reading, Stage::Enriching, Stage::Suggesting]
    );
    assert_eq!(
        heard.campaigns,
        [(accesses, analysis.campaign.issues.len())]
    );
    assert!(heard.warnings.is_empty(), "{:?}", heard.warnings);
    assert_eq!(analysis.suggestions().len(), accesses);
    assert!(analysis.databases[0].path.ends_with("demo-asn.mmdb"));
    assert_eq!(analysis.verdict_column(), vec![None; accesses]);
    assert!(prepared.kb.is_none());
}

#[test]
fn a_located_knowledge_base_is_opened_and_its_rules_apply() {
    let tmp = tempfile::tempdir().unwrap();
    {
        let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
        let sato = Author::new(Some("sato"), None);
        kb.record(Entry::verdict(&sato, Key::Asn(8075), Verdict::Scanner))
            .unwrap();
    }
    let source = KnowledgeSource::Located {
        explicit: Some(tmp.path().to_path_buf()),
        demo: true,
    };
    let prepared = prepare(
        &options(CampaignSource::Demo, source),
        &LoadProgress::default(),
        &mut Heard::default(),
    )
    .unwrap();
    let analysis = &prepared.analysis;
    let resolved = analysis.verdict(microsoft(analysis)).expect("the AS rule");
    assert_eq!(
        (resolved.verdict, resolved.source.key),
        (Verdict::Scanner, Key::Asn(8075))
    );
    let kb = prepared.kb.expect("opened by prepare");
    assert_eq!(kb.dir(), tmp.path(), "--kb wins over the demo's own");
    assert!(
        kb.cached_networks() == 0,
        "the demo's owners are not cached"
    );
}

#[test]
fn a_shared_knowledge_base_stays_with_its_owner() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let sato = Author::new(Some("sato"), None);
    kb.record(Entry::verdict(&sato, Key::Asn(8075), Verdict::Human))
        .unwrap();
    let shared = Arc::new(Mutex::new(kb));
    let prepared = prepare(
        &options(
            CampaignSource::Demo,
            KnowledgeSource::Shared(Arc::clone(&shared)),
        ),
        &LoadProgress::default(),
        &mut Heard::default(),
    )
    .unwrap();
    let analysis = &prepared.analysis;
    assert_eq!(
        analysis.verdict(microsoft(analysis)).map(|r| r.verdict),
        Some(Verdict::Human)
    );
    assert!(prepared.kb.is_none());
    assert!(shared.lock().is_ok(), "the lock was given back");
}

#[test]
fn a_missing_log_is_a_typed_error_that_names_the_file() {
    let missing = PathBuf::from("/no/such/dir/campaign.csv");
    let mut heard = Heard::default();
    let err = prepare(
        &options(
            CampaignSource::Logs(vec![missing]),
            KnowledgeSource::Without,
        ),
        &LoadProgress::default(),
        &mut heard,
    )
    .unwrap_err();
    assert!(
        matches!(err, PipelineError::Read(LoadError::Io { .. })),
        "{err:?}"
    );
    assert!(
        err.with_causes().contains("/no/such/dir/campaign.csv"),
        "{}",
        err.with_causes()
    );
    assert!(heard.campaigns.is_empty(), "nothing was read");
}

#[test]
fn a_cancelled_load_stops_with_cancelled() {
    let progress = LoadProgress::default();
    progress.cancel.store(true, Ordering::Relaxed);
    let err = prepare(
        &options(CampaignSource::Demo, KnowledgeSource::Without),
        &progress,
        &mut Heard::default(),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            PipelineError::Cancelled | PipelineError::Read(LoadError::Cancelled)
        ),
        "{err:?}"
    );
}

#[cfg(feature = "tui")]
#[test]
fn the_screen_starts_from_the_verdicts_the_pipeline_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let mut kb = KnowledgeBase::open(tmp.path()).unwrap();
    let sato = Author::new(Some("sato"), None);
    kb.record(Entry::verdict(&sato, Key::Asn(8075), Verdict::Scanner))
        .unwrap();
    let shared = Arc::new(Mutex::new(kb));
    let loader = prepare_loader(
        options(CampaignSource::Demo, KnowledgeSource::Shared(shared)),
        vec!["knowledge base: a torn last line".to_string()],
    );
    let progress = Progress::default();
    let loaded = loader(&progress).unwrap();
    assert_eq!(progress.stage(), Stage::Suggesting);
    assert_eq!(*loaded.verdicts, loaded.analysis.verdict_column());
    let i = microsoft(&loaded.analysis) as u32;
    let (key, info) = loaded.book.resolve(&loaded.analysis, i).unwrap();
    assert_eq!(
        (key.to_string(), info.verdict, info.analyst.as_deref()),
        ("asn:8075".to_string(), Verdict::Scanner, Some("sato"))
    );
    assert_eq!(
        loaded.warnings,
        ["knowledge base: a torn last line".to_string()]
    );
    assert_eq!(loaded.databases[0].name, "demo-asn.mmdb");

    let failing = prepare_loader(
        options(
            CampaignSource::Logs(vec![PathBuf::from("/no/such/log.csv")]),
            KnowledgeSource::Without,
        ),
        Vec::new(),
    );
    assert!(matches!(
        failing(&Progress::default()),
        Err(PipelineError::Read(_))
    ));
}

#[test]
fn mails_have_each_address_looked_up_once() {
    // The walk down the Received chain needs the owners before the hop rows
    // exist; the enrichment takes them from there instead of asking again.
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mail"));
    let files = vec![dir.join("exim.eml"), dir.join("postfix.eml")];
    let mut parsed = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        parsed.extend(whoclicked::mail::read(&file.display().to_string(), &bytes).unwrap());
    }
    let distinct = whoclicked::mail::distinct_addresses(&whoclicked::mail::parse(parsed)).len();
    let source = CampaignSource::Mail {
        files,
        trust: Vec::new(),
    };
    let mut heard = Heard::default();
    let prepared = prepare(
        &options(source, KnowledgeSource::Without),
        &LoadProgress::default(),
        &mut heard,
    )
    .unwrap();
    let rows = &prepared.analysis.campaign;
    assert!(!rows.ips.is_empty());
    assert_eq!(prepared.addresses_looked_up, distinct as u64);
    assert_eq!(prepared.analysis.owners.len(), rows.ips.len());
}
