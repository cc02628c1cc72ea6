//! URL request targets: the path, and the query's parameters percent-decoded.

use std::borrow::Cow;

/// The path of a request target, without query; absolute-form targets
/// (`http://host/path?…`, as proxies log them) lose the scheme and host.
pub fn path_of(target: &[u8]) -> &[u8] {
    let end = target
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(target.len());
    let path = &target[..end];
    match find(path, b"://") {
        Some(scheme_end) => {
            let after = &path[scheme_end + 3..];
            match after.iter().position(|&b| b == b'/') {
                Some(slash) => &after[slash..],
                None => b"/",
            }
        }
        None => path,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The query's `key=value` pairs, still encoded.
pub fn params(target: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let query = match target.iter().position(|&b| b == b'?') {
        Some(q) => {
            let rest = &target[q + 1..];
            let end = rest.iter().position(|&b| b == b'#').unwrap_or(rest.len());
            &rest[..end]
        }
        None => &[][..],
    };
    query
        .split(|&b| b == b'&' || b == b';')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => (pair, &[][..]),
        })
}

/// The first value of parameter `name`, decoded.
pub fn param<'a>(target: &'a [u8], name: &str) -> Option<Cow<'a, [u8]>> {
    params(target)
        .find(|(key, _)| key_is(key, name))
        .map(|(_, value)| decode(value))
}

/// Whether an encoded key decodes to `name`.
pub fn key_is(key: &[u8], name: &str) -> bool {
    key == name.as_bytes() || decode(key).as_ref() == name.as_bytes()
}

/// Form decoding: `%XX` becomes the byte and `+` a space; a malformed `%`
/// stays as it is.
pub fn decode(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.iter().any(|&b| b == b'%' || b == b'+') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_path_and_query() {
        assert_eq!(path_of(b"/login?rid=abc"), b"/login");
        assert_eq!(path_of(b"http://example.com/track?rid=1"), b"/track");
        assert_eq!(path_of(b"https://example.com"), b"/");
        assert_eq!(path_of(b"/"), b"/");
        let got: Vec<_> = params(b"/?a=1&rid=x%20y;b&c=#frag").collect();
        assert_eq!(
            got,
            vec![
                (&b"a"[..], &b"1"[..]),
                (&b"rid"[..], &b"x%20y"[..]),
                (&b"b"[..], &b""[..]),
                (&b"c"[..], &b""[..])
            ]
        );
    }

    #[test]
    fn finds_and_decodes_params() {
        assert_eq!(
            param(b"/?rid=Uep6fAo", "rid").as_deref(),
            Some(&b"Uep6fAo"[..])
        );
        assert_eq!(
            param(b"/x?id=1&r%69d=a%2Bb+c", "rid").as_deref(),
            Some(&b"a+b c"[..])
        );
        assert_eq!(param(b"/x?rid2=1", "rid"), None);
        assert_eq!(param(b"/x", "rid"), None);
        assert_eq!(decode(b"100%").as_ref(), b"100%");
        assert_eq!(decode(b"%zz%4").as_ref(), b"%zz%4");
        assert_eq!(decode(b"%e6%97%a5").as_ref(), "日".as_bytes());
    }
}
