//! Text encodings: detecting UTF-8 or Shift_JIS/CP932 from a sample, and
//! decoding one field at a time so files stream instead of being decoded whole.

use std::borrow::Cow;

use encoding_rs::{Encoding, SHIFT_JIS, UTF_8};

/// How much of a file is looked at to choose its encoding and format.
pub const SAMPLE_BYTES: usize = 64 * 1024;

/// The `--encoding` value as an encoding, or `None` when it names none we can
/// stream. Only ASCII-compatible encodings qualify: fields are split on the raw
/// bytes `,` `;` tab `"` and newline, which must never occur inside a character.
pub fn parse_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    let normalized = label.to_ascii_lowercase().replace('_', "-");
    // Windows and Java names for the Shift_JIS superset that WHATWG calls Shift_JIS.
    let encoding = match normalized.as_str() {
        "cp932" | "ms-932" | "windows-932" | "sjis" | "shift-jis" | "x-sjis" | "mskanji" => {
            Some(SHIFT_JIS)
        }
        "utf8" => Some(UTF_8),
        _ => Encoding::for_label(label.as_bytes())
            .or_else(|| Encoding::for_label(normalized.as_bytes())),
    }?;
    encoding.is_ascii_compatible().then_some(encoding)
}

/// The encoding a sample looks like. `lossy` is set when no line of it is
/// valid UTF-8 or Shift_JIS, so the caller can say the text was repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub lossy: bool,
}

/// The sample's encoding, by its lines: a line with non-ASCII bytes votes
/// for UTF-8 when it is valid UTF-8, else for Shift_JIS when it is valid
/// Shift_JIS. The majority wins, so a stray byte, a file cut inside its last
/// character or a pasted row in the other encoding cannot overturn the rest
/// (those lines are repaired or reported as they are read).
pub fn detect_encoding(sample: &[u8], at_eof: bool) -> Detected {
    // A sample cut mid-file may end inside a character: judge only whole lines.
    let judged = if at_eof {
        sample
    } else {
        match sample.iter().rposition(|&b| b == b'\n') {
            Some(end) => &sample[..=end],
            None => sample,
        }
    };
    let utf8_ok = match std::str::from_utf8(judged) {
        Ok(_) => true,
        // Cut inside the last character of a long single line.
        Err(e) => !at_eof && e.error_len().is_none(),
    };
    if utf8_ok {
        return Detected {
            encoding: UTF_8,
            lossy: false,
        };
    }
    let (mut utf8, mut sjis) = (0usize, 0usize);
    for line in judged.split(|&b| b == b'\n').filter(|l| !l.is_ascii()) {
        if std::str::from_utf8(line).is_ok() {
            utf8 += 1;
        } else if SHIFT_JIS
            .decode_without_bom_handling_and_without_replacement(line)
            .is_some()
        {
            sjis += 1;
        }
    }
    Detected {
        encoding: if sjis > utf8 { SHIFT_JIS } else { UTF_8 },
        lossy: utf8 == 0 && sjis == 0,
    }
}

/// Whether a non-ASCII field that decodes as Shift_JIS is really UTF-8 (a row
/// pasted in from elsewhere): valid UTF-8 with a three-byte character (every
/// kana and kanji is one), which Shift_JIS text almost never happens to be.
fn is_utf8_text(bytes: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.chars().any(|c| c.len_utf8() >= 3).then_some(text)
}

/// Decodes fields of one file and counts those that needed repair.
#[derive(Debug)]
pub struct FieldDecoder {
    encoding: &'static Encoding,
    pub repaired_fields: u64,
    pub first_repaired_line: u64,
    /// UTF-8 was a guess from an all-ASCII sample: the first non-ASCII field
    /// may still show the file is Shift_JIS.
    may_switch: bool,
    /// The line where the decoder switched to Shift_JIS, if it did.
    pub switched_at: Option<u64>,
    /// Fields of a Shift_JIS file that were UTF-8, read as such, and the first one's line.
    pub utf8_fields: u64,
    pub first_utf8_line: u64,
}

