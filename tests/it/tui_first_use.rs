//! The review screen as a newcomer meets it (issue 14): a file that fails to
//! load, the header's counts, the detail pane on a small terminal, what `e`
//! exports, the filter prompt's editing, marks, unbound keys. `update` and
//! drawing on ratatui's TestBackend; the terminal-level parts are in
//! `tui_e2e`.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use whoclicked::input::{LoadOptions, LoadProgress};
use whoclicked::pipeline::PipelineError;
use whoclicked::tui::app::App;
use whoclicked::tui::jobs::{JobResult, Progress};
use whoclicked::tui::keymap::KeyPress;
use whoclicked::tui::testing::session;
use whoclicked::tui::{draw_offscreen, ui};

/// Every line of the app drawn again at the size of its last frame.
pub fn screen(app: &App) -> Vec<String> {
    let terminal = crate::support::screen::render(app);
    let buf = terminal.backend().buffer();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The screen's lines joined with single spaces: wrapped text reads whole.
pub fn flowing(app: &App) -> String {
    screen(app)
        .iter()
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

/// 100 rows with US-style dates: the reader takes none of them.
fn us_dates() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("us100.csv");
    let mut text = String::from("time,ip,recipient\n");
    for i in 0..100 {
        text.push_str(&format!(
            "10/{:02}/2026 09:00:00,40.94.1.{i},u{i}@example.jp\n",
            i % 28 + 1
        ));
    }
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn a_file_that_fails_to_load_shows_its_whole_reason_and_its_rows() {
    let (_dir, path) = us_dates();
    let err = whoclicked::input::load(
        std::slice::from_ref(&path),
        &LoadOptions::default(),
        &LoadProgress::default(),
    )
    .unwrap_err();
    let reason = PipelineError::Read(err).with_causes();
    let progress = Arc::new(Progress::default());
    let mut app = App::new(session(), progress);
    draw_offscreen(&mut app, 120, 30);
    let err = whoclicked::input::load(
        std::slice::from_ref(&path),
        &LoadOptions::default(),
        &LoadProgress::default(),
    )
    .unwrap_err();
    app.on_job(JobResult::LoadFailed(PipelineError::Read(err)));
    draw_offscreen(&mut app, 120, 30);
    let text = flowing(&app);
    // The reason is long; wrapped, every word of it is on screen.
    for word in reason.split_whitespace() {
        assert!(
            text.contains(word),
            "{word:?} missing from:\n{}",
            screen(&app).join("\n")
        );
    }
    assert!(
        text.contains("month-first (US) and day-first dates cannot be told apart"),
        "{text}"
    );
    assert!(text.contains("E lists the 100 rows that failed"), "{text}");
    // The footer offers no table keys: there is nothing to label or open.
    let footer = screen(&app)[28].clone();
    assert!(footer.starts_with("E rows that failed  q quit"), "{footer}");
    assert!(!footer.contains("Enter open"), "{footer}");

    whoclicked::tui::press(&mut app, &executor(), KeyPress::Char('E'));
    let panel = screen(&app).join("\n");
    assert!(panel.contains("why loading failed: 100 rows"), "{panel}");
    assert!(panel.contains("us100.csv:2  [time]"), "{panel}");
    assert!(!panel.contains("still loading"), "{panel}");
    assert_eq!(
        app.load_failure().map(|f| f.message.clone()),
        Some(reason),
        "the runtime ends with this reason on stderr and a failing status"
    );
}

/// An executor with no store behind it, for apps that never loaded.
fn executor() -> whoclicked::tui::Executor {
    whoclicked::tui::Executor {
        store: Arc::new(std::sync::Mutex::new(Box::new(
            whoclicked::tui::store::MemoryStore::new(),
        ))),
        progress: Arc::new(Progress::default()),
        send: None,
    }
}

fn keys(app: &mut App, ex: &whoclicked::tui::Executor, keys: &[KeyPress]) {
    for &k in keys {
        whoclicked::tui::press(app, ex, k);
    }
}

#[test]
fn the_detail_pane_scrolls_on_a_small_terminal_and_steps_through_accesses() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(80, 24);
    // The last access: bob's, with a same-IP and a same-recipient line.
    keys(&mut app, &ex, &[KeyPress::Char('G'), KeyPress::Enter]);
    let selected = app.view.selected;
    let first = screen(&app).join("\n");
    assert!(
        !first.contains("same recipient"),
        "fits without scrolling?\n{first}"
    );
    assert!(first.contains("j/k scroll"), "{first}");
    assert!(
        !first.contains("Enter open"),
        "the footer offers the table's keys:\n{first}"
    );
    assert!(first.contains("Enter close"), "{first}");
    for _ in 0..10 {
        keys(&mut app, &ex, &[KeyPress::Char('j')]);
    }
    let scrolled = screen(&app).join("\n");
    assert!(scrolled.contains("same recipient"), "{scrolled}");
    assert_eq!(
        app.view.selected, selected,
        "j scrolls the pane, not the table"
    );
    keys(&mut app, &ex, &[KeyPress::Char('g'), KeyPress::Char('p')]);
    assert_eq!(
        app.view.selected,
        selected - 1,
        "p shows the previous access"
    );
    assert_eq!(app.detail_scroll, 0, "from its top");
    // Labelling works from the pane and leaves it open.
    keys(&mut app, &ex, &[KeyPress::Char('h')]);
    let labelled = screen(&app).join("\n");
    assert!(labelled.contains("verdict human [H]"), "{labelled}");
    keys(&mut app, &ex, &[KeyPress::Esc]);
    let closed = screen(&app).join("\n");
    assert!(!closed.contains("detail —"), "{closed}");
    keys(&mut app, &ex, &[KeyPress::Char('j')]);
    assert_eq!(
        app.view.selected, selected,
        "back in the table, j moves the cursor"
    );
}

fn typed(app: &mut App, ex: &whoclicked::tui::Executor, text: &str) {
    for c in text.chars() {
        whoclicked::tui::press(app, ex, KeyPress::Char(c));
    }
}

fn rows(app: &App) -> Vec<u32> {
    match &app.view.rows {
        whoclicked::review::ViewRows::Accesses(r) => r.clone(),
        whoclicked::review::ViewRows::Groups(_) => panic!("a group view"),
    }
}

#[test]
fn the_filter_prompt_edits_like_a_shell_line_and_remembers_filters() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(120, 30);
    keys(&mut app, &ex, &[KeyPress::Char('/')]);
    typed(&mut app, &ex, "org:micrsoft");
    assert_eq!(rows(&app), Vec::<u32>::new());
    // Left moves the cursor: the letter lands where it is, not at the end.
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
    typed(&mut app, &ex, "o");
    assert_eq!(app.prompt.text, "org:microsoft");
    assert_eq!(rows(&app), vec![0, 1, 2, 3, 4]);
    keys(&mut app, &ex, &[KeyPress::End]);
    typed(&mut app, &ex, " dt:<10");
    assert_eq!(rows(&app), vec![0, 1, 2, 3]);
    // Ctrl-W takes the last word back; Home and Ctrl-K the rest.
    keys(&mut app, &ex, &[KeyPress::Ctrl('w')]);
    assert_eq!(app.prompt.text, "org:microsoft ");
    keys(&mut app, &ex, &[KeyPress::Home, KeyPress::Delete]);
    assert_eq!(app.prompt.text, "rg:microsoft ");
    keys(&mut app, &ex, &[KeyPress::Ctrl('k')]);
    assert_eq!(app.prompt.text, "");
    typed(&mut app, &ex, "org:docomo");
    keys(&mut app, &ex, &[KeyPress::Enter]);
    keys(&mut app, &ex, &[KeyPress::Char('/'), KeyPress::Ctrl('u')]);
    typed(&mut app, &ex, "cc:jp");
    keys(
        &mut app,
        &ex,
        &[KeyPress::Enter, KeyPress::Char('/'), KeyPress::Ctrl('u')],
    );
    typed(&mut app, &ex, "half");
    // Up recalls the kept filters, newest first; Down comes back to the line typed.
    keys(&mut app, &ex, &[KeyPress::Up]);
    assert_eq!(app.prompt.text, "cc:jp");
    keys(&mut app, &ex, &[KeyPress::Up]);
    assert_eq!(app.prompt.text, "org:docomo");
    assert_eq!(
        rows(&app),
        vec![5, 6, 8],
        "the table follows the recalled filter"
    );
    keys(&mut app, &ex, &[KeyPress::Up]);
    assert_eq!(app.prompt.text, "org:docomo", "the oldest stays");
    keys(&mut app, &ex, &[KeyPress::Down, KeyPress::Down]);
    assert_eq!(app.prompt.text, "half");
}

