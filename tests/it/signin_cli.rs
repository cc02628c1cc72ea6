//! `whoclicked report` on sign-in and audit logs, through the binary: the
//! sign-in demo as a table, CSV and JSON; several files and a mail as one
//! investigation (the Message-ID leads to its Send record); bad records
//! named on stderr with file, line and column while the rest is reported;
//! the warnings about what the logs cannot show.

use std::path::PathBuf;
use std::process::{Command, Output};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signin");
const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/signins");

fn run(kb: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_whoclicked"))
        .env("WHOCLICKED_KB", kb)
        .env("WHOCLICKED_NO_DEFAULT_MMDB", "1")
        .env_remove("WHOCLICKED_MMDB")
        .env("LC_ALL", "C")
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_sign_in_demo_as_a_table_names_the_attack_and_the_sender() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["report", "--demo", "signins"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("time (+09:00)"), "{stdout}");
    let rule = stdout
        .lines()
        .find(|l| l.contains("New-InboxRule"))
        .unwrap();
    assert!(
        rule.contains("suspicious") && rule.contains("billing-dept@proton.example"),
        "{rule}"
    );
    assert!(stdout.contains(
        "<OS3PR01MB9007@OS3PR01MB9007.jpnprd01.prod.outlook.com> was sent by taro@example.co.jp at 2025-03-09T11:41:22+09:00 from 188.166.45.9 (AS14061 (DigitalOcean, LLC), NL)"
    ), "{stdout}");
    assert!(stdout.contains("first seen: AS14061 (DigitalOcean, LLC) at 2025-03-09 11:10:07"));
    assert!(stdout.contains("Entra ID keeps sign-ins 7 days (Free) or 30 days (P1/P2)"));
}

#[test]
fn csv_and_json_carry_every_event_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["report", "--demo", "signins", "--format", "csv"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, whoclicked::signin::output::COLUMNS);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 160);
    let suspicious = rows.iter().filter(|r| &r[23] == "suspicious").count();
    assert_eq!(suspicious, 54);
    // The second factor's result, as Entra gives it.
    assert!(
        rows.iter()
            .any(|r| &r[27] == "MFA requirement satisfied by claim in the token")
    );

    let out = run(
        dir.path(),
        &["report", "--demo", "signins", "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["events"].as_array().unwrap().len(), 160);
    assert_eq!(doc["accounts"][0]["account"], "taro@example.co.jp");
    assert_eq!(doc["accounts"][0]["countries"]["NL"], 30);
    assert!(
        doc["events"][0]["raw"]
            .as_str()
            .unwrap()
            .contains("date (utc)")
    );
    assert_eq!(doc["sent"].as_array().unwrap().len(), 1);
}

#[test]
fn several_files_with_bad_records_and_a_mail_make_one_investigation() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| format!("{FIXTURES}/{n}");
    let eml = PathBuf::from(format!("{DEMO}/forwarded-by-customer.eml"));
    let mail = dir.path().join("asked.eml");
    // The fixture's Send has this Message-ID.
    let body = std::fs::read_to_string(&eml)
        .unwrap()
        .replace("OS3PR01MB9007@OS3PR01MB9007", "OS3PR01MB1234@OS3PR01MB1234");
    std::fs::write(&mail, body).unwrap();
    let out = run(
        dir.path(),
        &[
            "report",
            "--tz",
            "UTC",
            &f("ual_purview.csv"),
            &f("entra_interactive.csv"),
            mail.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("ual_purview.csv:5, AuditData: is not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("entra_interactive.csv:5, Date (UTC): the time \"yesterday\""),
        "{stderr}"
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["files"].as_array().unwrap().len(), 2);
    let sent = doc["sent"][0]["text"].as_str().unwrap();
    assert!(sent.starts_with("<OS3PR01MB1234@OS3PR01MB1234.jpnprd01.prod.outlook.com> was sent by taro@example.co.jp at 2025-03-04T01:06:40Z from 2001:db8:51:7::23"), "{sent}");
    assert!(sent.contains("after a sign-in"), "{sent}");
}

#[test]
fn an_empty_audit_log_is_no_proof_and_a_short_window_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("AuditLog_empty.csv");
    std::fs::write(
        &empty,
        "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "report",
            empty.to_str().unwrap(),
            &format!("{FIXTURES}/ual.jsonl"),
            "--since",
            "2025-02-01 00:00",
            "--tz",
            "UTC",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "AuditLog_empty.csv holds no events: no events is not proof that nothing happened"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("the question starts at 2025-02-01 00:00:00, before this file does"),
        "{stdout}"
    );
}

#[test]
fn a_forced_format_that_does_not_fit_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "report",
            "--log-format",
            "ual",
            &format!("{FIXTURES}/entra_interactive.csv"),
        ],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("entra_interactive.csv: read as Microsoft 365 audit log (CSV), but there is no AuditData column"), "{stderr}");
}

#[test]
fn a_report_keeps_the_accounts_usual_places_for_the_next_investigation() {
    // The demo's files given as files (a demo run writes nothing), with the
    // demo's owner database: the knowledge base gains accounts.json with
    // taro's office AS and none of the attacker's, and a second run over
    // the same logs leaves it as it was (days are a set).
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| format!("{DEMO}/{name}");
    let args = [
        "report".to_string(),
        "--mmdb".to_string(),
        file("signins-asn.mmdb"),
        file("InteractiveSignIns_2025-03-03_2025-03-10.csv"),
        file("NonInteractiveSignIns_2025-03-03_2025-03-10.csv"),
        file("AuditLog_2025-03-10_093000.csv"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(dir.path(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let path = dir.path().join("accounts.json");
    let first = std::fs::read(&path).expect("accounts.json written");
    let kept: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let taro = &kept["accounts"]["taro@example.co.jp"]["places"];
    assert!(taro.as_object().is_some_and(|p| !p.is_empty()), "{kept}");
    for attacker in ["AS14061", "AS20473"] {
        assert!(taro.get(attacker).is_none(), "{attacker} kept: {kept}");
    }
    let out = run(dir.path(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&path).unwrap(), first);
}
