//! Apache/nginx access logs of the landing page. Only requests carrying the
//! recipient parameter are accesses; the page's CSS, images and favicon are
//! not, and neither are scans of other paths.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

use crate::model::{Access, Event, Screen, Sym, recipient_raw};

use crate::input::bytes::lines::{LineReader, MAX_LINE};
use crate::input::cache::Memo;
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::formats::combined_line::{self, LogLine};
use crate::input::recipients::{mark_reported, resolve};
use crate::input::values::fields::{parse_ip, parse_screen, screen_from_parts};
use crate::input::values::forwarded::{ForwardedMemo, TrustedProxies};
use crate::input::values::query;
use crate::input::values::timestamp::parse_clf;

/// Query keys remembered for the "no rid anywhere" message.
const MAX_KEYS_SEEN: usize = 64;

/// The symbol of the last value seen in a column that rarely changes
/// (method, status, path), so most rows skip the interner's hashing.
#[derive(Default)]
struct LastSym {
    key: Vec<u8>,
    sym: Option<Sym>,
}

impl LastSym {
    fn get(&mut self, ctx: &mut FileCtx<'_>, bytes: &[u8], line: u64) -> Sym {
        if let Some(sym) = self.sym
            && self.key == bytes
        {
            return sym;
        }
        let text = ctx.decoder.decode(bytes, line);
        let sym = ctx.campaign.strings.intern(&text);
        self.key.clear();
        self.key.extend_from_slice(bytes);
        self.sym = Some(sym);
        sym
    }
}

/// The per-file state of the access-log reader.
struct Reader<'o> {
    ids: Memo,
    method: LastSym,
    path: LastSym,
    status: LastSym,
    forwarded: ForwardedMemo,
    trusted: &'o TrustedProxies,
    /// The log carries X-Forwarded-For (seen in its first lines), so each
    /// access keeps the raw value as an extra column.
    shows_forwarded: bool,
}

impl Reader<'_> {
    /// A request that carries the recipient parameter (`rid`, still encoded).
    fn access(&mut self, ctx: &mut FileCtx<'_>, parsed: &LogLine<'_>, rid: &[u8], line: u64) {
        let ip = match self.ids.ips.get(parsed.host) {
            Some(id) => id,
            None => {
                let host = String::from_utf8_lossy(parsed.host);
                match parse_ip(&host) {
                    Ok(ip) => {
                        let id = ctx.campaign.intern_ip(ip);
                        self.ids.ips.insert(parsed.host, id);
                        id
                    }
                    Err(reason) => {
                        let names_host =
                            host.bytes().any(|b| b.is_ascii_alphabetic()) && !host.contains(':');
                        let hint = if names_host {
                            " (the server logs host names; log addresses instead, e.g. Apache HostnameLookups Off)"
                        } else {
                            ""
                        };
                        ctx.fail(line, Some("host"), format!("{reason}{hint}"));
                        return;
                    }
                }
            }
        };
        let forwarded = parsed.forwarded.unwrap_or_default();
        let ip = self.forwarded.address(
            ctx,
            self.trusted,
            ip,
            &combined_line::unescape(forwarded),
            (line, "forwarded_for"),
        );
        let time = match parse_clf(parsed.time) {
            Ok(t) => t,
            Err(e) => {
                let text = String::from_utf8_lossy(parsed.time);
                ctx.fail(
                    line,
                    Some("time"),
                    format!("{} {}", excerpt(&text), e.describe()),
                );
                return;
            }
        };
        let path = query::path_of(parsed.target);
        let event = event_of(parsed.method, path);
        let screen = screen_of(ctx, parsed.target, line);
        let recipient = self.ids.recipient(b"", rid, || {
            resolve(ctx.campaign, "", &ctx.decoder.decode(rid, line))
        });
        if let (Some(id), Event::Report) = (recipient, event) {
            mark_reported(ctx.campaign, id);
        }
        let raw_ua = parsed.user_agent.unwrap_or_default();
        let user_agent = match self.ids.agents.get(raw_ua) {
            Some(id) => id,
            None => {
                let ua = if raw_ua == b"-" {
                    Cow::Borrowed(&b""[..])
                } else {
                    combined_line::unescape(raw_ua)
                };
                let id = ctx
                    .campaign
                    .intern_user_agent(&ctx.decoder.decode(&ua, line));
                self.ids.agents.insert(raw_ua, id);
                id
            }
        };
        let method = self.method.get(ctx, parsed.method, line);
        let path = self.path.get(ctx, path, line);
        let status = self.status.get(ctx, parsed.status, line);
        let start = ctx.campaign.extra_values.len() as u32;
        // The same as `push_extras`, minus turning symbols back into text.
        ctx.campaign.extra_values.extend([path, status]);
        if self.shows_forwarded {
            let text = match forwarded {
                b"-" => Cow::Borrowed(""),
                raw => ctx.decoder.decode(raw, line),
            };
            let sym = ctx.campaign.strings.intern(&text);
            ctx.campaign.extra_values.push(sym);
        }
        ctx.push_access(Access {
            time,
            ip,
            user_agent,
            recipient_raw: recipient_raw(recipient),
            method,
            extra: start,
            row: u32::try_from(line).unwrap_or(u32::MAX),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            screen,
            file: ctx.file,
            event,
        });
    }
}

