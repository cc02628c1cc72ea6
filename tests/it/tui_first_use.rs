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
    let size = app.frame.area;
    let mut terminal = Terminal::new(TestBackend::new(size.width, size.height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(app, frame);
        })
        .unwrap();
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
    assert!(text.contains("is not a date and time"), "{text}");
    assert!(text.contains("E lists the 100 rows that failed"), "{text}");

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
