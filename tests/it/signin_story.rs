//! The investigation story of the sign-in demo (`assets/demo/signins`): a
//! week of normal sign-ins from the office egress, home lines and a phone,
//! then a password spray from hosting networks, a success from a hosting
//! network in the Netherlands, an inbox rule forwarding outside, and a
//! burst of sends. Every event of the attack is found suspicious; no
//! normal event is.

use std::collections::HashMap;
use std::net::IpAddr;

use whoclicked::demo::signins;
use whoclicked::input::LoadProgress;
use whoclicked::pipeline::signin::judge_investigation;
use whoclicked::signals::Signatures;
use whoclicked::signin::judge::{Judged, Suggestion};
use whoclicked::signin::{Event, Investigation, OpKind, ReadOptions};

const ATTACK: [&str; 3] = ["159.65.10.20", "45.77.30.40", "188.166.45.9"];

fn story() -> (Investigation, Vec<Judged>) {
    let inv = signins::load(&ReadOptions::default()).unwrap();
    let databases = signins::databases(&[]).unwrap();
    let sigs = Signatures::builtin().unwrap();
    let zone = whoclicked::demo::zone();
    let j = judge_investigation(
        &inv,
        &databases,
        None,
        &sigs,
        &zone,
        &LoadProgress::default(),
    );
    (inv, j.judged)
}

fn is_attack(e: &Event) -> bool {
    e.ip.is_some_and(|ip| ATTACK.iter().any(|a| a.parse::<IpAddr>().unwrap() == ip))
}

#[test]
fn every_attack_event_is_suspicious_and_no_normal_one_is() {
    let (inv, judged) = story();
    assert!(inv.issues.is_empty(), "{:?}", inv.issues);
    assert_eq!(inv.files.len(), 3);
    let mut wrong = Vec::new();
    for (e, j) in inv.events.iter().zip(&judged) {
        let s = j.suggestion();
        let ok = if is_attack(e) {
            s == Suggestion::Suspicious
        } else {
            s != Suggestion::Suspicious
        };
        if !ok {
            wrong.push(format!(
                "{} {} {} {:?}: {:?} {}",
                e.time.as_seconds(),
                e.account,
                e.operation,
                e.ip,
                s,
                j.reasons_text()
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let attack = inv.events.iter().filter(|e| is_attack(e)).count();
    assert!(attack > 50, "{attack}");
}

#[test]
fn the_usual_office_is_expected_and_the_reasons_name_the_pattern() {
    let (inv, judged) = story();
    let reasons = |pred: &dyn Fn(&Event) -> bool| -> Vec<&str> {
        let mut codes: Vec<&str> = inv
            .events
            .iter()
            .zip(&judged)
            .filter(|(e, _)| pred(e))
            .flat_map(|(_, j)| j.reasons.iter().map(|r| r.code))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    };
    let office: IpAddr = "210.130.14.21".parse().unwrap();
    let office_events: Vec<_> = inv
        .events
        .iter()
        .zip(&judged)
        .filter(|(e, _)| e.ip == Some(office))
        .collect();
    assert!(
        office_events
            .iter()
            .all(|(_, j)| j.suggestion() == Suggestion::Expected)
    );
    let rule = reasons(&|e| e.kind == OpKind::InboxRule);
    for code in [
        "forward-outside",
        "rule-hides",
        "rule-name",
        "new-network",
        "new-country",
        "hosting",
    ] {
        assert!(rule.contains(&code), "{code} not in {rule:?}");
    }
    let sends = reasons(&|e| e.kind == OpKind::Send && is_attack(e));
    for code in ["send-burst", "burst-after-sign-in", "via-proxy"] {
        assert!(sends.contains(&code), "{code} not in {sends:?}");
    }
    let success = reasons(&|e| e.is_sign_in_success() && is_attack(e));
    for code in ["failures-then-success", "new-country", "hosting"] {
        assert!(success.contains(&code), "{code} not in {success:?}");
    }
    let spray = reasons(&|e| e.is_sign_in_failure());
    assert!(spray.contains(&"spray"), "{spray:?}");
}

#[test]
fn a_rule_made_in_a_click_campaign_reaches_the_sign_ins() {
    // The analyst marked the phone carrier's AS as people's in a click
    // campaign; the sign-ins from it carry that rule, with who made it.
    let inv = signins::load(&ReadOptions::default()).unwrap();
    let databases = signins::databases(&[]).unwrap();
    let sigs = Signatures::builtin().unwrap();
    let zone = whoclicked::demo::zone();
    let dir = tempfile::tempdir().unwrap();
    let mut kb = whoclicked::kb::KnowledgeBase::open(dir.path()).unwrap();
    let author = whoclicked::kb::Author::new(Some("sato"), Some("2025-02 campaign"));
    kb.record(whoclicked::kb::Entry::verdict(
        &author,
        whoclicked::kb::Key::asn("9605").unwrap(),
        whoclicked::kb::Verdict::Human,
    ))
    .unwrap();
    let j = judge_investigation(
        &inv,
        &databases,
        Some(&kb),
        &sigs,
        &zone,
        &LoadProgress::default(),
    );
    let phone: IpAddr = "1.72.8.14".parse().unwrap();
    let by: HashMap<_, _> = inv
        .events
        .iter()
        .zip(&j.judged)
        .filter(|(e, _)| e.ip == Some(phone))
        .map(|(e, j)| (e.line, j))
        .collect();
    assert!(!by.is_empty());
    for j in by.values() {
        assert_eq!(j.suggestion(), Suggestion::Expected, "{}", j.reasons_text());
        let rule = j.reasons.iter().find(|r| r.code == "marked-ours").unwrap();
        assert!(
            rule.text.contains("asn:9605") && rule.text.contains("sato"),
            "{}",
            rule.text
        );
    }
}

#[test]
fn impossible_travel_between_two_sign_ins_of_one_account() {
    // entra_signins.json: Amsterdam (its coordinates) at 00:58, Japan at 03:00 UTC.
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/signin/entra_signins.json"
    );
    let mut inv = Investigation::new();
    inv.read(
        "entra_signins.json",
        &std::fs::read(path).unwrap()[..],
        &ReadOptions::default(),
    )
    .unwrap();
    inv.finish();
    let sigs = Signatures::builtin().unwrap();
    let zone = jiff::tz::TimeZone::UTC;
    let facts = HashMap::new();
    let judged = whoclicked::signin::judge::judge(
        &inv.events,
        &whoclicked::signin::judge::Context {
            facts: &facts,
            signatures: &sigs,
            zone: &zone,
        },
    );
    let last = judged.last().unwrap();
    let travel = last
        .reasons
        .iter()
        .find(|r| r.code == "impossible-travel")
        .unwrap();
    assert!(travel.text.contains("NL → JP"), "{}", travel.text);
    assert!(
        judged[1]
            .reasons
            .iter()
            .all(|r| r.code != "impossible-travel")
    );
}
