//! Work that must not block the screen: loading and enriching the campaign,
//! building views of large campaigns, writing the report, re-reading the
//! knowledge base. Each runs on its own thread and reports back through the
//! event channel; view results carry the generation they were asked for, so a
//! result that arrives after the analyst moved on is dropped, and label reads
//! the version of the labels, so one that predates a label is read again.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::columns::natural_widths;
use super::data::{Loaded, Snapshot};
use super::export::ExportRows;
use super::store::{LabelStore, StoreError, StoredLabels};
use crate::analysis::Analysis;
use crate::atomic_file::{self, FileMode};
use crate::input::LoadProgress;
use crate::pipeline::{Observer, PipelineError, PrepareOptions, Stage, Warning, prepare};
use crate::review::{GroupKey, LabelBook, ViewRows, ViewSpec, build_view};

/// Shared between the load thread and the screen: the reader's counters and
/// cancel flag, which the screen reads on every tick, and the stage.
#[derive(Debug, Default)]
pub struct Progress {
    pub load: LoadProgress,
    stage: AtomicU8,
    /// When the current stage began, for its time left.
    stage_started: Mutex<Option<Instant>>,
}

impl Progress {
    pub fn set_stage(&self, stage: Stage) {
        if let Ok(mut started) = self.stage_started.lock() {
            *started = Some(Instant::now());
        }
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    /// How long the current stage has run.
    pub fn in_stage(&self) -> Duration {
        self.stage_started
            .lock()
            .ok()
            .and_then(|started| started.map(|at| at.elapsed()))
            .unwrap_or_default()
    }

    pub fn stage(&self) -> Stage {
        match self.stage.load(Ordering::Relaxed) {
            1 => Stage::Enriching,
            2 => Stage::Suggesting,
            _ => Stage::Reading,
        }
    }

    pub fn cancelled(&self) -> bool {
        self.load.cancel.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.load.cancel.store(true, Ordering::Relaxed);
    }
}

/// Loads a campaign: reads, enriches, suggests, resolves labels.
pub type Loader = Box<dyn FnOnce(&Progress) -> Result<Loaded, PipelineError> + Send>;

/// The loader of a campaign [`prepare`]d from `options`: the stages go to
/// the progress line, the warnings (after `first_warnings`, from opening the
/// knowledge base) to the read-errors panel. Nothing here may print: the
/// screen is up.
pub fn prepare_loader(options: PrepareOptions, first_warnings: Vec<String>) -> Loader {
    Box::new(move |progress: &Progress| {
        let mut heard = Heard {
            progress: Some(progress),
            warnings: first_warnings,
        };
        let prepared = prepare(&options, &progress.load, &mut heard)?;
        let mut loaded = Loaded::new(Arc::new(prepared.analysis));
        loaded.warnings = heard.warnings;
        Ok(loaded)
    })
}

/// What the screen hears from the pipeline: stages for the progress line
/// (when there is one), warnings as sentences for the read-errors panel.
#[derive(Default)]
pub struct Heard<'a> {
    pub progress: Option<&'a Progress>,
    pub warnings: Vec<String>,
}

impl Observer for Heard<'_> {
    fn stage(&mut self, stage: Stage) {
        if let Some(progress) = self.progress {
            progress.set_stage(stage);
        }
    }

    fn warning(&mut self, warning: Warning) {
        self.warnings.push(match warning {
            Warning::KnowledgeBase(w) => format!("knowledge base: {w}"),
            other => other.to_string(),
        });
    }
}

/// Where the selection should stay across a rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Access(u32),
    Group(GroupKey),
}

/// A view to build.
#[derive(Clone)]
pub struct ViewJob {
    pub generation: u64,
    pub snapshot: Snapshot,
    pub spec: ViewSpec,
    pub anchor: Option<Anchor>,
}

impl ViewJob {
    /// Small campaigns are built in place: a thread would only add latency.
    pub fn is_small(&self) -> bool {
        self.snapshot.analysis.campaign.accesses.len() <= 20_000
    }
}

/// A built view.
#[derive(Debug)]
pub struct ViewBuilt {
    pub generation: u64,
    pub rows: ViewRows,
    pub widths: Vec<u16>,
    /// Where the anchor ended up, if it is still in the view.
    pub anchor_pos: Option<usize>,
    pub took: Duration,
}

pub fn run_view_job(job: &ViewJob) -> ViewBuilt {
    let started = Instant::now();
    let ctx = job.snapshot.ctx();
    let rows = build_view(&ctx, &job.spec);
    let widths = natural_widths(&ctx, &rows, job.spec.kind);
    let anchor_pos = job.anchor.and_then(|anchor| match (&rows, anchor) {
        (ViewRows::Accesses(r), Anchor::Access(i)) => r.iter().position(|&x| x == i),
        (ViewRows::Groups(g), Anchor::Group(key)) => g.iter().position(|x| x.key == key),
        _ => None,
    });
    ViewBuilt {
        generation: job.generation,
        rows,
        widths,
        anchor_pos,
        took: started.elapsed(),
    }
}

