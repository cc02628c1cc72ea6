//! What can go wrong with a knowledge base, and what is worth a warning.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::format::FORMAT_VERSION;
use super::key::KeyError;

/// A knowledge-base operation that failed. After any error nothing on disk
/// has been changed except, at most, the one write that failed (which is
/// rolled back when the system allows).
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{}, line {line}: {reason}; the knowledge base was not loaded and nothing in it was changed",
        path.display()
    )]
    Damaged {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error(
        "{} was written by a newer whoclicked (format version {found}; this one reads up to version {FORMAT_VERSION}); update whoclicked to use it, nothing was changed",
        path.display()
    )]
    NewerFormat { path: PathBuf, found: u64 },
    #[error("{} is not a whoclicked knowledge-base file: {why}", path.display())]
    Foreign { path: PathBuf, why: String },
    #[error(
        "{} continues generation {journal} but the snapshot is generation {snapshot}: the snapshot was deleted or replaced by an older copy, so decisions may be missing; restore snapshot.jsonl (or move the journal aside to start afresh)",
        path.display()
    )]
    GenerationMismatch {
        path: PathBuf,
        journal: u64,
        snapshot: u64,
    },
    #[error(
        "no place for the knowledge base: no home directory found; give --kb DIR or set WHOCLICKED_KB"
    )]
    NoLocation,
    #[error("{}, line {line}: {reason}; nothing was imported", path.display())]
    ImportRefused {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error(
        "the knowledge base {} is read-only here: it can be read, but nothing can be saved to it",
        path.display()
    )]
    ReadOnly { path: PathBuf },
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl KbError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(io::Error) -> KbError {
        let path = path.into();
        move |source| KbError::Io {
            action,
            path,
            source,
        }
    }
}

/// Something the analyst should hear about that did not stop the work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KbWarning {
    /// The last line of the journal was incomplete: a write that never
    /// finished (a crash or kill during the write). It was ignored; the next
    /// change cuts it off.
    TornTail {
        path: PathBuf,
        line: u64,
        bytes: u64,
    },
    /// A compaction was interrupted after the snapshot was written: the old
    /// journal's entries are all in the snapshot, so it was ignored.
    StaleJournal {
        path: PathBuf,
        generation: u64,
        snapshot: u64,
    },
    /// The knowledge-base directory can be read by other users.
    OpenToOthers { path: PathBuf, mode: u32 },
    /// The directory belongs to another user account.
    OwnedByOther { path: PathBuf, owner: u32 },
    /// This process may read the knowledge base but not write to it.
    ReadOnly { path: PathBuf },
    /// The owner cache's file could not be read; the cache starts empty
    /// (it is refilled by the next lookups) and no verdict is affected.
    OwnerCacheDropped { path: PathBuf, why: String },
}

impl fmt::Display for KbWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KbWarning::TornTail { path, line, bytes } => write!(
                f,
                "{}, line {line}: ignored an incomplete last line ({bytes} bytes) left by a write that never finished; every earlier entry is intact",
                path.display()
            ),
            KbWarning::StaleJournal {
                path,
                generation,
                snapshot,
            } => write!(
                f,
                "{} (generation {generation}) predates the snapshot (generation {snapshot}) after an interrupted compaction; its entries are in the snapshot, so it was ignored",
                path.display()
            ),
            KbWarning::OpenToOthers { path, mode } => write!(
                f,
                "{} can be read by other users (mode {mode:04o}) but holds employee identifiers; consider chmod 700",
                path.display()
            ),
            KbWarning::OwnedByOther { path, owner } => write!(
                f,
                "{} belongs to another user (uid {owner}): that account can read and change every label kept there; use a knowledge base of your own (--kb) unless this is meant",
                path.display()
            ),
            KbWarning::ReadOnly { path } => write!(
                f,
                "{} is read-only here: its labels and rules are used, but labels cannot be saved",
                path.display()
            ),
            KbWarning::OwnerCacheDropped { path, why } => write!(
                f,
                "{}: the owner cache was not read: {why}; it starts empty and is refilled by the next lookups (no verdict, rule or note is affected)",
                path.display()
            ),
        }
    }
}
