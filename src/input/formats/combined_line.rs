//! One line of an Apache/nginx access log in common or combined format:
//! `%h %l %u %t "%r" %>s %b ["%{Referer}i" "%{User-agent}i"]`, split without
//! regexes or allocation. A quoted field right after the User-Agent is taken
//! as X-Forwarded-For (nginx's stock `main` format); other extras are ignored.

use std::borrow::Cow;

use memchr::{memchr, memchr2};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine<'a> {
    pub host: &'a [u8],
    /// Between the brackets: `10/Oct/2026:13:55:36 +0900`.
    pub time: &'a [u8],
    /// The request line as logged, still escaped.
    pub request: &'a [u8],
    pub method: &'a [u8],
    /// The request target (path and query), still percent-encoded.
    pub target: &'a [u8],
    pub status: &'a [u8],
    /// Still escaped; `None` in the common format.
    pub user_agent: Option<&'a [u8]>,
    /// The quoted field after the User-Agent, still escaped: nginx's
    /// `"$http_x_forwarded_for"`. `None` when the line has none.
    pub forwarded: Option<&'a [u8]>,
}

/// Why a line is not in the format, for the issue's reason.
pub fn parse(line: &[u8]) -> Result<LogLine<'_>, &'static str> {
    let host_end = memchr(b' ', line).ok_or("line has no fields separated by spaces")?;
    let host = &line[..host_end];
    if host.is_empty() {
        return Err("line starts with a space, not a client address");
    }
    let open = memchr(b'[', &line[host_end..])
        .map(|p| host_end + p)
        .ok_or("no [time] field")?;
    let close = memchr(b']', &line[open..])
        .map(|p| open + p)
        .ok_or("the [time] field is not closed")?;
    let time = &line[open + 1..close];
    let mut rest = skip_spaces(&line[close + 1..]);
    let (request, after) = quoted(rest).ok_or("no quoted \"request\" after the time")?;
    rest = skip_spaces(after);
    let (status, after) = token(rest);
    if status.len() != 3 || !status.iter().all(u8::is_ascii_digit) {
        return Err("no 3-digit status after the request");
    }
    rest = skip_spaces(after);
    let (bytes, after) = token(rest);
    if bytes.is_empty() {
        return Err("no size after the status");
    }
    rest = skip_spaces(after);
    // Combined adds the referer and UA; common stops here.
    let (mut user_agent, mut forwarded) = (None, None);
    if let Some((_referer, after)) = quoted(rest)
        && let Some((ua, after)) = quoted(skip_spaces(after))
    {
        user_agent = Some(ua);
        forwarded = quoted(skip_spaces(after)).map(|(f, _)| f);
    }
    let mut parts = request.splitn(3, |&b| b == b' ');
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    Ok(LogLine {
        host,
        time,
        request,
        method,
        target,
        status,
        user_agent,
        forwarded,
    })
}

fn skip_spaces(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|&&c| c == b' ').count();
    &b[n..]
}

fn token(b: &[u8]) -> (&[u8], &[u8]) {
    let end = memchr(b' ', b).unwrap_or(b.len());
    (&b[..end], &b[end..])
}

/// A `"…"` field with Apache's backslash escapes left in, and what follows it.
fn quoted(b: &[u8]) -> Option<(&[u8], &[u8])> {
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while let Some(found) = memchr2(b'"', b'\\', &b[i.min(b.len())..]) {
        let at = i + found;
        if b[at] == b'"' {
            return Some((&b[1..at], &b[at + 1..]));
        }
        i = at + 2;
    }
    None
}

/// Undoes Apache's `\"` and `\\`; `\xHH` stays as written, which is how the
/// server chose to show a byte it thought unsafe.
pub fn unescape(b: &[u8]) -> Cow<'_, [u8]> {
    if memchr(b'\\', b).is_none() {
        return Cow::Borrowed(b);
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && matches!(b.get(i + 1), Some(b'"' | b'\\')) {
            out.push(b[i + 1]);
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_combined_line() {
        let line = br#"203.0.113.9 - frank [10/Oct/2026:13:55:36 +0900] "GET /login?rid=abc HTTP/1.1" 200 2326 "http://ex.com/" "Mozilla/5.0 (X) \"q\"" rt=0.001"#;
        let l = parse(line).unwrap();
        assert_eq!(l.host, b"203.0.113.9");
        assert_eq!(l.time, b"10/Oct/2026:13:55:36 +0900");
        assert_eq!(l.method, b"GET");
        assert_eq!(l.target, b"/login?rid=abc");
        assert_eq!(l.status, b"200");
        assert_eq!(l.user_agent, Some(&br#"Mozilla/5.0 (X) \"q\""#[..]));
        assert_eq!(
            unescape(l.user_agent.unwrap()).as_ref(),
            br#"Mozilla/5.0 (X) "q""#
        );
        // `rt=0.001` is not quoted: no forwarded-for.
        assert_eq!(l.forwarded, None);
    }

    #[test]
    fn takes_nginx_main_s_forwarded_for() {
        let line = br#"10.0.0.5 - - [10/Nov/2026:09:05:03 +0900] "GET /l?rid=d HTTP/1.1" 200 512 "-" "Mozilla/5.0 (iPhone)" "198.51.100.8, 10.0.0.9""#;
        let l = parse(line).unwrap();
        assert_eq!(l.user_agent, Some(&b"Mozilla/5.0 (iPhone)"[..]));
        assert_eq!(l.forwarded, Some(&b"198.51.100.8, 10.0.0.9"[..]));
    }

    #[test]
    fn reads_common_and_junk_requests() {
        let l =
            parse(b"::1 - - [10/Oct/2026:13:55:36 +0000] \"HEAD /?rid=x HTTP/1.0\" 200 -").unwrap();
        assert_eq!((l.method, l.user_agent), (&b"HEAD"[..], None));
        let l =
            parse(br#"198.51.100.7 - - [10/Oct/2026:13:55:36 +0000] "\x16\x03\x01" 400 0 "-" "-""#)
                .unwrap();
        assert_eq!(l.target, b"");
        assert_eq!(l.user_agent, Some(&b"-"[..]));
    }

    #[test]
    fn says_what_is_missing() {
        assert_eq!(
            parse(b"hello"),
            Err("line has no fields separated by spaces")
        );
        assert_eq!(parse(b"1.2.3.4 - - 10/Oct"), Err("no [time] field"));
        assert_eq!(
            parse(b"1.2.3.4 - - [x] \"GET / HTTP/1.1\" OK 1"),
            Err("no 3-digit status after the request")
        );
        assert_eq!(
            parse(b"1.2.3.4 - - [x] \"GET / HTTP/1.1"),
            Err("no quoted \"request\" after the time")
        );
    }
}
