//! The follow-up sheets, snapshot-tested in both languages: a recipient
//! whose accesses were all a mail-security check, one who opened the link
//! on a phone, one whose mail was opened on a colleague's PC (forwarded),
//! and `whoclicked followup` writing them as files and as a mail-merge CSV.

use std::path::PathBuf;
use std::process::Command;

use whoclicked::analysis::Analysis;
use whoclicked::followup::{self, Lang};
use whoclicked::input::LoadProgress;
use whoclicked::mmdb::Value;
use whoclicked::network::{HostMap, NetworkOptions};
use whoclicked::pipeline::{Warning, prepare};

use crate::input_network::{campaign_proxy_dhcp, fixture, network_options};
use crate::support::mmdb;

struct Quiet;
impl whoclicked::pipeline::Observer for Quiet {
    fn warning(&mut self, _: Warning) {}
}

/// The owners of the fixture's addresses: Microsoft's cloud and docomo.
fn owners(dir: &tempfile::TempDir) -> PathBuf {
    let asn = |n: u32, org: &str| {
        Value::map([
            ("autonomous_system_number", Value::Uint32(n)),
            ("autonomous_system_organization", Value::from(org)),
        ])
    };
    let bytes = mmdb::build(
        "GeoLite2-ASN",
        vec![
            ("40.88.0.0/13", asn(8075, "Microsoft Corporation")),
            ("1.66.0.0/15", asn(9605, "NTT DOCOMO, INC.")),
        ],
    );
    mmdb::write(dir.path(), "owners.mmdb", &bytes)
}

fn analysis(dir: &tempfile::TempDir) -> Analysis {
    let options = network_options(
        campaign_proxy_dhcp(),
        vec![owners(dir)],
        NetworkOptions {
            hosts: HostMap::read(&fixture("hosts.csv")).unwrap(),
            ..NetworkOptions::default()
        },
    );
    prepare(&options, &LoadProgress::default(), &mut Quiet)
        .unwrap()
        .analysis
}

#[test]
fn sheets_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let a = analysis(&dir);
    for (case, recipient) in [
        ("scanner_only", "ito@corp.example"),
        ("phone_click", "kato@corp.example"),
        ("forwarded_click", "sato@corp.example"),
    ] {
        for lang in [Lang::En, Lang::Ja] {
            let sheets = followup::sheets(&a, lang, Some(recipient)).unwrap();
            assert_eq!(sheets.len(), 1);
            insta::assert_snapshot!(
                format!("followup_{case}_{}", lang.as_str()),
                sheets[0].markdown()
            );
        }
    }
}

#[test]
fn every_recipient_with_an_access_gets_a_sheet_and_no_one_is_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let a = analysis(&dir);
    let sheets = followup::sheets(&a, Lang::En, None).unwrap();
    let names: Vec<&str> = sheets.iter().map(|s| s.recipient.as_str()).collect();
    assert_eq!(
        names,
        [
            "tanaka@corp.example",
            "suzuki@corp.example",
            "sato@corp.example",
            "ito@corp.example",
            "kato@corp.example"
        ]
    );
    assert!(followup::sheets(&a, Lang::En, Some("nobody@corp.example")).is_none());
    // The plain text has no Markdown marks.
    let text = sheets[0].text();
    assert!(!text.contains('#') && !text.contains("- "), "{text}");
    assert_eq!(followup::file_stem("../evil/.x"), "_evil_.x");
    assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
    assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
}

#[test]
fn the_command_writes_a_folder_of_sheets_and_a_mail_merge_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = owners(&dir);
    let out = dir.path().join("sheets");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_whoclicked"))
            .arg("followup")
            .arg(fixture("campaign.csv"))
            .arg(fixture("squid_native.log"))
            .arg("--mmdb")
            .arg(&db)
            .args(["--no-kb", "--tz", "Asia/Tokyo"])
            .args(args)
            .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
            .env_remove("WHOCLICKED_MMDB")
            .output()
            .unwrap()
    };
    let o = run(&["--lang", "ja", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "{files:?}");
    assert!(files.contains(&"kato@corp.example.md".to_string()));
    let kato = std::fs::read_to_string(out.join("kato@corp.example.md")).unwrap();
    assert!(
        kato.contains("あなたのスマートフォンからのアクセスのようです。"),
        "{kato}"
    );

    let o = run(&["--format", "csv", "--lang", "en"]);
    assert!(o.status.success());
    let mut rdr = csv::Reader::from_reader(&o.stdout[..]);
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "recipient",
            "lang",
            "delivered",
            "accesses",
            "verdict",
            "meaning",
            "text"
        ]
    );
    assert_eq!(rdr.records().count(), 5);

    let o = run(&[
        "--recipient",
        "ito@corp.example",
        "--format",
        "txt",
        "--lang",
        "en",
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("Training mail: what the log shows for ito@corp.example"),
        "{stdout}"
    );
    let o = run(&["--recipient", "nobody"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no recipient \"nobody\""));
}

#[test]
fn accesses_over_several_days_carry_their_dates_when_the_delivery_is_unknown() {
    // No delivery in the log: the sheet cannot anchor clock times to a day,
    // so when the accesses fall on two days each line says its date.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("clicks.csv");
    std::fs::write(
        &log,
        "time,ip,recipient,user_agent\n\
         2026-12-03T13:35:46Z,1.66.20.30,kato@corp.example,Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)\n\
         2026-12-04T05:52:47Z,1.66.20.31,kato@corp.example,Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .args(["followup", "--no-kb", "--tz", "Asia/Tokyo", "--lang", "en"])
        .args(["--format", "txt", "--recipient", "kato@corp.example"])
        .arg(&log)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("12/03 22:35:46 — "), "{text}");
    assert!(text.contains("12/04 14:52:47 — "), "{text}");
}
