//! What the knowledge base holds facts about: one access, an IP, a network or
//! an AS; and the verdicts and kinds of fact it holds.
//!
//! Keys are canonical so that two spellings of the same thing share one
//! history: `::ffff:192.0.2.1` is `192.0.2.1`, `AS8075` is `8075`, and an
//! IPv4-mapped IPv6 network is the IPv4 network it maps.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnetwork::{IpNetwork, Ipv4Network};

use super::fingerprint::Fingerprint;

pub use crate::model::Verdict;

/// What a verdict is about: one access, or a rule for an IP, a network or
/// an AS. `A` names the access: in the knowledge base its stable
/// [`Fingerprint`] (the default), on the review screen its row in the loaded
/// campaign (`Key<u32>`), so both hold the same keys and apply the same
/// precedence ([`super::precedence`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key<A = Fingerprint> {
    /// One access of a campaign.
    Access(A),
    /// One address (always canonical: never IPv4-mapped IPv6).
    Ip(IpAddr),
    /// A network without host bits (IPv4-mapped IPv6 networks become IPv4).
    Net(IpNetwork),
    /// An autonomous system number, never 0.
    Asn(u32),
}

impl Key {
    /// An IP key from text such as `40.94.0.1` or `2001:db8::1`.
    pub fn ip(text: &str) -> Result<Key, KeyError> {
        parse_ip(text).map(Key::Ip)
    }

    /// A network key from CIDR text such as `40.94.0.0/16`; host bits are an error.
    pub fn net(text: &str) -> Result<Key, KeyError> {
        parse_net(text).map(Key::Net)
    }

    /// An AS key from `AS8075` or `8075`; AS0 is an error.
    pub fn asn(text: &str) -> Result<Key, KeyError> {
        parse_asn(text).map(Key::Asn)
    }

    /// A network key from an already-parsed network, rejecting host bits.
    pub fn from_network(net: IpNetwork) -> Result<Key, KeyError> {
        check_network(net, &net.to_string()).map(Key::Net)
    }

    /// The key of an address, canonical.
    pub fn from_ip(ip: IpAddr) -> Key {
        Key::Ip(ip.to_canonical())
    }

    /// Reads a key in any spelling the command line accepts: the prefixed
    /// form (`ip:…`, `net:…`, `asn:…`, `access:…`) or a bare IP, CIDR,
    /// AS number (`AS8075`) or access fingerprint.
    pub fn parse_any(text: &str) -> Result<Key, KeyError> {
        let t = text.trim();
        if let Some((prefix, rest)) = t.split_once(':') {
            match prefix.to_ascii_lowercase().as_str() {
                "ip" => return Key::ip(rest),
                "net" => return Key::net(rest),
                "asn" | "as" => return Key::asn(rest),
                "access" => return rest.parse::<Fingerprint>().map(Key::Access),
                _ => {}
            }
        }
        if t.contains('/') {
            return Key::net(t);
        }
        if let Ok(ip) = parse_ip(t) {
            return Ok(Key::Ip(ip));
        }
        if let Ok(fp) = t.parse::<Fingerprint>() {
            return Ok(Key::Access(fp));
        }
        let digits = strip_as_prefix(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Key::asn(t);
        }
        Err(KeyError::Unrecognised(t.to_string()))
    }

    /// The word used for this key's type in commands and files.
    pub fn type_name(&self) -> &'static str {
        match self {
            Key::Access(_) => "access",
            Key::Ip(_) => "ip",
            Key::Net(_) => "net",
            Key::Asn(_) => "asn",
        }
    }
}

impl<A> Key<A> {
    /// A network key with its host bits cleared (`10.1.2.3/8` is `10.0.0.0/8`)
    /// and IPv4-mapped networks as IPv4: for networks taken from owner data,
    /// which need no checking, only the one spelling rules are stored under.
    pub fn network(net: IpNetwork) -> Key<A> {
        Key::Net(rule_network(net))
    }

    /// The same rule for accesses named another way; `None` for an access.
    pub fn rule<B>(&self) -> Option<Key<B>> {
        match *self {
            Key::Access(_) => None,
            Key::Ip(ip) => Some(Key::Ip(ip)),
            Key::Net(net) => Some(Key::Net(net)),
            Key::Asn(asn) => Some(Key::Asn(asn)),
        }
    }

