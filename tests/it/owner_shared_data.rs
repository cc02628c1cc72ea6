//! Tests on the shared reference data next to the project (`../shared`):
//! MaxMind's and IPinfo's test databases, MaxMind's corrupt files, and the
//! real full-size ASN database. Marked `#[ignore]` (the data is not part of
//! the repository); `.ci/run` runs them with `--ignored`, and then they
//! fail, not skip, when the data is missing.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::Command;

use whoclicked::owner::{DatabaseKind, Language, Owner, OwnerDatabases, OwnerDbError};

fn shared(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    assert!(
        path.exists(),
        "shared test data missing: {} (these tests need the shared folder next to the project)",
        path.display()
    );
    path
}

fn maxmind(name: &str) -> PathBuf {
    shared(&format!("testdata/maxmind/test-data/{name}"))
}

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

fn open(paths: &[PathBuf]) -> OwnerDatabases {
    OwnerDatabases::open(paths)
        .expect("opens")
        .with_language(Language::English)
}

fn net(owner: &Owner) -> String {
    owner.network.map(|n| n.to_string()).unwrap_or_default()
}

fn s(value: &Option<std::sync::Arc<str>>) -> Option<&str> {
    value.as_deref()
}

#[test]
#[ignore = "needs ../shared"]
fn geolite2_asn_test() {
    let dbs = open(&[maxmind("GeoLite2-ASN-Test.mmdb")]);
    assert_eq!(dbs.infos()[0].kind, DatabaseKind::Asn);
    let telstra = dbs.lookup(ip("1.128.0.1"));
    assert_eq!(telstra.asn, Some(1221));
    assert_eq!(s(&telstra.as_org), Some("Telstra Pty Ltd"));
    assert_eq!(net(&telstra), "1.128.0.0/11");
    let google = dbs.lookup(ip("1.0.0.1"));
    assert_eq!(
        (google.asn, s(&google.as_org)),
        (Some(15169), Some("Google Inc."))
    );
    assert_eq!(net(&google), "1.0.0.0/24");
    let att = dbs.lookup(ip("12.81.96.5"));
    assert_eq!((att.asn, s(&att.as_org)), (Some(7018), None));
    assert_eq!(net(&att), "12.81.96.0/19");
    let sunrise = dbs.lookup(ip("2001:1700::1"));
    assert_eq!(sunrise.asn, Some(6730));
    assert_eq!(s(&sunrise.as_org), Some("Sunrise Communications AG"));
    assert!(dbs.lookup(ip("8.8.8.8")).is_unknown());
    assert_eq!(dbs.lookup(ip("127.0.0.1")).internal, Some("loopback"));
}

#[test]
#[ignore = "needs ../shared"]
fn geoip2_isp_test() {
    let dbs = open(&[maxmind("GeoIP2-ISP-Test.mmdb")]);
    assert_eq!(dbs.infos()[0].kind, DatabaseKind::Isp);
    let telstra = dbs.lookup(ip("1.128.0.1"));
    assert_eq!(s(&telstra.isp), Some("Telstra Internet"));
    assert_eq!(telstra.asn, Some(1221));
    let verizon = dbs.lookup(ip("149.101.100.1"));
    assert_eq!(s(&verizon.isp), Some("Verizon Wireless"));
    assert_eq!(s(&verizon.organization), Some("Verizon Wireless"));
    assert_eq!(verizon.asn, Some(6167));
    assert_eq!(s(&verizon.as_org), Some("CELLCO-PART"));
    let level3 = dbs.lookup(ip("8.8.8.8"));
    assert_eq!(s(&level3.isp), Some("Level 3 Communications"));
    assert_eq!(level3.asn, None);
    assert_eq!(net(&level3), "8.0.0.0/11");
}

