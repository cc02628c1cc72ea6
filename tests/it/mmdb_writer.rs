//! The writer, read back with the `maxminddb` crate and with libmaxminddb's
//! `mmdblookup`.

use crate::support::mmdb as fixtures;

use std::net::IpAddr;

use fixtures::*;
use maxminddb::{Reader, geoip2};
use serde::Deserialize;
use whoclicked::mmdb::ranges::parse_ranges;
use whoclicked::mmdb::{
    ASN_DATABASE_TYPE, BuildError, BuildOptions, Map, Value, Writer, WriterOptions,
    build_asn_database,
};

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test address")
}

const RANGES: &str = "\
40.88.0.0,40.95.255.255,8075,Microsoft Corporation
148.163.128.0,148.163.255.255,26211,\"Proofpoint, Inc.\"
148.163.130.0,148.163.130.255,13916,\"Proofpoint, Inc.\"
205.139.110.0,205.139.111.255,30031,Mimecast North America Inc
1.0.0.1,1.0.0.6,64500,Unaligned Example
2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC
2002::,2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff,6939,6to4 row
";

fn date(text: &str) -> jiff::civil::Date {
    text.parse().expect("date")
}

fn build_demo(build_date: &str) -> Vec<u8> {
    let ranges = parse_ranges(RANGES.as_bytes(), "demo.csv").expect("ranges");
    build_asn_database(&ranges.ranges, &BuildOptions::new(date(build_date)))
        .expect("build")
        .bytes
}

#[test]
fn asn_database_round_trip_with_the_maxminddb_crate() {
    let bytes = build_demo("2026-06-01");
    let reader = Reader::from_source(bytes.as_slice()).expect("opens");
    reader.verify().expect("verifies");
    let meta = reader.metadata();
    assert_eq!(meta.database_type, ASN_DATABASE_TYPE);
    assert_eq!(meta.ip_version, 6);
    assert_eq!(meta.record_size, 24);
    assert_eq!(meta.build_epoch, 1_780_272_000);
    assert_eq!(meta.languages, vec!["en"]);
    assert_eq!(meta.binary_format_major_version, 2);
    assert!(meta.description["en"].contains("whoclicked"));

    let asn = |text: &str| {
        let result = reader.lookup(ip(text)).expect("lookup");
        let record: Option<geoip2::Asn> = result.decode().expect("decode");
        let network = result.network().expect("network").to_string();
        record.map(|r| {
            (
                r.autonomous_system_number,
                r.autonomous_system_organization.map(str::to_string),
                network,
            )
        })
    };
    assert_eq!(
        asn("40.94.0.1"),
        Some((
            Some(8075),
            Some("Microsoft Corporation".into()),
            "40.88.0.0/13".into()
        ))
    );
    // The /24 inside the /17 wins where it applies, the /17 elsewhere.
    assert_eq!(asn("148.163.130.1").and_then(|r| r.0), Some(13916));
    assert_eq!(asn("148.163.200.1").and_then(|r| r.0), Some(26211));
    assert_eq!(
        asn("205.139.110.1").map(|r| r.2),
        Some("205.139.110.0/23".into())
    );
    // Unaligned range 1.0.0.1-1.0.0.6 is split: .1/32, .2/31, .4/31, .6/32.
    assert_eq!(asn("1.0.0.1").map(|r| r.2), Some("1.0.0.1/32".into()));
    assert_eq!(asn("1.0.0.3").map(|r| r.2), Some("1.0.0.2/31".into()));
    assert_eq!(asn("1.0.0.0"), None);
    assert_eq!(asn("1.0.0.7"), None);
    assert_eq!(
        asn("2001:4860:4860::8888").map(|r| r.2),
        Some("2001:4860::/32".into())
    );
    // Aliases: IPv4-mapped and 6to4 addresses reach the IPv4 data.
    assert_eq!(asn("::ffff:40.94.0.1").and_then(|r| r.0), Some(8075));
    assert_eq!(asn("2002:285e:1::1").and_then(|r| r.0), Some(8075));
    assert_eq!(asn("10.0.0.1"), None);
}

/// A range that splits into several blocks in 6to4 space is one range left
/// out, listed once (it was counted and listed once per block).
#[test]
fn a_six_to_four_range_is_counted_once_whatever_its_blocks() {
    let text = "2002::1,2002::1:6,6939,five blocks\n2002:1::,2002:1::ff,6939,one block\n\
                40.88.0.0,40.95.255.255,8075,Microsoft Corporation\n";
    let ranges = parse_ranges(text.as_bytes(), "6to4.csv").expect("ranges");
    let build =
        build_asn_database(&ranges.ranges, &BuildOptions::new(date("2026-06-01"))).expect("build");
    assert_eq!(build.stats.skipped, 2);
    assert_eq!(
        build.stats.skipped_examples,
        vec!["2002::1 - 2002::1:6", "2002:1:: - 2002:1::ff"]
    );
}

