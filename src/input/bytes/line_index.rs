//! Physical line numbers for CSV records. The csv crate's own line count is
//! off by one after every CRLF (it ends a record at the `\r` and counts the
//! `\n` into the next one) and never advances for CR-only files, while GoPhish
//! and Excel both write CRLF. So line breaks are counted here, as the bytes
//! stream past, and a record's byte offset is turned into its line.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

#[derive(Debug, Default)]
struct Breaks {
    /// Line breaks not yet passed by a query: the offset of each `\n` (and
    /// whether a `\r` came right before it), and of each `\r` not followed by `\n`.
    pending: VecDeque<(u64, bool)>,
    /// Breaks already passed.
    passed: u64,
    /// Bytes read so far.
    offset: u64,
    /// A `\r` that ended the last chunk; a break unless a `\n` follows.
    trailing_cr: Option<u64>,
}

/// The reading side: hand this to the csv reader.
pub struct Tracked<R> {
    inner: R,
    breaks: Rc<RefCell<Breaks>>,
}

/// The asking side: keep this to number the records.
pub struct LineIndex {
    breaks: Rc<RefCell<Breaks>>,
}

pub fn track<R: Read>(inner: R) -> (Tracked<R>, LineIndex) {
    let breaks = Rc::new(RefCell::new(Breaks::default()));
    (
        Tracked {
            inner,
            breaks: Rc::clone(&breaks),
        },
        LineIndex { breaks },
    )
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut b = self.breaks.borrow_mut();
        let base = b.offset;
        let chunk = &buf[..n];
        for i in memchr::memchr2_iter(b'\n', b'\r', chunk) {
            let at = base + i as u64;
            // A `\r` seen earlier is a break of its own unless this `\n` follows it.
            let crlf = match b.trailing_cr.take() {
                Some(cr) if cr + 1 == at && chunk[i] == b'\n' => true,
                Some(cr) => {
                    b.pending.push_back((cr, false));
                    false
                }
                None => false,
            };
            if chunk[i] == b'\n' {
                b.pending.push_back((at, crlf));
            } else {
                b.trailing_cr = Some(at);
            }
        }
        // A `\r` followed by anything but `\n` is a break; settle it once that byte is here.
        if let Some(cr) = b.trailing_cr
            && cr + 1 < base + n as u64
        {
            b.trailing_cr = None;
            b.pending.push_back((cr, false));
        }
        b.offset += n as u64;
        Ok(n)
    }
}

impl LineIndex {
    /// The 1-based line of the record whose byte offset the csv crate gave.
    /// Offsets must be asked in increasing order. The csv crate starts a
    /// record right after the previous one ended, so the offset may point at
    /// line terminators (the `\n` of a CRLF, skipped blank lines) that still
    /// come before the record's first line.
    pub fn line_at(&self, offset: u64) -> u64 {
        let mut b = self.breaks.borrow_mut();
        if let Some(cr) = b.trailing_cr
            && cr <= offset
        {
            b.trailing_cr = None;
            b.pending.push_back((cr, false));
        }
        // The first byte that may be the record's own.
        let mut edge = offset;
        while let Some(&(at, crlf)) = b.pending.front() {
            let leading = at <= edge || (crlf && at == edge + 1);
            if !leading {
                break;
            }
            edge = edge.max(at + 1);
            b.pending.pop_front();
            b.passed += 1;
        }
        b.passed + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use csv::ByteRecord;

    /// Record lines, checked to be the same whatever the read chunk size.
    fn lines(data: &[u8]) -> Vec<u64> {
        let mut answers = (1..=9).map(|capacity| {
            let (input, index) = track(data);
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .buffer_capacity(capacity)
                .from_reader(input);
            let mut rec = ByteRecord::new();
            let mut out = Vec::new();
            while rdr.read_byte_record(&mut rec).unwrap() {
                out.push(index.line_at(rec.position().map_or(0, |p| p.byte())));
            }
            out
        });
        let first = answers.next().unwrap();
        for other in answers {
            assert_eq!(other, first);
        }
        first
    }

    #[test]
    fn numbers_lines_for_every_line_ending() {
        assert_eq!(lines(b"a,b\nc,d\n\ne,\"x\ny\"\nh,i"), vec![1, 2, 4, 6]);
        assert_eq!(
            lines(b"a,b\r\nc,d\r\n\r\ne,\"x\r\ny\"\r\nh,i\r\n"),
            vec![1, 2, 4, 6]
        );
        assert_eq!(lines(b"a,b\rc,d\r\re,f\r"), vec![1, 2, 4]);
        assert_eq!(lines(b"\r\n\r\na,b\r\n\r\n\r\nc\r\n"), vec![3, 6]);
        assert_eq!(lines(b"a\r\rb\r\n\nc\r\"x\r\ry\"\nd"), vec![1, 3, 5, 6, 9]);
    }
}
