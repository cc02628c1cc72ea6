//! Drawing: `draw(&App, &mut Frame) -> FrameState`. It reads the state and
//! never changes it, so what is on screen is a function of the state and the
//! frame's size. Everything is laid out from the frame it is given; what went
//! where comes back as the frame state, which the app keeps for `update`
//! (the app never reads this module).

mod detail;
mod dialogs;
mod footer;
mod header;
mod help;
mod highlight;
mod layout;
mod loading;
mod placement;
mod table;
pub mod theme;

use ratatui::Frame;

use super::app::App;
use super::frame::FrameState;
use super::keymap::Mode;
use theme::Theme;

pub fn draw(app: &App, frame: &mut Frame) -> FrameState {
    let theme = Theme { colour: app.colour };
    let area = frame.area();
    let areas = layout::areas(area, app.detail_shown());
    header::draw(app, theme, frame, areas.header);
    let table = table::draw(app, theme, frame, areas.table);
    let detail = areas
        .detail
        .map(|area| detail::draw(app, theme, frame, area));
    footer::draw(app, theme, frame, areas.footer);
    let overlay = match app.mode {
        Mode::Help => Some(help::draw(app, theme, frame)),
        Mode::ReadErrors => Some(dialogs::read_errors(app, theme, frame)),
        Mode::Followup => Some(dialogs::followup(app, theme, frame)),
        Mode::Scope => {
            dialogs::scope(app, theme, frame);
            None
        }
        Mode::Table | Mode::Detail | Mode::Filter | Mode::Export => None,
    };
    FrameState {
        area,
        table,
        overlay,
        detail,
    }
}
