//! The footer: the keys of the current mode (from the keymap) and, below,
//! the message line — or the prompt being typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::text::{display_width, escape_controls};
use crate::tui::app::App;
use crate::tui::keymap::{Mode, hints};

pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![hint_line(app.mode, theme, area.width)];
    lines.push(match app.mode {
        Mode::Filter => prompt_line(app, theme, "/ "),
        Mode::Export => prompt_line(app, theme, "export CSV to: "),
        _ => message_line(app, theme),
    });
    frame.render_widget(Paragraph::new(lines), area);
    if matches!(app.mode, Mode::Filter | Mode::Export) && area.height >= 2 && area.width > 0 {
        let label = if app.mode == Mode::Filter {
            "/ "
        } else {
            "export CSV to: "
        };
        let x = display_width(label) + display_width(&escape_controls(&app.prompt.text));
        let x = (x as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position((area.x + x, area.y + 1));
    }
}

/// `key hint` pairs in keymap order, as many as fit; the rest stay in `?`.
fn hint_line(mode: Mode, theme: Theme, width: u16) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let budget = usize::from(width);
    for (keys, hint) in hints(mode) {
        let piece = display_width(&keys) + 1 + display_width(hint) + 2;
        if used + piece > budget {
            break;
        }
        spans.push(Span::styled(keys, theme.key()));
        spans.push(Span::raw(format!(" {hint}  ")));
        used += piece;
    }
    Line::from(spans)
}

fn prompt_line(app: &App, theme: Theme, label: &'static str) -> Line<'static> {
    let mut spans = vec![
        Span::styled(label, theme.key()),
        Span::raw(escape_controls(&app.prompt.text).into_owned()),
    ];
    if let Some(err) = &app.prompt.error {
        spans.push(Span::styled(
            format!("   ⚠ {err} (the table keeps the last valid filter)"),
            theme.error(),
        ));
    } else if app.mode == Mode::Filter {
        spans.push(Span::styled(
            "   Enter keeps · Esc clears · e.g. org:microsoft dt:<30 -verdict:none",
            theme.dim(),
        ));
    }
    Line::from(spans)
}

fn message_line(app: &App, theme: Theme) -> Line<'static> {
    match &app.message {
        Some(m) if m.error => Line::from(Span::styled(m.text.clone(), theme.error())),
        Some(m) => Line::from(m.text.clone()),
        None => Line::default(),
    }
}
