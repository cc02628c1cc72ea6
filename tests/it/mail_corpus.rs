//! `whoclicked headers`' analysis on a corpus of real header shapes
//! (tests/fixtures/mail: Exchange Online, Gmail, Postfix, Exim, Sendmail,
//! qmail, a forgery, CRLF and folded dates, an mbox): the verdict, the
//! origin and the flags each must give.

use std::collections::HashMap;
use std::path::Path;

use whoclicked::mail::{self, HopStatus, MessageReport, Submission, Trust, Verdict};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/mail")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn analyse_with(name: &str, bytes: &[u8], trust: &Trust) -> Vec<MessageReport> {
    let messages = mail::read(name, bytes).expect("readable");
    mail::analyse_all(mail::parse(messages), &HashMap::new(), trust)
}

fn one(name: &str) -> MessageReport {
    let mut reports = analyse_with(name, &fixture(name), &Trust::default());
    assert_eq!(reports.len(), 1, "{name}");
    reports.remove(0)
}

fn flags(r: &MessageReport) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = r.flags.iter().map(|f| f.code).collect();
    codes.extend(r.hops.iter().flat_map(|h| h.flags.iter().map(|f| f.code)));
    codes
}

fn statuses(r: &MessageReport) -> Vec<HopStatus> {
    r.hops.iter().map(|h| h.status).collect()
}

fn ip(text: &str) -> std::net::IpAddr {
    text.parse().unwrap()
}

#[test]
fn exchange_online_mapi_submission_names_no_client() {
    let r = one("exo-mapi.eml");
    assert!(
        matches!(
            r.verdict,
            Verdict::NotInHeaders {
                how: Submission::Mapi,
                ..
            }
        ),
        "{:?}",
        r.verdict
    );
    assert_eq!(r.verdict.origin(), None);
    assert_eq!(statuses(&r), [HopStatus::Origin, HopStatus::Trusted]);
    assert!(flags(&r).is_empty(), "{:?}", flags(&r));
    let sentence = mail::verdict::sentence(
        &r,
        &HashMap::new(),
        &jiff::tz::TimeZone::fixed(jiff::tz::offset(9)),
    );
    assert!(sentence.starts_with("The client's address is not in these headers: the mail was submitted to Exchange Online over MAPI"), "{sentence}");
    assert!(
        sentence.contains(
            "taro@example.co.jp between 2025-03-04 09:47:03 +09:00 and 2025-03-04 10:17:03 +09:00"
        ),
        "{sentence}"
    );
    assert!(
        sentence.contains("Message-ID <TYWPR01MB8003C71E2B4F@"),
        "{sentence}"
    );
    // Forefront's CIP:255.255.255.255 is decoded as a client submission.
    assert!(
        r.evidence
            .iter()
            .any(|e| e.meaning.contains("client submission"))
    );
}

#[test]
fn exchange_online_https_submission_names_no_client() {
    let r = one("exo-https.eml");
    assert!(
        matches!(
            r.verdict,
            Verdict::NotInHeaders {
                how: Submission::Web,
                ..
            }
        ),
        "{:?}",
        r.verdict
    );
    // The IPv6 on the line is Microsoft's server, shown as the provider's.
    assert_eq!(
        r.hops[0].class.as_ref().unwrap().class,
        mail::IpClass::Provider
    );
}

#[test]
fn exchange_server_to_server_stops_at_the_untrusted_gateway_unless_trusted() {
    let r = one("exchange-internal.eml");
    assert_eq!(r.verdict.kind(), "relay");
    assert_eq!(r.verdict.origin(), Some(ip("192.0.2.10")));
    assert_eq!(
        statuses(&r),
        [
            HopStatus::Unverified,
            HopStatus::Unverified,
            HopStatus::Unverified,
            HopStatus::Origin,
            HopStatus::Trusted,
            HopStatus::Trusted
        ]
    );
    let classes: Vec<_> = r
        .hops
        .iter()
        .map(|h| h.class.as_ref().unwrap().class.name())
        .collect();
    assert_eq!(
        classes,
        [
            "internal", "internal", "internal", "external", "provider", "provider"
        ]
    );
    assert!(flags(&r).is_empty(), "{:?}", flags(&r));

    // With the company's gateway trusted, the walk goes down to the copier.
    let mut trust = Trust::default();
    trust.add("192.0.2.10/32").unwrap();
    let r = analyse_with("x", &fixture("exchange-internal.eml"), &trust).remove(0);
    assert_eq!(r.verdict.kind(), "inside");
    assert_eq!(r.verdict.origin(), Some(ip("10.20.30.40")));
    assert!(statuses(&r).iter().all(|s| *s == HopStatus::Trusted));
}

