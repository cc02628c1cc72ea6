//! Which verdict decides an access: the one order, most specific first.
//!
//! A verdict on the access itself, else the rule for its IP, else the rule
//! for the longest network prefix containing the IP, else the rule for its
//! AS. (Below that come the suggestions, outside the knowledge base.) So
//! "AS8075 is a scanner, except this Azure Virtual Desktop IP, except this
//! one access of it" says exactly what it means.
//!
//! The knowledge base resolves with it, and so does the review screen's label
//! book, its in-memory cache of the same verdicts: each only says where it
//! keeps them ([`VerdictLookup`]). Callers that work out an address's rule
//! once and reuse it for the address's many accesses apply the last step
//! with [`own_first`].

use std::net::IpAddr;

use ipnetwork::IpNetwork;

use super::key::Key;

/// Where a store of verdicts keeps them, one lookup per kind of key. `A`
/// names an access (a fingerprint, or a row of the loaded campaign).
pub trait VerdictLookup<A> {
    /// What the store holds per key (an entry, a label).
    type Verdict;

    /// The verdict on one access.
    fn access(&self, access: A) -> Option<&Self::Verdict>;
    /// The rule for one address (canonical: never IPv4-mapped IPv6).
    fn ip(&self, ip: IpAddr) -> Option<&Self::Verdict>;
    /// The rule for the most specific network containing `ip`, with that network.
    fn longest_network(&self, ip: IpAddr) -> Option<(IpNetwork, &Self::Verdict)>;
    /// The rule for an AS (never 0).
    fn asn(&self, asn: u32) -> Option<&Self::Verdict>;
}

/// The verdict that decides an access, and the key it is stored under:
/// its own (when `access` names it and it has one), else [`address_rule`].
pub fn resolve<A: Copy, L: VerdictLookup<A> + ?Sized>(
    lookup: &L,
    access: Option<A>,
    ip: IpAddr,
    asn: Option<u32>,
) -> Option<(Key<A>, &L::Verdict)> {
    own_first(
        access.and_then(|a| lookup.access(a).map(|v| (Key::Access(a), v))),
        || address_rule(lookup, ip, asn),
    )
}

/// The rule that decides an address: its IP rule, else the longest network,
/// else its AS (AS0 means none).
pub fn address_rule<A, L: VerdictLookup<A> + ?Sized>(
    lookup: &L,
    ip: IpAddr,
    asn: Option<u32>,
) -> Option<(Key<A>, &L::Verdict)> {
    let ip = ip.to_canonical();
    if let Some(v) = lookup.ip(ip) {
        return Some((Key::Ip(ip), v));
    }
    if let Some((net, v)) = lookup.longest_network(ip) {
        return Some((Key::Net(net), v));
    }
    let asn = asn.filter(|&a| a != 0)?;
    lookup.asn(asn).map(|v| (Key::Asn(asn), v))
}

/// An access's own verdict beats any rule for its address; `address_rule`
/// is only asked when there is none.
pub fn own_first<T>(own: Option<T>, address_rule: impl FnOnce() -> Option<T>) -> Option<T> {
    own.or_else(address_rule)
}

impl<A> Key<A> {
    /// Rank in the order above: a key of lower rank wins over a rule of
    /// higher rank wherever both apply.
    pub fn precedence(&self) -> u8 {
        match self {
            Key::Access(_) => 0,
            Key::Ip(_) => 1,
            Key::Net(_) => 2,
            Key::Asn(_) => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A store that is nothing but maps, to test the order alone.
    #[derive(Default)]
    struct Maps {
        accesses: HashMap<u32, &'static str>,
        ips: HashMap<IpAddr, &'static str>,
        nets: Vec<(IpNetwork, &'static str)>,
        asns: HashMap<u32, &'static str>,
    }

    impl VerdictLookup<u32> for Maps {
        type Verdict = &'static str;
        fn access(&self, access: u32) -> Option<&&'static str> {
            self.accesses.get(&access)
        }
        fn ip(&self, ip: IpAddr) -> Option<&&'static str> {
            self.ips.get(&ip)
        }
        fn longest_network(&self, ip: IpAddr) -> Option<(IpNetwork, &&'static str)> {
            self.nets
                .iter()
                .filter(|(n, _)| n.contains(ip))
                .max_by_key(|(n, _)| n.prefix())
                .map(|(n, v)| (*n, v))
        }
        fn asn(&self, asn: u32) -> Option<&&'static str> {
            self.asns.get(&asn)
        }
    }

    #[test]
    fn most_specific_decides_and_ranks_agree() {
        let ip: IpAddr = "40.94.1.1".parse().unwrap();
        let mut m = Maps::default();
        let at = |m: &Maps, access| resolve(m, access, ip, Some(8075)).map(|(k, v)| (k, *v));
        assert_eq!(at(&m, Some(0)), None);
        m.asns.insert(8075, "as");
        assert_eq!(at(&m, Some(0)), Some((Key::Asn(8075), "as")));
        assert_eq!(resolve(&m, None, ip, Some(0)).map(|(k, _)| k), None);
        m.nets.push(("40.0.0.0/8".parse().unwrap(), "eight"));
        m.nets.push(("40.94.0.0/16".parse().unwrap(), "sixteen"));
        assert_eq!(
            at(&m, Some(0)),
            Some((Key::Net("40.94.0.0/16".parse().unwrap()), "sixteen"))
        );
        m.ips.insert(ip, "ip");
        assert_eq!(at(&m, None), Some((Key::Ip(ip), "ip")));
        m.accesses.insert(0, "own");
        assert_eq!(at(&m, Some(0)), Some((Key::Access(0), "own")));
        assert_eq!(at(&m, Some(1)), Some((Key::Ip(ip), "ip")));
        let ranks: Vec<u8> = [
            Key::Access(0),
            Key::Ip(ip),
            Key::network("40.94.0.0/16".parse().unwrap()),
            Key::Asn(8075),
        ]
        .iter()
        .map(Key::<u32>::precedence)
        .collect();
        assert_eq!(ranks, vec![0, 1, 2, 3]);
    }

    #[test]
    fn mapped_addresses_find_ipv4_rules() {
        let mut m = Maps::default();
        m.ips.insert("10.0.0.1".parse().unwrap(), "ip");
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(
            address_rule::<u32, _>(&m, mapped, None).map(|(k, _)| k),
            Some(Key::Ip("10.0.0.1".parse().unwrap()))
        );
    }
}
