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

/// `1234567` → `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 access`, `1,234 accesses`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// `12.3 MB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(12_300_000), "12.3 MB");
    }
}