#[test]
fn gmail_web_names_no_client() {
    let r = one("gmail-web.eml");
    assert!(
        matches!(
            r.verdict,
            Verdict::NotInHeaders {
                how: Submission::Web,
                ..
            }
        ),
        "{:?}",
        r.verdict
    );
    let sentence = mail::verdict::sentence(&r, &HashMap::new(), &jiff::tz::TimeZone::UTC);
    assert!(sentence.contains("submitted to Gmail"), "{sentence}");
    assert!(flags(&r).is_empty(), "{:?}", flags(&r));
    let spf = r
        .evidence
        .iter()
        .find(|e| e.header == "Received-SPF")
        .unwrap();
    assert_eq!(spf.ip, Some(ip("209.85.220.41")));
}

#[test]
fn gmail_authenticated_smtp_names_the_client_v4_and_v6() {
    for (file, client) in [
        ("gmail-esmtpsa-v4.eml", "198.51.100.7"),
        ("gmail-esmtpsa-v6.eml", "2001:db8:280:24f0::5c"),
    ] {
        let r = one(file);
        assert!(
            matches!(
                r.verdict,
                Verdict::Client {
                    how: Submission::AuthenticatedSmtp,
                    ..
                }
            ),
            "{file}: {:?}",
            r.verdict
        );
        assert_eq!(r.verdict.origin(), Some(ip(client)), "{file}");
        assert!(flags(&r).is_empty(), "{file}: {:?}", flags(&r));
        let sentence = mail::verdict::sentence(&r, &HashMap::new(), &jiff::tz::TimeZone::UTC);
        assert!(
            sentence.starts_with(&format!("The sending client was {client} (")),
            "{sentence}"
        );
        assert!(
            sentence.contains(
                "recorded by smtp.gmail.com at 2021-09-24 21:55:15 +00:00 (authenticated SMTP)"
            ),
            "{sentence}"
        );
    }
}

#[test]
fn postfix_relay_with_its_claimed_client() {
    let r = one("postfix.eml");
    assert_eq!(r.verdict.kind(), "relay");
    assert_eq!(r.verdict.origin(), Some(ip("203.0.113.25")));
    assert_eq!(statuses(&r), [HopStatus::Unverified, HopStatus::Origin]);
    let sentence = mail::verdict::sentence(&r, &HashMap::new(), &jiff::tz::TimeZone::UTC);
    assert!(
        sentence.contains("Those lines name 198.51.100.80"),
        "{sentence}"
    );
    assert!(sentence.contains("unverified"), "{sentence}");
    // The sender's own server, once trusted, makes its client the answer.
    let mut trust = Trust::default();
    trust.add("example.org").unwrap();
    let r = analyse_with("x", &fixture("postfix.eml"), &trust).remove(0);
    assert_eq!(r.verdict.kind(), "client");
    assert_eq!(r.verdict.origin(), Some(ip("198.51.100.80")));
}

#[test]
fn exim_port_and_helo_forms() {
    let r = one("exim.eml");
    assert_eq!(r.verdict.origin(), Some(ip("198.51.100.57")));
    let first = &r.hops[0].hop;
    assert_eq!(first.ip, Some(ip("203.0.113.77")));
    assert_eq!(first.helo.as_deref(), Some("laptop"));
    assert_eq!(first.submission(), Submission::AuthenticatedSmtp);
    let mut trust = Trust::default();
    trust.add("198.51.100.57").unwrap();
    let r = analyse_with("x", &fixture("exim.eml"), &trust).remove(0);
    assert_eq!(r.verdict.origin(), Some(ip("203.0.113.77")));
    assert_eq!(r.verdict.kind(), "client");
}

#[test]
fn sendmail_local_submission_and_qmail() {
    let r = one("sendmail.eml");
    assert_eq!(r.verdict.origin(), Some(ip("192.0.2.20")));
    assert!(r.hops[0].hop.local);
    let mut trust = Trust::default();
    trust.add("192.0.2.0/24").unwrap();
    let r = analyse_with("x", &fixture("sendmail.eml"), &trust).remove(0);
    assert!(
        matches!(
            r.verdict,
            Verdict::NotInHeaders {
                how: Submission::Local,
                ..
            }
        ),
        "{:?}",
        r.verdict
    );

    let q = one("qmail.eml");
    assert_eq!(q.verdict.origin(), Some(ip("198.51.100.9")));
    assert_eq!(q.hops[0].hop.helo.as_deref(), Some("mail.example.com"));
    assert_eq!(q.hops[1].hop.ip, None);
}

#[test]
fn a_received_line_below_webmail_is_forged() {
    let r = one("forged-below-webmail.eml");
    assert!(
        matches!(
            r.verdict,
            Verdict::NotInHeaders {
                how: Submission::Web,
                ..
            }
        ),
        "{:?}",
        r.verdict
    );
    assert_eq!(r.hops[0].status, HopStatus::Forged);
    let codes = flags(&r);
    for want in ["below-submission", "negative-delay", "message-id-mismatch"] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    assert_eq!(r.hops[1].delay, Some(-248));
}

