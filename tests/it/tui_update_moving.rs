//! The review screen's `update` for moving around, without a terminal: the
//! cursor and pages, the mouse, sorting, the filter and status keys, the views
//! and the detail, stale view results, overlays, quitting and resizing. Every
//! effect runs inline (see `tui::testing`), so each test reads the state right
//! after the keys. Labelling is in `tui_update_labelling.rs`.

use crate::support::screen;

use whoclicked::model::Verdict;
use whoclicked::review::{
    Common, Direction, Field, GroupBy, GroupField, GroupKey, SortBy, StatusFilter, ViewKind,
};
use whoclicked::tui::action::Action;
use whoclicked::tui::app::{App, Effect};
use whoclicked::tui::keymap::{KeyPress, Mode};
use whoclicked::tui::testing::{synthetic_app, traps_app};
use whoclicked::tui::{act, press};

use screen::{groups, keys, message, rows, select_access, typed, view_by};

#[test]
fn moving_stays_inside_and_pages() {
    let (mut app, ex) = synthetic_app(1_000, 80, 24);
    let page = app.frame.table.body_rows();
    assert_eq!(page, 18);
    keys(&mut app, &ex, &[KeyPress::Char('j'), KeyPress::Down]);
    assert_eq!(app.view.selected, 2);
    keys(&mut app, &ex, &[KeyPress::Char('k')]);
    assert_eq!(app.view.selected, 1);
    keys(&mut app, &ex, &[KeyPress::Char('G')]);
    assert_eq!(app.view.selected, 999);
    assert_eq!(app.view.offset, 1_000 - page);
    keys(&mut app, &ex, &[KeyPress::Char('j')]);
    assert_eq!(app.view.selected, 999, "no move past the end");
    keys(&mut app, &ex, &[KeyPress::Home]);
    assert_eq!((app.view.selected, app.view.offset), (0, 0));
    keys(&mut app, &ex, &[KeyPress::PageDown]);
    assert_eq!(app.view.selected, page);
    keys(&mut app, &ex, &[KeyPress::Ctrl('f')]);
    assert_eq!(app.view.selected, 2 * page);
    keys(&mut app, &ex, &[KeyPress::Ctrl('b'), KeyPress::PageUp]);
    assert_eq!(app.view.selected, 0);
    keys(&mut app, &ex, &[KeyPress::Ctrl('d')]);
    assert_eq!(app.view.selected, page / 2);
    keys(&mut app, &ex, &[KeyPress::Ctrl('u')]);
    assert_eq!(app.view.selected, 0);
    keys(&mut app, &ex, &[KeyPress::End]);
    assert_eq!(app.view.selected, 999);
    keys(&mut app, &ex, &[KeyPress::Up, KeyPress::Char('g')]);
    assert_eq!(app.view.selected, 0);
    act(&mut app, &ex, Action::ScrollDown(3));
    assert_eq!(app.view.selected, 3);
    act(&mut app, &ex, Action::ScrollUp(5));
    assert_eq!(app.view.selected, 0);
}

#[test]
fn a_click_selects_the_row_under_it_and_a_header_click_sorts() {
    let (mut app, ex) = synthetic_app(100, 160, 48);
    let table = app.frame.table.area;
    act(
        &mut app,
        &ex,
        Action::Click {
            x: 10,
            y: table.y + 1 + 4,
        },
    );
    assert_eq!(app.view.selected, 4);
    // Clicking below the last row, or on the header line, selects nothing new.
    act(&mut app, &ex, Action::Click { x: 10, y: 0 });
    assert_eq!(app.view.selected, 4);
    // The owner header: x of the 4th column.
    let owner_x = 2 + 19 + 1 + 20 + 1 + 15 + 1 + 1;
    act(
        &mut app,
        &ex,
        Action::Click {
            x: owner_x,
            y: table.y,
        },
    );
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Access(
            Field::Common(Common::OwnerLabel),
            Direction::Ascending
        )),
        "{}",
        message(&app)
    );
    act(
        &mut app,
        &ex,
        Action::Click {
            x: owner_x,
            y: table.y,
        },
    );
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Access(
            Field::Common(Common::OwnerLabel),
            Direction::Descending
        )),
        "a second click reverses"
    );
}

#[test]
fn sorting_by_the_column_under_the_cursor() {
    let (mut app, ex, _) = traps_app(160, 48);
    // time, recipient, ip, owner: three steps right.
    keys(
        &mut app,
        &ex,
        &[KeyPress::Right, KeyPress::Right, KeyPress::Right],
    );
    keys(&mut app, &ex, &[KeyPress::Char('[')]);
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Access(
            Field::Common(Common::OwnerLabel),
            Direction::Ascending
        ))
    );
    // Microsoft rows first (time order among them), then docomo, then the unknown owner last.
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4, 5, 6, 8, 7]);
    keys(&mut app, &ex, &[KeyPress::Char(']')]);
    assert_eq!(
        rows(&app)[0],
        7,
        "descending puts the unknown owner first: {:?}",
        rows(&app)
    );
    assert!(message(&app).contains("sorted by owner ↓"));
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Left,
            KeyPress::Left,
            KeyPress::Left,
            KeyPress::Left,
        ],
    );
    assert_eq!(app.view.column, 0, "the cursor stops at the first column");
}

