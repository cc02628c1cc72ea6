//! The knowledge base: every verdict, rule, owner note and cached owner the
//! analysts have recorded, kept durably across crashes, concurrent use and
//! campaigns. It knows nothing of terminals.
//!
//! # On disk
//! A directory (0700) holding `journal.jsonl` (appended to), `snapshot.jsonl`
//! (written by compaction), `owners.bin` (the owner cache, see
//! [`mod@owner_store`]), `accounts.json` (where each account worked in
//! earlier investigations, see [`mod@account_history`]) and `lock`; all
//! files 0600. Both data files are JSON lines after a header line (see
//! [`mod@format`]). Loading reads the snapshot, then the journal; the
//! journal continues the snapshot of the same generation.
//!
//! # Guarantees
//! - [`KnowledgeBase::record`] returns only after the entry is on disk
//!   (`sync_data`), so a change reported as saved survives a crash.
//! - A process killed during a write loses at most that write: its torn last
//!   line is reported ([`KbWarning::TornTail`]), ignored, and cut off by the
//!   next write. A damaged line elsewhere stops loading with its file and
//!   line ([`KbError::Damaged`]), and nothing is written.
//! - Several processes may use one knowledge base: writes are serialised by
//!   a lock, and [`KnowledgeBase::refresh`] reads what others appended.
//! - A file of a newer format version is refused ([`KbError::NewerFormat`]).

mod account;
mod account_history;
mod compact;
mod entry;
mod error;
mod files;
mod fingerprint;
pub mod format;
mod journal;
mod key;
mod line_scan;
mod location;
mod merge;
mod owner_cache;
mod owner_file;
mod owner_store;
pub mod precedence;
mod prefix;
mod resolve;
mod state;

use std::path::{Path, PathBuf};

pub use account_history::{AccountHistory, AccountUse, Used};
pub use compact::CompactReport;
pub use entry::{AccessFacts, Author, Entry, EntryChange, OwnerNote, login_name};
pub use error::{KbError, KbWarning};
pub use fingerprint::{Fingerprint, Fingerprinter, fingerprint};
pub use key::{
    Category, Key, KeyError, Kind, Slot, Verdict, WIDEST_RULE_V4, WIDEST_RULE_V6, rule_network,
    too_wide,
};
pub use location::{ENV_VAR, Location, LocationSource, locate};
pub use merge::{Conflict, ImportReport, Side};
pub use owner_cache::{CachedOwner, CachedSource};
pub(crate) use prefix::PrefixMap;
pub use resolve::{
    CampaignVerdicts, NoteMatch, Resolved, VerdictSource, describe_source, describe_source_at,
};

use files::{Dir, JOURNAL, Locked, SNAPSHOT};
use format::Names;
use journal::{Tail, Torn};
use owner_store::OwnerStore;
use state::State;

/// An open knowledge base: the state as last read, and the directory.
#[derive(Debug)]
pub struct KnowledgeBase {
    dir: Dir,
    state: State,
    /// The owner cache: not part of `state`, never in the journal.
    owners: OwnerStore,
    pos: Position,
    warnings: Vec<KbWarning>,
}

/// How far the files have been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Position {
    snapshot_generation: u64,
    /// The journal read so far; `None` when there is no journal of the
    /// snapshot's generation yet (the next write starts one).
    journal: Option<JournalPos>,
    /// The torn tail already reported, so a reader warns once, not per refresh.
    torn: Option<(u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct JournalPos {
    generation: u64,
    /// Just after the last good line: where the next entry goes.
    end: u64,
    /// Number of the last good line.
    line: u64,
}

/// What [`KnowledgeBase::refresh`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Refreshed {
    /// Entries appended by others since the last read (0 when `reloaded`).
    pub new_entries: usize,
    /// The files were replaced (another process compacted, or the journal
    /// was started or edited): everything was read again, so anything
    /// derived from the knowledge base should be resolved afresh.
    pub reloaded: bool,
}

/// Counts for `kb stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Entries in force, per category.
    pub live: Vec<(Category, usize)>,
    /// Every line of history, tombstones included.
    pub entries: usize,
    pub analysts: Vec<String>,
    pub campaigns: Vec<String>,
    pub first: Option<jiff::Timestamp>,
    pub last: Option<jiff::Timestamp>,
    pub generation: u64,
    pub journal_bytes: u64,
    pub snapshot_bytes: u64,
    /// The owner cache's file (its networks are `live`'s owner count).
    pub owners_bytes: u64,
}

