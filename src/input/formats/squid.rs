//! Squid's `access.log`, in its native format
//! (`time elapsed client code/status bytes method URL user hierarchy type`)
//! and in the common/combined variants (`logformat common`/`combined`: an
//! Apache-like line whose request holds an absolute URL or a `CONNECT`, with
//! `TCP_MISS:HIER_DIRECT` at the end). Every request becomes a
//! [`ProxyRecord`]; which of them reached the landing page is decided later,
//! by the correlation.

use std::io::BufRead;

use crate::input::bytes::lines::{LineReader, MAX_LINE};
use crate::input::error::LoadError;
use crate::input::file_ctx::{FileCtx, excerpt, line_excerpt};
use crate::input::formats::combined_line;
use crate::input::formats::proxy_url;
use crate::input::values::fields::parse_ip;
use crate::input::values::timestamp::parse_clf;
use crate::model::{ProxyRecord, Sym, Timestamp};

/// Whether a line is in Squid's native format: epoch seconds with
/// milliseconds, elapsed milliseconds, a client address and `CODE/status`.
pub fn is_native_line(line: &[u8]) -> bool {
    native_shape(line).is_some_and(|client| parse_ip(&String::from_utf8_lossy(client)).is_ok())
}

/// The client field of a line shaped like Squid's native format (epoch
/// time, elapsed milliseconds, client, `CODE/status`), whatever it holds.
fn native_shape(line: &[u8]) -> Option<&[u8]> {
    let mut fields = line.split(|&b| b == b' ').filter(|f| !f.is_empty());
    let (time, elapsed, client, code) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    (is_epoch(time) && elapsed.iter().all(u8::is_ascii_digit) && code.contains(&b'/'))
        .then_some(client)
}

/// Whether an Apache-looking line is a proxy's: the request names an
/// absolute URL or is a `CONNECT` (a web server's log holds paths).
pub fn is_common_line(line: &[u8]) -> bool {
    combined_line::parse(line).is_ok_and(|l| {
        l.method.eq_ignore_ascii_case(b"CONNECT")
            || l.target.starts_with(b"http://")
            || l.target.starts_with(b"https://")
            || l.target.starts_with(b"ftp://")
    })
}

fn is_epoch(b: &[u8]) -> bool {
    match b.iter().position(|&c| c == b'.') {
        Some(dot) => {
            (9..=10).contains(&dot)
                && b[..dot].iter().all(u8::is_ascii_digit)
                && b[dot + 1..].iter().all(u8::is_ascii_digit)
        }
        None => false,
    }
}

/// One line's fields, whichever variant it was in.
struct Fields<'a> {
    time: Result<Timestamp, String>,
    client: &'a [u8],
    user: &'a [u8],
    method: &'a [u8],
    url: &'a [u8],
}

pub fn read(ctx: &mut FileCtx<'_>, input: impl BufRead, rid_param: &str) -> Result<(), LoadError> {
    let mut lines = LineReader::new(input);
    let mut buf = Vec::with_capacity(1024);
    let mut line_no: u64 = 0;
    let mut last_user: (Vec<u8>, Sym) = (Vec::new(), Sym::EMPTY);
    let mut last_host: (String, Sym) = (String::new(), Sym::EMPTY);
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
            let reason = format!("the line is longer than {MAX_LINE} bytes");
            ctx.fail(line_no, None, reason);
            continue;
        }
        let Some(fields) = split_line(&buf) else {
            let text = String::from_utf8_lossy(&buf);
            let reason = format!(
                "not a Squid access.log line (native: `time elapsed client code/status bytes \
                 method URL user …`, or common/combined): {}",
                line_excerpt(&text)
            );
            ctx.fail(line_no, None, reason);
            continue;
        };
        let time = match fields.time {
            Ok(t) => t,
            Err(reason) => {
                ctx.fail(line_no, Some("time"), reason);
                continue;
            }
        };
        let client_text = String::from_utf8_lossy(fields.client);
        let client = match parse_ip(&client_text) {
            Ok(ip) => ip.to_canonical(),
            Err(reason) => {
                ctx.fail(line_no, Some("client"), reason);
                continue;
            }
        };
        let url = if fields.method.eq_ignore_ascii_case(b"CONNECT") {
            // `CONNECT host:443`: the host alone, never a path.
            proxy_url::split(fields.url, rid_param).map(|mut u| {
                u.path = None;
                u.rid = None;
                u
            })
        } else {
            proxy_url::split(fields.url, rid_param)
        };
        let Some(url) = url else {
            let text = String::from_utf8_lossy(fields.url);
            let reason = format!("{} names no host", excerpt(&text));
            ctx.fail(line_no, Some("url"), reason);
            continue;
        };
        let user = if fields.user == b"-" || fields.user.is_empty() {
            Sym::EMPTY
        } else if last_user.0 == fields.user {
            last_user.1
        } else {
            let text = ctx.decoder.decode(fields.user, line_no);
            let text = percent_decoded(&text);
            let sym = ctx.campaign.strings.intern(&text);
            last_user = (fields.user.to_vec(), sym);
            sym
        };
        let host = if last_host.0 == url.host {
            last_host.1
        } else {
            let sym = ctx.campaign.strings.intern(&url.host);
            last_host = (url.host.clone(), sym);
            sym
        };
        let path = match url.path {
            Some(p) => {
                let text = ctx.decoder.decode(p, line_no);
                ctx.campaign.strings.intern(&text)
            }
            None => Sym::EMPTY,
        };
        let rid = match &url.rid {
            Some(r) => {
                let text = ctx.decoder.decode(r, line_no);
                ctx.campaign.strings.intern(&text)
            }
            None => Sym::EMPTY,
        };
        ctx.push_proxy(ProxyRecord {
            time,
            client,
            user,
            host,
            path,
            rid,
            file: ctx.file,
            line: u32::try_from(line_no).unwrap_or(u32::MAX),
        });
    }
    Ok(())
}

