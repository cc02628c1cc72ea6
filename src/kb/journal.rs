//! Reading knowledge-base files line by line, and appending to the journal.
//!
//! A write is one `write` of whole lines followed by `sync_data`, under the
//! exclusive lock. A process killed during that write can leave only an
//! incomplete *last* line; everything before it was complete when written.
//! So an incomplete or unparsable last line of the journal is a torn write
//! (reported, ignored, cut off by the next append), while a bad line
//! anywhere else is damage, and loading stops there.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use rayon::prelude::*;

use super::entry::Entry;
use super::error::KbError;
use super::files::write_atomic;
use super::format::{
    FileRole, Header, HeaderProblem, Names, header_line, parse_entry, parse_header,
};

/// How to treat a bad last line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tail {
    /// The journal: a bad last line is a torn write.
    Lenient,
    /// Files written whole (snapshot, export): any bad line is damage.
    Strict,
}

/// A torn last line that was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Torn {
    pub line: u64,
    pub bytes: u64,
}

/// Entries read from part of a file.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub entries: Vec<Entry>,
    /// File offset just after the last good line: where the next append goes.
    pub end: u64,
    /// Number of the last line consumed.
    pub line: u64,
    pub torn: Option<Torn>,
}

/// Below this size a file is parsed on one thread: spawning costs more.
const PARALLEL_FROM: usize = 1 << 20;

/// Parses the entry lines in `bytes`, which start at file offset `start`
/// after `line` lines already read. Large inputs are parsed line by line on
/// every core, straight into one vector in file order; should any line fail
/// (damage, a torn tail), the one-pass parse runs instead and says which
/// line and why, so the result is always the one-pass result.
pub(crate) fn parse_lines(
    bytes: &[u8],
    start: u64,
    line: u64,
    path: &Path,
    tail: Tail,
    names: &mut Names,
) -> Result<Parsed, KbError> {
    if bytes.len() < PARALLEL_FROM
        || rayon::current_num_threads() < 2
        || bytes.last() != Some(&b'\n')
    {
        return parse_chunk(bytes, start, line, path, tail, names);
    }
    let mut count = 0;
    // Blank lines count as lines but hold no entry; leaving them out here
    // keeps the parallel iterator indexed, so it collects in place.
    let lines: Vec<&[u8]> = bytes[..bytes.len() - 1]
        .split(|&b| b == b'\n')
        .inspect(|_| count += 1)
        .filter(|text| !text.trim_ascii().is_empty())
        .collect();
    let entries: Vec<Option<Entry>> = lines
        .into_par_iter()
        .map_init(Names::default, |names, text| parse_entry(text, names).ok())
        .collect();
    if entries.iter().any(Option::is_none) {
        return parse_chunk(bytes, start, line, path, tail, names);
    }
    Ok(Parsed {
        // `filter_map` collects in place (`Option<Entry>` is laid out as
        // `Entry` is); `flatten` would copy every entry into a new vector.
        #[allow(clippy::filter_map_identity)]
        entries: entries.into_iter().filter_map(|e| e).collect(),
        end: start + bytes.len() as u64,
        line: line + count,
        torn: None,
    })
}

