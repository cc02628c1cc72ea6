//! `whoclicked mmdb build` and `whoclicked mmdb info` through the binary.

use crate::support::mmdb as fixtures;

use std::path::Path;
use std::process::{Command, Output};

use fixtures::*;

/// The binary with a clean environment: no default database places, no
/// locale, no database list from the caller's shell.
fn whoclicked(args: &[&str]) -> Output {
    // `lookup` caches what it learns; keep that away from the user's knowledge base.
    static KB: std::sync::LazyLock<tempfile::TempDir> =
        std::sync::LazyLock::new(|| tempfile::tempdir().expect("temp dir"));
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(args)
        .env("WHOCLICKED_KB", KB.path().join("kb"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("SOURCE_DATE_EPOCH")
        .env("LC_ALL", "C")
        .output()
        .expect("run whoclicked")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

const TSV: &str = "\
40.94.0.0\t40.94.255.255\t8075\tUS\tMicrosoft Corporation
133.106.32.0\t133.106.63.255\t138384\tJP\tRakuten Mobile, Inc.
1.0.1.0\t1.0.3.255\t0\tNone\tNot routed
2001:4860::\t2001:4860:ffff:ffff:ffff:ffff:ffff:ffff\t15169\tUS\tGoogle LLC
";

#[test]
fn build_then_info_then_lookup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ranges = write(dir.path(), "ranges.tsv", TSV.as_bytes());
    let out = dir.path().join("demo.mmdb");
    let built = whoclicked(&[
        "mmdb",
        "build",
        "--from",
        s(&ranges),
        "--out",
        s(&out),
        "--build-date",
        "2026-06-01",
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    let log = stderr(&built);
    assert!(log.contains("3 ranges, iptoasn TSV"), "{log}");
    assert!(log.contains("1 AS0 / not-routed rows left out"), "{log}");
    assert!(log.contains("wrote"), "{log}");

    let info = whoclicked(&["mmdb", "info", s(&out)]);
    assert!(info.status.success(), "{}", stderr(&info));
    let text = stdout(&info);
    for expected in [
        "type:          whoclicked-ASN (compat=GeoLite2-ASN) (ASN, recognised by compat=GeoLite2-ASN)",
        "build date:    2026-06-01 (UTC)",
        "IP version:    6",
        "record size:   24 bits",
        "languages:     en",
        "owner fields:  network, asn, as_org, country_code",
        "integrity:     ok",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }

    let lookup = whoclicked(&[
        "lookup",
        "--mmdb",
        s(&out),
        "133.106.34.58",
        "40.94.0.1",
        "10.0.0.1",
    ]);
    assert!(lookup.status.success(), "{}", stderr(&lookup));
    let table = stdout(&lookup);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("IP"), "{table}");
    assert!(
        lines[1].contains("AS138384 Rakuten Mobile, Inc."),
        "{table}"
    );
    assert!(lines[1].contains("133.106.32.0/19"), "{table}");
    assert!(lines[1].contains("JP"), "{table}");
    assert!(lines[2].contains("AS8075 Microsoft Corporation"), "{table}");
    assert!(lines[3].contains("internal (private)"), "{table}");
    assert!(table.contains("whoclicked-ASN (compat=GeoLite2-ASN) (ASN), built 2026-06-01"));
}

#[test]
fn builds_from_several_files_are_identical_and_readable_by_mmdblookup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v4 = write(
        dir.path(),
        "asn-ipv4.csv",
        b"40.88.0.0,40.95.255.255,8075,Microsoft Corporation\n\
          148.163.130.0,148.163.130.255,13916,\"Proofpoint, Inc.\"\n",
    );
    let v6 = write(
        dir.path(),
        "asn-ipv6.csv",
        b"2001:4860::,2001:4860:ffff:ffff:ffff:ffff:ffff:ffff,15169,Google LLC\n",
    );
    let mut outputs = Vec::new();
    for name in ["a.mmdb", "b.mmdb"] {
        let out = dir.path().join(name);
        let built = whoclicked(&[
            "mmdb",
            "build",
            "--from",
            s(&v4),
            "--from",
            s(&v6),
            "--out",
            s(&out),
            "--build-date",
            "2026-06-01",
        ]);
        assert!(built.status.success(), "{}", stderr(&built));
        outputs.push(std::fs::read(&out).expect("read output"));
    }
    assert_eq!(outputs[0], outputs[1]);
    let file = dir.path().join("a.mmdb");
    let found = mmdblookup(&["--file", s(&file), "--ip", "2001:4860:4860::8888"]);
    assert!(found.contains("15169 <uint32>"), "{found}");
    let found = mmdblookup(&["--file", s(&file), "--ip", "148.163.130.1"]);
    assert!(found.contains("\"Proofpoint, Inc.\""), "{found}");
}

#[test]
fn build_date_defaults_to_source_date_epoch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ranges = write(dir.path(), "r.csv", b"8.8.8.0,8.8.8.255,15169,Google LLC\n");
    let out = dir.path().join("r.mmdb");
    let built = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .args(["mmdb", "build", "--from", s(&ranges), "--out", s(&out)])
        .env("SOURCE_DATE_EPOCH", "1780272000")
        .output()
        .expect("run");
    assert!(built.status.success(), "{}", stderr(&built));
    let info = whoclicked(&["mmdb", "info", s(&out)]);
    assert!(stdout(&info).contains("build date:    2026-06-01"));
}

#[test]
fn bad_range_lines_fail_with_file_line_and_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ranges = write(
        dir.path(),
        "ranges.csv",
        b"8.8.8.0,8.8.8.255,15169,Google LLC\n# comment\n8.8.9.0,8.8.9.x,15169,Google LLC\n",
    );
    let out = dir.path().join("never.mmdb");
    let built = whoclicked(&["mmdb", "build", "--from", s(&ranges), "--out", s(&out)]);
    assert!(!built.status.success());
    let err = stderr(&built);
    assert!(err.contains("ranges.csv:3:"), "{err}");
    assert!(err.contains("\"8.8.9.x\" is not an IP address"), "{err}");
    assert!(!out.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn info_on_broken_and_foreign_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = write(dir.path(), "junk.mmdb", b"\xAB\xCD\xEFMaxMind.com");
    let density = write(
        dir.path(),
        "density.mmdb",
        &build(
            "GeoIP2-DensityIncome",
            vec![(
                "5.83.124.0/22",
                whoclicked::mmdb::Value::map([(
                    "average_income",
                    whoclicked::mmdb::Value::Uint32(32323),
                )]),
            )],
        ),
    );
    let asn = write(dir.path(), "asn.mmdb", &asn_db());

    let info = whoclicked(&["mmdb", "info", s(&density), s(&asn)]);
    assert!(info.status.success(), "{}", stderr(&info));
    let text = stdout(&info);
    assert!(
        text.contains("owner fields:  none: it holds population density and income"),
        "{text}"
    );
    assert!(
        text.contains("owner fields:  network, asn, as_org"),
        "{text}"
    );

    let info = whoclicked(&["mmdb", "info", s(&junk), s(&asn)]);
    assert!(!info.status.success());
    let err = stderr(&info);
    assert!(err.contains("junk.mmdb"), "{err}");
    assert!(err.contains("is not a usable MaxMind DB"), "{err}");
    assert!(
        err.contains("1 of 2 files could not be read or are damaged"),
        "{err}"
    );
    // The good file is still described.
    assert!(stdout(&info).contains("GeoLite2-ASN"));

    // One file that is not there: its error, once, and nothing about "1 of 1".
    let info = whoclicked(&["mmdb", "info", s(&dir.path().join("nope.mmdb"))]);
    assert!(!info.status.success());
    let err = stderr(&info);
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("1 of 1"), "{err}");
}