#[test]
fn six_to_four_rows_are_skipped_and_counted() {
    let ranges = parse_ranges(RANGES.as_bytes(), "demo.csv").expect("ranges");
    let build =
        build_asn_database(&ranges.ranges, &BuildOptions::new(date("2026-06-01"))).expect("build");
    assert_eq!(build.stats.skipped, 1);
    assert_eq!(build.stats.skipped_examples.len(), 1);
    assert!(build.stats.skipped_examples[0].starts_with("2002::"));
    // Without aliases the 6to4 row is ordinary IPv6 data.
    let mut options = BuildOptions::new(date("2026-06-01"));
    options.ipv4_aliases = false;
    let plain = build_asn_database(&ranges.ranges, &options).expect("build");
    assert_eq!(plain.stats.skipped, 0);
    let reader = Reader::from_source(plain.bytes).expect("opens");
    reader.verify().expect("verifies");
    let record: Option<geoip2::Asn> = reader
        .lookup(ip("2002:285e:1::1"))
        .expect("lookup")
        .decode()
        .expect("decode");
    assert_eq!(record.and_then(|r| r.autonomous_system_number), Some(6939));
}

#[test]
fn builds_are_byte_for_byte_deterministic() {
    let a = build_demo("2026-06-01");
    let b = build_demo("2026-06-01");
    assert_eq!(a, b);
    let c = build_demo("2026-06-02");
    assert_ne!(a, c);
    assert_eq!(a.len(), c.len(), "only the build epoch differs");
}

#[test]
fn country_from_iptoasn_is_written_and_read() {
    let tsv = "133.106.32.0\t133.106.63.255\t138384\tJP\tRakuten Mobile, Inc.\n\
               1.0.1.0\t1.0.3.255\t0\tNone\tNot routed\n";
    let parsed = parse_ranges(tsv.as_bytes(), "ip2asn.tsv").expect("parses");
    assert_eq!(parsed.not_routed, 1);
    let bytes = build_asn_database(&parsed.ranges, &BuildOptions::new(date("2026-06-01")))
        .expect("build")
        .bytes;
    let reader = Reader::from_source(bytes.as_slice()).expect("opens");
    reader.verify().expect("verifies");
    let city: geoip2::City = reader
        .lookup(ip("133.106.34.58"))
        .expect("lookup")
        .decode()
        .expect("decode")
        .expect("found");
    assert_eq!(city.country.iso_code, Some("JP"));
    assert!(
        reader
            .lookup(ip("1.0.2.1"))
            .expect("lookup")
            .decode::<geoip2::Asn>()
            .expect("decode")
            .is_none()
    );

    let dbs = whoclicked::owner::OwnerDatabases::from_bytes(vec![("built.mmdb".into(), bytes)])
        .expect("whoclicked reads its own output");
    let info = &dbs.infos()[0];
    assert_eq!(info.kind, whoclicked::owner::DatabaseKind::Asn);
    assert_eq!(
        info.recognised_by,
        whoclicked::owner::Recognition::Compat("GeoLite2-ASN".into())
    );
    assert!(info.fields.contains(&"country_code"));
    let owner = dbs.lookup(ip("133.106.34.58"));
    assert_eq!(owner.asn, Some(138384));
    assert_eq!(owner.country_code.as_deref(), Some("JP"));
}

#[test]
fn mmdblookup_reads_the_writer_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(dir.path(), "demo.mmdb", &build_demo("2026-06-01"));
    let file = path.to_str().expect("utf-8 path");
    let out = mmdblookup(&["--file", file, "--ip", "40.94.0.1"]);
    assert!(out.contains("8075 <uint32>"), "{out}");
    assert!(
        out.contains("\"Microsoft Corporation\" <utf8_string>"),
        "{out}"
    );
    let out = mmdblookup(&[
        "--file",
        file,
        "--ip",
        "148.163.130.1",
        "autonomous_system_organization",
    ]);
    assert!(out.contains("\"Proofpoint, Inc.\""), "{out}");
    let out = mmdblookup(&["--file", file, "--ip", "2001:4860:4860::8888"]);
    assert!(out.contains("15169 <uint32>"), "{out}");
    let out = mmdblookup(&["--file", file, "--ip", "::ffff:205.139.110.1"]);
    assert!(out.contains("30031 <uint32>"), "{out}");
    let out = mmdblookup(&["--verbose", "--file", file, "--ip", "40.94.0.1"]);
    assert!(out.contains("Record size:   24 bits"), "{out}");
    assert!(out.contains(ASN_DATABASE_TYPE), "{out}");
    assert!(out.contains("2026-06-01 00:00:00 UTC"), "{out}");
    assert!(out.contains("Record prefix length: 109"), "{out}");
}