/// The report to write.
pub struct ExportJob {
    pub path: PathBuf,
    pub snapshot: Snapshot,
    pub book: LabelBook,
    pub rows: ExportRows,
}

pub fn run_export_job(job: &ExportJob) -> JobResult {
    // Replaced whole, like `report -o`: a spreadsheet open on the last
    // export never sees half of the next one.
    let written = atomic_file::write(&job.path, FileMode::Usual, |out| {
        super::export::write_csv(&job.snapshot, &job.book, &job.rows, out)
    });
    match written {
        Ok(()) => JobResult::Exported {
            path: job.path.clone(),
            what: job.rows.describe(&job.snapshot.analysis),
        },
        // The screen names the path itself.
        Err(err) => JobResult::ExportFailed {
            path: job.path.clone(),
            error: err.source,
        },
    }
}

/// What a background job reports.
pub enum JobResult {
    Loaded(Box<Loaded>),
    LoadFailed(PipelineError),
    LoadCancelled,
    View(ViewBuilt),
    Exported {
        path: PathBuf,
        /// `484 accesses`, `12 groups`.
        what: String,
    },
    ExportFailed {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The label store re-read for `version` (see [`LabelRead`]); `None`
    /// when nobody else changed anything.
    Labels {
        version: u64,
        result: Result<Option<Box<StoredLabels>>, StoreError>,
    },
}

impl std::fmt::Debug for JobResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobResult::Loaded(_) => f.write_str("Loaded"),
            JobResult::LoadFailed(e) => write!(f, "LoadFailed({e})"),
            JobResult::LoadCancelled => f.write_str("LoadCancelled"),
            JobResult::View(v) => write!(f, "View(gen {}, {} rows)", v.generation, v.rows.len()),
            JobResult::Exported { path, what } => write!(f, "Exported({}, {what})", path.display()),
            JobResult::ExportFailed { path, error } => {
                write!(f, "ExportFailed({}, {error})", path.display())
            }
            JobResult::Labels { version, result } => match result {
                Ok(Some(_)) => write!(f, "Labels(v{version}, changed)"),
                Ok(None) => write!(f, "Labels(v{version}, unchanged)"),
                Err(e) => write!(f, "Labels(v{version}, {e})"),
            },
        }
    }
}

/// Starts `loader` on a thread; its result arrives through `send`.
pub fn spawn_load(
    loader: Loader,
    progress: Arc<Progress>,
    send: impl Fn(JobResult) + Send + 'static,
) {
    std::thread::spawn(move || {
        let result = loader(&progress);
        send(match result {
            _ if progress.cancelled() => JobResult::LoadCancelled,
            Ok(loaded) => JobResult::Loaded(Box::new(loaded)),
            Err(err) => JobResult::LoadFailed(err),
        });
    });
}

/// A re-read of the label store, for another whoclicked's labels. It takes
/// the store's lock and, at a million accesses, about 70 ms (fingerprinting
/// every access), so the screen runs it on a thread. `version` is the
/// screen's count of its own label writes when the read was asked for: a
/// result for an older version may lack a label made meanwhile.
#[derive(Clone)]
pub struct LabelRead {
    pub version: u64,
    /// Everything the store holds (`load`), not only what changed (`refresh`).
    pub full: bool,
    pub analysis: Arc<Analysis>,
}

pub fn run_label_read(store: &Mutex<Box<dyn LabelStore>>, read: &LabelRead) -> JobResult {
    let result = match store.lock() {
        Ok(mut store) if read.full => store.load(&read.analysis).map(Some),
        Ok(mut store) => store.refresh(&read.analysis),
        Err(_) => Err(StoreError::store_poisoned()),
    };
    JobResult::Labels {
        version: read.version,
        result: result.map(|r| r.map(Box::new)),
    }
}

pub fn spawn_label_read(
    store: Arc<Mutex<Box<dyn LabelStore>>>,
    read: LabelRead,
    send: impl Fn(JobResult) + Send + 'static,
) {
    std::thread::spawn(move || send(run_label_read(&store, &read)));
}

pub fn spawn_view(job: ViewJob, send: impl Fn(JobResult) + Send + 'static) {
    std::thread::spawn(move || send(JobResult::View(run_view_job(&job))));
}

pub fn spawn_export(job: ExportJob, send: impl Fn(JobResult) + Send + 'static) {
    std::thread::spawn(move || send(run_export_job(&job)));
}
