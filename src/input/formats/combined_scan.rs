//! The access-log reader's first stage, the work each line needs alone:
//! splitting it into fields, finding the recipient parameter, parsing the
//! time and the screen size. It runs on the thread that reads the file and
//! hands batches of scanned lines to `combined`, which applies them to the
//! campaign on another (see `bytes::pipelined`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead};
use std::net::Ipv4Addr;
use std::ops::Range;

use crate::input::bytes::lines::{LineReader, MAX_LINE};
use crate::input::bytes::pipelined::Sink;
use crate::input::file_ctx::line_excerpt;
use crate::input::formats::combined_line;
use crate::input::values::fields::{parse_screen, plain_ipv4, screen_from_parts};
use crate::input::values::query;
use crate::input::values::timestamp::{TimeError, parse_clf};
use crate::model::{Event, Screen, Timestamp};

/// Lines per batch: large enough that handing a batch over costs nothing
/// per line, small enough that the applying stage starts at once.
const LINES_PER_BATCH: usize = 4096;

/// Query keys remembered for the "no rid anywhere" message.
const MAX_KEYS_SEEN: usize = 64;

/// Where a field lies in its batch's bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    fn of(range: Range<usize>) -> Span {
        // A batch stays far below 4 GiB: it ends after its first line past
        // `BATCH_BYTES`, and a line is at most `MAX_LINE`.
        Span {
            start: range.start as u32,
            end: range.end as u32,
        }
    }
}

/// A batch stops taking lines past this many bytes, whatever their number.
const BATCH_BYTES: usize = 4 << 20;

/// What the first stage made of one line.
#[derive(Debug)]
pub enum Scanned {
    /// Only whitespace: numbered, but no evidence either way.
    Blank,
    /// The line is skipped; the message (in `Batch::messages`) says why.
    Failed(usize),
    /// A request without the recipient parameter (the page's CSS, a scan
    /// of other paths): not an access.
    NotAnAccess,
    Access(Request),
}

/// A request carrying the recipient parameter, its fields still raw.
#[derive(Debug)]
pub struct Request {
    pub host: Span,
    /// The host when it is a plain IPv4 address, as `parse_ip` would read
    /// it: the applying thread then finds it in a map of 4-byte keys.
    pub host_v4: Option<Ipv4Addr>,
    pub method: Span,
    pub path: Span,
    pub status: Span,
    /// Still escaped; `None` in the common format.
    pub user_agent: Option<Span>,
    /// Still escaped; `None` when the line has no such field.
    pub forwarded: Option<Span>,
    /// The recipient parameter, percent-decoded.
    pub rid: Span,
    pub time: Result<Timestamp, TimeError>,
    /// The raw time, for the message when it cannot be read.
    pub time_text: Span,
    /// `Err` holds the warning's message (in `Batch::messages`).
    pub screen: Result<Option<Screen>, usize>,
    pub event: Event,
}

/// Consecutive lines of the log, scanned.
#[derive(Debug, Default)]
pub struct Batch {
    /// The number of the first line.
    pub first_line: u64,
    /// The lines' bytes, and the decoded parameters that differ from them.
    pub data: Vec<u8>,
    pub lines: Vec<Scanned>,
    /// The few messages the lines need (failures, screen warnings).
    pub messages: Vec<String>,
}

impl Span {
    /// The field's bytes in its batch's `data`.
    pub fn of_data(self, data: &[u8]) -> &[u8] {
        &data[self.start as usize..self.end as usize]
    }
}

impl Batch {
    /// Empties the batch, keeping its buffers, to take lines from `first_line` on.
    fn reset(&mut self, first_line: u64) {
        self.first_line = first_line;
        self.data.clear();
        self.lines.clear();
        self.messages.clear();
    }

    fn message(&mut self, text: String) -> usize {
        self.messages.push(text);
        self.messages.len() - 1
    }
}

/// What the first stage saw of the whole file.
#[derive(Debug, Default)]
pub struct ScanSummary {
    pub lines: u64,
    pub with_rid: u64,
    /// Query keys of the requests without the rid, for the error that
    /// names them when no line has it.
    pub keys_seen: HashMap<Vec<u8>, u64>,
    /// Reading stopped here.
    pub error: Option<io::Error>,
}

/// Reads every line of `input` and sends it scanned, in batches, until the
/// end, an error, or the applying stage stops.
pub fn scan<E>(input: impl BufRead, rid_param: &str, sink: &mut Sink<'_, Batch, E>) -> ScanSummary {
    let mut lines = LineReader::new(input);
    let mut summary = ScanSummary::default();
    let mut batch = Batch {
        first_line: 1,
        ..Batch::default()
    };
    loop {
        let start = batch.data.len();
        let truncated = match lines.append_line(&mut batch.data) {
            Ok(Some(t)) => t,
            Ok(None) => break,
            Err(e) => {
                summary.error = Some(e);
                break;
            }
        };
        summary.lines += 1;
        let scanned = scan_line(&mut batch, start, truncated, rid_param, &mut summary);
        batch.lines.push(scanned);
        if batch.lines.len() >= LINES_PER_BATCH || batch.data.len() >= BATCH_BYTES {
            let mut next = sink.spare().unwrap_or_default();
            next.reset(summary.lines + 1);
            if !sink.send(std::mem::replace(&mut batch, next)) {
                return summary;
            }
        }
    }
    if !batch.lines.is_empty() {
        sink.send(batch);
    }
    summary
}

