//! Whether an owner database file is whole. Opening a file checks only its
//! metadata and first records; a damaged search tree or data section deeper
//! in gives wrong or missing owners without any error. A full check reads
//! everything (about half a second for a 10 MB ASN database, seconds for a
//! City database), so it runs beside the work on another thread, and its
//! result is remembered by path, size and modification time: a file is
//! checked once per version, by `mmdb info` or by the first command that
//! uses it.

use std::fs;
use std::path::{Path, PathBuf};
use std::thread::{self, JoinHandle};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::OwnerDbError;
use super::info::DatabaseInfo;
use crate::atomic_file::{self, FileMode};
use crate::text::path_text;

/// Files remembered; the oldest are forgotten first.
const REMEMBERED: usize = 64;

/// The remembered results, in the user's cache directory (a cache: losing
/// it only costs a check).
fn memo_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "whoclicked")
        .map(|dirs| dirs.cache_dir().join("mmdb-checked.jsonl"))
}

/// A database file that failed the full check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damaged {
    pub path: PathBuf,
    /// What the check found, as the reader said it.
    pub problem: String,
}

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} failed its integrity check ({}): owners read from it may be wrong or missing; \
             replace the file (`whoclicked mmdb info` shows the check)",
            path_text(&self.path),
            self.problem
        )
    }
}

/// One file's remembered result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Checked {
    /// Absolute, links resolved: the same file named from elsewhere.
    path: PathBuf,
    size: u64,
    modified_ns: u128,
    /// `None`: the file passed.
    problem: Option<String>,
}

/// A version of a file: where it really is, its size and modification time.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Version {
    path: PathBuf,
    size: u64,
    modified_ns: u128,
}

fn version(path: &Path) -> Option<Version> {
    let meta = fs::metadata(path).ok()?;
    let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(Version {
        path: fs::canonicalize(path).ok()?,
        size: meta.len(),
        modified_ns: modified.as_nanos(),
    })
}

impl Checked {
    fn new(version: &Version, result: &Result<(), OwnerDbError>) -> Checked {
        Checked {
            path: version.path.clone(),
            size: version.size,
            modified_ns: version.modified_ns,
            problem: problem(result),
        }
    }

    fn is(&self, version: &Version) -> bool {
        self.path == version.path
            && self.size == version.size
            && self.modified_ns == version.modified_ns
    }
}

fn read_memo(memo: &Path) -> Vec<Checked> {
    let Ok(text) = fs::read_to_string(memo) else {
        return Vec::new();
    };
    // A line that does not parse (an older or damaged cache) is forgotten.
    text.lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect()
}