#[test]
#[ignore = "needs ../shared"]
fn city_tests_in_english_and_japanese() {
    for file in [
        "GeoIP2-City-Test.mmdb",
        "GeoLite2-City-Test.mmdb",
        "GeoIP2-City-Shield-Test.mmdb",
    ] {
        let english = open(&[maxmind(file)]);
        assert_eq!(english.infos()[0].kind, DatabaseKind::City, "{file}");
        let london = english.lookup(ip("81.2.69.160"));
        assert_eq!(s(&london.country_code), Some("GB"), "{file}");
        assert_eq!(s(&london.country_name), Some("United Kingdom"));
        assert_eq!(s(&london.city), Some("London"));
        assert_eq!(net(&london), "81.2.69.160/27");
        let jp = english.lookup(ip("2001:218::1"));
        assert_eq!(s(&jp.country_code), Some("JP"));
        assert_eq!(jp.city, None);

        let japanese = english.with_language(Language::Japanese);
        let london = japanese.lookup(ip("81.2.69.160"));
        assert_eq!(s(&london.city), Some("ロンドン"), "{file}");
        assert_eq!(s(&london.country_name), Some("イギリス"));
        let linkoping = japanese.lookup(ip("89.160.20.128"));
        assert_eq!(s(&linkoping.country_code), Some("SE"));
        assert_eq!(s(&linkoping.city), Some("リンシェーピング"));
        assert_eq!(net(&linkoping), "89.160.20.128/25");
        let changchun = japanese.lookup(ip("175.16.199.1"));
        assert_eq!(s(&changchun.country_code), Some("CN"));
        assert_eq!(s(&changchun.city), Some("長春市"));
        // Milton has no Japanese name: English stands in.
        let milton = japanese.lookup(ip("216.160.83.56"));
        assert_eq!(s(&milton.city), Some("Milton"));
        assert_eq!(s(&milton.country_code), Some("US"));
    }
}

#[test]
#[ignore = "needs ../shared"]
fn country_enterprise_and_flag_databases() {
    for file in [
        "GeoIP2-Country-Test.mmdb",
        "GeoLite2-Country-Test.mmdb",
        "GeoIP2-Country-Shield-Test.mmdb",
    ] {
        let dbs = open(&[maxmind(file)]);
        assert_eq!(dbs.infos()[0].kind, DatabaseKind::Country, "{file}");
        assert_eq!(s(&dbs.lookup(ip("81.2.69.160")).country_code), Some("GB"));
    }
    for file in [
        "GeoIP2-Enterprise-Test.mmdb",
        "GeoIP2-Enterprise-Shield-Test.mmdb",
        "GeoIP2-Precision-Enterprise-Test.mmdb",
        "GeoIP2-Precision-Enterprise-Shield-Test.mmdb",
    ] {
        let dbs = open(&[maxmind(file)]);
        assert_eq!(dbs.infos()[0].kind, DatabaseKind::Enterprise, "{file}");
        let chatham = dbs.lookup(ip("74.209.24.1"));
        assert_eq!(s(&chatham.user_type), Some("residential"), "{file}");
        assert_eq!(s(&chatham.connection_type), Some("Cable/DSL"));
        assert_eq!(chatham.asn, Some(14671));
        assert_eq!(s(&chatham.city), Some("Chatham"));
        let gov = dbs.lookup(ip("81.2.69.160"));
        assert_eq!(s(&gov.user_type), Some("government"));
        assert_eq!(s(&gov.isp), Some("Andrews & Arnold Ltd"));
    }
    let enterprise = open(&[maxmind("GeoIP2-Enterprise-Test.mmdb")]);
    assert_eq!(
        s(&enterprise.lookup(ip("81.2.69.160")).connection_type),
        Some("Corporate")
    );
    let starlink = enterprise.lookup(ip("214.78.120.1"));
    assert_eq!(s(&starlink.connection_type), Some("Satellite"));
    assert_eq!(starlink.asn, Some(14593));
    assert!(
        [&starlink.isp, &starlink.organization, &starlink.as_org]
            .iter()
            .any(|v| v
                .as_deref()
                .is_some_and(|t| t.contains("Starlink") || t.contains("SpaceX")))
    );

    let anonymous = open(&[maxmind("GeoIP2-Anonymous-IP-Test.mmdb")]);
    let all = anonymous.lookup(ip("81.2.69.1"));
    assert_eq!(all.flags.names().count(), 6);
    let vpn = anonymous.lookup(ip("1.2.0.1"));
    assert!(vpn.flags.anonymous && vpn.flags.anonymous_vpn && !vpn.flags.tor_exit_node);
    // The empty record `{}` is no data.
    let empty = anonymous.lookup(ip("8.8.8.8"));
    assert!(empty.is_unknown() && empty.sources.is_empty());
    let plus = open(&[maxmind("GeoIP-Anonymous-Plus-Test.mmdb")]);
    assert!(plus.lookup(ip("1.2.0.1")).flags.anonymous_vpn);
    let residential = open(&[maxmind("GeoIP-Residential-Proxy-Test.mmdb")]);
    assert_eq!(residential.infos()[0].kind, DatabaseKind::ResidentialProxy);
    assert!(residential.lookup(ip("1.2.0.4")).flags.residential_proxy);
    let risk = open(&[maxmind("GeoIP2-IP-Risk-Test.mmdb")]);
    assert_eq!(risk.infos()[0].kind, DatabaseKind::AnonymousIp);

    let connection = open(&[maxmind("GeoIP2-Connection-Type-Test.mmdb")]);
    for (addr, kind) in [
        ("1.0.1.1", "Cellular"),
        ("214.78.120.1", "Satellite"),
        ("201.243.200.1", "Corporate"),
    ] {
        assert_eq!(
            s(&connection.lookup(ip(addr)).connection_type),
            Some(kind),
            "{addr}"
        );
    }
    let domain = open(&[maxmind("GeoIP2-Domain-Test.mmdb")]);
    assert_eq!(s(&domain.lookup(ip("1.2.0.1")).domain), Some("maxmind.com"));
    assert_eq!(
        s(&domain.lookup(ip("71.160.223.5")).domain),
        Some("verizon.net")
    );
}

