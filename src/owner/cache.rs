//! Decoded records, cached by data offset and built from interned strings.
//!
//! Many addresses share one record (every address of a /13 points at the same
//! bytes), so a record is decoded once per database and its facts shared.
//! Strings are interned across databases, so 500k addresses of one
//! organisation hold one `Arc<str>` between them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::OwnerFlags;
use super::decode::RawFacts;

/// What one record says, owned and shareable.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Facts {
    pub asn: Option<u32>,
    pub as_org: Option<Arc<str>>,
    pub isp: Option<Arc<str>>,
    pub organization: Option<Arc<str>>,
    pub country_code: Option<Arc<str>>,
    pub country_en: Option<Arc<str>>,
    pub country_ja: Option<Arc<str>>,
    pub city_en: Option<Arc<str>>,
    pub city_ja: Option<Arc<str>>,
    pub connection_type: Option<Arc<str>>,
    pub user_type: Option<Arc<str>>,
    pub domain: Option<Arc<str>>,
    pub flags: OwnerFlags,
}

/// One `Arc<str>` per distinct string.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    strings: HashSet<Arc<str>>,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(existing) = self.strings.get(s) {
            return Arc::clone(existing);
        }
        let new: Arc<str> = Arc::from(s);
        self.strings.insert(Arc::clone(&new));
        new
    }

    fn opt(&mut self, s: Option<&str>) -> Option<Arc<str>> {
        s.map(|s| self.intern(s))
    }

    /// Owns a decoded record. Country codes are upper-cased here because
    /// some third-party files write `jp`.
    pub fn facts(&mut self, raw: &RawFacts<'_>) -> Facts {
        let country_code = raw.country_code.map(|code| {
            if code.bytes().any(|b| b.is_ascii_lowercase()) {
                self.intern(&code.to_ascii_uppercase())
            } else {
                self.intern(code)
            }
        });
        Facts {
            asn: raw.asn,
            as_org: self.opt(raw.as_org),
            isp: self.opt(raw.isp),
            organization: self.opt(raw.organization),
            country_code,
            country_en: self.opt(raw.country_en),
            country_ja: self.opt(raw.country_ja),
            city_en: self.opt(raw.city_en),
            city_ja: self.opt(raw.city_ja),
            connection_type: self.opt(raw.connection_type),
            user_type: self.opt(raw.user_type),
            domain: self.opt(raw.domain),
            flags: raw.flags,
        }
    }
}

/// Hasher for data offsets: they are already well spread, and SipHash
/// showed up in lookup profiles for a key this cheap.
#[derive(Default)]
pub(crate) struct OffsetHasher(u64);

impl Hasher for OffsetHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, n: usize) {
        // Fibonacci hashing: multiply spreads the low bits into the high ones.
        self.0 = (n as u64 ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Decoded records of one database by data offset; `None` = empty record.
pub(crate) type RecordMap = HashMap<usize, Option<Arc<Facts>>, BuildHasherDefault<OffsetHasher>>;

/// Stop adding to a shared cache past this many records: a City database has
/// a few hundred thousand, and beyond that the memory is not worth it.
pub(crate) const MAX_CACHED_RECORDS: usize = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_shares_strings() {
        let mut interner = Interner::default();
        let a = interner.intern("Microsoft Corporation");
        let b = interner.intern("Microsoft Corporation");
        assert!(Arc::ptr_eq(&a, &b));
        let raw = RawFacts {
            as_org: Some("Microsoft Corporation"),
            country_code: Some("jp"),
            ..RawFacts::default()
        };
        let facts = interner.facts(&raw);
        assert!(Arc::ptr_eq(facts.as_org.as_ref().expect("org"), &a));
        assert_eq!(facts.country_code.as_deref(), Some("JP"));
    }
}
