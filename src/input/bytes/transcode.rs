//! UTF-16 text (Excel's "Unicode text" export, tab-separated) turned into a
//! UTF-8 stream, so the readers, which split on ASCII bytes, can take it.

use std::io::{self, Read};

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE};

/// UTF-16 by its BOM, or, without one, by the zero bytes that ASCII text has
/// in every other position.
pub fn utf16_encoding(sample: &[u8]) -> Option<(&'static Encoding, bool)> {
    match sample {
        [0xff, 0xfe, ..] => return Some((UTF_16LE, true)),
        [0xfe, 0xff, ..] => return Some((UTF_16BE, true)),
        _ => {}
    }
    let probe = &sample[..sample.len().min(64) & !1];
    if probe.len() < 8 {
        return None;
    }
    let zeros_at = |start: usize| probe[start..].iter().step_by(2).all(|&b| b == 0);
    let text_at = |start: usize| {
        probe[start..]
            .iter()
            .step_by(2)
            .all(|&b| b.is_ascii_graphic() || b.is_ascii_whitespace())
    };
    if zeros_at(1) && text_at(0) {
        Some((UTF_16LE, false))
    } else if zeros_at(0) && text_at(1) {
        Some((UTF_16BE, false))
    } else {
        None
    }
}

/// Reads UTF-16 from `inner` and yields UTF-8. Unpaired surrogates become U+FFFD.
pub struct Utf8From<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    eof: bool,
    done: bool,
}

const CHUNK: usize = 16 * 1024;

impl<R: Read> Utf8From<R> {
    pub fn new(inner: R, encoding: &'static Encoding, has_bom: bool) -> Self {
        let decoder = if has_bom {
            encoding.new_decoder_with_bom_removal()
        } else {
            encoding.new_decoder_without_bom_handling()
        };
        Utf8From {
            inner,
            decoder,
            input: vec![0; CHUNK],
            in_start: 0,
            in_end: 0,
            // Each UTF-16 code unit becomes at most 3 UTF-8 bytes.
            output: vec![0; CHUNK * 2 + 16],
            out_start: 0,
            out_end: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> Read for Utf8From<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.in_start == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                self.eof,
            );
            self.in_start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn recognises_utf16() {
        assert_eq!(
            utf16_encoding(&utf16le("time\tip\n", true)),
            Some((UTF_16LE, true))
        );
        assert_eq!(
            utf16_encoding(&utf16le("time\tip\n", false)),
            Some((UTF_16LE, false))
        );
        assert_eq!(utf16_encoding(b"time,ip\n2026"), None);
        assert_eq!(utf16_encoding(&[0; 100]), None);
    }

    #[test]
    fn transcodes_in_small_reads() {
        let text = "日時\tIPアドレス\n2026/10/1 9:05\t10.0.0.1\n".repeat(3000);
        let bytes = utf16le(&text, true);
        let mut reader = Utf8From::new(&bytes[..], UTF_16LE, true);
        let mut out = Vec::new();
        let mut buf = [0u8; 7];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        assert_eq!(String::from_utf8(out).unwrap(), text);
    }
}
