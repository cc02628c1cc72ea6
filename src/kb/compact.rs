//! Compaction: folding the journal into a new snapshot, so the journal
//! starts short again (owner lines of an earlier version's journal move to
//! the owner cache's file).
//!
//! Order of the steps, each crash-safe: the new snapshot (generation N+1)
//! is written beside the old one and renamed over it; from that moment the
//! old journal (generation N) is stale, and a reader that finds it ignores
//! it because everything in it is in the snapshot. Then a fresh, empty
//! journal of generation N+1 replaces it. Another process that had read
//! generation N sees the new generation in the headers and reads afresh.

use super::KnowledgeBase;
use super::error::KbError;
use super::files::{JOURNAL, Locked, SNAPSHOT, write_atomic};
use super::format::{FileRole, header_line, write_entry};
use super::journal::create_journal;
use super::state::State;
use super::{JournalPos, Position};

/// What a compaction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactReport {
    pub entries_before: usize,
    pub entries_after: usize,
    pub bytes_before: u64,
    pub bytes_after: u64,
    /// The new generation of snapshot and journal.
    pub generation: u64,
}

impl KnowledgeBase {
    /// Writes everything into a new snapshot and starts an empty journal.
    /// Decisions and notes keep their whole history.
    pub fn compact(&mut self) -> Result<CompactReport, KbError> {
        let lock = self.dir.exclusive()?;
        self.catch_up(&lock)?;
        let report = self.compact_locked(&lock)?;
        drop(lock);
        Ok(report)
    }

    /// [`Self::compact`] with the exclusive lock held and the state caught up.
    pub(crate) fn compact_locked(&mut self, lock: &Locked) -> Result<CompactReport, KbError> {
        if self.owners.from_journal > 0 {
            // Owner lines of an earlier version's journal: into the cache's
            // file first, since the new snapshot leaves them out.
            self.save_owners(lock, |_| {})?;
        }
        let size = |name: &str| std::fs::metadata(self.dir.file(name)).map_or(0, |m| m.len());
        let bytes_before = size(SNAPSHOT) + size(JOURNAL);
        let entries_before = self.state.entries().len();
        let kept = self.state.compacted();
        let generation = self.pos.snapshot_generation + 1;
        let mut bytes = header_line(FileRole::Snapshot, generation).into_bytes();
        for e in &kept {
            write_entry(e, &mut bytes);
        }
        write_atomic(&self.dir.file(SNAPSHOT), &bytes)?;
        // The snapshot is in place: the old journal is stale from here on,
        // whether or not the next step succeeds.
        let entries_after = kept.len();
        self.state = State::from_entries(kept);
        self.pos = Position {
            snapshot_generation: generation,
            journal: None,
            torn: None,
        };
        let end = create_journal(&self.dir.file(JOURNAL), generation)?;
        self.pos.journal = Some(JournalPos {
            generation,
            end,
            line: 1,
        });
        self.owners.from_journal = 0;
        Ok(CompactReport {
            entries_before,
            entries_after,
            bytes_before,
            bytes_after: bytes.len() as u64 + end,
            generation,
        })
    }
}
