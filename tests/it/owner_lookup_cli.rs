//! `whoclicked lookup` through the binary.

use crate::support::mmdb as fixtures;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use fixtures::*;

fn command(envs: &[(&str, &str)]) -> Command {
    // `lookup` caches what it learns; keep that away from the user's knowledge base.
    static KB: std::sync::LazyLock<tempfile::TempDir> =
        std::sync::LazyLock::new(|| tempfile::tempdir().expect("temp dir"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
    cmd.env("WHOCLICKED_KB", KB.path().join("kb"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("LANG")
        .env_remove("LC_MESSAGES")
        .env("LC_ALL", "C");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd
}

fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    command(envs).args(args).output().expect("run whoclicked")
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = command(&[])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

#[test]
fn without_databases_it_still_answers_and_says_how_to_add_one() {
    let o = run(&["lookup", "10.1.2.3", "8.8.8.8", "::1"], &[]);
    assert!(o.status.success(), "{}", err(&o));
    let table = out(&o);
    assert!(table.contains("internal (private)"), "{table}");
    assert!(table.contains("unknown"), "{table}");
    assert!(table.contains("internal (loopback)"), "{table}");
    let e = err(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    for hint in [
        "--mmdb",
        "WHOCLICKED_MMDB",
        "/usr/share/GeoIP",
        "whoclicked mmdb build",
    ] {
        assert!(e.contains(hint), "hint lacks {hint}: {e}");
    }
}

#[test]
fn table_merges_databases_and_lists_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let asn = write(dir.path(), "asn.mmdb", &asn_db());
    let city = write(dir.path(), "city.mmdb", &city_db());
    let conn = write(dir.path(), "conn.mmdb", &connection_db());
    let o = run(
        &[
            "lookup",
            "--mmdb",
            s(&asn),
            "--mmdb",
            s(&city),
            "--mmdb",
            s(&conn),
            "133.106.34.58",
            "40.94.0.1",
        ],
        &[],
    );
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).is_empty(), "{}", err(&o));
    let table = out(&o);
    let lines: Vec<&str> = table.lines().collect();
    let header = lines[0];
    for heading in [
        "IP",
        "OWNER",
        "NETWORK",
        "COUNTRY",
        "CITY",
        "CONNECTION",
        "SOURCES",
    ] {
        assert!(header.contains(heading), "{header}");
    }
    // Columns no database filled are left out.
    assert!(!header.contains("DOMAIN"), "{header}");
    assert!(lines[1].starts_with("133.106.34.58"));
    assert!(lines[1].contains("AS138384 Rakuten Mobile, Inc."));
    assert!(lines[1].contains("JP Japan"));
    assert!(lines[1].contains("Tokyo"));
    assert!(lines[1].contains("Cellular"));
    assert!(lines[1].trim_end().ends_with("1,2,3"));
    // Aligned: every row's NETWORK cell starts at the header's column.
    let col = header.find("NETWORK").expect("NETWORK");
    assert_eq!(&lines[1][col..col + 15], "133.106.32.0/19");
    assert!(table.contains("sources:"));
    assert!(table.contains("  2  GeoIP2-City (City), built 2026-06-01,"));
}

#[test]
fn japanese_locale_shows_japanese_names_aligned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let city = write(dir.path(), "city.mmdb", &city_db());
    let o = run(
        &["lookup", "--mmdb", s(&city), "133.106.34.58", "40.94.0.1"],
        &[("LC_ALL", "ja_JP.UTF-8")],
    );
    assert!(o.status.success(), "{}", err(&o));
    let table = out(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[1].contains("JP 日本"), "{table}");
    assert!(lines[1].contains("東京"), "{table}");
    assert!(lines[2].contains("US アメリカ合衆国"), "{table}");
    // Display width, not bytes, aligns the CITY column.
    use unicode_width::UnicodeWidthStr;
    let city_col = lines[0].find("CITY").expect("CITY");
    let before = |line: &str, needle: &str| line[..line.find(needle).expect("needle")].width();
    assert_eq!(before(lines[1], "東京"), city_col);
    assert_eq!(before(lines[2], "San Antonio"), city_col);
}

#[test]
fn stdin_with_bad_lines_reports_them_and_looks_up_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let asn = write(dir.path(), "asn.mmdb", &asn_db());
    let o = run_stdin(
        &["lookup", "--json", "--mmdb", s(&asn)],
        "40.94.0.1\n# a comment\n\nnot-an-ip\n  148.163.130.9  \n::ffff:205.139.110.1\n999.1.1.1\n",
    );
    assert!(!o.status.success(), "bad lines make the exit status fail");
    let e = err(&o);
    assert!(
        e.contains("line 4: \"not-an-ip\" is not an IP address"),
        "{e}"
    );
    assert!(
        e.contains("line 7: \"999.1.1.1\" is not an IP address"),
        "{e}"
    );
    assert!(e.contains("2 input(s) were not IP addresses"), "{e}");
    let records: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["input"], "40.94.0.1");
    assert_eq!(records[0]["asn"], 8075);
    assert_eq!(records[0]["as_org"], "Microsoft Corporation");
    assert_eq!(records[0]["network"], "40.88.0.0/13");
    assert_eq!(records[0]["internal"], serde_json::Value::Null);
    assert_eq!(records[0]["sources"][0]["database_type"], "GeoLite2-ASN");
    assert_eq!(records[0]["sources"][0]["build_date"], "2026-06-01");
    assert!(
        records[0]["sources"][0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("asn.mmdb"))
    );
    assert_eq!(records[1]["asn"], 13916);
    assert_eq!(records[2]["input"], "::ffff:205.139.110.1");
    assert_eq!(records[2]["ip"], "205.139.110.1");
    assert_eq!(records[2]["network"], "205.139.110.0/23");
}

#[test]
fn databases_from_the_environment_and_internal_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "anon.mmdb", &anonymous_db());
    let o = run(
        &["lookup", "--json", "81.2.69.10", "192.168.1.1"],
        &[("WHOCLICKED_MMDB", s(dir.path()))],
    );
    assert!(o.status.success(), "{}", err(&o));
    let lines: Vec<serde_json::Value> = out(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(
        lines[0]["flags"],
        serde_json::json!([
            "anonymous",
            "vpn",
            "hosting",
            "proxy",
            "residential-proxy",
            "tor"
        ])
    );
    assert_eq!(lines[1]["internal"], "private");
    assert_eq!(lines[1]["sources"], serde_json::json!([]));
}

#[test]
fn a_broken_explicit_database_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let junk = write(dir.path(), "junk.mmdb", b"not a database");
    let o = run(&["lookup", "--mmdb", s(&junk), "8.8.8.8"], &[]);
    assert!(!o.status.success());
    assert!(err(&o).contains("junk.mmdb"), "{}", err(&o));
}
