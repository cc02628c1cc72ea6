//! Owner lookups over fixture databases of every schema, merged.

use crate::support::mmdb as fixtures;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use fixtures::*;
use whoclicked::mmdb::{Value, Writer, WriterOptions};
use whoclicked::owner::{DatabaseKind, Language, OwnerDatabases, OwnerDbError, Recognition};

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn open(dbs: Vec<(&str, Vec<u8>)>) -> OwnerDatabases {
    OwnerDatabases::from_bytes(
        dbs.into_iter()
            .map(|(name, bytes)| (PathBuf::from(name), bytes))
            .collect(),
    )
    .expect("fixtures open")
}

/// ASN, ISP, City, Enterprise, Connection-Type, Domain, in that order.
fn maxmind_set() -> OwnerDatabases {
    open(vec![
        ("asn.mmdb", asn_db()),
        ("isp.mmdb", isp_db()),
        ("city.mmdb", city_db()),
        ("enterprise.mmdb", enterprise_db()),
        ("connection.mmdb", connection_db()),
        ("domain.mmdb", domain_db()),
    ])
}

fn prefix(owner: &whoclicked::owner::Owner) -> String {
    owner.network.map(|n| n.to_string()).unwrap_or_default()
}

#[test]
fn schemas_are_recognised_with_their_fields() {
    let dbs = open(vec![
        ("asn.mmdb", asn_db()),
        ("isp.mmdb", isp_db()),
        ("city.mmdb", city_db()),
        ("enterprise.mmdb", enterprise_db()),
        ("anon.mmdb", anonymous_db()),
        ("conn.mmdb", connection_db()),
        ("domain.mmdb", domain_db()),
        ("lite.mmdb", ipinfo_lite_db()),
        ("legacy.mmdb", ipinfo_legacy_db()),
        ("u16.mmdb", u16_asn_db()),
    ]);
    let kinds: Vec<DatabaseKind> = dbs.infos().iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        vec![
            DatabaseKind::Asn,
            DatabaseKind::Isp,
            DatabaseKind::City,
            DatabaseKind::Enterprise,
            DatabaseKind::AnonymousIp,
            DatabaseKind::ConnectionType,
            DatabaseKind::Domain,
            DatabaseKind::IpinfoLite,
            DatabaseKind::IpinfoCountryAsn,
            DatabaseKind::Asn,
        ]
    );
    let asn = &dbs.infos()[0];
    assert_eq!(asn.fields, vec!["network", "asn", "as_org"]);
    assert_eq!(asn.database_type, "GeoLite2-ASN");
    assert_eq!(asn.recognised_by, Recognition::DatabaseType);
    assert_eq!(asn.ip_version, 6);
    assert_eq!(asn.record_size, 24);
    assert_eq!(asn.languages, vec!["en"]);
    assert_eq!(asn.description.as_deref(), Some("GeoLite2-ASN fixture"));
    assert_eq!(asn.build_date(), "2026-06-01");
    assert_eq!(asn.path, PathBuf::from("asn.mmdb"));
    assert!(dbs.infos()[3].fields.contains(&"user_type"));
    assert_eq!(dbs.infos()[9].recognised_by, Recognition::RecordKeys);
}

#[test]
fn merged_owner_of_an_azure_address() {
    let dbs = maxmind_set().with_language(Language::English);
    let owner = dbs.lookup(ip("40.94.0.1"));
    assert_eq!(owner.asn, Some(8075));
    assert_eq!(owner.as_org.as_deref(), Some("Microsoft Corporation"));
    assert_eq!(owner.isp.as_deref(), Some("Microsoft Azure"));
    assert_eq!(owner.organization.as_deref(), Some("Microsoft Azure Cloud"));
    assert_eq!(owner.country_code.as_deref(), Some("US"));
    assert_eq!(owner.country_name.as_deref(), Some("United States"));
    assert_eq!(owner.city.as_deref(), Some("San Antonio"));
    assert_eq!(owner.connection_type.as_deref(), Some("Corporate"));
    assert_eq!(owner.user_type.as_deref(), Some("hosting"));
    assert!(owner.flags.hosting_provider);
    assert!(!owner.flags.anonymous);
    // ASN /13, ISP /16, City /15, Enterprise /24, Connection /16: the /24.
    assert_eq!(prefix(&owner), "40.94.0.0/24");
    assert_eq!(owner.sources, vec![0, 1, 2, 3, 4]);
    assert_eq!(owner.internal, None);
    assert_eq!(owner.to_string(), "AS8075 Microsoft Azure Cloud");

    // Outside the Enterprise /24 the next most specific prefix shows.
    let next = dbs.lookup(ip("40.94.1.1"));
    assert_eq!(prefix(&next), "40.94.0.0/16");
    assert_eq!(next.user_type, None);
    assert_eq!(next.sources, vec![0, 1, 2, 4]);
    // IPv4 in the IPv6 tree comes back as an IPv4 prefix.
    let only_asn = dbs.lookup(ip("40.90.0.1"));
    assert_eq!(prefix(&only_asn), "40.88.0.0/13");
    assert_eq!(only_asn.sources, vec![0]);
}