impl FieldDecoder {
    pub fn new(encoding: &'static Encoding) -> Self {
        FieldDecoder {
            encoding,
            repaired_fields: 0,
            first_repaired_line: 0,
            may_switch: false,
            switched_at: None,
            utf8_fields: 0,
            first_utf8_line: 0,
        }
    }

    /// A UTF-8 decoder for a file whose sample held no non-ASCII byte at all.
    pub fn guessing_utf8() -> Self {
        FieldDecoder {
            may_switch: true,
            ..FieldDecoder::new(UTF_8)
        }
    }

    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// The field as text; invalid bytes become U+FFFD and are counted.
    pub fn decode<'a>(&mut self, bytes: &'a [u8], line: u64) -> Cow<'a, str> {
        // ASCII is the same in every encoding we accept, and most fields are ASCII.
        if bytes.is_ascii() {
            // Cannot fail: ASCII is valid UTF-8.
            return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default());
        }
        let (text, had_errors) = if self.encoding == UTF_8 {
            let utf8 = std::str::from_utf8(bytes);
            if self.may_switch {
                // Only the first non-ASCII field can tell; everything before was ASCII.
                self.may_switch = false;
                if utf8.is_err()
                    && let Some(text) =
                        SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
                {
                    self.encoding = SHIFT_JIS;
                    self.switched_at = Some(line);
                    return Cow::Owned(text.into_owned());
                }
            }
            match utf8 {
                Ok(s) => (Cow::Borrowed(s), false),
                Err(_) => (String::from_utf8_lossy(bytes), true),
            }
        } else if self.encoding == SHIFT_JIS
            && let Some(text) = is_utf8_text(bytes)
        {
            if self.utf8_fields == 0 {
                self.first_utf8_line = line;
            }
            self.utf8_fields += 1;
            (Cow::Borrowed(text), false)
        } else {
            self.encoding.decode_without_bom_handling(bytes)
        };
        if had_errors {
            if self.repaired_fields == 0 {
                self.first_repaired_line = line;
            }
            self.repaired_fields += 1;
        }
        text
    }
}

