//! GoPhish Raw Events exports, old and new headers, every `details` shape.

use std::path::PathBuf;

use whoclicked::input::{LoadError, LoadOptions, LoadProgress, load, read_into};
use whoclicked::model::{Campaign, Event, LogFormat, ReadIssue, Timestamp};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/input")
        .join(name)
}

fn utc() -> LoadOptions {
    LoadOptions {
        zone: jiff::tz::TimeZone::UTC,
        ..LoadOptions::default()
    }
}

fn read(text: &str) -> (Campaign, Result<(), LoadError>) {
    let mut c = Campaign::new();
    let r = read_into(
        &mut c,
        "events.csv",
        text.as_bytes(),
        &utc(),
        &LoadProgress::default(),
    );
    (c, r)
}

#[test]
fn reads_a_current_export() {
    let bytes = std::fs::read(fixture("gophish_events.csv")).unwrap();
    let mut c = Campaign::new();
    read_into(
        &mut c,
        "Phish - Events.csv",
        &bytes[..],
        &utc(),
        &LoadProgress::default(),
    )
    .unwrap();
    let f = &c.files[0];
    assert_eq!(f.format, LogFormat::GoPhish);
    let extra_names: Vec<&str> = f.extra_columns.iter().map(|&s| c.strings.get(s)).collect();
    assert_eq!(extra_names, vec!["campaign_id", "payload"]);
    assert_eq!((f.rows, f.accesses, f.skipped), (10, 3, 2));

    assert_eq!(
        c.issues,
        vec![ReadIssue {
            file: 0,
            line: 10,
            field: Some("message".into()),
            reason: "\"Proxied request\" is no recipient event; ignored (2 rows like this one)"
                .into(),
        }]
    );

    let events: Vec<Event> = c.accesses.iter().map(|a| a.event).collect();
    assert_eq!(events, vec![Event::Click, Event::Open, Event::Submit]);
    let click = &c.accesses[0];
    assert_eq!(c.recipient_name(click), "alice@example.com");
    assert_eq!(c.ip(click.ip).to_string(), "40.94.89.23");
    assert!(c.user_agent(click.user_agent).contains("Chrome/101"));
    assert_eq!(click.time.to_string(), "2026-10-01T01:00:04.5Z");
    assert_eq!((click.row, click.line), (5, 6));
    assert_eq!(
        c.extras(click).collect::<Vec<_>>(),
        vec![("campaign_id", "7"), ("payload", "")]
    );
    assert_eq!(c.seconds_after_sent(click), Some(3.376544));

    // The formula-escape `'` is gone from the address.
    let open = &c.accesses[1];
    assert_eq!(c.recipient_name(open), "=bob@example.com");
    assert_eq!(c.ip(open.ip).to_string(), "2001:db8::7");
    assert_eq!(c.user_agent(open.user_agent), "");

    let submit = &c.accesses[2];
    assert_eq!(submit.time.to_string(), "2026-09-30T18:14:00Z");
    assert_eq!(submit.screen.unwrap().to_string(), "390x844");
    assert_eq!(
        c.extras(submit).collect::<Vec<_>>(),
        vec![
            ("campaign_id", "7"),
            ("payload", "password=(redacted); username=alice")
        ]
    );
    assert!(
        c.strings.find("hunter2").is_none(),
        "a captured password was kept"
    );

    let alice = c.recipient(c.find_recipient("alice@example.com").unwrap());
    assert_eq!(c.strings.get(alice.rid), "Uep6fAo");
    assert!(alice.delivered);
    assert_eq!(
        alice.sent_at.unwrap().to_string(),
        "2026-10-01T01:00:01.123456Z"
    );
    assert_eq!(alice.reports, 1);
    assert_eq!(
        c.find_recipient("Uep6fAo"),
        c.find_recipient("alice@example.com")
    );
    let bob = c.recipient(c.find_recipient("=bob@example.com").unwrap());
    assert!(bob.delivered);
    assert_eq!(c.strings.get(bob.rid), "Bx9k2Qa");
    let carol = c.recipient(c.find_recipient("carol@example.com").unwrap());
    assert_eq!(
        (carol.send_errors, carol.delivered, carol.sent_at),
        (1, false, None)
    );
}

#[test]
fn reads_an_export_without_campaign_id() {
    let c = load(
        &[fixture("gophish_events_v09.csv")],
        &utc(),
        &LoadProgress::default(),
    )
    .unwrap();
    assert_eq!(c.files[0].format, LogFormat::GoPhish);
    let names: Vec<&str> = c.files[0]
        .extra_columns
        .iter()
        .map(|&s| c.strings.get(s))
        .collect();
    assert_eq!(names, vec!["payload"]);
    assert_eq!(c.accesses.len(), 1);
    let a = &c.accesses[0];
    assert_eq!(a.time, Timestamp::from_nanos(1_464_756_562_475_872_600));
    assert_eq!(c.seconds_after_sent(a), Some(2.4758726));
    assert_eq!(c.strings.get(c.recipient(a.recipient().unwrap()).rid), "a1");
}

