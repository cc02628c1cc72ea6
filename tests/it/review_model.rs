//! The review model on a small campaign: filter terms, sorting with its
//! tie-break and missing values, group views and their numbers.

use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::model::{
    Campaign, Event, Leaning, LogFormat, NewAccess, Screen, Timestamp, Verdict,
};
use whoclicked::owner::Owner;
use whoclicked::review::{
    AccessField, Common, Direction, Field, Filter, GroupBy, GroupField, GroupKey, ReviewContext,
    SortBy, StatusFilter, ViewKind, ViewRows, ViewSpec, build_view,
};
use whoclicked::signals::Suggestions;

const T: i64 = 1_790_000_000;
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1";

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_seconds(T + seconds).unwrap()
}

/// 0 alice Safe Links, 1 bob Safe Links, 2 alice office, 3 bob office, 4 carol phone, 5 dave internal.
fn analysis() -> Analysis {
    let mut c = Campaign::new();
    let f = c.add_file("clicks.csv", LogFormat::Native);
    for name in ["alice@example.jp", "bob@example.jp", "carol@example.jp"] {
        c.add_delivery(name, at(0));
    }
    let add = |c: &mut Campaign,
               t: i64,
               ip: &str,
               ua: &str,
               who: Option<&str>,
               screen: Option<(u16, u16)>,
               method: &str| {
        c.add_access(
            f,
            NewAccess {
                time: at(t),
                ip: ip.parse().unwrap(),
                user_agent: ua,
                recipient: who,
                event: Event::Click,
                screen: screen.map(|(width, height)| Screen { width, height }),
                method,
            },
        );
    };
    add(
        &mut c,
        3,
        "40.94.0.1",
        "Go-http-client/1.1",
        Some("alice@example.jp"),
        None,
        "HEAD",
    );
    add(
        &mut c,
        5,
        "40.94.0.2",
        "Go-http-client/1.1",
        Some("bob@example.jp"),
        None,
        "GET",
    );
    add(
        &mut c,
        3_600,
        "203.0.113.10",
        CHROME,
        Some("alice@example.jp"),
        Some((1920, 1080)),
        "GET",
    );
    add(
        &mut c,
        7_200,
        "203.0.113.10",
        CHROME,
        Some("bob@example.jp"),
        Some((1536, 864)),
        "GET",
    );
    add(
        &mut c,
        9_000,
        "133.106.34.58",
        IPHONE,
        Some("carol@example.jp"),
        Some((390, 844)),
        "GET",
    );
    add(
        &mut c,
        9_500,
        "10.0.0.5",
        "",
        Some("dave@example.jp"),
        None,
        "GET",
    );

    let microsoft = Owner {
        network: Some("40.88.0.0/13".parse().unwrap()),
        asn: Some(8075),
        as_org: Some(Arc::from("Microsoft Corporation")),
        country_code: Some(Arc::from("US")),
        ..Owner::default()
    };
    let office = Owner {
        network: Some("203.0.113.0/24".parse().unwrap()),
        asn: Some(64_500),
        as_org: Some(Arc::from("Example Net")),
        isp: Some(Arc::from("Example Office Line")),
        country_code: Some(Arc::from("JP")),
        ..Owner::default()
    };
    let rakuten = Owner {
        network: Some("133.106.32.0/19".parse().unwrap()),
        asn: Some(138_384),
        as_org: Some(Arc::from("Rakuten Mobile, Inc.")),
        country_code: Some(Arc::from("JP")),
        ..Owner::default()
    };
    let internal = Owner {
        internal: Some("private"),
        ..Owner::default()
    };
    // IpIds follow first appearance: 40.94.0.1, 40.94.0.2, office, rakuten, internal.
    Analysis::from_parts(
        Enriched::new(
            c,
            vec![microsoft.clone(), microsoft, office, rakuten, internal],
            TimeZone::UTC,
        ),
        Suggestions::stated(Vec::new()),
        CampaignVerdicts::default(),
    )
}

fn rows(ctx: &ReviewContext<'_>, filter: &str) -> Vec<u32> {
    let spec = ViewSpec {
        filter: Filter::parse(filter).unwrap(),
        ..ViewSpec::default()
    };
    match build_view(ctx, &spec) {
        ViewRows::Accesses(rows) => rows,
        ViewRows::Groups(_) => unreachable!("accesses view"),
    }
}