#[test]
#[ignore = "needs ../shared"]
fn every_maxmind_test_file_opens_or_fails_clearly() {
    let dir = shared("testdata/maxmind/test-data");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "mmdb"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 40);
    let mut opened = 0;
    for file in &files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        match OwnerDatabases::open(std::slice::from_ref(file)) {
            Ok(dbs) => {
                opened += 1;
                for addr in ["1.2.0.1", "81.2.69.160", "2001:218::1", "8.8.8.8"] {
                    let _ = dbs.lookup(ip(addr));
                }
                assert_eq!(dbs.lookup_error_count(), 0, "{name}");
            }
            Err(err) => {
                assert!(err.to_string().contains(&name), "{err}");
                let expected = match name.as_str() {
                    "GeoIP2-City-Test-Invalid-Node-Count.mmdb" => {
                        matches!(err, OwnerDbError::Invalid { .. })
                    }
                    "GeoIP2-City-Test-Broken-Double-Format.mmdb"
                    | "MaxMind-DB-test-broken-pointers-24.mmdb"
                    | "MaxMind-DB-test-broken-search-tree-24.mmdb" => {
                        matches!(err, OwnerDbError::Corrupt { .. })
                    }
                    // Format tests and products without owner facts.
                    _ => matches!(err, OwnerDbError::Unsupported { .. }),
                };
                assert!(expected, "{name}: unexpected error {err:?}");
            }
        }
    }
    // The 23 product databases minus DensityIncome, Static-IP-Score,
    // User-Count, Broken-Double-Format and Invalid-Node-Count.
    assert_eq!(opened, 18);
}

