//! The loaded campaign as the screen holds it: the enriched accesses, the
//! suggestions, the labels with their resolved verdicts, and the numbers.

use std::sync::Arc;

use crate::analysis::Analysis;
use crate::model::{Leaning, Verdict};
use crate::review::{Counts, LabelBook, Like, ReviewContext, ReviewIndex, learn};

/// An owner database in use, for the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseLabel {
    /// File name or product (`GeoLite2-ASN`).
    pub name: String,
    /// Build date (`2026-09-20`), when the database says.
    pub built: Option<String>,
    /// When it was built, to say when it is old.
    pub build_time: Option<jiff::Timestamp>,
    /// The database whoclicked ships rather than a file.
    pub bundled: bool,
}

/// The immutable parts a background view build needs, cheap to clone.
#[derive(Clone)]
pub struct Snapshot {
    pub analysis: Arc<Analysis>,
    pub verdicts: Arc<Vec<Option<Verdict>>>,
    /// The suggestions after what the analyst's labels taught them.
    pub suggestions: Arc<Vec<Leaning>>,
    pub learned: Arc<Vec<Option<Like>>>,
    pub notes: Arc<Vec<Option<Arc<str>>>>,
}

impl Snapshot {
    pub fn ctx(&self) -> ReviewContext<'_> {
        ReviewContext {
            analysis: &self.analysis,
            verdicts: &self.verdicts,
            suggestions: &self.suggestions,
            owner_notes: &self.notes,
            learned: &self.learned,
        }
    }

    /// Learns again from the verdicts as they now stand.
    fn relearn(&mut self) {
        let mut learned = learn(&self.analysis, &self.verdicts);
        learned
            .labels
            .resize(self.analysis.campaign.accesses.len(), Leaning::Unsure);
        self.suggestions = Arc::new(learned.labels);
        self.learned = Arc::new(learned.likes);
    }
}

/// What the load job hands over when it is done.
pub struct Loaded {
    pub analysis: Arc<Analysis>,
    pub suggestions: Arc<Vec<Leaning>>,
    pub learned: Arc<Vec<Option<Like>>>,
    pub book: LabelBook,
    pub notes: Arc<Vec<Option<Arc<str>>>>,
    pub databases: Vec<DatabaseLabel>,
    /// Problems that did not stop loading (a database that could not be read…).
    pub warnings: Vec<String>,
    /// Built in the job so the UI thread never walks a million accesses.
    pub index: Arc<ReviewIndex>,
    pub verdicts: Arc<Vec<Option<Verdict>>>,
    pub counts: Counts,
}

impl Loaded {
    /// Everything the screen starts from, taken from `analysis` as the
    /// pipeline judged it: the verdicts it resolved (not resolved again), the
    /// label book as a cache of the same knowledge, the suggestions, the
    /// owner notes, the databases; and derived from it, the index and the
    /// counts (O(accesses)).
    pub fn new(analysis: Arc<Analysis>) -> Self {
        // The index of addresses and recipients is one thread's work, the
        // verdicts and what the analyst's labels teach the other's.
        let (index, (verdicts, mut learned)) = rayon::join(
            || Arc::new(ReviewIndex::new(&analysis.campaign)),
            || {
                let verdicts = Arc::new(analysis.verdict_column());
                let learned = learn(&analysis, &verdicts);
                (verdicts, learned)
            },
        );
        learned
            .labels
            .resize(analysis.campaign.accesses.len(), Leaning::Unsure);
        let notes = analysis.note_texts();
        let book = LabelBook::from_verdicts(analysis.verdicts());
        let databases = analysis
            .databases
            .iter()
            .map(|info| DatabaseLabel {
                name: info.path.file_name().map_or_else(
                    || info.database_type.clone(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                built: Some(info.build_date()),
                build_time: Some(info.build_time),
                bundled: info.bundled,
            })
            .collect();
        let suggestions = Arc::new(learned.labels);
        let learned = Arc::new(learned.likes);
        let notes = Arc::new(notes);
        let counts = Counts::new(&ReviewContext {
            analysis: &analysis,
            verdicts: &verdicts,
            suggestions: &suggestions,
            owner_notes: &notes,
            learned: &learned,
        });
        Loaded {
            analysis,
            suggestions,
            learned,
            book,
            notes,
            databases,
            warnings: Vec::new(),
            index,
            verdicts,
            counts,
        }
    }
}

/// The campaign on screen.
pub struct Data {
    pub snapshot: Snapshot,
    pub index: Arc<ReviewIndex>,
    pub book: LabelBook,
    pub counts: Counts,
    pub databases: Vec<DatabaseLabel>,
    pub warnings: Vec<String>,
}

impl Data {
    pub fn from_loaded(loaded: Loaded) -> Self {
        Data {
            snapshot: Snapshot {
                analysis: loaded.analysis,
                verdicts: loaded.verdicts,
                suggestions: loaded.suggestions,
                learned: loaded.learned,
                notes: loaded.notes,
            },
            index: loaded.index,
            book: loaded.book,
            counts: loaded.counts,
            databases: loaded.databases,
            warnings: loaded.warnings,
        }
    }

    pub fn analysis(&self) -> &Analysis {
        &self.snapshot.analysis
    }

    pub fn ctx(&self) -> ReviewContext<'_> {
        self.snapshot.ctx()
    }

    /// Why the suggestion for access `i` leans the way it does, heaviest
    /// first: `+3.5 fetched 3 s after delivery`.
    pub fn reasons(&self, i: u32) -> Vec<String> {
        let analysis = self.analysis();
        let learned = self
            .snapshot
            .learned
            .get(i as usize)
            .copied()
            .flatten()
            .map(|like| format!("{:+.1} {}", like.weight, like.text()));
        learned
            .into_iter()
            .chain(
                analysis
                    .suggestions()
                    .explain(analysis, i as usize)
                    .into_iter()
                    .map(|r| format!("{:+.1} {}", r.weight, r.text)),
            )
            .collect()
    }

    /// After labels changed: the suggestions learn from them again
    /// (O(accesses), like the counts), then the counts.
    pub fn recount(&mut self) {
        self.snapshot.relearn();
        self.counts = Counts::new(&self.snapshot.ctx());
    }
}
