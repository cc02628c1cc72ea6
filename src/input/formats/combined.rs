//! Apache/nginx access logs of the landing page. Only requests carrying the
//! recipient parameter are accesses; the page's CSS, images and favicon are
//! not, and neither are scans of other paths.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;
use std::net::IpAddr;

use crate::fasthash::FastMap;
use crate::model::{Access, Event, IpId, Sym, recipient_raw};

use crate::input::bytes::pipelined::pipelined;
use crate::input::cache::Memo;
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt};
use crate::input::formats::combined_line;
use crate::input::formats::combined_scan::{self, Batch, Request, Scanned};
use crate::input::recipients::{mark_reported, resolve};
use crate::input::values::fields::parse_ip;
use crate::input::values::forwarded::{ForwardedMemo, TrustedProxies};

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
    /// Plain IPv4 hosts (most of them), by their 4 bytes: a smaller table
    /// than the raw-bytes memo, so fewer cache misses a row.
    v4: FastMap<u32, IpId>,
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
    /// Applies a batch of scanned lines to the campaign, in order.
    fn apply(&mut self, ctx: &mut FileCtx<'_>, batch: &mut Batch) -> Result<(), LoadError> {
        for (line, scanned) in (batch.first_line..).zip(&batch.lines) {
            ctx.row_seen()?;
            match scanned {
                Scanned::Blank => ctx.row_was_blank(),
                Scanned::Failed(message) => {
                    ctx.fail(line, None, std::mem::take(&mut batch.messages[*message]));
                }
                Scanned::NotAnAccess => {}
                Scanned::Access(request) => {
                    self.access(ctx, &batch.data, request, &mut batch.messages, line);
                }
            }
        }
        Ok(())
    }

    /// A request that carries the recipient parameter.
    fn access(
        &mut self,
        ctx: &mut FileCtx<'_>,
        data: &[u8],
        request: &Request,
        messages: &mut [String],
        line: u64,
    ) {
        let host = request.host.of_data(data);
        let known = match request.host_v4 {
            Some(v4) => Some(
                *self
                    .v4
                    .entry(u32::from(v4))
                    .or_insert_with(|| ctx.campaign.intern_ip(IpAddr::V4(v4))),
            ),
            None => self.ids.ips.get(host),
        };
        let ip = match known {
            Some(id) => id,
            None => {
                let host_text = String::from_utf8_lossy(host);
                match parse_ip(&host_text) {
                    Ok(ip) => {
                        let id = ctx.campaign.intern_ip(ip);
                        self.ids.ips.insert(host, id);
                        id
                    }
                    Err(reason) => {
                        let names_host = host_text.bytes().any(|b| b.is_ascii_alphabetic())
                            && !host_text.contains(':');
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
        let forwarded = request.forwarded.map_or(&b""[..], |f| f.of_data(data));
        let ip = self.forwarded.address(
            ctx,
            self.trusted,
            ip,
            &combined_line::unescape(forwarded),
            (line, "forwarded_for"),
        );
        let time = match request.time {
            Ok(t) => t,
            Err(e) => {
                let text = String::from_utf8_lossy(request.time_text.of_data(data));
                ctx.fail(
                    line,
                    Some("time"),
                    format!("{} {}", excerpt(&text), e.describe()),
                );
                return;
            }
        };
        let screen = request.screen.unwrap_or_else(|message| {
            ctx.warn(line, Some("screen"), std::mem::take(&mut messages[message]));
            None
        });
        let rid = request.rid.of_data(data);
        let recipient = self.ids.recipient(b"", rid, || {
            resolve(ctx.campaign, "", &ctx.decoder.decode(rid, line))
        });
        if let (Some(id), Event::Report) = (recipient, request.event) {
            mark_reported(ctx.campaign, id);
        }
        let raw_ua = request.user_agent.map_or(&b""[..], |u| u.of_data(data));
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
        let method = self.method.get(ctx, request.method.of_data(data), line);
        let path = self.path.get(ctx, request.path.of_data(data), line);
        let status = self.status.get(ctx, request.status.of_data(data), line);
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
            event: request.event,
        });
    }
}

pub fn read(
    ctx: &mut FileCtx<'_>,
    input: impl BufRead,
    rid_param: &str,
    trusted: &TrustedProxies,
) -> Result<(), LoadError> {
    read_lines(ctx, input, rid_param, trusted, true)
}

/// [`read`], on one thread or two.
fn read_lines(
    ctx: &mut FileCtx<'_>,
    mut input: impl BufRead,
    rid_param: &str,
    trusted: &TrustedProxies,
    threaded: bool,
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
    let mut reader = Reader {
        ids: Memo::default(),
        v4: FastMap::default(),
        method: LastSym::default(),
        path: LastSym::default(),
        status: LastSym::default(),
        forwarded: ForwardedMemo::default(),
        trusted,
        shows_forwarded,
    };
    let (scanned, applied) = pipelined(
        threaded,
        |sink| combined_scan::scan(input, rid_param, sink),
        |batch| reader.apply(ctx, batch),
    );
    applied?;
    if let Some(source) = scanned.error {
        return Err(LoadError::Io {
            file: ctx.name.to_string(),
            source,
        });
    }
    if scanned.with_rid == 0 && scanned.lines > 0 {
        return Err(no_recipient_parameter(
            ctx.name,
            rid_param,
            scanned.keys_seen,
        ));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::formats::both_ways::{self, contents};
    use crate::model::{Campaign, LogFormat};

    /// Every kind of line the reader meets: accesses, page assets, a
    /// forwarded client, a bad host, time, screen and forwarded value, an
    /// encoded rid, stray bytes, a line that is no log line, blank lines.
    fn messy_log(copies: usize) -> Vec<u8> {
        let mut log = Vec::new();
        for i in 0..copies {
            let ip = format!("198.51.{}.{}", i % 200, i % 250);
            let lines = [
                format!(
                    "{ip} - - [01/Oct/2026:09:{:02}:00 +0900] \"GET /?rid=R{i:05}&screen=1920x1080 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0 (Windows NT 10.0) Chrome/140.0\" \"-\"",
                    i % 60
                ),
                format!("{ip} - - [01/Oct/2026:09:00:01 +0900] \"GET /site.css HTTP/1.1\" 200 99 \"-\" \"curl/8.0\" \"-\""),
                "10.0.0.5 - - [01/Oct/2026:09:00:02 +0900] \"POST /login?rid=R%2041 HTTP/1.1\" 302 0 \"-\" \"python-requests/2.31\" \"203.0.113.9, 10.0.0.1\"".to_string(),
                "host.example - - [01/Oct/2026:09:00:03 +0900] \"GET /?rid=R1 HTTP/1.1\" 200 1 \"-\" \"x\" \"-\"".to_string(),
                "198.51.100.1 - - [99/Oct/2026:09:00:03 +0900] \"GET /?rid=R2 HTTP/1.1\" 200 1 \"-\" \"x\" \"-\"".to_string(),
                "198.51.100.1 - - [01/Oct/2026:09:00:04 +0900] \"GET /track?rid=R3&sw=0&sh=abc HTTP/1.1\" 200 1 \"-\" \"x \\\"quoted\\\"\" \"-\"".to_string(),
                "10.0.0.6 - - [01/Oct/2026:09:00:05 +0900] \"GET /?rid=R4 HTTP/1.1\" 200 1 \"-\" \"x\" \"unknown-host\"".to_string(),
                "garbage without fields".to_string(),
                "   ".to_string(),
                String::new(),
            ];
            for line in lines {
                log.extend_from_slice(line.as_bytes());
                log.extend_from_slice(if i % 2 == 0 { b"\n" } else { b"\r\n" });
            }
            log.extend_from_slice(b"198.51.100.2 - - [01/Oct/2026:09:00:06 +0900] \"GET /?rid=R\xff5 HTTP/1.1\" 200 1 \"-\" \"bad \xfe agent\" \"-\"\n");
        }
        log
    }

    fn read_both_ways(log: &[u8]) -> [(Result<(), String>, Campaign); 2] {
        both_ways::read(LogFormat::Combined, |ctx, threaded| {
            read_lines(ctx, log, "rid", &TrustedProxies::default(), threaded)
        })
    }

    #[test]
    fn two_threads_read_exactly_what_one_does() {
        // 3,000 copies: many batches, so lines meet across batch boundaries.
        let log = messy_log(3_000);
        let [(one_read, one), (two_read, two)] = read_both_ways(&log);
        assert_eq!(one_read, Ok(()));
        assert_eq!(two_read, Ok(()));
        assert_eq!(one.accesses.len(), 3_000 * 5, "{:?}", &one.issues[..5]);
        // Each copy: bad host, bad time, not a log line, bad screen, bad
        // forwarded value (once: it is remembered), stray bytes noted at the end.
        assert!(one.issues.len() >= 3_000 * 4, "{}", one.issues.len());
        assert_eq!(contents(&one), contents(&two));
    }

    #[test]
    fn an_error_reads_the_same_both_ways() {
        let bad_hosts =
            "x - - [01/Oct/2026:09:00:00 +0900] \"GET /?rid=1 HTTP/1.1\" 200 1\n".repeat(4);
        let [(one, _), (two, _)] = read_both_ways(bad_hosts.as_bytes());
        let one = one.unwrap_err();
        assert!(one.contains("4 of 4 rows failed"), "{one}");
        assert_eq!(Err(one), two);
        let no_rid = b"198.51.100.1 - - [01/Oct/2026:09:00:00 +0900] \"GET /?id=1 HTTP/1.1\" 200 1 \"-\" \"x\"\n";
        let [(one, _), (two, _)] = read_both_ways(no_rid);
        assert!(one.clone().unwrap_err().contains("id"), "{one:?}");
        assert_eq!(one, two);
    }
}
