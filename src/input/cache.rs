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
    map: FastMap<Key, T>,
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
        self.map.insert(Key::new(key), value);
    }
}

/// Keys up to this long are kept in the table itself: addresses and
/// recipient ids are, so a lookup in a table of 100,000 of them compares
/// bytes in the entry it already fetched instead of following a pointer to
/// another cache miss (that was a quarter of reading a large log).
const INLINE: usize = 30;

/// A cached field's raw bytes.
enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<[u8]>),
}

impl Key {
    fn new(bytes: &[u8]) -> Key {
        if bytes.len() <= INLINE {
            let mut inline = [0; INLINE];
            inline[..bytes.len()].copy_from_slice(bytes);
            Key::Inline {
                len: bytes.len() as u8,
                bytes: inline,
            }
        } else {
            Key::Heap(bytes.into())
        }
    }

    fn as_slice(&self) -> &[u8] {
        match self {
            Key::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Key::Heap(bytes) => bytes,
        }
    }
}

// `Borrow<[u8]>` lets the map be searched with a plain slice; it requires
// that a key hashes and compares exactly as its bytes do.
impl std::borrow::Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Key {}

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
        // Either side of the inline length, and a key that is the start of another.
        let long = [b'x'; INLINE + 1];
        c.insert(&long, 3);
        c.insert(&long[..INLINE], 4);
        assert_eq!(c.get(&long), Some(3));
        assert_eq!(c.get(&long[..INLINE]), Some(4));
        assert_eq!(c.get(&long[..INLINE - 1]), None);
    }
}
