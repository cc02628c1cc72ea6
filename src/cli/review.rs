//! `whoclicked LOG...` and `whoclicked --demo`: the review screen. This file
//! only turns arguments into the screen's options: which campaign to load
//! (through the same pipeline as `report`), which knowledge base labels go
//! to, who the analyst is.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use anyhow::{Context, bail};
use clap::Args;
use whoclicked::kb::{Author, KnowledgeBase};
use whoclicked::owner::{self, OwnerDatabases};
use whoclicked::pipeline::{self, PipelineInputs};
use whoclicked::signals::Signatures;
use whoclicked::tui::app::{Session, system_clock};
use whoclicked::tui::data::{DatabaseLabel, Loaded};
use whoclicked::tui::jobs::{Loader, Progress, Stage};
use whoclicked::tui::kb_store::KbStore;
use whoclicked::tui::store::{LabelStore, MemoryStore};
use whoclicked::tui::{TuiOptions, colour_wanted};

use super::load::{LoadArgs, load as load_campaign};
use super::{GlobalArgs, context};

/// What the review screen opens.
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Campaign logs to review: native CSV, GoPhish "Raw Events" CSV or the
    /// landing page's Apache/nginx access log; several are read as one
    /// campaign. Without a command, whoclicked opens the review screen.
    #[arg(value_name = "LOG")]
    pub logs: Vec<PathBuf>,

    #[command(flatten)]
    pub load: LoadArgs,
}

impl ReviewArgs {
    /// Whether any argument of the review screen was given.
    pub fn given(&self) -> bool {
        self.load.demo || !self.logs.is_empty()
    }

    /// The campaign's name in the knowledge base's history.
    fn campaign_name(&self) -> String {
        if self.load.demo {
            return "demo".to_string();
        }
        self.logs.first().and_then(|p| p.file_stem()).map_or_else(
            || "campaign".to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    }
}

pub fn run(args: ReviewArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    if !args.given() {
        bail!(
            "no log given: whoclicked LOG... opens the review screen, whoclicked --demo shows \
             the demo (see whoclicked --help)"
        );
    }
    if args.load.demo && !args.logs.is_empty() {
        bail!("--demo opens the bundled campaign; give either --demo or log files");
    }
    if args.logs.iter().any(|p| p.as_os_str() == "-") {
        // The screen reads keys from stdin, so the log cannot come from there.
        bail!(
            "the review screen reads its keys from the terminal: name the log as a file \
             (`whoclicked report -` reads standard input)"
        );
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(
            "the review screen needs a terminal (stdin and stdout); to write the results to a \
             file or a pipe, use `whoclicked report`"
        );
    }
    // Fail on bad options now, not on the load thread.
    args.load.options()?;
    let campaign_name = args.campaign_name();
    let author = Author::new(global.analyst.as_deref(), Some(&campaign_name));

    let (store, kb, location, warnings): (Box<dyn LabelStore>, _, _, _) = if args.load.no_kb {
        (
            Box::new(MemoryStore::new()),
            None,
            "not kept (--no-kb)".to_string(),
            Vec::new(),
        )
    } else {
        let dir = context::kb_dir(global, args.load.demo)?;
        let kb = KnowledgeBase::open(&dir)
            .with_context(|| format!("cannot open the knowledge base in {}", dir.display()))?;
        let mut store = KbStore::new(kb, author.clone());
        let warnings = store.take_warnings();
        let mut location = store.location();
        if dir.ends_with("demo-kb") && args.load.demo {
            location.push_str(" (the demo's own)");
        }
        let kb = store.knowledge_base();
        (
            Box::new(store) as Box<dyn LabelStore>,
            Some(kb),
            location,
            warnings,
        )
    };
    let store: Arc<Mutex<Box<dyn LabelStore>>> = Arc::new(Mutex::new(store));

    let stem = if args.load.demo {
        "whoclicked-demo".to_string()
    } else {
        format!("{campaign_name}-whoclicked")
    };
    let session = Session {
        files: if args.load.demo {
            vec!["demo: 桜商事, 2026-11-10".to_string()]
        } else {
            args.logs.iter().map(|p| p.display().to_string()).collect()
        },
        analyst: Arc::from(author.analyst()),
        store_location: location,
        export_path: PathBuf::from(format!("{stem}.csv")),
        clock: system_clock,
    };
    let cx = LoadContext {
        logs: args.logs,
        load: args.load,
        mmdb: global.mmdb.clone(),
        kb,
        author,
        store: Arc::clone(&store),
    };
    let loader: Loader = Box::new(move |progress: &Progress| {
        let mut loaded = load(&cx, progress)?;
        loaded.warnings.splice(0..0, warnings);
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

/// What the load thread works with.
struct LoadContext {
    logs: Vec<PathBuf>,
    load: LoadArgs,
    mmdb: Vec<PathBuf>,
    kb: Option<Arc<Mutex<KnowledgeBase>>>,
    author: Author,
    store: Arc<Mutex<Box<dyn LabelStore>>>,
}

const POISONED: &str = "the knowledge base is unusable after an earlier crash";

/// Everything the screen shows, worked out on the load thread by the same
/// pipeline the report uses. Nothing here may print: the screen is up.
fn load(cx: &LoadContext, progress: &Progress) -> Result<Loaded, String> {
    progress.set_stage(Stage::Reading);
    let campaign =
        load_campaign(&cx.load, &cx.logs, &progress.load).map_err(|e| format!("{e:#}"))?;
    stop_if_cancelled(progress)?;

    progress.set_stage(Stage::Enriching);
    let (databases, mut warnings): (OwnerDatabases, Vec<String>) = if cx.load.demo {
        let databases = whoclicked::demo::databases(&cx.mmdb).map_err(|e| e.to_string())?;
        (databases, Vec::new())
    } else {
        let found = owner::discover(&cx.mmdb).map_err(|e| e.to_string())?;
        (found.databases, found.warnings)
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
    let zone = cx.load.zone().map_err(|e| e.to_string())?;
    let mut guard = match &cx.kb {
        Some(kb) => Some(kb.lock().map_err(|_| POISONED.to_string())?),
        None => None,
    };
    let (analysis, report) = pipeline::analyse(
        campaign,
        PipelineInputs {
            databases: &databases,
            kb: guard.as_deref_mut(),
            // The demo's owners come from its bundled database: nothing to remember.
            cache_owners: !cx.load.demo,
            author: &cx.author,
            signatures,
            zone,
        },
    );
    drop(guard);
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

fn stop_if_cancelled(progress: &Progress) -> Result<(), String> {
    if progress.cancelled() {
        Err("loading was cancelled".to_string())
    } else {
        Ok(())
    }
}
