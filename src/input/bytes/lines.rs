//! Reading lines with a length cap, so a file without newlines (binary junk,
//! a 100 MB line) costs bounded memory instead of all of it.

use std::io::{self, BufRead};

/// No real access-log line comes near this.
pub const MAX_LINE: usize = 1 << 20;

pub struct LineReader<R> {
    inner: R,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R) -> Self {
        LineReader { inner }
    }

    /// The next line into `buf`, without its `\n` or `\r\n`. `Ok(None)` at the
    /// end; `Ok(Some(true))` when the line was longer than [`MAX_LINE`] and
    /// only its start was kept.
    pub fn next_line(&mut self, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
        buf.clear();
        self.append_line(buf)
    }

    /// [`next_line`](Self::next_line) appended to what `out` holds, for a
    /// reader that keeps a batch of lines in one buffer.
    pub fn append_line(&mut self, out: &mut Vec<u8>) -> io::Result<Option<bool>> {
        let start = out.len();
        let mut truncated = false;
        let mut any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (chunk, used, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            let room = MAX_LINE.saturating_sub(out.len() - start);
            if chunk.len() > room {
                truncated = true;
            }
            out.extend_from_slice(&chunk[..chunk.len().min(room)]);
            self.inner.consume(used);
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        if out.len() > start && out.last() == Some(&b'\r') {
            out.pop();
        }
        Ok(Some(truncated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lines_and_caps_long_ones() {
        let mut data = b"a\r\nbc\n\nlast".to_vec();
        let mut r = LineReader::new(&data[..]);
        let mut buf = Vec::new();
        let mut got = Vec::new();
        while let Some(t) = r.next_line(&mut buf).unwrap() {
            got.push((String::from_utf8(buf.clone()).unwrap(), t));
        }
        assert_eq!(
            got,
            vec![
                ("a".into(), false),
                ("bc".into(), false),
                (String::new(), false),
                ("last".into(), false)
            ]
        );
        data = vec![b'x'; MAX_LINE + 10];
        data.extend_from_slice(b"\nok\n");
        let mut r = LineReader::new(io::BufReader::with_capacity(1000, &data[..]));
        assert_eq!(r.next_line(&mut buf).unwrap(), Some(true));
        assert_eq!(buf.len(), MAX_LINE);
        assert_eq!(r.next_line(&mut buf).unwrap(), Some(false));
        assert_eq!(buf, b"ok");
        assert_eq!(r.next_line(&mut buf).unwrap(), None);
    }

    #[test]
    fn appended_lines_keep_what_the_buffer_held() {
        let mut r = LineReader::new(&b"one\r\n\r\ntwo"[..]);
        let mut out = b"held\r".to_vec();
        assert_eq!(r.append_line(&mut out).unwrap(), Some(false));
        assert_eq!(out, b"held\rone");
        // An empty line leaves the buffer's own \r alone.
        let mut out = b"held\r".to_vec();
        assert_eq!(r.append_line(&mut out).unwrap(), Some(false));
        assert_eq!(out, b"held\r");
        assert_eq!(r.append_line(&mut out).unwrap(), Some(false));
        assert_eq!(out, b"held\rtwo");
        assert_eq!(r.append_line(&mut out).unwrap(), None);
    }
}
