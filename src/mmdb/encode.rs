//! Encoding values into the MaxMind DB data format (spec v2.0, "Output Data
//! Section"), with pointers for repeated strings and maps.
//!
//! Every map key (`autonomous_system_organization`…) and every repeated
//! organisation name would otherwise be stored once per record; MaxMind's
//! own writers point back at the first copy, and so does this one. Which
//! copy is first depends only on the order values are written, so the
//! output is deterministic.

use super::value::Value;
use super::writer::BuildError;
use crate::fasthash::FastMap;

/// Largest size the control-byte scheme can express: 65,821 + 2^24 − 1.
const MAX_SIZE: usize = 65_821 + (1 << 24) - 1;

/// Writes values into one buffer, remembering where each string, map and
/// array was written inline so that a later equal one can be a pointer.
pub(crate) struct DataEncoder {
    buf: Vec<u8>,
    /// Inline strings (map keys and values): text → (offset, encoded length).
    strings: FastMap<Box<str>, (u32, u32)>,
    /// Inline maps, arrays and byte strings nested in records.
    containers: FastMap<Value, (u32, u32)>,
    pointers: bool,
}

impl DataEncoder {
    /// An encoder for the data section (with pointers).
    pub fn data_section() -> Self {
        DataEncoder {
            buf: Vec::new(),
            strings: FastMap::default(),
            containers: FastMap::default(),
            pointers: true,
        }
    }

    /// An encoder for the metadata map: pointers there would be resolved
    /// against the metadata start by some readers and the data section by
    /// others, so none are written.
    pub fn metadata() -> Self {
        DataEncoder {
            pointers: false,
            ..Self::data_section()
        }
    }