/// The line that `batch.data` holds from `start` on.
fn scan_line(
    batch: &mut Batch,
    start: usize,
    truncated: bool,
    rid_param: &str,
    summary: &mut ScanSummary,
) -> Scanned {
    let line = &batch.data[start..];
    if line.iter().all(u8::is_ascii_whitespace) {
        return Scanned::Blank;
    }
    if truncated {
        let message = batch.message(format!("the line is longer than {MAX_LINE} bytes"));
        return Scanned::Failed(message);
    }
    let parsed = match combined_line::parse(line) {
        Ok(p) => p,
        Err(why) => {
            let text = String::from_utf8_lossy(line);
            let message = format!(
                "not a common/combined log line ({why}): {}",
                line_excerpt(&text)
            );
            return Scanned::Failed(batch.message(message));
        }
    };
    let Some(rid) = query::param(parsed.target, rid_param) else {
        count_keys(&mut summary.keys_seen, parsed.target);
        return Scanned::NotAnAccess;
    };
    summary.with_rid += 1;
    let span = |field: &[u8]| {
        let offset = field.as_ptr() as usize - batch.data.as_ptr() as usize;
        Span::of(offset..offset + field.len())
    };
    let path = query::path_of(parsed.target);
    let screen = screen_of(parsed.target);
    let mut request = Request {
        host: span(parsed.host),
        host_v4: plain_ipv4(parsed.host),
        method: span(parsed.method),
        path: span(path),
        status: span(parsed.status),
        user_agent: parsed.user_agent.map(span),
        forwarded: parsed.forwarded.map(span),
        rid: Span::default(),
        time: parse_clf(parsed.time),
        time_text: span(parsed.time),
        screen: Ok(None),
        event: event_of(parsed.method, path),
    };
    request.rid = match rid {
        Cow::Borrowed(raw) => span(raw),
        Cow::Owned(decoded) => {
            // Decoded bytes differ from the line's: they go after it.
            let at = batch.data.len();
            batch.data.extend_from_slice(&decoded);
            Span::of(at..at + decoded.len())
        }
    };
    request.screen = screen.map_err(|reason| batch.message(reason));
    Scanned::Access(request)
}

/// Remembers which query parameters requests without the rid had, for the
/// error that names them.
fn count_keys(keys_seen: &mut HashMap<Vec<u8>, u64>, target: &[u8]) {
    for (key, _) in query::params(target) {
        if let Some(n) = keys_seen.get_mut(key) {
            *n += 1;
        } else if keys_seen.len() < MAX_KEYS_SEEN {
            keys_seen.insert(key.to_vec(), 1);
        }
    }
}

/// GoPhish's routes decide first (`/track` is the open pixel, `/report` the
/// report button, whatever the method); elsewhere a POST is a form submission.
fn event_of(method: &[u8], path: &[u8]) -> Event {
    let path = path.strip_suffix(b"/").unwrap_or(path);
    if path.ends_with(b"/track") {
        Event::Open
    } else if path.ends_with(b"/report") {
        Event::Report
    } else if method.eq_ignore_ascii_case(b"POST") {
        Event::Submit
    } else {
        Event::Click
    }
}

/// `screen=WxH` or `sw`/`sh` in the query; nonsense is an error (the row
/// is kept, its screen left blank).
fn screen_of(target: &[u8]) -> Result<Option<Screen>, String> {
    if !target.contains(&b'?') {
        return Ok(None);
    }
    let text = |b: Option<Cow<'_, [u8]>>| -> Option<String> {
        b.map(|v| String::from_utf8_lossy(&v).into_owned())
    };
    if let Some(s) = text(query::param(target, "screen")) {
        parse_screen(&s)
    } else {
        match (
            text(query::param(target, "sw")),
            text(query::param(target, "sh")),
        ) {
            (Some(w), Some(h)) => screen_from_parts(&w, &h),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_decide_the_event() {
        assert_eq!(event_of(b"GET", b"/login"), Event::Click);
        assert_eq!(event_of(b"HEAD", b"/"), Event::Click);
        assert_eq!(event_of(b"POST", b"/login"), Event::Submit);
        assert_eq!(event_of(b"GET", b"/track"), Event::Open);
        assert_eq!(event_of(b"GET", b"/x/track/"), Event::Open);
        assert_eq!(event_of(b"POST", b"/report"), Event::Report);
        assert_eq!(event_of(b"GET", b"/tracker"), Event::Click);
    }
}
