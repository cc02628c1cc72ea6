//! `whoclicked LOG...` and `whoclicked --demo`: the review screen. This file
//! only turns arguments into the screen's options: which campaign to load
//! (and how), which knowledge base labels go to, who the analyst is.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use clap::Args;

use super::GlobalArgs;
use whoclicked::input::{self, LoadOptions};
use whoclicked::kb::{Author, KnowledgeBase, locate};
use whoclicked::mmdb::{self, BuildOptions};
use whoclicked::model::{Campaign, LogFormat, parse_zone};
use whoclicked::owner::{self, OwnerDatabases};
use whoclicked::pipeline::{self, PipelineInputs};
use whoclicked::signals::Signatures;
use whoclicked::tui::app::{Session, system_clock};
use whoclicked::tui::data::{DatabaseLabel, Loaded};
use whoclicked::tui::jobs::{Loader, Progress, Stage};
use whoclicked::tui::kb_store::KbStore;
use whoclicked::tui::store::LabelStore;
use whoclicked::tui::{TuiOptions, colour_wanted};

/// The demo campaign and its owner table, built into the binary so `--demo`
/// works anywhere, with no database installed.
const DEMO_CAMPAIGN: &[u8] = include_bytes!("../../assets/demo/campaign.csv");
const DEMO_NAME: &str = "demo campaign.csv";
const DEMO_RANGES: &[u8] = include_bytes!("../../assets/demo/ranges.tsv");
const DEMO_DB_NAME: &str = "demo-asn.mmdb";

/// What the review screen opens.
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Campaign logs to review: native CSV, GoPhish "Raw Events" CSV or the
    /// landing page's Apache/nginx access log; several are read as one campaign.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    /// Open the bundled demo campaign. Its labels go to a knowledge base of
    /// their own (in the data directory, `demo-kb`) unless --kb is given.
    #[arg(long, conflicts_with = "logs")]
    pub demo: bool,

    #[command(flatten)]
    pub load: LoadArgs,
}

/// How to read the logs; everything is detected when not given.
#[derive(Debug, Clone, Args)]
pub struct LoadArgs {
    /// The log format: native, gophish or combined (Apache/nginx).
    #[arg(long = "log-format", value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,

    /// The time zone of times without an offset, and of the times shown:
    /// an offset (+09:00), an IANA name (Asia/Tokyo), UTC or local.
    /// Default: local (the demo: Asia/Tokyo, where its story happens).
    #[arg(long = "tz", value_name = "ZONE")]
    pub tz: Option<String>,

    /// The logs' text encoding (UTF-8, Shift_JIS/CP932…); detected when not given.
    #[arg(long = "encoding", value_name = "NAME")]
    pub encoding: Option<String>,

    /// The query parameter that carries the recipient id in access logs.
    #[arg(long = "rid-param", value_name = "NAME", default_value = "rid")]
    pub rid_param: String,
}

impl LoadArgs {
    pub fn options(&self, default_zone: &str) -> anyhow::Result<LoadOptions> {
        let zone = parse_zone(self.tz.as_deref().unwrap_or(default_zone))?;
        let encoding = match &self.encoding {
            Some(name) => Some(
                input::parse_encoding(name)
                    .with_context(|| format!("unknown encoding {name:?}"))?,
            ),
            None => None,
        };
        Ok(LoadOptions {
            format: self.log_format,
            encoding,
            zone,
            rid_param: self.rid_param.clone(),
        })
    }
}

/// Where the campaign comes from.
enum Source {
    Files(Vec<PathBuf>),
    Demo,
}

impl ReviewArgs {
    /// Whether any argument of the review screen was given.
    pub fn given(&self) -> bool {
        self.demo || !self.logs.is_empty()
    }
}

