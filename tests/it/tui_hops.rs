//! The review screen over mails: one row per Received hop, the raw line in
//! the detail pane, and a label on a hop's address kept like any other.

use std::sync::Arc;

use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::mail::{self, Trust};
use whoclicked::model::{Leaning, Verdict};
use whoclicked::review::{Common, Direction, Field, GroupBy, HopField, SortBy, ViewKind};
use whoclicked::signals::Suggestions;
use whoclicked::tui::Executor;
use whoclicked::tui::app::App;
use whoclicked::tui::data::Loaded;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::store::MemoryStore;
use whoclicked::tui::testing::{app_with, owners_for};

use crate::support::screen;
use crate::support::screen::render;

fn hops_app(width: u16, height: u16) -> (App, Executor) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mail/");
    let files: Vec<(&str, Vec<u8>)> = ["exim.eml", "postfix.eml"]
        .into_iter()
        .map(|name| (name, std::fs::read(format!("{dir}{name}")).unwrap()))
        .collect();
    app_of(&files, width, height)
}

/// The screen over the mails `files` (name, bytes), hops as rows.
fn app_of(files: &[(&str, Vec<u8>)], width: u16, height: u16) -> (App, Executor) {
    let mut messages = Vec::new();
    for (name, bytes) in files {
        messages.extend(mail::read(name, bytes).unwrap());
    }
    let reports = mail::analyse_all(
        mail::parse(messages),
        &Default::default(),
        &Trust::default(),
    );
    let campaign = mail::rows::hop_campaign(&reports);
    let owners = owners_for(&campaign);
    let n = campaign.accesses.len();
    let analysis = Analysis::from_parts(
        Enriched::new(campaign, owners, jiff::tz::TimeZone::UTC),
        Suggestions::stated(vec![Leaning::Unsure; n]),
        CampaignVerdicts::default(),
    );
    let loaded = Loaded::new(Arc::new(analysis));
    app_with(loaded, Box::new(MemoryStore::new()), width, height)
}

#[test]
fn hop_view_with_the_received_line_in_the_detail_pane() {
    let (mut app, ex) = hops_app(120, 30);
    assert_eq!(screen::rows(&app).len(), 4);
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    let terminal = render(&app);
    let text = terminal.backend().to_string();
    assert!(text.contains("received"), "{text}");
    assert!(text.contains("place below-trust"), "{text}");
    // Nothing of a click: no suggestion, no delivery time, no browser.
    for click in [
        "suggest", "delivery", "browser", "screen", "after", " click", "rate",
    ] {
        assert!(!text.contains(click), "{click}: {text}");
    }
    insta::assert_snapshot!("hops_detail_120x30", terminal.backend());
}

#[test]
fn a_label_on_a_hop_address_is_a_verdict_like_an_access_label() {
    let (mut app, ex) = hops_app(120, 30);
    let first = screen::rows(&app)[0];
    assert_eq!(screen::verdict(&app, first), None);
    screen::keys(&mut app, &ex, &[KeyPress::Char('s')]);
    assert_eq!(screen::verdict(&app, first), Some(Verdict::Scanner));
}

#[test]
fn hop_view_shows_the_hop_columns_at_each_width() {
    for (width, height) in [(80, 12), (160, 12)] {
        let (app, _ex) = hops_app(width, height);
        let terminal = render(&app);
        let text = terminal.backend().to_string();
        // The hop's columns, never a click's.
        for click in ["browser", "screen", "after", "suggest", "device", "rate"] {
            assert!(!text.contains(click), "{width}: {click}: {text}");
        }
        assert!(text.contains("place"), "{width}: {text}");
        insta::assert_snapshot!(format!("hops_table_{width}x{height}"), terminal.backend());
    }
}

#[test]
fn hops_grouped_by_mail_count_hops_not_clicks() {
    let (mut app, ex) = hops_app(120, 10);
    screen::view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Recipient));
    let terminal = render(&app);
    let text = terminal.backend().to_string();
    assert!(text.contains("by mail"), "{text}");
    assert!(text.contains("hops"), "{text}");
    for click in ["typical UA", "fastest", "scan ", "suggest", "screen"] {
        assert!(!text.contains(click), "{click}: {text}");
    }
    insta::assert_snapshot!("hops_by_mail_120x10", terminal.backend());
}

