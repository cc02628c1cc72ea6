//! The keys (two levels deep) and value shapes of a database's first
//! records, used to recognise files whose `database_type` says nothing useful
//! and to list the fields a file really carries.

use std::collections::BTreeMap;
use std::fmt;

use maxminddb::{MaxMindDbError, Reader, WithinOptions};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// How many records with data are sampled. Enough to see optional keys that
/// the first few networks lack, small enough to cost nothing at open.
pub(crate) const SAMPLE_RECORDS: usize = 64;

/// The shape of a value in a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Map,
    Array,
    Str,
    Number,
    Bool,
    Bytes,
}

/// Keys seen in sample records: top-level keys (`country`) and second-level
/// keys joined with a dot (`country.iso_code`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SampleKeys {
    keys: BTreeMap<String, Shape>,
    /// Records sampled.
    pub(crate) records: usize,
}

impl SampleKeys {
    pub(crate) fn insert(&mut self, key: &str, shape: Shape) {
        // The first shape wins; mixed shapes are rare and the first is as good.
        self.keys.entry(key.to_string()).or_insert(shape);
    }

    pub(crate) fn has(&self, key: &str) -> bool {
        self.keys.contains_key(key)
    }

    pub(crate) fn is_map(&self, key: &str) -> bool {
        self.keys.get(key) == Some(&Shape::Map)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

/// Samples the first records that have data.
pub(crate) fn sample_keys<S: AsRef<[u8]>>(
    reader: &Reader<S>,
) -> Result<SampleKeys, MaxMindDbError> {
    let mut keys = SampleKeys::default();
    for item in reader.networks(WithinOptions::default())? {
        let result = item?;
        if !result.has_data() {
            continue;
        }
        if let Some(RecordKeys(record)) = result.decode::<RecordKeys>()? {
            for (key, shape) in &record {
                keys.insert(key, *shape);
            }
        }
        keys.records += 1;
        if keys.records >= SAMPLE_RECORDS {
            break;
        }
    }
    Ok(keys)
}

/// One record's keys, collected by a visitor that recurses one level.
struct RecordKeys(Vec<(String, Shape)>);

impl<'de> serde::Deserialize<'de> for RecordKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut keys = Vec::new();
        ShapeSeed {
            prefix: "",
            out: Some(&mut keys),
            depth: 0,
        }
        .deserialize(deserializer)?;
        Ok(RecordKeys(keys))
    }
}

/// Reads a value's shape. With `out`, a map's keys are recorded too (joined
/// to `prefix` with a dot); keys two levels deep are enough to tell
/// Enterprise traits from City, so recursion stops there.
struct ShapeSeed<'o> {
    prefix: &'o str,
    out: Option<&'o mut Vec<(String, Shape)>>,
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for ShapeSeed<'_> {
    type Value = Shape;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Shape, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ShapeSeed<'_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any MaxMind DB value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Bool)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Str)
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Shape, E> {
        Ok(Shape::Bytes)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Shape::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let Some(out) = self.out else {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Shape::Map);
        };
        while let Some(key) = map.next_key::<String>()? {
            let full = if self.prefix.is_empty() {
                key
            } else {
                format!("{}.{key}", self.prefix)
            };
            let mut nested = Vec::new();
            let shape = map.next_value_seed(ShapeSeed {
                prefix: &full,
                out: (self.depth == 0).then_some(&mut nested),
                depth: self.depth + 1,
            })?;
            out.push((full, shape));
            out.append(&mut nested);
        }
        Ok(Shape::Map)
    }
}