#[test]
fn unknown_fields_and_impossible_addresses_are_named() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(120, 30);
    for (text, said) in [
        ("foo:bar", "no field is called \"foo\""),
        ("ip:999.1.1.1", "not an IP address"),
        ("dt:abc", "expected seconds"),
    ] {
        keys(&mut app, &ex, &[KeyPress::Char('/'), KeyPress::Ctrl('u')]);
        typed(&mut app, &ex, text);
        let error = app.prompt.error.clone().unwrap_or_default();
        assert!(error.contains(said), "{text}: {error}");
        assert_eq!(rows(&app).len(), 9, "{text}: left out, so every row shows");
        keys(&mut app, &ex, &[KeyPress::Enter]);
        let message = app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        assert!(
            message.starts_with(&format!("filter kept without {text}")),
            "{message}"
        );
    }
}

#[test]
fn a_paste_is_text_for_the_prompt_and_one_edit() {
    let (mut app, ex, log) = whoclicked::tui::testing::traps_app(120, 30);
    keys(&mut app, &ex, &[KeyPress::Char('/')]);
    // The line break a paste carries neither ends the prompt nor labels.
    whoclicked::tui::paste(&mut app, &ex, "org:microsoft\nsato");
    assert_eq!(app.mode, whoclicked::tui::keymap::Mode::Filter);
    assert_eq!(app.prompt.text, "org:microsoft sato");
    assert!(
        log.lock().unwrap().batches.is_empty(),
        "nothing was labelled"
    );
    // A long paste is one edit: one filter, one view build.
    keys(&mut app, &ex, &[KeyPress::Ctrl('u')]);
    let long = "x".repeat(100_000);
    let effects = app.paste(&long);
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(app.prompt.text.len(), 100_000);
    // Outside a prompt a paste does nothing but say where it would go.
    keys(&mut app, &ex, &[KeyPress::Esc]);
    whoclicked::tui::paste(&mut app, &ex, "s");
    assert!(log.lock().unwrap().batches.is_empty());
}

