//! Sign-in and audit logs read from files in every format, with the quirks
//! of real exports: drifting and duplicated Entra columns, a BOM, client
//! addresses with ports and brackets, AuditData that is not JSON, a cut
//! JSON file, locale dates, multi-MB cells. Each bad record is named with
//! its file, line and column, and the rest loads.

use std::net::IpAddr;

use whoclicked::input::DateOrder;
use whoclicked::signin::{Investigation, LogKind, OpKind, Outcome, ReadOptions, SigninError};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/signin");

fn read_with(name: &str, options: &ReadOptions) -> Investigation {
    let path = format!("{DIR}/{name}");
    let bytes = std::fs::read(&path).unwrap();
    let mut inv = Investigation::new();
    inv.read(name, &bytes[..], options).unwrap();
    inv.finish();
    inv
}

fn read(name: &str) -> Investigation {
    read_with(name, &ReadOptions::default())
}

fn ip(text: &str) -> Option<IpAddr> {
    Some(text.parse().unwrap())
}

fn issue_lines(inv: &Investigation) -> Vec<(u64, Option<String>)> {
    inv.issues
        .iter()
        .map(|i| (i.line, i.column.clone()))
        .collect()
}

#[test]
fn entra_csv_by_trimmed_names_with_bom_duplicates_and_extra_columns() {
    let inv = read("entra_interactive.csv");
    assert_eq!(inv.files[0].kind, LogKind::EntraCsv);
    assert_eq!(inv.files[0].records, 5);
    // The bad time is reported and skipped; the bad address keeps its event.
    assert_eq!(inv.events.len(), 4);
    let taro = inv
        .events
        .iter()
        .find(|e| e.outcome == Outcome::Success && &*e.account == "taro@example.co.jp")
        .unwrap();
    assert_eq!(taro.ip, ip("203.0.113.9"));
    assert_eq!(taro.log_asn, Some(64500), "the doubled-space column");
    assert_eq!(taro.log_country.as_deref(), Some("NL"));
    assert_eq!(&*taro.app, "Office 365 Exchange Online");
    assert_eq!(&*taro.session, "s-1");
    let failed = inv.events.iter().find(|e| e.is_sign_in_failure()).unwrap();
    assert!(failed.failure.as_deref().unwrap().starts_with("50126"));
    assert_eq!(failed.ip, ip("2001:db8:51:7::23"));
    let mapped = inv
        .events
        .iter()
        .find(|e| &*e.account == "jiro@example.co.jp")
        .unwrap();
    assert_eq!(mapped.ip, ip("198.51.100.20"), "IPv4-mapped read as IPv4");
    let issues = issue_lines(&inv);
    assert!(
        issues.contains(&(4, Some("IP address".into()))),
        "{issues:?}"
    );
    assert!(
        issues.contains(&(5, Some("Date (UTC)".into()))),
        "{issues:?}"
    );
}

#[test]
fn graph_pages_load_and_a_cut_record_costs_only_itself() {
    let inv = read("entra_signins.json");
    assert_eq!(inv.files[0].kind, LogKind::EntraJson);
    assert_eq!(inv.events.len(), 3);
    let first = &inv.events[0];
    assert_eq!(first.outcome, Outcome::Failure);
    assert_eq!(first.ip, ip("203.0.113.50"), "[v4]:port");
    let nl = &inv.events[1];
    assert_eq!(nl.coordinates, Some((52.37, 4.89)));
    assert_eq!(&*nl.location, "Amsterdam, Noord-Holland, NL");
    assert_eq!(inv.issues.len(), 1, "{:?}", inv.issues);
    let cut = &inv.issues[0];
    assert_eq!(cut.line, 59);
    assert!(cut.reason.contains("cut short"), "{}", cut.reason);
}

#[test]
fn purview_csv_takes_everything_from_audit_data() {
    let inv = read_with(
        "ual_purview.csv",
        &ReadOptions {
            date_order: DateOrder::MonthDayYear,
            ..ReadOptions::default()
        },
    );
    assert_eq!(inv.files[0].kind, LogKind::UalCsv);
    let kinds: Vec<OpKind> = inv.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            OpKind::SignIn,
            OpKind::InboxRule,
            OpKind::Send,
            OpKind::SignIn,
            OpKind::MailAccess
        ]
    );
    // No CreationTime in AuditData: the locale CreationDate, read month first.
    let hanako = &inv.events[0];
    assert_eq!(
        hanako.time.format_rfc3339(&jiff::tz::TimeZone::UTC),
        "2023-09-20T04:05:03Z"
    );
    assert_eq!(hanako.ip, ip("198.51.100.7"));
    let rule = inv.events[1].rule.as_ref().unwrap();
    assert_eq!(rule.forward_to, ["x@example.net"]);
    assert_eq!(inv.events[2].ip, ip("2001:db8:51:7::23"), "[v6]:port");
    let issues = issue_lines(&inv);
    assert_eq!(
        issues,
        [(5, Some("AuditData".into())), (6, Some("AuditData".into()))],
        "{:?}",
        inv.issues
    );
    assert!(inv.issues[0].reason.contains("not valid JSON"));
    assert!(inv.issues[1].reason.contains("is not JSON"));
}

