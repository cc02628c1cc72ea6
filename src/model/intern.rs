//! String interning: repeated values (User-Agents, recipients, methods, extra
//! column values) are stored once and referred to by a 4-byte [`Sym`].

use crate::fasthash::FastMap;
use std::sync::Arc;

/// A handle to an interned string. `Sym::EMPTY` is always the empty string,
/// so "no value" costs nothing and needs no `Option`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Sym(u32);

impl Sym {
    pub const EMPTY: Sym = Sym(0);

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn is_empty(self) -> bool {
        self == Sym::EMPTY
    }
}

/// Owns every distinct string once; lookups by `Sym` are a vector index.
#[derive(Debug, Clone)]
pub struct Interner {
    strings: Vec<Arc<str>>,
    index: FastMap<Arc<str>, Sym>,
}

impl Default for Interner {
    fn default() -> Self {
        Self::new()
    }
}

impl Interner {
    pub fn new() -> Self {
        let empty: Arc<str> = Arc::from("");
        let mut index = FastMap::default();
        index.insert(empty.clone(), Sym::EMPTY);
        Interner {
            strings: vec![empty],
            index,
        }
    }

    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.index.get(s) {
            return sym;
        }
        let sym =
            Sym(u32::try_from(self.strings.len()).expect("more than 4 billion distinct strings"));
        let owned: Arc<str> = Arc::from(s);
        self.strings.push(owned.clone());
        self.index.insert(owned, sym);
        sym
    }

    /// The symbol of `s` if it was interned before.
    pub fn find(&self, s: &str) -> Option<Sym> {
        self.index.get(s).copied()
    }

    pub fn get(&self, sym: Sym) -> &str {
        &self.strings[sym.index()]
    }

    /// A shared handle to the string, for tables that outlive a borrow.
    pub fn get_arc(&self, sym: Sym) -> Arc<str> {
        self.strings[sym.index()].clone()
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_string_same_symbol() {
        let mut i = Interner::new();
        let a = i.intern("Mozilla/5.0");
        let b = i.intern("curl/8.0");
        assert_eq!(i.intern("Mozilla/5.0"), a);
        assert_ne!(a, b);
        assert_eq!(i.get(b), "curl/8.0");
        assert_eq!(i.intern(""), Sym::EMPTY);
        assert_eq!(i.find("nope"), None);
        assert_eq!(i.len(), 3);
    }
}