#[test]
fn details_shapes_that_carry_no_access_are_reported() {
    let (c, r) = read(
        "campaign_id,email,time,message,details\n\
         1,a@x,2026-10-01T00:00:00Z,Clicked Link,\n\
         1,a@x,2026-10-01T00:00:01Z,Clicked Link,\"{\"\"payload\"\":null,\"\"browser\"\":null}\"\n\
         1,a@x,2026-10-01T00:00:02Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\n\
         1,a@x,2026-10-01T00:00:03Z,Clicked Link,\"{\"\"browser\"\":{\"\"address\"\":\"\"evil\\u001b[2J\"\"}}\"\n\
         1,a@x,not-a-time,Clicked Link,\n\
         1,a@x,2026-10-01T00:00:05Z,Submitted Data,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"r\"\"],\"\"sw\"\":[\"\"0\"\"],\"\"sh\"\":[\"\"0\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"10.0.0.1\"\"}}\"\n\
         1,a@x,2026-10-01T00:00:06Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"r\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"10.0.0.1\"\",\"\"user-agent\"\":\"\"x\"\"}}\"\n\
         1,a@x,2026-10-01T00:00:07Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"r\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"10.0.0.2\"\",\"\"user-agent\"\":\"\"x\"\"}}\"\n\
         1,a@x,2026-10-01T00:00:08Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"r\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"10.0.0.3\"\",\"\"user-agent\"\":\"\"x\"\"}}\"\n\
         1,a@x,2026-10-01T00:00:09Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"r\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"10.0.0.4\"\",\"\"user-agent\"\":\"\"x\"\"}}\"\n",
    );
    r.unwrap();
    let got: Vec<(u64, Option<&str>, &str)> = c
        .issues
        .iter()
        .map(|i| (i.line, i.field.as_deref(), i.reason.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                2,
                Some("details"),
                "is empty: the event has no browser address"
            ),
            (3, Some("details"), "has no browser address"),
            (
                4,
                Some("details"),
                "\"{\"payload\":{\"rid\":[\" is not GoPhish details JSON: it ends early at column 19"
            ),
            (
                5,
                Some("details"),
                "browser.address: \"evil\\u{1b}[2J\" is not an IP address"
            ),
            (
                6,
                Some("time"),
                "\"not-a-time\" is not a date and time (expected e.g. 2026-10-01 09:05:00, \
                 2026/10/1 9:05, RFC 3339, or epoch seconds)"
            ),
            (
                7,
                Some("details"),
                "payload screen: \"0x0\" is not a plausible screen size (expected WIDTHxHEIGHT, e.g. 1920x1080); left blank"
            ),
        ]
    );
    assert_eq!(c.accesses.len(), 5);
    assert_eq!(c.accesses[0].screen, None);
    assert_eq!(c.files[0].skipped, 5);
}

#[test]
fn results_export_is_refused_with_advice() {
    let (_, r) = read(
        "id,status,ip,latitude,longitude,send_date,reported,modified_date,email,first_name,last_name,position\n\
         Uep6fAo,Clicked Link,40.94.89.23,37.751,-97.822,2024-05-01T09:00:01Z,false,2024-05-01T09:00:04.5Z,a@x,A,B,C\n",
    );
    let msg = r.unwrap_err().to_string();
    assert!(msg.contains("\"Results\" export"), "{msg}");
    assert!(msg.contains("export \"Raw Events\""), "{msg}");
}

#[test]
fn forced_gophish_on_another_header_says_what_it_needs() {
    let options = LoadOptions {
        format: Some(LogFormat::GoPhish),
        ..utc()
    };
    let mut c = Campaign::new();
    let err = read_into(
        &mut c,
        "x.csv",
        &b"time,ip\n"[..],
        &options,
        &LoadProgress::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.csv: read as GoPhish Raw Events: the header needs the columns \
         campaign_id,email,time,message,details (campaign_id is optional); it was \"time,ip\""
    );
}

#[test]
fn a_landing_page_log_read_first_joins_the_export() {
    let c = load(
        &[fixture("access.log"), fixture("gophish_events.csv")],
        &utc(),
        &LoadProgress::default(),
    )
    .unwrap();
    // The export is read first, whatever the order on the command line.
    assert_eq!(c.files[0].format, LogFormat::GoPhish);
    assert_eq!(c.files[1].format, LogFormat::Combined);
    let alice = c.find_recipient("alice@example.com").unwrap();
    assert_eq!(c.find_recipient("Uep6fAo"), Some(alice));
    assert_eq!(
        c.find_recipient("Bx9k2Qa"),
        c.find_recipient("=bob@example.com")
    );
    assert_eq!(c.recipients.len(), 3);
    let from_log = c
        .accesses
        .iter()
        .filter(|a| a.file == 1 && a.recipient() == Some(alice))
        .count();
    assert_eq!(from_log, 5);
    assert!(c.recipient(alice).delivered);
}

#[test]
fn opens_without_an_address_do_not_make_an_old_export_unreadable() {
    let mut text = String::from("email,time,message,details\n");
    for i in 0..6 {
        text.push_str(&format!("u{i}@x,2016-06-01T04:49:2{i}Z,Email Opened,\n"));
    }
    text.push_str(
        "u0@x,2016-06-01T05:00:00Z,Clicked Link,\"{\"\"payload\"\":{\"\"rid\"\":[\"\"a\"\"]},\"\"browser\"\":{\"\"address\"\":\"\"198.51.100.1\"\"}}\"\n",
    );
    let (c, r) = read(&text);
    r.unwrap();
    assert_eq!(c.accesses.len(), 1);
    assert_eq!(c.issues.len(), 6);
    assert_eq!(
        c.issues[0].reason,
        "is empty: the event has no browser address; the open is ignored"
    );
    assert_eq!(c.files[0].skipped, 6);
}
