//! A memo from a field's raw bytes to the id it resolved to, in front of the
//! campaign's tables. Logs repeat the same few thousand addresses, agents and
//! recipients a million times; this skips parsing, decoding, trimming and
//! the tables' SipHash lookups for every repeat.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::{IpId, RecipientId, Sym, UaId};

/// What one file's raw fields resolved to, so repeats skip the work.
#[derive(Default)]
pub struct Memo {
    pub ips: ByteCache<IpId>,
    pub agents: ByteCache<UaId>,
    pub methods: ByteCache<Sym>,
    recipients: ByteCache<Option<RecipientId>>,
    key: Vec<u8>,
}

impl Memo {
    /// The recipient a row's name and rid lead to, asking `resolve` only for
    /// a pair not seen before. Both parts form the key: a new rid for a known
    /// name still has to be recorded.
    pub fn recipient(
        &mut self,
        name: &[u8],
        rid: &[u8],
        resolve: impl FnOnce() -> Option<RecipientId>,
    ) -> Option<RecipientId> {
        self.key.clear();
        self.key.extend_from_slice(name);
        self.key.push(0x1f);
        self.key.extend_from_slice(rid);
        if let Some(r) = self.recipients.get(&self.key) {
            return r;
        }
        let r = resolve();
        self.recipients.insert(&self.key, r);
        r
    }
}

pub struct ByteCache<T> {
    map: HashMap<Box<[u8]>, T, BuildHasherDefault<FxHasher>>,
}

impl<T: Copy> Default for ByteCache<T> {
    fn default() -> Self {
        ByteCache {
            map: HashMap::default(),
        }
    }
}

impl<T: Copy> ByteCache<T> {
    pub fn get(&self, key: &[u8]) -> Option<T> {
        self.map.get(key).copied()
    }

    pub fn insert(&mut self, key: &[u8], value: T) {
        self.map.insert(key.into(), value);
    }
}

/// FxHash-style word hashing: several times faster than SipHash on short
/// keys. It is no defence against chosen collisions; a hostile log that
/// collides on purpose only slows its own loading.
#[derive(Default)]
pub struct FxHasher {
    hash: u64,
}

const K: u64 = 0x517c_c1b7_2722_0a95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // A multiply mixes upwards only; hashbrown picks buckets by the low
        // bits, so bring the well-mixed high bits down (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_replaces() {
        let mut c = ByteCache::default();
        assert_eq!(c.get(b"curl/8.0"), None);
        c.insert(b"curl/8.0", 7u32);
        assert_eq!(c.get(b"curl/8.0"), Some(7));
        assert_eq!(c.get(b"curl/8.1"), None);
        c.insert(b"curl/8.0", 9);
        assert_eq!(c.get(b"curl/8.0"), Some(9));
        c.insert(b"", 1);
        assert_eq!(c.get(b""), Some(1));
        c.insert(&[0; 8], 2);
        assert_eq!(c.get(&[0; 16]), None);
        assert_eq!(c.get(&[0; 8]), Some(2));
    }
}