fn parse_chunk(
    bytes: &[u8],
    start: u64,
    line: u64,
    path: &Path,
    tail: Tail,
    names: &mut Names,
) -> Result<Parsed, KbError> {
    let mut parsed = Parsed {
        entries: Vec::new(),
        end: start,
        line,
        torn: None,
    };
    let mut pos = 0usize;
    while pos < bytes.len() {
        let rest = &bytes[pos..];
        let number = parsed.line + 1;
        let Some(n) = rest.iter().position(|&b| b == b'\n') else {
            if tail == Tail::Lenient {
                parsed.torn = Some(Torn {
                    line: number,
                    bytes: rest.len() as u64,
                });
                return Ok(parsed);
            }
            return Err(KbError::Damaged {
                path: path.to_path_buf(),
                line: number,
                reason: "the last line is incomplete (no newline at its end)".to_string(),
            });
        };
        let next = pos + n + 1;
        let text = &rest[..n];
        if !text.trim_ascii().is_empty() {
            match parse_entry(text, names) {
                Ok(entry) => parsed.entries.push(entry),
                Err(_) if tail == Tail::Lenient && next == bytes.len() => {
                    parsed.torn = Some(Torn {
                        line: number,
                        bytes: n as u64 + 1,
                    });
                    return Ok(parsed);
                }
                Err(reason) => {
                    return Err(KbError::Damaged {
                        path: path.to_path_buf(),
                        line: number,
                        reason,
                    });
                }
            }
        }
        parsed.line = number;
        parsed.end = start + next as u64;
        pos = next;
    }
    Ok(parsed)
}

fn header_error(path: &Path, problem: HeaderProblem) -> KbError {
    match problem {
        HeaderProblem::Newer(found) => KbError::NewerFormat {
            path: path.to_path_buf(),
            found,
        },
        HeaderProblem::Foreign(why) => KbError::Foreign {
            path: path.to_path_buf(),
            why,
        },
    }
}

/// Splits off and checks the header line. `None` for an empty file.
pub(crate) fn split_header<'b>(
    bytes: &'b [u8],
    path: &Path,
) -> Result<Option<(Header, &'b [u8])>, KbError> {
    if bytes.is_empty() {
        return Ok(None);
    }
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let header = parse_header(&bytes[..end]).map_err(|p| header_error(path, p))?;
    if end == bytes.len() {
        // A header is written whole with its newline; without it the file is cut short.
        return Err(KbError::Damaged {
            path: path.to_path_buf(),
            line: 1,
            reason: "the header line is incomplete".to_string(),
        });
    }
    Ok(Some((header, &bytes[end + 1..])))
}

/// A whole file read: its header and entries.
#[derive(Debug)]
pub(crate) struct WholeFile {
    pub header: Header,
    pub parsed: Parsed,
}

/// Reads a whole file; `None` when it does not exist or is empty.
pub(crate) fn read_whole(
    path: &Path,
    tail: Tail,
    names: &mut Names,
) -> Result<Option<WholeFile>, KbError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(KbError::io("read", path)(e)),
    };
    let Some((header, body)) = split_header(&bytes, path)? else {
        return Ok(None);
    };
    let start = (bytes.len() - body.len()) as u64;
    let parsed = parse_lines(body, start, 1, path, tail, names)?;
    Ok(Some(WholeFile { header, parsed }))
}

/// Reads only the header of a file (enough to tell whether it was
/// replaced), with the offset where its entries start.
pub(crate) fn read_header(path: &Path) -> Result<Option<(Header, u64)>, KbError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(KbError::io("open", path)(e)),
    };
    // Headers are about 80 bytes; 4 KiB leaves room for fields a later version adds.
    let mut buf = Vec::with_capacity(4096);
    (&mut file)
        .take(4096)
        .read_to_end(&mut buf)
        .map_err(KbError::io("read", path))?;
    if !buf.contains(&b'\n') && buf.len() == 4096 {
        return Err(KbError::Foreign {
            path: path.to_path_buf(),
            why: "the first line is not a whoclicked-kb header".to_string(),
        });
    }
    let len = buf.len();
    Ok(split_header(&buf, path)?.map(|(h, body)| (h, (len - body.len()) as u64)))
}

