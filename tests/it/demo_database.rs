//! The committed demo database is exactly what `whoclicked mmdb build`
//! makes from the committed range list, and it answers as the story needs.

use std::net::IpAddr;

use whoclicked::mmdb::{BuildOptions, build_asn_database, ranges::read_ranges};
use whoclicked::owner::OwnerDatabases;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo");

#[test]
fn committed_database_equals_a_fresh_build() {
    let ranges = read_ranges(format!("{DIR}/ranges.tsv").as_ref()).unwrap();
    let date = jiff::civil::date(2026, 11, 1);
    let built = build_asn_database(&ranges, &BuildOptions::new(date)).unwrap();
    let committed = std::fs::read(format!("{DIR}/demo-asn.mmdb")).unwrap();
    assert!(
        built.bytes == committed,
        "assets/demo/demo-asn.mmdb differs from a fresh build; refresh it with \
         `cargo run -- mmdb build --from assets/demo/ranges.tsv --out assets/demo/demo-asn.mmdb --build-date 2026-11-01`"
    );
    assert_eq!(
        whoclicked::demo::ASN_DATABASE,
        committed.as_slice(),
        "the binary embeds the committed file"
    );
}

#[test]
fn demo_database_knows_the_story_owners() {
    let dbs = whoclicked::demo::databases(&[]).unwrap();
    let owner = |ip: &str| dbs.lookup(ip.parse::<IpAddr>().unwrap());
    assert_eq!(owner("40.94.1.2").asn, Some(8075));
    assert_eq!(
        owner("210.130.87.195").as_org.as_deref(),
        Some("Internet Initiative Japan Inc.")
    );
    assert_eq!(owner("133.106.46.27").country_code.as_deref(), Some("JP"));
    assert_eq!(owner("10.0.0.1").internal, Some("private"));
    assert!(owner("8.8.8.8").is_unknown());
    let _: &OwnerDatabases = &dbs;
}
