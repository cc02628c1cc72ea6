//! Where labels go when the analyst makes them. The screen talks to the
//! knowledge base only through this interface: load what it knows about a
//! campaign, write a batch of decisions durably, say where it lives.

use std::sync::{Arc, Mutex};

use crate::analysis::Analysis;
use crate::kb::{KbError, KeyError};
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

/// Why a store could not load, write or re-read labels. The screen shows
/// the message after what it was doing ("could not re-read the labels: …").
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The knowledge base failed to read or write.
    #[error(transparent)]
    KnowledgeBase(#[from] KbError),
    /// A network that cannot be a knowledge-base key (host bits set).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// A label for an access the campaign does not have.
    #[error("no access #{0} in this campaign")]
    NoSuchAccess(u32),
    /// Labels were to be saved with no campaign on screen.
    #[error("no campaign loaded")]
    NoCampaign,
    /// A thread panicked while it held the lock on `what` (the knowledge
    /// base, the label store); nothing can be trusted to be in it.
    #[error("the {what} is unusable after an earlier crash")]
    Poisoned { what: &'static str },
    /// A failure a [`MemoryStore`] was told to report ([`MemoryLog::fail_next`]).
    #[error("{0}")]
    Injected(String),
}

impl StoreError {
    /// The label store's lock is poisoned.
    pub fn store_poisoned() -> StoreError {
        StoreError::Poisoned {
            what: "label store",
        }
    }
}

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
    /// When set, the next write fails with this message (tests of how the
    /// screen takes a failed save).
    pub fail_next: Option<String>,
}

/// A store that forgets on exit: what `--no-kb` reviews with (labels apply
/// for the session and go into the export, nothing is kept), and what the
/// tests and benchmarks hand the screen. Its [`MemoryLog`] records every
/// batch and can make the next write fail.
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
        let mut log = self.log.lock().map_err(|_| StoreError::store_poisoned())?;
        if let Some(message) = log.fail_next.take() {
            return Err(StoreError::Injected(message));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Key;

    #[test]
    fn each_failure_reads_as_the_screen_has_always_said_it() {
        assert_eq!(
            StoreError::store_poisoned().to_string(),
            "the label store is unusable after an earlier crash"
        );
        assert_eq!(
            StoreError::Poisoned {
                what: "knowledge base"
            }
            .to_string(),
            "the knowledge base is unusable after an earlier crash"
        );
        assert_eq!(
            StoreError::NoSuchAccess(7).to_string(),
            "no access #7 in this campaign"
        );
        assert_eq!(StoreError::NoCampaign.to_string(), "no campaign loaded");
        assert_eq!(
            StoreError::Injected("disk full".into()).to_string(),
            "disk full"
        );
        // A wrapped error says what it says by itself.
        let key = Key::from_network("192.0.2.1/24".parse().unwrap()).unwrap_err();
        let text = key.to_string();
        assert!(text.contains("host bits"), "{text}");
        assert_eq!(StoreError::from(key).to_string(), text);
    }

    #[test]
    fn a_memory_store_fails_once_when_told_and_keeps_what_it_wrote() {
        let analysis = crate::tui::kb_store::tests::empty_analysis();
        let mut store = MemoryStore::new();
        let write = LabelWrite {
            key: LabelKey::Asn(8075),
            verdict: Some(Verdict::Scanner),
        };
        store.log.lock().unwrap().fail_next = Some("read-only".into());
        let batch = std::slice::from_ref(&write);
        let err = store.write(&analysis, batch).unwrap_err();
        assert!(matches!(&err, StoreError::Injected(m) if m == "read-only"));
        store.write(&analysis, batch).unwrap();
        assert_eq!(store.log.lock().unwrap().batches, vec![vec![write]]);
        let loaded = store.load(&analysis).unwrap();
        assert_eq!(
            loaded.book.get(LabelKey::Asn(8075)).map(|l| l.verdict),
            Some(Verdict::Scanner)
        );
    }
}