#[test]
fn merged_owner_of_a_japanese_phone_in_both_languages() {
    let english = maxmind_set().with_language(Language::English);
    let owner = english.lookup(ip("133.106.34.58"));
    assert_eq!(owner.asn, Some(138384));
    assert_eq!(owner.as_org.as_deref(), Some("Rakuten Mobile, Inc."));
    assert_eq!(owner.isp.as_deref(), Some("Rakuten Mobile"));
    assert_eq!(owner.country_code.as_deref(), Some("JP"));
    assert_eq!(owner.country_name.as_deref(), Some("Japan"));
    assert_eq!(owner.city.as_deref(), Some("Tokyo"));
    assert_eq!(owner.connection_type.as_deref(), Some("Cellular"));
    assert_eq!(owner.domain.as_deref(), Some("rakuten.co.jp"));
    assert_eq!(prefix(&owner), "133.106.32.0/19");
    assert_eq!(owner.sources, vec![0, 1, 2, 4, 5]);

    let japanese = maxmind_set().with_language(Language::Japanese);
    let owner = japanese.lookup(ip("133.106.34.58"));
    assert_eq!(owner.country_name.as_deref(), Some("日本"));
    assert_eq!(owner.city.as_deref(), Some("東京"));
    // A city without `names.ja` falls back to English; the country has one.
    let azure = japanese.lookup(ip("40.94.0.1"));
    assert_eq!(azure.city.as_deref(), Some("San Antonio"));
    assert_eq!(azure.country_name.as_deref(), Some("アメリカ合衆国"));
}

#[test]
fn ipv6_mapped_and_registered_country() {
    let dbs = maxmind_set().with_language(Language::English);
    let google = dbs.lookup(ip("2001:4860:4860::8888"));
    assert_eq!(google.asn, Some(15169));
    assert_eq!(google.as_org.as_deref(), Some("Google LLC"));
    assert_eq!(prefix(&google), "2001:4860::/32");
    // The City record has only a registration country: it stands in.
    assert_eq!(google.country_code.as_deref(), Some("US"));
    // IPv4-mapped IPv6 is looked up as IPv4 and reported as such.
    let mapped = dbs.lookup(ip("::ffff:40.94.0.1"));
    assert_eq!(mapped, dbs.lookup(ip("40.94.0.1")));
    // An ASN record without an organisation.
    let att = dbs.lookup(ip("12.81.100.1"));
    assert_eq!(att.asn, Some(7018));
    assert_eq!(att.as_org, None);
    assert_eq!(att.to_string(), "AS7018");
}

#[test]
fn internal_addresses_are_not_looked_up() {
    let dbs = maxmind_set();
    for (text, why) in [
        ("10.0.0.1", "private"),
        ("192.168.10.20", "private"),
        ("127.0.0.1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:172.16.0.1", "private"),
    ] {
        let owner = dbs.lookup(ip(text));
        assert_eq!(owner.internal, Some(why), "{text}");
        assert!(owner.sources.is_empty());
        assert_eq!(owner.network, None);
        assert!(!owner.is_unknown());
    }
    assert_eq!(dbs.lookup(ip("100.64.1.1")).internal, Some("CGNAT"));
    assert_eq!(dbs.lookup(ip("10.0.0.1")).to_string(), "internal (private)");
    let unknown = dbs.lookup(ip("9.9.9.9"));
    assert!(unknown.is_unknown());
    assert_eq!(unknown.to_string(), "unknown");
}

#[test]
fn anonymity_flags_and_empty_records() {
    let dbs = open(vec![("anon.mmdb", anonymous_db())]);
    let all = dbs.lookup(ip("81.2.69.1"));
    assert_eq!(
        all.flags.names().collect::<Vec<_>>(),
        vec![
            "anonymous",
            "vpn",
            "hosting",
            "proxy",
            "residential-proxy",
            "tor"
        ]
    );
    assert_eq!(prefix(&all), "81.2.69.0/24");
    let vpn = dbs.lookup(ip("185.220.100.7"));
    assert!(vpn.flags.anonymous && vpn.flags.anonymous_vpn && !vpn.flags.tor_exit_node);
    // `{}` is no data: no source, no network.
    let empty = dbs.lookup(ip("8.8.8.8"));
    assert!(empty.is_unknown());
    assert!(empty.sources.is_empty());
    assert_eq!(empty.network, None);
}