#[test]
fn the_filter_follows_the_prompt_and_leaves_out_a_term_that_does_not_parse() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, KeyPress::Char('/'));
    assert_eq!(app.mode, Mode::Filter);
    typed(&mut app, &ex, "org:micro");
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4], "live while typing");
    typed(&mut app, &ex, " dt:<x");
    assert!(app.prompt.error.as_deref().unwrap_or("").contains("dt:<x"));
    // A term that does not parse is left out (and named) while the others
    // apply: not the half-typed word before it ("dt") in its place.
    assert_eq!(app.view.filter_text, "org:micro dt:<x");
    assert!(app.view.filter_problem.is_some());
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4]);
    press(&mut app, &ex, KeyPress::Backspace);
    press(&mut app, &ex, KeyPress::Char('1'));
    press(&mut app, &ex, KeyPress::Char('0'));
    assert_eq!(app.prompt.error, None);
    assert_eq!(rows(&app), vec![0, 1, 2, 3], "dt:<10 drops the Azure user");
    press(&mut app, &ex, KeyPress::Enter);
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.view.filter_text, "org:micro dt:<10");
    // Esc in the table clears it.
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!(rows(&app).len(), 9);
    assert_eq!(app.view.filter_text, "");
    // Esc in the prompt clears it too.
    press(&mut app, &ex, KeyPress::Char('/'));
    typed(&mut app, &ex, "-cc:us");
    assert_eq!(rows(&app).len(), 5);
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!((app.mode, rows(&app).len()), (Mode::Table, 9));
}

#[test]
fn status_keys_filter_by_verdict_and_suggestion() {
    let (mut app, ex, _) = traps_app(160, 48);
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, KeyPress::Char('h'));
    let cases = [
        ('1', StatusFilter::All, vec![0, 1, 2, 3, 4, 5, 6, 7, 8]),
        ('2', StatusFilter::Unlabelled, vec![0, 1, 2, 3, 4, 5, 6, 8]),
        ('3', StatusFilter::Human, vec![5, 6, 7]),
        ('4', StatusFilter::Scanner, vec![0, 1, 2, 3]),
        ('5', StatusFilter::Unsure, vec![4, 8]),
    ];
    for (key, status, expected) in cases {
        press(&mut app, &ex, KeyPress::Char(key));
        assert_eq!(app.view.spec.status, status);
        assert_eq!(rows(&app), expected, "status {key}");
    }
}

#[test]
fn tab_cycles_the_views_and_carries_the_filter() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, KeyPress::Char('/'));
    typed(&mut app, &ex, "cc:jp");
    press(&mut app, &ex, KeyPress::Enter);
    let mut seen = vec![app.view.kind()];
    for _ in 0..5 {
        press(&mut app, &ex, KeyPress::Tab);
        seen.push(app.view.kind());
        assert_eq!(app.view.filter_text, "cc:jp");
    }
    assert_eq!(
        seen,
        vec![
            ViewKind::Accesses,
            ViewKind::Grouped(GroupBy::Ip),
            ViewKind::Grouped(GroupBy::Network),
            ViewKind::Grouped(GroupBy::Asn),
            ViewKind::Grouped(GroupBy::Recipient),
            ViewKind::Accesses,
        ]
    );
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    assert_eq!(
        groups(&app),
        vec![GroupKey::Asn(Some(8075)), GroupKey::Asn(Some(9605))]
    );
}

#[test]
fn enter_toggles_the_detail_and_opens_groups() {
    let (mut app, ex, _) = traps_app(80, 24);
    press(&mut app, &ex, KeyPress::Enter);
    assert!(app.detail_shown());
    let with_detail = app.frame.table.body_rows();
    press(&mut app, &ex, KeyPress::Enter);
    assert!(!app.detail_shown());
    assert!(app.frame.table.body_rows() > with_detail);

    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    // Sort the groups by access count, descending: AS8075 (5) first.
    keys(
        &mut app,
        &ex,
        &[KeyPress::Right, KeyPress::Right, KeyPress::Char(']')],
    );
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Group(GroupField::Accesses, Direction::Descending))
    );
    assert_eq!(groups(&app)[0], GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, KeyPress::Enter);
    assert_eq!(app.view.kind(), ViewKind::Accesses);
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4]);
    assert_eq!(
        app.view.title.as_deref(),
        Some("AS8075 Microsoft Corporation")
    );
    press(&mut app, &ex, KeyPress::Char('j'));
    assert_eq!(app.view.selected, 1);
    // q goes back (it does not quit), to the same group and sort.
    assert!(!press(&mut app, &ex, KeyPress::Char('q')));
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Asn));
    assert_eq!(groups(&app)[0], GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, KeyPress::Enter);
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Asn));
}