/// Squid writes a user name with `%`-escapes (`CORP%5Ctanaka`).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn split_line(line: &[u8]) -> Option<Fields<'_>> {
    if native_shape(line).is_some() {
        let fields: Vec<&[u8]> = line
            .split(|&b| b == b' ')
            .filter(|f| !f.is_empty())
            .collect();
        if fields.len() < 7 {
            return None;
        }
        let time_text = String::from_utf8_lossy(fields[0]);
        let time = epoch(&time_text)
            .ok_or_else(|| format!("{} is not epoch seconds", excerpt(&time_text)));
        return Some(Fields {
            time,
            client: fields[2],
            user: fields.get(7).copied().unwrap_or(b"-"),
            method: fields[5],
            url: fields[6],
        });
    }
    let parsed = combined_line::parse(line).ok()?;
    // `%>a %[ui %[un [%tl]`: the user is the second token before the time.
    let open = memchr::memchr(b'[', line)?;
    let user = line[parsed.host.len()..open]
        .split(|&b| b == b' ')
        .filter(|t| !t.is_empty())
        .nth(1)
        .unwrap_or(b"-");
    let time = parse_clf(parsed.time).map_err(|e| {
        let text = String::from_utf8_lossy(parsed.time);
        format!("{} {}", excerpt(&text), e.describe())
    });
    Some(Fields {
        time,
        client: parsed.host,
        user,
        method: parsed.method,
        url: parsed.target,
    })
}

fn epoch(text: &str) -> Option<Timestamp> {
    let (seconds, millis) = text.split_once('.')?;
    let seconds: i64 = seconds.parse().ok()?;
    let digits = millis.len().min(9);
    let frac: i64 = millis.get(..digits)?.parse().ok()?;
    let nanos = frac * 10i64.pow(9 - digits as u32);
    Some(Timestamp::from_nanos(
        seconds.checked_mul(1_000_000_000)?.checked_add(nanos)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_squid_lines_from_web_server_lines() {
        assert!(is_native_line(
            b"1796288405.123    532 10.1.2.3 TCP_MISS/200 1234 GET http://l.example/?rid=a - HIER_DIRECT/203.0.113.5 text/html"
        ));
        assert!(!is_native_line(
            b"203.0.113.9 - - [10/Oct/2026:13:55:36 +0900] \"GET / HTTP/1.1\" 200 5"
        ));
        assert!(is_common_line(
            b"10.1.2.3 - tanaka [03/Dec/2026:09:00:05 +0900] \"GET http://l.example/?rid=a HTTP/1.1\" 200 1234 TCP_MISS:HIER_DIRECT"
        ));
        assert!(is_common_line(
            b"10.1.2.3 - - [03/Dec/2026:09:00:05 +0900] \"CONNECT l.example:443 HTTP/1.1\" 200 1234 TCP_TUNNEL:HIER_DIRECT"
        ));
        assert!(!is_common_line(
            b"203.0.113.9 - - [10/Oct/2026:13:55:36 +0900] \"GET /?rid=a HTTP/1.1\" 200 5"
        ));
    }

    #[test]
    fn reads_epoch_milliseconds() {
        assert_eq!(
            epoch("1796288405.123"),
            Some(Timestamp::from_nanos(1_796_288_405_123_000_000))
        );
        assert_eq!(epoch("17x.1"), None);
    }
}
