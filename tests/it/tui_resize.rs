//! The review screen when the terminal's size changes under it (issue 16):
//! a resize event can arrive before or after the terminal really changed, so
//! a frame is laid out from its own area, never from the size an event told,
//! and `update` reads the geometry of the last frame really drawn.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use whoclicked::tui::action::Action;
use whoclicked::tui::app::App;
use whoclicked::tui::frame::FrameState;
use whoclicked::tui::keymap::{KeyPress, Mode};
use whoclicked::tui::testing::{synthetic_app, traps_app};
use whoclicked::tui::{Executor, act, press, ui};

fn screen(width: u16, height: u16, app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            ui::draw(app, frame);
        })
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The reported crash: the terminal said 80×100 while the frame was still
/// 300×24 (and the other way round), and the table's scrollbar was drawn
/// at the told size: `index outside of buffer … index is (79, 24)`.
#[test]
fn a_frame_smaller_than_the_size_last_told_is_drawn_inside_itself() {
    let (mut app, ex) = synthetic_app(500, 300, 24);
    press(&mut app, &ex, KeyPress::Char('j'));
    let before = screen(300, 24, &app);
    for (width, height) in [(80, 100), (400, 60), (300, 25)] {
        app.update(Action::Resize { width, height });
        // The screen depends on the frame's size only, not on what was told.
        assert_eq!(screen(300, 24, &app), before, "told {width}×{height}");
    }
    // The scrollbar is in the frame's last column, beside the rows.
    let bar: String = (4..22).map(|y| before[(299, y)].symbol()).collect();
    assert!(bar.contains('█'), "{bar:?}");
}

/// The sizes the sweep draws at, the degenerate ones included.
const SIZES: &[(u16, u16)] = &[
    (1, 1),
    (0, 0),
    (80, 0),
    (0, 24),
    (1, 30),
    (3, 2),
    (12, 5),
    (20, 8),
    (40, 12),
    (79, 23),
    (80, 24),
    (80, 100),
    (119, 30),
    (160, 48),
    (300, 24),
];

/// Everything the frame placed lies inside the buffer it was drawn on.
fn assert_inside(drawn: &FrameState, size: Rect, what: &str) {
    assert_eq!(
        drawn.area, size,
        "{what}: laid out from the frame's own area"
    );
    let inside = |r: Rect| r.is_empty() || size.union(r) == size;
    let table = &drawn.table;
    assert!(inside(table.area), "{what}: table {:?}", table.area);
    assert!(inside(table.body), "{what}: body {:?}", table.body);
    for p in &table.columns {
        assert!(
            p.x + p.width <= size.right(),
            "{what}: column {p:?} leaves {size:?}"
        );
    }
    if let Some(overlay) = drawn.overlay {
        assert!(
            overlay.page <= usize::from(size.height),
            "{what}: {overlay:?}"
        );
    }
}

/// Draws at `width`×`height` through the runtime's `draw` (the app keeps
/// what the frame placed), then checks it and the text cursor.
fn draw_and_check(app: &mut App, width: u16, height: u16, what: &str) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    whoclicked::tui::draw(&mut terminal, app).unwrap();
    let size = Rect::new(0, 0, width, height);
    assert_eq!(terminal.backend().buffer().area, size, "{what}");
    assert_inside(&app.frame, size, what);
    if matches!(app.mode, Mode::Filter | Mode::Export) && width > 0 && height > 0 {
        let Position { x, y } = terminal.get_cursor_position().unwrap();
        assert!(x < width && y < height, "{what}: cursor at {x},{y}");
    }
}

/// The analyst's moves that read the last frame: pages, clicks, columns.
fn move_around(app: &mut App, ex: &Executor, width: u16, height: u16) {
    for key in [
        KeyPress::PageDown,
        KeyPress::Char('G'),
        KeyPress::Right,
        KeyPress::Ctrl('u'),
    ] {
        press(app, ex, key);
    }
    for (x, y) in [
        (0, 0),
        (width / 2, 3),
        (width.saturating_sub(1), 4),
        (5, height),
    ] {
        act(app, ex, Action::Click { x, y });
    }
}

#[test]
fn every_size_after_a_resize_to_every_other_draws_inside_the_buffer() {
    // Each state is opened with these keys, from the table, in the accesses view.
    let states: [(&str, &[KeyPress]); 8] = [
        ("table", &[]),
        ("detail", &[KeyPress::Enter]),
        ("scope", &[KeyPress::Char('S')]),
        ("help", &[KeyPress::Char('?'), KeyPress::Char('G')]),
        ("read errors", &[KeyPress::Char('E'), KeyPress::PageDown]),
        ("filter", &[KeyPress::Char('/'), KeyPress::Char('o')]),
        ("export", &[KeyPress::Char('e')]),
        ("groups", &[KeyPress::Tab, KeyPress::Tab, KeyPress::Tab]),
    ];
    for (name, open) in states {
        let (mut app, ex, _) = traps_app(80, 24);
        for &key in open {
            press(&mut app, &ex, key);
        }
        let mode = app.mode;
        for &(told_w, told_h) in SIZES {
            for &(w, h) in SIZES {
                let what = format!("{name}: told {told_w}×{told_h}, drawn {w}×{h}");
                // A frame at the told size, then one at the real size.
                act(
                    &mut app,
                    &ex,
                    Action::Resize {
                        width: told_w,
                        height: told_h,
                    },
                );
                app.update(Action::Resize {
                    width: told_w.saturating_add(37),
                    height: told_h.saturating_mul(3),
                });
                draw_and_check(&mut app, w, h, &what);
                if mode == Mode::Table {
                    move_around(&mut app, &ex, w, h);
                    draw_and_check(&mut app, w, h, &format!("{what}, after moving"));
                }
                assert_eq!(app.mode, mode, "{what}: still in the same state");
            }
        }
    }
}

#[test]
fn a_page_after_the_terminal_grew_is_the_rows_now_on_screen() {
    let (mut app, ex) = synthetic_app(1_000, 80, 24);
    assert_eq!(app.frame.table.body_rows(), 18);
    // The event says 80×48; the terminal still draws 80×24 for a moment.
    app.update(Action::Resize {
        width: 80,
        height: 48,
    });
    draw_and_check(&mut app, 80, 24, "old size");
    press(&mut app, &ex, KeyPress::PageDown);
    assert_eq!(app.view.selected, 18, "a page of the rows really shown");
    // The next frame is the real new size: a page is its rows.
    draw_and_check(&mut app, 80, 48, "new size");
    press(&mut app, &ex, KeyPress::PageDown);
    assert_eq!(app.view.selected, 18 + 42);
    // Shrinking keeps the cursor on screen, in the frame and in the state.
    draw_and_check(&mut app, 80, 10, "shrunk");
    let table = &app.frame.table;
    assert!(
        (table.first_row..table.first_row + table.body_rows()).contains(&app.view.selected),
        "{table:?} {}",
        app.view.selected
    );
    assert_eq!(app.view.offset, table.first_row);
}
