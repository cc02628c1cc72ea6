//! The hasher for hot maps with short keys: the log readers' value caches,
//! the campaign's tables of addresses, agents, recipients and strings, and
//! the database writer's dedupe maps. foldhash's fast hasher, with a
//! fixed seed.
//!
//! With std's SipHash, hashing was a fifth of a database build and a large
//! share of reading a log. It is no strong defence against chosen
//! collisions: a hostile log that collides on purpose only slows its own
//! loading, and a database build only sees ranges the user chose. The seed
//! is fixed so that even a map's iteration order is the same on every run;
//! results never depend on it, and output stays deterministic.

use std::collections::HashMap;

pub(crate) type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn every_map_hashes_alike() {
        let hash = |s: &str| FastMap::<&str, ()>::default().hasher().hash_one(s);
        assert_eq!(hash("Microsoft Corporation"), hash("Microsoft Corporation"));
        assert_ne!(hash("Microsoft Corporation"), hash("Microsoft Corporatioo"));
        let mut map: FastMap<String, u32> = FastMap::default();
        map.insert("x".into(), 1);
        assert_eq!(map.get("x"), Some(&1));
    }
}