/// Reads the journal from `offset` to its end. `None` when the journal is
/// gone or shorter than `offset`, or the byte before `offset` is not the end
/// of a line: it was replaced or edited, and must be read whole again.
pub(crate) fn read_from(path: &Path, offset: u64) -> Result<Option<Vec<u8>>, KbError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(KbError::io("open", path)(e)),
    };
    let len = file.metadata().map_err(KbError::io("read", path))?.len();
    if offset == 0 || len < offset {
        return Ok(None);
    }
    let mut buf = Vec::with_capacity((len - offset + 1) as usize);
    file.seek(SeekFrom::Start(offset - 1))
        .and_then(|_| file.read_to_end(&mut buf))
        .map_err(KbError::io("read", path))?;
    if buf.first() != Some(&b'\n') {
        return Ok(None);
    }
    buf.remove(0);
    Ok(Some(buf))
}

/// Starts a fresh journal of `generation` (replacing any stale one) and
/// returns where its first entry goes.
pub(crate) fn create_journal(path: &Path, generation: u64) -> Result<u64, KbError> {
    let header = header_line(FileRole::Journal, generation);
    write_atomic(path, header.as_bytes())?;
    Ok(header.len() as u64)
}

/// Writes `bytes` (whole lines) at `at`, the end of the last good line, and
/// makes them durable before returning. Anything after `at` is a torn tail
/// the caller has reported; it is cut off first so the new lines never glue
/// onto it. If the write fails the file is put back to `at`.
pub(crate) fn append(path: &Path, at: u64, bytes: &[u8]) -> Result<(), KbError> {
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(KbError::io("open", path))?;
    let len = file.metadata().map_err(KbError::io("read", path))?.len();
    if len < at {
        // Shorter than what was read under this very lock: someone truncated
        // it behind the lock's back. Writing would leave a hole.
        return Err(KbError::io("append to", path)(io::Error::other(
            "the journal shrank while locked",
        )));
    }
    if len > at {
        file.set_len(at)
            .map_err(KbError::io("cut the torn tail of", path))?;
    }
    let written = file
        .seek(SeekFrom::Start(at))
        .and_then(|_| file.write_all(bytes))
        .and_then(|_| file.sync_data());
    if let Err(e) = written {
        let _ = file.set_len(at);
        let _ = file.sync_data();
        return Err(KbError::io("write", path)(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::entry::Author;
    use crate::kb::format::write_entry;
    use crate::kb::key::{Key, Verdict};

    fn lines(n: u32) -> Vec<u8> {
        let a = Author::new(Some("sato"), None);
        let mut out = Vec::new();
        for i in 1..=n {
            write_entry(&Entry::verdict(&a, Key::Asn(i), Verdict::Scanner), &mut out);
        }
        out
    }

    fn parse(bytes: &[u8], tail: Tail) -> Result<Parsed, KbError> {
        parse_lines(bytes, 100, 1, Path::new("j"), tail, &mut Names::default())
    }

    #[test]
    fn torn_tail_without_newline_is_skipped() {
        let mut bytes = lines(3);
        let good = bytes.len() as u64;
        bytes.extend_from_slice(br#"{"op":"verdict","key":"asn:9","ver"#);
        let p = parse(&bytes, Tail::Lenient).unwrap();
        assert_eq!(p.entries.len(), 3);
        assert_eq!(p.end, 100 + good);
        assert_eq!(p.line, 4);
        assert_eq!(p.torn, Some(Torn { line: 5, bytes: 34 }));
        let err = parse(&bytes, Tail::Strict).unwrap_err();
        assert!(matches!(err, KbError::Damaged { line: 5, .. }), "{err}");
    }

    #[test]
    fn garbage_last_line_and_zero_fill_are_torn() {
        let mut bytes = lines(2);
        bytes.extend_from_slice(b"{\"op\":\x00\x00\x00\n");
        let p = parse(&bytes, Tail::Lenient).unwrap();
        assert_eq!((p.entries.len(), p.torn.map(|t| t.line)), (2, Some(4)));
        let mut zeros = lines(2);
        zeros.extend_from_slice(&[0; 512]);
        assert_eq!(
            parse(&zeros, Tail::Lenient).unwrap().torn.map(|t| t.bytes),
            Some(512)
        );
    }

    #[test]
    fn damaged_middle_line_stops_loading_with_its_number() {
        let mut bytes = lines(2);
        bytes.extend_from_slice(b"{not json}\n");
        bytes.extend_from_slice(&lines(2));
        let err = parse(&bytes, Tail::Lenient).unwrap_err();
        let KbError::Damaged { line, reason, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(*line, 4);
        assert!(reason.contains("not valid JSON"), "{reason}");
        assert!(
            err.to_string().starts_with("j, line 4: not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn parallel_parse_matches_one_pass() {
        let one = lines(1);
        let copies = PARALLEL_FROM * 3 / one.len();
        let mut bytes = one.repeat(copies);
        // Blank lines count as lines and hold no entry.
        bytes.extend_from_slice(b"\n  \n");
        bytes.extend_from_slice(&one);
        let serial =
            |b: &[u8], tail| parse_chunk(b, 100, 1, Path::new("j"), tail, &mut Names::default());
        let p = parse(&bytes, Tail::Lenient).unwrap();
        let s = serial(&bytes, Tail::Lenient).unwrap();
        assert_eq!(
            (p.entries.len(), p.end, p.line, p.torn),
            (copies + 1, s.end, s.line, None)
        );
        assert_eq!(p.line, copies as u64 + 4);
        assert_eq!(p.entries, s.entries);
        // A torn tail is still found at the very end, with its line number.
        bytes.extend_from_slice(b"{\"op\":");
        let p = parse(&bytes, Tail::Lenient).unwrap();
        assert_eq!(
            p.torn,
            Some(Torn {
                line: copies as u64 + 5,
                bytes: 6
            })
        );
        // A bad line near the end of an early chunk is damage, not a torn tail,
        // and the first damaged line is the one reported.
        let mut damaged = bytes.clone();
        let at = damaged.len() / 3;
        let nl = at + damaged[at..].iter().position(|&b| b == b'\n').unwrap();
        let line_start = damaged[..nl].iter().rposition(|&b| b == b'\n').unwrap() + 1;
        damaged[line_start] = b'#';
        let later = damaged.len() * 2 / 3;
        if let Some(n) = damaged[later..].iter().position(|&b| b == b'\n') {
            damaged[later + n + 1] = b'#';
        }
        let want = serial(&damaged, Tail::Lenient).unwrap_err().to_string();
        assert_eq!(
            parse(&damaged, Tail::Lenient).unwrap_err().to_string(),
            want
        );
        assert!(
            want.starts_with(&format!(
                "j, line {}:",
                2 + damaged[..line_start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            )),
            "{want}"
        );
    }

    #[test]
    fn blank_lines_are_allowed() {
        let mut bytes = b"\n".to_vec();
        bytes.extend_from_slice(&lines(1));
        bytes.extend_from_slice(b"  \n");
        let p = parse(&bytes, Tail::Strict).unwrap();
        assert_eq!((p.entries.len(), p.line, p.torn), (1, 4, None));
    }

    #[test]
    fn append_cuts_a_torn_tail_first() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal.jsonl");
        let at = create_journal(&path, 0).unwrap();
        let body = lines(1);
        append(&path, at, &body).unwrap();
        let end = at + body.len() as u64;
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"op\":\"verd").unwrap();
        let more = lines(2);
        let second = &more[more.iter().position(|&b| b == b'\n').unwrap() + 1..];
        append(&path, end, second).unwrap();
        let whole = read_whole(&path, Tail::Strict, &mut Names::default())
            .unwrap()
            .unwrap();
        assert_eq!(whole.header.generation, 0);
        assert_eq!(whole.parsed.entries.len(), 2);
        assert_eq!(read_from(&path, end).unwrap().unwrap(), second);
        assert_eq!(
            read_from(&path, end - 1).unwrap(),
            None,
            "not at a line start"
        );
        assert_eq!(read_from(&path, 1 << 40).unwrap(), None, "past the end");
    }
}
