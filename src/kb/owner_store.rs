//! The owner cache in memory and how the knowledge base keeps it: one record
//! per network the databases named (not per address), in `owners.bin`
//! beside the journal. It is a cache, not knowledge: the verdict journal
//! never holds it, `kb list`/`stats`/`export` leave it out unless asked, and
//! the file may be deleted at any time (the next lookups fill it again).
//!
//! Knowledge bases written before the cache had its own file kept one owner
//! line per address in the journal; opening one moves those lines here and
//! compacts them away (see [`KnowledgeBase::open`]).

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

use ipnetwork::IpNetwork;

use super::KnowledgeBase;
use super::entry::{Author, Entry, EntryChange, now};
use super::error::{KbError, KbWarning};
use super::files::{Locked, write_atomic};
use super::key::{Key, Kind, rule_network};
use super::owner_cache::CachedOwner;
use super::owner_file::{self, OWNERS, Record};
use super::prefix::PrefixMap;

#[derive(Debug, Default)]
pub(crate) struct OwnerStore {
    /// The records, in no particular order; `map` finds them by network.
    /// Kept apart so that loading leaves each (large) record where it was
    /// decoded and the maps hold only small indexes: with the records in
    /// the maps, growing them moved every record again, and loading
    /// `kb_scale`'s 120,000 networks took 230 ms (now 60 to 70, most of it
    /// decoding).
    records: Vec<Record>,
    map: PrefixMap<u32>,
    /// Owner lines read from the journal or snapshot (a knowledge base of
    /// an earlier version), not yet in the cache's file.
    pub(crate) from_journal: usize,
}

/// The network a record for `ip` is kept under: the database's network when
/// it holds the address, else the address alone.
fn key_network(ip: IpAddr, owner: &CachedOwner) -> IpNetwork {
    let ip = ip.to_canonical();
    match owner.network.map(rule_network) {
        Some(net) if net.contains(ip) => net,
        _ => IpNetwork::from(ip),
    }
}

impl OwnerStore {
    /// Reads the cache's file; a missing file is an empty cache, a damaged
    /// one is an empty cache and a warning.
    pub(crate) fn load(path: &Path) -> (OwnerStore, Option<KbWarning>) {
        let store = OwnerStore::default();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (store, None),
            Err(e) => {
                let why = format!("cannot read it ({e})");
                return (store, Some(damaged(path, why)));
            }
        };
        match owner_file::decode(&bytes) {
            Ok(records) => (OwnerStore::from_records(records), None),
            Err(d) => {
                let why = format!("{} (at byte {})", d.why, d.offset);
                (store, Some(damaged(path, why)))
            }
        }
    }

    /// The store of a file's records, kept where they are. A file written
    /// by this version has one record per network; should one repeat, the
    /// newer is kept as [`Self::put`] would.
    fn from_records(records: Vec<Record>) -> OwnerStore {
        let mut map = PrefixMap::default();
        let mut repeated = false;
        for (i, r) in records.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            repeated |= map.insert(r.net, i).is_some();
        }
        if !repeated {
            return OwnerStore {
                records,
                map,
                from_journal: 0,
            };
        }
        let mut store = OwnerStore::default();
        for r in records {
            store.put(r);
        }
        store
    }

    /// Keeps `r` unless the record of its network is newer.
    pub(crate) fn put(&mut self, r: Record) {
        match self.map.get(r.net) {
            Some(&i) if self.records[i as usize].at > r.at => {}
            Some(&i) => self.records[i as usize] = r,
            None => {
                let i = u32::try_from(self.records.len()).unwrap_or(u32::MAX);
                self.map.insert(r.net, i);
                self.records.push(r);
            }
        }
    }

    /// The record of exactly `net`.
    fn get(&self, net: IpNetwork) -> Option<&Record> {
        self.map.get(net).map(|&i| &self.records[i as usize])
    }

    /// Drops the record of exactly `net`; the last record takes its place.
    fn remove(&mut self, net: IpNetwork) -> Option<Record> {
        let i = self.map.remove(net)? as usize;
        let gone = self.records.swap_remove(i);
        if let Some(moved) = self.records.get(i) {
            self.map.insert(moved.net, i as u32);
        }
        Some(gone)
    }

    /// Takes in an owner line of the journal format (an earlier version's
    /// journal, or an export made with `--owners`); other entries are ignored.
    pub(crate) fn absorb(&mut self, e: &Entry) {
        match (e.key(), e.change()) {
            (Key::Ip(ip), EntryChange::Owner(owner)) => self.put(Record {
                net: key_network(ip, owner),
                owner: (**owner).clone(),
                at: e.time(),
                analyst: e.analyst_arc().clone(),
            }),
            (Key::Net(net), EntryChange::Owner(owner)) => self.put(Record {
                net: rule_network(net),
                owner: (**owner).clone(),
                at: e.time(),
                analyst: e.analyst_arc().clone(),
            }),
            (Key::Ip(ip), EntryChange::Removed(Kind::Owner)) => {
                if let Some(r) = self.lookup(ip)
                    && r.at <= e.time()
                {
                    self.remove(r.net);
                }
            }
            (Key::Net(net), EntryChange::Removed(Kind::Owner))
                if self.get(net).is_some_and(|r| r.at <= e.time()) =>
            {
                self.remove(net);
            }
            _ => {}
        }
    }

    /// The record of the most specific cached network holding `ip`.
    pub(crate) fn lookup(&self, ip: IpAddr) -> Option<&Record> {
        self.map
            .longest_match(ip.to_canonical())
            .map(|(_, &i)| &self.records[i as usize])
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Every record, by network.
    pub(crate) fn records(&self) -> Vec<&Record> {
        let mut all: Vec<&Record> = self.records.iter().collect();
        all.sort_by_key(|r| (r.net.is_ipv6(), r.net.network(), r.net.prefix()));
        all
    }

    fn merge(&mut self, other: &OwnerStore) {
        for r in &other.records {
            self.put(r.clone());
        }
    }
}

