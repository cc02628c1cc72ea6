//! The company network's logs read beside a campaign: Squid (native and
//! common, with and without full URLs), a web gateway's CSV export with a
//! BOM, the Windows DHCP audit log (Japanese server) and `dhcpd.leases`.

use std::path::PathBuf;

use jiff::tz::TimeZone;
use whoclicked::input::{LoadError, LoadOptions, LoadProgress, load};
use whoclicked::model::{Campaign, LogFormat};

/// The options the network tests prepare with: `files` read in Tokyo time,
/// these owner databases, no knowledge base.
pub fn network_options(
    files: Vec<PathBuf>,
    mmdb: Vec<PathBuf>,
    network: whoclicked::network::NetworkOptions,
) -> whoclicked::pipeline::PrepareOptions {
    whoclicked::pipeline::PrepareOptions {
        campaign: whoclicked::pipeline::CampaignSource::Logs(files),
        load: tokyo(),
        mmdb,
        kb: whoclicked::pipeline::KnowledgeSource::Without,
        author: whoclicked::kb::Author::new(Some("sato"), Some("test")),
        cache_owners: false,
        decoys: Vec::new(),
        network,
    }
}

/// The campaign, the Squid log and the Windows DHCP log of the fixtures.
pub fn campaign_proxy_dhcp() -> Vec<PathBuf> {
    vec![
        fixture("campaign.csv"),
        fixture("squid_native.log"),
        fixture("DhcpSrvLog-Thu.log"),
    ]
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/network")
        .join(name)
}

pub fn tokyo() -> LoadOptions {
    LoadOptions {
        zone: TimeZone::get("Asia/Tokyo").unwrap(),
        ..LoadOptions::default()
    }
}

fn load_with_campaign(name: &str) -> Campaign {
    load(
        &[fixture("campaign.csv"), fixture(name)],
        &tokyo(),
        &LoadProgress::default(),
    )
    .unwrap()
}

fn utc(c: &Campaign, t: whoclicked::model::Timestamp) -> String {
    let _ = c;
    t.format_rfc3339(&TimeZone::UTC)
}

/// The issues of file `file`, as `line field: reason`.
fn issues(c: &Campaign, file: u16) -> Vec<String> {
    c.issues
        .iter()
        .filter(|i| i.file == file)
        .map(|i| {
            format!(
                "{} {}: {}",
                i.line,
                i.field.as_deref().unwrap_or("-"),
                i.reason
            )
        })
        .collect()
}

#[test]
fn reads_squid_native_with_full_urls() {
    let c = load_with_campaign("squid_native.log");
    assert_eq!(c.files[1].format, LogFormat::Squid);
    let landing: Vec<_> = c
        .network
        .proxy
        .iter()
        .filter(|r| c.strings.get(r.host) == "training.example-kit.jp")
        .collect();
    assert_eq!(landing.len(), 3);
    let first = landing[0];
    assert_eq!(utc(&c, first.time), "2026-12-03T01:03:10.4Z");
    assert_eq!(first.client.to_string(), "10.1.2.3");
    assert_eq!(c.strings.get(first.user), "CORP\\tanaka");
    assert_eq!(c.strings.get(first.path), "/");
    assert_eq!(c.strings.get(first.rid), "t1aN");
    assert_eq!(c.strings.get(landing[1].path), "/static/site.css");
    assert_eq!(c.strings.get(landing[1].rid), "");
    assert_eq!(
        issues(&c, 1),
        vec![
            "5 -: not a Squid access.log line (native: `time elapsed client code/status bytes \
             method URL user …`, or common/combined): \"1796263300.000 12 10.1.2.9\"",
            "6 client: \"10.1.2.x\" is not an IP address",
        ]
    );
    // The campaign's own accesses are untouched.
    assert_eq!(c.accesses.len(), 6);
}

#[test]
fn reads_squid_common_without_full_urls() {
    let c = load_with_campaign("squid_common.log");
    assert_eq!(c.files[1].format, LogFormat::Squid);
    let r: Vec<_> = c.network.proxy.iter().collect();
    assert_eq!(r.len(), 4);
    // A CONNECT names the host only.
    assert_eq!(c.strings.get(r[1].host), "training.example-kit.jp");
    assert_eq!(
        (c.strings.get(r[1].path), c.strings.get(r[1].rid)),
        ("", "")
    );
    assert_eq!(utc(&c, r[1].time), "2026-12-03T01:20:01Z");
    assert_eq!(c.strings.get(r[1].user), "suzuki");
    assert_eq!(c.strings.get(r[2].path), "/favicon.ico");
    assert_eq!(
        issues(&c, 1),
        vec!["4 time: \"03/Dec/2026:10:61:00 +0900\" is not a real calendar date and time"]
    );
}