    /// Writes a record the search tree will point at and returns its
    /// offset. Callers write each distinct record once (the writer dedupes
    /// records before), so records themselves are not looked up here.
    pub fn write_record(&mut self, value: &Value) -> Result<u32, BuildError> {
        let offset = self.offset()?;
        self.write_inline(value)?;
        Ok(offset)
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    fn offset(&self) -> Result<u32, BuildError> {
        u32::try_from(self.buf.len()).map_err(|_| BuildError::TooLarge {
            what: "data section",
        })
    }

    /// Writes a string, as a pointer to an earlier copy when that is shorter.
    fn write_str(&mut self, text: &str) -> Result<(), BuildError> {
        if self.pointers
            && let Some(&(offset, len)) = self.strings.get(text)
            && pointer_len(offset) < len as usize
        {
            self.write_pointer(offset);
            return Ok(());
        }
        let start = self.offset()?;
        self.control(2, text.len())?;
        self.buf.extend_from_slice(text.as_bytes());
        if self.pointers && !self.strings.contains_key(text) {
            let len = self.offset()? - start;
            self.strings.insert(text.into(), (start, len));
        }
        Ok(())
    }

    /// Writes a nested value, as a pointer to an earlier equal copy when
    /// that is shorter.
    fn write(&mut self, value: &Value) -> Result<(), BuildError> {
        match value {
            Value::String(text) => return self.write_str(text),
            Value::Map(_) | Value::Array(_) | Value::Bytes(_) if self.pointers => {}
            _ => return self.write_inline(value),
        }
        if let Some(&(offset, len)) = self.containers.get(value) {
            if pointer_len(offset) < len as usize {
                self.write_pointer(offset);
                return Ok(());
            }
            return self.write_inline(value);
        }
        let start = self.offset()?;
        self.write_inline(value)?;
        let len = self.offset()? - start;
        self.containers.insert(value.clone(), (start, len));
        Ok(())
    }

    fn write_inline(&mut self, value: &Value) -> Result<(), BuildError> {
        match value {
            Value::String(s) => {
                self.control(value.type_number(), s.len())?;
                self.buf.extend_from_slice(s.as_bytes());
            }
            Value::Bytes(b) => {
                self.control(value.type_number(), b.len())?;
                self.buf.extend_from_slice(b);
            }
            Value::Double(d) => {
                self.control(value.type_number(), 8)?;
                self.buf.extend_from_slice(&d.to_be_bytes());
            }
            Value::Float(f) => {
                self.control(value.type_number(), 4)?;
                self.buf.extend_from_slice(&f.to_be_bytes());
            }
            Value::Uint16(n) => self.unsigned(value.type_number(), &n.to_be_bytes())?,
            Value::Uint32(n) => self.unsigned(value.type_number(), &n.to_be_bytes())?,
            Value::Uint64(n) => self.unsigned(value.type_number(), &n.to_be_bytes())?,
            Value::Uint128(n) => self.unsigned(value.type_number(), &n.to_be_bytes())?,
            Value::Int32(n) => {
                // Fewer than four bytes always read back as positive, so
                // negative numbers take all four (spec: int32).
                if *n < 0 {
                    self.control(value.type_number(), 4)?;
                    self.buf.extend_from_slice(&n.to_be_bytes());
                } else {
                    self.unsigned(value.type_number(), &n.to_be_bytes())?;
                }
            }
            Value::Bool(b) => self.control(value.type_number(), usize::from(*b))?,
            Value::Map(map) => {
                self.control(value.type_number(), map.len())?;
                for (key, item) in map.iter() {
                    self.write_str(key)?;
                    self.write(item)?;
                }
            }
            Value::Array(items) => {
                self.control(value.type_number(), items.len())?;
                for item in items {
                    self.write(item)?;
                }
            }
        }
        Ok(())
    }

    /// An unsigned integer in the fewest big-endian bytes (zero takes none).
    fn unsigned(&mut self, type_number: u8, be: &[u8]) -> Result<(), BuildError> {
        let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
        let bytes = &be[first..];
        self.control(type_number, bytes.len())?;
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// The control byte(s): type in the top three bits (or 0 and an
    /// extended-type byte for types above 7), size in the low five bits
    /// with 1–3 extra size bytes past 28.
    fn control(&mut self, type_number: u8, size: usize) -> Result<(), BuildError> {
        if size > MAX_SIZE {
            return Err(BuildError::ValueTooLarge { size });
        }
        let (size_bits, extra): (u8, Vec<u8>) = if size < 29 {
            (size as u8, Vec::new())
        } else if size < 285 {
            (29, vec![(size - 29) as u8])
        } else if size < 65_821 {
            (30, ((size - 285) as u16).to_be_bytes().to_vec())
        } else {
            (31, ((size - 65_821) as u32).to_be_bytes()[1..].to_vec())
        };
        if type_number <= 7 {
            self.buf.push((type_number << 5) | size_bits);
        } else {
            self.buf.push(size_bits);
            self.buf.push(type_number - 7);
        }
        self.buf.extend_from_slice(&extra);
        Ok(())
    }

    /// A pointer (type 1, `001SSVVV`) to `offset` in the data section.
    fn write_pointer(&mut self, offset: u32) {
        let p = offset as usize;
        if p < 2_048 {
            self.buf.push(0x20 | ((p >> 8) as u8 & 0x07));
            self.buf.push(p as u8);
        } else if p < 526_336 {
            let v = p - 2_048;
            self.buf.push(0x28 | ((v >> 16) as u8 & 0x07));
            self.buf.extend_from_slice(&[(v >> 8) as u8, v as u8]);
        } else if p < 134_744_064 {
            let v = p - 526_336;
            self.buf.push(0x30 | ((v >> 24) as u8 & 0x07));
            self.buf
                .extend_from_slice(&[(v >> 16) as u8, (v >> 8) as u8, v as u8]);
        } else {
            self.buf.push(0x38);
            self.buf.extend_from_slice(&offset.to_be_bytes());
        }
    }
}

/// Encoded length of a pointer to `offset`.
fn pointer_len(offset: u32) -> usize {
    match offset {
        0..2_048 => 2,
        2_048..526_336 => 3,
        526_336..134_744_064 => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mmdb::value::Map;

    fn encode(value: &Value) -> Vec<u8> {
        let mut e = DataEncoder::metadata();
        e.write_record(value).expect("encodes");
        e.into_bytes()
    }

    #[test]
    fn scalars_follow_the_spec_examples() {
        assert_eq!(encode(&Value::from("a")), vec![0x41, b'a']);
        assert_eq!(encode(&Value::Uint16(0)), vec![0xa0]);
        assert_eq!(encode(&Value::Uint32(8075)), vec![0xc2, 0x1f, 0x8b]);
        assert_eq!(encode(&Value::Uint64(1)), vec![0x01, 0x02, 0x01]);
        assert_eq!(encode(&Value::Bool(true)), vec![0x01, 0x07]);
        assert_eq!(
            encode(&Value::Int32(-1)),
            vec![0x04, 0x01, 0xff, 0xff, 0xff, 0xff]
        );
        assert_eq!(
            encode(&Value::Double(1.5)),
            [vec![0x68], 1.5f64.to_be_bytes().to_vec()].concat()
        );
        let empty_map = encode(&Value::Map(Map::new()));
        assert_eq!(empty_map, vec![0xe0]);
    }

    #[test]
    fn long_sizes_use_extra_bytes() {
        let s29 = "x".repeat(29);
        assert_eq!(&encode(&Value::from(s29.as_str()))[..2], &[0x5d, 0x00]);
        let s300 = "x".repeat(300);
        assert_eq!(&encode(&Value::from(s300.as_str()))[..3], &[0x5e, 0x00, 15]);
        let s70k = "x".repeat(70_000);
        let bytes = encode(&Value::from(s70k.as_str()));
        let rest = 70_000 - 65_821;
        assert_eq!(
            &bytes[..4],
            &[0x5f, (rest >> 16) as u8, (rest >> 8) as u8, rest as u8]
        );
    }

    #[test]
    fn repeated_keys_become_pointers() {
        let mut e = DataEncoder::data_section();
        let a = Value::map([("autonomous_system_organization", "Example")]);
        let b = Value::map([("autonomous_system_organization", "Other")]);
        let first = e.write_record(&a).expect("a");
        let after_a = e.len();
        let second = e.write_record(&b).expect("b");
        assert_eq!(first, 0);
        assert_eq!(second as usize, after_a);
        // map control (1) + pointer to the key (2) + "Other" (6)
        assert_eq!(e.len() - after_a, 1 + 2 + 6);
        // A nested map seen before becomes a pointer too.
        let country = Value::map([("iso_code", "JP")]);
        let c = Value::map([("country", country.clone())]);
        let d = Value::map([("country", country)]);
        e.write_record(&c).expect("c");
        let before_d = e.len();
        e.write_record(&d).expect("d");
        // map control (1) + key pointer (2) + map pointer (2)
        assert_eq!(e.len() - before_d, 5);
    }

    #[test]
    fn pointer_sizes() {
        let mut e = DataEncoder::metadata();
        e.write_pointer(5);
        e.write_pointer(2_048);
        e.write_pointer(526_336);
        e.write_pointer(134_744_064);
        assert_eq!(
            e.into_bytes(),
            vec![0x20, 5, 0x28, 0, 0, 0x30, 0, 0, 0, 0x38, 8, 8, 8, 0]
        );
    }
}
