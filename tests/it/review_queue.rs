//! The honest headline and the review queue on a small campaign: the rate
//! with its range while recipients are unsure and what it rests on, and
//! the unsure recipients ordered by how much deciding them moves the rate.

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::model::{Campaign, Event, Leaning, LogFormat, NewAccess, Timestamp, Verdict};
use whoclicked::owner::Owner;
use whoclicked::review::{
    Basis, Counts, Direction, GroupBy, GroupField, GroupKey, Headline, ReviewContext, SortBy,
    StatusFilter, ViewKind, ViewRows, ViewSpec, build_view, review_queue,
};
use whoclicked::signals::Suggestions;

const T: i64 = 1_790_000_000;

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_seconds(T + seconds).unwrap()
}

/// Ten delivered recipients. r0–r3 clicked unsure from one shared proxy,
/// r4 unsure from its own line, r5 human (and once unsure), r6 scanner
/// only, r7 only opened (unsure): accesses 0–3 proxy, 4 r4, 5–6 r5, 7 r6,
/// 8 r7.
pub fn campaign() -> Analysis {
    let mut c = Campaign::new();
    let f = c.add_file("clicks.csv", LogFormat::Native);
    for n in 0..10 {
        c.add_delivery(&format!("r{n}@example.jp"), at(0));
    }
    let mut add = |t: i64, ip: &str, who: usize, event: Event| {
        c.add_access(
            f,
            NewAccess {
                time: at(t),
                ip: ip.parse().unwrap(),
                user_agent: "Mozilla/5.0",
                recipient: Some(&format!("r{who}@example.jp")),
                event,
                screen: None,
                method: "GET",
            },
        );
    };
    for who in [2, 0, 3, 1] {
        add(600 + who as i64, "198.51.100.7", who, Event::Click);
    }
    add(700, "203.0.113.4", 4, Event::Click);
    add(800, "203.0.113.5", 5, Event::Click);
    add(900, "203.0.113.5", 5, Event::Click);
    add(5, "40.94.0.1", 6, Event::Click);
    add(1_000, "203.0.113.8", 7, Event::Open);
    let owners = vec![Owner::default(); c.ips.len()];
    use Leaning::*;
    Analysis::from_parts(
        Enriched::new(c, owners, TimeZone::UTC),
        Suggestions::stated(vec![
            Unsure, Unsure, Unsure, Unsure, Unsure, Human, Unsure, Scanner, Unsure,
        ]),
        CampaignVerdicts::default(),
    )
}

fn name(a: &Analysis, r: whoclicked::model::RecipientId) -> String {
    a.campaign
        .strings
        .get(a.campaign.recipient(r).name)
        .to_string()
}

fn headline(a: &Analysis, verdicts: &[Option<Verdict>]) -> Headline {
    let counts = Counts::new(&ReviewContext::judged(a, verdicts));
    Headline::new(&counts, counts.rate_base())
}

#[test]
fn the_rate_says_its_range_and_what_it_rests_on() {
    let a = campaign();
    let mut verdicts = vec![None; a.campaign.accesses.len()];
    assert_eq!(
        headline(&a, &verdicts).to_string(),
        "human click rate 10.0% (10.0 – 60.0% while 5 recipients are unsure; \
         suggested, 0 of 7 reviewed)"
    );

    // The analyst confirms r6's scanner and r5's clicks, and decides r4
    // human: 3 of 7 reviewed, the rate up and the range narrower.
    verdicts[7] = Some(Verdict::Scanner);
    verdicts[5] = Some(Verdict::Human);
    verdicts[6] = Some(Verdict::Human);
    verdicts[4] = Some(Verdict::Human);
    assert_eq!(
        headline(&a, &verdicts).to_string(),
        "human click rate 20.0% (20.0 – 60.0% while 4 recipients are unsure; \
         suggested, 3 of 7 reviewed)"
    );

    // Every click decided: the rate rests on the analyst alone.
    for v in &mut verdicts[0..4] {
        *v = Some(Verdict::Scanner);
    }
    let h = headline(&a, &verdicts);
    assert_eq!(h.basis, Basis::Reviewed);
    assert_eq!(h.to_string(), "human click rate 20.0% (reviewed)");
}

#[test]
fn the_queue_puts_the_shared_address_first() {
    let a = campaign();
    let verdicts = vec![None; a.campaign.accesses.len()];
    let ctx = ReviewContext::judged(&a, &verdicts);
    let queue = review_queue(&ctx);
    let order: Vec<(String, usize)> = queue
        .iter()
        .map(|e| (name(&a, e.recipient), e.impact))
        .collect();
    // r5 has a human click and r7 only opened: neither is in the queue.
    assert_eq!(
        order,
        [
            ("r0@example.jp".to_string(), 4),
            ("r1@example.jp".to_string(), 4),
            ("r2@example.jp".to_string(), 4),
            ("r3@example.jp".to_string(), 4),
            ("r4@example.jp".to_string(), 1),
        ]
    );
    assert_eq!(queue[0].accesses, vec![1]);

    // Once the proxy is decided, r4 is all that is left.
    let mut verdicts = verdicts;
    for v in &mut verdicts[0..4] {
        *v = Some(Verdict::Human);
    }
    let ctx = ReviewContext::judged(&a, &verdicts);
    let queue = review_queue(&ctx);
    assert_eq!(queue.len(), 1);
    assert_eq!(name(&a, queue[0].recipient), "r4@example.jp");
}

#[test]
fn the_queue_view_is_the_recipients_by_impact() {
    let a = campaign();
    let verdicts = vec![None; a.campaign.accesses.len()];
    let ctx = ReviewContext::judged(&a, &verdicts);
    let spec = ViewSpec {
        kind: ViewKind::Grouped(GroupBy::Recipient),
        status: StatusFilter::Queue,
        sort: Some(SortBy::Group(GroupField::Impact, Direction::Descending)),
        ..ViewSpec::default()
    };
    let ViewRows::Groups(groups) = build_view(&ctx, &spec) else {
        panic!("a group view");
    };
    let rows: Vec<(String, u32)> = groups
        .iter()
        .map(|g| match g.key {
            GroupKey::Recipient(Some(r)) => (name(&a, r), g.stats.impact),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows[..4].iter().all(|(_, impact)| *impact == 4), "{rows:?}");
    assert_eq!(rows[4], ("r4@example.jp".to_string(), 1));

    // By IP, the proxy's impact is the recipients its rule would settle.
    let spec = ViewSpec {
        kind: ViewKind::Grouped(GroupBy::Ip),
        ..ViewSpec::default()
    };
    let ViewRows::Groups(groups) = build_view(&ctx, &spec) else {
        panic!("a group view");
    };
    let impacts: Vec<u32> = groups.iter().map(|g| g.stats.impact).collect();
    // Proxy, r4's line, r5's line (human), Microsoft (scanner), r7's (open).
    assert_eq!(impacts, [4, 1, 0, 0, 0]);
}
