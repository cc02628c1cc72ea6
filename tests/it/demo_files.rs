//! The bundled demo's files (`assets/demo/`): `campaign.csv` and `ranges.tsv`
//! are exactly what the generator in `tests/it/support/demo/` writes, every row is
//! well formed except the three broken on purpose, the README lists the owner
//! table as it is, and (an extra test run by `.ci/run`) the owner table agrees
//! with a real ASN database. The story itself is tested in `demo_story.rs`.
//!
//! Refresh the committed files after changing the generator with
//! `WHOCLICKED_REGENERATE_DEMO=1 cargo test --test demo_files`.

use crate::support::demo;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

use demo::{
    DEPARTMENTS, DOMAIN, EPOCH_UNIX, HEADER, Malformed, RANGES, Truth, demo_campaign, format_time,
    hms, range_of, ranges_tsv, readable, to_csv,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo");
const CAMPAIGN_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/campaign.csv");
const RANGES_TSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/ranges.tsv");
const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/README.md");
const REAL_DB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/asn-real.mmdb");
const REGENERATE: &str = "WHOCLICKED_REGENERATE_DEMO";

// ---------------------------------------------------------------------------
// The committed files are the generator's output
// ---------------------------------------------------------------------------

fn first_difference(committed: &str, generated: &str) -> String {
    let (mut a, mut b) = (committed.lines(), generated.lines());
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "line endings or a final newline differ".to_string(),
            (x, y) => {
                return format!(
                    "first difference at line {line}:\n  committed: {}\n  generated: {}",
                    x.unwrap_or("<end of file>"),
                    y.unwrap_or("<end of file>")
                );
            }
        }
    }
}

fn check_or_regenerate(path: &str, generated: &str) {
    if std::env::var_os(REGENERATE).is_some_and(|v| v == "1") {
        std::fs::create_dir_all(DIR).expect("create assets/demo");
        let tmp = format!("{path}.tmp");
        std::fs::write(&tmp, generated).expect("write the regenerated file");
        std::fs::rename(&tmp, path).expect("move the regenerated file in place");
        eprintln!("rewrote {path}");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if committed != generated {
        panic!(
            "{path} is not what tests/it/support/demo/ generates ({}).\n\
             If the generator change is intended, refresh the committed file with\n\
             \n    {REGENERATE}=1 cargo test --test demo_files\n\n\
             and update the ground-truth table in assets/demo/README.md.",
            first_difference(&committed, generated)
        );
    }
}

#[test]
fn committed_campaign_is_the_generated_one() {
    check_or_regenerate(CAMPAIGN_CSV, &to_csv(&demo_campaign()));
}

#[test]
fn committed_ranges_are_the_generated_ones() {
    check_or_regenerate(RANGES_TSV, &ranges_tsv());
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(demo_campaign(), demo_campaign());
}

#[test]
fn campaign_file_is_small_utf8_csv_with_the_native_header() {
    let text = to_csv(&demo_campaign());
    assert!(
        text.len() < 200 * 1024,
        "campaign.csv is {} bytes",
        text.len()
    );
    assert!(text.starts_with(&format!("{HEADER}\n")));
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(!text.contains('\r'));
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header.join(","), HEADER);
    let rows = demo_campaign();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(record.len(), 8, "row {record:?}");
        assert_eq!(record.iter().collect::<Vec<_>>(), row.fields().to_vec());
    }
}

// ---------------------------------------------------------------------------
// Every row is well formed, except three
// ---------------------------------------------------------------------------

