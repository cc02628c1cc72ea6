//! The catalogue on one access: where the record and the display form
//! differ, and the filter's names.

use std::sync::Arc;

use jiff::tz::TimeZone;

use super::*;
use crate::analysis::Analysis;
use crate::enriched::Enriched;
use crate::kb::CampaignVerdicts;
use crate::model::{Campaign, Event, Leaning, LogFormat, NewAccess, Screen, Timestamp, Verdict};
use crate::owner::Owner;
use crate::review::ReviewContext;
use crate::signals::Suggestions;

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/// 0: alice clicks from a Microsoft address 3.5 s after delivery; 1: bob,
/// never delivered to, opens from an internal address with no User-Agent.
fn analysis() -> Analysis {
    let t = |s: i64| Timestamp::from_seconds(1_790_000_000 + s).unwrap();
    let mut c = Campaign::new();
    let f = c.add_file("clicks.csv", LogFormat::Native);
    c.add_delivery("alice@example.jp", t(0));
    c.add_access(
        f,
        NewAccess {
            time: Timestamp::from_nanos(t(3).as_nanos() + 500_000_000),
            ip: "40.94.0.1".parse().unwrap(),
            user_agent: CHROME,
            recipient: Some("alice@example.jp"),
            event: Event::Click,
            screen: Some(Screen {
                width: 390,
                height: 844,
            }),
            method: "GET",
        },
    );
    c.add_access(
        f,
        NewAccess {
            time: t(60),
            ip: "10.0.0.5".parse().unwrap(),
            user_agent: "",
            recipient: Some("bob@example.jp"),
            event: Event::Open,
            screen: None,
            method: "HEAD",
        },
    );
    let internal = Owner {
        internal: Some("private"),
        ..Owner::default()
    };
    let microsoft = Owner {
        network: Some("40.88.0.0/13".parse().unwrap()),
        asn: Some(8075),
        as_org: Some(Arc::from("Microsoft Corporation")),
        country_code: Some(Arc::from("US")),
        ..Owner::default()
    };
    Analysis::from_parts(
        Enriched::new(c, vec![microsoft, internal], TimeZone::UTC),
        Suggestions::stated(vec![Leaning::Scanner]),
        CampaignVerdicts::default(),
    )
}

#[test]
fn the_forms_differ_only_where_a_person_reads_otherwise() {
    let a = analysis();
    let verdicts = [Some(Verdict::Scanner)];
    let ctx = ReviewContext::judged(&a, &verdicts);
    let both = |f: Field| {
        (
            f.text(&ctx, 0, Form::Record).into_owned(),
            f.text(&ctx, 0, Form::Display).into_owned(),
        )
    };
    let differ = [
        (
            Field::Common(Common::Time),
            "2026-09-21T14:13:23.5Z",
            "2026-09-21 14:13:23",
        ),
        (Field::Common(Common::Asn), "8075", "AS8075"),
        (Field::Access(AccessField::AfterSent), "3.5", "3.5s"),
        (Field::Access(AccessField::Browser), "Chrome", "Chrome 124"),
    ];
    for (field, record, display) in differ {
        assert_eq!(both(field), (record.to_string(), display.to_string()));
    }
    for field in Field::all().filter(|f| differ.iter().all(|(d, ..)| d != f)) {
        let (record, display) = both(field);
        assert_eq!(record, display, "{field:?}");
    }
    let text = |f: Field| both(f).0;
    assert_eq!(
        text(Field::Common(Common::Owner)),
        "AS8075 Microsoft Corporation"
    );
    assert_eq!(
        text(Field::Common(Common::OwnerLabel)),
        "Microsoft Corporation"
    );
    assert_eq!(text(Field::Common(Common::Verdict)), "scanner");
    assert_eq!(text(Field::Common(Common::Suggestion)), "scanner");
    assert_eq!(text(Field::Access(AccessField::Screen)), "390x844");
}

#[test]
fn a_row_without_a_suggestion_or_verdict_says_nothing() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    for field in [Common::Suggestion, Common::Verdict, Common::VerdictSource] {
        assert_eq!(Field::Common(field).text(&ctx, 0, Form::Record), "");
    }
}

#[test]
fn the_filter_offers_the_names_it_always_did() {
    let mut names: Vec<&str> = Field::of_kind(crate::model::RowKind::Access)
        .flat_map(|f| f.filter_names().iter().copied())
        .collect();
    names.sort_unstable();
    let mut expected = vec![
        "time",
        "date",
        "recipient",
        "rcpt",
        "to",
        "user",
        "email",
        "ip",
        "addr",
        "org",
        "owner",
        "isp",
        "note",
        "country",
        "cc",
        "browser",
        "br",
        "os",
        "cat",
        "category",
        "device",
        "screen",
        "dt",
        "after",
        "delay",
        "suggest",
        "suggestion",
        "sugg",
        "verdict",
        "label",
        "event",
        "method",
        "net",
        "network",
        "asn",
        "as",
        "city",
        "ua",
        "agent",
        // The chain behind the office egress (proxy and DHCP logs).
        "internal",
        "lan",
        "pc",
        "hostname",
        "mac",
        "puser",
        "proxyuser",
        "elsewhere",
        "forwarded",
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);
}

#[test]
fn every_field_sorts_a_missing_value_last() {
    let a = analysis();
    let verdicts = [Some(Verdict::Scanner), None];
    let ctx = ReviewContext::judged(&a, &verdicts);
    let mut checked = 0;
    for field in Field::all() {
        let text = |i| field.text(&ctx, i, Form::Display);
        for (with, without) in [(0, 1), (1, 0)] {
            if !text(with).is_empty() && text(without).is_empty() {
                let keys = field.sort_keys(&ctx, &[without, with]);
                assert!(keys[1] < keys[0], "{field:?}: {keys:?}");
                checked += 1;
            }
        }
    }
    // Network, AS, country, screen, delay, the User-Agent's facts, the judgement…
    assert!(checked >= 10, "{checked}");
}
