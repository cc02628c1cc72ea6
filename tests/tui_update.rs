//! The review screen's `update`, action by action, without a terminal: every
//! effect runs inline (see `tui::testing`), so each test reads the state
//! right after the keys.

use std::net::IpAddr;

use whoclicked::model::Verdict;
use whoclicked::review::{
    Direction, Field, GroupBy, GroupField, GroupKey, LabelKey, SortBy, StatusFilter, ViewKind,
    ViewRows,
};
use whoclicked::tui::action::Action;
use whoclicked::tui::app::{App, Effect};
use whoclicked::tui::keymap::{Key, Mode};
use whoclicked::tui::store::LabelWrite;
use whoclicked::tui::testing::{synthetic_app, traps_app};
use whoclicked::tui::{Executor, act, press};

fn keys(app: &mut App, ex: &Executor, keys: &[Key]) -> bool {
    keys.iter().any(|&k| press(app, ex, k))
}

fn typed(app: &mut App, ex: &Executor, text: &str) {
    for c in text.chars() {
        press(app, ex, Key::Char(c));
    }
}

fn rows(app: &App) -> Vec<u32> {
    match &app.view.rows {
        ViewRows::Accesses(r) => r.clone(),
        ViewRows::Groups(g) => panic!("expected accesses, got {} groups", g.len()),
    }
}

fn groups(app: &App) -> Vec<GroupKey> {
    match &app.view.rows {
        ViewRows::Groups(g) => g.iter().map(|g| g.key).collect(),
        ViewRows::Accesses(_) => panic!("expected groups"),
    }
}

fn verdict(app: &App, i: u32) -> Option<Verdict> {
    app.data.as_ref().unwrap().snapshot.verdicts[i as usize]
}

fn verdicts(app: &App) -> Vec<Option<Verdict>> {
    app.data.as_ref().unwrap().snapshot.verdicts.to_vec()
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Puts the cursor on the access `i` in the accesses view.
fn select_access(app: &mut App, ex: &Executor, i: u32) {
    press(app, ex, Key::Char('g'));
    while app.view.selected_access() != Some(i) {
        let before = app.view.selected;
        press(app, ex, Key::Char('j'));
        assert_ne!(before, app.view.selected, "access {i} not in the view");
    }
}

/// Switches to the group view `by` with Tab.
fn view_by(app: &mut App, ex: &Executor, kind: ViewKind) {
    for _ in 0..5 {
        if app.view.kind() == kind {
            return;
        }
        press(app, ex, Key::Tab);
    }
    panic!("never reached {kind:?}");
}

fn select_group(app: &mut App, ex: &Executor, key: GroupKey) {
    let pos = groups(app)
        .iter()
        .position(|k| *k == key)
        .expect("group in view");
    press(app, ex, Key::Char('g'));
    for _ in 0..pos {
        press(app, ex, Key::Char('j'));
    }
}

#[test]
fn moving_stays_inside_and_pages() {
    let (mut app, ex) = synthetic_app(1_000, 80, 24);
    let page = app.areas().body_rows();
    assert_eq!(page, 18);
    keys(&mut app, &ex, &[Key::Char('j'), Key::Down]);
    assert_eq!(app.view.selected, 2);
    keys(&mut app, &ex, &[Key::Char('k')]);
    assert_eq!(app.view.selected, 1);
    keys(&mut app, &ex, &[Key::Char('G')]);
    assert_eq!(app.view.selected, 999);
    assert_eq!(app.view.offset, 1_000 - page);
    keys(&mut app, &ex, &[Key::Char('j')]);
    assert_eq!(app.view.selected, 999, "no move past the end");
    keys(&mut app, &ex, &[Key::Home]);
    assert_eq!((app.view.selected, app.view.offset), (0, 0));
    keys(&mut app, &ex, &[Key::PageDown]);
    assert_eq!(app.view.selected, page);
    keys(&mut app, &ex, &[Key::Ctrl('f')]);
    assert_eq!(app.view.selected, 2 * page);
    keys(&mut app, &ex, &[Key::Ctrl('b'), Key::PageUp]);
    assert_eq!(app.view.selected, 0);
    keys(&mut app, &ex, &[Key::Ctrl('d')]);
    assert_eq!(app.view.selected, page / 2);
    keys(&mut app, &ex, &[Key::Ctrl('u')]);
    assert_eq!(app.view.selected, 0);
    keys(&mut app, &ex, &[Key::End]);
    assert_eq!(app.view.selected, 999);
    keys(&mut app, &ex, &[Key::Up, Key::Char('g')]);
    assert_eq!(app.view.selected, 0);
    act(&mut app, &ex, Action::ScrollDown(3));
    assert_eq!(app.view.selected, 3);
    act(&mut app, &ex, Action::ScrollUp(5));
    assert_eq!(app.view.selected, 0);
}

#[test]
fn a_click_selects_the_row_under_it_and_a_header_click_sorts() {
    let (mut app, ex) = synthetic_app(100, 160, 48);
    let table = app.areas().table;
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
        Some(SortBy::Access(Field::Owner, Direction::Ascending)),
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
        Some(SortBy::Access(Field::Owner, Direction::Descending)),
        "a second click reverses"
    );
}

