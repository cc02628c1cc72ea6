//! Drawing: `draw(&App, &mut Frame)`. It reads the state and never changes
//! it, so what is on screen is a function of the state.

pub mod columns;
mod detail;
mod dialogs;
mod footer;
mod header;
mod help;
pub mod layout;
mod table;
pub mod theme;

use ratatui::Frame;

use super::app::App;
use super::keymap::Mode;
pub use dialogs::read_problems;
use theme::Theme;

pub fn draw(app: &App, frame: &mut Frame) {
    let theme = Theme { colour: app.colour };
    let areas = app.areas();
    header::draw(app, theme, frame, areas.header);
    table::draw(app, theme, frame, areas.table);
    if let Some(area) = areas.detail {
        detail::draw(app, theme, frame, area);
    }
    footer::draw(app, theme, frame, areas.footer);
    match app.mode {
        Mode::Help => help::draw(app, theme, frame),
        Mode::ReadErrors => dialogs::read_errors(app, theme, frame),
        Mode::Scope => dialogs::scope(app, theme, frame),
        Mode::Table | Mode::Filter | Mode::Export => {}
    }
}

/// Lines in the help or read-errors overlay (for clamping its scroll), and
/// how many fit on screen.
pub fn overlay_size(app: &App) -> (usize, usize) {
    let (w, h) = (app.width, app.height);
    match app.mode {
        Mode::Help => {
            let area = dialogs::centered(
                ratatui::layout::Rect::new(0, 0, w, h),
                100,
                h.saturating_sub(2),
            );
            (
                help::help_lines(Theme { colour: false }, area.width.saturating_sub(2)).len(),
                usize::from(area.height.saturating_sub(2)),
            )
        }
        Mode::ReadErrors => {
            // In entries: scrolling stops where the last entries fill the panel.
            let (inner_w, inner_h) = dialogs::read_errors_inner(w, h);
            let last = dialogs::read_error_last_start(app, inner_w, inner_h);
            (last + inner_h, inner_h)
        }
        _ => (0, 0),
    }
}
