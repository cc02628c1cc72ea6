//! Helpers for the review screen's `update` tests (`tui_update_*.rs`): keys
//! and text typed, the rows, groups and verdicts in view, the message line,
//! and moving the cursor to an access or a group.
// Each test file uses only some of them.
#![allow(dead_code)]

use std::net::IpAddr;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use whoclicked::model::Verdict;
use whoclicked::review::{GroupKey, ViewKind, ViewRows};
use whoclicked::tui::app::App;
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::{Executor, press, ui};

pub fn keys(app: &mut App, ex: &Executor, keys: &[KeyPress]) -> bool {
    keys.iter().any(|&k| press(app, ex, k))
}

pub fn typed(app: &mut App, ex: &Executor, text: &str) {
    for c in text.chars() {
        press(app, ex, KeyPress::Char(c));
    }
}

pub fn rows(app: &App) -> Vec<u32> {
    match &app.view.rows {
        ViewRows::Accesses(r) => r.clone(),
        ViewRows::Groups(g) => panic!("expected accesses, got {} groups", g.len()),
    }
}

pub fn groups(app: &App) -> Vec<GroupKey> {
    match &app.view.rows {
        ViewRows::Groups(g) => g.iter().map(|g| g.key).collect(),
        ViewRows::Accesses(_) => panic!("expected groups"),
    }
}

pub fn verdict(app: &App, i: u32) -> Option<Verdict> {
    app.data.as_ref().unwrap().snapshot.verdicts[i as usize]
}

pub fn verdicts(app: &App) -> Vec<Option<Verdict>> {
    app.data.as_ref().unwrap().snapshot.verdicts.to_vec()
}

pub fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Puts the cursor on the access `i` in the accesses view.
pub fn select_access(app: &mut App, ex: &Executor, i: u32) {
    press(app, ex, KeyPress::Char('g'));
    while app.view.selected_access() != Some(i) {
        let before = app.view.selected;
        press(app, ex, KeyPress::Char('j'));
        assert_ne!(before, app.view.selected, "access {i} not in the view");
    }
}

/// Switches to the group view `by` with Tab.
pub fn view_by(app: &mut App, ex: &Executor, kind: ViewKind) {
    for _ in 0..5 {
        if app.view.kind() == kind {
            return;
        }
        press(app, ex, KeyPress::Tab);
    }
    panic!("never reached {kind:?}");
}

pub fn select_group(app: &mut App, ex: &Executor, key: GroupKey) {
    let pos = groups(app)
        .iter()
        .position(|k| *k == key)
        .expect("group in view");
    press(app, ex, KeyPress::Char('g'));
    for _ in 0..pos {
        press(app, ex, KeyPress::Char('j'));
    }
}

/// The app drawn again at the size of its last frame.
pub fn render(app: &App) -> Terminal<TestBackend> {
    let size = app.frame.area;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(app, frame);
        })
        .unwrap();
    terminal
}