#[test]
fn sorting_by_the_column_under_the_cursor() {
    let (mut app, ex, _) = traps_app(160, 48);
    // time, recipient, ip, owner: three steps right.
    keys(&mut app, &ex, &[Key::Right, Key::Right, Key::Right]);
    keys(&mut app, &ex, &[Key::Char('[')]);
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Access(Field::Owner, Direction::Ascending))
    );
    // Microsoft rows first (time order among them), then docomo, then the unknown owner last.
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4, 5, 6, 8, 7]);
    keys(&mut app, &ex, &[Key::Char(']')]);
    assert_eq!(
        rows(&app)[0],
        7,
        "descending puts the unknown owner first: {:?}",
        rows(&app)
    );
    assert!(message(&app).contains("sorted by owner ↓"));
    keys(&mut app, &ex, &[Key::Left, Key::Left, Key::Left, Key::Left]);
    assert_eq!(app.view.column, 0, "the cursor stops at the first column");
}

#[test]
fn the_filter_follows_the_prompt_and_keeps_the_last_valid_text() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, Key::Char('/'));
    assert_eq!(app.mode, Mode::Filter);
    typed(&mut app, &ex, "org:micro");
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4], "live while typing");
    typed(&mut app, &ex, " dt:<x");
    assert!(app.prompt.error.as_deref().unwrap_or("").contains("dt:<x"));
    // The table follows every valid prefix typed ("dt" was a free word); a
    // term that does not parse leaves the last valid one in force.
    assert_eq!(app.view.filter_text, "org:micro dt");
    assert_eq!(rows(&app), Vec::<u32>::new());
    press(&mut app, &ex, Key::Backspace);
    press(&mut app, &ex, Key::Char('1'));
    press(&mut app, &ex, Key::Char('0'));
    assert_eq!(app.prompt.error, None);
    assert_eq!(rows(&app), vec![0, 1, 2, 3], "dt:<10 drops the Azure user");
    press(&mut app, &ex, Key::Enter);
    assert_eq!(app.mode, Mode::Table);
    assert_eq!(app.view.filter_text, "org:micro dt:<10");
    // Esc in the table clears it.
    press(&mut app, &ex, Key::Esc);
    assert_eq!(rows(&app).len(), 9);
    assert_eq!(app.view.filter_text, "");
    // Esc in the prompt clears it too.
    press(&mut app, &ex, Key::Char('/'));
    typed(&mut app, &ex, "-cc:us");
    assert_eq!(rows(&app).len(), 5);
    press(&mut app, &ex, Key::Esc);
    assert_eq!((app.mode, rows(&app).len()), (Mode::Table, 9));
}