pub fn run(args: ReviewArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    if !args.given() {
        bail!(
            "no log given: whoclicked LOG... opens the review screen, whoclicked --demo shows \
             the demo (see whoclicked --help)"
        );
    }
    if args.logs.iter().any(|p| p.as_os_str() == "-") {
        // The screen reads keys from stdin, so the log cannot come from there.
        bail!("the review screen reads its keys from the terminal: name the log as a file");
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the review screen needs a terminal (stdin and stdout); to write the results to a \
             file or a pipe, use `whoclicked report`"
        );
    }
    let options = args
        .load
        .options(if args.demo { "Asia/Tokyo" } else { "local" })?;
    let source = if args.demo {
        Source::Demo
    } else {
        Source::Files(args.logs.clone())
    };
    let (files, campaign_name, export_path) = match &source {
        Source::Demo => (
            vec!["demo (桜商事, 2026-11-10)".to_string()],
            "demo".to_string(),
            PathBuf::from("whoclicked-demo-report.csv"),
        ),
        Source::Files(paths) => {
            let stem = paths.first().and_then(|p| p.file_stem()).map_or_else(
                || "campaign".to_string(),
                |s| s.to_string_lossy().into_owned(),
            );
            (
                paths.iter().map(|p| p.display().to_string()).collect(),
                stem.clone(),
                PathBuf::from(format!("{stem}-whoclicked.csv")),
            )
        }
    };

    let kb_dir = kb_dir(global, args.demo)?;
    let kb = KnowledgeBase::open(&kb_dir)
        .with_context(|| format!("cannot open the knowledge base in {}", kb_dir.display()))?;
    let author = Author::new(global.analyst.as_deref(), Some(&campaign_name));
    let mut kb_store = KbStore::new(kb, author.clone());
    let kb_warnings = kb_store.take_warnings();
    let location = kb_store.location();
    let kb = kb_store.knowledge_base();
    let store: Arc<Mutex<Box<dyn LabelStore>>> = Arc::new(Mutex::new(Box::new(kb_store)));

    let session = Session {
        files,
        analyst: Arc::from(author.analyst()),
        store_location: if args.demo && global.kb.is_none() {
            format!("{location} (demo)")
        } else {
            location
        },
        export_path,
        clock: system_clock,
    };
    let cx = LoadContext {
        source,
        options,
        mmdb: global.mmdb.clone(),
        kb,
        author,
        store: Arc::clone(&store),
    };
    let loader: Loader = Box::new(move |progress: &Progress| {
        let mut loaded = load(&cx, progress)?;
        loaded.warnings.splice(0..0, kb_warnings);
        Ok(loaded)
    });
    whoclicked::tui::run(TuiOptions {
        session,
        loader,
        store,
        colour: colour_wanted(),
    })?;
    Ok(())
}

/// `--kb`, else (for the demo) a knowledge base of the demo's own, so trying
/// the demo never puts its rules into the analyst's real one; else the default.
fn kb_dir(global: &GlobalArgs, demo: bool) -> anyhow::Result<PathBuf> {
    let location = locate(global.kb.as_deref())?;
    if demo && global.kb.is_none() {
        let base = directories::ProjectDirs::from("", "", "whoclicked")
            .map(|d| d.data_dir().to_path_buf())
            .context("no data directory for the demo's knowledge base: give --kb DIR")?;
        return Ok(base.join("demo-kb"));
    }
    Ok(location.dir)
}

/// Everything the screen shows, read and worked out on the load thread.
/// What the load thread works with besides the campaign.
struct LoadContext {
    source: Source,
    options: LoadOptions,
    mmdb: Vec<PathBuf>,
    kb: Arc<Mutex<KnowledgeBase>>,
    author: Author,
    store: Arc<Mutex<Box<dyn LabelStore>>>,
}

