//! The hop fields on hand-made hop rows: their texts, how they sort (the
//! negative delay first, a hop without a date last, never as 1970) and
//! how the filter reads their names.

use jiff::tz::TimeZone;

use super::*;
use crate::analysis::Analysis;
use crate::enriched::Enriched;
use crate::kb::CampaignVerdicts;
use crate::model::{Campaign, HopRow, Leaning, LogFormat, NewAccess, RowKind, Timestamp};
use crate::owner::Owner;
use crate::review::{Direction, Filter, ReviewContext, sort_accesses};
use crate::signals::Suggestions;

/// Row 0: hop 2 of mail #1, the origin, 2 s after hop 1, external;
/// row 1: hop 1 of mail #1, below the trust boundary, no date;
/// row 2: hop 1 of mail #2, trusted provider, 5 s *before* the previous
/// hop (a negative delay, flagged).
fn analysis() -> Analysis {
    let t = |s: i64| Timestamp::from_seconds(1_790_000_000 + s).unwrap();
    let mut c = Campaign::new();
    c.kind = RowKind::Hop;
    let f = c.add_file("a.eml", LogFormat::Mail);
    let rows = [
        (
            "198.51.100.7",
            Some(t(10)),
            "#1 hello",
            2,
            "mx.example.net",
            Some(2),
            "origin",
            "external",
            vec![],
        ),
        (
            "203.0.113.9",
            None,
            "#1 hello",
            1,
            "relay.example.org",
            None,
            "below-trust",
            "external",
            vec!["no-date"],
        ),
        (
            "40.107.1.1",
            Some(t(5)),
            "#2 invoice",
            1,
            "MW2PR.outlook.com",
            Some(-5),
            "trusted",
            "provider",
            vec!["negative-delay"],
        ),
    ];
    for (ip, time, mail, number, by, delay, place, class, flags) in rows {
        c.add_access(
            f,
            NewAccess {
                time: time.unwrap_or_default(),
                ip: ip.parse().unwrap(),
                user_agent: &format!("from x by {by}"),
                recipient: Some(mail),
                method: "esmtps",
                ..NewAccess::default()
            },
        );
        c.hops.push(HopRow {
            number,
            time,
            from: "helo.example".to_string(),
            by: by.to_string(),
            with: "esmtps".to_string(),
            class,
            delay,
            place,
            flags,
        });
    }
    let owners = vec![Owner::default(); c.ips.len()];
    let n = c.accesses.len();
    Analysis::from_parts(
        Enriched::new(c, owners, TimeZone::UTC),
        Suggestions::stated(vec![Leaning::Unsure; n]),
        CampaignVerdicts::default(),
    )
}

fn sorted(ctx: &ReviewContext<'_>, field: Field, direction: Direction) -> Vec<u32> {
    let mut rows = vec![0, 1, 2];
    sort_accesses(ctx, &mut rows, field, direction);
    rows
}

fn filtered(ctx: &ReviewContext<'_>, text: &str) -> Vec<u32> {
    Filter::parse_in(RowKind::Hop, text)
        .unwrap()
        .apply(ctx, &[0, 1, 2])
}

#[test]
fn hop_fields_read_the_hop_row() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    let text = |f: HopField, i| Field::Hop(f).text(&ctx, i, Form::Display).into_owned();
    assert_eq!(text(HopField::Message, 0), "#1 hello");
    assert_eq!(text(HopField::Number, 0), "2");
    assert_eq!(text(HopField::Delay, 0), "2s");
    assert_eq!(text(HopField::Delay, 2), "-5s !");
    assert_eq!(
        Field::Hop(HopField::Delay).text(&ctx, 2, Form::Record),
        "-5"
    );
    assert_eq!(text(HopField::Delay, 1), "");
    assert_eq!(text(HopField::Place, 1), "below-trust");
    assert_eq!(text(HopField::Flags, 2), "negative-delay");
    assert_eq!(text(HopField::Received, 2), "from x by MW2PR.outlook.com");
}

#[test]
fn a_hop_without_a_date_shows_no_date_never_1970() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    let time = Field::Common(Common::Time);
    assert_eq!(time.text(&ctx, 1, Form::Display), NO_DATE);
    assert_eq!(time.text(&ctx, 1, Form::Record), "");
    assert!(!time.text(&ctx, 1, Form::Display).contains("1970"));
    assert!(time.text(&ctx, 0, Form::Display).starts_with("2026-"));
    // Sorting by time puts it after every dated hop (and descending, which
    // reverses the whole order as for every field, before them).
    assert_eq!(sorted(&ctx, time, Direction::Ascending), vec![2, 0, 1]);
    assert_eq!(sorted(&ctx, time, Direction::Descending), vec![1, 0, 2]);
}

#[test]
fn hops_sort_by_number_delay_and_mail() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    let up = Direction::Ascending;
    // Equal numbers keep time order; the dateless hop after the dated one.
    assert_eq!(
        sorted(&ctx, Field::Hop(HopField::Number), up),
        vec![2, 1, 0]
    );
    // The negative (flagged) delay first, the hop without one last.
    assert_eq!(sorted(&ctx, Field::Hop(HopField::Delay), up), vec![2, 0, 1]);
    let down = Direction::Descending;
    assert_eq!(
        sorted(&ctx, Field::Hop(HopField::Delay), down),
        vec![1, 0, 2]
    );
    assert_eq!(
        sorted(&ctx, Field::Hop(HopField::Message), up),
        vec![0, 1, 2]
    );
    assert_eq!(sorted(&ctx, Field::Hop(HopField::Place), up), vec![1, 0, 2]);
    assert_eq!(sorted(&ctx, Field::Hop(HopField::Class), up), vec![0, 1, 2]);
}

#[test]
fn hops_filter_by_their_own_fields() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    assert_eq!(filtered(&ctx, "delay:<0"), vec![2]);
    assert_eq!(filtered(&ctx, "delay:negative"), vec![2]);
    assert_eq!(filtered(&ctx, "delay:none"), vec![1]);
    assert_eq!(filtered(&ctx, "delay:>=2"), vec![0]);
    assert_eq!(filtered(&ctx, "hop:1"), vec![1, 2]);
    assert_eq!(filtered(&ctx, "hop:>1"), vec![0]);
    assert_eq!(filtered(&ctx, "place:origin"), vec![0]);
    assert_eq!(filtered(&ctx, "-place:trusted"), vec![0, 1]);
    assert_eq!(filtered(&ctx, "class:provider"), vec![2]);
    assert_eq!(filtered(&ctx, "by:outlook"), vec![2]);
    assert_eq!(filtered(&ctx, "with:esmtps"), vec![0, 1, 2]);
    assert_eq!(filtered(&ctx, "flag:no-date"), vec![1]);
    assert_eq!(filtered(&ctx, "mail:invoice"), vec![2]);
    assert_eq!(filtered(&ctx, "received:relay"), vec![1]);
    assert_eq!(filtered(&ctx, "time:none"), Vec::<u32>::new());
    // A free word finds the hop's own facts.
    assert_eq!(filtered(&ctx, "below-trust"), vec![1]);
    // Click-only fields are not offered for hops: named, and left out.
    let err = Filter::parse_in(RowKind::Hop, "dt:<30").unwrap_err();
    assert!(err.reason.contains("no field is called"), "{err}");
    assert!(err.reason.contains("place"), "{err}");
    assert!(!err.reason.contains("screen"), "{err}");
    assert!(Filter::parse_in(RowKind::Hop, "suggest:human").is_err());
    assert!(Filter::parse_in(RowKind::Hop, "hop:x").is_err());
}
