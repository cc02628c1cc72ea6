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
            prior: None,
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

#[test]
fn the_next_investigation_knows_the_accounts_usual_places_from_the_last() {
    // The demo's week is investigated with a knowledge base; two days' log
    // of the same account then comes in. Alone, two days are too short a
    // history (the attack on the first day is not new, the office on the
    // second is); with what the week taught, the office is the
    // account's usual network and the attacker's networks are new from the
    // log's first event. The attacker's networks were never kept as usual.
    let inv = signins::load(&ReadOptions::default()).unwrap();
    let databases = signins::databases(&[]).unwrap();
    let sigs = Signatures::builtin().unwrap();
    let zone = whoclicked::demo::zone();
    let judge = |inv: &Investigation, kb: Option<&whoclicked::kb::KnowledgeBase>| {
        judge_investigation(inv, &databases, kb, &sigs, &zone, &LoadProgress::default())
    };
    let dir = tempfile::tempdir().unwrap();
    let mut kb = whoclicked::kb::KnowledgeBase::open(dir.path()).unwrap();
    let week = judge(&inv, Some(&kb));
    assert!(week.warnings.is_empty(), "{:?}", week.warnings);
    kb.remember_accounts(&week.learned).unwrap();
    let place = |ip: &str| {
        let ip: IpAddr = ip.parse().unwrap();
        format!("AS{}", week.facts[&ip].owner.asn.unwrap())
    };
    let account = &inv.events[0].account;
    let kept = kb.account_history().unwrap();
    let kept = kept.get(account).expect("the account's usual places kept");
    assert!(
        kept.places.contains_key(&place("210.130.14.21")),
        "{kept:?}"
    );
    for ip in ATTACK {
        assert!(!kept.places.contains_key(&place(ip)), "{ip} kept: {kept:?}");
    }

    // The same week again, now with its own history: still every attack
    // event suspicious and no normal one.
    let again = judge(&inv, Some(&kb));
    for (e, j) in inv.events.iter().zip(&again.judged) {
        let suspicious = j.suggestion() == Suggestion::Suspicious;
        assert_eq!(suspicious, is_attack(e), "{e:?}: {}", j.reasons_text());
    }

    // The day of the attack (a Sunday) and the Monday after, on their own.
    let first_attack = inv.events.iter().find(|e| is_attack(e)).unwrap().time;
    let day = |t: whoclicked::model::Timestamp| t.as_seconds().div_euclid(86_400);
    let mut one_day = signins::load(&ReadOptions::default()).unwrap();
    one_day
        .events
        .retain(|e| e.account == *account && (0..=1).contains(&(day(e.time) - day(first_attack))));
    assert!(one_day.events.iter().any(is_attack));
    let office: IpAddr = "210.130.14.21".parse().unwrap();
    assert!(one_day.events.iter().any(|e| e.ip == Some(office)));
    let codes = |j: &whoclicked::pipeline::signin::Judgement, pred: &dyn Fn(&Event) -> bool| {
        let mut c: Vec<&'static str> = one_day
            .events
            .iter()
            .zip(&j.judged)
            .filter(|(e, _)| pred(e))
            .flat_map(|(_, j)| j.reasons.iter().map(|r| r.code))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let alone = judge(&one_day, None);
    // Alone, the attack on the log's first day is not new, and the office
    // on the Monday is.
    assert!(!codes(&alone, &|e| is_attack(e)).contains(&"new-network"));
    let office_alone = codes(&alone, &|e| e.ip == Some(office));
    assert!(!office_alone.contains(&"usual-network"), "{office_alone:?}");
    assert!(office_alone.contains(&"new-network"), "{office_alone:?}");

    let known = judge(&one_day, Some(&kb));
    let attack_reasons: Vec<&str> = one_day
        .events
        .iter()
        .zip(&known.judged)
        .filter(|(e, _)| is_attack(e) && e.is_sign_in_success())
        .flat_map(|(_, j)| j.reasons.iter())
        .filter(|r| r.code == "new-network")
        .map(|r| &*r.text)
        .collect();
    assert!(!attack_reasons.is_empty());
    assert!(
        attack_reasons[0].contains("nor in earlier investigations"),
        "{}",
        attack_reasons[0]
    );
    for (e, j) in one_day.events.iter().zip(&known.judged) {
        if e.ip == Some(office) {
            let usual = j.reasons.iter().find(|r| r.code == "usual-network");
            let usual = usual.unwrap_or_else(|| panic!("{}", j.reasons_text()));
            assert!(
                usual.text.contains("in earlier investigations"),
                "{}",
                usual.text
            );
            assert_eq!(j.suggestion(), Suggestion::Expected, "{}", j.reasons_text());
        }
    }
}
