//! What a proxy log's URL says about the landing page: its host (lower case,
//! no port), its path, and the recipient parameter when the query was
//! logged. Proxies write absolute URLs (`http://host/path?q`), bare
//! `host:443` for an HTTPS `CONNECT` they did not inspect, and gateways
//! often drop the scheme (`host/path?q`).

use std::borrow::Cow;

use crate::input::values::query;

/// The parts of a logged URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub host: String,
    /// `None` when only the host was logged.
    pub path: Option<&'a [u8]>,
    /// The recipient parameter, decoded, when the query was logged.
    pub rid: Option<Cow<'a, [u8]>>,
}

/// Splits a logged URL; `None` when it names no host at all.
pub fn split<'a>(url: &'a [u8], rid_param: &str) -> Option<UrlParts<'a>> {
    let url = url.trim_ascii();
    let after_scheme = match memchr::memmem::find(url, b"://") {
        Some(i) => &url[i + 3..],
        None if url.first() == Some(&b'/') => return None,
        None => url,
    };
    let host_end = after_scheme
        .iter()
        .position(|&b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(after_scheme.len());
    let authority = &after_scheme[..host_end];
    // `user:password@host:port`: only the host counts.
    let authority = match authority.iter().rposition(|&b| b == b'@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let host = strip_port(authority);
    if host.is_empty() || !host.iter().all(|&b| b.is_ascii_graphic()) {
        return None;
    }
    let rest = &after_scheme[host_end..];
    let path = (!rest.is_empty()).then(|| query::path_of(rest));
    let path = path.map(|p| if p.is_empty() { &b"/"[..] } else { p });
    let rid = query::param(rest, rid_param).filter(|v| !v.is_empty());
    Some(UrlParts {
        host: String::from_utf8_lossy(host).to_ascii_lowercase(),
        path,
        rid,
    })
}

fn strip_port(authority: &[u8]) -> &[u8] {
    if authority.first() == Some(&b'[') {
        // `[2001:db8::1]:443`
        let end = authority
            .iter()
            .position(|&b| b == b']')
            .unwrap_or(authority.len());
        return &authority[1..end];
    }
    match authority.iter().rposition(|&b| b == b':') {
        Some(colon) if authority[colon + 1..].iter().all(u8::is_ascii_digit) => &authority[..colon],
        _ => authority,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_spelling_proxies_log() {
        let full = split(b"http://Landing.Example.com:8080/login?rid=abc&x=1", "rid").unwrap();
        assert_eq!(full.host, "landing.example.com");
        assert_eq!(full.path, Some(&b"/login"[..]));
        assert_eq!(full.rid.as_deref(), Some(&b"abc"[..]));
        let connect = split(b"landing.example.com:443", "rid").unwrap();
        assert_eq!(connect.host, "landing.example.com");
        assert_eq!((connect.path, connect.rid), (None, None));
        let bare = split(b"landing.example.com/?rid=x%20y", "rid").unwrap();
        assert_eq!(bare.path, Some(&b"/"[..]));
        assert_eq!(bare.rid.as_deref(), Some(&b"x y"[..]));
        let stripped = split(b"https://landing.example.com/login", "rid").unwrap();
        assert_eq!((stripped.path, stripped.rid), (Some(&b"/login"[..]), None));
        assert_eq!(split(b"/relative/only", "rid"), None);
        assert_eq!(split(b"", "rid"), None);
        assert_eq!(
            split(b"http://[2001:db8::1]:443/", "rid").unwrap().host,
            "2001:db8::1"
        );
    }
}