fn damaged(path: &Path, why: String) -> KbWarning {
    KbWarning::OwnerCacheDropped {
        path: path.to_path_buf(),
        why,
    }
}

/// An owner line as the journal format spells it, for `--owners` listings
/// and exports: keyed by its network.
fn as_entry(r: &Record) -> Option<Entry> {
    Entry::from_parts(
        Key::Net(r.net),
        EntryChange::Owner(Box::new(r.owner.clone())),
        None,
        r.analyst.clone(),
        r.at,
        None,
    )
    .ok()
}

impl KnowledgeBase {
    /// The cached owner facts of an address: those of the most specific
    /// cached network holding it.
    pub fn cached_owner(&self, ip: IpAddr) -> Option<&CachedOwner> {
        self.owners.lookup(ip).map(|r| &r.owner)
    }

    /// Whether caching `owner` for `ip` would add anything: the cache has
    /// nothing for its network, or different facts or sources. Lets `lookup`
    /// skip rewriting the cache when nothing is new.
    pub fn owner_changed(&self, ip: IpAddr, owner: &CachedOwner) -> bool {
        let net = key_network(ip, owner);
        self.owners
            .get(net)
            .is_none_or(|cached| cached.owner != *owner)
    }

    /// How many networks the owner cache holds.
    pub fn cached_networks(&self) -> usize {
        self.owners.len()
    }

    /// The owner cache as entries of the journal format (one per network,
    /// sorted), for `kb list --owners` and `kb export --owners`.
    pub fn owner_entries(&self) -> Vec<Entry> {
        self.owners
            .records()
            .into_iter()
            .filter_map(as_entry)
            .collect()
    }

    /// Caches the owner facts the databases gave for these addresses, one
    /// record per network; returns how many networks were written.
    pub fn cache_owners(
        &mut self,
        author: &Author,
        facts: &[(IpAddr, CachedOwner)],
    ) -> Result<usize, KbError> {
        if facts.is_empty() {
            return Ok(0);
        }
        let at = now();
        let analyst: Arc<str> = author.analyst().into();
        let mut new = OwnerStore::default();
        for (ip, owner) in facts {
            new.put(Record {
                net: key_network(*ip, owner),
                owner: owner.clone(),
                at,
                analyst: analyst.clone(),
            });
        }
        let count = new.len();
        let lock = self.dir.exclusive()?;
        self.save_owners(&lock, |store| store.merge(&new))?;
        Ok(count)
    }

    /// Drops the cached owner of the network holding `ip`; returns it.
    pub fn forget_owner(&mut self, ip: IpAddr) -> Result<Option<Entry>, KbError> {
        let Some(net) = self.owners.lookup(ip).map(|r| r.net) else {
            return Ok(None);
        };
        let lock = self.dir.exclusive()?;
        let mut gone = None;
        self.save_owners(&lock, |store| gone = store.remove(net))?;
        Ok(gone.as_ref().and_then(as_entry))
    }

