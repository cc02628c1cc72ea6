//! The footer: the keys of the current mode (from the keymap) and, below,
//! the message line — or the prompt being typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::text::{display_width, escape_controls, truncate_to_width};
use crate::tui::app::{App, LoadState};
use crate::tui::keymap::{Mode, hints};

pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![match (&app.load, app.mode) {
        // Nothing to label, sort or open: offer only what works.
        (LoadState::Failed(_), Mode::Table) => fixed_hints(
            &[("E", "rows that failed"), ("q", "quit"), ("?", "help")],
            theme,
        ),
        (LoadState::Cancelled, Mode::Table) => fixed_hints(&[("q", "quit"), ("?", "help")], theme),
        _ => hint_line(app.mode, theme, area.width),
    }];
    let mut cursor = None;
    lines.push(match app.mode {
        Mode::Filter | Mode::Export => {
            let (line, x) = prompt_line(app, theme, prompt_label(app), area.width);
            cursor = Some(x);
            line
        }
        _ => message_line(app, theme),
    });
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(x) = cursor
        && area.height >= 2
        && area.width > 0
    {
        let x = x.min(area.width.saturating_sub(1));
        frame.set_cursor_position((area.x + x, area.y + 1));
    }
}

/// The prompt's lead: `/ `, or what the export writes (`export the 32
/// accesses shown (Tab: all 484 accesses) to: `).
fn prompt_label(app: &App) -> String {
    if app.mode == Mode::Filter {
        return "/ ".to_string();
    }
    let choices = &app.export_choices;
    let Some(chosen) = choices.choices.get(choices.chosen) else {
        return "export CSV to: ".to_string();
    };
    match choices.choices.len() {
        1 => format!("export {} to: ", chosen.label),
        n => {
            let next = &choices.choices[(choices.chosen + 1) % n].label;
            format!("export {} (Tab: {next}) to: ", chosen.label)
        }
    }
}

fn fixed_hints(pairs: &[(&str, &str)], theme: Theme) -> Line<'static> {
    let spans = pairs.iter().flat_map(|(keys, hint)| {
        [
            Span::styled(keys.to_string(), theme.key()),
            Span::raw(format!(" {hint}  ")),
        ]
    });
    Line::from(spans.collect::<Vec<_>>())
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

/// The prompt with its text and, where there is room, its advice or
/// error; and the column of the cursor. Text wider than the line is shown
/// around the cursor, so a long paste never costs more than a line.
fn prompt_line(app: &App, theme: Theme, label: String, width: u16) -> (Line<'static>, u16) {
    let room = usize::from(width)
        .saturating_sub(display_width(&label))
        .saturating_sub(1);
    let before = escape_controls(app.prompt.before_cursor()).into_owned();
    let after = escape_controls(app.prompt.after_cursor()).into_owned();
    let before = if display_width(&before) > room {
        format!("…{}", tail_to_width(&before, room.saturating_sub(1)))
    } else {
        before
    };
    let x = display_width(&label) + display_width(&before);
    let after = truncate_to_width(&after, room.saturating_sub(display_width(&before))).into_owned();
    let mut spans = vec![
        Span::styled(label, theme.key()),
        Span::raw(before),
        Span::raw(after),
    ];
    if let Some(err) = &app.prompt.error {
        spans.push(Span::styled(
            format!("   ⚠ {err}: left out until it parses"),
            theme.error(),
        ));
    } else if app.mode == Mode::Filter {
        // The example names only fields the rows have.
        let example = match app.row_kind() {
            crate::model::RowKind::Access => "org:microsoft dt:<30 -verdict:none",
            crate::model::RowKind::Hop => "place:origin delay:<0 -class:provider",
        };
        spans.push(Span::styled(
            format!("   Enter keeps · Esc clears · ← → ^U ^W edit · ↑ history · e.g. {example}"),
            theme.dim(),
        ));
    }
    (Line::from(spans), x.min(usize::from(u16::MAX)) as u16)
}

/// The end of `s` that fits `width` columns.
fn tail_to_width(s: &str, width: usize) -> &str {
    let mut used = 0;
    let mut start = s.len();
    for (i, c) in s.char_indices().rev() {
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used > width {
            break;
        }
        start = i;
    }
    &s[start..]
}

fn message_line(app: &App, theme: Theme) -> Line<'static> {
    match &app.message {
        Some(m) if m.error => Line::from(Span::styled(m.text.clone(), theme.error())),
        Some(m) => Line::from(m.text.clone()),
        None => Line::default(),
    }
}