#[test]
fn ipinfo_lite_and_legacy_agree() {
    for bytes in [ipinfo_lite_db(), ipinfo_legacy_db()] {
        let dbs = open(vec![("ipinfo.mmdb", bytes)]).with_language(Language::Japanese);
        let cf = dbs.lookup(ip("1.0.0.1"));
        assert_eq!(cf.asn, Some(13335));
        assert_eq!(cf.as_org.as_deref(), Some("Cloudflare, Inc."));
        assert_eq!(cf.domain.as_deref(), Some("cloudflare.com"));
        assert_eq!(cf.country_code.as_deref(), Some("AU"));
        // No Japanese name in IPinfo: the English one is shown.
        assert_eq!(cf.country_name.as_deref(), Some("Australia"));
        assert_eq!(prefix(&cf), "1.0.0.0/24");
        // Unknown ASN: missing keys (Lite) and "" (legacy) both mean none.
        let cn = dbs.lookup(ip("1.0.1.1"));
        assert_eq!(cn.asn, None);
        assert_eq!(cn.as_org, None);
        assert_eq!(cn.domain, None);
        assert_eq!(cn.country_code.as_deref(), Some("CN"));
        assert_eq!(cn.country_name.as_deref(), Some("China"));
    }
}

#[test]
fn uint16_asn_in_an_unknown_file_still_works() {
    let dbs = open(vec![("acme.mmdb", u16_asn_db())]);
    let info = &dbs.infos()[0];
    assert_eq!(info.kind, DatabaseKind::Asn);
    assert_eq!(info.recognised_by, Recognition::RecordKeys);
    let owner = dbs.lookup(ip("1.1.1.1"));
    assert_eq!(owner.asn, Some(13335));
    assert_eq!(owner.as_org.as_deref(), Some("Cloudflare, Inc."));
    assert_eq!(dbs.lookup_error_count(), 0);
}

#[test]
fn lookup_all_matches_lookup_and_shares_strings() {
    let dbs = maxmind_set();
    // Enough addresses to take the threaded path.
    let ips: Vec<IpAddr> = (0..20_000u32)
        .map(|i| IpAddr::V4(std::net::Ipv4Addr::from(0x2858_0000 + i * 37)))
        .chain(["10.0.0.1", "133.106.34.58", "2001:4860::1", "9.9.9.9"].map(ip))
        .collect();
    let owners = dbs.lookup_all(&ips);
    assert_eq!(owners.len(), ips.len());
    for (i, (addr, owner)) in ips.iter().zip(&owners).enumerate() {
        if i % 997 == 0 || i >= 20_000 {
            assert_eq!(owner, &dbs.lookup(*addr), "{addr}");
        }
    }
    assert_eq!(owners[0].asn, Some(8075));
    assert_eq!(owners[20_000].internal, Some("private"));
    assert_eq!(owners[20_001].asn, Some(138384));
    assert!(owners[20_003].is_unknown());
    // Every Microsoft address holds the one interned organisation string.
    let first = owners[0].as_org.clone().expect("org");
    assert!(
        owners[..20_000]
            .iter()
            .filter_map(|o| o.as_org.as_ref())
            .all(|org| Arc::ptr_eq(org, &first))
    );
    // Interned across databases too: ISP and Enterprise organisation names.
    let dbs = open(vec![("isp", isp_db()), ("ent", enterprise_db())]);
    let a = dbs.lookup(ip("40.94.0.1"));
    let b = dbs.lookup(ip("40.94.200.1"));
    assert!(Arc::ptr_eq(
        a.organization.as_ref().expect("org"),
        b.organization.as_ref().expect("org")
    ));
}

/// An ASN database whose last record is corrupt, after more networks than
/// `open` samples, so the damage shows only at lookup time.
fn corrupt_asn_db() -> Vec<u8> {
    let mut options = WriterOptions::new("GeoLite2-ASN");
    options.build_epoch = BUILD_EPOCH;
    let mut writer = Writer::new(options).expect("writer");
    for i in 0..100u32 {
        let org = if i == 99 {
            "CORRUPT-ME".to_string()
        } else {
            format!("Org {i}")
        };
        let network = net(&format!("{}.0.0.0/8", i + 1));
        writer
            .insert(
                network,
                Value::map([
                    ("autonomous_system_number", Value::Uint32(64_500 + i)),
                    ("autonomous_system_organization", Value::from(org)),
                ]),
            )
            .expect("insert");
    }
    let mut bytes = writer.finish().expect("finish").bytes;
    let at = bytes
        .windows(10)
        .position(|w| w == b"CORRUPT-ME")
        .expect("marker");
    // Extended type byte 0 is invalid in the MMDB format.
    bytes[at - 1] = 0x00;
    bytes[at] = 0x00;
    bytes
}