#[test]
fn crlf_and_folded_dates() {
    let r = one("crlf-folded.eml");
    assert_eq!(r.hops.len(), 1);
    assert_eq!(
        r.hops[0].hop.time,
        Some("2025-03-05T01:00:02Z".parse().unwrap())
    );
    assert_eq!(r.date, Some("2025-03-05T00:59:58Z".parse().unwrap()));
    assert!(flags(&r).is_empty(), "{:?}", flags(&r));
}

#[test]
fn an_mbox_of_three_and_their_origins() {
    let reports = analyse_with("three.mbox", &fixture("three.mbox"), &Trust::default());
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[2].source, "three.mbox (message 3)");
    let origins = mail::output::origins(&reports);
    assert_eq!(
        origins,
        [(ip("203.0.113.25"), 2), (ip("198.51.100.200"), 1)]
    );
}

#[test]
fn pasted_quoted_crlf_headers_with_body() {
    let text = fixture("gmail-esmtpsa-v4.eml");
    let text = String::from_utf8(text).unwrap();
    let quoted: String = text.lines().map(|l| format!("> {l}\r\n")).collect();
    let r = analyse_with("standard input", quoted.as_bytes(), &Trust::default()).remove(0);
    assert_eq!(r.verdict.origin(), Some(ip("198.51.100.7")));
    assert_eq!(r.subject.as_deref(), Some("invoice"));
}

#[test]
fn hops_flags_for_mismatches_and_dates() {
    let text = "Received: from relay.other.example (relay.other.example [192.0.2.5]) by mx.example.net with ESMTP; Wed, 5 Mar 2025 10:00:00 +0000\n\
Received: from evil.example (mail.good.example [192.0.2.7]) by somewhere.example with ESMTP\n\
Received: from a (a [192.0.2.8]) by b with ESMTP; not a date at all\n\
Date: Tue, 4 Mar 2025 08:00:00 +0000\n\
Subject: x\n";
    let r = analyse_with("t", text.as_bytes(), &Trust::default()).remove(0);
    let codes = flags(&r);
    for want in [
        "by-mismatch",
        "helo-rdns",
        "no-date",
        "bad-date",
        "date-gap",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
}

#[test]
fn no_received_lines_says_where_to_get_headers() {
    let r = analyse_with(
        "d.eml",
        b"From: a@example.com\nSubject: draft\n\nbody",
        &Trust::default(),
    )
    .remove(0);
    assert_eq!(r.verdict, Verdict::NoHops);
    let s = mail::verdict::sentence(&r, &HashMap::new(), &jiff::tz::TimeZone::UTC);
    assert!(s.contains("recipient's copy"), "{s}");
}

#[test]
fn ten_thousand_received_lines_read_linearly() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!(
            "Received: from h{i}.example (h{i}.example [10.0.{}.{}]) by h{}.example with ESMTP; Wed, 5 Mar 2025 10:00:00 +0000\n",
            (i / 256) % 256,
            i % 256,
            i + 1
        ));
    }
    text.push_str("Subject: loop\n");
    let r = analyse_with("long.eml", text.as_bytes(), &Trust::default()).remove(0);
    assert_eq!(r.hops.len(), 10_000);
    assert_eq!(r.verdict.kind(), "inside");
}

#[test]
fn a_private_address_handed_to_a_provider_by_an_outside_server_is_flagged() {
    let text = "Received: from relay (relay [10.0.0.5]) by mx.google.com with ESMTP; Wed, 5 Mar 2025 10:00:02 +0000\n\
Received: from y (y [192.0.2.1]) by mail.outside.example with ESMTP; Wed, 5 Mar 2025 10:00:01 +0000\n\
Subject: x\n";
    let r = analyse_with("t", text.as_bytes(), &Trust::default()).remove(0);
    assert!(
        flags(&r).contains(&"private-from-internet"),
        "{:?}",
        flags(&r)
    );
    // The same private hop inside one organisation is not flagged.
    let r = one("exchange-internal.eml");
    assert!(!flags(&r).contains(&"private-from-internet"));
}

#[test]
fn exchange_organisation_and_cross_tenant_headers_are_evidence() {
    for (name, wanted) in [
        (
            "exo-mapi.eml",
            &[
                "X-MS-Exchange-Organization-AuthAs",
                "X-MS-Exchange-Organization-AuthMechanism",
                "X-MS-Exchange-CrossTenant-FromEntityHeader",
            ][..],
        ),
        (
            "exo-https.eml",
            &[
                "X-MS-Exchange-CrossTenant-Id",
                "X-MS-Exchange-CrossTenant-AuthAs",
            ][..],
        ),
    ] {
        let r = one(name);
        for want in wanted {
            let found = r
                .evidence
                .iter()
                .find(|e| e.header.eq_ignore_ascii_case(want));
            let found = found.unwrap_or_else(|| panic!("{name}: {want} missing: {:?}", r.evidence));
            assert!(!found.meaning.is_empty(), "{name}: {want} says nothing");
        }
    }
}