    /// True for a verdict on one access rather than a rule.
    pub fn is_access(&self) -> bool {
        matches!(self, Key::Access(_))
    }

    /// The short tag the review screen shows after a rule's verdict letter
    /// (`ip`, `net`, `as`); empty for an access.
    pub fn tag(&self) -> &'static str {
        match self {
            Key::Access(_) => "",
            Key::Ip(_) => "ip",
            Key::Net(_) => "net",
            Key::Asn(_) => "as",
        }
    }

    /// Writes a rule as files and reports spell it (`asn:8075`); an access
    /// is written by `access`.
    fn write(
        &self,
        f: &mut fmt::Formatter<'_>,
        access: impl FnOnce(&A, &mut fmt::Formatter<'_>) -> fmt::Result,
    ) -> fmt::Result {
        match self {
            Key::Access(a) => access(a, f),
            Key::Ip(ip) => write!(f, "ip:{ip}"),
            Key::Net(net) => write!(f, "net:{net}"),
            Key::Asn(asn) => write!(f, "asn:{asn}"),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, |fp, f| write!(f, "access:{fp}"))
    }
}

/// On the review screen an access is its row, counted from 1 (`access #3`).
impl fmt::Display for Key<u32> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, |row, f| write!(f, "access #{}", u64::from(*row) + 1))
    }
}

impl FromStr for Key {
    type Err = KeyError;

    /// Only the prefixed form written by `Display`, as files hold it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let Some((prefix, rest)) = s.split_once(':') else {
            return Err(KeyError::Unrecognised(s.to_string()));
        };
        match prefix {
            "ip" => Key::ip(rest),
            "net" => Key::net(rest),
            "asn" => Key::asn(rest),
            "access" => rest.parse::<Fingerprint>().map(Key::Access),
            _ => Err(KeyError::Unrecognised(s.to_string())),
        }
    }
}

/// The kind of fact an entry states about its key. Each (kind, key) pair is
/// one [`Slot`]: its newest entry is in force, the older ones are history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Human or scanner: for an access, or a rule for an IP, network or AS.
    Verdict,
    /// A free-text owner note on an IP or a network.
    Note,
    /// Cached owner facts of an IP.
    Owner,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Verdict => "verdict",
            Kind::Note => "note",
            Kind::Owner => "owner",
        }
    }

    /// Whether this kind of fact can be stated about `key`.
    pub fn allows(self, key: &Key) -> bool {
        match self {
            Kind::Verdict => true,
            Kind::Note => matches!(key, Key::Ip(_) | Key::Net(_)),
            // Owner facts belong to the network the database named (the
            // cache's own file); journals of earlier versions kept them per IP.
            Kind::Owner => matches!(key, Key::Ip(_) | Key::Net(_)),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "verdict" => Ok(Kind::Verdict),
            "note" => Ok(Kind::Note),
            "owner" => Ok(Kind::Owner),
            _ => Err(KeyError::Kind(s.to_string())),
        }
    }
}

/// One place in the knowledge base: a kind of fact about one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot {
    pub kind: Kind,
    pub key: Key,
}

impl Slot {
    pub fn new(kind: Kind, key: Key) -> Result<Slot, KeyError> {
        if kind.allows(&key) {
            Ok(Slot { kind, key })
        } else {
            Err(KeyError::KindMismatch { kind, key })
        }
    }

    pub fn verdict(key: Key) -> Slot {
        Slot {
            kind: Kind::Verdict,
            key,
        }
    }
}

/// How entries are grouped for listing and counting: verdicts by what they
/// judge (one access, or a rule for an IP, network or AS), notes, owner cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Access,
    Ip,
    Net,
    Asn,
    Note,
    Owner,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Access,
        Category::Ip,
        Category::Net,
        Category::Asn,
        Category::Note,
        Category::Owner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Access => "access",
            Category::Ip => "ip",
            Category::Net => "net",
            Category::Asn => "asn",
            Category::Note => "note",
            Category::Owner => "owner",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Slot {
    pub fn category(&self) -> Category {
        match (self.kind, self.key) {
            (Kind::Note, _) => Category::Note,
            (Kind::Owner, _) => Category::Owner,
            (Kind::Verdict, Key::Access(_)) => Category::Access,
            (Kind::Verdict, Key::Ip(_)) => Category::Ip,
            (Kind::Verdict, Key::Net(_)) => Category::Net,
            (Kind::Verdict, Key::Asn(_)) => Category::Asn,
        }
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.key)
    }
}

