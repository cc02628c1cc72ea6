//! Apache/nginx access logs of the landing page.

use std::path::PathBuf;

use whoclicked::input::{LoadError, LoadOptions, LoadProgress, load, read_into};
use whoclicked::model::{Campaign, Event, LogFormat, ReadIssue};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/input")
        .join(name)
}

fn read(text: &str, options: &LoadOptions) -> (Campaign, Result<(), LoadError>) {
    let mut c = Campaign::new();
    let r = read_into(
        &mut c,
        "t.log",
        text.as_bytes(),
        options,
        &LoadProgress::default(),
    );
    (c, r)
}

fn issue(line: u64, field: Option<&str>, reason: &str) -> ReadIssue {
    ReadIssue {
        file: 0,
        line,
        field: field.map(str::to_string),
        reason: reason.to_string(),
    }
}

#[test]
fn reads_a_combined_log() {
    let c = load(
        &[fixture("access.log")],
        &LoadOptions::default(),
        &LoadProgress::default(),
    )
    .unwrap();
    let f = &c.files[0];
    assert_eq!(f.format, LogFormat::Combined);
    assert_eq!((f.rows, f.accesses, f.skipped), (14, 8, 3));
    assert_eq!(
        c.issues,
        vec![
            issue(
                10,
                Some("host"),
                "\"scanner.example.net\" is not an IP address (the server logs host names; \
                 log addresses instead, e.g. Apache HostnameLookups Off)"
            ),
            issue(
                11,
                Some("time"),
                "\"01/Oct/2026:25:00:02 +0900\" is not a real calendar date and time"
            ),
            issue(
                12,
                Some("screen"),
                "\"9x99999\" is not a plausible screen size (expected WIDTHxHEIGHT, e.g. 1920x1080); left blank"
            ),
            issue(
                13,
                None,
                "not a common/combined log line (no [time] field): \"this is not a log line\""
            ),
        ]
    );
    // `load` sorts by time; the file order is in `line`.
    let by_line = |line: u32| c.accesses.iter().find(|a| a.line == line).unwrap();
    let first = by_line(1);
    assert_eq!(first.time.to_string(), "2026-10-01T01:00:04Z");
    assert_eq!(c.ip(first.ip).to_string(), "40.94.89.23");
    assert_eq!(c.recipient_name(first), "Uep6fAo");
    assert_eq!(c.strings.get(first.method), "GET");
    assert_eq!((first.row, first.event), (1, Event::Click));
    assert_eq!(
        c.extras(first).collect::<Vec<_>>(),
        vec![("path", "/"), ("status", "200")]
    );
    let head = by_line(3);
    assert_eq!(c.strings.get(head.method), "HEAD");
    assert_eq!(head.event, Event::Click);
    assert_eq!(c.user_agent(head.user_agent), "python-requests/2.31.0");
    assert_eq!(by_line(5).screen.unwrap().to_string(), "390x844");
    assert_eq!(
        c.extras(by_line(5)).collect::<Vec<_>>(),
        vec![("path", "/beacon"), ("status", "204")]
    );
    assert_eq!(by_line(6).event, Event::Submit);
    let open = by_line(7);
    assert_eq!(open.event, Event::Open);
    assert_eq!(c.recipient_name(open), "Bx9k2Qa");
    assert_eq!(c.ip(open.ip).to_string(), "2001:db8::7");
    assert_eq!(
        c.user_agent(open.user_agent),
        "Microsoft Office/16.0 (\"Outlook\")"
    );
    let report = by_line(8);
    assert_eq!(report.event, Event::Report);
    assert_eq!(report.screen.unwrap().to_string(), "1920x1080");
    assert_eq!(by_line(12).screen, None);
    assert_eq!(c.user_agent(by_line(12).user_agent), "");

    let bx = c.recipient(c.find_recipient("Bx9k2Qa").unwrap());
    assert_eq!(bx.reports, 1);
    assert_eq!(c.strings.get(bx.rid), "Bx9k2Qa");
    assert_eq!(c.recipients.len(), 2);
    assert!(c.accesses.is_sorted_by_key(|a| a.time));
}