#[test]
fn a_locale_date_without_the_order_is_named_with_its_line() {
    let inv = read("ual_purview.csv");
    let issue = inv.issues.iter().find(|i| i.line == 4).unwrap();
    assert_eq!(issue.column.as_deref(), Some("CreationDate"));
    assert!(
        issue.reason.contains("--date-order mdy"),
        "{}",
        issue.reason
    );
    assert_eq!(inv.events.len(), 4);
}

#[test]
fn powershell_export_csv_and_mailbox_forwarding() {
    let inv = read("ual_powershell.csv");
    assert_eq!(inv.files[0].kind, LogKind::UalCsv);
    assert_eq!(inv.events.len(), 2);
    let fwd = &inv.events[0];
    assert_eq!(fwd.kind, OpKind::Forwarding);
    assert_eq!(fwd.rule.as_ref().unwrap().forward_to, ["x@example.net"]);
    assert_eq!(inv.events[1].kind, OpKind::Delete);
    assert_eq!(inv.events[1].ip, ip("203.0.113.9"));
}

#[test]
fn audit_json_lines_in_three_shapes() {
    let inv = read("ual.jsonl");
    assert_eq!(inv.files[0].kind, LogKind::UalJson);
    let ops: Vec<&str> = inv.events.iter().map(|e| &*e.operation).collect();
    assert_eq!(ops, ["UserLoggedIn", "Send", "SendAs"]);
    assert_eq!(&*inv.events[0].device, "Windows 10 Chrome");
    assert_eq!(&*inv.events[0].session, "s-1");
    assert_eq!(inv.events[2].ip, ip("2001:db8::5"));
    assert_eq!(
        issue_lines(&inv).iter().map(|i| i.0).collect::<Vec<_>>(),
        [3]
    );
}

#[test]
fn google_login_activity() {
    let inv = read("google_login.json");
    assert_eq!(inv.files[0].kind, LogKind::GoogleJson);
    assert_eq!(inv.events.len(), 2);
    let fail = &inv.events[0];
    assert!(fail.is_sign_in_failure());
    assert!(fail.failure.as_deref().unwrap().contains("suspicious"));
    let ok = &inv.events[1];
    assert_eq!(ok.log_asn, Some(64500));
    assert_eq!(ok.log_country.as_deref(), Some("NL"));
}

#[test]
fn a_multi_megabyte_cell_costs_only_its_row() {
    let big = format!(
        "{{\"CreationTime\":\"2025-03-04T01:10:00\",\"Operation\":\"Send\",\"Item\":{{\"Subject\":\"{}\"}}}}",
        "x".repeat(3 << 20)
    );
    let ok = r#"{"CreationTime":"2025-03-04T01:11:00","Operation":"Send","UserId":"a@b.example"}"#;
    let csv = format!(
        "RecordId,CreationDate,RecordType,Operation,UserId,AuditData\n1,,2,Send,a@b.example,\"{}\"\n2,,2,Send,a@b.example,\"{}\"\n",
        big.replace('"', "\"\""),
        ok.replace('"', "\"\"")
    );
    let mut inv = Investigation::new();
    inv.read("big.csv", csv.as_bytes(), &ReadOptions::default())
        .unwrap();
    assert_eq!(inv.events.len(), 1);
    assert_eq!(inv.issues.len(), 1, "{:?}", inv.issues);
    assert_eq!(inv.issues[0].line, 2);
    assert!(
        inv.issues[0].reason.contains("longer than"),
        "{}",
        inv.issues[0].reason
    );
}

#[test]
fn unknown_files_and_forced_formats() {
    let mut inv = Investigation::new();
    let err = inv
        .read(
            "clicks.csv",
            &b"time,ip,email\n2025-01-01,1.2.3.4,a@b\n"[..],
            &ReadOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, SigninError::UnknownFormat { .. }), "{err}");
    assert!(err.to_string().contains("clicks.csv"));
    // Forced to the audit log, a CSV without AuditData says what it lacks.
    let forced = ReadOptions {
        kind: Some(LogKind::UalCsv),
        ..ReadOptions::default()
    };
    let err = inv
        .read("clicks.csv", &b"time,ip,email\n"[..], &forced)
        .unwrap_err();
    assert!(err.to_string().contains("AuditData"), "{err}");
    assert!(inv.files.is_empty());
}

#[test]
fn several_files_make_one_investigation_in_time_order() {
    let mut inv = Investigation::new();
    for name in ["ual.jsonl", "entra_signins.json"] {
        let bytes = std::fs::read(format!("{DIR}/{name}")).unwrap();
        inv.read(name, &bytes[..], &ReadOptions::default()).unwrap();
    }
    inv.finish();
    assert_eq!(inv.files.len(), 2);
    assert!(inv.events.windows(2).all(|w| w[0].time <= w[1].time));
    assert_eq!(inv.events.len(), 6);
    assert!(inv.events.iter().any(|e| e.file == 1));
}