#[derive(Debug, Deserialize, PartialEq)]
struct Everything<'a> {
    string: &'a str,
    long_string: String,
    double: f64,
    float: f32,
    #[serde(borrow)]
    bytes: &'a [u8],
    uint16: u16,
    uint32: u32,
    uint64: u64,
    uint128: u128,
    int32: i32,
    negative: i32,
    yes: bool,
    no: bool,
    array: Vec<u32>,
    #[serde(borrow)]
    map: Inner<'a>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Inner<'a> {
    en: &'a str,
    zero: u32,
}

fn every_type() -> Value {
    Value::map([
        ("string", Value::from("東京")),
        ("long_string", Value::from("x".repeat(70_000))),
        ("double", Value::Double(-12.5)),
        ("float", Value::Float(1.25)),
        ("bytes", Value::Bytes(vec![0, 1, 2, 255])),
        ("uint16", Value::Uint16(65_535)),
        ("uint32", Value::Uint32(4_000_000_000)),
        ("uint64", Value::Uint64(u64::MAX)),
        ("uint128", Value::Uint128(u128::MAX - 1)),
        ("int32", Value::Int32(300)),
        ("negative", Value::Int32(-2)),
        ("yes", Value::Bool(true)),
        ("no", Value::Bool(false)),
        ("array", Value::Array((0..40).map(Value::Uint32).collect())),
        (
            "map",
            Value::Map(
                Map::new()
                    .with("en", "Tokyo")
                    .with("zero", Value::Uint32(0)),
            ),
        ),
    ])
}

#[test]
fn every_value_type_and_record_size_round_trips() {
    for (ip_version, record_size) in [(6, 24), (6, 28), (6, 32), (4, 24), (4, 28), (4, 32)] {
        let mut options = WriterOptions::new("Test");
        options.ip_version = ip_version;
        options.record_size = Some(record_size);
        let mut writer = Writer::new(options).expect("options");
        writer
            .insert(net("81.2.69.0/24"), every_type())
            .expect("insert");
        writer
            .insert(net("81.2.70.0/24"), Value::map([("n", Value::Uint32(7))]))
            .expect("insert");
        let written = writer.finish().expect("finish");
        assert_eq!(written.stats.record_size, record_size);
        let reader = Reader::from_source(written.bytes).expect("opens");
        reader.verify().expect("verifies");
        assert_eq!(reader.metadata().record_size, record_size);
        assert_eq!(reader.metadata().ip_version, ip_version);
        let result = reader.lookup(ip("81.2.69.160")).expect("lookup");
        assert_eq!(result.network().expect("net").to_string(), "81.2.69.0/24");
        let everything: Everything = result.decode().expect("decode").expect("found");
        assert_eq!(everything.string, "東京");
        assert_eq!(everything.long_string.len(), 70_000);
        assert_eq!(everything.double, -12.5);
        assert_eq!(everything.float, 1.25);
        assert_eq!(everything.bytes, &[0, 1, 2, 255]);
        assert_eq!(everything.uint64, u64::MAX);
        assert_eq!(everything.uint128, u128::MAX - 1);
        assert_eq!((everything.int32, everything.negative), (300, -2));
        assert!(everything.yes && !everything.no);
        assert_eq!(everything.array, (0..40).collect::<Vec<_>>());
        assert_eq!(
            everything.map,
            Inner {
                en: "Tokyo",
                zero: 0
            }
        );
    }
}