#[test]
fn status_keys_filter_by_verdict_and_suggestion() {
    let (mut app, ex, _) = traps_app(160, 48);
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, Key::Char('h'));
    let cases = [
        ('1', StatusFilter::All, vec![0, 1, 2, 3, 4, 5, 6, 7, 8]),
        ('2', StatusFilter::Unlabelled, vec![0, 1, 2, 3, 4, 5, 6, 8]),
        ('3', StatusFilter::Human, vec![5, 6, 7]),
        ('4', StatusFilter::Scanner, vec![0, 1, 2, 3]),
        ('5', StatusFilter::Unsure, vec![4, 8]),
    ];
    for (key, status, expected) in cases {
        press(&mut app, &ex, Key::Char(key));
        assert_eq!(app.view.spec.status, status);
        assert_eq!(rows(&app), expected, "status {key}");
    }
}

#[test]
fn tab_cycles_the_views_and_carries_the_filter() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, Key::Char('/'));
    typed(&mut app, &ex, "cc:jp");
    press(&mut app, &ex, Key::Enter);
    let mut seen = vec![app.view.kind()];
    for _ in 0..5 {
        press(&mut app, &ex, Key::Tab);
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
    press(&mut app, &ex, Key::Enter);
    assert!(app.detail_shown());
    let with_detail = app.areas().body_rows();
    press(&mut app, &ex, Key::Enter);
    assert!(!app.detail_shown());
    assert!(app.areas().body_rows() > with_detail);

    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    // Sort the groups by access count, descending: AS8075 (5) first.
    keys(&mut app, &ex, &[Key::Right, Key::Right, Key::Char(']')]);
    assert_eq!(
        app.view.spec.sort,
        Some(SortBy::Group(GroupField::Accesses, Direction::Descending))
    );
    assert_eq!(groups(&app)[0], GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, Key::Enter);
    assert_eq!(app.view.kind(), ViewKind::Accesses);
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4]);
    assert_eq!(
        app.view.title.as_deref(),
        Some("AS8075 Microsoft Corporation")
    );
    press(&mut app, &ex, Key::Char('j'));
    assert_eq!(app.view.selected, 1);
    // q goes back (it does not quit), to the same group and sort.
    assert!(!press(&mut app, &ex, Key::Char('q')));
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Asn));
    assert_eq!(groups(&app)[0], GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, Key::Enter);
    press(&mut app, &ex, Key::Esc);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Asn));
}

#[test]
fn h_s_c_label_the_row_and_write_through() {
    let (mut app, ex, log) = traps_app(160, 48);
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, Key::Char('h'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    assert!(
        message(&app).ends_with("→ human (1 access), saved"),
        "{}",
        message(&app)
    );
    assert!(message(&app).contains("alice@example.jp"));
    press(&mut app, &ex, Key::Char('s'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Scanner));
    press(&mut app, &ex, Key::Char('c'));
    assert_eq!(verdict(&app, 5), None);
    assert_eq!(
        log.lock().unwrap().batches,
        vec![
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: Some(Verdict::Human)
            }],
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: Some(Verdict::Scanner)
            }],
            vec![LabelWrite {
                key: LabelKey::Access(5),
                verdict: None
            }],
        ]
    );
    // Clearing again changes nothing and writes nothing.
    press(&mut app, &ex, Key::Char('c'));
    assert_eq!(log.lock().unwrap().batches.len(), 3);
}

