//! Decoy links: an access to a link no person can see decides scanner, and
//! so do the same address's fetches for the same recipient within a
//! minute; from `--decoy` or the signature file's `decoys`, wherever the
//! log records the URL (an access log's path, a CSV's `url` column).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn report(dir: &Path, log: &str, args: &[&str], signatures: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_whoclicked"));
    cmd.arg("report")
        .arg(dir.join(log))
        .args(["--format", "csv", "--no-kb", "--tz", "UTC"])
        .args(args)
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env_remove("WHOCLICKED_KB")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("LC_ALL", "C");
    match signatures {
        Some(path) => cmd.env("WHOCLICKED_SIGNATURES", path),
        None => cmd.env_remove("WHOCLICKED_SIGNATURES"),
    };
    cmd.output().unwrap()
}

fn rows(out: &Output) -> Vec<BTreeMap<String, String>> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

/// Rows: 1 b's decoy fetch, 2 the same address for b 20 s later, 3 for c
/// within the minute, 4 for b five minutes later, 5 a's own click.
fn access_log() -> String {
    let line = |ip: &str, time: &str, target: &str| {
        format!(
            "{ip} - - [01/Oct/2026:{time} +0000] \"GET {target} HTTP/1.1\" 200 512 \"-\" \"{CHROME}\"\n"
        )
    };
    [
        line("203.0.113.9", "10:00:05", "/t/hidden?rid=b"),
        line("203.0.113.9", "10:00:25", "/?rid=b"),
        line("203.0.113.9", "10:00:30", "/?rid=c"),
        line("203.0.113.9", "10:05:30", "/?rid=b"),
        line("198.51.100.20", "11:00:00", "/?rid=a"),
    ]
    .concat()
}

#[test]
fn a_decoy_fetch_decides_its_visit_and_no_more() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("access.log"), access_log()).unwrap();
    let without = rows(&report(dir.path(), "access.log", &[], None));
    assert_eq!(without.len(), 5);
    assert!(
        without.iter().all(|r| !r["reasons"].contains("decoy")),
        "no decoy without a pattern"
    );

    let with = rows(&report(
        dir.path(),
        "access.log",
        &["--decoy", "/t/hidden"],
        None,
    ));
    let decided: Vec<(&str, &str)> = with
        .iter()
        .map(|r| (r["suggestion"].as_str(), r["reasons"].as_str()))
        .collect();
    assert_eq!(decided[0].0, "scanner");
    assert!(
        decided[0]
            .1
            .starts_with("fetched the decoy link `/t/hidden`: no person can see it"),
        "{}",
        decided[0].1
    );
    assert_eq!(decided[1].0, "scanner");
    assert!(
        decided[1].1.starts_with(
            "the same address fetched the decoy link for this recipient within a minute (row 1 of"
        ),
        "{}",
        decided[1].1
    );
    // Another recipient, or the same one minutes later, is not that visit.
    for r in [2, 3, 4] {
        assert!(
            !decided[r].1.contains("decoy"),
            "row {}: {}",
            r + 1,
            decided[r].1
        );
    }
    // The decision is the same with the pattern written with a star.
    let starred = rows(&report(
        dir.path(),
        "access.log",
        &["--decoy", "/t/*den"],
        None,
    ));
    assert_eq!(starred[0]["suggestion"], "scanner");
    assert_eq!(starred[1]["suggestion"], "scanner");
}

#[test]
fn the_signature_file_names_decoys_for_a_csv_url_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = format!(
        "time,ip,email,user_agent,url\n\
         2026-10-01T10:00:05Z,203.0.113.9,b@example.jp,{CHROME:?},https://lp.example.jp/t/hidden?rid=b\n\
         2026-10-01T10:00:40Z,203.0.113.9,b@example.jp,{CHROME:?},https://lp.example.jp/?rid=b\n\
         2026-10-01T11:00:00Z,198.51.100.20,a@example.jp,{CHROME:?},https://lp.example.jp/?rid=a\n"
    );
    std::fs::write(dir.path().join("clicks.csv"), csv).unwrap();
    let signatures = dir.path().join("signatures.toml");
    std::fs::write(&signatures, "format = 1\ndecoys = [\"/t/hidden\"]\n").unwrap();
    let rows = rows(&report(dir.path(), "clicks.csv", &[], Some(&signatures)));
    assert_eq!(rows[0]["suggestion"], "scanner");
    assert!(
        rows[0]["reasons"].starts_with("fetched the decoy link"),
        "{}",
        rows[0]["reasons"]
    );
    assert_eq!(rows[1]["suggestion"], "scanner");
    assert!(rows[1]["reasons"].starts_with("the same address fetched the decoy"));
    assert!(!rows[2]["reasons"].contains("decoy"));
}