#[test]
fn record_size_grows_with_the_file() {
    // Tree pointers to data reach past 2^24 once the data section is that
    // large; 28-bit records are then needed.
    let mut writer = Writer::new(WriterOptions::new("Test")).expect("options");
    writer
        .insert(net("10.0.0.0/8"), Value::from("x".repeat(16_800_000)))
        .expect("insert");
    writer
        .insert(net("11.0.0.0/8"), Value::map([("n", Value::Uint32(1))]))
        .expect("insert");
    let written = writer.finish().expect("finish");
    assert_eq!(written.stats.record_size, 28);
    let reader = Reader::from_source(written.bytes).expect("opens");
    assert_eq!(reader.metadata().record_size, 28);
    #[derive(Deserialize)]
    struct N {
        n: u32,
    }
    let found: Option<N> = reader
        .lookup(ip("11.1.1.1"))
        .expect("lookup")
        .decode()
        .expect("decode");
    assert_eq!(found.map(|r| r.n), Some(1));
    let big: Option<&str> = reader
        .lookup(ip("10.1.1.1"))
        .expect("lookup")
        .decode()
        .expect("decode");
    assert_eq!(big.map(str::len), Some(16_800_000));
}

#[test]
fn overlaps_resolve_by_specificity_then_order() {
    let rec = |n: u32| Value::map([("n", Value::Uint32(n))]);
    let mut writer = Writer::new(WriterOptions::new("Test")).expect("options");
    // More specific first, less specific later: the /24 still wins.
    writer.insert(net("10.1.2.0/24"), rec(2)).expect("insert");
    writer.insert(net("10.0.0.0/8"), rec(1)).expect("insert");
    // The same network twice: the later record wins.
    writer.insert(net("192.0.2.0/24"), rec(3)).expect("insert");
    writer.insert(net("192.0.2.0/24"), rec(4)).expect("insert");
    // Whole IPv6 space: never leaks into IPv4.
    writer.insert(net("::/0"), rec(6)).expect("insert");
    let reader = Reader::from_source(writer.finish().expect("finish").bytes).expect("opens");
    reader.verify().expect("verifies");
    #[derive(Deserialize)]
    struct N {
        n: u32,
    }
    let n = |text: &str| {
        reader
            .lookup(ip(text))
            .expect("lookup")
            .decode::<N>()
            .expect("decode")
            .map(|r| r.n)
    };
    assert_eq!(n("10.1.2.3"), Some(2));
    assert_eq!(n("10.200.0.1"), Some(1));
    assert_eq!(n("192.0.2.1"), Some(4));
    assert_eq!(n("2400::1"), Some(6));
    assert_eq!(n("8.8.8.8"), None);
    assert_eq!(n("::ffff:8.8.8.8"), None);
    assert_eq!(n("2002:808:808::1"), None);
}

#[test]
fn writer_errors() {
    let mut v4 = WriterOptions::new("Test");
    v4.ip_version = 4;
    let mut writer = Writer::new(v4).expect("options");
    let err = writer
        .insert(net("2001:db8::/32"), Value::Bool(true))
        .expect_err("v6 in v4");
    assert!(matches!(err, BuildError::Ipv6InIpv4Database { .. }));
    let id = writer.record(Value::Bool(true));
    assert!(matches!(
        writer.insert_range(ip("10.0.0.9"), ip("10.0.0.1"), id),
        Err(BuildError::StartAfterEnd { .. })
    ));
    assert!(matches!(
        writer.insert_range(ip("10.0.0.1"), ip("::1"), id),
        Err(BuildError::FamilyMismatch { .. })
    ));
    let mut bad = WriterOptions::new("Test");
    bad.record_size = Some(20);
    assert!(matches!(
        Writer::new(bad),
        Err(BuildError::InvalidOption { .. })
    ));
}

#[test]
fn repeated_strings_are_stored_once() {
    let ranges: String = (0..2_000u32)
        .map(|i| {
            format!(
                "{}.{}.0.0,{}.{}.255.255,{},Same Org\n",
                1 + i / 200,
                i % 200,
                1 + i / 200,
                i % 200,
                64_512 + i
            )
        })
        .collect();
    let parsed = parse_ranges(ranges.as_bytes(), "many.csv").expect("parses");
    let build =
        build_asn_database(&parsed.ranges, &BuildOptions::new(date("2026-06-01"))).expect("build");
    // Each record: map (1) + key pointer (2) + uint32 (4) + key pointer (3) + org pointer (3).
    assert!(
        build.stats.data_bytes < 2_000 * 14,
        "{}",
        build.stats.data_bytes
    );
    assert_eq!(build.stats.records, 2_000);
    let reader = Reader::from_source(build.bytes).expect("opens");
    reader.verify().expect("verifies");
    let asn: geoip2::Asn = reader
        .lookup(ip("10.199.1.1"))
        .expect("lookup")
        .decode()
        .expect("decode")
        .expect("found");
    assert_eq!(asn.autonomous_system_organization, Some("Same Org"));
    assert_eq!(asn.autonomous_system_number, Some(64_512 + 1_999));
}
