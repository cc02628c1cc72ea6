//! The loaded campaign as the screen holds it: the enriched accesses, the
//! suggestions, the labels with their resolved verdicts, and the numbers.

use std::sync::Arc;

use crate::analysis::Analysis;
use crate::model::{Leaning, Verdict};
use crate::review::{Counts, LabelBook, ReviewContext, ReviewIndex};

/// An owner database in use, for the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseLabel {
    /// File name or product (`GeoLite2-ASN`).
    pub name: String,
    /// Build date (`2026-09-20`), when the database says.
    pub built: Option<String>,
}

/// Why the suggestion leans the way it does, per access.
pub type Reasons = Arc<dyn Fn(u32) -> Vec<String> + Send + Sync>;

/// The immutable parts a background view build needs, cheap to clone.
#[derive(Clone)]
pub struct Snapshot {
    pub analysis: Arc<Analysis>,
    pub verdicts: Arc<Vec<Option<Verdict>>>,
    pub suggestions: Arc<Vec<Leaning>>,
    pub notes: Arc<Vec<Option<Arc<str>>>>,
}

impl Snapshot {
    pub fn ctx(&self) -> ReviewContext<'_> {
        ReviewContext {
            analysis: &self.analysis,
            verdicts: &self.verdicts,
            suggestions: &self.suggestions,
            owner_notes: &self.notes,
        }
    }
}

/// What the load job hands over when it is done.
pub struct Loaded {
    pub analysis: Arc<Analysis>,
    pub suggestions: Arc<Vec<Leaning>>,
    pub reasons: Option<Reasons>,
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
    /// Derives the index, the resolved verdicts and the counts (O(accesses)).
    pub fn new(
        analysis: Arc<Analysis>,
        suggestions: Vec<Leaning>,
        book: LabelBook,
        notes: Vec<Option<Arc<str>>>,
    ) -> Self {
        let mut suggestions = suggestions;
        suggestions.resize(analysis.campaign.accesses.len(), Leaning::Unsure);
        let mut notes = notes;
        notes.resize(analysis.campaign.ips.len(), None);
        let index = Arc::new(ReviewIndex::new(&analysis.campaign));
        let verdicts = Arc::new(crate::review::resolve_all(&book, &analysis));
        let suggestions = Arc::new(suggestions);
        let notes = Arc::new(notes);
        let counts = Counts::new(&ReviewContext {
            analysis: &analysis,
            verdicts: &verdicts,
            suggestions: &suggestions,
            owner_notes: &notes,
        });
        Loaded {
            analysis,
            suggestions,
            reasons: None,
            book,
            notes,
            databases: Vec::new(),
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
    pub reasons: Option<Reasons>,
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
                notes: loaded.notes,
            },
            reasons: loaded.reasons,
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

    pub fn recount(&mut self) {
        self.counts = Counts::new(&self.snapshot.ctx());
    }
}
