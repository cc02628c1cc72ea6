//! Values of the MaxMind DB data section, as the writer takes them.

use std::hash::{Hash, Hasher};

/// A data-section value. Each variant is written with the MMDB type of the
/// same name, so a reader's typed decoding (`u32` for an ASN) sees exactly
/// what a MaxMind file would hold.
#[derive(Clone, Debug)]
pub enum Value {
    String(String),
    Double(f64),
    Bytes(Vec<u8>),
    Uint16(u16),
    Uint32(u32),
    Map(Map),
    Int32(i32),
    Uint64(u64),
    Uint128(u128),
    Array(Vec<Value>),
    Bool(bool),
    Float(f32),
}

/// A map with string keys, kept in insertion order so output is
/// deterministic without sorting (a key set again keeps its first position).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key`, replacing an earlier value in place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.entries.push((key, value)),
        }
    }

    /// Builder form of [`Map::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl Value {
    /// A map value from key-value pairs, in the given order.
    pub fn map<K: Into<String>, V: Into<Value>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        Value::Map(pairs.into_iter().collect())
    }

    /// An array of strings (`languages`, test fixtures).
    pub fn strings<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Value::Array(items.into_iter().map(|s| Value::String(s.into())).collect())
    }

    /// The MMDB type number (spec §"Output Data Section").
    pub(crate) fn type_number(&self) -> u8 {
        match self {
            Value::String(_) => 2,
            Value::Double(_) => 3,
            Value::Bytes(_) => 4,
            Value::Uint16(_) => 5,
            Value::Uint32(_) => 6,
            Value::Map(_) => 7,
            Value::Int32(_) => 8,
            Value::Uint64(_) => 9,
            Value::Uint128(_) => 10,
            Value::Array(_) => 11,
            Value::Bool(_) => 14,
            Value::Float(_) => 15,
        }
    }
}

// Floats compare and hash by bit pattern: the writer dedupes identical
// encodings, and two values with the same bits encode identically.
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a.to_bits() == b.to_bits(),
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::Uint16(a), Value::Uint16(b)) => a == b,
            (Value::Uint32(a), Value::Uint32(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Int32(a), Value::Int32(b)) => a == b,
            (Value::Uint64(a), Value::Uint64(b)) => a == b,
            (Value::Uint128(a), Value::Uint128(b)) => a == b,
            (Value::Array(a), Value::Array(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.type_number().hash(state);
        match self {
            Value::String(s) => s.hash(state),
            Value::Double(d) => d.to_bits().hash(state),
            Value::Bytes(b) => b.hash(state),
            Value::Uint16(n) => n.hash(state),
            Value::Uint32(n) => n.hash(state),
            Value::Map(m) => m.hash(state),
            Value::Int32(n) => n.hash(state),
            Value::Uint64(n) => n.hash(state),
            Value::Uint128(n) => n.hash(state),
            Value::Array(a) => a.hash(state),
            Value::Bool(b) => b.hash(state),
            Value::Float(f) => f.to_bits().hash(state),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<u16> for Value {
    fn from(n: u16) -> Self {
        Value::Uint16(n)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Uint32(n)
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Uint64(n)
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Int32(n)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Double(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}
