//! Longest-prefix lookup over network rules and notes.
//!
//! One hash map per prefix length, tried from the longest length in use to
//! the shortest. Real knowledge bases use a handful of lengths (/16, /24,
//! /32, /48…), so a lookup is a few masked hash probes however many
//! thousands of networks there are, and insert/remove stay O(1).

use crate::fasthash::FastMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnetwork::{IpNetwork, Ipv4Network, Ipv6Network};

#[derive(Debug, Clone)]
pub(crate) struct PrefixMap<T> {
    v4: Family<u32, T, 33>,
    v6: Family<u128, T, 129>,
}

#[derive(Debug, Clone)]
struct Family<A, T, const N: usize> {
    /// Index = prefix length; key = network address as an integer.
    by_len: Vec<FastMap<A, T>>,
    /// Prefix lengths with at least one network, longest first.
    lens: Vec<u8>,
}

impl<A: std::hash::Hash + Eq + Copy, T, const N: usize> Family<A, T, N> {
    fn new() -> Self {
        Family {
            by_len: (0..N).map(|_| FastMap::default()).collect(),
            lens: Vec::new(),
        }
    }

    fn insert(&mut self, len: u8, addr: A, value: T) -> Option<T> {
        let map = &mut self.by_len[usize::from(len)];
        let was_empty = map.is_empty();
        let old = map.insert(addr, value);
        if was_empty {
            self.lens.push(len);
            self.lens.sort_unstable_by(|a, b| b.cmp(a));
        }
        old
    }

    fn remove(&mut self, len: u8, addr: A) -> Option<T> {
        let map = &mut self.by_len[usize::from(len)];
        let old = map.remove(&addr);
        if old.is_some() && map.is_empty() {
            self.lens.retain(|&l| l != len);
        }
        old
    }

    fn get(&self, len: u8, addr: A) -> Option<&T> {
        self.by_len[usize::from(len)].get(&addr)
    }

    fn len(&self) -> usize {
        self.lens
            .iter()
            .map(|&l| self.by_len[usize::from(l)].len())
            .sum()
    }
}

fn v4_mask(len: u8) -> u32 {
    u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0)
}

fn v6_mask(len: u8) -> u128 {
    u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0)
}

impl<T> Default for PrefixMap<T> {
    fn default() -> Self {
        PrefixMap {
            v4: Family::new(),
            v6: Family::new(),
        }
    }
}

impl<T> PrefixMap<T> {
    /// Keys are networks without host bits (the caller checked).
    pub(crate) fn insert(&mut self, net: IpNetwork, value: T) -> Option<T> {
        match net {
            IpNetwork::V4(n) => self.v4.insert(n.prefix(), u32::from(n.network()), value),
            IpNetwork::V6(n) => self.v6.insert(n.prefix(), u128::from(n.network()), value),
        }
    }

    pub(crate) fn remove(&mut self, net: IpNetwork) -> Option<T> {
        match net {
            IpNetwork::V4(n) => self.v4.remove(n.prefix(), u32::from(n.network())),
            IpNetwork::V6(n) => self.v6.remove(n.prefix(), u128::from(n.network())),
        }
    }

    /// The value stored for exactly `net` (without host bits).
    pub(crate) fn get(&self, net: IpNetwork) -> Option<&T> {
        match net {
            IpNetwork::V4(n) => self.v4.get(n.prefix(), u32::from(n.network())),
            IpNetwork::V6(n) => self.v6.get(n.prefix(), u128::from(n.network())),
        }
    }

    /// How many networks hold a value.
    pub(crate) fn len(&self) -> usize {
        self.v4.len() + self.v6.len()
    }

    /// The most specific network containing `ip` (canonical: IPv4-mapped
    /// addresses are looked up as IPv4 by the caller), with its value.
    pub(crate) fn longest_match(&self, ip: IpAddr) -> Option<(IpNetwork, &T)> {
        self.matches(ip).next()
    }

