//! A fast hasher (FxHash's mixing step) for hot maps with short keys: the
//! log readers' value caches and the database writer's dedupe maps.
//!
//! With std's SipHash, hashing was a fifth of a database build and a large
//! share of reading a log. It is no defence against chosen collisions: a
//! hostile log that collides on purpose only slows its own loading, and a
//! database build only sees ranges the user chose. Results never depend on
//! the hash, so output stays deterministic.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The FxHash mixing step (rustc's hasher): rotate, xor a word, multiply.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hash;

    fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
        let mut h = FastHasher::default();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn equal_values_hash_equal_and_different_ones_differ() {
        assert_eq!(hash("Microsoft Corporation"), hash("Microsoft Corporation"));
        assert_ne!(hash("Microsoft Corporation"), hash("Microsoft Corporatioo"));
        // The length prefix std adds to str keeps "ab"+"c" apart from "a"+"bc".
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        let mut map: FastMap<String, u32> = FastMap::default();
        map.insert("x".into(), 1);
        assert_eq!(map.get("x"), Some(&1));
    }
}