/// A key or verdict that cannot be used, with a message for the analyst.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("{0:?} is not an IP address (like 192.0.2.1 or 2001:db8::1)")]
    Ip(String),
    #[error("{0:?} is not a network in CIDR notation (like 192.0.2.0/24 or 2001:db8::/32)")]
    Network(String),
    #[error("{given} has host bits set; the network is {network}")]
    HostBits { given: String, network: IpNetwork },
    #[error("{0:?} is not an AS number (like AS8075 or 8075)")]
    Asn(String),
    #[error("AS0 is reserved and never announces addresses; it cannot carry a rule")]
    ReservedAsn,
    #[error(
        "{0:?} is not an access fingerprint (like 20261001T001403Z-1a2b3c4d5e6f7a8b; see `kb list --kind access`)"
    )]
    Fingerprint(String),
    #[error("{0:?} is not a kind of entry (verdict, note or owner)")]
    Kind(String),
    #[error("a {kind} cannot be stated about {key}")]
    KindMismatch { kind: Kind, key: Key },
    #[error("an owner note needs some text")]
    EmptyNote,
    #[error("the access facts stored with {0} do not match its fingerprint")]
    FactsMismatch(Key),
    #[error(
        "{0:?} is not a key: use an IP, a network (CIDR), an AS number (AS8075) or an access fingerprint"
    )]
    Unrecognised(String),
}

fn parse_ip(text: &str) -> Result<IpAddr, KeyError> {
    // Brackets and an IPv6 zone read as the logs' reader reads them.
    crate::input::parse_address(text)
        .map(|ip| ip.to_canonical())
        .ok_or_else(|| KeyError::Ip(text.trim().to_string()))
}

fn parse_net(text: &str) -> Result<IpNetwork, KeyError> {
    let t = text.trim();
    // ipnetwork reads a bare address as a host route; a rule for one address
    // is an `ip` rule, so demand the prefix length.
    if !t.contains('/') {
        return Err(KeyError::Network(t.to_string()));
    }
    let net = t
        .parse::<IpNetwork>()
        .map_err(|_| KeyError::Network(t.to_string()))?;
    check_network(net, t)
}

fn check_network(net: IpNetwork, given: &str) -> Result<IpNetwork, KeyError> {
    let net = canonical_network(net);
    let base = IpNetwork::new(net.network(), net.prefix())
        .map_err(|_| KeyError::Network(given.to_string()))?;
    if base.ip() != net.ip() {
        return Err(KeyError::HostBits {
            given: given.to_string(),
            network: base,
        });
    }
    Ok(net)
}

/// `::ffff:192.0.2.0/120` is `192.0.2.0/24`: the same addresses as the
/// campaign stores them (canonical IPv4), so longest-prefix matching finds it.
fn canonical_network(net: IpNetwork) -> IpNetwork {
    if let IpNetwork::V6(v6) = net
        && v6.prefix() >= 96
        && let Some(v4) = v6.ip().to_ipv4_mapped()
        && let Ok(mapped) = Ipv4Network::new(v4, v6.prefix() - 96)
    {
        return IpNetwork::V4(mapped);
    }
    net
}

/// The one spelling a network rule is stored under: IPv4-mapped networks as
/// IPv4, host bits cleared.
/// The widest network a rule may name without `--allow-wide`: no single
/// organisation holds more than an IPv4 /8 or an IPv6 /19 (the largest
/// allocations), so a wider rule (`0.0.0.0/0`, `::/0`) would decide for
/// many networks at once and outrank every AS rule.
pub const WIDEST_RULE_V4: u8 = 8;
pub const WIDEST_RULE_V6: u8 = 19;

/// The widest prefix allowed for `key`'s family, when `key` is a network
/// wider than that.
pub fn too_wide<A>(key: &Key<A>) -> Option<u8> {
    let Key::Net(net) = key else {
        return None;
    };
    let widest = match net {
        IpNetwork::V4(_) => WIDEST_RULE_V4,
        IpNetwork::V6(_) => WIDEST_RULE_V6,
    };
    (net.prefix() < widest).then_some(widest)
}

pub fn rule_network(net: IpNetwork) -> IpNetwork {
    let net = canonical_network(net);
    IpNetwork::new(net.network(), net.prefix()).unwrap_or(net)
}

