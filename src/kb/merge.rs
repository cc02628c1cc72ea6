//! Sharing knowledge between analysts: `export` writes a self-contained file,
//! `import` merges one (an export, or another knowledge base's snapshot or
//! journal) into this knowledge base.
//!
//! Merging keeps everything: every entry not already present is appended
//! with its original analyst and time, so history shows both sides. For each
//! slot the newest decision is in force (see `state`), and where the two
//! sides' decisions differ the conflict is reported, with which side won.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::KnowledgeBase;
use super::entry::Entry;
use super::error::KbError;
use super::files::write_atomic;
use super::format::{FileRole, Names, header_line, write_entry};
use super::journal::{Tail, parse_lines, split_header};
use super::key::{Kind, Slot};
use super::owner_store::OwnerStore;
use super::state::State;

/// Which side of a merge a decision came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// This knowledge base.
    Local,
    /// The imported file.
    Theirs,
}

/// One slot where the two sides decided differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub slot: Slot,
    /// The local entry that was in force before the import (may be a removal).
    pub local: Entry,
    /// The newest entry for the slot in the imported file.
    pub theirs: Entry,
    /// The side in force now: the newer decision.
    pub winner: Side,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub path: PathBuf,
    /// Entries in the file.
    pub read: usize,
    /// Entries appended (not already present).
    pub added: usize,
    /// Entries already present, identical, and so not appended again.
    pub duplicates: usize,
    /// Owner facts (an export made with `--owners`), taken into the owner
    /// cache rather than the journal.
    pub owners: usize,
    /// Of the added entries, those now in force for their slot; the rest
    /// are older than a local decision and went into history.
    pub in_force: usize,
    pub conflicts: Vec<Conflict>,
    /// Addresses of earlier campaigns (those in the owner cache) whose rule
    /// verdict the import changed, through any key: a wide network rule
    /// overturns AS rules without touching their keys.
    pub addresses_changed: usize,
    /// Addresses of earlier campaigns known here.
    pub addresses_known: usize,
}

impl KnowledgeBase {
    /// Writes every decision and note with its history to `path` as a
    /// self-contained file, created private (0600); with `owners`, the owner
    /// cache too (one line per network). Returns the number of entries written.
    pub fn export(&mut self, path: &Path, owners: bool) -> Result<usize, KbError> {
        self.refresh()?;
        let mut entries = self.state.compacted();
        if owners {
            entries.extend(self.owner_entries());
        }
        let mut bytes = header_line(FileRole::Export, 0).into_bytes();
        for e in &entries {
            write_entry(e, &mut bytes);
        }
        write_atomic(path, &bytes)?;
        Ok(entries.len())
    }

    /// Merges the entries of `path` into this knowledge base with one
    /// durable write; see the module documentation.
    pub fn import(&mut self, path: &Path) -> Result<ImportReport, KbError> {
        self.import_allowing(path, false)
    }

    /// [`KnowledgeBase::import`]; a rule on a network wider than
    /// [`too_wide`](super::too_wide) allows is refused with its line unless
    /// `allow_wide`.
    pub fn import_allowing(
        &mut self,
        path: &Path,
        allow_wide: bool,
    ) -> Result<ImportReport, KbError> {
        let incoming = read_for_import(path, allow_wide)?;
        let read = incoming.len();
        let lock = self.dir.exclusive()?;
        self.catch_up(&lock)?;
        // Owner facts (an export made with `--owners`) refresh the cache.
        let incoming = self.divert_owner_lines(&lock, incoming)?;
        let owners = read - incoming.len();
        let plan = plan(&self.state, incoming);
        let added = plan.add.len();
        let known = known_addresses(&self.owners);
        let before = rule_verdicts(&self.state, &known);
        self.append_locked(&lock, plan.add, false)?;
        drop(lock);
        let after = rule_verdicts(&self.state, &known);
        let addresses_changed = before.iter().zip(&after).filter(|(b, a)| b != a).count();
        Ok(ImportReport {
            path: path.to_path_buf(),
            read,
            added,
            duplicates: plan.duplicates,
            owners,
            in_force: plan.in_force,
            conflicts: plan.conflicts,
            addresses_changed,
            addresses_known: known.len(),
        })
    }
}

/// Every network the owner cache holds (by its first address), with its AS:
/// where the campaigns this knowledge base has seen came from.
fn known_addresses(owners: &OwnerStore) -> Vec<(std::net::IpAddr, Option<u32>)> {
    owners
        .records()
        .into_iter()
        .map(|r| (r.net.network(), r.owner.asn))
        .collect()
}

/// The verdict each address's rules give it (IP, network, AS).
fn rule_verdicts(
    state: &State,
    addresses: &[(std::net::IpAddr, Option<u32>)],
) -> Vec<Option<super::Verdict>> {
    addresses
        .iter()
        .map(|&(ip, asn)| {
            super::precedence::address_rule::<super::Fingerprint, _>(state, ip, asn)
                .and_then(|(_, e)| e.verdict_value())
        })
        .collect()
}