/// GoPhish exports through Papa Parse with `escapeFormulae`, which puts a `'`
/// before text starting with `=`, `+`, `-` or `@` (and, in later Papa Parse
/// versions, tab or CR) so spreadsheets do not run it. The `'` is not data.
pub fn strip_formula_escape(text: &str) -> &str {
    match text.as_bytes() {
        [b'\'', b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r', ..] => &text[1..],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_encoding_labels() {
        for label in ["utf-8", "UTF8", "utf_8"] {
            assert_eq!(parse_encoding(label), Some(UTF_8), "{label}");
        }
        for label in [
            "shift_jis",
            "Shift-JIS",
            "sjis",
            "cp932",
            "CP932",
            "windows-31j",
            "ms932",
        ] {
            assert_eq!(parse_encoding(label), Some(SHIFT_JIS), "{label}");
        }
        assert_eq!(parse_encoding("euc-jp"), Some(encoding_rs::EUC_JP));
        assert_eq!(parse_encoding("utf-16le"), None);
        assert_eq!(parse_encoding("klingon"), None);
    }

    #[test]
    fn detects_utf8_sjis_and_junk() {
        let (sjis, _, _) = SHIFT_JIS.encode("日時,IPアドレス\n2026/10/1 9:05,10.0.0.1\n");
        assert_eq!(
            detect_encoding(&sjis, true),
            Detected {
                encoding: SHIFT_JIS,
                lossy: false
            }
        );
        assert_eq!(
            detect_encoding("日時,IP\n".as_bytes(), true).encoding,
            UTF_8
        );
        // A sample cut inside a UTF-8 character is still UTF-8.
        let text = "日時".as_bytes();
        assert!(!detect_encoding(&text[..4], false).lossy);
        assert_eq!(detect_encoding(&text[..4], false).encoding, UTF_8);
        // 0x80 alone is neither UTF-8 nor Shift_JIS.
        assert!(detect_encoding(b"a\x80\x80\xff\n", true).lossy);
    }

    #[test]
    fn the_majority_of_lines_decides() {
        let mut text = String::from("日時,部署\n");
        for i in 0..100 {
            text.push_str(&format!("2026/10/1 9:{:02},経理部\n", i % 60));
        }
        let (mut sjis, _, _) = SHIFT_JIS.encode(&text);
        let sjis = sjis.to_mut();
        // Two stray bytes, a UTF-8 row, and a cut inside the last character.
        sjis.insert(40, 0x80);
        sjis.insert(200, 0xa0);
        sjis.extend_from_slice("2026/10/2 9:00,営業部\n".as_bytes());
        sjis.extend_from_slice(&[b'x', 0x82]);
        assert_eq!(
            detect_encoding(sjis, true),
            Detected {
                encoding: SHIFT_JIS,
                lossy: false
            }
        );
        // The other way round: UTF-8 with a Shift_JIS row stays UTF-8.
        let mut utf8 = text.into_bytes();
        utf8.extend_from_slice(&SHIFT_JIS.encode("営業部\n").0);
        assert_eq!(detect_encoding(&utf8, true).encoding, UTF_8);
    }

    #[test]
    fn a_utf8_field_in_shift_jis_is_read_as_utf8_and_counted() {
        let mut d = FieldDecoder::new(SHIFT_JIS);
        assert_eq!(d.decode(&SHIFT_JIS.encode("経理部").0, 2), "経理部");
        assert_eq!(d.decode("営業部".as_bytes(), 7), "営業部");
        assert_eq!((d.utf8_fields, d.first_utf8_line), (1, 7));
        assert_eq!(d.repaired_fields, 0);
    }

    #[test]
    fn decodes_fields_and_counts_repairs() {
        let mut utf8 = FieldDecoder::new(UTF_8);
        assert_eq!(utf8.decode("経理部".as_bytes(), 1), "経理部");
        assert_eq!(utf8.decode(b"a\xffb", 7), "a\u{fffd}b");
        assert_eq!((utf8.repaired_fields, utf8.first_repaired_line), (1, 7));
        let mut sjis = FieldDecoder::new(SHIFT_JIS);
        let (bytes, _, _) = SHIFT_JIS.encode("ソフト開発部");
        assert_eq!(sjis.decode(&bytes, 1), "ソフト開発部");
        assert_eq!(sjis.repaired_fields, 0);
    }

    #[test]
    fn switches_to_shift_jis_when_late_text_says_so() {
        let (bytes, _, _) = SHIFT_JIS.encode("経理部");
        let mut d = FieldDecoder::guessing_utf8();
        assert_eq!(d.decode(b"plain", 2), "plain");
        assert_eq!(d.decode(&bytes, 9000), "経理部");
        assert_eq!((d.encoding(), d.switched_at), (SHIFT_JIS, Some(9000)));
        assert_eq!(d.repaired_fields, 0);
        // Once real UTF-8 was seen, bad bytes are repaired, not a reason to switch.
        let mut d = FieldDecoder::guessing_utf8();
        assert_eq!(d.decode("日本".as_bytes(), 2), "日本");
        d.decode(&bytes, 3);
        assert_eq!((d.encoding(), d.repaired_fields), (UTF_8, 1));
    }

    #[test]
    fn strips_only_formula_escapes() {
        assert_eq!(strip_formula_escape("'=HYPERLINK(1)"), "=HYPERLINK(1)");
        assert_eq!(strip_formula_escape("'@alice"), "@alice");
        assert_eq!(strip_formula_escape("'-5"), "-5");
        assert_eq!(strip_formula_escape("'quoted'"), "'quoted'");
        assert_eq!(strip_formula_escape("'"), "'");
        assert_eq!(strip_formula_escape("=x"), "=x");
    }
}