/// Everything the screen shows, read and worked out on the load thread by
/// the same pipeline the report uses.
fn load(cx: &LoadContext, progress: &Progress) -> Result<Loaded, String> {
    progress.set_stage(Stage::Reading);
    let campaign = match &cx.source {
        Source::Files(paths) => input::load(paths, &cx.options, &progress.load),
        Source::Demo => {
            let mut campaign = Campaign::new();
            input::read_into(
                &mut campaign,
                DEMO_NAME,
                DEMO_CAMPAIGN,
                &cx.options,
                &progress.load,
            )
            .map(|()| campaign)
        }
    }
    .map_err(|e| e.to_string())?;
    stop_if_cancelled(progress)?;

    progress.set_stage(Stage::Enriching);
    let (databases, mut warnings) = match cx.source {
        Source::Files(_) => {
            let found = owner::discover(&cx.mmdb).map_err(|e| e.to_string())?;
            (found.databases, found.warnings)
        }
        Source::Demo => (demo_databases()?, Vec::new()),
    };
    if databases.is_empty() {
        warnings.push(format!(
            "no owner database found, so only the knowledge base's owner cache knows owners: \
             add a .mmdb file with --mmdb FILE or {}, or build one from a free range list with \
             whoclicked mmdb build --from RANGES --out FILE.mmdb",
            owner::MMDB_ENV
        ));
    }
    let signatures = Arc::new(Signatures::load().map_err(|e| e.to_string())?);
    let (analysis, report) = {
        let mut kb = cx.kb.lock().map_err(|_| POISONED.to_string())?;
        pipeline::analyse(
            campaign,
            PipelineInputs {
                databases: &databases,
                kb: Some(&mut kb),
                author: &cx.author,
                signatures,
                zone: cx.options.zone.clone(),
            },
        )
    };
    warnings.extend(report.warnings);
    stop_if_cancelled(progress)?;

    progress.set_stage(Stage::Labels);
    let stored = cx
        .store
        .lock()
        .map_err(|_| POISONED.to_string())?
        .load(&analysis)
        .map_err(|e| e.to_string())?;
    let leanings = analysis
        .suggestions
        .as_ref()
        .map(|s| s.labels().to_vec())
        .unwrap_or_default();
    let labels: Vec<DatabaseLabel> = analysis
        .databases
        .iter()
        .map(|info| DatabaseLabel {
            name: info.path.file_name().map_or_else(
                || info.database_type.clone(),
                |n| n.to_string_lossy().into_owned(),
            ),
            built: Some(info.build_date()),
        })
        .collect();
    let analysis = Arc::new(analysis);
    let mut loaded = Loaded::new(Arc::clone(&analysis), leanings, stored.book, stored.notes);
    loaded.reasons = Some(Arc::new(move |i: u32| -> Vec<String> {
        analysis
            .suggestions
            .as_ref()
            .map(|s| {
                s.explain(&analysis, i as usize)
                    .into_iter()
                    .map(|r| format!("{:+.1} {}", r.weight, r.text))
                    .collect()
            })
            .unwrap_or_default()
    }));
    loaded.warnings = warnings;
    loaded.databases = labels;
    Ok(loaded)
}

const POISONED: &str = "the knowledge base is unusable after an earlier crash";

/// The demo's owner table as an ASN database, built in memory: the same
/// bytes `whoclicked mmdb build --from assets/demo/ranges.tsv` writes.
fn demo_databases() -> Result<OwnerDatabases, String> {
    let parsed =
        mmdb::ranges::parse_ranges(DEMO_RANGES, "demo ranges.tsv").map_err(|e| e.to_string())?;
    let date = jiff::civil::date(2026, 11, 1);
    let built = mmdb::build_asn_database(&parsed.ranges, &BuildOptions::new(date))
        .map_err(|e| e.to_string())?;
    OwnerDatabases::from_bytes(vec![(PathBuf::from(DEMO_DB_NAME), built.bytes)])
        .map_err(|e| e.to_string())
}

fn stop_if_cancelled(progress: &Progress) -> Result<(), String> {
    if progress.cancelled() {
        Err("loading was cancelled".to_string())
    } else {
        Ok(())
    }
}