impl KnowledgeBase {
    /// Opens (creating if needed) the knowledge base in `dir` and reads it.
    /// Warnings (a torn last line, an open directory) wait in [`Self::take_warnings`].
    pub fn open(dir: impl AsRef<Path>) -> Result<KnowledgeBase, KbError> {
        let (dir, warnings) = Dir::open(dir.as_ref())?;
        let mut kb = KnowledgeBase {
            dir,
            state: State::default(),
            owners: OwnerStore::default(),
            pos: Position::default(),
            warnings,
        };
        let lock = kb.dir.shared()?;
        kb.reload(&lock)?;
        drop(lock);
        if kb.pos.journal.is_none()
            && kb
                .warnings
                .iter()
                .any(|w| matches!(w, KbWarning::StaleJournal { .. }))
        {
            // Finish the interrupted compaction now, so the warning is given
            // once rather than on every open until the next label. Best
            // effort: a read-only knowledge base keeps its stale journal.
            let _ = kb.replace_stale_journal();
        }
        if kb.owners.from_journal > 0 && !kb.read_only() {
            // Written by an earlier version, which kept the owner cache in
            // the journal: move it to its own file now. Best effort: until
            // it succeeds the cache is used from memory, and nothing is lost.
            let _ = kb.migrate_owner_lines();
        }
        Ok(kb)
    }

