//! The review screen over mails: one row per Received hop, the raw line in
//! the detail pane, and a label on a hop's address kept like any other.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use whoclicked::analysis::Analysis;
use whoclicked::enriched::Enriched;
use whoclicked::kb::CampaignVerdicts;
use whoclicked::mail::{self, Trust};
use whoclicked::model::{Leaning, Verdict};
use whoclicked::signals::Suggestions;
use whoclicked::tui::app::App;
use whoclicked::tui::data::Loaded;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::store::MemoryStore;
use whoclicked::tui::testing::{app_with, owners_for};
use whoclicked::tui::{Executor, ui};

use crate::support::screen;

fn hops_app(width: u16, height: u16) -> (App, Executor) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mail/");
    let mut messages = Vec::new();
    for name in ["exim.eml", "postfix.eml"] {
        let bytes = std::fs::read(format!("{dir}{name}")).unwrap();
        messages.extend(mail::read(name, &bytes).unwrap());
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

fn render(app: &App) -> Terminal<TestBackend> {
    let size = app.frame.area;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(app, frame);
        })
        .unwrap();
    terminal
}

#[test]
fn hop_view_with_the_received_line_in_the_detail_pane() {
    let (mut app, ex) = hops_app(120, 30);
    assert_eq!(screen::rows(&app).len(), 4);
    screen::keys(&mut app, &ex, &[KeyPress::Enter]);
    let terminal = render(&app);
    let text = terminal.backend().to_string();
    assert!(text.contains("received"), "{text}");
    assert!(text.contains("place="), "{text}");
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
