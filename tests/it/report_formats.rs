//! The report's three formats on a small hand-built campaign: exact CSV,
//! JSON types, the Excel shape and formula guards, and the table's escaping.

use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::model::{
    Access, Campaign, Event, LogFormat, NO_EXTRA, Screen, SourceFile, Timestamp, parse_zone,
    recipient_raw,
};
use whoclicked::owner::Owner;
use whoclicked::report::{OutputFormat, ReportOptions, write_report};
use whoclicked::signals::Suggestions;

const SENT: i64 = 1_790_000_000;

fn campaign() -> Campaign {
    let mut c = Campaign::new();
    let dept = c.strings.intern("department");
    c.files.push(SourceFile {
        name: "clicks.csv".into(),
        format: LogFormat::Native,
        encoding: "UTF-8",
        rows: 3,
        accesses: 2,
        skipped: 0,
        extra_columns: vec![dept],
    });
    let alice = c.intern_recipient("alice@example.com");
    c.recipients[alice.index()].sent_at = Timestamp::from_seconds(SENT);
    c.recipients[alice.index()].delivered = true;
    let bob = c.intern_recipient("=cmd|' /C calc'!A0");
    c.recipients[bob.index()].delivered = true;

    let safe_links = c.intern_ip("40.94.0.1".parse().unwrap());
    let office = c.intern_ip("10.1.2.3".parse().unwrap());
    let go = c.intern_user_agent("Go-http-client/1.1");
    let edge = c.intern_user_agent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0\x1b]0;owned\x07",
    );
    let head = c.strings.intern("HEAD");
    let get = c.strings.intern("GET");
    let e1 = c.push_extras(&["営業部"]);
    c.accesses.push(Access {
        time: Timestamp::from_nanos((SENT + 3) * 1_000_000_000 + 250_000_000),
        ip: safe_links,
        user_agent: go,
        recipient_raw: recipient_raw(Some(alice)),
        method: head,
        extra: e1,
        row: 1,
        line: 2,
        screen: None,
        file: 0,
        event: Event::Click,
    });
    c.accesses.push(Access {
        time: Timestamp::from_seconds(SENT + 5_400).unwrap(),
        ip: office,
        user_agent: edge,
        recipient_raw: recipient_raw(Some(bob)),
        method: get,
        extra: NO_EXTRA,
        row: 3,
        line: 4,
        screen: Some(Screen {
            width: 1920,
            height: 1080,
        }),
        file: 0,
        event: Event::Click,
    });
    c.push_issue(whoclicked::model::ReadIssue {
        file: 0,
        line: 3,
        field: Some("ip".into()),
        reason: "bad address".into(),
    });
    c
}

fn analysis(zone: TimeZone) -> Analysis {
    let microsoft = Owner {
        network: Some("40.88.0.0/13".parse().unwrap()),
        asn: Some(8075),
        as_org: Some(Arc::from("Microsoft Corporation")),
        country_code: Some(Arc::from("US")),
        ..Owner::default()
    };
    let internal = Owner {
        internal: Some("private"),
        ..Owner::default()
    };
    Analysis::from_parts(
        Enriched::new(campaign(), vec![microsoft, internal], zone),
        Suggestions::stated(Vec::new()),
        CampaignVerdicts::default(),
    )
}

fn render(analysis: &Analysis, format: OutputFormat, excel: bool) -> String {
    let mut out = Vec::new();
    write_report(
        analysis,
        &ReportOptions {
            format,
            excel,
            queue: false,
        },
        &mut out,
    )
    .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn csv_has_every_column_and_guards_formulas() {
    let csv = render(
        &analysis(parse_zone("+09:00").unwrap()),
        OutputFormat::Csv,
        false,
    );
    insta::assert_snapshot!(csv, @r#"
    row,time,recipient,event,method,ip,network,asn,as_org,isp,country,city,user_agent,browser,browser_version,os,os_version,category,screen,seconds_after_sent,suggestion,confidence,reasons,verdict,verdict_source,organization,connection_type,user_type,owner_flags,department
    1,2026-09-21T23:13:23.25+09:00,alice@example.com,click,HEAD,40.94.0.1,40.88.0.0/13,8075,Microsoft Corporation,,US,,Go-http-client/1.1,Go-http-client,1.1,,,unknown,,3.25,,,,,,,,,,営業部
    3,2026-09-22T00:43:20+09:00,'=cmd|' /C calc'!A0,click,GET,10.1.2.3,,,internal (private),,,,"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0\x1b]0;owned\x07",Edge,130.0.0.0,Windows 10,NT 10.0,pc,1920x1080,,,,,,,,,,,
    "#);
}

#[test]
fn excel_csv_has_bom_and_crlf() {
    let csv = render(&analysis(TimeZone::UTC), OutputFormat::Csv, true);
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.matches("\r\n").count(), 3);
    assert_eq!(csv.matches('\n').count(), 3, "every line ends in CRLF");
    assert!(csv.contains("2026-09-21T14:13:23.25Z"));
}

#[test]
fn json_types_numbers_and_nulls() {
    let json = render(&analysis(TimeZone::UTC), OutputFormat::Json, false);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &v["accesses"][0];
    assert_eq!(first["asn"], 8075);
    assert_eq!(first["seconds_after_sent"], 3.25);
    assert_eq!(first["screen"], serde_json::Value::Null);
    assert_eq!(first["department"], "営業部");
    assert_eq!(
        v["accesses"][1]["user_agent"]
            .as_str()
            .unwrap()
            .matches('\x1b')
            .count(),
        1,
        "JSON keeps the raw value, escaped by JSON itself"
    );
    assert!(!json.contains('\x1b'), "no raw escape byte in the output");
    assert_eq!(v["summary"]["accesses"], 2);
    assert_eq!(v["summary"]["recipients_delivered"], 2);
    assert_eq!(v["summary"]["recipients_with_access"], 2);
    assert_eq!(
        v["summary"]["top_owners"][0]["owner"],
        "AS8075 Microsoft Corporation"
    );
    assert_eq!(v["issues"][0]["line"], 3);
    assert_eq!(v["issues"][0]["field"], "ip");
}

#[test]
fn table_escapes_and_summarises() {
    let table = render(
        &analysis(parse_zone("+09:00").unwrap()),
        OutputFormat::Table,
        false,
    );
    assert!(
        !table.contains('\x1b'),
        "escape sequences must never reach a terminal"
    );
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("time "));
    assert!(lines[1].contains("AS8075 Microsoft Corporation"));
    assert!(lines[1].ends_with("3.2s"));
    assert!(lines[2].contains("internal (private)"));
    assert!(
        lines[2].ends_with("1920x1080"),
        "no delay without a delivery time: {:?}",
        lines[2]
    );
    assert!(table.contains("recipients  delivered 2, with any access 2, reported 0"));
    assert!(table.contains("skipped     1 unreadable rows"));
}