#[test]
fn what_the_filter_matched_is_underlined_in_the_cells() {
    use ratatui::style::Modifier;
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(120, 30);
    keys(&mut app, &ex, &[KeyPress::Char('/')]);
    typed(&mut app, &ex, "org:docomo");
    keys(&mut app, &ex, &[KeyPress::Enter]);
    let size = app.frame.area;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(&app, frame);
        })
        .unwrap();
    let buf = terminal.backend().buffer();
    let lines = screen(&app);
    let y = lines
        .iter()
        .position(|l| l.contains("NTT DOCOMO"))
        .expect("a docomo row") as u16;
    let x = lines[y as usize].find("DOCOMO").unwrap();
    let x = lines[y as usize][..x].chars().count() as u16;
    for dx in 0..6 {
        assert!(
            buf[(x + dx, y)].modifier.contains(Modifier::UNDERLINED),
            "DOCOMO at {}",
            x + dx
        );
    }
    assert!(
        !buf[(x - 2, y)].modifier.contains(Modifier::UNDERLINED),
        "NTT is not matched"
    );
}

#[test]
fn space_marks_the_row_under_the_cursor_and_keeps_it() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(120, 30);
    // "j Space" three times marks the three rows the cursor was on.
    for _ in 0..3 {
        keys(&mut app, &ex, &[KeyPress::Char('j'), KeyPress::Char(' ')]);
    }
    assert_eq!(
        app.view.marks.accesses.iter().copied().collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(
        app.view.selected, 3,
        "the cursor stayed on the last row marked"
    );
}

