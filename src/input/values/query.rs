//! URL request targets: the path, and the query's parameters percent-decoded.

use std::borrow::Cow;

use memchr::{memchr, memchr2, memmem};
use percent_encoding::percent_decode;

/// The path of a request target, without query; absolute-form targets
/// (`http://host/path?…`, as proxies log them) lose the scheme and host.
pub fn path_of(target: &[u8]) -> &[u8] {
    let end = memchr2(b'?', b'#', target).unwrap_or(target.len());
    let path = &target[..end];
    match memmem::find(path, b"://") {
        Some(scheme_end) => {
            let after = &path[scheme_end + 3..];
            match memchr(b'/', after) {
                Some(slash) => &after[slash..],
                None => b"/",
            }
        }
        None => path,
    }
}

/// The query's `key=value` pairs, still encoded.
pub fn params(target: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let query = match memchr(b'?', target) {
        Some(q) => {
            let rest = &target[q + 1..];
            let end = memchr(b'#', rest).unwrap_or(rest.len());
            &rest[..end]
        }
        None => &[][..],
    };
    query
        .split(|&b| b == b'&' || b == b';')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match memchr(b'=', pair) {
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
    if memchr(b'+', raw).is_none() {
        return percent_decode(raw).into();
    }
    // `+` first: a `%2B` decodes to a plus that must stay one.
    let spaced: Vec<u8> = raw
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    Cow::Owned(percent_decode(&spaced).collect())
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
        assert_eq!(decode(b"a+%2B+b").as_ref(), b"a + b");
        assert!(matches!(decode(b"plain"), Cow::Borrowed(_)));
    }
}