#[test]
fn stale_view_results_are_dropped() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, KeyPress::Char('/'));
    // Ask for two builds without running them, then deliver them out of order.
    let first = app.update(Action::Input('x'));
    let second = app.update(Action::DeleteBack);
    let job = |effects: Vec<Effect>| match effects.into_iter().next() {
        Some(Effect::BuildView(job)) => job,
        other => panic!("expected a view build, got {other:?}"),
    };
    let (first, second) = (job(first), job(second));
    assert!(second.generation > first.generation);
    app.on_job(whoclicked::tui::jobs::JobResult::View(
        whoclicked::tui::jobs::run_view_job(&second),
    ));
    assert_eq!(rows(&app).len(), 9);
    app.on_job(whoclicked::tui::jobs::JobResult::View(
        whoclicked::tui::jobs::run_view_job(&first),
    ));
    assert_eq!(
        rows(&app).len(),
        9,
        "the older 'x' filter result must not replace the newer one"
    );
    let _ = ex;
}

#[test]
fn quitting_and_overlays() {
    let (mut app, ex, _) = traps_app(80, 24);
    press(&mut app, &ex, KeyPress::Char('?'));
    assert_eq!(app.mode, Mode::Help);
    keys(
        &mut app,
        &ex,
        &[
            KeyPress::Char('j'),
            KeyPress::Char('j'),
            KeyPress::Char('k'),
        ],
    );
    assert_eq!(app.overlay_scroll, 1);
    press(&mut app, &ex, KeyPress::Esc);
    assert_eq!(app.mode, Mode::Table);
    press(&mut app, &ex, KeyPress::F(1));
    assert_eq!(app.mode, Mode::Help);
    press(&mut app, &ex, KeyPress::Char('q'));
    assert_eq!(app.mode, Mode::Table, "q closes the help, it does not quit");
    press(&mut app, &ex, KeyPress::Char('E'));
    assert_eq!(app.mode, Mode::ReadErrors);
    press(&mut app, &ex, KeyPress::Char('E'));
    assert_eq!(app.mode, Mode::Table);
    // Ctrl-C quits from anywhere, q from the table.
    press(&mut app, &ex, KeyPress::Char('/'));
    assert!(press(&mut app, &ex, KeyPress::Ctrl('c')));
    let (mut app, ex, _) = traps_app(80, 24);
    assert!(press(&mut app, &ex, KeyPress::Char('q')));
}

#[test]
fn quitting_while_loading_cancels_the_load() {
    use std::sync::Arc;
    let progress = Arc::new(whoclicked::tui::jobs::Progress::default());
    let mut app = App::new(whoclicked::tui::testing::session(), Arc::clone(&progress));
    assert!(matches!(app.update(Action::Down).as_slice(), []));
    let effects = app.update(Action::Quit);
    assert!(
        matches!(effects.as_slice(), [Effect::CancelLoad, Effect::Quit]),
        "{effects:?}"
    );
    // Labelling before the data is there is refused politely.
    app.update(Action::Label(Some(Verdict::Human)));
    assert!(message(&app).contains("still loading"));
}

#[test]
fn resizing_keeps_the_cursor_on_screen() {
    let (mut app, ex) = synthetic_app(500, 160, 48);
    press(&mut app, &ex, KeyPress::Char('G'));
    act(
        &mut app,
        &ex,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    let page = app.frame.table.body_rows();
    assert!(app.view.selected >= app.view.offset && app.view.selected < app.view.offset + page);
    act(
        &mut app,
        &ex,
        Action::Resize {
            width: 30,
            height: 8,
        },
    );
    assert!(app.view.selected < app.view.offset + app.frame.table.body_rows().max(1));
}

#[test]
fn the_queue_key_shows_unsure_recipients_by_impact() {
    let (mut app, ex, _) = traps_app(160, 48);
    keys(&mut app, &ex, &[KeyPress::Char('r')]);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Recipient));
    assert_eq!(app.view.spec.status, StatusFilter::Queue);
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Group(GroupField::Impact, Direction::Descending))
    );
    assert!(
        message(&app).starts_with("review queue"),
        "{}",
        message(&app)
    );
    // Only recipients left unsure: each group holds unsure clicks alone,
    // and the impacts fall down the queue.
    let data = app.data.as_ref().unwrap();
    let ctx = data.ctx();
    let queue = whoclicked::review::review_queue(&ctx);
    let shown = groups(&app);
    assert_eq!(shown.len(), queue.len());
    assert!(!shown.is_empty());
    for (key, entry) in shown.iter().zip(&queue) {
        assert_eq!(*key, GroupKey::Recipient(Some(entry.recipient)));
    }
    // 1 shows every access again; Tab keeps the queue's filter elsewhere.
    keys(&mut app, &ex, &[KeyPress::Tab]);
    assert_eq!(app.view.spec.status, StatusFilter::Queue);
    keys(&mut app, &ex, &[KeyPress::Char('1')]);
    assert_eq!(app.view.spec.status, StatusFilter::All);
}