#[test]
#[ignore = "needs ../shared"]
fn ipinfo_samples() {
    let dir = "testdata/ipinfo";
    let cases = [
        (
            "ipinfo_lite_sample.mmdb",
            DatabaseKind::IpinfoLite,
            true,
            true,
        ),
        (
            "ip_country_asn_sample.mmdb",
            DatabaseKind::IpinfoCountryAsn,
            true,
            true,
        ),
        ("ip_asn_sample.mmdb", DatabaseKind::IpinfoAsn, true, false),
        (
            "ip_country_sample.mmdb",
            DatabaseKind::IpinfoCountry,
            false,
            true,
        ),
    ];
    for (file, kind, has_asn, has_country) in cases {
        let dbs = open(&[shared(&format!("{dir}/{file}"))]);
        assert_eq!(dbs.infos()[0].kind, kind, "{file}");
        let cf = dbs.lookup(ip("1.0.0.1"));
        assert_eq!(net(&cf), "1.0.0.0/24", "{file}");
        if has_asn {
            assert_eq!(cf.asn, Some(13335), "{file}");
            assert_eq!(s(&cf.as_org), Some("Cloudflare, Inc."));
            assert_eq!(s(&cf.domain), Some("cloudflare.com"));
        }
        if has_country {
            assert_eq!(s(&cf.country_code), Some("AU"), "{file}");
            assert_eq!(s(&cf.country_name), Some("Australia"));
        }
        // 1.0.1.0/24: China, ASN unknown ("" in legacy, absent in Lite).
        let cn = dbs.lookup(ip("1.0.1.1"));
        assert_eq!(cn.asn, None, "{file}");
        assert_eq!(cn.as_org, None, "{file}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn every_bad_data_file_errors_clearly_or_degrades_gracefully() {
    let root = shared("testdata/maxmind/bad-data");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("list") {
        let dir = dir.expect("entry").path();
        if dir.is_dir() {
            for entry in std::fs::read_dir(&dir).expect("list") {
                files.push(entry.expect("entry").path());
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 21);
    let probes: Vec<IpAddr> = [
        "1.1.1.1",
        "1.2.3.4",
        "::1.1.1.1",
        "2001::1",
        "8.8.8.8",
        "255.255.255.254",
    ]
    .map(ip)
    .into_iter()
    .chain(
        (0..2_000u32).map(|i| IpAddr::V4(std::net::Ipv4Addr::from(i.wrapping_mul(2_654_435_761)))),
    )
    .collect();
    for file in &files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        // The library: an error naming the file, or lookups that never panic.
        match OwnerDatabases::open(std::slice::from_ref(file)) {
            Ok(dbs) => {
                let owners = dbs.lookup_all(&probes);
                assert_eq!(owners.len(), probes.len());
            }
            Err(err) => assert!(err.to_string().contains(&name), "{err}"),
        }
        // Every bad file fails the full check.
        assert!(
            whoclicked::mmdb::verify(file).is_err(),
            "{name} passed verify"
        );
        // The binary: `mmdb info` fails cleanly (exit 1, not a panic's 101).
        let info = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
            .args(["mmdb", "info"])
            .arg(file)
            .output()
            .expect("run");
        assert_eq!(info.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&info.stderr);
        assert!(stderr.contains(&name), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
#[ignore = "needs ../shared"]
fn real_asn_database_facts() {
    let path = shared("data/asn-real.mmdb");
    let dbs = open(std::slice::from_ref(&path));
    let info = &dbs.infos()[0];
    assert_eq!(info.kind, DatabaseKind::Asn);
    assert_eq!(info.node_count, 1_225_497);
    let owner = |addr: &str| dbs.lookup(ip(addr));
    let microsoft = owner("40.94.0.1");
    assert_eq!(microsoft.asn, Some(8075));
    assert_eq!(s(&microsoft.as_org), Some("Microsoft Corporation"));
    assert_eq!(net(&microsoft), "40.88.0.0/13");
    let proofpoint = owner("148.163.130.1");
    assert_eq!(proofpoint.asn, Some(13916));
    assert_eq!(s(&proofpoint.as_org), Some("Proofpoint, Inc."));
    assert_eq!(owner("148.163.0.1").asn, Some(53755));
    let mimecast = owner("205.139.110.1");
    assert_eq!(mimecast.asn, Some(30031));
    assert_eq!(s(&mimecast.as_org), Some("Mimecast North America Inc"));
    assert_eq!(owner("133.106.34.58").asn, Some(138384));
    assert_eq!(owner("8.8.8.8").asn, Some(15169));
    assert_eq!(owner("::ffff:8.8.8.8").asn, Some(15169));
    assert_eq!(owner("2001:4860:4860::8888").asn, Some(15169));
    let private = owner("10.0.0.1");
    assert_eq!(private.internal, Some("private"));
    assert!(private.sources.is_empty());

    // Bulk: every owner equals its single lookup, no lookup fails.
    let ips: Vec<IpAddr> = (0..50_000u32)
        .map(|i| IpAddr::V4(std::net::Ipv4Addr::from(i.wrapping_mul(2_654_435_761))))
        .collect();
    let owners = dbs.lookup_all(&ips);
    for i in (0..ips.len()).step_by(1_009) {
        assert_eq!(owners[i], dbs.lookup(ips[i]));
    }
    assert_eq!(dbs.lookup_error_count(), 0);

    let out = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["lookup", "--json", "--no-kb", "--mmdb"])
        .arg(&path)
        .args(["40.94.0.1", "10.0.0.1"])
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(r#""asn":8075"#), "{text}");
    assert!(text.contains(r#""internal":"private""#), "{text}");
}
