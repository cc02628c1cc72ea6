//! Learning from the analyst within a campaign: labels teach the
//! suggestions of the unlabelled accesses that share their evidence, with
//! the reason named, in the report's reasons as on the screen.

use std::sync::Arc;

use jiff::tz::TimeZone;
use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::model::{Campaign, Event, LogFormat, NewAccess, Screen, Timestamp, Verdict};
use whoclicked::owner::Owner;
use whoclicked::review::{ReviewContext, Shared, learn};
use whoclicked::signals::{Signatures, Suggestion, Weight};

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_seconds(1_790_000_000 + seconds).unwrap()
}

/// Accesses 0–2 from one /24 (no database knew it), 3 from elsewhere.
fn analysis() -> Analysis {
    analysis_with(CHROME)
}

/// As [`analysis`], access 2 with the User-Agent `third`.
fn analysis_with(third: &str) -> Analysis {
    let mut c = Campaign::new();
    let f = c.add_file("clicks.csv", LogFormat::Native);
    let rows = [
        (600, "203.0.113.10", "r0@example.jp"),
        (700, "203.0.113.11", "r1@example.jp"),
        (800, "203.0.113.12", "r2@example.jp"),
        (900, "198.51.100.5", "r3@example.jp"),
    ];
    for (_, _, who) in rows {
        c.add_delivery(who, at(0));
    }
    for (n, (t, ip, who)) in rows.into_iter().enumerate() {
        c.add_access(
            f,
            NewAccess {
                time: at(t),
                ip: ip.parse().unwrap(),
                user_agent: if n == 2 { third } else { CHROME },
                recipient: Some(who),
                event: Event::Click,
                screen: Some(Screen {
                    width: 1920,
                    height: 1080,
                }),
                method: "GET",
            },
        );
    }
    let owners = vec![Owner::default(); c.ips.len()];
    Analysis::judge(
        Enriched::new(c, owners, TimeZone::UTC),
        Arc::new(Signatures::builtin().unwrap()),
        None,
    )
}

#[test]
fn labels_teach_the_accesses_that_share_their_network() {
    let a = analysis();
    let sigs = Signatures::builtin().unwrap();
    let weight = sigs.weight(Weight::LikeLabelled);
    assert!(weight > 0.0);
    let verdicts = vec![Some(Verdict::Scanner), Some(Verdict::Scanner), None, None];
    let learned = learn(&a, &verdicts);
    let like = learned.likes[2].expect("access 2 shares the /24");
    assert_eq!(
        (like.verdict, like.count, like.shared),
        (Verdict::Scanner, 2, Shared::Network)
    );
    assert_eq!(like.weight, weight);
    let base = a.suggestion(2).unwrap().score;
    assert_eq!(
        learned.labels[2],
        Suggestion::from_score(base + weight, &sigs).label
    );
    assert_eq!(learned.likes[3], None, "another network learns nothing");
    assert_eq!(
        learned.likes[0], None,
        "a labelled access keeps its verdict"
    );
    assert_eq!(learned.labels[3], a.suggestions().labels()[3]);

    // The reason is named first, in the report's words.
    let ctx = ReviewContext {
        suggestions: &learned.labels,
        learned: &learned.likes,
        ..ReviewContext::judged(&a, &verdicts)
    };
    let reasons = ctx.reasons_line(2);
    assert!(
        reasons.starts_with(&format!(
            "like 2 accesses you labelled scanner (same /24 network) ({weight:+.1})"
        )),
        "{reasons}"
    );
}

#[test]
fn labels_that_disagree_teach_nothing() {
    let a = analysis();
    let learned = learn(
        &a,
        &[Some(Verdict::Scanner), Some(Verdict::Human), None, None],
    );
    assert_eq!(learned.likes[2], None);
    assert_eq!(learned.labels, a.suggestions().labels());
    let human = learn(&a, &[Some(Verdict::Human), None, None, None]);
    let like = human.likes[2].unwrap();
    assert_eq!((like.verdict, like.count), (Verdict::Human, 1));
    assert_eq!(
        like.text(),
        "like 1 access you labelled human (same /24 network)"
    );
}

#[test]
fn a_suggestion_made_from_the_access_s_own_evidence_is_not_overturned() {
    // A library User-Agent decides scanner; people labelled in its /24
    // (a proxy's pool) must not make it human.
    let a = analysis_with("python-requests/2.31.0");
    let own = a.suggestion(2).unwrap().label;
    assert_ne!(own, whoclicked::model::Leaning::Unsure);
    let verdicts = vec![Some(Verdict::Human), Some(Verdict::Human), None, None];
    let learned = learn(&a, &verdicts);
    assert_eq!(learned.likes[2], None);
    assert_eq!(learned.labels[2], own);
}