#[test]
fn group_views_label_the_group_as_a_rule() {
    let (mut app, ex, log) = traps_app(160, 48);
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Ip));
    select_group(&mut app, &ex, GroupKey::Ip(whoclicked::model::IpId(4)));
    press(&mut app, &ex, Key::Char('h'));
    assert_eq!(verdict(&app, 4), Some(Verdict::Human));
    press(&mut app, &ex, Key::Tab);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Network));
    let docomo = GroupKey::Network {
        network: "1.72.0.0/16".parse().unwrap(),
        estimated: false,
    };
    select_group(&mut app, &ex, docomo);
    press(&mut app, &ex, Key::Char('h'));
    assert_eq!(
        (verdict(&app, 5), verdict(&app, 6), verdict(&app, 8)),
        (
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Human)
        )
    );
    assert!(
        message(&app).starts_with("1.72.0.0/16 NTT DOCOMO, INC. → human (3 accesses)"),
        "{}",
        message(&app)
    );
    // The unknown address's estimated network: no rule, and a clear reason.
    let estimated = GroupKey::Network {
        network: "198.51.100.0/24".parse().unwrap(),
        estimated: true,
    };
    select_group(&mut app, &ex, estimated);
    let before = log.lock().unwrap().batches.len();
    press(&mut app, &ex, Key::Char('s'));
    assert!(app.message.as_ref().unwrap().error);
    assert!(
        message(&app).contains("only an estimate"),
        "{}",
        message(&app)
    );
    assert_eq!(log.lock().unwrap().batches.len(), before);
    assert_eq!(verdict(&app, 7), None);

    press(&mut app, &ex, Key::Tab);
    select_group(&mut app, &ex, GroupKey::Asn(None));
    press(&mut app, &ex, Key::Char('s'));
    assert!(
        message(&app).contains("no AS is known"),
        "{}",
        message(&app)
    );
    select_group(&mut app, &ex, GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, Key::Char('s'));
    // The Azure user keeps the IP rule made above: more specific wins.
    assert_eq!(
        verdicts(&app)[..5],
        [Some(Verdict::Scanner); 4]
            .iter()
            .copied()
            .chain([Some(Verdict::Human)])
            .collect::<Vec<_>>()[..]
    );
    assert_eq!(
        message(&app),
        "AS8075 Microsoft Corporation → scanner (4 accesses); 1 keep a more specific label, saved"
    );
    let batches = log.lock().unwrap().batches.clone();
    assert_eq!(
        batches[0],
        vec![LabelWrite {
            key: LabelKey::Ip(ip("20.210.5.6")),
            verdict: Some(Verdict::Human)
        }]
    );
    assert_eq!(
        batches[1],
        vec![LabelWrite {
            key: LabelKey::network("1.72.0.0/16".parse().unwrap()),
            verdict: Some(Verdict::Human)
        }]
    );
    assert_eq!(
        batches[2],
        vec![LabelWrite {
            key: LabelKey::Asn(8075),
            verdict: Some(Verdict::Scanner)
        }]
    );

    // A recipient is not an owner: its group is labelled access by access.
    press(&mut app, &ex, Key::Tab);
    let carol = app
        .data
        .as_ref()
        .unwrap()
        .analysis()
        .campaign
        .find_recipient("carol@example.jp");
    select_group(&mut app, &ex, GroupKey::Recipient(carol));
    press(&mut app, &ex, Key::Char('s'));
    let last = log.lock().unwrap().batches.last().cloned().unwrap();
    assert_eq!(
        last,
        vec![
            LabelWrite {
                key: LabelKey::Access(2),
                verdict: Some(Verdict::Scanner)
            },
            LabelWrite {
                key: LabelKey::Access(7),
                verdict: Some(Verdict::Scanner)
            },
        ]
    );
}

