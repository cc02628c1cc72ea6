//! The set of owner databases in use, and merged lookups over all of them.

use std::collections::HashSet;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::cache::{Interner, RecordMap};
use super::database::Database;
use super::info::DatabaseInfo;
use super::internal::internal_range;
use super::language::{Language, ui_language};
use super::merge::Merger;
use super::{Owner, OwnerDbError};

/// Below this many addresses, threads cost more than they save.
const PARALLEL_MIN: usize = 4_096;

/// Failed lookups in one database (corrupt data), for one warning line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupErrors {
    /// Index into [`OwnerDatabases::infos`].
    pub index: usize,
    pub path: PathBuf,
    pub count: u64,
    /// The first error's message.
    pub first: String,
}

/// Owner databases opened for lookups. `Send + Sync`: share it by reference
/// across threads; lookups never panic and never fail as a whole.
pub struct OwnerDatabases {
    dbs: Vec<Database>,
    infos: Vec<DatabaseInfo>,
    interner: Mutex<Interner>,
    language: Language,
    /// Addresses looked up so far, counted per run rather than per address
    /// (one shared counter per lookup would cost the threads), so the
    /// pipeline can show each address is looked up once.
    asked: AtomicU64,
}

impl std::fmt::Debug for OwnerDatabases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OwnerDatabases")
            .field("infos", &self.infos)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Default for OwnerDatabases {
    fn default() -> Self {
        Self::empty()
    }
}

impl OwnerDatabases {
    /// No databases: every public address is unknown, internal ones are still recognised.
    pub fn empty() -> Self {
        OwnerDatabases {
            dbs: Vec::new(),
            infos: Vec::new(),
            interner: Mutex::new(Interner::default()),
            language: ui_language(),
            asked: AtomicU64::new(0),
        }
    }

    /// Opens the given files, in order. Any file that cannot be read, is
    /// corrupt, or holds nothing whoclicked uses is an error naming it. The
    /// same file given twice (also via another path) is opened once.
    pub fn open(paths: &[PathBuf]) -> Result<Self, OwnerDbError> {
        let mut dbs = Self::empty();
        let mut seen = HashSet::new();
        for path in paths {
            if seen.insert(identity(path)) {
                dbs.open_one(path)?;
            }
        }
        Ok(dbs)
    }

    /// Uses databases already in memory, e.g. built by `mmdb::writer` in a
    /// test; each name stands in for the path in infos and messages.
    pub fn from_bytes(databases: Vec<(PathBuf, Vec<u8>)>) -> Result<Self, OwnerDbError> {
        let mut dbs = Self::empty();
        for (name, bytes) in databases {
            dbs.push_bytes(&name, bytes, false)?;
        }
        Ok(dbs)
    }

    /// Adds an in-memory database; `bundled` marks the one whoclicked ships.
    pub(crate) fn push_bytes(
        &mut self,
        name: &Path,
        bytes: Vec<u8>,
        bundled: bool,
    ) -> Result<(), OwnerDbError> {
        let (db, mut info) = Database::from_bytes(name, bytes)?;
        info.bundled = bundled;
        self.push(db, info)
    }

    pub(crate) fn open_one(&mut self, path: &Path) -> Result<(), OwnerDbError> {
        let (db, info) = Database::open(path)?;
        self.push(db, info)
    }

    fn push(&mut self, db: Database, info: DatabaseInfo) -> Result<(), OwnerDbError> {
        let max = usize::from(u16::MAX);
        if self.dbs.len() >= max {
            return Err(OwnerDbError::TooMany {
                count: self.dbs.len() + 1,
                max,
            });
        }
        self.dbs.push(db);
        self.infos.push(info);
        Ok(())
    }

    /// Shows place names in `language` instead of the one from the locale.
    pub fn with_language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// What each database is, in the order they are consulted; `Owner::sources` indexes this.
    pub fn infos(&self) -> &[DatabaseInfo] {
        &self.infos
    }

    pub fn is_empty(&self) -> bool {
        self.dbs.is_empty()
    }

    pub fn len(&self) -> usize {
        self.dbs.len()
    }

    /// What all databases say about `ip`, merged (see `merge` for the rules).
    /// Internal addresses are not looked up.
    pub fn lookup(&self, ip: IpAddr) -> Owner {
        self.asked.fetch_add(1, Ordering::Relaxed);
        self.lookup_with(ip, None)
    }