#[test]
fn reads_a_common_log_with_another_parameter() {
    let options = LoadOptions {
        rid_param: "id".into(),
        ..LoadOptions::default()
    };
    let (c, r) = read(
        "10.0.0.1 - - [01/Oct/2026:10:00:00 +0000] \"GET /x?id=abc HTTP/1.0\" 200 12\n\
         10.0.0.2 - alice [01/Oct/2026:10:00:01 -0130] \"HEAD /x?rid=zzz&id=def HTTP/1.0\" 200 -\n",
        &options,
    );
    r.unwrap();
    assert_eq!(c.accesses.len(), 2);
    assert_eq!(c.recipient_name(&c.accesses[1]), "def");
    assert_eq!(c.accesses[1].time.to_string(), "2026-10-01T11:30:01Z");
    assert_eq!(c.user_agent(c.accesses[0].user_agent), "");
    assert_eq!(c.strings.get(c.accesses[1].method), "HEAD");
}

#[test]
fn no_recipient_parameter_anywhere_is_an_error_with_advice() {
    let (_, r) = read(
        "10.0.0.1 - - [01/Oct/2026:10:00:00 +0000] \"GET /?id=5&utm_source=mail HTTP/1.1\" 200 1 \"-\" \"x\"\n\
         10.0.0.1 - - [01/Oct/2026:10:00:01 +0000] \"GET /?id=6 HTTP/1.1\" 200 1 \"-\" \"x\"\n\
         10.0.0.1 - - [01/Oct/2026:10:00:02 +0000] \"GET /a.css HTTP/1.1\" 200 1 \"-\" \"x\"\n",
        &LoadOptions::default(),
    );
    let err = r.unwrap_err();
    assert!(matches!(err, LoadError::NoRecipientParameter { .. }));
    assert_eq!(
        err.to_string(),
        "t.log: read as an access log, but no request carries the recipient parameter \"rid\" \
         (query parameters seen: \"id\", \"utm_source\"); name the right one with --rid-param"
    );
}

#[test]
fn mostly_broken_log_is_unreadable() {
    let mut text = String::new();
    for i in 0..3 {
        text.push_str(&format!(
            "10.0.0.{i} - - [01/Oct/2026:10:00:00 +0000] \"GET /?rid=a HTTP/1.1\" 200 1\n"
        ));
    }
    for _ in 0..6 {
        text.push_str("10.0.0.9 - - [01/Oct/2026:10:00:00 +0000] \"GET /?rid=a HTTP/1.1\" OK\n");
    }
    let options = LoadOptions {
        format: Some(LogFormat::Combined),
        ..LoadOptions::default()
    };
    let err = read(&text, &options).1.unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.log: read as an Apache/nginx access log: 6 of 9 rows failed; e.g. line 4: \
         not a common/combined log line (no 3-digit status after the request): \
         \"10.0.0.9 - - [01/Oct/2026:10:00:00 +0000] \"GET /?rid=a HTTP/1.1\" OK\""
    );
}

#[test]
fn a_quiet_rotated_log_is_only_an_issue() {
    let dir = tempfile::tempdir().unwrap();
    let quiet = dir.path().join("access.log.2");
    let busy = dir.path().join("access.log.1");
    std::fs::write(
        &quiet,
        "10.0.0.1 - - [30/Sep/2026:10:00:00 +0000] \"GET /wp-login.php HTTP/1.1\" 404 1 \"-\" \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        &busy,
        "10.0.0.1 - - [01/Oct/2026:10:00:00 +0000] \"GET /?rid=a HTTP/1.1\" 200 1 \"-\" \"x\"\n",
    )
    .unwrap();
    let progress = LoadProgress::default();
    let c = load(&[quiet.clone(), busy], &LoadOptions::default(), &progress).unwrap();
    assert_eq!(c.accesses.len(), 1);
    assert_eq!(c.accesses[0].file, 1);
    assert_eq!(c.issues.len(), 1);
    assert_eq!((c.issues[0].file, c.issues[0].line), (0, 0));
    assert!(
        c.issues[0]
            .reason
            .starts_with("read as an access log, but no request carries"),
        "{}",
        c.issues[0].reason
    );
    // Alone, the quiet log is an error that names the file.
    let err = load(&[quiet], &LoadOptions::default(), &progress).unwrap_err();
    assert!(matches!(err, LoadError::NoRecipientParameter { .. }));
    assert!(err.to_string().contains("access.log.2: "), "{err}");
}

