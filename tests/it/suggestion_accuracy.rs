//! The suggestions against labelled campaigns (tests/it/support/eval), read through
//! the log readers, the owner databases and the pipeline: fails below the
//! floors the issue sets — at least 97 % of scanner accesses suggested
//! scanner, at most 1 % of human accesses suggested scanner, at most 5 % of
//! all accesses unsure — over the whole set and for each log variant (with
//! and without delivery times, GoPhish, access logs), so that one variant's
//! strength cannot hide another's weakness.

use crate::support::eval as support;

use std::collections::BTreeMap;
use std::sync::Arc;

use support::eval_campaigns::{generate, scenarios};
use support::eval_load::load;
use support::{Confusion, confusion, variant};
use whoclicked::signals::Signatures;

fn floors(name: &str, c: &Confusion, report: &str) {
    assert!(
        c.scanner_recall() >= 0.97,
        "{name}: scanner recall below 97 %\n{report}"
    );
    assert!(
        c.human_as_scanner() <= 0.01,
        "{name}: over 1 % of humans suggested scanner\n{report}"
    );
    assert!(c.unsure() <= 0.05, "{name}: over 5 % unsure\n{report}");
}

#[test]
fn suggestions_meet_the_floors_on_the_evaluation_set() {
    let signatures = Arc::new(Signatures::builtin().unwrap());
    let mut overall = Confusion::default();
    let mut by_variant: BTreeMap<&str, Confusion> = BTreeMap::new();
    let mut report = String::new();
    for scenario in scenarios() {
        let labelled = load(&generate(&scenario), &signatures);
        let c = confusion(&labelled);
        report.push_str(&format!("{}\n{c}", scenario.name));
        by_variant
            .entry(variant(scenario.format))
            .or_default()
            .merge(&c);
        overall.merge(&c);
    }
    for (name, c) in &by_variant {
        report.push_str(&format!("variant: {name}\n{c}"));
    }
    report.push_str(&format!("overall\n{overall}"));
    println!("{report}");
    assert!(
        overall.total() > 10_000,
        "the set is too small: {}",
        overall.total()
    );
    assert_eq!(by_variant.len(), 4, "every log variant is evaluated");
    floors("overall", &overall, &report);
    for (name, c) in &by_variant {
        floors(name, c, &report);
    }
}

#[test]
fn generator_is_deterministic_and_covers_every_trap() {
    use support::eval_campaigns::Actor;
    let a = generate(&scenarios()[0]);
    let b = generate(&scenarios()[0]);
    assert_eq!(a.rows.len(), b.rows.len());
    assert_eq!(a.rows[100].ua, b.rows[100].ua);
    let mut seen = std::collections::BTreeSet::new();
    for s in scenarios() {
        seen.extend(generate(&s).rows.iter().map(|r| r.actor));
    }
    for actor in [
        Actor::Person,
        Actor::PersonNoScript,
        Actor::PersonVirtualDesktop,
        Actor::PersonOfficeProxy,
        Actor::PersonFast,
        Actor::OutlookFetch,
        Actor::DeliveryScanner,
        Actor::ScriptScanner,
        Actor::ClickTimeCheck,
        Actor::LateCrawler,
        Actor::LinkPreview,
        Actor::InternetScanner,
    ] {
        assert!(seen.contains(&actor), "no {actor:?} in the evaluation set");
    }
}
