//! Values every format carries the same way: addresses and screen sizes.

use std::net::{IpAddr, Ipv4Addr};

use crate::model::Screen;

use crate::input::file_ctx::excerpt;

/// A client address as logs write it: plain, `[v6]`, with a `:port`, or with
/// an IPv6 zone. Lists (`a, b` from X-Forwarded-For) are refused: which hop
/// was the client is not ours to guess.
pub fn parse_ip(text: &str) -> Result<IpAddr, String> {
    let t = text.trim();
    if t.is_empty() || t == "-" {
        return Err("the address is empty".to_string());
    }
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Ok(ip);
    }
    let bad = || format!("{} is not an IP address", excerpt(t));
    let candidate = if let Some(inner) = t.strip_prefix('[') {
        inner.split(']').next().unwrap_or_default()
    } else if t.matches(':').count() == 1 {
        t.split(':').next().unwrap_or_default()
    } else {
        t
    };
    parse_address(candidate).ok_or_else(bad)
}

/// An address written as a plain dotted quad, read as [`parse_ip`] reads it;
/// `None` for anything else (a port, brackets, spaces, IPv6, a name), which
/// is left to `parse_ip`. Cheap enough for a log reader's first stage.
pub fn plain_ipv4(host: &[u8]) -> Option<Ipv4Addr> {
    if host.len() > 15 || !host.iter().all(|&b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    std::str::from_utf8(host).ok()?.parse().ok()
}

/// An address as people and tools write it: plain, in brackets (`[2001:db8::1]`),
/// or an IPv6 address with its zone (`fe80::1%eth0`; the zone names an
/// interface of the machine that wrote it and is dropped). `report`, `lookup`
/// and `kb` read addresses this one way.
pub fn parse_address(text: &str) -> Option<IpAddr> {
    let t = text.trim();
    let t = t
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(t);
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ip);
    }
    let (address, zone) = t.split_once('%')?;
    if zone.is_empty() {
        return None;
    }
    address.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
}

/// A screen column: blank or `-` is no screen, anything else must be a size.
pub fn parse_screen(text: &str) -> Result<Option<Screen>, String> {
    let t = text.trim();
    if t.is_empty() || t == "-" {
        return Ok(None);
    }
    t.parse::<Screen>().map(Some).map_err(|_| not_a_screen(t))
}

/// Width and height from separate columns or parameters (`sw`/`sh`).
pub fn screen_from_parts(width: &str, height: &str) -> Result<Option<Screen>, String> {
    let (w, h) = (width.trim(), height.trim());
    let blank = |s: &str| s.is_empty() || s == "-";
    match (blank(w), blank(h)) {
        (true, true) => Ok(None),
        _ => {
            let side = |s: &str| -> Option<u32> {
                let f = s.strip_suffix("px").unwrap_or(s).parse::<f64>().ok()?;
                (0.0..1e9).contains(&f).then(|| f.round() as u32)
            };
            let joined = || format!("{w}x{h}");
            match (side(w), side(h)) {
                (Some(w), Some(h)) => Screen::new(w, h)
                    .map(Some)
                    .map_err(|_| not_a_screen(&joined())),
                _ => Err(not_a_screen(&joined())),
            }
        }
    }
}

fn not_a_screen(t: &str) -> String {
    format!(
        "{} is not a plausible screen size (expected WIDTHxHEIGHT, e.g. 1920x1080); left blank",
        excerpt(t)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_dotted_quads_skip_the_address_parser() {
        assert_eq!(
            plain_ipv4(b"203.0.113.9"),
            Some(Ipv4Addr::new(203, 0, 113, 9))
        );
        assert_eq!(plain_ipv4(b"0.0.0.0"), Some(Ipv4Addr::UNSPECIFIED));
        for other in [
            &b"203.0.113.9:443"[..],
            b"999.1.1.1",
            b"1.2.3",
            b"2001:db8::1",
            b"host.example",
            b" 203.0.113.9",
            b"-",
            b"",
        ] {
            assert_eq!(
                plain_ipv4(other),
                None,
                "{}",
                String::from_utf8_lossy(other)
            );
        }
    }

    #[test]
    fn reads_addresses_in_log_spellings() {
        let v4: IpAddr = "203.0.113.9".parse().unwrap();
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(parse_ip(" 203.0.113.9 "), Ok(v4));
        assert_eq!(parse_ip("203.0.113.9:51234"), Ok(v4));
        assert_eq!(parse_ip("2001:db8::1"), Ok(v6));
        assert_eq!(parse_ip("[2001:db8::1]:443"), Ok(v6));
        assert_eq!(parse_ip("fe80::1%eth0").unwrap().to_string(), "fe80::1");
        assert_eq!(
            parse_ip("999.1.1.1"),
            Err("\"999.1.1.1\" is not an IP address".to_string())
        );
        assert!(parse_ip("1.2.3.4, 10.0.0.1").is_err());
        assert_eq!(parse_ip(""), Err("the address is empty".to_string()));
    }

    #[test]
    fn reads_screens_or_explains() {
        assert_eq!(
            parse_screen("390x844").unwrap().map(|s| s.to_string()),
            Some("390x844".into())
        );
        assert_eq!(parse_screen(" - "), Ok(None));
        assert!(
            parse_screen("0x0")
                .unwrap_err()
                .starts_with("\"0x0\" is not")
        );
        assert_eq!(
            screen_from_parts("1536", "864.0")
                .unwrap()
                .map(|s| s.to_string()),
            Some("1536x864".into())
        );
        assert_eq!(screen_from_parts("", ""), Ok(None));
        assert!(screen_from_parts("1536", "").is_err());
        assert!(screen_from_parts("NaN", "1").is_err());
    }
}