/// nginx's stock `main` format: combined plus `"$http_x_forwarded_for"`.
fn nginx_main(host: &str, rid: &str, forwarded: &str) -> String {
    format!(
        "{host} - - [10/Nov/2026:09:05:03 +0900] \"GET /l?rid={rid} HTTP/1.1\" 200 512 \"-\" \
         \"Mozilla/5.0 (iPhone)\" \"{forwarded}\"\n"
    )
}

fn addresses(c: &Campaign) -> Vec<String> {
    c.accesses
        .iter()
        .map(|a| c.ips[a.ip.index()].to_string())
        .collect()
}

#[test]
fn the_client_behind_the_site_s_own_proxy_comes_from_x_forwarded_for() {
    let log = [
        // Behind the load balancer: the client, not the balancer.
        nginx_main("10.0.0.5", "a", "203.0.113.50"),
        // Through two of the site's proxies.
        nginx_main("10.0.0.5", "b", "198.51.100.8, 172.16.0.9"),
        // A client that sends its own header cannot hide behind it.
        nginx_main("10.0.0.5", "c", "8.8.8.8, 192.0.2.77"),
        // Straight to the server from the internet: the header is the client's word, not believed.
        nginx_main("192.0.2.200", "d", "10.1.1.1"),
        // No header.
        nginx_main("10.0.0.5", "e", "-"),
    ]
    .concat();
    let (c, r) = read(&log, &LoadOptions::default());
    r.unwrap();
    assert_eq!(
        addresses(&c),
        [
            "203.0.113.50",
            "198.51.100.8",
            "192.0.2.77",
            "192.0.2.200",
            "10.0.0.5"
        ]
    );
    assert!(c.issues.is_empty(), "{:?}", c.issues);
    // The whole chain stays visible beside the access.
    let chain: Vec<Vec<(&str, &str)>> = c.accesses.iter().map(|a| c.extras(a).collect()).collect();
    assert_eq!(
        chain[1],
        [
            ("path", "/l"),
            ("status", "200"),
            ("forwarded_for", "198.51.100.8, 172.16.0.9")
        ]
    );
    assert_eq!(chain[4][2], ("forwarded_for", ""));
}

#[test]
fn a_named_cdn_is_trusted_and_junk_in_the_header_keeps_the_connecting_address() {
    let log = [
        nginx_main("173.245.49.1", "a", "203.0.113.50"),
        nginx_main("10.0.0.5", "b", "203.0.113.60, unknown"),
    ]
    .concat();
    let (c, _) = read(&log, &LoadOptions::default());
    assert_eq!(addresses(&c), ["173.245.49.1", "10.0.0.5"]);
    let options = LoadOptions {
        trusted_proxies: whoclicked::input::TrustedProxies::new(vec![
            "173.245.48.0/20".parse().unwrap(),
        ]),
        ..LoadOptions::default()
    };
    let (c, r) = read(&log, &options);
    r.unwrap();
    assert_eq!(addresses(&c), ["203.0.113.50", "10.0.0.5"]);
    assert_eq!(
        c.issues,
        vec![issue(
            2,
            Some("forwarded_for"),
            "\"unknown\" in X-Forwarded-For \"203.0.113.60, unknown\" is not an address; \
             the connecting address is kept"
        )]
    );
}

#[test]
fn a_log_without_forwarded_for_gets_no_such_column() {
    let log = [
        nginx_main("198.51.100.1", "a", "-"),
        "198.51.100.2 - - [10/Nov/2026:09:05:03 +0900] \"GET /l?rid=b HTTP/1.1\" 200 5 \"-\" \"curl/8\"\n"
            .to_string(),
    ]
    .concat();
    let (c, r) = read(&log, &LoadOptions::default());
    r.unwrap();
    assert_eq!(c.accesses.len(), 2);
    let names: Vec<&str> = c.files[0]
        .extra_columns
        .iter()
        .map(|&s| c.strings.get(s))
        .collect();
    assert_eq!(names, ["path", "status"]);
}
