//! The review screen over sign-in and audit logs: one row per event, with
//! its own columns (account, operation, result, the judgement against the
//! account's history and why), its own filters (`op:`, `account:`,
//! `result:fail`, `judged:`), the record in the detail pane, and a label on
//! an event's network kept like any other.

use std::sync::Arc;

use whoclicked::analysis::Analysis;
use whoclicked::demo::signins;
use whoclicked::enriched::Enriched;
use whoclicked::input::LoadProgress;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::model::{IpId, Leaning, RowKind, Verdict};
use whoclicked::pipeline::signin::judge_investigation;
use whoclicked::review::{GroupBy, GroupKey, ViewKind};
use whoclicked::signals::{Signatures, Suggestions};
use whoclicked::signin::ReadOptions;
use whoclicked::tui::Executor;
use whoclicked::tui::app::App;
use whoclicked::tui::data::Loaded;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::store::MemoryStore;
use whoclicked::tui::testing::{app_with, owners_for};

use crate::support::screen;
use crate::support::screen::render;

fn signins_app(width: u16, height: u16) -> (App, Executor) {
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
    let campaign = whoclicked::signin::rows::event_campaign(&inv, &j.judged);
    let owners = owners_for(&campaign);
    let n = campaign.accesses.len();
    let analysis = Analysis::from_parts(
        Enriched::new(campaign, owners, zone),
        Suggestions::stated(vec![Leaning::Unsure; n]),
        CampaignVerdicts::default(),
    );
    let loaded = Loaded::new(Arc::new(analysis));
    app_with(loaded, Box::new(MemoryStore::new()), width, height)
}

fn filter(app: &mut App, ex: &Executor, text: &str) -> Vec<u32> {
    screen::keys(app, ex, &[KeyPress::Char('/')]);
    screen::typed(app, ex, text);
    screen::keys(app, ex, &[KeyPress::Enter]);
    screen::rows(app)
}

#[test]
fn one_row_per_event_with_the_sign_in_columns() {
    let (app, _ex) = signins_app(200, 12);
    assert_eq!(app.row_kind(), RowKind::SignIn);
    assert_eq!(screen::rows(&app).len(), 160);
    let text = render(&app).backend().to_string();
    for title in ["account", "operation", "result", "judged", "verdict", "why"] {
        assert!(text.contains(title), "{title}: {text}");
    }
    for click in [
        "browser",
        "screen",
        "after",
        "click rate",
        "accesses",
        "recipient",
    ] {
        assert!(!text.contains(click), "{click}: {text}");
    }
    // The views are named for what the rows are.
    assert!(
        text.contains(" events ") && text.contains("by account"),
        "{text}"
    );
    insta::assert_snapshot!("signins_table_200x12", render(&app).backend());
}

#[test]
fn filters_by_operation_account_result_and_judgement() {
    let (mut app, ex) = signins_app(160, 20);
    let rule = filter(&mut app, &ex, "op:new-inboxrule");
    assert_eq!(rule.len(), 1, "{}", screen::message(&app));
    let campaign = app.data.as_ref().unwrap().analysis().campaign.clone();
    let row = &campaign.signins[rule[0] as usize];
    assert_eq!(row.judgement, "suspicious");
    assert!(row.operation.contains("billing-dept@proton.example"));

    let (mut app, ex) = signins_app(160, 20);
    let failures = filter(&mut app, &ex, "result:fail account:hanako");
    assert_eq!(failures.len(), 8, "{}", screen::message(&app));
    let campaign = app.data.as_ref().unwrap().analysis().campaign.clone();
    for &i in &failures {
        assert!(campaign.signins[i as usize].result.starts_with("failure"));
        assert_eq!(
            campaign.recipient_name(&campaign.accesses[i as usize]),
            "hanako@example.co.jp"
        );
    }

    let (mut app, ex) = signins_app(160, 20);
    let suspicious = filter(&mut app, &ex, "judged:suspicious op:send");
    assert_eq!(suspicious.len(), 25, "{}", screen::message(&app));
}

#[test]
fn the_detail_pane_shows_why_and_the_record() {
    let (mut app, ex) = signins_app(160, 40);
    let rule = filter(&mut app, &ex, "op:new-inboxrule");
    screen::select_access(&mut app, &ex, rule[0]);
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    let text = render(&app).backend().to_string();
    assert!(text.contains("judged suspicious"), "{text}");
    assert!(
        text.contains("forwards mail to an outside address"),
        "{text}"
    );
    assert!(text.contains("record"), "{text}");
}

#[test]
fn grouped_by_account_and_labelled_by_network() {
    let (mut app, ex) = signins_app(160, 20);
    screen::view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Recipient));
    assert_eq!(screen::groups(&app).len(), 3);
    let text = render(&app).backend().to_string();
    assert!(text.contains("account"), "{text}");
    // By address: label the attacker's address as not ours, a rule.
    screen::view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Ip));
    let campaign = app.data.as_ref().unwrap().analysis().campaign.clone();
    let attacker = campaign
        .ips
        .iter()
        .position(|ip| *ip == screen::ip("188.166.45.9"))
        .unwrap();
    screen::select_group(&mut app, &ex, GroupKey::Ip(IpId(attacker as u32)));
    screen::keys(&mut app, &ex, &[KeyPress::Char('s')]);
    screen::view_by(&mut app, &ex, ViewKind::Accesses);
    let verdicts = screen::verdicts(&app);
    let from_attacker: Vec<usize> = (0..campaign.accesses.len())
        .filter(|&i| campaign.ips[campaign.accesses[i].ip.0 as usize] == screen::ip("188.166.45.9"))
        .collect();
    assert!(from_attacker.len() > 20);
    for (i, verdict) in verdicts.iter().enumerate() {
        let expected = from_attacker.contains(&i).then_some(Verdict::Scanner);
        assert_eq!(*verdict, expected, "row {i}: {}", screen::message(&app));
    }
}

#[test]
fn at_exactly_120_columns_the_time_is_shortened_not_cut() {
    // Placing the columns and writing their cells disagreed at 120: the
    // column was sized for `03-03 09:02:11` and got `2025-03-03 09…`.
    for width in [119, 120, 121] {
        let (app, _ex) = signins_app(width, 12);
        let text = render(&app).backend().to_string();
        let first = text.lines().nth(4).unwrap();
        assert!(first.contains("03-03 09:02:11"), "{width}: {first}");
        assert!(!first.contains("09…"), "{width}: {first}");
    }
}
