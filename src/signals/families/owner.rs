//! Owner evidence, once per distinct address: the signature list's networks
//! (by prefix, then AS number) and what an ISP/Enterprise/Anonymous-IP
//! database says about the line. (The analyst's own word on the owner is
//! the note family.)

use std::net::IpAddr;

use crate::owner::Owner;
use crate::signals::evidence::{DbClass, Evidence, Fact};
use crate::signals::signatures::{Signatures, Weight};

/// The owner evidence of one address.
pub fn owner_evidence(ip: IpAddr, owner: &Owner, sigs: &Signatures, out: &mut Vec<Evidence>) {
    if owner.internal.is_some() {
        out.push(Evidence {
            weight: sigs.weight(Weight::NetworkInternal),
            fact: Fact::Internal,
        });
        return;
    }
    match sigs.network_for(ip, owner.asn) {
        Some((index, matched)) => {
            out.push(Evidence {
                weight: sigs.networks[index].weight(&sigs.weights),
                fact: Fact::Network {
                    entry: index as u32,
                    prefix: match matched {
                        crate::signals::signatures::NetworkMatch::Prefix(net) => Some(net),
                        crate::signals::signatures::NetworkMatch::Asn(_) => None,
                    },
                },
            });
        }
        // A database's line type only speaks when the list did not: the
        // list already says the same about the networks it knows, and
        // counting both would weigh one observation twice.
        None => {
            if let Some(class) = database_class(owner) {
                let key = match class {
                    DbClass::Residential => Weight::NetworkResidential,
                    DbClass::Cellular => Weight::NetworkCellular,
                    DbClass::Business => Weight::NetworkBusiness,
                    DbClass::Hosting => Weight::NetworkHosting,
                    DbClass::Spider => Weight::NetworkSpider,
                };
                out.push(Evidence {
                    weight: sigs.weight(key),
                    fact: Fact::Database(class),
                });
            } else if owner.asn.is_some() {
                out.push(Evidence {
                    weight: sigs.weight(Weight::NetworkUnlisted),
                    fact: Fact::Unlisted,
                });
            }
        }
    }
    let f = owner.flags;
    if f.anonymous || f.anonymous_vpn || f.public_proxy || f.residential_proxy || f.tor_exit_node {
        out.push(Evidence {
            weight: sigs.weight(Weight::NetworkAnonymous),
            fact: Fact::Anonymous,
        });
    }
}

/// The line type a database gives, strongest first: a spider or hosting
/// mark outranks a generic connection type.
fn database_class(owner: &Owner) -> Option<DbClass> {
    let user_type = owner.user_type.as_deref().map(str::to_ascii_lowercase);
    let connection = owner
        .connection_type
        .as_deref()
        .map(str::to_ascii_lowercase);
    match user_type.as_deref() {
        Some("search_engine_spider") => return Some(DbClass::Spider),
        Some("hosting" | "content_delivery_network") => return Some(DbClass::Hosting),
        _ => {}
    }
    if owner.flags.hosting_provider {
        return Some(DbClass::Hosting);
    }
    match (user_type.as_deref(), connection.as_deref()) {
        (Some("cellular"), _) | (_, Some("cellular")) => Some(DbClass::Cellular),
        (Some("residential"), _) | (_, Some("cable/dsl")) => Some(DbClass::Residential),
        (Some("business" | "government" | "college" | "school" | "library"), _)
        | (_, Some("corporate")) => Some(DbClass::Business),
        _ => None,
    }
}

impl DbClass {
    pub fn describe(self) -> &'static str {
        match self {
            DbClass::Residential => "a residential line, per the owner database",
            DbClass::Cellular => "a mobile line, per the owner database",
            DbClass::Business => "a business line, per the owner database",
            DbClass::Hosting => "a hosting provider, per the owner database",
            DbClass::Spider => "a search-engine crawler, per the owner database",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn evidence(ip: &str, owner: Owner) -> Vec<Evidence> {
        let sigs = Signatures::builtin().unwrap();
        let mut out = Vec::new();
        owner_evidence(ip.parse().unwrap(), &owner, &sigs, &mut out);
        out
    }

    fn asn(asn: u32) -> Owner {
        Owner {
            asn: Some(asn),
            ..Owner::default()
        }
    }

    #[test]
    fn prefix_beats_asn_and_vendors_are_strong() {
        let eop = evidence("104.47.1.254", asn(8075));
        assert!(matches!(
            eop[0].fact,
            Fact::Network {
                prefix: Some(_),
                ..
            }
        ));
        assert!(eop[0].weight >= 3.0);
        let azure = evidence("20.72.100.79", asn(8075));
        assert!(matches!(azure[0].fact, Fact::Network { prefix: None, .. }));
        assert!(azure[0].weight > 0.0 && azure[0].weight < 2.0);
        let docomo = evidence("1.66.0.1", asn(9605));
        assert!(docomo[0].weight < 0.0);
    }

    #[test]
    fn database_types_speak_only_for_unlisted_networks() {
        let mut o = asn(64_512);
        o.connection_type = Some(Arc::from("Cellular"));
        assert_eq!(
            evidence("192.0.2.1", o)[0].fact,
            Fact::Database(DbClass::Cellular)
        );
        let mut o = asn(8075);
        o.user_type = Some(Arc::from("hosting"));
        let e = evidence("20.1.1.1", o);
        assert_eq!(e.len(), 1);
        assert!(matches!(e[0].fact, Fact::Network { .. }));
        let mut o = asn(64_512);
        o.flags.anonymous_vpn = true;
        let e = evidence("192.0.2.1", o);
        assert_eq!(e[0].fact, Fact::Unlisted);
        assert_eq!(e[1].fact, Fact::Anonymous);
        // Without even an AS number nothing is known, so nothing is said.
        assert!(evidence("192.0.2.1", Owner::default()).is_empty());
    }

    #[test]
    fn internal_addresses_are_the_company_s_own() {
        let mut o = asn(8075);
        o.internal = Some("private");
        let e = evidence("10.0.0.1", o);
        assert_eq!(
            e,
            vec![Evidence {
                weight: -0.5,
                fact: Fact::Internal
            }]
        );
    }
}