#[test]
fn field_terms_narrow() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    assert_eq!(rows(&ctx, "org:microsoft"), vec![0, 1]);
    assert_eq!(rows(&ctx, "ip:40.94.0.0/16"), vec![0, 1]);
    assert_eq!(rows(&ctx, "ip:203.0.113.10"), vec![2, 3]);
    assert_eq!(rows(&ctx, "asn:AS138384"), vec![4]);
    assert_eq!(rows(&ctx, "net:40.0.0.0/8"), vec![0, 1]);
    assert_eq!(rows(&ctx, "country:jp"), vec![2, 3, 4]);
    assert_eq!(rows(&ctx, "cat:smartphone"), vec![4]);
    assert_eq!(rows(&ctx, "dt:<30"), vec![0, 1]);
    assert_eq!(rows(&ctx, "dt:1h..2h"), vec![2, 3]);
    assert_eq!(rows(&ctx, "dt:none"), vec![5]);
    assert_eq!(rows(&ctx, "screen:none"), vec![0, 1, 5]);
    assert_eq!(rows(&ctx, "screen:390x844"), vec![4]);
    assert_eq!(rows(&ctx, "method:head"), vec![0]);
    assert_eq!(rows(&ctx, "recipient:bob"), vec![1, 3]);
    assert_eq!(rows(&ctx, "org:internal"), vec![5]);
}