fn read_for_import(path: &Path, allow_wide: bool) -> Result<Vec<Entry>, KbError> {
    let bytes = fs::read(path).map_err(KbError::io("read", path))?;
    let Some((header, body)) = split_header(&bytes, path)? else {
        return Err(KbError::Foreign {
            path: path.to_path_buf(),
            why: "the file is empty".to_string(),
        });
    };
    // A journal copied while in use may end in a torn line; files written
    // whole may not.
    let tail = match header.role {
        FileRole::Journal => Tail::Lenient,
        FileRole::Snapshot | FileRole::Export => Tail::Strict,
    };
    let start = (bytes.len() - body.len()) as u64;
    let parsed = parse_lines(body, start, 1, path, tail, &mut Names::default())?;
    if let Some(torn) = parsed.torn {
        return Err(KbError::Damaged {
            path: path.to_path_buf(),
            line: torn.line,
            reason: "the last line is incomplete (was the file copied while being written?)"
                .to_string(),
        });
    }
    let lines = entry_lines(body, 2);
    for (e, &line) in parsed.entries.iter().zip(&lines) {
        refuse_future(e, path, line)?;
        if !allow_wide {
            refuse_wide(e, path, line)?;
        }
    }
    Ok(parsed.entries)
}

/// How far ahead of this machine's clock an imported entry may be dated:
/// clocks disagree by seconds, a badly set one by minutes.
pub(crate) const FUTURE_LEEWAY: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// An entry dated in the future would outrank every decision made until
/// then (and one dated 9999 for ever), so it is refused with its line.
fn refuse_future(e: &Entry, path: &Path, line: u64) -> Result<(), KbError> {
    let limit = super::entry::now()
        .checked_add(FUTURE_LEEWAY)
        .unwrap_or(jiff::Timestamp::MAX);
    let latest = e.rank_time().max(e.time());
    if latest <= limit {
        return Ok(());
    }
    Err(KbError::ImportRefused {
        path: path.to_path_buf(),
        line,
        reason: format!(
            "{} is dated {latest}, later than now (more than an hour ahead of this machine's clock): it would outrank every decision made before then; check the clock of the machine that wrote it",
            e.key()
        ),
    })
}

/// A verdict on a network wider than any one organisation holds outranks
/// every AS rule for all of it: taken only when asked for.
fn refuse_wide(e: &Entry, path: &Path, line: u64) -> Result<(), KbError> {
    let key = e.key();
    match (e.verdict_value(), super::too_wide(&key)) {
        (Some(verdict), Some(widest)) => Err(KbError::ImportRefused {
            path: path.to_path_buf(),
            line,
            reason: format!(
                "{key} {verdict} is a rule on a network wider than /{widest}: it would outrank the AS rules of every network inside it; give --allow-wide to import it anyway"
            ),
        }),
        _ => Ok(()),
    }
}

/// The line number of each entry of `body` (blank lines hold none), the
/// first line of `body` being `first`.
fn entry_lines(body: &[u8], first: u64) -> Vec<u64> {
    body.split(|&b| b == b'\n')
        .zip(first..)
        .filter(|(text, _)| !text.trim_ascii().is_empty())
        .map(|(_, n)| n)
        .collect()
}

pub(crate) struct Plan {
    pub add: Vec<Entry>,
    pub duplicates: usize,
    pub in_force: usize,
    pub conflicts: Vec<Conflict>,
}

/// Decides what an import appends and what it conflicts with.
pub(crate) fn plan(state: &State, incoming: Vec<Entry>) -> Plan {
    // Identity of an entry for deduplication: slot and time narrow it to
    // (almost always) one candidate, compared in full.
    let wanted: std::collections::HashSet<Slot> = incoming.iter().map(Entry::slot).collect();
    let mut seen: HashMap<(Slot, jiff::Timestamp), Vec<&Entry>> = HashMap::new();
    for e in state.entries() {
        if wanted.contains(&e.slot()) {
            seen.entry((e.slot(), e.rank_time())).or_default().push(e);
        }
    }
    let mut add: Vec<Entry> = Vec::new();
    let mut added: HashMap<(Slot, jiff::Timestamp), Vec<usize>> = HashMap::new();
    let mut duplicates = 0;
    for e in incoming {
        let id = (e.slot(), e.rank_time());
        let same = seen.get(&id).is_some_and(|c| c.contains(&&e))
            || added
                .get(&id)
                .is_some_and(|c| c.iter().any(|&i| add[i] == e));
        if same {
            duplicates += 1;
        } else {
            added.entry(id).or_default().push(add.len());
            add.push(e);
        }
    }
    // The newest added entry per slot: ties go to the later line, as in `State`.
    let mut newest: HashMap<Slot, usize> = HashMap::new();
    for (i, e) in add.iter().enumerate() {
        let slot = e.slot();
        match newest.get(&slot) {
            Some(&j) if add[j].rank() > e.rank() => {}
            _ => {
                newest.insert(slot, i);
            }
        }
    }
    let mut conflicts = Vec::new();
    let mut in_force = 0;
    let mut slots: Vec<(&Slot, &usize)> = newest.iter().collect();
    slots.sort();
    for (slot, &i) in slots {
        let theirs = &add[i];
        let local = state.latest(slot);
        // Appended after every local line, an equal time goes to theirs.
        let theirs_wins = local.is_none_or(|l| theirs.rank() >= l.rank());
        in_force += usize::from(theirs_wins);
        if let Some(local) = local
            && slot.kind != Kind::Owner
            && !theirs.change().same_decision(local.change())
        {
            conflicts.push(Conflict {
                slot: *slot,
                local: local.clone(),
                theirs: theirs.clone(),
                winner: if theirs_wins {
                    Side::Theirs
                } else {
                    Side::Local
                },
            });
        }
    }
    Plan {
        add,
        duplicates,
        in_force,
        conflicts,
    }
}