#[test]
fn every_row_is_well_formed_except_three() {
    let rows = demo_campaign();
    let mut seen = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let time_ok = row.time.parse::<jiff::Timestamp>().is_ok() && row.time.ends_with("+09:00");
        let ip_ok = if row.event == "sent" {
            row.ip.is_empty()
        } else {
            row.ip.parse::<Ipv4Addr>().is_ok()
        };
        let screen_ok = row.screen.is_empty() || {
            let (w, h) = row.screen.split_once('x').unwrap_or(("", ""));
            w.parse::<u16>().is_ok_and(|w| w > 0) && h.parse::<u16>().is_ok_and(|h| h > 0)
        };
        match row.malformed {
            None => {
                assert!(time_ok && ip_ok && screen_ok, "row {}: {row:?}", i + 1);
                assert_eq!(row.time, format_time(row.at));
            }
            Some(Malformed::Ip) => {
                assert!(time_ok && !ip_ok && screen_ok, "{row:?}");
                assert!(row.ip.parse::<IpAddr>().is_err());
            }
            Some(Malformed::Time) => {
                assert!(!time_ok && ip_ok && screen_ok, "{row:?}");
                assert!(row.time.parse::<jiff::civil::DateTime>().is_err());
            }
            Some(Malformed::Screen) => assert!(time_ok && ip_ok && !screen_ok, "{row:?}"),
        }
        if let Some(kind) = row.malformed {
            assert!(seen.insert(format!("{kind:?}")), "two {kind:?} rows");
            // Mid-file: well inside, not at either end.
            let at = i * 100 / rows.len();
            assert!((20..=80).contains(&at), "{kind:?} row at {at}% of the file");
            assert!(row.truth != Truth::Delivery);
        }
        assert!(
            matches!(row.event, "sent" | "click" | "open" | "submit"),
            "{row:?}"
        );
        let method_ok = match row.event {
            "sent" => row.method.is_empty() && row.user_agent.is_empty() && row.screen.is_empty(),
            "submit" => row.method == "POST",
            _ => matches!(row.method, "GET" | "HEAD"),
        };
        assert!(method_ok, "{row:?}");
        assert!(row.recipient.ends_with(&format!("@{DOMAIN}")));
        assert!(DEPARTMENTS.iter().any(|(d, _)| *d == row.department));
        assert_eq!(row.truth, row.source.truth());
    }
    assert_eq!(seen.len(), 3);
    // The three broken rows repeat accesses the story already has: dropping them
    // changes no recipient's truth.
    for bad in rows.iter().filter(|r| r.malformed.is_some()) {
        assert!(
            readable(&rows).any(|r| r.recipient == bad.recipient
                && r.source == bad.source
                && r.event == bad.event
                && r.user_agent == bad.user_agent),
            "{bad:?} repeats no readable access"
        );
    }
}

#[test]
fn rows_are_in_time_order_and_dates_match_the_story() {
    let rows = demo_campaign();
    assert!(rows.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(rows.first().is_some_and(|r| r.event == "sent"));
    assert!(
        rows.iter()
            .all(|r| (hms(0, 9, 0, 0)..hms(2, 0, 0, 0)).contains(&r.at))
    );
    // EPOCH_UNIX really is midnight of 2026-11-10 in Japan.
    let ts: jiff::Timestamp = "2026-11-10T00:00:00+09:00".parse().expect("valid");
    assert_eq!(ts.as_second(), EPOCH_UNIX);
    for r in readable(&rows) {
        let t: jiff::Timestamp = r.time.parse().expect("valid time");
        assert_eq!(t.as_second(), EPOCH_UNIX + r.at, "{r:?}");
    }
}

// ---------------------------------------------------------------------------
// The owner table
// ---------------------------------------------------------------------------

struct TsvRow {
    first: Ipv4Addr,
    last: Ipv4Addr,
    asn: u32,
    country: String,
    org: String,
}

fn committed_ranges() -> Vec<TsvRow> {
    let text = std::fs::read_to_string(RANGES_TSV).expect("assets/demo/ranges.tsv");
    text.lines()
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 5, "{line:?}");
            TsvRow {
                first: f[0].parse().unwrap_or_else(|_| panic!("{line:?}")),
                last: f[1].parse().unwrap_or_else(|_| panic!("{line:?}")),
                asn: f[2].parse().unwrap_or_else(|_| panic!("{line:?}")),
                country: f[3].to_string(),
                org: f[4].to_string(),
            }
        })
        .collect()
}