#[test]
fn corrupt_records_are_counted_not_fatal() {
    let dbs = open(vec![
        ("asn.mmdb", asn_db()),
        ("broken.mmdb", corrupt_asn_db()),
    ]);
    let bad = dbs.lookup(ip("100.1.2.3"));
    assert!(bad.is_unknown());
    let fine = dbs.lookup(ip("40.94.0.1"));
    assert_eq!(fine.asn, Some(8075));
    let other = dbs.lookup(ip("50.1.2.3"));
    assert_eq!(other.asn, Some(64_549));
    let again: Vec<_> = dbs.lookup_all(&[ip("100.9.9.9"), ip("100.8.8.8")]);
    assert!(again.iter().all(|o| o.is_unknown()));
    let errors = dbs.lookup_errors();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].index, 1);
    assert_eq!(errors[0].path, PathBuf::from("broken.mmdb"));
    assert_eq!(errors[0].count, 3);
    assert!(!errors[0].first.is_empty());
    assert_eq!(dbs.lookup_error_count(), 3);
}

#[test]
fn unusable_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.mmdb");
    let err = OwnerDatabases::open(std::slice::from_ref(&missing)).expect_err("missing");
    assert!(matches!(err, OwnerDbError::Io { .. }));
    assert!(err.to_string().contains("missing.mmdb"));

    let junk = write(dir.path(), "junk.mmdb", b"this is not a database");
    let err = OwnerDatabases::open(&[junk]).expect_err("junk");
    assert!(matches!(err, OwnerDbError::Invalid { .. }), "{err}");
    assert!(err.to_string().contains("junk.mmdb"));

    let scores = build(
        "GeoIP2-Static-IP-Score",
        vec![("1.0.0.0/8", Value::map([("score", Value::Double(0.2))]))],
    );
    let scores = write(dir.path(), "scores.mmdb", &scores);
    let err = OwnerDatabases::open(&[scores]).expect_err("no owner facts");
    assert!(matches!(err, OwnerDbError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("scores.mmdb"));
    assert!(err.to_string().contains("static IP scores"));

    let odd = build(
        "Some Vendor DB",
        vec![("1.0.0.0/8", Value::map([("weather", Value::from("sunny"))]))],
    );
    let odd = write(dir.path(), "odd.mmdb", &odd);
    let err = OwnerDatabases::open(&[odd]).expect_err("unknown keys");
    assert!(err.to_string().contains("weather"), "{err}");

    // A schema mismatch caught at open: a "City" whose country is a number.
    let mismatch = build(
        "GeoIP2-City",
        vec![("1.0.0.0/8", Value::map([("country", Value::Uint32(5))]))],
    );
    let mismatch = write(dir.path(), "mismatch.mmdb", &mismatch);
    let err = OwnerDatabases::open(&[mismatch]).expect_err("mismatch");
    assert!(matches!(err, OwnerDbError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("mismatch.mmdb"));
}

#[test]
fn opening_the_same_file_twice_opens_it_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "asn.mmdb", &asn_db());
    let dotted = dir.path().join(".").join("asn.mmdb");
    let dbs = OwnerDatabases::open(&[path.clone(), dotted, path]).expect("open");
    assert_eq!(dbs.len(), 1);
    assert_eq!(dbs.lookup(ip("40.94.0.1")).sources, vec![0]);
}

#[test]
fn ipv6_addresses_in_an_ipv4_only_database_are_just_not_covered() {
    let mut options = WriterOptions::new("GeoLite2-ASN");
    options.ip_version = 4;
    let mut writer = Writer::new(options).expect("writer");
    writer
        .insert(
            net("40.88.0.0/13"),
            Value::map([
                ("autonomous_system_number", Value::Uint32(8075)),
                (
                    "autonomous_system_organization",
                    Value::from("Microsoft Corporation"),
                ),
            ]),
        )
        .expect("insert");
    let bytes = writer.finish().expect("finish").bytes;
    let dbs = open(vec![("v4.mmdb", bytes)]);
    assert_eq!(dbs.infos()[0].ip_version, 4);
    let owner = dbs.lookup(ip("40.94.0.1"));
    assert_eq!(owner.asn, Some(8075));
    assert_eq!(prefix(&owner), "40.88.0.0/13");
    assert_eq!(dbs.lookup(ip("::ffff:40.94.0.1")).asn, Some(8075));
    assert!(dbs.lookup(ip("2001:4860::1")).is_unknown());
    assert_eq!(dbs.lookup_error_count(), 0);
}
