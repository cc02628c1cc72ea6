//! One opened owner database: its reader, schema, record cache and the count
//! of lookups that failed on corrupt data.

use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ipnetwork::{IpNetwork, Ipv4Network};
use maxminddb::{MaxMindDbError, Reader};

use super::OwnerDbError;
use super::cache::{Facts, Interner, MAX_CACHED_RECORDS, RecordMap};
use super::decode;
use super::info::{self, DatabaseInfo};
use super::schema::DatabaseKind;

/// A database's answer for one address.
#[derive(Clone, Debug)]
pub(crate) struct Hit {
    pub network: IpNetwork,
    pub facts: Arc<Facts>,
}

pub(crate) struct Database {
    reader: Reader<Vec<u8>>,
    kind: DatabaseKind,
    /// Shared decoded records, sharded by offset so that threads of
    /// `lookup_all` rarely wait on each other.
    records: Vec<Mutex<RecordMap>>,
    errors: AtomicU64,
    first_error: OnceLock<String>,
}

const SHARDS: usize = 16;

/// Records are 4-byte aligned at best and usually not: mix before picking a shard.
fn shard_of(offset: usize) -> usize {
    ((offset as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 60) as usize % SHARDS
}

/// Locks a mutex even if a thread panicked while holding it: the maps it
/// guards stay consistent after any single insert, so the data is usable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Database {
    /// Opens `path` into memory (safe code; no mmap) and recognises it.
    pub fn open(path: &Path) -> Result<(Database, DatabaseInfo), OwnerDbError> {
        let reader = Reader::open_readfile(path)
            .map_err(|err| OwnerDbError::from_reader(path.to_path_buf(), err))?;
        Self::from_reader(path, reader)
    }

    /// Uses an in-memory database; `path` only names it in messages.
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
    ) -> Result<(Database, DatabaseInfo), OwnerDbError> {
        let reader = Reader::from_source(bytes)
            .map_err(|err| OwnerDbError::from_reader(path.to_path_buf(), err))?;
        Self::from_reader(path, reader)
    }

    fn from_reader(
        path: &Path,
        reader: Reader<Vec<u8>>,
    ) -> Result<(Database, DatabaseInfo), OwnerDbError> {
        let info = info::inspect(path, &reader)?;
        if let Some(reason) = &info.unsupported {
            return Err(OwnerDbError::Unsupported {
                path: path.to_path_buf(),
                database_type: info.database_type.clone(),
                reason: reason.clone(),
            });
        }
        let db = Database {
            reader,
            kind: info.kind,
            records: (0..SHARDS)
                .map(|_| Mutex::new(RecordMap::default()))
                .collect(),
            errors: AtomicU64::new(0),
            first_error: OnceLock::new(),
        };
        Ok((db, info))
    }

    /// Looks `ip` up. `None` when the database has no (or only an empty)
    /// record, and when the lookup failed on corrupt data, which is counted.
    /// `local` is a per-thread cache in front of the shared one.
    pub fn lookup(
        &self,
        ip: IpAddr,
        interner: &Mutex<Interner>,
        local: Option<&mut RecordMap>,
    ) -> Option<Hit> {
        let result = match self.reader.lookup(ip) {
            Ok(result) => result,
            // An IPv6 address in an IPv4-only database: simply not covered.
            Err(MaxMindDbError::InvalidInput { .. }) => return None,
            Err(err) => return self.failed(err),
        };
        let offset = result.offset()?;
        let cached = local.as_ref().and_then(|l| l.get(&offset).cloned());
        let facts = match cached {
            Some(facts) => facts,
            None => {
                let shard = &self.records[shard_of(offset)];
                let shared = lock(shard).get(&offset).cloned();
                let facts = match shared {
                    Some(facts) => facts,
                    None => match decode::decode(&result, self.kind) {
                        Ok(raw) => {
                            let facts = raw.map(|raw| Arc::new(lock(interner).facts(&raw)));
                            let mut records = lock(shard);
                            if records.len() < MAX_CACHED_RECORDS / SHARDS {
                                // Another thread may have won the race; keep
                                // its value so everyone shares one Arc.
                                records.entry(offset).or_insert(facts).clone()
                            } else {
                                facts
                            }
                        }
                        Err(err) => return self.failed(err),
                    },
                };
                if let Some(local) = local {
                    local.insert(offset, facts.clone());
                }
                facts
            }
        };
        let facts = facts?;
        let network = match result.network() {
            Ok(network) => same_family(network, ip),
            Err(err) => return self.failed(err),
        };
        Some(Hit { network, facts })
    }

    fn failed<T>(&self, err: MaxMindDbError) -> Option<T> {
        self.errors.fetch_add(1, Ordering::Relaxed);
        // Only the first message is kept: the CLI prints one line per file.
        let _ = self.first_error.set(err.to_string());
        None
    }

    pub fn error_count(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    pub fn first_error(&self) -> Option<&str> {
        self.first_error.get().map(String::as_str)
    }
}

/// The reader reports the matched node in the family of the lookup, except
/// when an IPv4 address matched above the `::/96` IPv4 subtree of an IPv6
/// tree (a database without an IPv4 subtree): then the IPv6 prefix covers all
/// of IPv4 or the part its last 32 bits give.
fn same_family(network: IpNetwork, ip: IpAddr) -> IpNetwork {
    match (network, ip) {
        (IpNetwork::V6(v6), IpAddr::V4(_)) => {
            let prefix = v6.prefix().saturating_sub(96);
            let low = (u128::from(v6.network()) & 0xffff_ffff) as u32;
            Ipv4Network::new(Ipv4Addr::from(low), prefix)
                .map(IpNetwork::V4)
                .unwrap_or(network)
        }
        _ => network,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_lookup_above_the_ipv4_subtree_is_shown_as_ipv4() {
        let v4: IpAddr = "1.2.3.4".parse().expect("ip");
        let whole: IpNetwork = "::/64".parse().expect("net");
        assert_eq!(same_family(whole, v4).to_string(), "0.0.0.0/0");
        let v4net: IpNetwork = "40.88.0.0/13".parse().expect("net");
        assert_eq!(same_family(v4net, v4), v4net);
    }
}