#[test]
fn shift_tab_goes_back_a_view_and_an_unbound_key_says_so() {
    use whoclicked::review::{GroupBy, ViewKind};
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(120, 30);
    keys(&mut app, &ex, &[KeyPress::BackTab]);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Recipient));
    keys(&mut app, &ex, &[KeyPress::BackTab]);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Asn));
    keys(&mut app, &ex, &[KeyPress::Tab]);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Recipient));
    keys(&mut app, &ex, &[KeyPress::Char('x')]);
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert_eq!(said, "x: no such key here, ? for help");
    // In the filter prompt the same key is text.
    keys(&mut app, &ex, &[KeyPress::Char('/'), KeyPress::Char('x')]);
    assert_eq!(app.prompt.text, "x");
}

/// Types `path` into the export prompt (opened with `e`) after clearing it.
fn export_to(app: &mut App, ex: &whoclicked::tui::Executor, path: &std::path::Path, tabs: usize) {
    keys(app, ex, &[KeyPress::Char('e'), KeyPress::Ctrl('u')]);
    for _ in 0..tabs {
        keys(app, ex, &[KeyPress::Tab]);
    }
    typed(app, ex, &path.display().to_string());
    keys(app, ex, &[KeyPress::Enter]);
}

fn csv_rows(path: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn export_offers_the_rows_shown_all_accesses_or_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(160, 40);
    keys(&mut app, &ex, &[KeyPress::Char('/')]);
    typed(&mut app, &ex, "org:docomo");
    keys(&mut app, &ex, &[KeyPress::Enter, KeyPress::Char('e')]);
    let prompt = screen(&app).join("\n");
    assert!(
        prompt.contains("export the 3 accesses shown (Tab: all 9 accesses) to:"),
        "{prompt}"
    );
    keys(&mut app, &ex, &[KeyPress::Esc]);
    // What is shown: the header and the three docomo accesses.
    let shown = dir.path().join("shown.csv");
    export_to(&mut app, &ex, &shown, 0);
    let rows = csv_rows(&shown);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert!(rows[1..].iter().all(|r| r.contains("1.72.3.4")), "{rows:?}");
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.starts_with("exported 3 accesses to "), "{said}");
    // Tab chooses every access.
    let all = dir.path().join("all.csv");
    export_to(&mut app, &ex, &all, 1);
    assert_eq!(csv_rows(&all).len(), 10);
    // A group view: one row per group, with the group view's columns.
    keys(&mut app, &ex, &[KeyPress::Esc]);
    keys(
        &mut app,
        &ex,
        &[KeyPress::Tab, KeyPress::Tab, KeyPress::Tab],
    );
    let groups = dir.path().join("groups.csv");
    export_to(&mut app, &ex, &groups, 0);
    let rows = csv_rows(&groups);
    assert!(rows[0].starts_with("as,owner,acc,rcpt,"), "{rows:?}");
    // Their times carry no offset: the headings name the zone.
    assert!(
        rows[0].contains(",first (+09:00),last (+09:00),"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 4, "AS8075, AS9605 and no AS: {rows:?}");
}

#[test]
fn an_export_under_way_stays_in_the_header_across_views() {
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(160, 40);
    keys(&mut app, &ex, &[KeyPress::Char('e'), KeyPress::Ctrl('u')]);
    typed(&mut app, &ex, "/tmp/never-written.csv");
    // The runtime would start a thread; the effect is left undone here.
    let effects = app.update(whoclicked::tui::action::Action::Confirm);
    assert_eq!(effects.len(), 1);
    draw_offscreen(&mut app, 160, 40);
    keys(&mut app, &ex, &[KeyPress::Tab]);
    let text = screen(&app).join("\n");
    assert!(
        text.contains("⟳ exporting 9 accesses to /tmp/never-written.csv…"),
        "{text}"
    );
}

#[test]
fn the_by_recipient_view_has_no_owner_or_recipient_count_column() {
    use whoclicked::review::{GroupBy, ViewKind};
    let (mut app, ex, _) = whoclicked::tui::testing::traps_app(200, 30);
    keys(&mut app, &ex, &[KeyPress::BackTab]);
    assert_eq!(app.view.kind(), ViewKind::Grouped(GroupBy::Recipient));
    let header = screen(&app)
        .into_iter()
        .find(|l| l.trim_start().starts_with("recipient"))
        .unwrap();
    assert!(
        !header.contains("owner") && !header.contains("rcpt"),
        "{header}"
    );
    assert!(
        header.contains("acc") && header.contains("typical UA"),
        "{header}"
    );
}