    /// Owner lines among `entries` go to the cache's file (under the
    /// exclusive lock the caller holds); the rest are returned.
    pub(crate) fn divert_owner_lines(
        &mut self,
        lock: &Locked,
        entries: Vec<Entry>,
    ) -> Result<Vec<Entry>, KbError> {
        let (owners, rest): (Vec<Entry>, Vec<Entry>) = entries
            .into_iter()
            .partition(|e| e.slot().kind == Kind::Owner);
        if !owners.is_empty() {
            self.save_owners(lock, |store| {
                for e in &owners {
                    store.absorb(e);
                }
            })?;
        }
        Ok(rest)
    }

    /// Rereads the cache's file (another process may have added to it),
    /// applies `change`, writes it whole and keeps the result. Owner lines
    /// still waiting in memory to leave an old journal are written too.
    pub(crate) fn save_owners(
        &mut self,
        _lock: &Locked,
        change: impl FnOnce(&mut OwnerStore),
    ) -> Result<(), KbError> {
        if self.dir.read_only() {
            return Err(KbError::ReadOnly {
                path: self.dir.path().to_path_buf(),
            });
        }
        let path = self.dir.file(OWNERS);
        let (mut store, warning) = OwnerStore::load(&path);
        self.warnings.extend(warning);
        if self.owners.from_journal > 0 {
            store.merge(&self.owners);
        }
        change(&mut store);
        write_atomic(&path, &owner_file::encode(&store.records()))?;
        self.owners = store;
        Ok(())
    }

    /// Moves the owner lines of an earlier version's journal and snapshot
    /// into the cache's file, then compacts them out of the journal. Every
    /// decision and note keeps its history; only the cache moves.
    pub(crate) fn migrate_owner_lines(&mut self) -> Result<(), KbError> {
        let lock = self.dir.exclusive()?;
        self.catch_up(&lock)?;
        if self.owners.from_journal == 0 {
            return Ok(());
        }
        self.compact_locked(&lock)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::key::Slot;

    fn owner(net: &str, asn: u32) -> CachedOwner {
        CachedOwner {
            network: Some(net.parse().unwrap()),
            asn: Some(asn),
            ..CachedOwner::default()
        }
    }

    #[test]
    fn one_record_per_network_the_newer_wins() {
        let a = Author::new(Some("sato"), None);
        let mut s = OwnerStore::default();
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        s.absorb(&Entry::owner(&a, ip("40.94.1.1"), owner("40.94.0.0/16", 1)));
        s.absorb(&Entry::owner(&a, ip("40.94.2.2"), owner("40.94.0.0/16", 2)));
        // A record whose network does not hold its address is kept for the address.
        s.absorb(&Entry::owner(
            &a,
            ip("192.0.2.9"),
            owner("198.51.100.0/24", 3),
        ));
        assert_eq!(s.len(), 2);
        assert_eq!(
            s.lookup(ip("40.94.9.9")).map(|r| r.owner.asn),
            Some(Some(2))
        );
        assert_eq!(
            s.lookup(ip("::ffff:192.0.2.9")).map(|r| r.owner.asn),
            Some(Some(3))
        );
        assert!(s.lookup(ip("192.0.2.10")).is_none());
    }

    #[test]
    fn a_removed_network_leaves_the_others_found() {
        let a = Author::new(Some("sato"), None);
        let mut s = OwnerStore::default();
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        for (n, net) in ["40.94.0.0/16", "192.0.2.0/24", "2001:db8::/32"]
            .iter()
            .enumerate()
        {
            let first = net.split('/').next().unwrap();
            s.absorb(&Entry::owner(&a, ip(first), owner(net, n as u32 + 1)));
        }
        // The first record goes; the last one takes its place in the list.
        s.absorb(&Entry::removal(
            &a,
            Slot::new(Kind::Owner, Key::from_ip(ip("40.94.1.1"))).unwrap(),
        ));
        let asn = |s: &OwnerStore, t: &str| s.lookup(ip(t)).and_then(|r| r.owner.asn);
        assert_eq!(s.len(), 2);
        assert_eq!(asn(&s, "40.94.1.1"), None);
        assert_eq!(asn(&s, "192.0.2.7"), Some(2));
        assert_eq!(asn(&s, "2001:db8::9"), Some(3));
        assert_eq!(s.records().len(), 2);
        // Read back from the file's bytes, the same.
        let back = OwnerStore::from_records(
            owner_file::decode(&owner_file::encode(&s.records())).unwrap(),
        );
        assert_eq!(asn(&back, "2001:db8::9"), Some(3));
        assert_eq!(asn(&back, "40.94.1.1"), None);
    }
}
