//! Which addresses the walk down the Received chain trusts, and the class
//! every address is shown with: a provider's (Microsoft 365, Google, what
//! `--trust` adds, a network the knowledge base's note marks as ours),
//! internal (private, link-local…), or external.
//!
//! A provider is recognised by its mail networks, or by its AS together
//! with a host name under its domains: an AS alone would trust every cloud
//! customer's virtual machine (Azure and Google Cloud share the AS), and a
//! name alone is whatever the sender said.

use std::net::IpAddr;

use ipnetwork::IpNetwork;

use crate::kb::OwnerNote;
use crate::owner::{Owner, internal_range, is_own_network};

/// What the databases and the knowledge base know of one address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IpFacts {
    pub owner: Owner,
    pub note: Option<OwnerNote>,
}

/// The class an address is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IpClass {
    /// A mail provider's or the recipient's own servers: trusted.
    Provider,
    /// Private, link-local, loopback, CGNAT, unique local.
    Internal,
    /// Anything else.
    External,
}

impl IpClass {
    pub fn name(self) -> &'static str {
        match self {
            IpClass::Provider => "provider",
            IpClass::Internal => "internal",
            IpClass::External => "external",
        }
    }
}

/// An address's class and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Classified {
    pub class: IpClass,
    /// `Microsoft 365`, `Google`, `--trust 192.0.2.0/24`, `kb note "our VPN"`,
    /// `private`, `link-local`…
    pub why: String,
}

struct Provider {
    name: &'static str,
    asns: &'static [u32],
    /// Networks that carry only the provider's mail servers.
    mail_nets: &'static [&'static str],
    /// Networks shared with other services: trusted with a name under `domains`.
    named_nets: &'static [&'static str],
    domains: &'static [&'static str],
}

/// Exchange Online Protection's and Gmail's sending ranges (Microsoft 365
/// endpoints list, Google's SPF record) and their host names.
const PROVIDERS: &[Provider] = &[
    Provider {
        name: "Microsoft 365",
        asns: &[8075],
        mail_nets: &[
            "40.92.0.0/15",
            "40.107.0.0/16",
            "52.100.0.0/14",
            "104.47.0.0/17",
            "2a01:111:f400::/48",
            "2a01:111:f403::/48",
        ],
        named_nets: &["2603:1000::/24", "40.96.0.0/13", "52.96.0.0/14"],
        domains: &["outlook.com", "office365.com", "exchangelabs.com"],
    },
    Provider {
        name: "Google",
        asns: &[15169],
        mail_nets: &["209.85.128.0/17", "2607:f8b0:4000::/36"],
        named_nets: &["74.125.0.0/16", "172.217.0.0/16", "142.250.0.0/15"],
        domains: &["google.com", "gmail.com", "googlemail.com"],
    },
];

/// What the analyst trusts beyond the built-in providers (`--trust`).
#[derive(Clone, Debug, Default)]
pub struct Trust {
    nets: Vec<IpNetwork>,
    asns: Vec<u32>,
    domains: Vec<String>,
}

impl Trust {
    /// Adds a CIDR or address, `AS64500`/`64500`, or a domain.
    pub fn add(&mut self, item: &str) -> Result<(), String> {
        let t = item.trim();
        let digits = t
            .strip_prefix("AS")
            .or_else(|| t.strip_prefix("as"))
            .unwrap_or(t);
        if let Ok(asn) = digits.parse::<u32>() {
            self.asns.push(asn);
        } else if let Ok(net) = t.parse::<IpNetwork>() {
            self.nets.push(net);
        } else if t.contains('.')
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        {
            self.domains.push(t.trim_matches('.').to_ascii_lowercase());
        } else {
            return Err(format!(
                "--trust {t:?}: expected a network (192.0.2.0/24), an address, an AS (AS64500) or a domain (example.co.jp)"
            ));
        }
        Ok(())
    }