#[test]
fn ranges_tsv_is_iptoasn_format_sorted_and_disjoint() {
    let rows = committed_ranges();
    assert_eq!(rows.len(), RANGES.len());
    for r in &rows {
        assert!(r.first <= r.last);
        assert!(r.asn > 0);
        assert!(r.country.len() == 2 && r.country.bytes().all(|b| b.is_ascii_uppercase()));
        assert!(!r.org.is_empty() && !r.org.contains('\t'));
    }
    for w in rows.windows(2) {
        assert!(
            w[0].last < w[1].first,
            "{} overlaps {}",
            w[0].last,
            w[1].first
        );
    }
    let countries: BTreeMap<u32, &str> = rows.iter().map(|r| (r.asn, r.country.as_str())).collect();
    for asn in [8075, 26_211, 22_843, 13_916, 30_031, 396_982] {
        assert_eq!(countries[&asn], "US", "AS{asn}");
    }
    for asn in [9605, 2516, 17_676, 138_384, 2497, 4713, 2527, 2518, 17_511] {
        assert_eq!(countries[&asn], "JP", "AS{asn}");
    }
}

#[test]
fn readme_lists_every_range_as_the_table_has_it() {
    let readme = std::fs::read_to_string(README).expect("assets/demo/README.md");
    for r in RANGES {
        let line = format!(
            "| {} – {} | {} | {} | {} |",
            r.first, r.last, r.asn, r.org, r.db_prefix
        );
        assert!(readme.contains(&line), "README should list {line:?}");
    }
}

/// Extra test (`.ci/run` runs it): every row of `ranges.tsv`, and every address
/// of the campaign, against the real, full-size ASN database in `../shared/`.
#[test]
#[ignore = "needs ../shared/data/asn-real.mmdb"]
fn ranges_agree_with_the_real_asn_database() {
    let reader = maxminddb::Reader::open_readfile(REAL_DB)
        .unwrap_or_else(|e| panic!("cannot open {REAL_DB}: {e}"));
    let lookup = |addr: Ipv4Addr| {
        let res = reader
            .lookup(IpAddr::V4(addr))
            .unwrap_or_else(|e| panic!("lookup {addr}: {e}"));
        let asn = res
            .decode::<maxminddb::geoip2::Asn>()
            .unwrap_or_else(|e| panic!("decode {addr}: {e}"))
            .unwrap_or_else(|| panic!("{addr} is not in {REAL_DB}"));
        let network = res
            .network()
            .unwrap_or_else(|e| panic!("network {addr}: {e}"));
        (
            asn.autonomous_system_number,
            asn.autonomous_system_organization.map(str::to_string),
            network,
        )
    };
    for row in committed_ranges() {
        let mid =
            Ipv4Addr::from(u32::from(row.first) + (u32::from(row.last) - u32::from(row.first)) / 2);
        for addr in [row.first, mid, row.last] {
            let (asn, org, network) = lookup(addr);
            assert_eq!(asn, Some(row.asn), "AS of {addr}");
            assert_eq!(
                org.as_deref(),
                Some(row.org.as_str()),
                "organisation of {addr}"
            );
            assert!(
                network.contains(IpAddr::V4(row.first)) && network.contains(IpAddr::V4(row.last)),
                "{}-{} is not inside the database's {network}",
                row.first,
                row.last
            );
            let declared = RANGES
                .iter()
                .find(|r| r.first == row.first)
                .expect("row in RANGES");
            assert_eq!(network.to_string(), declared.db_prefix, "prefix of {addr}");
        }
    }
    for r in readable(&demo_campaign()).filter(|r| r.event != "sent") {
        let addr = r.addr().expect("readable address");
        let (asn, org, _) = lookup(addr);
        let row = range_of(addr).expect("in ranges.tsv");
        assert_eq!(asn, Some(row.asn), "{addr}");
        assert_eq!(org.as_deref(), Some(row.org), "{addr}");
    }
}