    /// Starts the snapshot's own journal in place of a stale one.
    fn replace_stale_journal(&mut self) -> Result<(), KbError> {
        let lock = self.dir.exclusive()?;
        self.catch_up(&lock)?;
        if self.pos.journal.is_none() {
            let generation = self.pos.snapshot_generation;
            let end = journal::create_journal(&self.dir.file(JOURNAL), generation)?;
            self.pos.journal = Some(JournalPos {
                generation,
                end,
                line: 1,
            });
        }
        Ok(())
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Whether this process can only read the knowledge base (said once, as
    /// a warning, when it was opened).
    pub fn read_only(&self) -> bool {
        self.dir.read_only()
    }

    /// Warnings gathered since the last call.
    pub fn take_warnings(&mut self) -> Vec<KbWarning> {
        std::mem::take(&mut self.warnings)
    }

    /// Reads what other processes have written since the last read: only the
    /// journal's new lines, or everything when the files were replaced.
    pub fn refresh(&mut self) -> Result<Refreshed, KbError> {
        let lock = self.dir.shared()?;
        self.catch_up(&lock)
    }

    /// Stores one entry durably: appended and synced to disk before this
    /// returns, under the exclusive lock. Others' changes are read first.
    pub fn record(&mut self, entry: Entry) -> Result<(), KbError> {
        self.record_all(vec![entry])
    }

    /// Stores many entries with one write and one sync (a group label, the
    /// undo of one). Each entry takes effect over the one in force for its
    /// slot, even if the clock stepped back.
    pub fn record_all(&mut self, entries: Vec<Entry>) -> Result<(), KbError> {
        self.append(entries, true)
    }

    /// Appends entries; with `supersede`, each is stamped later than the one
    /// in force for its slot (local decisions), else kept as is (imports).
    fn append(&mut self, entries: Vec<Entry>, supersede: bool) -> Result<(), KbError> {
        if entries.is_empty() {
            return Ok(());
        }
        let lock = self.dir.exclusive()?;
        self.catch_up(&lock)?;
        self.append_locked(&lock, entries, supersede)
    }

    /// The append itself, with the exclusive lock held and the state caught up.
    fn append_locked(
        &mut self,
        _lock: &Locked,
        entries: Vec<Entry>,
        supersede: bool,
    ) -> Result<(), KbError> {
        let mut entries = self.divert_owner_lines(_lock, entries)?;
        if entries.is_empty() {
            return Ok(());
        }
        let path = self.dir.file(JOURNAL);
        let pos = match self.pos.journal {
            Some(pos) => pos,
            None => {
                let generation = self.pos.snapshot_generation;
                let end = journal::create_journal(&path, generation)?;
                JournalPos {
                    generation,
                    end,
                    line: 1,
                }
            }
        };
        self.pos.journal = Some(pos);
        if supersede {
            // Each takes effect over the entry in force for its slot; within
            // one batch a slot may appear twice (undo of a group that touched
            // it twice), and each comes after the one before it.
            let mut pending: std::collections::HashMap<Slot, entry::Rank> =
                std::collections::HashMap::new();
            for e in &mut entries {
                let slot = e.slot();
                let current = pending
                    .get(&slot)
                    .copied()
                    .or_else(|| self.state.latest(&slot).map(Entry::rank));
                if let Some(current) = current {
                    e.rank_after(current);
                }
                pending.insert(slot, e.rank());
            }
        }
        let mut bytes = Vec::with_capacity(entries.len() * 160);
        for e in &entries {
            format::write_entry(e, &mut bytes);
        }
        journal::append(&path, pos.end, &bytes)?;
        self.pos.journal = Some(JournalPos {
            generation: pos.generation,
            end: pos.end + bytes.len() as u64,
            line: pos.line + entries.len() as u64,
        });
        self.pos.torn = None;
        for e in entries {
            self.state.apply(e);
        }
        Ok(())
    }

    /// Reads everything afresh (the lock is held by the caller).
    fn reload(&mut self, _lock: &Locked) -> Result<(), KbError> {
        let snapshot_path = self.dir.file(SNAPSHOT);
        let journal_path = self.dir.file(JOURNAL);
        let owners_path = self.dir.file(owner_file::OWNERS);
        // The owner cache is read on one core while the verdict files are
        // parsed on the others (and on that one, once it is free).
        let (files, (owners, warning)) = rayon::join(
            || -> Result<_, KbError> {
                let mut names = Names::default();
                let snapshot = journal::read_whole(&snapshot_path, Tail::Strict, &mut names)?;
                let journal = journal::read_whole(&journal_path, Tail::Lenient, &mut names)?;
                Ok((snapshot, journal))
            },
            || OwnerStore::load(&owners_path),
        );
        let (snapshot, journal) = files?;
        let mut entries = Vec::new();
        let mut generation = 0;
        if let Some(snap) = snapshot {
            expect_role(&snapshot_path, snap.header.role, format::FileRole::Snapshot)?;
            generation = snap.header.generation;
            entries = snap.parsed.entries;
        }
        let mut pos = Position {
            snapshot_generation: generation,
            journal: None,
            torn: self.pos.torn,
        };
        if let Some(j) = journal {
            expect_role(&journal_path, j.header.role, format::FileRole::Journal)?;
            let jgen = j.header.generation;
            if jgen > generation {
                return Err(KbError::GenerationMismatch {
                    path: journal_path,
                    journal: jgen,
                    snapshot: generation,
                });
            }
            if jgen < generation {
                self.warnings.push(KbWarning::StaleJournal {
                    path: journal_path,
                    generation: jgen,
                    snapshot: generation,
                });
            } else {
                self.note_torn(jgen, j.parsed.torn, &mut pos);
                pos.journal = Some(JournalPos {
                    generation: jgen,
                    end: j.parsed.end,
                    line: j.parsed.line,
                });
                entries.extend(j.parsed.entries);
            }
        }
        self.owners = owners;
        self.warnings.extend(warning);
        let entries = self.split_owner_lines(entries);
        self.state = State::from_entries(entries);
        self.pos = pos;
        Ok(())
    }

    /// Brings the state up to date with the files (the lock is held by the caller).
    fn catch_up(&mut self, lock: &Locked) -> Result<Refreshed, KbError> {
        let full = |kb: &mut KnowledgeBase| -> Result<Refreshed, KbError> {
            kb.reload(lock)?;
            Ok(Refreshed {
                new_entries: 0,
                reloaded: true,
            })
        };
        let snapshot_path = self.dir.file(SNAPSHOT);
        let snapshot_generation =
            journal::read_header(&snapshot_path)?.map_or(0, |(h, _)| h.generation);
        if snapshot_generation != self.pos.snapshot_generation {
            return full(self);
        }
        let journal_path = self.dir.file(JOURNAL);
        let header = journal::read_header(&journal_path)?;
        let pos = match (self.pos.journal, header) {
            (Some(pos), Some((h, _))) if h.generation == pos.generation => pos,
            // Replaced or gone since the last read.
            (Some(_), _) => return full(self),
            // A journal of this generation was started since the last read.
            (None, Some((h, start))) if h.generation == snapshot_generation => JournalPos {
                generation: h.generation,
                end: start,
                line: 1,
            },
            // Ahead of the snapshot: a full read reports the mismatch.
            (None, Some((h, _))) if h.generation > snapshot_generation => return full(self),
            // Still none, or still the stale one of an interrupted compaction.
            (None, _) => return Ok(Refreshed::default()),
        };
        let Some(tail) = journal::read_from(&journal_path, pos.end)? else {
            return full(self);
        };
        let mut names = Names::default();
        let parsed = journal::parse_lines(
            &tail,
            pos.end,
            pos.line,
            &journal_path,
            Tail::Lenient,
            &mut names,
        )?;
        let mut new_pos = self.pos;
        self.note_torn(pos.generation, parsed.torn, &mut new_pos);
        new_pos.journal = Some(JournalPos {
            generation: pos.generation,
            end: parsed.end,
            line: parsed.line,
        });
        self.pos = new_pos;
        let entries = self.split_owner_lines(parsed.entries);
        let new_entries = entries.len();
        for e in entries {
            self.state.apply(e);
        }
        Ok(Refreshed {
            new_entries,
            reloaded: false,
        })
    }

    /// Owner lines read from the journal or snapshot (an earlier version
    /// kept the cache there) go to the owner cache; the rest are returned.
    fn split_owner_lines(&mut self, entries: Vec<Entry>) -> Vec<Entry> {
        if !entries.iter().any(|e| e.slot().kind == Kind::Owner) {
            return entries;
        }
        let mut rest = Vec::with_capacity(entries.len());
        for e in entries {
            if e.slot().kind == Kind::Owner {
                self.owners.absorb(&e);
                self.owners.from_journal += 1;
            } else {
                rest.push(e);
            }
        }
        rest
    }

    /// Reports a torn tail once per place it is found.
    fn note_torn(&mut self, generation: u64, torn: Option<Torn>, pos: &mut Position) {
        let Some(torn) = torn else {
            return;
        };
        if pos.torn != Some((generation, torn.line)) {
            self.warnings.push(KbWarning::TornTail {
                path: self.dir.file(JOURNAL),
                line: torn.line,
                bytes: torn.bytes,
            });
            pos.torn = Some((generation, torn.line));
        }
    }

    /// The entry in force for `slot`, if any (tombstones are not in force).
    pub fn current(&self, slot: &Slot) -> Option<&Entry> {
        self.state.current(slot)
    }

    /// Every entry in force, optionally of one category, sorted by key.
    pub fn list(&self, category: Option<Category>) -> Vec<&Entry> {
        let mut list: Vec<&Entry> = self
            .state
            .live()
            .filter(|e| category.is_none_or(|c| e.slot().category() == c))
            .collect();
        list.sort_by_key(|e| (e.slot().category(), e.key()));
        list
    }

    /// Every entry ever recorded about `key` (all kinds), oldest line first.
    pub fn history(&self, key: &Key) -> Vec<&Entry> {
        self.state
            .entries()
            .iter()
            .filter(|e| e.key() == *key)
            .collect()
    }

    /// Every entry, in file order.
    pub fn entries(&self) -> &[Entry] {
        self.state.entries()
    }

    pub fn stats(&self) -> Stats {
        let entries = self.state.entries();
        let mut analysts: Vec<String> = entries.iter().map(|e| e.analyst().to_string()).collect();
        analysts.sort();
        analysts.dedup();
        let mut campaigns: Vec<String> = entries
            .iter()
            .filter_map(|e| e.campaign().map(str::to_string))
            .collect();
        campaigns.sort();
        campaigns.dedup();
        let size = |name: &str| std::fs::metadata(self.dir.file(name)).map_or(0, |m| m.len());
        Stats {
            live: Category::ALL
                .iter()
                .map(|&c| match c {
                    Category::Owner => (c, self.owners.len()),
                    _ => (c, self.state.live_count(c)),
                })
                .collect(),
            entries: entries.len(),
            analysts,
            campaigns,
            first: entries.iter().map(Entry::time).min(),
            last: entries.iter().map(Entry::time).max(),
            generation: self.pos.snapshot_generation,
            journal_bytes: size(JOURNAL),
            snapshot_bytes: size(SNAPSHOT),
            owners_bytes: size(owner_file::OWNERS),
        }
    }

    /// The path of the journal, for messages.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.file(JOURNAL)
    }
}

fn expect_role(
    path: &Path,
    found: format::FileRole,
    want: format::FileRole,
) -> Result<(), KbError> {
    if found == want {
        return Ok(());
    }
    Err(KbError::Foreign {
        path: path.to_path_buf(),
        why: format!(
            "its header says it is a {} file, not a {}",
            found.as_str(),
            want.as_str()
        ),
    })
}
