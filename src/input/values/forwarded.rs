//! The client behind the landing page's own proxies. A landing page behind a
//! load balancer, a reverse proxy or a CDN logs the proxy as the client and
//! the real one in `X-Forwarded-For` (nginx's stock `main` log format ends
//! with it). Every access would otherwise come from one internal address.
//!
//! The header is believed only as far as the proxies are trusted, the way
//! nginx's `real_ip_recursive` reads it: when the connecting address is a
//! trusted proxy (an internal address, or a network given with
//! `--trusted-proxy`), the list is walked from the right, past trusted hops,
//! and the first address that is not trusted is the client. A scanner that
//! sends its own `X-Forwarded-For` cannot hide: the proxy appends the address
//! it saw, and that one is read first.

use std::net::IpAddr;

use ipnetwork::IpNetwork;

use crate::input::cache::ByteCache;
use crate::input::file_ctx::{FileCtx, excerpt};
use crate::input::values::fields::parse_ip;
use crate::model::IpId;
use crate::owner::is_own_network;

/// The proxies whose `X-Forwarded-For` is believed: private, loopback,
/// link-local and CGNAT addresses always, plus the networks the user names
/// (a CDN's ranges).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNetwork>,
}

impl TrustedProxies {
    pub fn new(networks: Vec<IpNetwork>) -> Self {
        TrustedProxies { networks }
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        is_own_network(ip) || self.networks.iter().any(|n| n.contains(ip))
    }

    /// The client named by an `X-Forwarded-For` value that a trusted proxy
    /// passed on: the rightmost address that is not itself trusted, else the
    /// leftmost. `Ok(None)` for an empty value or `-`; an entry that is not
    /// an address, where the walk reaches it, is an error.
    pub fn client(&self, forwarded: &str) -> Result<Option<IpAddr>, String> {
        let value = forwarded.trim();
        if value.is_empty() || value == "-" {
            return Ok(None);
        }
        let mut leftmost = None;
        for entry in value.rsplit(',').map(str::trim).filter(|e| !e.is_empty()) {
            let ip = parse_ip(entry).map_err(|_| {
                format!(
                    "{} in X-Forwarded-For {} is not an address",
                    excerpt(entry),
                    excerpt(value)
                )
            })?;
            if !self.trusts(ip) {
                return Ok(Some(ip));
            }
            leftmost = Some(ip);
        }
        Ok(leftmost)
    }
}

/// One file's forwarded-for values, each resolved once.
#[derive(Default)]
pub struct ForwardedMemo {
    clients: ByteCache<Option<IpId>>,
}

impl ForwardedMemo {
    /// The access's address: the client from `raw` (the row's still-encoded
    /// forwarded-for value) when the connecting address `remote` is a trusted
    /// proxy, else `remote`. A value that cannot be read is reported once, as
    /// a warning on `field`, and the connecting address is kept.
    pub fn address(
        &mut self,
        ctx: &mut FileCtx<'_>,
        trusted: &TrustedProxies,
        remote: IpId,
        raw: &[u8],
        (line, field): (u64, &str),
    ) -> IpId {
        if raw.is_empty() || raw == b"-" || !trusted.trusts(ctx.campaign.ips[remote.index()]) {
            return remote;
        }
        if let Some(client) = self.clients.get(raw) {
            return client.unwrap_or(remote);
        }
        let text = ctx.decoder.decode(raw, line).into_owned();
        let client = match trusted.client(&text) {
            Ok(client) => client.map(|ip| ctx.campaign.intern_ip(ip)),
            Err(reason) => {
                ctx.warn(
                    line,
                    Some(field),
                    format!("{reason}; the connecting address is kept"),
                );
                None
            }
        };
        self.clients.insert(raw, client);
        client.unwrap_or(remote)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        let t = TrustedProxies::default();
        assert_eq!(t.client("198.51.100.7"), Ok(Some(ip("198.51.100.7"))));
        // Past the site's own proxies.
        assert_eq!(
            t.client("198.51.100.7, 10.0.0.9, 172.16.3.4"),
            Ok(Some(ip("198.51.100.7")))
        );
        // A forged entry on the left is not believed: the proxy appended what it saw.
        assert_eq!(
            t.client("1.2.3.4, 203.0.113.50"),
            Ok(Some(ip("203.0.113.50")))
        );
        // Only internal hops: the leftmost, the furthest the chain goes.
        assert_eq!(
            t.client("192.168.1.20, 10.0.0.9"),
            Ok(Some(ip("192.168.1.20")))
        );
        // Ports and brackets as proxies write them.
        assert_eq!(
            t.client("[2001:db8:1::5]:443, 10.0.0.9"),
            Ok(Some(ip("2001:db8:1::5")))
        );
        assert_eq!(t.client("-"), Ok(None));
        assert_eq!(t.client("  "), Ok(None));
    }

    #[test]
    fn named_networks_are_trusted_like_internal_ones() {
        let cdn: IpNetwork = "173.245.48.0/20".parse().unwrap();
        let t = TrustedProxies::new(vec![cdn]);
        assert!(t.trusts(ip("173.245.49.1")));
        assert!(t.trusts(ip("::ffff:10.1.2.3")));
        assert!(!t.trusts(ip("198.51.100.7")));
        assert_eq!(
            t.client("198.51.100.7, 173.245.49.1"),
            Ok(Some(ip("198.51.100.7")))
        );
        assert!(!TrustedProxies::default().trusts(ip("173.245.49.1")));
    }

    #[test]
    fn junk_is_an_error_only_where_the_walk_reaches_it() {
        let t = TrustedProxies::default();
        assert_eq!(
            t.client("unknown, 198.51.100.7"),
            Ok(Some(ip("198.51.100.7")))
        );
        let err = t.client("198.51.100.7, unknown").unwrap_err();
        assert!(err.contains("unknown"), "{err}");
    }
}