#[test]
fn words_negation_and_combination() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    assert_eq!(rows(&ctx, "iphone"), vec![4]);
    assert_eq!(rows(&ctx, "as8075"), vec![0, 1]);
    assert_eq!(rows(&ctx, "-org:microsoft"), vec![2, 3, 4, 5]);
    assert_eq!(rows(&ctx, "alice -head"), vec![2]);
    assert_eq!(rows(&ctx, "country:jp screen:any bob"), vec![3]);
    assert_eq!(rows(&ctx, r#"org:"example office""#), vec![2, 3]);
    assert!(rows(&ctx, "nothing-matches-this").is_empty());
}

#[test]
fn verdicts_and_suggestions_filter() {
    let a = analysis();
    let verdicts = vec![
        Some(Verdict::Scanner),
        None,
        Some(Verdict::Human),
        None,
        None,
        None,
    ];
    let suggestions = vec![
        Leaning::Scanner,
        Leaning::Scanner,
        Leaning::Human,
        Leaning::Human,
        Leaning::Human,
        Leaning::Unsure,
    ];
    let ctx = ReviewContext {
        verdicts: &verdicts,
        suggestions: &suggestions,
        ..ReviewContext::new(&a)
    };
    assert_eq!(rows(&ctx, "verdict:none"), vec![1, 3, 4, 5]);
    assert_eq!(rows(&ctx, "verdict:scanner"), vec![0]);
    assert_eq!(rows(&ctx, "suggest:human"), vec![2, 3, 4]);
    let status = |s: StatusFilter| match build_view(
        &ctx,
        &ViewSpec {
            status: s,
            ..ViewSpec::default()
        },
    ) {
        ViewRows::Accesses(r) => r,
        ViewRows::Groups(_) => unreachable!(),
    };
    assert_eq!(status(StatusFilter::Unlabelled), vec![1, 3, 4, 5]);
    assert_eq!(status(StatusFilter::Scanner), vec![0, 1]);
    assert_eq!(status(StatusFilter::Human), vec![2, 3, 4]);
    assert_eq!(status(StatusFilter::Unsure), vec![5]);
}

#[test]
fn sorting_is_stable_with_missing_last() {
    let a = analysis();
    let ctx = ReviewContext::new(&a);
    let sorted = |field, direction| {
        let spec = ViewSpec {
            sort: Some(SortBy::Access(field, direction)),
            ..ViewSpec::default()
        };
        match build_view(&ctx, &spec) {
            ViewRows::Accesses(r) => r,
            ViewRows::Groups(_) => unreachable!(),
        }
    };
    // Owner labels: Example Office Line, internal (private), Microsoft, Rakuten; ties by time.
    assert_eq!(
        sorted(Field::Common(Common::OwnerLabel), Direction::Ascending),
        vec![2, 3, 5, 0, 1, 4]
    );
    assert_eq!(
        sorted(Field::Common(Common::OwnerLabel), Direction::Descending),
        vec![4, 0, 1, 5, 2, 3]
    );
    // No delivery for dave: last.
    assert_eq!(
        sorted(Field::Access(AccessField::AfterSent), Direction::Ascending),
        vec![0, 1, 2, 3, 4, 5]
    );
    assert_eq!(
        sorted(Field::Access(AccessField::Screen), Direction::Ascending),
        vec![4, 3, 2, 0, 1, 5]
    );
    assert_eq!(
        sorted(Field::Common(Common::Ip), Direction::Ascending),
        vec![5, 0, 1, 4, 2, 3]
    );
    assert_eq!(
        sorted(Field::Access(AccessField::Method), Direction::Ascending),
        vec![1, 2, 3, 4, 5, 0]
    );
}

#[test]
fn groups_carry_their_numbers() {
    let a = analysis();
    let verdicts = vec![Some(Verdict::Scanner), None, None, None, None, None];
    let suggestions = vec![
        Leaning::Scanner,
        Leaning::Scanner,
        Leaning::Human,
        Leaning::Unsure,
        Leaning::Human,
        Leaning::Unsure,
    ];
    let ctx = ReviewContext {
        verdicts: &verdicts,
        suggestions: &suggestions,
        ..ReviewContext::new(&a)
    };
    let groups = |kind, sort| match build_view(
        &ctx,
        &ViewSpec {
            kind,
            sort,
            ..ViewSpec::default()
        },
    ) {
        ViewRows::Groups(g) => g,
        ViewRows::Accesses(_) => unreachable!(),
    };
    let by_ip = groups(ViewKind::Grouped(GroupBy::Ip), None);
    assert_eq!(by_ip.len(), 5);
    let office = &by_ip[2];
    assert_eq!(office.label(&ctx), "203.0.113.10");
    assert_eq!(office.owner_label(&ctx), "Example Office Line");
    assert_eq!((office.stats.accesses, office.stats.recipients), (2, 2));
    assert_eq!(office.stats.fastest, Some(3_600.0));
    assert_eq!(
        office.stats.typical_screen,
        Some(Screen {
            width: 1536,
            height: 864
        })
    );
    assert_eq!(
        office.stats.suggestion,
        Leaning::Unsure,
        "one human, one unsure: no agreement"
    );

    let by_as = groups(
        ViewKind::Grouped(GroupBy::Asn),
        Some(SortBy::Group(GroupField::Accesses, Direction::Descending)),
    );
    assert_eq!(by_as[0].key, GroupKey::Asn(Some(8075)));
    assert_eq!(by_as[0].owner_label(&ctx), "Microsoft Corporation");
    assert_eq!((by_as[0].stats.scanner, by_as[0].stats.unlabelled), (1, 1));
    assert_eq!(by_as[0].stats.suggestion, Leaning::Scanner);
    assert_eq!(by_as[0].stats.fastest, Some(3.0));
    assert_eq!(by_as.last().unwrap().label(&ctx), "no AS");

    let by_net = groups(
        ViewKind::Grouped(GroupBy::Network),
        Some(SortBy::Group(GroupField::Key, Direction::Ascending)),
    );
    let labels: Vec<String> = by_net.iter().map(|g| g.label(&ctx)).collect();
    assert_eq!(
        labels,
        vec![
            "~10.0.0.0/24",
            "40.88.0.0/13",
            "133.106.32.0/19",
            "203.0.113.0/24"
        ]
    );

    let by_rcpt = groups(
        ViewKind::Grouped(GroupBy::Recipient),
        Some(SortBy::Group(GroupField::Key, Direction::Descending)),
    );
    assert_eq!(by_rcpt[0].label(&ctx), "dave@example.jp");
    assert_eq!(by_rcpt.len(), 4);

    // A filter narrows the groups too.
    let spec = ViewSpec {
        kind: ViewKind::Grouped(GroupBy::Ip),
        filter: Filter::parse("country:jp").unwrap(),
        ..ViewSpec::default()
    };
    assert_eq!(build_view(&ctx, &spec).len(), 2);
}