#[test]
fn hops_filter_and_sort_by_their_own_fields_on_screen() {
    let (mut app, ex) = hops_app(160, 20);
    screen::keys(&mut app, &ex, &[KeyPress::Char('/')]);
    screen::typed(&mut app, &ex, "place:origin");
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    assert_eq!(screen::rows(&app).len(), 2, "{}", screen::message(&app));
    for &i in &screen::rows(&app) {
        let hop = &app.data.as_ref().unwrap().analysis().campaign.hops[i as usize];
        assert_eq!(hop.place, "origin");
    }
    // A click field is not a filter of hops: said, and left out.
    screen::keys(&mut app, &ex, &[KeyPress::Char('/')]);
    for _ in 0.."place:origin".len() {
        screen::keys(&mut app, &ex, &[KeyPress::Backspace]);
    }
    screen::typed(&mut app, &ex, "dt:<30");
    assert!(
        app.prompt
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no field is called")),
        "{:?}",
        app.prompt.error
    );
    screen::keys(&mut app, &ex, &[KeyPress::Esc]);
    // Sort by the hop column (the second): the sender's end first.
    screen::keys(
        &mut app,
        &ex,
        &[KeyPress::Char('g'), KeyPress::Right, KeyPress::Char('[')],
    );
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Access(
            Field::Hop(HopField::Number),
            Direction::Ascending
        ))
    );
    let campaign = &app.data.as_ref().unwrap().analysis().campaign;
    let numbers: Vec<u32> = screen::rows(&app)
        .iter()
        .map(|&i| campaign.hops[i as usize].number)
        .collect();
    assert_eq!(numbers, vec![1, 1, 2, 2]);
}

#[test]
fn a_hop_without_a_date_shows_no_date_never_1970() {
    // No `Date:` and a Received line without a date: nothing to show but that.
    let mail = b"Received: from mx.example.org (mx.example.org [192.0.2.10]) by mx.example.net with ESMTPS; Wed, 5 Mar 2025 10:00:02 +0000\n\
Received: from laptop (unknown [198.51.100.9]) by mx.example.org with ESMTPSA\n\
Subject: undated\n\nbody\n"
        .to_vec();
    let (mut app, ex) = app_of(&[("undated.eml", mail)], 120, 24);
    let ctx = app.data.as_ref().unwrap().ctx();
    let undated: Vec<u32> = (0..ctx.len() as u32)
        .filter(|&i| ctx.time_of(i).is_none())
        .collect();
    assert_eq!(undated.len(), 1, "one hop has no date");
    assert_eq!(
        Field::Common(Common::Time).text(&ctx, undated[0], whoclicked::review::Form::Display),
        "no date"
    );
    screen::select_access(&mut app, &ex, undated[0]);
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    let text = render(&app).backend().to_string();
    assert!(!text.contains("1970"), "{text}");
    assert!(text.contains("no date"), "{text}");
    // Grouped, a group of that hop alone has no first or last time either.
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    screen::view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Ip));
    let text = render(&app).backend().to_string();
    assert!(!text.contains("1970"), "{text}");
}

#[test]
fn the_export_of_hops_has_the_hop_columns() {
    let (app, _ex) = hops_app(120, 30);
    let data = app.data.as_ref().unwrap();
    let mut out = Vec::new();
    whoclicked::tui::export::write_csv(
        &data.snapshot,
        &data.book,
        &whoclicked::tui::export::ExportRows::All,
        &mut out,
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    let header = text.lines().next().unwrap();
    for want in [
        "message",
        "hop",
        "time",
        "from",
        "ip",
        "by",
        "with",
        "class",
        "delay_seconds",
        "place",
        "hop_flags",
        "verdict",
        "received",
    ] {
        assert!(
            header
                .split(',')
                .any(|c| c.trim_start_matches('\u{feff}') == want),
            "{want}: {header}"
        );
    }
    for click in [
        "user_agent",
        "screen",
        "seconds_after_sent",
        "suggestion",
        "browser",
    ] {
        assert!(!header.contains(click), "{click}: {header}");
    }
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text.contains(",origin,"), "{text}");
}

#[test]
fn the_review_queue_is_a_campaigns_not_the_hops() {
    let (mut app, ex) = hops_app(120, 30);
    screen::keys(&mut app, &ex, &[KeyPress::Char('r')]);
    assert!(
        screen::message(&app).contains("no review queue"),
        "{}",
        screen::message(&app)
    );
    assert_eq!(app.view.kind(), ViewKind::Accesses);
    assert_eq!(screen::rows(&app).len(), 4);
}
