//! Every AS number and prefix of the built-in signature list, checked
//! against a real, full-size IP-to-ASN database (`../shared/data`, not part
//! of the project). Run with `cargo test -- --ignored`; fails when the file
//! is missing.

use std::collections::{HashMap, HashSet};

use ipnetwork::IpNetwork;
use maxminddb::{Reader, WithinOptions, geoip2};
use whoclicked::signals::Signatures;

const DB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/asn-real.mmdb");

/// The organisation the database gives each AS number, from a full walk.
fn asn_orgs(reader: &Reader<Vec<u8>>) -> HashMap<u32, String> {
    let mut orgs = HashMap::new();
    for cidr in ["0.0.0.0/0", "::/0"] {
        let net: IpNetwork = cidr.parse().unwrap();
        for item in reader.within(net, WithinOptions::default()).unwrap() {
            let item = item.unwrap();
            if let Ok(Some(rec)) = item.decode::<geoip2::Asn>()
                && let Some(asn) = rec.autonomous_system_number
            {
                orgs.entry(asn).or_insert_with(|| {
                    rec.autonomous_system_organization
                        .unwrap_or_default()
                        .to_string()
                });
            }
        }
    }
    orgs
}

/// Words of an entry name that the database's organisation must contain
/// (case-insensitive), for entries naming one company.
fn expected_words(name: &str) -> Vec<&'static str> {
    let table: &[(&str, &[&str])] = &[
        ("Proofpoint", &["proofpoint"]),
        ("Mimecast", &["mimecast"]),
        ("Barracuda", &["barracuda"]),
        ("IronPort", &["ironport"]),
        ("Trend Micro", &["trend micro"]),
        ("Fortinet", &["fortinet"]),
        ("MessageLabs", &["messagelabs"]),
        ("Hornetsecurity", &["hornetsecurity"]),
        ("retarus", &["retarus"]),
        ("Trustwave", &["trustwave"]),
        ("Zix", &["zix"]),
        ("Cyren", &["cyren"]),
        ("Kaspersky", &["kaspersky"]),
        ("Check Point", &["check point software"]),
        ("CrowdStrike", &["crowdstrike"]),
        (
            "Antivirus vendors",
            &[
                "eset, spol",
                "eset llc",
                "bitdefender",
                "avast software",
                "avira holding",
                "panda security",
                "malwarebytes",
            ],
        ),
        ("Microsoft", &["microsoft"]),
        ("Amazon", &["amazon"]),
        ("Google", &["google"]),
        ("Oracle", &["oracle"]),
        ("IBM", &["ibm"]),
        ("Alibaba", &["alibaba"]),
        ("Tencent", &["tencent"]),
        ("Cloudflare", &["cloudflare"]),
        ("Zscaler", &["zscaler"]),
        ("Umbrella", &["opendns"]),
        ("Netskope", &["netskope"]),
        ("Forcepoint", &["forcepoint"]),
        ("Menlo", &["menlo security"]),
        ("Palo Alto", &["palo alto"]),
        ("DOCOMO", &["docomo"]),
        ("Rakuten", &["rakuten"]),
        ("KDDI", &["kddi"]),
        ("SoftBank", &["softbank"]),
        ("T-Mobile", &["t-mobile"]),
        ("Verizon", &["verizon"]),
    ];
    table
        .iter()
        .filter(|(key, _)| name.contains(key))
        .flat_map(|(_, words)| words.iter().copied())
        .collect()
}

#[test]
#[ignore = "reads ../shared/data/asn-real.mmdb"]
fn signature_asns_are_real() {
    let reader = Reader::open_readfile(DB).unwrap_or_else(|e| {
        panic!("cannot open {DB}: {e} (the shared data must be beside the project)")
    });
    let orgs = asn_orgs(&reader);
    assert!(
        orgs.len() > 50_000,
        "{DB} looks truncated: {} AS numbers",
        orgs.len()
    );
    let sigs = Signatures::builtin().unwrap();
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for entry in &sigs.networks {
        let words = expected_words(&entry.name);
        for &asn in &entry.asns {
            if !seen.insert(asn) {
                problems.push(format!("AS{asn} is listed twice"));
            }
            match orgs.get(&asn) {
                None => problems.push(format!(
                    "AS{asn} ({}) announces nothing in the database",
                    entry.name
                )),
                Some(org) => {
                    let lower = org.to_lowercase();
                    if !words.is_empty() && !words.iter().any(|w| lower.contains(w)) {
                        problems.push(format!(
                            "AS{asn} is {org:?} in the database, not {} as listed",
                            entry.name
                        ));
                    }
                }
            }
        }
        for prefix in &entry.prefixes {
            // The first and last address of a listed prefix must belong to
            // the company the entry names.
            for ip in [prefix.network(), prefix.broadcast()] {
                let result = reader.lookup(ip).unwrap();
                let rec: Option<geoip2::Asn> = result.decode().unwrap();
                let org = rec
                    .and_then(|r| r.autonomous_system_organization)
                    .unwrap_or("(none)")
                    .to_lowercase();
                if !words.iter().any(|w| org.contains(w)) {
                    problems.push(format!("{ip} of {prefix} ({}) is {org:?}", entry.name));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "signature list disagrees with the database:\n{}",
        problems.join("\n")
    );
}