#[test]
fn the_scope_chooser_counts_and_applies() {
    let (mut app, ex, log) = traps_app(160, 48);
    select_access(&mut app, &ex, 1);
    press(&mut app, &ex, Key::Char('S'));
    assert_eq!(app.mode, Mode::Scope);
    let dialog = app.scope.clone().unwrap();
    let counts: Vec<(String, usize, bool)> = dialog
        .choices
        .iter()
        .map(|c| (c.label.clone(), c.changes, c.scope.is_some()))
        .collect();
    assert_eq!(counts[0].1, 1);
    assert_eq!(
        counts[1],
        (
            "this IP 40.94.1.2 (Microsoft Corporation)".to_string(),
            1,
            true
        )
    );
    assert_eq!(
        counts[2],
        (
            "this network 40.88.0.0/13 (Microsoft Corporation)".to_string(),
            4,
            true
        )
    );
    assert_eq!(
        counts[3],
        ("this AS AS8075 Microsoft Corporation".to_string(), 5, true)
    );
    assert_eq!(
        counts[4],
        ("all accesses of bob@example.jp".to_string(), 3, true)
    );
    // `o` (or 4) picks the AS.
    press(&mut app, &ex, Key::Char('o'));
    assert_eq!(app.mode, Mode::Table);
    assert!(
        verdicts(&app)[..5]
            .iter()
            .all(|v| *v == Some(Verdict::Scanner))
    );
    assert_eq!(
        log.lock().unwrap().batches.last().unwrap(),
        &vec![LabelWrite {
            key: LabelKey::Asn(8075),
            verdict: Some(Verdict::Scanner)
        }]
    );

    // The exception: the Azure Virtual Desktop user's IP is human.
    select_access(&mut app, &ex, 4);
    press(&mut app, &ex, Key::Char('H'));
    assert_eq!(app.scope.as_ref().unwrap().choices[1].changes, 1);
    press(&mut app, &ex, Key::Char('2'));
    assert_eq!(verdict(&app, 4), Some(Verdict::Human));
    assert!(
        verdicts(&app)[..4]
            .iter()
            .all(|v| *v == Some(Verdict::Scanner))
    );
    let data = app.data.as_ref().unwrap();
    assert_eq!(
        data.book.resolve(data.analysis(), 4).map(|(k, _)| k),
        Some(LabelKey::Ip(ip("20.210.5.6")))
    );

    // An unknown address offers no network and no AS; choosing them explains why.
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, Key::Char('S'));
    let dialog = app.scope.clone().unwrap();
    assert!(dialog.choices[2].scope.is_none() && dialog.choices[3].scope.is_none());
    press(&mut app, &ex, Key::Char('n'));
    assert!(
        message(&app).contains("no database gave a prefix"),
        "{}",
        message(&app)
    );
    press(&mut app, &ex, Key::Esc);
    assert_eq!((app.mode, app.scope.is_none()), (Mode::Table, true));
    // And the recipient choice labels each of carol's accesses.
    press(&mut app, &ex, Key::Char('H'));
    press(&mut app, &ex, Key::Char('r'));
    assert_eq!(
        (verdict(&app, 2), verdict(&app, 7)),
        (Some(Verdict::Human), Some(Verdict::Human))
    );
}

#[test]
fn precedence_access_over_ip_over_longest_network_over_as() {
    let (mut app, ex, _) = traps_app(160, 48);
    select_access(&mut app, &ex, 0);
    press(&mut app, &ex, Key::Char('S'));
    press(&mut app, &ex, Key::Char('4')); // AS8075 scanner
    press(&mut app, &ex, Key::Char('H'));
    press(&mut app, &ex, Key::Char('3')); // 40.88.0.0/13 human beats the AS
    assert_eq!(verdict(&app, 0), Some(Verdict::Human));
    assert_eq!(
        verdict(&app, 4),
        Some(Verdict::Scanner),
        "the Azure address is outside the /13"
    );
    press(&mut app, &ex, Key::Char('S'));
    press(&mut app, &ex, Key::Char('2')); // 40.94.1.1 scanner beats the network
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    assert_eq!(verdict(&app, 1), Some(Verdict::Human));
    press(&mut app, &ex, Key::Char('h')); // the access's own verdict beats the IP
    assert_eq!(verdict(&app, 0), Some(Verdict::Human));
    let data = app.data.as_ref().unwrap();
    assert_eq!(
        data.book.resolve(data.analysis(), 0).map(|(k, _)| k),
        Some(LabelKey::Access(0))
    );
    // Clearing the access falls back to the IP rule; `c` on a rule-only row explains.
    press(&mut app, &ex, Key::Char('c'));
    assert_eq!(verdict(&app, 0), Some(Verdict::Scanner));
    press(&mut app, &ex, Key::Char('c'));
    assert!(
        message(&app).contains("follows rule ip:40.94.1.1"),
        "{}",
        message(&app)
    );
}