/// Adds `results` to the memo (newest first), best effort: a cache that
/// cannot be written is checked again next time, nothing worse.
fn remember(memo: &Path, results: &[Checked]) {
    if results.is_empty() {
        return;
    }
    let mut all = results.to_vec();
    for old in read_memo(memo) {
        if !all.iter().any(|c| c.path == old.path) && fs::metadata(&old.path).is_ok() {
            all.push(old);
        }
    }
    all.truncate(REMEMBERED);
    if let Some(dir) = memo.parent()
        && fs::create_dir_all(dir).is_err()
    {
        return;
    }
    let _ = atomic_file::write(memo, FileMode::Usual, |out| {
        for checked in &all {
            serde_json::to_writer(&mut *out, checked)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    });
}

/// What a check found, as the reader said it; `None` when the file passed.
fn problem(result: &Result<(), OwnerDbError>) -> Option<String> {
    result.as_ref().err().map(|err| match err {
        OwnerDbError::Corrupt { message, .. } => message.clone(),
        other => other.to_string(),
    })
}

/// The full check of some databases under way: those remembered as damaged
/// are known at once, the others are checked on a thread of their own.
#[derive(Debug)]
pub struct IntegrityCheck {
    known: Vec<Damaged>,
    running: Option<JoinHandle<Vec<Damaged>>>,
}

impl IntegrityCheck {
    /// The damaged files among those checked, once the check is over.
    pub fn finish(self) -> Vec<Damaged> {
        let mut damaged = self.known;
        if let Some(running) = self.running {
            // A check that panicked proved nothing either way.
            damaged.extend(running.join().unwrap_or_default());
        }
        damaged
    }
}

/// Starts the full check of the files behind `infos` (the bundled database
/// and in-memory ones are not files and are skipped), with results
/// remembered in the user's cache directory.
pub fn check_integrity(infos: &[DatabaseInfo]) -> IntegrityCheck {
    check_integrity_with(infos, memo_path())
}

/// [`check_integrity`] with the memo at `memo` (`None`: remember nothing).
pub fn check_integrity_with(infos: &[DatabaseInfo], memo: Option<PathBuf>) -> IntegrityCheck {
    let remembered_results = memo.as_deref().map(read_memo).unwrap_or_default();
    let mut known = Vec::new();
    let mut to_check = Vec::new();
    for info in infos.iter().filter(|info| !info.bundled) {
        let Some(version) = version(&info.path) else {
            continue;
        };
        match remembered_results.iter().find(|c| c.is(&version)) {
            Some(Checked {
                problem: Some(problem),
                ..
            }) => known.push(Damaged {
                path: info.path.clone(),
                problem: problem.clone(),
            }),
            Some(_) => {}
            None => to_check.push((info.path.clone(), version)),
        }
    }
    let running = (!to_check.is_empty()).then(|| {
        thread::spawn(move || {
            let mut results = Vec::new();
            let mut damaged = Vec::new();
            for (path, version) in to_check {
                let checked = Checked::new(&version, &crate::mmdb::verify(&path));
                if let Some(problem) = &checked.problem {
                    damaged.push(Damaged {
                        path,
                        problem: problem.clone(),
                    });
                }
                results.push(checked);
            }
            if let Some(memo) = &memo {
                remember(memo, &results);
            }
            damaged
        })
    });
    IntegrityCheck { known, running }
}

/// Remembers the result of a check made elsewhere (`mmdb info`), so that
/// the commands that use the file need not check it again.
pub fn remember_check(path: &Path, result: &Result<(), OwnerDbError>) {
    let (Some(memo), Some(version)) = (memo_path(), version(path)) else {
        return;
    };
    remember(&memo, &[Checked::new(&version, result)]);
}

/// A GeoLite2-ASN-shaped database of 500 networks whose last owner's name
/// is damaged: it opens (the first records are whole) but fails the full
/// check, like a file cut or overwritten in the middle.
#[cfg(any(test, feature = "testing"))]
pub fn damaged_database_for_tests() -> Vec<u8> {
    use crate::mmdb::{Value, Writer, WriterOptions};
    let mut writer = Writer::new(WriterOptions::new("GeoLite2-ASN")).expect("writer");
    for i in 0..500u32 {
        let network = format!("11.{}.{}.0/24", i / 250 + 1, i % 250);
        let value = Value::map([
            ("autonomous_system_number", Value::Uint32(64_500 + i)),
            (
                "autonomous_system_organization",
                Value::String(format!("Org number {i:04}")),
            ),
        ]);
        writer
            .insert(network.parse().expect("network"), value)
            .expect("insert");
    }
    let mut bytes = writer.finish().expect("finish").bytes;
    let name = b"Org number 0499";
    let at = bytes
        .windows(name.len())
        .position(|w| w == name)
        .expect("the last owner's name");
    // The string's control byte becomes an unknown extended type.
    bytes[at - 1] = 0x20;
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(path: &Path) -> DatabaseInfo {
        crate::owner::inspect_file(path).expect("a database that opens")
    }

    #[test]
    fn a_damaged_file_is_found_then_remembered_and_a_changed_file_checked_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("damaged.mmdb");
        fs::write(&db, damaged_database_for_tests()).expect("write");
        let memo = dir.path().join("cache/memo.jsonl");
        let infos = [info(&db)];

        let damaged = check_integrity_with(&infos, Some(memo.clone())).finish();
        assert_eq!(damaged.len(), 1, "{damaged:?}");
        assert_eq!(damaged[0].path, db);
        assert!(
            damaged[0]
                .to_string()
                .contains("failed its integrity check")
        );

        // Remembered: known at once, no check runs.
        let again = check_integrity_with(&infos, Some(memo.clone()));
        assert!(again.running.is_none());
        assert_eq!(again.finish(), damaged);

        // Replaced by a whole file of another size: checked again, passes,
        // and only the new version is remembered.
        fs::write(&db, crate::demo::ASN_DATABASE).expect("write");
        let infos = [info(&db)];
        let fresh = check_integrity_with(&infos, Some(memo.clone()));
        assert!(fresh.running.is_some());
        assert!(fresh.finish().is_empty());
        let memo_text = fs::read_to_string(&memo).expect("memo");
        assert_eq!(memo_text.lines().count(), 1, "{memo_text}");
        assert!(memo_text.contains("\"problem\":null"), "{memo_text}");
    }

    #[test]
    fn a_damaged_memo_costs_only_a_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("asn.mmdb");
        fs::write(&db, crate::demo::ASN_DATABASE).expect("write");
        let memo = dir.path().join("memo.jsonl");
        fs::write(&memo, "not json\n{\"path\":1}\n").expect("write");
        let check = check_integrity_with(&[info(&db)], Some(memo.clone()));
        assert!(check.running.is_some());
        assert!(check.finish().is_empty());
        assert_eq!(read_memo(&memo).len(), 1);
    }
}
