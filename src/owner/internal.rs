//! Addresses that no owner database can know: private, loopback, link-local,
//! carrier-grade NAT, documentation, multicast and the other special-purpose
//! blocks of the IANA IPv4 and IPv6 registries that are not globally routed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// (first address, prefix length, reason). Checked in order, so a more
/// specific block must come before the block containing it.
const V4: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 32, "unspecified"),
    (Ipv4Addr::new(0, 0, 0, 0), 8, "this network"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, PRIVATE),
    (Ipv4Addr::new(100, 64, 0, 0), 10, "CGNAT"),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, PRIVATE),
    (Ipv4Addr::new(192, 0, 0, 0), 24, "IETF protocol"),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation"),
    (Ipv4Addr::new(192, 88, 99, 0), 24, "6to4 relay"),
    (Ipv4Addr::new(192, 168, 0, 0), 16, PRIVATE),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking"),
    (Ipv4Addr::new(198, 51, 100, 0), 24, "documentation"),
    (Ipv4Addr::new(203, 0, 113, 0), 24, "documentation"),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast"),
    (Ipv4Addr::new(255, 255, 255, 255), 32, "broadcast"),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved"),
];

const V6: &[(Ipv6Addr, u8, &str)] = &[
    (Ipv6Addr::UNSPECIFIED, 128, "unspecified"),
    (Ipv6Addr::LOCALHOST, 128, "loopback"),
    (
        Ipv6Addr::new(0x64, 0xff9b, 1, 0, 0, 0, 0, 0),
        48,
        "local NAT64",
    ),
    (
        Ipv6Addr::new(0x100, 0, 0, 0, 0, 0, 0, 0),
        64,
        "discard-only",
    ),
    (
        Ipv6Addr::new(0x2001, 0x2, 0, 0, 0, 0, 0, 0),
        48,
        "benchmarking",
    ),
    (Ipv6Addr::new(0x2001, 0x10, 0, 0, 0, 0, 0, 0), 28, "ORCHID"),
    (
        Ipv6Addr::new(0x2001, 0x20, 0, 0, 0, 0, 0, 0),
        28,
        "ORCHIDv2",
    ),
    (
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0),
        32,
        "documentation",
    ),
    (
        Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0),
        20,
        "documentation",
    ),
    (Ipv6Addr::new(0x5f00, 0, 0, 0, 0, 0, 0, 0), 16, "SRv6 SID"),
    (
        Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 0),
        7,
        "unique local",
    ),
    (Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 0), 10, "link-local"),
    (Ipv6Addr::new(0xfec0, 0, 0, 0, 0, 0, 0, 0), 10, "site-local"),
    (Ipv6Addr::new(0xff00, 0, 0, 0, 0, 0, 0, 0), 8, "multicast"),
];

const PRIVATE: &str = "private";

/// Why `ip` is internal or otherwise not globally routed, as a word or two
/// (`private`, `loopback`, `CGNAT`…; shown as "internal (private)"), or
/// `None` for a public address. IPv4-mapped IPv6 addresses are judged as IPv4.
pub fn internal_range(ip: IpAddr) -> Option<&'static str> {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            V4.iter()
                .find(|(net, len, _)| prefix_matches32(bits, u32::from(*net), *len))
                .map(|(_, _, why)| *why)
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            V6.iter()
                .find(|(net, len, _)| prefix_matches128(bits, u128::from(*net), *len))
                .map(|(_, _, why)| *why)
        }
    }
}

/// Whether `ip` is in a range a site uses for its own network (private,
/// loopback, link-local, CGNAT, unique local), as opposed to the other
/// reserved ranges (documentation, benchmarking, multicast…) that no proxy
/// of anyone's sits in.
pub fn is_own_network(ip: IpAddr) -> bool {
    matches!(
        internal_range(ip),
        Some(PRIVATE | "loopback" | "link-local" | "CGNAT" | "unique local" | "site-local")
    )
}

fn prefix_matches32(addr: u32, net: u32, len: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    addr & mask == net & mask
}

fn prefix_matches128(addr: u128, net: u128, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    addr & mask == net & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn why(s: &str) -> Option<&'static str> {
        internal_range(s.parse().expect("test address"))
    }

    #[test]
    fn private_and_special_ipv4() {
        assert_eq!(why("10.0.0.1"), Some("private"));
        assert_eq!(why("172.31.255.255"), Some("private"));
        assert_eq!(why("172.32.0.1"), None);
        assert_eq!(why("192.168.1.1"), Some("private"));
        assert_eq!(why("100.64.0.1"), Some("CGNAT"));
        assert_eq!(why("100.128.0.1"), None);
        assert_eq!(why("127.0.0.1"), Some("loopback"));
        assert_eq!(why("169.254.10.1"), Some("link-local"));
        assert_eq!(why("192.0.2.7"), Some("documentation"));
        assert_eq!(why("198.18.0.1"), Some("benchmarking"));
        assert_eq!(why("192.88.99.1"), Some("6to4 relay"));
        assert_eq!(why("224.0.0.251"), Some("multicast"));
        assert_eq!(why("255.255.255.255"), Some("broadcast"));
        assert_eq!(why("250.1.1.1"), Some("reserved"));
        assert_eq!(why("0.0.0.0"), Some("unspecified"));
        assert_eq!(why("8.8.8.8"), None);
        assert_eq!(why("40.94.0.1"), None);
    }

    #[test]
    fn special_ipv6() {
        assert_eq!(why("::"), Some("unspecified"));
        assert_eq!(why("::1"), Some("loopback"));
        assert_eq!(why("fe80::1"), Some("link-local"));
        assert_eq!(why("fd12:3456::1"), Some("unique local"));
        assert_eq!(why("2001:db8::1"), Some("documentation"));
        assert_eq!(why("ff02::1"), Some("multicast"));
        assert_eq!(why("2001:4860:4860::8888"), None);
        // IPv4-mapped addresses are judged as the IPv4 address they carry.
        assert_eq!(why("::ffff:10.1.2.3"), Some("private"));
        assert_eq!(why("::ffff:8.8.8.8"), None);
    }

    #[test]
    fn own_networks_are_the_private_use_ranges_only() {
        let own = |s: &str| is_own_network(s.parse().unwrap());
        for ip in [
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "127.0.0.1",
            "100.64.1.1",
            "169.254.1.1",
            "::1",
            "fd00::5",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(own(ip), "{ip}");
        }
        for ip in [
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.5",
            "198.18.0.1",
            "224.0.0.1",
            "8.8.8.8",
            "2001:db8::1",
        ] {
            assert!(!own(ip), "{ip}");
        }
    }
}