fn strip_as_prefix(t: &str) -> &str {
    match t.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("as") => &t[2..],
        _ => t,
    }
}

fn parse_asn(text: &str) -> Result<u32, KeyError> {
    let t = text.trim();
    let digits = strip_as_prefix(t).trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(KeyError::Asn(t.to_string()));
    }
    match digits.parse::<u32>() {
        Ok(0) => Err(KeyError::ReservedAsn),
        Ok(asn) => Ok(asn),
        Err(_) => Err(KeyError::Asn(t.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_keys_are_canonical() {
        assert_eq!(Key::ip("::ffff:40.94.0.1"), Key::ip("40.94.0.1"));
        assert_eq!(
            Key::ip(" [2001:db8::1] ").unwrap().to_string(),
            "ip:2001:db8::1"
        );
        assert_eq!(
            Key::ip("40.94.0.1/32"),
            Err(KeyError::Ip("40.94.0.1/32".into()))
        );
        assert!(matches!(Key::ip("example.com"), Err(KeyError::Ip(_))));
    }

    #[test]
    fn networks_reject_host_bits() {
        assert_eq!(
            Key::net("40.94.0.0/16").unwrap().to_string(),
            "net:40.94.0.0/16"
        );
        let err = Key::net("40.94.1.2/16").unwrap_err();
        assert_eq!(
            err.to_string(),
            "40.94.1.2/16 has host bits set; the network is 40.94.0.0/16"
        );
        assert!(matches!(
            Key::net("2001:db8::1/32"),
            Err(KeyError::HostBits { .. })
        ));
        assert!(matches!(Key::net("40.94.0.1"), Err(KeyError::Network(_))));
        assert!(matches!(
            Key::net("40.94.0.0/33"),
            Err(KeyError::Network(_))
        ));
        assert_eq!(
            Key::net("::ffff:192.0.2.0/120").unwrap().to_string(),
            "net:192.0.2.0/24"
        );
    }

    #[test]
    fn as_numbers_accept_prefix_and_reject_zero() {
        assert_eq!(Key::asn("AS8075"), Ok(Key::Asn(8075)));
        assert_eq!(Key::asn("as8075"), Ok(Key::Asn(8075)));
        assert_eq!(Key::asn(" 8075 "), Ok(Key::Asn(8075)));
        assert_eq!(Key::asn("AS0"), Err(KeyError::ReservedAsn));
        assert!(matches!(Key::asn("AS-1"), Err(KeyError::Asn(_))));
        assert!(matches!(Key::asn("4294967296"), Err(KeyError::Asn(_))));
        assert!(matches!(Key::asn("Microsoft"), Err(KeyError::Asn(_))));
    }

    #[test]
    fn any_spelling_is_guessed() {
        assert_eq!(Key::parse_any("AS8075"), Ok(Key::Asn(8075)));
        assert_eq!(Key::parse_any("asn:8075"), Ok(Key::Asn(8075)));
        assert_eq!(Key::parse_any("10.0.0.0/8"), Key::net("10.0.0.0/8"));
        assert_eq!(Key::parse_any("ip:10.0.0.1"), Key::ip("10.0.0.1"));
        assert_eq!(Key::parse_any("2001:db8::1"), Key::ip("2001:db8::1"));
        let fp = "20261001T001403Z-1a2b3c4d5e6f7a8b";
        assert_eq!(
            Key::parse_any(fp).unwrap().to_string(),
            format!("access:{fp}")
        );
        assert!(matches!(
            Key::parse_any("hello"),
            Err(KeyError::Unrecognised(_))
        ));
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "ip:192.0.2.1",
            "net:2001:db8::/32",
            "asn:8075",
            "access:20261001T001403Z-1a2b3c4d5e6f7a8b",
        ] {
            assert_eq!(text.parse::<Key>().unwrap().to_string(), text);
        }
        assert!("AS8075".parse::<Key>().is_err());
    }

    #[test]
    fn kinds_fit_keys() {
        assert!(Slot::new(Kind::Note, Key::Asn(8075)).is_err());
        assert!(Slot::new(Kind::Owner, Key::Asn(8075)).is_err());
        assert!(Slot::new(Kind::Note, Key::net("10.0.0.0/8").unwrap()).is_ok());
        assert!(Slot::new(Kind::Verdict, Key::Asn(1)).is_ok());
    }
}