#[test]
fn reads_a_gateway_export_with_a_bom() {
    let c = load_with_campaign("gateway.csv");
    assert_eq!(c.files[1].format, LogFormat::Gateway);
    let r = &c.network.proxy;
    assert_eq!(r.len(), 3);
    assert_eq!(c.strings.get(r[0].user), "tanaka@corp.example");
    assert_eq!(utc(&c, r[0].time), "2026-12-03T01:03:10Z");
    assert_eq!(c.strings.get(r[0].rid), "t1aN");
    assert_eq!(c.strings.get(r[1].path), "/");
    // The C-style time of some exports, and a blocked request kept.
    assert_eq!(utc(&c, r[2].time), "2026-12-03T02:00:00Z");
    assert_eq!(r[2].client.to_string(), "10.1.2.9");
    let found = issues(&c, 1);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert_eq!(
        found[0],
        "2 -: the header is on line 2; the 1 line(s) above it were skipped"
    );
    assert_eq!(found[1], "6 Client IP: \"10.1.2.300\" is not an IP address");
    assert!(
        found[2].starts_with("7 Logged Time: \"yesterday\" is not a date"),
        "{found:#?}"
    );
}

#[test]
fn reads_a_japanese_windows_dhcp_audit_log() {
    let c = load_with_campaign("DhcpSrvLog-Thu.log");
    assert_eq!(c.files[1].format, LogFormat::DhcpAudit);
    let l = &c.network.leases;
    assert_eq!(l.len(), 4);
    // Year first on a Japanese server, local time (Tokyo).
    assert_eq!(utc(&c, l[0].start), "2026-12-02T23:30:12Z");
    assert_eq!(c.strings.get(l[0].host), "PC-TANAKA.corp.example");
    assert_eq!(c.strings.get(l[0].mac), "00:1a:2b:3c:4d:5e");
    assert_eq!(l[0].end, None);
    // The release ends yamada's lease.
    assert_eq!(l[3].end, Some(l[3].start));
    assert_eq!(
        issues(&c, 1),
        vec![
            "27 Date: \"26/13/03\" is not a date read year/month/day, as a Japanese server \
             writes it",
            "28 IP Address: \"10.1.2.x\" is not an IP address",
        ]
    );
}

#[test]
fn reads_dhcpd_leases_with_renewals_and_an_expired_lease() {
    let c = load_with_campaign("dhcpd.leases");
    assert_eq!(c.files[1].format, LogFormat::DhcpLeases);
    let l = &c.network.leases;
    assert_eq!(l.len(), 3);
    assert_eq!(c.strings.get(l[0].host), "PC-OLD");
    assert_eq!(utc(&c, l[0].end.unwrap()), "2026-12-02T20:00:00Z");
    assert_eq!(
        (utc(&c, l[2].start), utc(&c, l[2].end.unwrap())),
        (
            "2026-12-03T00:30:00Z".to_string(),
            "2026-12-03T04:30:00Z".to_string()
        )
    );
    assert_eq!(c.strings.get(l[2].mac), "00:1a:2b:3c:4d:55");
    assert_eq!(
        issues(&c, 1),
        vec![
            "43 starts: \"4 2026/12/33 00:30:00\" is not a lease time (expected e.g. \
             `4 2026/12/03 00:00:01` or `epoch 1796256001`)"
        ]
    );
}

#[test]
fn network_logs_alone_are_an_error_that_says_so() {
    let err = load(
        &[fixture("squid_native.log"), fixture("dhcpd.leases")],
        &tokyo(),
        &LoadProgress::default(),
    )
    .unwrap_err();
    assert!(matches!(err, LoadError::NetworkLogsAlone { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("squid_native.log"), "{text}");
    assert!(text.contains("name the campaign's log too"), "{text}");
}

#[test]
fn a_forced_campaign_format_still_tells_network_logs() {
    let options = LoadOptions {
        format: Some(LogFormat::GoPhish),
        ..tokyo()
    };
    let c = load(
        &[fixture("campaign.csv"), fixture("squid_native.log")],
        &options,
        &LoadProgress::default(),
    )
    .unwrap();
    assert_eq!(c.files[1].format, LogFormat::Squid);
}