#[test]
fn marks_collect_rows_for_one_label() {
    let (mut app, ex, log) = traps_app(160, 48);
    // Space marks and moves down: mark 0, skip 1, mark 2 and 3.
    keys(
        &mut app,
        &ex,
        &[
            Key::Char(' '),
            Key::Char('j'),
            Key::Char(' '),
            Key::Char(' '),
        ],
    );
    assert_eq!(
        app.view.marks.accesses.iter().copied().collect::<Vec<_>>(),
        vec![0, 2, 3]
    );
    press(&mut app, &ex, Key::Char('s'));
    assert_eq!(
        verdicts(&app)[..4],
        [
            Some(Verdict::Scanner),
            None,
            Some(Verdict::Scanner),
            Some(Verdict::Scanner)
        ]
    );
    assert!(app.view.marks.is_empty(), "labelling uses up the marks");
    assert_eq!(log.lock().unwrap().batches.last().unwrap().len(), 3);
    assert!(message(&app).starts_with("3 marked accesses → scanner (3 accesses)"));
    // Esc clears marks before it clears anything else.
    keys(&mut app, &ex, &[Key::Char('g'), Key::Char(' ')]);
    press(&mut app, &ex, Key::Esc);
    assert!(app.view.marks.is_empty());

    // Marked groups become one rule each.
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    keys(
        &mut app,
        &ex,
        &[
            Key::Char('g'),
            Key::Char(' '),
            Key::Char(' '),
            Key::Char(' '),
        ],
    );
    assert_eq!(app.view.marks.groups.len(), 3);
    press(&mut app, &ex, Key::Char('h'));
    assert!(
        message(&app).contains("1 marked groups skipped"),
        "{}",
        message(&app)
    );
    assert_eq!(log.lock().unwrap().batches.last().unwrap().len(), 2);
}

#[test]
fn undo_and_redo_cross_scopes_and_the_store_follows() {
    let (mut app, ex, log) = traps_app(160, 48);
    view_by(&mut app, &ex, ViewKind::Grouped(GroupBy::Asn));
    select_group(&mut app, &ex, GroupKey::Asn(Some(8075)));
    press(&mut app, &ex, Key::Char('s'));
    view_by(&mut app, &ex, ViewKind::Accesses);
    select_access(&mut app, &ex, 4);
    press(&mut app, &ex, Key::Char('H'));
    press(&mut app, &ex, Key::Char('i'));
    let labelled = verdicts(&app);
    assert_eq!(labelled[4], Some(Verdict::Human));

    press(&mut app, &ex, Key::Char('u'));
    assert_eq!(
        verdict(&app, 4),
        Some(Verdict::Scanner),
        "the AS rule is back in charge"
    );
    assert!(
        message(&app).starts_with("undone: IP 20.210.5.6"),
        "{}",
        message(&app)
    );
    press(&mut app, &ex, Key::Char('u'));
    assert!(verdicts(&app).iter().all(Option::is_none));
    press(&mut app, &ex, Key::Char('u'));
    assert_eq!(message(&app), "nothing to undo");
    press(&mut app, &ex, Key::Ctrl('r'));
    press(&mut app, &ex, Key::Ctrl('r'));
    assert_eq!(verdicts(&app), labelled);
    press(&mut app, &ex, Key::Ctrl('r'));
    assert_eq!(message(&app), "nothing to redo");

    let writes: Vec<(LabelKey, Option<Verdict>)> = log
        .lock()
        .unwrap()
        .batches
        .iter()
        .flatten()
        .map(|w| (w.key, w.verdict))
        .collect();
    let azure = LabelKey::Ip(ip("20.210.5.6"));
    assert_eq!(
        writes,
        vec![
            (LabelKey::Asn(8075), Some(Verdict::Scanner)),
            (azure, Some(Verdict::Human)),
            (azure, None),
            (LabelKey::Asn(8075), None),
            (LabelKey::Asn(8075), Some(Verdict::Scanner)),
            (azure, Some(Verdict::Human)),
        ]
    );
    // A new label after an undo drops the redo branch.
    press(&mut app, &ex, Key::Char('u'));
    select_access(&mut app, &ex, 7);
    press(&mut app, &ex, Key::Char('h'));
    press(&mut app, &ex, Key::Ctrl('r'));
    assert_eq!(message(&app), "nothing to redo");
}