#[test]
fn the_header_warns_when_the_bundled_owner_data_is_old() {
    let (mut app, _ex, _) = whoclicked::tui::testing::traps_app(200, 30);
    let built = |d: &str| Some(format!("{d}T00:00:00Z").parse::<jiff::Timestamp>().unwrap());
    {
        let db = &mut app.data.as_mut().unwrap().databases[0];
        db.name = whoclicked::owner::BUNDLED_NAME.to_string();
        db.bundled = true;
        db.build_time = built("2026-06-17");
    }
    // The test clock says 2026-10-02: three and a half months, fresh.
    assert!(!screen(&app)[0].contains('⚠'), "{}", screen(&app)[0]);
    app.data.as_mut().unwrap().databases[0].build_time = built("2026-03-01");
    let title = &screen(&app)[0];
    assert!(
        title.contains("bundled ASN data (2026-09-20) ⚠ 7 months old: whoclicked mmdb update"),
        "{title}"
    );
}

/// The screen over `csv` read as a file named `name` (UTC, no owners, nothing suggested).
fn app_over(name: &str, csv: &str, width: u16, height: u16) -> App {
    let mut campaign = whoclicked::model::Campaign::new();
    let options = LoadOptions {
        zone: jiff::tz::TimeZone::UTC,
        ..LoadOptions::default()
    };
    whoclicked::input::read_into(
        &mut campaign,
        name,
        csv.as_bytes(),
        &options,
        &LoadProgress::default(),
    )
    .unwrap();
    let analysis = whoclicked::analysis::Analysis::from_parts(
        whoclicked::enriched::Enriched::new(campaign, Vec::new(), jiff::tz::TimeZone::UTC),
        whoclicked::signals::Suggestions::stated(Vec::new()),
        whoclicked::kb::CampaignVerdicts::default(),
    );
    let loaded = whoclicked::tui::data::Loaded::new(Arc::new(analysis));
    let (app, _) = whoclicked::tui::testing::app_with(
        loaded,
        Box::new(whoclicked::tui::store::MemoryStore::new()),
        width,
        height,
    );
    app
}

#[test]
fn a_small_file_none_of_whose_rows_reads_says_so_not_no_access_rows() {
    let app = app_over(
        "us.csv",
        "time,ip,recipient\n10/01/2026 09:00:00,40.94.1.1,a@example.jp\n10/02/2026 09:00:00,40.94.1.2,b@example.jp\n",
        100,
        12,
    );
    let text = screen(&app).join("\n");
    assert!(
        text.contains("nothing to show: none of the 2 rows of us.csv could be read"),
        "{text}"
    );
    // A header alone says that.
    let app = app_over("header.csv", "time,ip,recipient\n", 100, 12);
    let text = screen(&app).join("\n");
    assert!(
        text.contains("nothing to show: header.csv has no data rows"),
        "{text}"
    );
}

#[test]
fn the_time_heading_names_the_zone_even_with_no_rows() {
    let app = app_over("header.csv", "time,ip,recipient\n", 100, 12);
    let heading = screen(&app)
        .into_iter()
        .find(|l| l.trim_start().starts_with("time"))
        .unwrap();
    assert!(heading.contains("time (UTC) "), "{heading}");
    let (app, _, _) = whoclicked::tui::testing::traps_app(80, 24);
    let heading = screen(&app)
        .into_iter()
        .find(|l| l.trim_start().starts_with("time"))
        .unwrap();
    assert!(heading.contains("time (+09:00) "), "{heading}");
}

#[test]
fn one_row_is_one_row() {
    let app = app_over(
        "one.csv",
        "time,ip,recipient\n2026-10-01 09:00:00,40.94.1.1,a@example.jp\n",
        100,
        12,
    );
    let text = screen(&app).join("\n");
    assert!(text.contains(" │ 1 row"), "{text}");
    assert!(!text.contains("1 rows"), "{text}");
}