pub fn read(
    ctx: &mut FileCtx<'_>,
    mut input: impl BufRead,
    rid_param: &str,
    trusted: &TrustedProxies,
) -> Result<(), LoadError> {
    let shows_forwarded =
        has_forwarded_field(input.fill_buf().map_err(|source| LoadError::Io {
            file: ctx.name.to_string(),
            source,
        })?);
    let mut columns = vec![
        ctx.campaign.strings.intern("path"),
        ctx.campaign.strings.intern("status"),
    ];
    if shows_forwarded {
        columns.push(ctx.campaign.strings.intern("forwarded_for"));
    }
    if let Some(file) = ctx.campaign.files.get_mut(usize::from(ctx.file)) {
        file.extra_columns = columns;
    }
    let mut lines = LineReader::new(input);
    let mut buf = Vec::with_capacity(1024);
    let mut reader = Reader {
        ids: Memo::default(),
        method: LastSym::default(),
        path: LastSym::default(),
        status: LastSym::default(),
        forwarded: ForwardedMemo::default(),
        trusted,
        shows_forwarded,
    };
    let mut keys_seen: HashMap<Vec<u8>, u64> = HashMap::new();
    let mut with_rid: u64 = 0;
    let mut line_no: u64 = 0;
    loop {
        let truncated = match lines.next_line(&mut buf) {
            Ok(Some(t)) => t,
            Ok(None) => break,
            Err(source) => {
                return Err(LoadError::Io {
                    file: ctx.name.to_string(),
                    source,
                });
            }
        };
        line_no += 1;
        ctx.row_seen()?;
        if buf.iter().all(u8::is_ascii_whitespace) {
            ctx.row_was_blank();
            continue;
        }
        if truncated {
            ctx.fail(
                line_no,
                None,
                format!("the line is longer than {MAX_LINE} bytes"),
            );
            continue;
        }
        let parsed = match combined_line::parse(&buf) {
            Ok(p) => p,
            Err(why) => {
                let text = String::from_utf8_lossy(&buf);
                ctx.fail(
                    line_no,
                    None,
                    format!(
                        "not a common/combined log line ({why}): {}",
                        line_excerpt(&text)
                    ),
                );
                continue;
            }
        };
        let Some(rid) = query::param(parsed.target, rid_param) else {
            count_keys(&mut keys_seen, parsed.target);
            continue;
        };
        with_rid += 1;
        reader.access(ctx, &parsed, &rid, line_no);
    }
    if with_rid == 0 && line_no > 0 {
        return Err(no_recipient_parameter(ctx.name, rid_param, keys_seen));
    }
    Ok(())
}

/// Whether the lines at the start of the log (what the buffer holds) carry
/// a forwarded-for field with a value, so the column is worth showing.
fn has_forwarded_field(start: &[u8]) -> bool {
    start
        .split(|&b| b == b'\n')
        .take(1_000)
        .filter_map(|line| combined_line::parse(line).ok())
        .any(|l| l.forwarded.is_some_and(|f| !f.is_empty() && f != b"-"))
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

fn no_recipient_parameter(
    file: &str,
    rid_param: &str,
    keys_seen: HashMap<Vec<u8>, u64>,
) -> LoadError {
    let mut keys: Vec<(Vec<u8>, u64)> = keys_seen.into_iter().collect();
    keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let names: Vec<String> = keys
        .iter()
        .take(8)
        .map(|(k, _)| excerpt(&String::from_utf8_lossy(k)))
        .collect();
    let seen = if names.is_empty() {
        "no request had a query string".to_string()
    } else {
        format!("query parameters seen: {}", names.join(", "))
    };
    LoadError::NoRecipientParameter {
        file: file.to_string(),
        param: rid_param.to_string(),
        seen,
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

/// `screen=WxH` or `sw`/`sh` in the query; nonsense is reported and left blank.
fn screen_of(ctx: &mut FileCtx<'_>, target: &[u8], line: u64) -> Option<Screen> {
    if !target.contains(&b'?') {
        return None;
    }
    let text = |b: Option<std::borrow::Cow<'_, [u8]>>| -> Option<String> {
        b.map(|v| String::from_utf8_lossy(&v).into_owned())
    };
    let result = if let Some(s) = text(query::param(target, "screen")) {
        parse_screen(&s)
    } else {
        match (
            text(query::param(target, "sw")),
            text(query::param(target, "sh")),
        ) {
            (Some(w), Some(h)) => screen_from_parts(&w, &h),
            _ => return None,
        }
    };
    result.unwrap_or_else(|reason| {
        ctx.warn(line, Some("screen"), reason);
        None
    })
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