#[test]
fn a_failed_write_is_taken_back_and_never_reported_saved() {
    let (mut app, ex, log) = traps_app(160, 48);
    log.lock().unwrap().fail_next = Some("disk full".to_string());
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, Key::Char('h'));
    assert_eq!(verdict(&app, 5), None);
    let m = app.message.clone().unwrap();
    assert!(m.error && m.text.contains("NOT saved (disk full)"), "{m:?}");
    assert!(app.history.done.is_empty());
    // An undo whose write fails leaves the label in place.
    press(&mut app, &ex, Key::Char('h'));
    log.lock().unwrap().fail_next = Some("read-only".to_string());
    press(&mut app, &ex, Key::Char('u'));
    assert_eq!(verdict(&app, 5), Some(Verdict::Human));
    assert_eq!(app.history.done.len(), 1);
    assert!(app.history.undone.is_empty());
}

#[test]
fn labelling_rebuilds_views_that_depend_on_verdicts() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, Key::Char('2'));
    assert_eq!(rows(&app).len(), 9);
    keys(
        &mut app,
        &ex,
        &[Key::Char('j'), Key::Char('j'), Key::Char('s')],
    );
    // The labelled row left "unlabelled"; the cursor is on the row that followed it.
    assert_eq!(rows(&app), vec![0, 1, 3, 4, 5, 6, 7, 8]);
    assert_eq!(app.view.selected_access(), Some(3));
    let counts = &app.data.as_ref().unwrap().counts;
    assert_eq!((counts.unlabelled, counts.scanner), (8, 4));
}

