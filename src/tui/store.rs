//! Where labels go when the analyst makes them. The screen talks to the
//! knowledge base only through this interface: load what it knows about a
//! campaign, write a batch of decisions durably, say where it lives.

use std::sync::{Arc, Mutex};

use crate::analysis::Analysis;
use crate::model::Verdict;
use crate::review::{LabelBook, LabelInfo, LabelKey};

/// One decision to record: `verdict: None` withdraws the label of `key`.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelWrite {
    pub key: LabelKey,
    pub verdict: Option<Verdict>,
}

/// What a store knows about one campaign.
#[derive(Clone, Debug, Default)]
pub struct StoredLabels {
    pub book: LabelBook,
    /// The analyst's note per address (`IpId` index), shown as its owner.
    pub notes: Vec<Option<Arc<str>>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// The durable home of labels.
pub trait LabelStore: Send {
    /// Everything that applies to `analysis`: its access verdicts, every rule
    /// (IP, network, AS) covering one of its addresses, and the owner notes.
    /// The screen starts from the analysis itself; this is for re-reading.
    fn load(&mut self, analysis: &Analysis) -> Result<StoredLabels, StoreError>;

    /// Records `writes` as one batch, durably: when this returns `Ok` the
    /// decisions survive a crash.
    fn write(&mut self, analysis: &Analysis, writes: &[LabelWrite]) -> Result<(), StoreError>;

    /// Where the labels live, for the header (`~/.local/share/whoclicked`).
    fn location(&self) -> String;

    /// Reads what another process wrote since the last read; `Some` with
    /// everything that now applies to `analysis` when anything changed.
    fn refresh(&mut self, analysis: &Analysis) -> Result<Option<StoredLabels>, StoreError>;
}

/// What a [`MemoryStore`] was asked to do; shared so a test can look after
/// the store has been handed to the screen.
#[derive(Debug, Default)]
pub struct MemoryLog {
    /// Every batch written, in order.
    pub batches: Vec<Vec<LabelWrite>>,
    /// When set, the next write fails with this message.
    pub fail_next: Option<String>,
}

/// A store that forgets on exit: for tests and benchmarks.
#[derive(Debug, Default)]
pub struct MemoryStore {
    book: LabelBook,
    pub log: Arc<Mutex<MemoryLog>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_book(book: LabelBook) -> Self {
        MemoryStore {
            book,
            ..Self::default()
        }
    }
}

impl LabelStore for MemoryStore {
    fn load(&mut self, analysis: &Analysis) -> Result<StoredLabels, StoreError> {
        Ok(StoredLabels {
            book: self.book.clone(),
            notes: vec![None; analysis.campaign.ips.len()],
        })
    }

    fn write(&mut self, _analysis: &Analysis, writes: &[LabelWrite]) -> Result<(), StoreError> {
        let mut log = self
            .log
            .lock()
            .map_err(|_| StoreError("memory store poisoned".to_string()))?;
        if let Some(message) = log.fail_next.take() {
            return Err(StoreError(message));
        }
        for w in writes {
            self.book.set(w.key, w.verdict.map(LabelInfo::new));
        }
        log.batches.push(writes.to_vec());
        Ok(())
    }

    fn location(&self) -> String {
        "memory (not saved)".to_string()
    }

    fn refresh(&mut self, _analysis: &Analysis) -> Result<Option<StoredLabels>, StoreError> {
        // Nobody else writes to a memory store.
        Ok(None)
    }
}