    /// Every network containing `ip`, most specific first, with its value.
    pub(crate) fn matches(&self, ip: IpAddr) -> impl Iterator<Item = (IpNetwork, &T)> {
        let (v4, v6) = match ip {
            IpAddr::V4(a) => (Some(u32::from(a)), None),
            IpAddr::V6(a) => (None, Some(u128::from(a))),
        };
        let v4 = v4.into_iter().flat_map(move |bits| {
            self.v4.lens.iter().filter_map(move |&len| {
                let base = bits & v4_mask(len);
                let value = self.v4.get(len, base)?;
                let net = Ipv4Network::new(Ipv4Addr::from(base), len).ok()?;
                Some((IpNetwork::V4(net), value))
            })
        });
        let v6 = v6.into_iter().flat_map(move |bits| {
            self.v6.lens.iter().filter_map(move |&len| {
                let base = bits & v6_mask(len);
                let value = self.v6.get(len, base)?;
                let net = Ipv6Network::new(Ipv6Addr::from(base), len).ok()?;
                Some((IpNetwork::V6(net), value))
            })
        });
        v4.chain(v6)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> IpNetwork {
        s.parse().unwrap()
    }

    #[test]
    fn longest_prefix_wins_and_removal_reexposes() {
        let mut m = PrefixMap::default();
        m.insert(net("10.0.0.0/8"), "eight");
        m.insert(net("10.1.0.0/16"), "sixteen");
        m.insert(net("10.1.2.0/24"), "twentyfour");
        m.insert(net("0.0.0.0/0"), "everything");
        m.insert(net("2001:db8::/32"), "v6");
        let at = |m: &PrefixMap<&'static str>, ip: &str| {
            m.longest_match(ip.parse().unwrap())
                .map(|(n, v)| (n.to_string(), *v))
        };
        assert_eq!(
            at(&m, "10.1.2.3"),
            Some(("10.1.2.0/24".into(), "twentyfour"))
        );
        assert_eq!(at(&m, "10.1.3.3"), Some(("10.1.0.0/16".into(), "sixteen")));
        assert_eq!(at(&m, "10.2.0.1"), Some(("10.0.0.0/8".into(), "eight")));
        assert_eq!(
            at(&m, "192.0.2.1"),
            Some(("0.0.0.0/0".into(), "everything"))
        );
        assert_eq!(
            at(&m, "2001:db8:1::1"),
            Some(("2001:db8::/32".into(), "v6"))
        );
        assert_eq!(at(&m, "2001:db9::1"), None);
        assert_eq!(m.remove(net("10.1.2.0/24")), Some("twentyfour"));
        assert_eq!(at(&m, "10.1.2.3"), Some(("10.1.0.0/16".into(), "sixteen")));
        assert_eq!(m.remove(net("10.1.2.0/24")), None);
        assert_eq!(m.v4.lens, vec![16, 8, 0]);
        let all: Vec<String> = m
            .matches("10.1.2.3".parse().unwrap())
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        assert_eq!(
            all,
            [
                "10.1.0.0/16=sixteen",
                "10.0.0.0/8=eight",
                "0.0.0.0/0=everything"
            ]
        );
        assert_eq!(m.get(net("10.0.0.0/8")), Some(&"eight"));
        assert_eq!(m.get(net("10.0.0.0/9")), None);
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn host_routes_and_full_length_masks() {
        let mut m = PrefixMap::default();
        m.insert(net("192.0.2.7/32"), 1);
        m.insert(net("2001:db8::7/128"), 2);
        assert_eq!(
            m.longest_match("192.0.2.7".parse().unwrap()).map(|x| *x.1),
            Some(1)
        );
        assert_eq!(m.longest_match("192.0.2.8".parse().unwrap()), None);
        assert_eq!(
            m.longest_match("2001:db8::7".parse().unwrap())
                .map(|x| *x.1),
            Some(2)
        );
    }
}