#[test]
fn stale_view_results_are_dropped() {
    let (mut app, ex, _) = traps_app(160, 48);
    press(&mut app, &ex, Key::Char('/'));
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
fn export_writes_the_report_to_the_edited_path() {
    let (mut app, ex, _) = traps_app(160, 48);
    keys(&mut app, &ex, &[Key::Char('S'), Key::Char('4')]);
    select_access(&mut app, &ex, 5);
    press(&mut app, &ex, Key::Char('h'));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    press(&mut app, &ex, Key::Char('e'));
    assert_eq!(app.mode, Mode::Export);
    assert_eq!(app.prompt.text, "whoclicked-report.csv");
    for _ in 0..app.prompt.text.len() {
        press(&mut app, &ex, Key::Backspace);
    }
    typed(&mut app, &ex, path.to_str().unwrap());
    press(&mut app, &ex, Key::Enter);
    assert_eq!(
        message(&app),
        format!("exported 9 accesses to {}", path.display())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'), "Excel CSV starts with a BOM");
    assert!(text.contains("\r\n"), "Excel CSV ends lines with CRLF");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (verdict, source) = (col("verdict"), col("verdict_source"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    assert_eq!(&rows[0][verdict], "scanner");
    assert_eq!(&rows[0][source], "rule asn:8075 (2026-10-02, analyst)");
    assert_eq!(&rows[5][verdict], "human");
    assert_eq!(&rows[5][source], "access (2026-10-02, analyst)");
    assert_eq!((&rows[6][verdict], &rows[6][source]), ("", ""));
    // The hostile User-Agent is inert in the spreadsheet too.
    assert!(!text.contains('\x1b'));
    // Esc cancels without writing.
    press(&mut app, &ex, Key::Char('e'));
    press(&mut app, &ex, Key::Esc);
    assert_eq!(
        (app.mode, message(&app).as_str()),
        (Mode::Table, "export cancelled")
    );
    // A path that cannot be written says so.
    press(&mut app, &ex, Key::Char('e'));
    typed(&mut app, &ex, "/no/such/dir/x");
    press(&mut app, &ex, Key::Enter);
    assert!(app.message.as_ref().unwrap().error);
}

#[test]
fn quitting_and_overlays() {
    let (mut app, ex, _) = traps_app(80, 24);
    press(&mut app, &ex, Key::Char('?'));
    assert_eq!(app.mode, Mode::Help);
    keys(
        &mut app,
        &ex,
        &[Key::Char('j'), Key::Char('j'), Key::Char('k')],
    );
    assert_eq!(app.overlay_scroll, 1);
    press(&mut app, &ex, Key::Esc);
    assert_eq!(app.mode, Mode::Table);
    press(&mut app, &ex, Key::F(1));
    assert_eq!(app.mode, Mode::Help);
    press(&mut app, &ex, Key::Char('q'));
    assert_eq!(app.mode, Mode::Table, "q closes the help, it does not quit");
    press(&mut app, &ex, Key::Char('E'));
    assert_eq!(app.mode, Mode::ReadErrors);
    press(&mut app, &ex, Key::Char('E'));
    assert_eq!(app.mode, Mode::Table);
    // Ctrl-C quits from anywhere, q from the table.
    press(&mut app, &ex, Key::Char('/'));
    assert!(press(&mut app, &ex, Key::Ctrl('c')));
    let (mut app, ex, _) = traps_app(80, 24);
    assert!(press(&mut app, &ex, Key::Char('q')));
}

#[test]
fn quitting_while_loading_cancels_the_load() {
    use std::sync::Arc;
    let progress = Arc::new(whoclicked::tui::jobs::Progress::default());
    let mut app = App::new(
        whoclicked::tui::testing::session(),
        Arc::clone(&progress),
        80,
        24,
    );
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
    press(&mut app, &ex, Key::Char('G'));
    act(
        &mut app,
        &ex,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    let page = app.areas().body_rows();
    assert!(app.view.selected >= app.view.offset && app.view.selected < app.view.offset + page);
    act(
        &mut app,
        &ex,
        Action::Resize {
            width: 30,
            height: 8,
        },
    );
    assert!(app.view.selected < app.view.offset + app.areas().body_rows().max(1));
}

/// A store another process writes to: `refresh` hands over what it wrote.
struct Shared(std::sync::Arc<std::sync::Mutex<Option<whoclicked::tui::store::StoredLabels>>>);

impl whoclicked::tui::store::LabelStore for Shared {
    fn load(
        &mut self,
        analysis: &whoclicked::analysis::Analysis,
    ) -> Result<whoclicked::tui::store::StoredLabels, whoclicked::tui::store::StoreError> {
        Ok(whoclicked::tui::store::StoredLabels {
            book: whoclicked::review::LabelBook::new(),
            notes: vec![None; analysis.campaign.ips.len()],
        })
    }
    fn write(
        &mut self,
        _: &whoclicked::analysis::Analysis,
        _: &[LabelWrite],
    ) -> Result<(), whoclicked::tui::store::StoreError> {
        Ok(())
    }
    fn location(&self) -> String {
        "shared".to_string()
    }
    fn refresh(
        &mut self,
        _: &whoclicked::analysis::Analysis,
    ) -> Result<Option<whoclicked::tui::store::StoredLabels>, whoclicked::tui::store::StoreError>
    {
        Ok(self.0.lock().unwrap().take())
    }
}

#[test]
fn another_process_s_labels_and_notes_arrive_on_refresh() {
    use std::sync::{Arc, Mutex};
    let pending = Arc::new(Mutex::new(None));
    let (mut app, ex) = whoclicked::tui::testing::app_with(
        whoclicked::tui::testing::traps(),
        Box::new(Shared(Arc::clone(&pending))),
        160,
        48,
    );
    assert!(ex.refresh(&mut app).is_empty(), "nothing new, nothing done");
    let mut book = whoclicked::review::LabelBook::new();
    book.set(
        LabelKey::Asn(9605),
        Some(whoclicked::review::LabelInfo::new(Verdict::Human)),
    );
    let mut notes = vec![None; 6];
    notes[4] = Some(Arc::from("Azure Virtual Desktop pool"));
    *pending.lock().unwrap() = Some(whoclicked::tui::store::StoredLabels { book, notes });
    let effects = ex.refresh(&mut app);
    ex.run(&mut app, effects);
    assert_eq!(
        (verdict(&app, 5), verdict(&app, 6), verdict(&app, 8)),
        (
            Some(Verdict::Human),
            Some(Verdict::Human),
            Some(Verdict::Human)
        )
    );
    assert_eq!(app.data.as_ref().unwrap().counts.unlabelled, 6);
    assert!(message(&app).contains("another whoclicked"));
    // The note is the owner the table shows.
    press(&mut app, &ex, Key::Char('/'));
    typed(&mut app, &ex, "org:\"virtual desktop\"");
    assert_eq!(rows(&app), vec![4]);
}
