//! The client address as the audit and sign-in logs write it: `1.2.3.4`,
//! `1.2.3.4:50122`, `[1.2.3.4]:50122`, IPv6 bare, in brackets, with a port
//! after the brackets, with a zone, or IPv4-mapped (`::ffff:1.2.3.4`, read
//! as the IPv4 address it is). Never split on `:`: an IPv6 address is full
//! of them. A bare IPv6 address whose last group might be a port
//! (`2001:db8::1:50122`) is read as the address it spells, since that is
//! what it is.

use std::net::{IpAddr, SocketAddr};

use crate::input::parse_address;

/// What a client-address field held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientIp {
    /// Nothing (empty, `null`, `<null>`, `-`): system events have no client.
    Absent,
    Address(IpAddr),
    /// Text that is no address.
    Unreadable,
}

/// Reads one client-address field.
pub fn parse_client_ip(text: &str) -> ClientIp {
    let t = text.trim().trim_matches('"');
    if t.is_empty()
        || t == "-"
        || t.eq_ignore_ascii_case("null")
        || t.eq_ignore_ascii_case("<null>")
    {
        return ClientIp::Absent;
    }
    if let Some(ip) = parse_address(t) {
        return ClientIp::Address(ip.to_canonical());
    }
    if let Ok(socket) = t.parse::<SocketAddr>() {
        return ClientIp::Address(socket.ip().to_canonical());
    }
    // `[fe80::1%5]:443`: a zone inside brackets with a port.
    if let Some(inner) = t.strip_prefix('[')
        && let Some((address, port)) = inner.split_once("]:")
        && port.bytes().all(|b| b.is_ascii_digit())
        && let Some(ip) = parse_address(address)
    {
        return ClientIp::Address(ip.to_canonical());
    }
    // `1.2.3.4:port` where the port is out of range: still the address.
    if let Some((address, port)) = t.rsplit_once(':')
        && address.contains('.')
        && !address.contains(':')
        && port.bytes().all(|b| b.is_ascii_digit())
        && let Ok(ip) = address.parse::<std::net::Ipv4Addr>()
    {
        return ClientIp::Address(IpAddr::V4(ip));
    }
    ClientIp::Unreadable
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(t: &str) -> IpAddr {
        match parse_client_ip(t) {
            ClientIp::Address(ip) => ip,
            other => panic!("{t}: {other:?}"),
        }
    }

    #[test]
    fn every_form_the_logs_write() {
        let v4: IpAddr = "203.0.113.9".parse().unwrap();
        for t in [
            "203.0.113.9",
            "203.0.113.9:50122",
            "[203.0.113.9]:50122",
            "[203.0.113.9]",
            "::ffff:203.0.113.9",
            "[::ffff:203.0.113.9]:443",
            " 203.0.113.9 ",
        ] {
            assert_eq!(ip(t), v4, "{t}");
        }
        let v6: IpAddr = "2001:db8:51:7::23".parse().unwrap();
        for t in [
            "2001:db8:51:7::23",
            "[2001:db8:51:7::23]",
            "[2001:db8:51:7::23]:443",
        ] {
            assert_eq!(ip(t), v6, "{t}");
        }
        // Never split on ':': the last group is part of the address.
        assert_eq!(
            ip("2001:db8::1:8080"),
            "2001:db8::1:8080".parse::<IpAddr>().unwrap()
        );
        assert_eq!(ip("fe80::1%5"), "fe80::1".parse::<IpAddr>().unwrap());
        assert_eq!(ip("[fe80::1%5]:443"), "fe80::1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn absent_and_unreadable() {
        for t in ["", "  ", "null", "<null>", "-"] {
            assert_eq!(parse_client_ip(t), ClientIp::Absent, "{t}");
        }
        for t in ["example.com", "1.2.3", "203.0.113.9, 198.51.100.1"] {
            assert_eq!(parse_client_ip(t), ClientIp::Unreadable, "{t}");
        }
    }
}
