//! What the company's own network recorded beside the campaign: forward-proxy
//! requests (Squid, a secure web gateway's CSV export) and DHCP leases
//! (Windows DHCP audit log, ISC `dhcpd.leases`). The readers in `input/`
//! fill these; `network::correlate` ties the campaign's accesses to them.

use std::net::IpAddr;

use super::intern::Sym;
use super::time::Timestamp;

/// One request a forward proxy logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRecord {
    pub time: Timestamp,
    /// The internal client that made the request.
    pub client: IpAddr,
    /// The user the proxy authenticated; `Sym::EMPTY` when none.
    pub user: Sym,
    /// The requested host, lower case, without port.
    pub host: Sym,
    /// The requested path without query; `Sym::EMPTY` when the proxy saw
    /// only the host (an HTTPS `CONNECT` it did not inspect).
    pub path: Sym,
    /// The recipient parameter's value when the proxy logged the full URL
    /// with its query; `Sym::EMPTY` otherwise.
    pub rid: Sym,
    /// Index into `Campaign::files`.
    pub file: u16,
    pub line: u32,
}

/// One DHCP lease event: `ip` was given to `mac`/`host` at `start`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub ip: IpAddr,
    pub start: Timestamp,
    /// When the lease ended, when the log says (`dhcpd.leases`); `None` when
    /// it holds until the address's next event (the Windows audit log).
    pub end: Option<Timestamp>,
    /// Host name as the client gave it; `Sym::EMPTY` when none.
    pub host: Sym,
    /// MAC address, `00:1a:2b:3c:4d:5e`; `Sym::EMPTY` when none.
    pub mac: Sym,
    pub file: u16,
    pub line: u32,
}

/// Everything read from proxy and DHCP logs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkLog {
    pub proxy: Vec<ProxyRecord>,
    pub leases: Vec<Lease>,
}

impl NetworkLog {
    pub fn is_empty(&self) -> bool {
        self.proxy.is_empty() && self.leases.is_empty()
    }
}

/// A MAC address as people write it in tables: lower case, colon-separated;
/// `None` for anything that is not 12 hex digits (with `:`, `-` or `.`
/// separators, or none).
pub fn normalize_mac(text: &str) -> Option<String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | '-' | '.' | ' '))
        .collect();
    if hex.len() != 12 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let lower = hex.to_ascii_lowercase();
    let pairs: Vec<&str> = (0..6).map(|i| &lower[i * 2..i * 2 + 2]).collect();
    Some(pairs.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_read_in_every_spelling() {
        for text in [
            "001A2B3C4D5E",
            "00-1a-2b-3c-4d-5e",
            "00:1A:2B:3C:4D:5E",
            "001a.2b3c.4d5e",
        ] {
            assert_eq!(normalize_mac(text).as_deref(), Some("00:1a:2b:3c:4d:5e"));
        }
        assert_eq!(normalize_mac("00:1a"), None);
        assert_eq!(normalize_mac("zz1A2B3C4D5E"), None);
    }
}