    /// Whether a host name is under a trusted domain or a provider's.
    pub fn trusts_name(&self, name: &str) -> Option<String> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if let Some(d) = self.domains.iter().find(|d| under(&name, d)) {
            return Some(format!("--trust {d}"));
        }
        provider_of_name(&name).map(str::to_string)
    }

    /// The class of `ip`, given the names its hop gave (reverse DNS first) and
    /// what is known of it.
    pub fn classify(&self, ip: IpAddr, names: &[&str], facts: Option<&IpFacts>) -> Classified {
        let ip = ip.to_canonical();
        if is_own_network(ip) || is_6to4_private(ip) {
            let why = internal_range(ip).unwrap_or("6to4 of a private address");
            return Classified {
                class: IpClass::Internal,
                why: why.to_string(),
            };
        }
        let provider = |why: String| Classified {
            class: IpClass::Provider,
            why,
        };
        if let Some(net) = self.nets.iter().find(|n| n.contains(ip)) {
            return provider(format!("--trust {net}"));
        }
        let asn = facts.and_then(|f| f.owner.asn);
        if let Some(asn) = asn.filter(|a| self.asns.contains(a)) {
            return provider(format!("--trust AS{asn}"));
        }
        let names: Vec<String> = names
            .iter()
            .map(|n| n.trim_end_matches('.').to_ascii_lowercase())
            .collect();
        if let Some(d) = self
            .domains
            .iter()
            .find(|d| names.iter().any(|n| under(n, d)))
        {
            return provider(format!("--trust {d}"));
        }
        if let Some(note) = facts.and_then(|f| f.note.as_ref())
            && note_marks_trusted(&note.text)
        {
            return provider(format!("kb note {:?}", &*note.text));
        }
        for p in PROVIDERS {
            let named = names.iter().any(|n| p.domains.iter().any(|d| under(n, d)));
            let in_mail = p.mail_nets.iter().any(|n| contains(n, ip));
            let in_shared = p.named_nets.iter().any(|n| contains(n, ip))
                || asn.is_some_and(|a| p.asns.contains(&a));
            if in_mail || (in_shared && named) {
                return provider(p.name.to_string());
            }
        }
        Classified {
            class: IpClass::External,
            why: String::new(),
        }
    }
}

/// A knowledge-base note that says the network is the analyst's own or a
/// provider's: it names it `trusted`, `provider`, `ours`, `our …`.
pub fn note_marks_trusted(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| matches!(w, "trusted" | "provider" | "ours" | "our"))
}

/// The provider whose domains a host name is under.
pub fn provider_of_name(name: &str) -> Option<&'static str> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    PROVIDERS
        .iter()
        .find(|p| p.domains.iter().any(|d| under(&name, d)))
        .map(|p| p.name)
}

fn under(name: &str, domain: &str) -> bool {
    name == domain
        || name
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

fn contains(net: &str, ip: IpAddr) -> bool {
    net.parse::<IpNetwork>().is_ok_and(|n| n.contains(ip))
}

/// 2002:0a00::/24 and kin: 6to4 addresses of private IPv4 networks, which
/// Google writes as its internal hops (`by 2002:a05:…`).
fn is_6to4_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            s[0] == 0x2002 && {
                let v4 = std::net::Ipv4Addr::new(
                    (s[1] >> 8) as u8,
                    (s[1] & 0xff) as u8,
                    (s[2] >> 8) as u8,
                    (s[2] & 0xff) as u8,
                );
                is_own_network(IpAddr::V4(v4))
            }
        }
        IpAddr::V4(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(trust: &Trust, ip: &str, names: &[&str], asn: Option<u32>) -> IpClass {
        let facts = IpFacts {
            owner: Owner {
                asn,
                ..Owner::default()
            },
            note: None,
        };
        trust
            .classify(ip.parse().unwrap(), names, Some(&facts))
            .class
    }

    #[test]
    fn providers_need_mail_networks_or_as_and_name() {
        let t = Trust::default();
        assert_eq!(class(&t, "40.107.1.2", &[], None), IpClass::Provider);
        assert_eq!(
            class(
                &t,
                "2603:1096:604:21::9",
                &["os3pr01mb6001.jpnprd01.prod.outlook.com"],
                None
            ),
            IpClass::Provider
        );
        // An Azure VM: Microsoft's AS, a name of its own.
        assert_eq!(
            class(&t, "20.1.2.3", &["vm1.example.net"], Some(8075)),
            IpClass::External
        );
        assert_eq!(
            class(&t, "20.1.2.3", &["x.outlook.com"], Some(8075)),
            IpClass::Provider
        );
        assert_eq!(class(&t, "fe80::1", &[], None), IpClass::Internal);
        assert_eq!(
            class(&t, "2002:a05:6214:2f8a::1", &[], None),
            IpClass::Internal
        );
        assert_eq!(class(&t, "198.51.100.7", &[], None), IpClass::External);
    }

    #[test]
    fn trust_items() {
        let mut t = Trust::default();
        t.add("198.51.100.0/24").unwrap();
        t.add("AS64500").unwrap();
        t.add("example.co.jp").unwrap();
        assert!(t.add("not a thing!").is_err());
        assert_eq!(class(&t, "198.51.100.7", &[], None), IpClass::Provider);
        assert_eq!(
            class(&t, "203.0.113.1", &[], Some(64500)),
            IpClass::Provider
        );
        assert_eq!(
            class(&t, "203.0.113.1", &["mx.example.co.jp"], None),
            IpClass::Provider
        );
        assert_eq!(
            class(&t, "203.0.113.1", &["mx.badexample.co.jp"], None),
            IpClass::External
        );
    }

    #[test]
    fn notes_that_mark_trust() {
        assert!(note_marks_trusted("our VPN gateway"));
        assert!(note_marks_trusted("Provider: KDDI relay"));
        assert!(!note_marks_trusted("attacker infrastructure"));
        assert!(!note_marks_trusted("tourist wifi"));
    }
}