    /// How many addresses have been looked up in these databases so far
    /// (internal ones included: asked, even if not sent to a file).
    pub fn addresses_looked_up(&self) -> u64 {
        self.asked.load(Ordering::Relaxed)
    }

    /// One owner per address, in input order, spread over the cores.
    pub fn lookup_all(&self, ips: &[IpAddr]) -> Vec<Owner> {
        self.lookup_all_counted(ips, &AtomicU64::new(0))
    }

    /// [`Self::lookup_all`], adding to `done` as addresses are looked up
    /// (every few hundred), for a progress line.
    pub fn lookup_all_counted(&self, ips: &[IpAddr], done: &AtomicU64) -> Vec<Owner> {
        self.asked.fetch_add(ips.len() as u64, Ordering::Relaxed);
        use rayon::prelude::*;
        let workers = rayon::current_num_threads();
        // Each task fills its part of the result in place: an `Owner` is a
        // few hundred bytes, and copying per-task vectors together cost more
        // than the threads saved. A few parts per thread keep both cores
        // busy when one part's addresses are slower (more distinct records).
        let mut owners = vec![Owner::default(); ips.len()];
        if workers == 1 || ips.len() < PARALLEL_MIN || self.dbs.is_empty() {
            self.lookup_into(ips, &mut owners, done);
            return owners;
        }
        let chunk = ips.len().div_ceil(workers * 4);
        ips.par_chunks(chunk)
            .zip(owners.par_chunks_mut(chunk))
            .for_each(|(part, out)| self.lookup_into(part, out, done));
        owners
    }

    /// Looks up a run of addresses with thread-local caches in front of the
    /// shared ones, so the shared locks are taken once per distinct record.
    fn lookup_into(&self, ips: &[IpAddr], out: &mut [Owner], done: &AtomicU64) {
        /// Often enough for a progress line, rarely enough not to cost.
        const STEP: usize = 512;
        let mut locals: Vec<RecordMap> = self.dbs.iter().map(|_| RecordMap::default()).collect();
        for (part, out) in ips.chunks(STEP).zip(out.chunks_mut(STEP)) {
            for (ip, owner) in part.iter().zip(out) {
                *owner = self.lookup_with(*ip, Some(&mut locals));
            }
            done.fetch_add(part.len() as u64, Ordering::Relaxed);
        }
    }

    fn lookup_with(&self, ip: IpAddr, mut locals: Option<&mut Vec<RecordMap>>) -> Owner {
        let ip = ip.to_canonical();
        if let Some(why) = internal_range(ip) {
            return Owner {
                internal: Some(why),
                ..Owner::default()
            };
        }
        let mut merger = Merger::new(self.language);
        for (index, db) in self.dbs.iter().enumerate() {
            let local = locals.as_deref_mut().and_then(|l| l.get_mut(index));
            if let Some(hit) = db.lookup(ip, &self.interner, local) {
                // `push` keeps the count within u16.
                merger.add(index as u16, &hit);
            }
        }
        merger.finish()
    }

    /// Databases where lookups failed on corrupt data, with counts.
    pub fn lookup_errors(&self) -> Vec<LookupErrors> {
        self.dbs
            .iter()
            .zip(&self.infos)
            .enumerate()
            .filter(|(_, (db, _))| db.error_count() > 0)
            .map(|(index, (db, info))| LookupErrors {
                index,
                path: info.path.clone(),
                count: db.error_count(),
                first: db.first_error().unwrap_or_default().to_string(),
            })
            .collect()
    }

    /// Total failed lookups over all databases.
    pub fn lookup_error_count(&self) -> u64 {
        self.dbs.iter().map(Database::error_count).sum()
    }
}

/// A file's identity for "the same file twice": its canonical path when it
/// exists (symlinks, `./`), else the path as given (the open will fail).
pub(crate) fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<OwnerDatabases>();
    }

    #[test]
    fn empty_still_knows_internal_addresses() {
        let dbs = OwnerDatabases::empty();
        assert!(dbs.is_empty());
        let owner = dbs.lookup("10.1.2.3".parse().expect("ip"));
        assert_eq!(owner.internal, Some("private"));
        let public = dbs.lookup("8.8.8.8".parse().expect("ip"));
        assert!(public.is_unknown());
        let many: Vec<IpAddr> = (0..5_000u32)
            .map(|i| IpAddr::V4(std::net::Ipv4Addr::from(0x0808_0000 + i)))
            .collect();
        assert_eq!(dbs.lookup_all(&many).len(), 5_000);
    }
}
