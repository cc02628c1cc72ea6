//! A memo from a field's raw bytes to the id it resolved to, in front of the
//! campaign's tables. Logs repeat the same few thousand addresses, agents and
//! recipients a million times; this skips parsing, decoding, trimming and
//! the tables' SipHash lookups for every repeat.

use crate::fasthash::FastMap;
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
    map: FastMap<Box<[u8]>, T>,
}

impl<T: Copy> Default for ByteCache<T> {
    fn default() -> Self {
        ByteCache {
            map: FastMap::default(),
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
